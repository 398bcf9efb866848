#include "ftam/responder/initialize.h"

#include "ftam/doctype/document_types.h"
#include "ftam/pdu/diagnostics.h"

namespace gw::ftam::responder {

namespace dt = doctype;
namespace fu = functional_unit;
namespace sc = service_class;

Diagnostic MakeDiagnostic(int64_t type, int64_t id, std::string details, int64_t source) {
  DiagnosticEntry e;
  e.diagnostic_type = type;
  e.error_identifier = id;
  e.error_observer = kRespondingFileProtocolMachine;
  e.error_source = source;
  if (!details.empty()) e.further_details = std::move(details);
  return {e};
}

namespace {

// The units each class needs (notes §6.3 "Profiles and FU sets"): transfer needs grouping
// and read or write; management needs limited file management and grouping;
// transfer-and-management needs both.
bool ClassPossible(int cls, NamedBits units) {
  const bool rw = units.Test(fu::kRead) || units.Test(fu::kWrite);
  const bool grouping = units.Test(fu::kGrouping), limited = units.Test(fu::kLimitedFileManagement);
  switch (cls) {
    case sc::kTransfer: return rw && grouping;
    case sc::kManagement: return limited && grouping;
    case sc::kTransferAndManagement: return rw && limited && grouping;
    default: return false;
  }
}

// Units a class may not use (management forbids read, write and file access).
NamedBits ForClass(int cls, NamedBits units) {
  if (cls == sc::kManagement) {
    units.Set(fu::kRead, false).Set(fu::kWrite, false).Set(fu::kFileAccess, false);
  }
  return units;
}

}  // namespace

InitializeOutcome NegotiateInitialize(const FInitializeRequest& req, const osi::presentation::ContextTable& contexts) {
  InitializeOutcome out;
  FInitializeResponse& rsp = out.response;
  auto fail = [&](int64_t id, std::string details) {
    out.ok = false;
    rsp.state_result = kStateFailure;
    rsp.action_result = kPermanentError;
    rsp.diagnostic = MakeDiagnostic(kPermanent, id, std::move(details), kRespondingFileProtocolMachine);
    return out;
  };
  // Mandatory members (§A.1).
  rsp.functional_units = NamedBits();
  rsp.ftam_quality_of_service = 0;
  const NamedBits proposed_units = req.functional_units.value_or(NamedBits());
  NamedBits units(proposed_units.mask & kImplementedUnits.mask);
  const NamedBits classes = req.service_class.value_or(NamedBits::Of({sc::kTransfer}));
  // Preference: transfer-and-management, then transfer, then management (RFC 1415 §8.2
  // needs both transfer and management; an initiator offering all three gets T&M).
  int chosen = -1;
  for (int cls : {sc::kTransferAndManagement, sc::kTransfer, sc::kManagement}) {
    if (classes.Test(cls) && ClassPossible(cls, ForClass(cls, units))) {
      chosen = cls;
      break;
    }
  }
  rsp.service_class = NamedBits::Of({chosen < 0 ? sc::kTransfer : chosen});
  if (chosen < 0) {
    rsp.functional_units = units;
    if (!classes.Test(sc::kTransfer) && !classes.Test(sc::kManagement) && !classes.Test(sc::kTransferAndManagement))
      return fail(error_id::kUnsupportedServiceClass,
                  "only the transfer, management and transfer-and-management classes are supported");
    return fail(error_id::kUnsupportedFunctionalUnit,
                "the functional units proposed do not suffice for a supported service class (grouping, "
                "read or write, limited file management)");
  }
  units = ForClass(chosen, units);
  rsp.functional_units = units;
  out.negotiated.service_class = chosen;
  out.negotiated.units = units;
  // Attribute groups: storage is supported, security and private are not (§A.1).
  NamedBits groups(req.attribute_groups.value_or(NamedBits()).mask & NamedBits::Of({attribute_group::kStorage}).mask);
  if (groups.mask) rsp.attribute_groups = groups;
  out.negotiated.attribute_groups = groups;
  // Contents types (notes §9.6): a document type is kept when a proposed presentation
  // context carries its abstract syntax; the old NBS-9 only when the new one is absent.
  ContentsTypeList kept;
  std::optional<int64_t> old_nbs9;
  bool new_nbs9_offered = false;
  if (req.contents_type_list) {
    for (const auto& e : *req.contents_type_list) {
      if (e.is_document_type && e.name == dt::kNbs9DocumentType) new_nbs9_offered = true;
    }
    for (const auto& e : *req.contents_type_list) {
      std::optional<Oid> as = e.is_document_type ? dt::AbstractSyntaxOf(e.name) : std::optional<Oid>(e.name);
      if (!as) continue;  // unknown document types are dropped, not fatal
      std::optional<int64_t> ctx = contexts.IdFor(*as);
      if (!ctx) continue;
      if (*as == dt::kUnstructuredTextAbstractSyntax) out.negotiated.text_ctx = ctx;
      else if (*as == dt::kUnstructuredBinaryAbstractSyntax) out.negotiated.binary_ctx = ctx;
      else if (*as == dt::kNbs9AbstractSyntax) out.negotiated.nbs9_ctx = ctx;
      else if (*as == dt::kNbs9OldAbstractSyntax) {
        if (new_nbs9_offered) {
          old_nbs9 = ctx;
          continue;
        }
        out.negotiated.nbs9_ctx = ctx;
      } else {
        continue;
      }
      kept.push_back(e);
    }
  }
  if (old_nbs9) out.unused_contexts.push_back(*old_nbs9);
  if (!kept.empty()) rsp.contents_type_list = kept;
  // QoS: no recovery (the response may only lower it); no checkpoint window.
  rsp.ftam_quality_of_service = 0;
  out.ok = true;
  return out;
}

}  // namespace gw::ftam::responder
