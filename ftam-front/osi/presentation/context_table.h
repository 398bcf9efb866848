// The defined context set of one presentation connection (X.226 §6.2.2): which abstract
// syntax each context identifier names and whether it was accepted. Used by both roles:
// the responder builds its result list from it, the initiator records the CPA's results.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "osi/presentation/ppdu.h"

namespace gw::osi::presentation {

class ContextTable {
 public:
  struct Entry {
    int64_t id = 0;
    Oid abstract_syntax;
    Oid transfer_syntax;
    bool accepted = false;
  };

  // Initiator: records the CP's definitions (all pending) and then the CPA's results.
  // Context ids proposed by an initiator must be odd (X.226 §6.2.2.5, ISODE insists).
  absl::Status Propose(const std::vector<ContextDefinition>& defs);
  absl::Status ApplyResults(const std::vector<ContextResult>& results);

  // Responder: accepts each proposed context whose abstract syntax `supported` approves
  // and which offers BER; returns the positional result list for the CPA/CPR.
  std::vector<ContextResult> Respond(const std::vector<ContextDefinition>& defs,
                                     const std::function<bool(const Oid&)>& supported);

  // Responder: the user (FTAM) does not take a context the provider accepted; its
  // positional result becomes user-rejection.
  void MarkUserRejected(int64_t id, std::vector<ContextResult>* results);

  const Entry* Find(int64_t id) const;
  // The accepted context for an abstract syntax, if any.
  std::optional<int64_t> IdFor(const Oid& abstract_syntax) const;
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace gw::osi::presentation
