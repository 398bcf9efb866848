// F-INITIALIZE negotiation on the responder side (ISO 8571-4 §A.1, osi-ftam-notes §6.3,
// §9.6): service class, functional units, attribute groups, quality of service and the
// contents-type list, against what this responder implements. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ftam/pdu/pdu.h"
#include "osi/presentation/context_table.h"

namespace gw::ftam::responder {

// What this responder implements: transfer, management and transfer-and-management
// classes; read, write, limited and enhanced file management, grouping.
inline constexpr NamedBits kImplementedUnits = NamedBits::Of(
    {functional_unit::kRead, functional_unit::kWrite, functional_unit::kLimitedFileManagement,
     functional_unit::kEnhancedFileManagement, functional_unit::kGrouping});

struct Negotiated {
  int service_class = service_class::kTransferAndManagement;
  NamedBits units;
  NamedBits attribute_groups;
  // Presentation contexts of the document types kept (nullopt: not available).
  std::optional<int64_t> text_ctx, binary_ctx, nbs9_ctx;
  bool Has(int unit) const { return units.Test(unit); }
};

struct InitializeOutcome {
  bool ok = false;
  FInitializeResponse response;
  Negotiated negotiated;
  // Accepted presentation contexts no kept document type uses: the CPA user-rejects them
  // (ISODE does so with the old NBS-9 syntax when the new one is offered).
  std::vector<int64_t> unused_contexts;
};

// `contexts` holds the presentation contexts as accepted so far.
InitializeOutcome NegotiateInitialize(const FInitializeRequest& req, const osi::presentation::ContextTable& contexts);

// A diagnostic of one entry, observer and source as a responding FTAM sees them.
Diagnostic MakeDiagnostic(int64_t type, int64_t id, std::string details = {},
                          int64_t source = kRespondingFileServiceUser);

}  // namespace gw::ftam::responder
