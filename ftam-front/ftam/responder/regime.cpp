// The file-selection and file-open regimes (ISO 8571-4 §A.1, osi-ftam-notes §7): each
// request checked against the regime it belongs to and the functional units negotiated,
// then served by neutral operations on the bridge session.
#include <boost/asio/this_coro.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ftam/doctype/data_value.h"
#include "ftam/doctype/document_types.h"
#include "ftam/pdu/diagnostics.h"
#include "ftam/responder/association.h"
#include "ftam/responder/attributes.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace gw::ftam::responder {

namespace dt = doctype;
namespace fu = functional_unit;

namespace {

template <typename Rsp>
Rsp Failed(Diagnostic d) {
  Rsp r;
  if constexpr (requires { r.state_result; }) r.state_result = kStateFailure;
  r.action_result = kPermanentError;
  r.diagnostic = std::move(d);
  return r;
}

std::string JoinPath(const Pathname& p) { return absl::StrJoin(p, "/"); }

bool Failed(const Pdu& p) {
  return std::visit(
      [](const auto& r) {
        if constexpr (requires { r.action_result; }) return r.action_result.value_or(kSuccess) != kSuccess;
        return false;
      },
      p);
}

}  // namespace

Diagnostic Association::DiagnosticOf(const v1::Result& r, int64_t fallback_id) const {
  return DiagnosticFor(r, fallback_id);
}

asio::awaitable<std::optional<v1::OperationResult>> Association::StatWithContents(const std::string& path) {
  // The bridge decides the contents type of a file it knows nothing about (RFC 1415 §6).
  v1::Operation op;
  op.mutable_stat()->set_path(path);
  op.mutable_stat()->set_contents(true);
  co_return co_await Call(std::move(op));
}

asio::awaitable<Next> Association::OnPdus(std::vector<Pdu> pdus) {
  auto& m = metrics::Registry::Global();
  for (const auto& p : pdus) m.Add("gw_ftam_pdus_total", {{"pdu", PduName(p)}, {"direction", "in"}}, 1);
  if (pdus.empty()) co_return Next::kGoOn;
  const bool group = std::holds_alternative<FBeginGroupRequest>(pdus.front());
  if (!group && pdus.size() != 1) {
    co_await ProviderAbort(error_id::kIllegalGroupingSequence, "several FTAM PDUs in one P-DATA without a group");
    co_return Next::kEnd;
  }
  if (group) {
    if (!ftam_.Has(fu::kGrouping)) {
      co_await ProviderAbort(error_id::kFunctionalUnitError, "grouping was not negotiated");
      co_return Next::kEnd;
    }
    // A group is F-BEGIN-GROUP, its requests and F-END-GROUP, all in one P-DATA (notes §7).
    if (pdus.size() < 3 || !std::holds_alternative<FEndGroupRequest>(pdus.back())) {
      co_await ProviderAbort(error_id::kIllegalGroupingSequence, "a group must end with F-END-GROUP in the same P-DATA");
      co_return Next::kEnd;
    }
    const auto& begin = std::get<FBeginGroupRequest>(pdus.front());
    if (begin.threshold.value_or(0) < 0 || begin.threshold.value_or(0) > static_cast<int64_t>(pdus.size() - 2)) {
      co_await ProviderAbort(error_id::kGroupingThresholdViolation, "the group's threshold exceeds its requests");
      co_return Next::kEnd;
    }
    std::vector<Pdu> responses{FBeginGroupResponse{}};
    for (size_t i = 1; i + 1 < pdus.size(); ++i) {
      bool abort = false;
      // Inside a group only the selection and open regime's requests may appear.
      const uint32_t tag = PduTag(pdus[i]);
      if (tag < file_pdu::kFSelectRequest || tag > file_pdu::kFCloseRequest || tag % 2 != 0) {
        co_await ProviderAbort(error_id::kIllegalGroupingSequence,
                               absl::StrCat(PduName(pdus[i]), " may not appear in a group"));
        co_return Next::kEnd;
      }
      const bool ok = co_await OnRequest(pdus[i], &responses, &abort);
      if (abort) co_return Next::kEnd;
      if (!ok) break;  // the requests after a failure get no response (notes §7)
    }
    responses.push_back(FEndGroupResponse{});
    if (!co_await SendPdus(std::move(responses))) co_return Next::kEnd;
    co_return bridge_lost_ ? Next::kEnd : Next::kGoOn;
  }
  Pdu& pdu = pdus.front();
  if (auto* r = std::get_if<FReadRequest>(&pdu)) co_return co_await Read(*r);
  if (auto* w = std::get_if<FWriteRequest>(&pdu)) co_return co_await Write(*w);
  const uint32_t tag = PduTag(pdu);
  if (tag >= bulk_pdu::kFReadRequest || tag < file_pdu::kFSelectRequest || tag % 2 != 0 ||
      std::holds_alternative<FEndGroupRequest>(pdu)) {
    co_await ProviderAbort(error_id::kProcedureError,
                           absl::StrCat(PduName(pdu), " is not valid in this state of the association"));
    co_return Next::kEnd;
  }
  std::vector<Pdu> responses;
  bool abort = false;
  (void)co_await OnRequest(pdu, &responses, &abort);
  if (abort) co_return Next::kEnd;
  if (!co_await SendPdus(std::move(responses))) co_return Next::kEnd;
  co_return Next::kGoOn;
}

asio::awaitable<bool> Association::OnRequest(Pdu& pdu, std::vector<Pdu>* out, bool* abort) {
  // The regime each request belongs to (ISO 8571-4 §A.1 state tables, notes §7).
  const bool selected = selection_.has_value(), opened = open_.has_value();
  auto violation = [&](std::string what) -> asio::awaitable<bool> {
    *abort = true;
    co_await ProviderAbort(error_id::kProcedureError, std::move(what));
    co_return false;
  };
  auto unit = [&](int u, const char* pdu_name) -> asio::awaitable<bool> {
    *abort = true;
    co_await ProviderAbort(error_id::kFunctionalUnitError,
                           absl::StrCat(pdu_name, " needs a functional unit that was not negotiated (", u, ")"));
    co_return false;
  };
  size_t before = out->size();
  bool ok = true;
  if (auto* s = std::get_if<FSelectRequest>(&pdu)) {
    if (selected) co_return co_await violation("F-SELECT while a file is selected");
    ok = co_await Select(*s, out);
  } else if (auto* c = std::get_if<FCreateRequest>(&pdu)) {
    if (selected) co_return co_await violation("F-CREATE while a file is selected");
    if (!ftam_.Has(fu::kLimitedFileManagement)) co_return co_await unit(fu::kLimitedFileManagement, "F-CREATE");
    ok = co_await Create(*c, out);
  } else if (auto* ra = std::get_if<FReadAttribRequest>(&pdu)) {
    if (!selected || opened) co_return co_await violation("F-READ-ATTRIB needs a selected, unopened file");
    if (!ftam_.Has(fu::kLimitedFileManagement)) co_return co_await unit(fu::kLimitedFileManagement, "F-READ-ATTRIB");
    ok = co_await ReadAttrib(*ra, out);
  } else if (auto* ca = std::get_if<FChangeAttribRequest>(&pdu)) {
    if (!selected || opened) co_return co_await violation("F-CHANGE-ATTRIB needs a selected, unopened file");
    if (!ftam_.Has(fu::kEnhancedFileManagement)) co_return co_await unit(fu::kEnhancedFileManagement, "F-CHANGE-ATTRIB");
    ok = co_await ChangeAttrib(*ca, out);
  } else if (std::holds_alternative<FDeleteRequest>(pdu)) {
    if (!selected || opened) co_return co_await violation("F-DELETE needs a selected, unopened file");
    if (!ftam_.Has(fu::kLimitedFileManagement)) co_return co_await unit(fu::kLimitedFileManagement, "F-DELETE");
    ok = co_await Delete(out);
  } else if (std::holds_alternative<FDeselectRequest>(pdu)) {
    if (!selected || opened) co_return co_await violation("F-DESELECT needs a selected, unopened file");
    ok = co_await Deselect(out);
  } else if (auto* o = std::get_if<FOpenRequest>(&pdu)) {
    if (!selected || opened) co_return co_await violation("F-OPEN needs a selected, unopened file");
    if (!ftam_.Has(fu::kRead) && !ftam_.Has(fu::kWrite)) co_return co_await unit(fu::kRead, "F-OPEN");
    ok = co_await Open(*o, out);
  } else if (std::holds_alternative<FCloseRequest>(pdu)) {
    if (!opened) co_return co_await violation("F-CLOSE without an open file");
    ok = Close(out);
  } else {
    co_return co_await violation(absl::StrCat(PduName(pdu), " is not supported by this responder"));
  }
  for (size_t i = before; i < out->size(); ++i) {
    if (const Diagnostic* d = PduDiagnostic((*out)[i]); d && !d->empty())
      metrics::Registry::Global().Add("gw_ftam_diagnostics_total", {{"id", std::to_string(d->front().error_identifier.value_or(0))}}, 1);
  }
  co_return ok && !(out->size() > before && Failed(out->back()));
}

asio::awaitable<bool> Association::Select(const FSelectRequest& req, std::vector<Pdu>* out) {
  // Failed responses still carry the attributes (mandatory in F-SELECT-response, §A.1).
  auto failed = [&](Diagnostic d) {
    FSelectResponse r = Failed<FSelectResponse>(std::move(d));
    r.attributes = Attributes{};
    if (req.attributes && req.attributes->pathname) r.attributes->pathname = req.attributes->pathname;
    else r.attributes->pathname = Pathname{""};
    return r;
  };
  if (!req.attributes || !req.attributes->pathname || req.attributes->pathname->empty()) {
    out->push_back(failed(MakeDiagnostic(kPermanent, error_id::kMandatoryParameterNotSet,
                                                          "F-SELECT names no file")));
    co_return false;
  }
  Selection sel;
  sel.name = JoinPath(*req.attributes->pathname);
  sel.path = sel.name;
  auto r = co_await StatWithContents(sel.path);
  if (!r) {
    out->push_back(failed(DestinationLost()));
    co_return false;
  }
  if (r->result().code() != v1::STATUS_OK || r->entries_size() == 0) {
    out->push_back(failed(DiagnosticOf(r->result(), error_id::kFilenameNotFound)));
    co_return false;
  }
  sel.exists = true;
  sel.attributes = r->entries(0);
  sel.directory = sel.attributes.type() == v1::ENTRY_TYPE_DIRECTORY;
  FSelectResponse rsp;
  rsp.attributes = Attributes{};
  rsp.attributes->pathname = Pathname{sel.name};
  out->push_back(std::move(rsp));
  selection_ = std::move(sel);
  co_return true;
}

asio::awaitable<bool> Association::Create(const FCreateRequest& req, std::vector<Pdu>* out) {
  if (!req.initial_attributes || !req.initial_attributes->pathname || req.initial_attributes->pathname->empty()) {
    FCreateResponse r = Failed<FCreateResponse>(MakeDiagnostic(kPermanent, error_id::kMandatoryParameterNotSet,
                                                               "F-CREATE names no file"));
    r.initial_attributes = req.initial_attributes.value_or(Attributes{});
    if (!r.initial_attributes->pathname) r.initial_attributes->pathname = Pathname{""};
    out->push_back(std::move(r));
    co_return false;
  }
  const int64_t override_ = req.override.value_or(kCreateFailure);
  // Failed responses still carry the initial attributes (mandatory, §A.1).
  auto failed = [&](Diagnostic d) {
    FCreateResponse r = Failed<FCreateResponse>(std::move(d));
    r.initial_attributes = *req.initial_attributes;
    return r;
  };
  Selection sel;
  sel.name = JoinPath(*req.initial_attributes->pathname);
  sel.path = sel.name;
  sel.initial_contents = req.initial_attributes->contents_type;
  const bool directory = sel.initial_contents && sel.initial_contents->is_document_type &&
                         (sel.initial_contents->document_type_name == dt::kNbs9DocumentType ||
                          sel.initial_contents->document_type_name == dt::kNbs9OldDocumentType);
  auto r = co_await StatWithContents(sel.path);
  if (!r) {
    out->push_back(failed(DestinationLost()));
    co_return false;
  }
  const bool exists = r->result().code() == v1::STATUS_OK && r->entries_size() > 0;
  if (!exists && r->result().code() != v1::STATUS_NOT_FOUND) {
    out->push_back(failed(DiagnosticOf(r->result(), error_id::kFileCannotBeCreated)));
    co_return false;
  }
  if (exists) {
    sel.exists = true;
    sel.attributes = r->entries(0);
    sel.directory = sel.attributes.type() == v1::ENTRY_TYPE_DIRECTORY;
    if (override_ == kCreateFailure) {
      out->push_back(failed(MakeDiagnostic(kPermanent, error_id::kFileAlreadyExists,
                                                            "a file named " + sel.name + " already exists")));
      co_return false;
    }
    if ((override_ == kDeleteAndCreateWithOldAttributes || override_ == kDeleteAndCreateWithNewAttributes) &&
        !sel.directory)
      sel.create_pending = true;  // the new contents replace the old at the first write
  } else if (directory) {
    v1::Operation mk;
    mk.mutable_make_directory()->set_path(sel.path);
    auto made = co_await Call(std::move(mk));
    if (!made || made->result().code() != v1::STATUS_OK) {
      out->push_back(failed(made ? DiagnosticOf(made->result(), error_id::kFileCannotBeCreated)
                                                  : DestinationLost()));
      co_return false;
    }
    sel.exists = true;
    sel.directory = true;
    sel.attributes.set_type(v1::ENTRY_TYPE_DIRECTORY);
    sel.attributes.set_name(sel.name);
  } else {
    sel.create_pending = true;
    sel.attributes.set_type(v1::ENTRY_TYPE_FILE);
    sel.attributes.set_name(sel.name);
    sel.attributes.set_size(0);
    if (sel.initial_contents && sel.initial_contents->document_type_name == dt::kFtam1DocumentType)
      sel.attributes.set_contents(v1::TRANSFER_TYPE_TEXT);
    else
      sel.attributes.set_contents(v1::TRANSFER_TYPE_IMAGE);
  }
  // The initial attributes as requested (Create-Attributes: pathname, permitted actions
  // and contents type are mandatory, ISO 8571-4 §A.1), as ISODE echoes them.
  FCreateResponse rsp;
  rsp.initial_attributes = *req.initial_attributes;
  if (!rsp.initial_attributes->permitted_actions) {
    NamedBits p;
    for (int k = 0; k <= 10; ++k) p.Set(k);
    rsp.initial_attributes->permitted_actions = p;
  }
  if (!rsp.initial_attributes->contents_type) rsp.initial_attributes->contents_type = ContentsTypeOf(sel.attributes);
  out->push_back(std::move(rsp));
  selection_ = std::move(sel);
  co_return true;
}

asio::awaitable<bool> Association::ReadAttrib(const FReadAttribRequest& req, std::vector<Pdu>* out) {
  FReadAttribResponse rsp;
  const bool storage = ftam_.attribute_groups.Test(attribute_group::kStorage);
  rsp.attributes = ToFtamAttributes(selection_->attributes, selection_->name,
                                    req.attribute_names.value_or(NamedBits::Of({attribute_name::kFilename})), storage);
  if (selection_->initial_contents && rsp.attributes->contents_type) rsp.attributes->contents_type = *selection_->initial_contents;
  out->push_back(std::move(rsp));
  co_return true;
}

asio::awaitable<bool> Association::ChangeAttrib(const FChangeAttribRequest& req, std::vector<Pdu>* out) {
  // Only the filename can be changed: a rename (RFC 1415 §8.2 RNFR/RNTO).
  if (!req.attributes || !req.attributes->pathname || req.attributes->pathname->empty() ||
      PresentAttributeNames(*req.attributes).mask != NamedBits::Of({attribute_name::kFilename}).mask) {
    out->push_back(Failed<FChangeAttribResponse>(MakeDiagnostic(
        kPermanent, error_id::kAttributeCannotBeChanged, "only the filename can be changed")));
    co_return false;
  }
  std::string to = JoinPath(*req.attributes->pathname);
  if (!selection_->exists) {
    out->push_back(Failed<FChangeAttribResponse>(MakeDiagnostic(
        kPermanent, error_id::kAttributeCannotBeChanged, "the file has not been written yet")));
    co_return false;
  }
  v1::Operation op;
  op.mutable_rename()->set_from(selection_->path);
  op.mutable_rename()->set_to(to);
  auto r = co_await Call(std::move(op));
  if (!r || r->result().code() != v1::STATUS_OK) {
    out->push_back(Failed<FChangeAttribResponse>(
        r ? DiagnosticOf(r->result(), error_id::kAttributeCannotBeChanged)
          : DestinationLost()));
    co_return false;
  }
  selection_->name = selection_->path = to;
  FChangeAttribResponse rsp;
  rsp.attributes = Attributes{};
  rsp.attributes->pathname = Pathname{to};
  out->push_back(std::move(rsp));
  co_return true;
}

asio::awaitable<bool> Association::Delete(std::vector<Pdu>* out) {
  Selection sel = std::move(*selection_);
  selection_.reset();  // F-DELETE ends the selection regime whatever its outcome
  if (sel.create_pending && !sel.exists) {
    out->push_back(FDeleteResponse{});
    co_return true;
  }
  v1::Operation op;
  if (sel.directory) op.mutable_remove_directory()->set_path(sel.path);
  else op.mutable_delete_()->set_path(sel.path);
  auto r = co_await Call(std::move(op));
  if (!r || r->result().code() != v1::STATUS_OK) {
    out->push_back(Failed<FDeleteResponse>(
        r ? DiagnosticOf(r->result(), error_id::kFileCannotBeDeleted)
          : DestinationLost()));
    co_return false;
  }
  out->push_back(FDeleteResponse{});
  co_return true;
}

asio::awaitable<bool> Association::Deselect(std::vector<Pdu>* out) {
  Selection sel = std::move(*selection_);
  selection_.reset();
  open_.reset();
  if (sel.create_pending) {
    // F-CREATE without a write: the (empty) file is made now, as the initiator expects.
    v1::Operation op;
    op.mutable_write()->set_path(sel.path);
    op.mutable_write()->set_mode(v1::WRITE_MODE_REPLACE);
    uint64_t id = co_await bridge_.Send(std::move(op));
    std::optional<v1::OperationResult> r;
    if (id != 0) {
      r = co_await bridge_.Await(id);
      if (r && r->transfer_started()) {
        (void)co_await bridge_.SendData(std::string(), true);
        r = co_await bridge_.Await(id);
      }
    }
    if (!r) bridge_lost_ = true;
    if (!r || r->result().code() != v1::STATUS_OK) {
      if (out)
        out->push_back(Failed<FDeselectResponse>(
            r ? DiagnosticOf(r->result(), error_id::kFileCannotBeCreated)
              : DestinationLost()));
      co_return false;
    }
  }
  if (out) out->push_back(FDeselectResponse{});
  co_return true;
}

asio::awaitable<bool> Association::Open(const FOpenRequest& req, std::vector<Pdu>* out) {
  OpenFile of;
  of.processing_mode = req.processing_mode.value_or(NamedBits::Of({access::kRead}));
  of.directory = selection_->directory;
  ContentsType actual = selection_->initial_contents ? *selection_->initial_contents : ContentsTypeOf(selection_->attributes);
  if (req.contents_type && !req.contents_type->unknown) actual = req.contents_type->proposed;
  // Failed responses still carry a contents type (mandatory in F-OPEN-response, §A.1).
  auto failed = [&](Diagnostic d) {
    FOpenResponse r = Failed<FOpenResponse>(std::move(d));
    r.contents_type = actual;
    return r;
  };
  auto inconsistent = [&](std::string why) {
    out->push_back(failed(MakeDiagnostic(kPermanent, error_id::kContentsTypeInconsistent, std::move(why))));
    return false;
  };
  if (!actual.is_document_type) co_return inconsistent("only document types are supported (FTAM-1, FTAM-3, NBS-9)");
  const Oid& doc = actual.document_type_name;
  const bool nbs9 = doc == dt::kNbs9DocumentType || doc == dt::kNbs9OldDocumentType;
  if (of.directory != nbs9)
    co_return inconsistent(of.directory ? "a directory opens as NBS-9 only" : "NBS-9 applies to directories only");
  const bool writing = of.processing_mode.Test(access::kReplace) || of.processing_mode.Test(access::kExtend) ||
                       of.processing_mode.Test(access::kInsert) || of.processing_mode.Test(access::kErase);
  if ((of.processing_mode.Test(access::kRead) && !ftam_.Has(fu::kRead)) || (writing && !ftam_.Has(fu::kWrite)) ||
      (writing && of.directory)) {
    out->push_back(failed(MakeDiagnostic(kPermanent, error_id::kProcessingModeInconsistent,
                                                        "this processing mode is not available here")));
    co_return false;
  }
  if (nbs9) {
    if (!ftam_.nbs9_ctx) co_return inconsistent("NBS-9 was not negotiated");
    of.ctx = *ftam_.nbs9_ctx;
    of.nbs9_names = Nbs9AttributeNames();
    if (actual.parameter) {
      if (auto p = dt::DecodeNbs9Parameter(osi::AsBytes(*actual.parameter)); p.ok()) of.nbs9_names = p->attribute_names;
    }
  } else if (doc == dt::kFtam1DocumentType) {
    if (!ftam_.text_ctx) co_return inconsistent("FTAM-1 was not negotiated");
    of.ctx = *ftam_.text_ctx;
    of.text = true;
    dt::Ftam1Parameter p{27, std::nullopt, dt::kNotSignificant};
    if (actual.parameter) {
      auto d = dt::DecodeFtam1Parameter(osi::AsBytes(*actual.parameter));
      if (!d.ok()) co_return inconsistent("malformed FTAM-1 parameter");
      p = *d;
    }
    if (!p.universal_class_number) p.universal_class_number = 25;  // ISO 8571-2: GraphicString
    if (!dt::IsTextStringType(static_cast<uint32_t>(*p.universal_class_number)))
      co_return inconsistent("unsupported FTAM-1 string type");
    of.string_tag = static_cast<uint32_t>(*p.universal_class_number);
    // A value a line (RFC 1415 §6: records are CR LF lines): GraphicString, VisibleString
    // and PrintableString carry no line ends, and where the string boundaries are
    // significant (variable or fixed) each string is a record whatever its type. Only
    // not-significant strings of a type with format effectors carry the CR LF inside.
    const int64_t significance = p.string_significance.value_or(dt::kNotSignificant);
    of.line_per_value = of.string_tag == 25 || of.string_tag == 26 || of.string_tag == 19 ||
                        significance == dt::kVariable || significance == dt::kFixed;
    of.max_string_length = p.maximum_string_length;
    // Fixed significance: every string is exactly the maximum length (lines padded with spaces).
    of.fixed_length = significance == dt::kFixed && p.maximum_string_length && *p.maximum_string_length > 0 &&
                      static_cast<size_t>(*p.maximum_string_length) <= cfg_.max_value;
    actual = dt::Ftam1ContentsType(p);
  } else if (doc == dt::kFtam3DocumentType) {
    if (!ftam_.binary_ctx) co_return inconsistent("FTAM-3 was not negotiated");
    of.ctx = *ftam_.binary_ctx;
    dt::Ftam3Parameter p{std::nullopt, dt::kNotSignificant};
    if (actual.parameter) {
      auto d = dt::DecodeFtam3Parameter(osi::AsBytes(*actual.parameter));
      if (!d.ok()) co_return inconsistent("malformed FTAM-3 parameter");
      p = *d;
    }
    of.max_string_length = p.maximum_string_length;
    actual = dt::Ftam3ContentsType(p);
  } else {
    co_return inconsistent("unknown document type " + doc.ToString());
  }
  FOpenResponse rsp;
  rsp.contents_type = actual;
  if (req.concurrency_control) rsp.concurrency_control = req.concurrency_control;
  out->push_back(std::move(rsp));
  open_ = of;
  co_return true;
}

bool Association::Close(std::vector<Pdu>* out) {
  open_.reset();
  out->push_back(FCloseResponse{});
  return true;
}

}  // namespace gw::ftam::responder
