#include "osi/presentation/context_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gw::osi::presentation {

absl::Status ContextTable::Propose(const std::vector<ContextDefinition>& defs) {
  entries_.clear();
  for (const auto& d : defs) {
    if (d.id % 2 == 0 || d.id < 1)
      return absl::InvalidArgumentError(absl::StrCat("presentation: context id ", d.id, " must be odd"));
    if (Find(d.id)) return absl::InvalidArgumentError(absl::StrCat("presentation: duplicate context id ", d.id));
    entries_.push_back({d.id, d.abstract_syntax, d.transfer_syntaxes.empty() ? kBasicEncoding : d.transfer_syntaxes[0], false});
  }
  return absl::OkStatus();
}

absl::Status ContextTable::ApplyResults(const std::vector<ContextResult>& results) {
  // X.226 §8.3: the result list is positional, one entry per proposed context.
  if (results.size() != entries_.size())
    return absl::InvalidArgumentError(absl::StrCat("presentation: ", results.size(),
                                                   " context results for ", entries_.size(), " contexts"));
  for (size_t i = 0; i < results.size(); ++i) {
    entries_[i].accepted = results[i].result == kAcceptance;
    if (results[i].transfer_syntax) entries_[i].transfer_syntax = *results[i].transfer_syntax;
  }
  return absl::OkStatus();
}

std::vector<ContextResult> ContextTable::Respond(const std::vector<ContextDefinition>& defs,
                                                 const std::function<bool(const Oid&)>& supported) {
  entries_.clear();
  std::vector<ContextResult> results;
  for (const auto& d : defs) {
    ContextResult r;
    bool ber = std::find(d.transfer_syntaxes.begin(), d.transfer_syntaxes.end(), kBasicEncoding) !=
               d.transfer_syntaxes.end();
    if (!ber) {
      r.result = kProviderRejection;
      r.provider_reason = kTransferSyntaxesNotSupported;
    } else if (!supported(d.abstract_syntax)) {
      // X.226 §6.2.2.3: the provider does not know the abstract syntax.
      r.result = kProviderRejection;
      r.provider_reason = kAbstractSyntaxNotSupported;
    } else {
      r.result = kAcceptance;
      r.transfer_syntax = kBasicEncoding;
    }
    entries_.push_back({d.id, d.abstract_syntax, kBasicEncoding, r.result == kAcceptance});
    results.push_back(r);
  }
  return results;
}

void ContextTable::MarkUserRejected(int64_t id, std::vector<ContextResult>* results) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].id != id) continue;
    entries_[i].accepted = false;
    if (results && i < results->size()) (*results)[i] = ContextResult{kUserRejection, std::nullopt, std::nullopt};
  }
}

const ContextTable::Entry* ContextTable::Find(int64_t id) const {
  for (const auto& e : entries_)
    if (e.id == id) return &e;
  return nullptr;
}

std::optional<int64_t> ContextTable::IdFor(const Oid& abstract_syntax) const {
  for (const auto& e : entries_)
    if (e.accepted && e.abstract_syntax == abstract_syntax) return e.id;
  return std::nullopt;
}

}  // namespace gw::osi::presentation
