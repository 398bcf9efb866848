// The connect phase (CR/CC, CN/AC with CP/CPA, AARQ/AARE, F-INITIALIZE), the data-phase
// loop, release (FN/DN) and aborts (AB) of one responder association.
#include "ftam/responder/association.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "absl/strings/str_cat.h"
#include "ftam/pdu/diagnostics.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "tools/stack_decoder.h"

namespace gw::ftam::responder {

namespace assoc = osi::association;
namespace pres = osi::presentation;
namespace ses = osi::session;
namespace tp = osi::transport;
namespace acse = osi::acse;
namespace dt = doctype;
using osi::Bytes;
using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Association::Association(assoc::Connection& conn, BridgeLink& bridge, const Config& cfg, std::string session_id,
                         std::string peer)
    : conn_(conn), bridge_(bridge), cfg_(cfg), session_id_(std::move(session_id)), peer_(std::move(peer)),
      tsdu_(cfg.max_tsdu) {}

asio::awaitable<bool> Association::Send(std::vector<uint8_t> bytes) {
  auto s = co_await conn_.Write(Bytes(bytes), cfg_.data_timeout);
  co_return s.ok();
}

asio::awaitable<bool> Association::SendPdus(std::vector<Pdu> pdus) {
  auto& m = metrics::Registry::Global();
  for (const auto& p : pdus) m.Add("gw_ftam_pdus_total", {{"pdu", PduName(p)}, {"direction", "out"}}, 1);
  std::vector<uint8_t> out;
  if (auto s = assoc::FtamData(wire_, pdus, &out); !s.ok()) {
    log::Error("ftam.encode_failed", {{"session", session_id_}, {"error", std::string(s.message())}});
    co_return false;
  }
  co_return co_await Send(std::move(out));
}

void Association::Shutdown() { conn_.Close(); }

asio::awaitable<void> Association::CancelBridge() {
  // The neutral session ends at once: a write in progress is discarded by the bridge.
  co_await bridge_.Cancel();
  bridge_open_ = false;
}

std::chrono::steady_clock::duration Association::ConnectTimeLeft() const {
  return std::max(connect_deadline_ - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero());
}

// Reads the TPDUs of one TSDU in the connect phase (no reader coroutine yet), all within
// the association timeout: a peer trickling one small TPDU after another cannot stretch it.
asio::awaitable<std::optional<Bytes>> Association::ReadConnectTsdu() {
  for (;;) {
    auto tpdu = co_await conn_.ReadTpdu(ConnectTimeLeft());
    if (!tpdu.ok()) co_return std::nullopt;
    auto t = tp::DecodeTpdu(*tpdu);
    if (!t.ok()) co_return std::nullopt;
    auto* dtpdu = std::get_if<tp::DataTpdu>(&*t);
    if (!dtpdu) co_return std::nullopt;  // DR, ER or a second CR: the connection ends
    auto whole = tsdu_.Add(*dtpdu);
    if (!whole.ok()) co_return std::nullopt;
    if (whole->has_value()) co_return **whole;
  }
}

asio::awaitable<void> Association::RefuseAndClose(std::vector<uint8_t> rf) {
  // After RF the initiator disconnects (notes §3.7); give it a moment, then close.
  if (co_await Send(std::move(rf))) (void)co_await conn_.ReadTpdu(cfg_.release_timeout);
  Shutdown();
}

namespace {

bool Supported(const Oid& as) {
  return as == pres::kAcseAbstractSyntax || as == tools::kFtamPciAbstractSyntax ||
         as == dt::kUnstructuredTextAbstractSyntax || as == dt::kUnstructuredBinaryAbstractSyntax ||
         as == dt::kNbs9AbstractSyntax || as == dt::kNbs9OldAbstractSyntax;
}

std::string Hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

// The diagnostic of a refused login, the same for an unknown user and a wrong password.
Diagnostic LoginRefused() {
  return MakeDiagnostic(kPermanent, error_id::kInvalidFilestorePassword, "login incorrect");
}

}  // namespace

asio::awaitable<bool> Association::Establish() {
  // From the TCP connection to the F-INITIALIZE-response: one deadline for every layer.
  connect_deadline_ = std::chrono::steady_clock::now() + cfg_.association_timeout;
  // Transport: CR -> CC (ISO 8073 §13.3, §13.4; RFC 1006).
  auto first = co_await conn_.ReadTpdu(ConnectTimeLeft());
  if (!first.ok()) co_return false;
  auto t = tp::DecodeTpdu(*first);
  if (!t.ok() || !std::holds_alternative<tp::ConnectTpdu>(*t) || std::get<tp::ConnectTpdu>(*t).confirm) {
    log::Info("ftam.not_rfc1006", {{"session", session_id_}, {"peer", peer_}});
    co_return false;
  }
  const auto& cr = std::get<tp::ConnectTpdu>(*t);
  wire_.peer_ref = cr.src_ref;
  wire_.local_ref = static_cast<uint16_t>(0x4000 | (std::hash<std::string>{}(session_id_) & 0x3fff));
  if (cfg_.required_tsel && cr.called_tsap.value_or("") != *cfg_.required_tsel) {
    std::vector<uint8_t> dr;
    tp::EncodeTpkt(tp::DisconnectTpdu{wire_.peer_ref, wire_.local_ref, tp::dr_reason::kAddressUnknown, std::nullopt}, &dr);
    (void)co_await Send(std::move(dr));
    log::Info("ftam.refused", {{"session", session_id_}, {"peer", peer_},
                               {"reason", "called TSAP " + Hex(cr.called_tsap.value_or("")) + " is not served"}});
    co_return false;
  }
  tp::ConnectTpdu cc;
  cc.confirm = true;
  cc.dst_ref = wire_.peer_ref;
  cc.src_ref = wire_.local_ref;
  if (cr.preferred_max_tpdu_size) {
    // ISO 8073 §13.3.4 c: in 128-octet units; accept up to RFC 1006's limit.
    size_t asked = size_t{*cr.preferred_max_tpdu_size} * 128;
    wire_.tpdu_size = std::clamp<size_t>(asked, 128, std::min<size_t>(cfg_.max_tpdu, 65531) / 128 * 128);
    cc.preferred_max_tpdu_size = static_cast<uint32_t>(wire_.tpdu_size / 128);
  } else {
    uint8_t log2 = tp::NegotiateTpduSize(cr, tp::kTpduSize8192);
    while (log2 > 7 && tp::TpduSizeOctets(log2) > cfg_.max_tpdu) --log2;
    cc.tpdu_size = log2;
    wire_.tpdu_size = tp::TpduSizeOctets(log2);
  }
  if (!co_await Send(assoc::ConnectConfirm(cc))) co_return false;

  // Session CN (ISO 8327-1 §8.3.1).
  auto tsdu = co_await ReadConnectTsdu();
  if (!tsdu) co_return false;
  auto spdus = ses::DecodeTsdu(*tsdu);
  if (!spdus.ok() || spdus->size() != 1 || !std::holds_alternative<ses::ConnectSpdu>((*spdus)[0])) {
    std::vector<uint8_t> ab;
    (void)assoc::ProviderAbort(wire_, pres::kUnexpectedSessionPrimitive, &ab);
    co_await RefuseAndClose(std::move(ab));
    co_return false;
  }
  const auto& cn = std::get<ses::ConnectSpdu>((*spdus)[0]);
  ses::AcceptSpdu ac;
  auto sn = ses::NegotiateAccept(cn, ses::ResponderPolicy{}, &ac);
  ses::RefuseSpdu rf;
  rf.transport_disconnect = ses::transport_disconnect::kRelease;
  rf.session_user_requirements = ses::requirement::kDuplex;
  if (!sn.ok()) {
    rf.reason = ses::refuse_reason::kVersionsNotSupported;
    std::vector<uint8_t> out;
    if (assoc::SessionRefuse(wire_, rf, &out).ok()) co_await RefuseAndClose(std::move(out));
    log::Info("ftam.refused", {{"session", session_id_}, {"peer", peer_}, {"reason", std::string(sn.status().message())}});
    Shutdown();
    co_return false;
  }
  wire_.session_version = sn->version;
  if (cn.called_session_selector) ac.called_session_selector = cn.called_session_selector;

  // Presentation CP (X.226 §8.2) and ACSE AARQ (X.227 §9).
  auto cp = pres::DecodeConnect(cn.user_data, cfg_.ber);
  pres::RefusePpdu cpr;
  if (!cp.ok() || cp->mode != pres::kModeNormal) {
    cpr.provider_reason = pres::kRefuseNotSpecified;
    std::vector<uint8_t> out;
    (void)assoc::Refuse(wire_, rf, cpr, std::nullopt, std::nullopt, &out);
    log::Info("ftam.refused", {{"session", session_id_}, {"peer", peer_},
                               {"reason", cp.ok() ? "X.410 mode" : std::string(cp.status().message())}});
    co_await RefuseAndClose(std::move(out));
    co_return false;
  }
  auto results = contexts_.Respond(cp->context_definitions, Supported);
  cpr.context_results = results;
  auto acse_ctx = contexts_.IdFor(pres::kAcseAbstractSyntax);
  auto ftam_pci = contexts_.IdFor(tools::kFtamPciAbstractSyntax);
  for (const auto& e : contexts_.entries())
    wire_.contexts.push_back({e.id, pres::kBasicEncoding});
  if (!acse_ctx || !ftam_pci || !cp->user_data || cp->user_data->simply_encoded || cp->user_data->pdvs.empty()) {
    cpr.provider_reason = pres::kUserDataNotReadable;
    std::vector<uint8_t> out;
    (void)assoc::Refuse(wire_, rf, cpr, std::nullopt, std::nullopt, &out);
    log::Info("ftam.refused", {{"session", session_id_}, {"peer", peer_},
                               {"reason", "no ACSE or FTAM PCI context, or no AARQ"}});
    co_await RefuseAndClose(std::move(out));
    co_return false;
  }
  wire_.acse_ctx = *acse_ctx;
  wire_.ftam_ctx = *ftam_pci;
  std::vector<Bytes> values;
  std::string scratch;
  std::optional<acse::Aarq> aarq;
  if (pres::PdvValues(cp->user_data->pdvs[0], &values, &scratch, cfg_.ber).ok() && values.size() == 1) {
    auto a = acse::DecodeApdu(values[0], cfg_.ber);
    if (a.ok() && std::holds_alternative<acse::Aarq>(*a)) aarq = std::get<acse::Aarq>(*a);
  }
  if (!aarq) {
    cpr.provider_reason = pres::kUserDataNotReadable;
    std::vector<uint8_t> out;
    (void)assoc::Refuse(wire_, rf, cpr, std::nullopt, std::nullopt, &out);
    co_await RefuseAndClose(std::move(out));
    co_return false;
  }
  acse::Aare aare;
  aare.application_context_name = aarq->application_context_name;
  auto refuse_acse = [&](int64_t diag, std::optional<FInitializeResponse> f) -> std::vector<uint8_t> {
    aare.result = acse::kRejectedPermanent;
    aare.result_source_diagnostic = {acse::kServiceUser, diag};
    std::vector<uint8_t> out;
    std::optional<Pdu> fp;
    if (f) fp = Pdu(std::move(*f));
    (void)assoc::Refuse(wire_, rf, cpr, aare, fp, &out);
    return out;
  };
  if (!(aarq->application_context_name == acse::kFtamApplicationContext)) {
    log::Info("ftam.refused", {{"session", session_id_}, {"peer", peer_},
                               {"reason", "application context " + aarq->application_context_name.ToString()}});
    co_await RefuseAndClose(refuse_acse(acse::kApplicationContextNameNotSupported, std::nullopt));
    co_return false;
  }
  // F-INITIALIZE-request: the EXTERNAL naming the FTAM PCI context (notes §5).
  std::optional<FInitializeRequest> init;
  for (const auto& x : aarq->user_information) {
    if (x.encoding != acse::ExternalEncoding::kSingleAsn1Type) continue;
    if (x.indirect_reference) {
      const auto* e = contexts_.Find(*x.indirect_reference);
      if (!e || !(e->abstract_syntax == tools::kFtamPciAbstractSyntax)) continue;
      wire_.ftam_ctx = *x.indirect_reference;
    }
    auto p = DecodePdu(x.data, cfg_.ber);
    if (p.ok() && std::holds_alternative<FInitializeRequest>(*p)) init = std::get<FInitializeRequest>(*p);
    break;
  }
  if (!init) {
    FInitializeResponse f;
    f.state_result = kStateFailure;
    f.action_result = kPermanentError;
    f.functional_units = NamedBits();
    f.ftam_quality_of_service = 0;
    f.diagnostic = MakeDiagnostic(kPermanent, error_id::kProtocolError, "no F-INITIALIZE-request in the AARQ",
                                  kRespondingFileProtocolMachine);
    co_await RefuseAndClose(refuse_acse(acse::kNoReasonGiven, f));
    co_return false;
  }
  metrics::Registry::Global().Add("gw_ftam_pdus_total", {{"pdu", "F-INITIALIZE-request"}, {"direction", "in"}}, 1);
  auto outcome = NegotiateInitialize(*init, contexts_);
  for (int64_t id : outcome.unused_contexts) contexts_.MarkUserRejected(id, &results);
  cpr.context_results = results;
  user_ = init->initiator_identity.value_or("");
  if (!outcome.ok) {
    metrics::Registry::Global().Add(
        "gw_ftam_diagnostics_total",
        {{"id", std::to_string(outcome.response.diagnostic->front().error_identifier.value_or(0))}}, 1);
    log::Info("ftam.refused", {{"session", session_id_}, {"peer", peer_}, {"user", log::Sanitize(user_)},
                               {"reason", outcome.response.diagnostic->front().further_details.value_or("")}});
    co_await RefuseAndClose(refuse_acse(acse::kNoReasonGiven, outcome.response));
    co_return false;
  }
  ftam_ = outcome.negotiated;

  // The bridge: open the neutral session and log in (RFC 1415 §4.2, §11: the identity and
  // the filestore password are passed through, never logged).
  v1::OpenSession open;
  open.set_protocol(v1::PROTOCOL_FTAM);
  open.set_peer_address(peer_);
  open.set_session_id(session_id_);
  bool login_ok = false;
  Diagnostic refusal;
  if (!co_await bridge_.Open(std::move(open))) {
    refusal = MakeDiagnostic(kTransient, error_id::kResponderError,
                             "the gateway cannot reach its core service: " + bridge_.error());
  } else {
    bridge_open_ = true;
    v1::Operation op;
    op.mutable_login()->set_user(user_);
    // The address the initiator called, at every layer: it may name the destination.
    v1::FtamAddress* called = op.mutable_login()->mutable_called();
    if (aarq->called_ap_title && aarq->called_ap_title->form2) called->set_ap_title(aarq->called_ap_title->form2->ToString());
    if (aarq->called_ae_qualifier && aarq->called_ae_qualifier->form2)
      called->set_ae_qualifier(*aarq->called_ae_qualifier->form2);
    if (cp->called_selector) called->set_psel(*cp->called_selector);
    if (cn.called_session_selector) called->set_ssel(*cn.called_session_selector);
    if (cr.called_tsap) called->set_tsel(*cr.called_tsap);
    if (init->filestore_password) op.mutable_login()->set_password(init->filestore_password->value);
    if (init->account) op.mutable_login()->set_account(*init->account);
    auto r = co_await bridge_.Call(std::move(op));
    if (!r) {
      bridge_lost_ = true;
      refusal = MakeDiagnostic(kTransient, error_id::kResponderError, "the gateway lost its core service");
    } else if (r->result().code() == v1::STATUS_OK) {
      login_ok = true;
    } else if (r->result().code() == v1::STATUS_NOT_LOGGED_IN || r->result().code() == v1::STATUS_NO_ROUTE) {
      refusal = LoginRefused();
    } else {
      refusal = DiagnosticOf(r->result(), error_id::kResponderError);
    }
  }
  auto& m = metrics::Registry::Global();
  if (!login_ok) {
    FInitializeResponse f = outcome.response;
    f.state_result = kStateFailure;
    f.action_result = kPermanentError;
    f.diagnostic = refusal;
    m.Add("gw_ftam_associations_total", {{"result", "refused"}}, 1);
    m.Add("gw_ftam_diagnostics_total", {{"id", std::to_string(refusal.front().error_identifier.value_or(0))}}, 1);
    log::Warn("ftam.login_failed", {{"session", session_id_}, {"peer", peer_}, {"user", log::Sanitize(user_)},
                                    {"diagnostic", refusal.front().error_identifier.value_or(0)}});
    co_await RefuseAndClose(refuse_acse(acse::kNoReasonGiven, f));
    co_return false;
  }
  aare.result = acse::kAccepted;
  aare.result_source_diagnostic = {acse::kServiceUser, acse::kNull};
  pres::AcceptPpdu cpa;
  cpa.context_results = results;
  std::vector<uint8_t> out;
  if (auto s = assoc::Accept(wire_, ac, cpa, aare, Pdu(outcome.response), &out); !s.ok()) co_return false;
  if (!co_await Send(std::move(out))) co_return false;
  m.Add("gw_ftam_associations_total", {{"result", "accepted"}}, 1);
  m.Add("gw_ftam_pdus_total", {{"pdu", "F-INITIALIZE-response"}, {"direction", "out"}}, 1);
  log::Info("ftam.associated", {{"session", session_id_}, {"peer", peer_}, {"user", log::Sanitize(user_)},
                                {"tpdu_size", static_cast<uint64_t>(wire_.tpdu_size)},
                                {"session_version", static_cast<int>(wire_.session_version)},
                                {"service_class", ftam_.service_class},
                                {"called_tsap", Hex(cr.called_tsap.value_or(""))}});
  co_return true;
}

// The reader coroutine of the data phase: TPDUs -> TSDUs -> indications, queued.
asio::awaitable<void> Association::ReaderLoop() {
  // A failure of our own while reading (an exception) ends the association like a protocol
  // error, with a diagnostic, and never leaves the association loop waiting for a reader
  // that is gone.
  std::exception_ptr failed;
  try {
    co_await ReadIndications();
  } catch (...) {
    failed = std::current_exception();
  }
  if (failed) {
    log::Error("ftam.internal_error", {{"session", session_id_}, {"peer", peer_}, {"in", "reader"},
                                       {"error", log::Describe(failed)}});
    (void)co_await inbox_->async_send(boost::system::error_code{},
                                      Indication(assoc::ProtocolError{absl::InternalError("internal error")}), kTuple);
  }
  reader_running_ = false;
  reader_done_->try_send(boost::system::error_code{});
}

asio::awaitable<void> Association::ReadIndications() {
  assoc::InboundLimits limits;
  limits.ber = cfg_.ber;
  limits.max_ssdu = cfg_.max_tsdu;
  assoc::DataPhaseDecoder decoder(&contexts_, wire_.ftam_ctx, wire_.acse_ctx, limits);
  std::vector<Indication> batch;
  // A TSDU sent in segments must be whole within the data timeout: a peer trickling one
  // segment after another (each within the idle timeout) cannot hold the association.
  std::chrono::steady_clock::time_point tsdu_deadline{};
  for (;;) {
    batch.clear();
    auto timeout = std::chrono::steady_clock::duration(read_timeout_);
    const bool partial = tsdu_.in_progress();
    if (partial)
      timeout = std::clamp(tsdu_deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero(),
                           timeout);
    auto tpdu = co_await conn_.ReadTpdu(timeout);
    if (!tpdu.ok()) {
      if (absl::IsDeadlineExceeded(tpdu.status()))
        batch.push_back(assoc::ProtocolError{absl::DeadlineExceededError(
            partial ? "a TSDU sent in segments was not completed in time" : "the initiator was idle too long")});
      else if (absl::IsInvalidArgument(tpdu.status()))
        batch.push_back(assoc::ProtocolError{absl::InvalidArgumentError(absl::StrCat("TPKT: ", tpdu.status().message()))});
      else
        batch.push_back(assoc::AbortIndication{std::nullopt, true, "the transport connection was lost"});
    } else if (auto t = tp::DecodeTpdu(*tpdu); !t.ok()) {
      batch.push_back(assoc::ProtocolError{absl::InvalidArgumentError(absl::StrCat("COTP: ", t.status().message()))});
    } else if (auto* d = std::get_if<tp::DataTpdu>(&*t)) {
      auto whole = tsdu_.Add(*d);
      if (!partial && tsdu_.in_progress()) tsdu_deadline = std::chrono::steady_clock::now() + cfg_.data_timeout;
      if (!whole.ok()) batch.push_back(assoc::ProtocolError{whole.status()});
      else if (whole->has_value()) decoder.OnTsdu(**whole, &batch);
    } else if (std::holds_alternative<tp::DisconnectTpdu>(*t)) {
      batch.push_back(assoc::AbortIndication{std::nullopt, true, "the initiator disconnected (DR)"});
    } else {
      batch.push_back(assoc::ProtocolError{absl::InvalidArgumentError(absl::StrCat("COTP: unexpected ", tp::TpduName(*t)))});
    }
    bool end = false;
    for (auto& ind : batch) {
      // After a release request the initiator still sends its DR (or closes): keep reading.
      end = end || std::holds_alternative<assoc::AbortIndication>(ind) || std::holds_alternative<assoc::ProtocolError>(ind);
      auto [ec] = co_await inbox_->async_send(boost::system::error_code{}, std::move(ind), kTuple);
      if (ec) end = true;
      if (end) break;
    }
    if (end) break;
  }
}

asio::awaitable<std::optional<Indication>> Association::NextIndication() {
  auto [ec, ind] = co_await inbox_->async_receive(kTuple);
  if (ec) co_return std::nullopt;
  co_return std::move(ind);
}

std::optional<Indication> Association::PollIndication() {
  std::optional<Indication> out;
  inbox_->try_receive([&out](boost::system::error_code ec, Indication ind) {
    if (!ec) out = std::move(ind);
  });
  return out;
}

asio::awaitable<void> Association::ProviderAbort(int64_t id, std::string details) {
  log::Warn("ftam.provider_abort", {{"session", session_id_}, {"peer", peer_}, {"diagnostic", id},
                                    {"details", log::Sanitize(details)}});
  metrics::Registry::Global().Add("gw_ftam_diagnostics_total", {{"id", std::to_string(id)}}, 1);
  FPAbortRequest a;
  a.action_result = kPermanentError;
  a.diagnostic = MakeDiagnostic(kPermanent, id, std::move(details), kRespondingFileProtocolMachine);
  std::vector<uint8_t> out;
  if (assoc::UserAbort(wire_, Pdu(std::move(a)), acse::kAbortServiceProvider, &out).ok())
    (void)co_await conn_.Write(Bytes(out), cfg_.release_timeout);
  Shutdown();
}

asio::awaitable<Next> Association::Release(const assoc::ReleaseIndication& r) {
  if (!r.pdu || !std::holds_alternative<FTerminateRequest>(*r.pdu)) {
    co_await ProviderAbort(error_id::kProtocolError, "release without F-TERMINATE-request");
    co_return Next::kEnd;
  }
  metrics::Registry::Global().Add("gw_ftam_pdus_total", {{"pdu", "F-TERMINATE-request"}, {"direction", "in"}}, 1);
  if (selection_) co_await Deselect(nullptr);
  std::vector<uint8_t> out;
  if (assoc::ReleaseResponse(wire_, Pdu(FTerminateResponse{}), &out).ok()) {
    metrics::Registry::Global().Add("gw_ftam_pdus_total", {{"pdu", "F-TERMINATE-response"}, {"direction", "out"}}, 1);
    if (co_await Send(std::move(out))) {
      // The FN sender disconnects after DN (notes §3.7): wait for its DR or close.
      read_timeout_ = cfg_.release_timeout;
      (void)co_await NextIndication();
    }
  }
  co_return Next::kEnd;
}

asio::awaitable<void> Association::Loop() {
  for (;;) {
    read_timeout_ = (selection_ || open_) ? cfg_.data_timeout + cfg_.idle_timeout : cfg_.idle_timeout;
    auto ind = co_await NextIndication();
    if (!ind) break;
    if (auto* f = std::get_if<assoc::FtamPdus>(&*ind)) {
      const Next next = co_await OnPdus(std::move(f->pdus));
      if (bridge_lost_ && !conn_.closed()) {
        // RFC 1415 §5: the other leg is gone; the association cannot go on.
        co_await ProviderAbort(error_id::kLowerLayerFailure, "the gateway lost its connection to the destination");
        break;
      }
      if (next == Next::kEnd) break;
    } else if (std::holds_alternative<assoc::DataValues>(*ind)) {
      co_await ProviderAbort(error_id::kProtocolError, "document data outside a write");
      break;
    } else if (auto* rel = std::get_if<assoc::ReleaseIndication>(&*ind)) {
      co_await Release(*rel);
      break;
    } else if (auto* ab = std::get_if<assoc::AbortIndication>(&*ind)) {
      log::Info("ftam.aborted", {{"session", session_id_}, {"peer", peer_}, {"why", ab->why}});
      Shutdown();
      break;
    } else if (auto* pe = std::get_if<assoc::ProtocolError>(&*ind)) {
      int64_t id = absl::IsDeadlineExceeded(pe->status) ? error_id::kTimeout
                   : absl::IsInternal(pe->status)       ? error_id::kResponderError
                                                        : error_id::kProtocolError;
      co_await ProviderAbort(id, std::string(pe->status.message()));
      break;
    } else {
      co_await ProviderAbort(error_id::kProtocolError, "unexpected release response");
      break;
    }
  }
}

asio::awaitable<void> Association::Run() {
  auto& m = metrics::Registry::Global();
  m.Add("gw_ftam_associations_active", {}, 1);
  const auto t0 = std::chrono::steady_clock::now();
  bool associated = false;
  // A failure of our own (an exception) ends this association with a diagnostic, and only
  // after the coroutines that use it (the reader, a bridge watcher) have ended.
  std::exception_ptr failed;
  try {
    if (co_await Establish()) {
      auto ex = co_await asio::this_coro::executor;
      inbox_ = std::make_unique<Channel>(ex, 4);
      reader_done_ = std::make_unique<asio::experimental::channel<void(boost::system::error_code)>>(ex, 1);
      reader_running_ = true;
      read_timeout_ = cfg_.idle_timeout;
      associated = true;
      asio::co_spawn(ex, ReaderLoop(), asio::detached);
      co_await Loop();
    }
  } catch (...) {
    failed = std::current_exception();
  }
  if (failed) {
    log::Error("ftam.internal_error", {{"session", session_id_}, {"peer", peer_}, {"error", log::Describe(failed)}});
    bridge_lost_ = true;  // what the bridge session was doing is unknown: it is cancelled
    if (associated && !conn_.closed()) {
      try {
        co_await ProviderAbort(error_id::kResponderError, "internal error");
      } catch (...) {
      }
    }
  }
  Shutdown();
  if (associated) {
    inbox_->cancel();  // a reader blocked on a full inbox gives up
    inbox_->close();
    if (reader_running_) (void)co_await reader_done_->async_receive(kTuple);
  }
  if (bridge_open_) {
    if (bridge_lost_ || watching_) co_await bridge_.Cancel();
    else co_await bridge_.Close();
  }
  // A watcher still reading the bridge session ends with it; it must not outlive us.
  if (watching_) (void)co_await watch_->async_receive(kTuple);
  m.Add("gw_ftam_associations_active", {}, -1);
  log::Info("ftam.disconnect", {{"session", session_id_}, {"peer", peer_},
                                {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}});
}

asio::awaitable<std::optional<v1::OperationResult>> Association::Call(v1::Operation op) {
  auto r = co_await bridge_.Call(std::move(op));
  if (!r) bridge_lost_ = true;
  co_return r;
}

asio::awaitable<void> Serve(assoc::Connection& conn, BridgeLink& bridge, const Config& cfg, std::string session_id,
                            std::string peer) {
  Association a(conn, bridge, cfg, std::move(session_id), std::move(peer));
  co_await a.Run();
}

}  // namespace gw::ftam::responder
