#include "ftam/initiator/initiator.h"

#include <chrono>
#include <ctime>
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "absl/strings/str_cat.h"
#include "ftam/doctype/data_value.h"
#include "ftam/doctype/document_types.h"
#include "ftam/pdu/diagnostics.h"
#include "ftam/pdu/print.h"
#include "osi/session/negotiation.h"
#include "osi/transport/cotp.h"
#include "osi/transport/tpkt.h"

namespace gw::ftam::initiator {

namespace asio = boost::asio;
namespace assoc = osi::association;
namespace pres = osi::presentation;
namespace ses = osi::session;
namespace tp = osi::transport;
namespace acse = osi::acse;
namespace dt = doctype;
using asio::awaitable;
using osi::Bytes;
using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr Oid kFtamPci{1, 0, 8571, 2, 1};
// The contexts ISODE's initiator proposes (interop/README), ids and order alike: FTAM PCI,
// FTAM-3, FTAM-1, NBS-9, the old NBS-9 (a responder may reject it), ACSE. Without the old
// NBS-9 the ACSE context takes its id.
constexpr int64_t kCtxFtam = 1, kCtxBinary = 3, kCtxText = 5, kCtxNbs9 = 7, kCtxNbs9Old = 9;

constexpr absl::string_view kDiagnosticPayload = "gw.ftam.diagnostic";
constexpr absl::string_view kLostPayload = "gw.ftam.lost";

std::vector<pres::ContextDefinition> Contexts(bool old_nbs9) {
  std::vector<pres::ContextDefinition> c = {{kCtxFtam, kFtamPci, {pres::kBasicEncoding}},
                                            {kCtxBinary, dt::kUnstructuredBinaryAbstractSyntax, {pres::kBasicEncoding}},
                                            {kCtxText, dt::kUnstructuredTextAbstractSyntax, {pres::kBasicEncoding}},
                                            {kCtxNbs9, dt::kNbs9AbstractSyntax, {pres::kBasicEncoding}}};
  if (old_nbs9) c.push_back({kCtxNbs9Old, dt::kNbs9OldAbstractSyntax, {pres::kBasicEncoding}});
  c.push_back({old_nbs9 ? kCtxNbs9Old + 2 : kCtxNbs9Old, pres::kAcseAbstractSyntax, {pres::kBasicEncoding}});
  return c;
}

absl::StatusCode CodeFor(const DiagnosticEntry& d) {
  switch (d.error_identifier.value_or(0)) {
    case error_id::kFilenameNotFound:
    case error_id::kNonexistentFile:
    case error_id::kAttributeNonExistent: return absl::StatusCode::kNotFound;
    case error_id::kFileAlreadyExists: return absl::StatusCode::kAlreadyExists;
    case error_id::kInvalidFilestorePassword:
    case error_id::kIdentityUnacceptable:
    case error_id::kAssociationWithUserNotAllowed:
    case error_id::kBadAccount:
    case error_id::kAssociationManagementBadAccount: return absl::StatusCode::kUnauthenticated;
    case error_id::kManagementSecurityNotPassed:
    case error_id::kAccessRequestViolatesVfsSecurity:
    case error_id::kAccessRequestViolatesLocalSecurity:
    case error_id::kAccessViolatesPermittedActions:
    case error_id::kFileCannotBeDeleted:
    case error_id::kFileCannotBeCreated: return absl::StatusCode::kPermissionDenied;
    case error_id::kSpaceExhausted: return absl::StatusCode::kResourceExhausted;
    case error_id::kLowerLayerFailure:
    case error_id::kTimeout:
    case error_id::kSystemShutdown:
    case error_id::kSystemShutdownProtocol: return absl::StatusCode::kUnavailable;
    default: break;
  }
  return d.diagnostic_type.value_or(kPermanent) == kTransient ? absl::StatusCode::kUnavailable
                                                              : absl::StatusCode::kFailedPrecondition;
}

// A failure the responder reported: the status carries its first diagnostic entry.
absl::Status FromDiagnostic(const std::optional<Diagnostic>& diag, std::string_view what) {
  DiagnosticEntry d;
  if (diag && !diag->empty()) d = diag->front();
  else d.error_identifier = error_id::kNoReason;
  std::string text = d.further_details.value_or("");
  if (text.empty()) {
    const char* name = ErrorIdentifierName(d.error_identifier.value_or(0));
    text = absl::StrCat(std::string(what), ": ", name ? name : "failed", " (", d.error_identifier.value_or(0), ")");
  }
  absl::Status s(CodeFor(d), text);
  s.SetPayload(kDiagnosticPayload,
               absl::Cord(absl::StrCat(d.diagnostic_type.value_or(kPermanent), ",", d.error_identifier.value_or(0), ",",
                                       d.error_observer.value_or(kRespondingFileProtocolMachine), ",",
                                       d.error_source.value_or(kRespondingFileServiceUser))));
  return s;
}

absl::Status LostStatus(std::string text, int64_t id = error_id::kLowerLayerFailure) {
  Diagnostic d{DiagnosticEntry{}};
  d[0].diagnostic_type = kPermanent;
  d[0].error_identifier = id;
  d[0].error_observer = kInitiatingFileProtocolMachine;
  d[0].error_source = kServiceSupportingTheFileProtocolMachine;
  d[0].further_details = std::move(text);
  absl::Status s = FromDiagnostic(d, "association");
  s = absl::UnavailableError(s.message());
  s.SetPayload(kDiagnosticPayload, absl::Cord(absl::StrCat(kPermanent, ",", id, ",", kInitiatingFileProtocolMachine, ",",
                                                            kServiceSupportingTheFileProtocolMachine)));
  s.SetPayload(kLostPayload, absl::Cord("1"));
  return s;
}

// action-result / state-result of a response, and its diagnostic.
template <typename T>
std::optional<absl::Status> FailureOf(const T& r, std::string_view what) {
  int64_t action = 0, state = 0;
  if constexpr (requires { r.action_result; }) action = r.action_result.value_or(0);
  if constexpr (requires { r.state_result; }) state = r.state_result.value_or(0);
  if (action == kSuccess && state == kStateSuccess) return std::nullopt;
  std::optional<Diagnostic> d;
  if constexpr (requires { r.diagnostic; }) d = r.diagnostic;
  return FromDiagnostic(d, what);
}

std::optional<absl::Status> FailureOfPdu(const Pdu& p) {
  return std::visit([](const auto& r) { return FailureOf(r, std::remove_cvref_t<decltype(r)>::kName); }, p);
}

Pathname PathOf(const std::string& path) {
  // FTAM names are single strings here; the responder's own syntax (e.g. "dir/file").
  return Pathname{path};
}

Attributes Named(const std::string& path) {
  Attributes a;
  a.pathname = PathOf(path);
  return a;
}

ContentsType ContentsFor(bool text) {
  return text ? dt::Ftam1ContentsType({27, std::nullopt, dt::kNotSignificant})
              : dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant});
}

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%y%m%d%H%M%SZ", &tm);
  return buf;
}

}  // namespace

std::optional<DiagnosticEntry> DiagnosticOf(const absl::Status& s) {
  auto p = s.GetPayload(kDiagnosticPayload);
  if (!p) return std::nullopt;
  std::string v(*p);
  int64_t f[4] = {0, 0, 0, 0};
  size_t i = 0, pos = 0;
  while (i < 4 && pos <= v.size()) {
    size_t comma = v.find(',', pos);
    std::string part = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    f[i++] = std::strtoll(part.c_str(), nullptr, 10);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  DiagnosticEntry d;
  d.diagnostic_type = f[0];
  d.error_identifier = f[1];
  d.error_observer = f[2];
  d.error_source = f[3];
  d.further_details = std::string(s.message());
  return d;
}

bool Lost(const absl::Status& s) { return s.GetPayload(kLostPayload).has_value(); }

Initiator::Initiator(asio::any_io_executor ex, Options o) : ex_(std::move(ex)), opt_(std::move(o)) {}

Initiator::~Initiator() { Close(); }

void Initiator::Close() {
  if (conn_ && !conn_->closed()) conn_->Close();
  associated_ = false;
  transfer_ = Transfer::kNone;
}

absl::Status Initiator::Fail(absl::Status s) {
  if (!Lost(s)) s = LostStatus(std::string(s.message()));
  Close();
  return s;
}

void Initiator::Trace(std::string_view dir, const Pdu& p) {
  if (opt_.trace) opt_.trace(absl::StrCat(std::string(dir), " ", PduName(p)));
}

awaitable<absl::Status> Initiator::Send(const std::vector<uint8_t>& bytes, std::chrono::seconds timeout) {
  if (!conn_ || conn_->closed()) co_return LostStatus("the connection to the responder is closed");
  auto s = co_await conn_->Write(Bytes(bytes), timeout);
  if (!s.ok()) co_return Fail(LostStatus("sending to the responder failed: " + std::string(s.message())));
  co_return absl::OkStatus();
}

awaitable<absl::Status> Initiator::SendPdus(const std::vector<Pdu>& pdus) {
  for (const auto& p : pdus) Trace("->", p);
  std::vector<uint8_t> out;
  if (auto s = assoc::FtamData(wire_, pdus, &out); !s.ok()) co_return absl::InternalError(s.message());
  co_return co_await Send(out, opt_.reply_timeout);
}

awaitable<absl::StatusOr<Bytes>> Initiator::ReadTsdu(std::chrono::seconds timeout) {
  for (;;) {
    if (!conn_ || conn_->closed()) co_return LostStatus("the connection to the responder is closed");
    auto tpdu = co_await conn_->ReadTpdu(timeout);
    if (!tpdu.ok()) {
      if (tpdu.status().code() == absl::StatusCode::kDeadlineExceeded)
        co_return Fail(LostStatus("the responder did not answer in time", error_id::kTimeout));
      co_return Fail(LostStatus("the responder closed the connection"));
    }
    auto t = tp::DecodeTpdu(*tpdu);
    if (!t.ok()) co_return Fail(LostStatus("malformed TPDU from the responder"));
    if (auto* d = std::get_if<tp::DisconnectTpdu>(&*t))
      co_return Fail(LostStatus(absl::StrCat("the responder disconnected (transport reason ", d->reason, ")")));
    auto* dtpdu = std::get_if<tp::DataTpdu>(&*t);
    if (!dtpdu) co_return Fail(LostStatus("unexpected TPDU from the responder"));
    auto whole = tsdu_->Add(*dtpdu);
    if (!whole.ok()) co_return Fail(LostStatus("the responder sent too large a TSDU"));
    if (whole->has_value()) co_return **whole;
  }
}

awaitable<absl::Status> Initiator::Associate(const Address& a, const std::string& user, const std::string& password,
                                             const std::string& account) {
  bool refused = false;
  auto s = co_await Connect(a, ses::kVersion2, user, password, account, &refused);
  if (!s.ok() && refused) {
    // Session version 1 fallback (ISO 8327-1 §7.1.1): a responder that refused version 2.
    if (opt_.trace) opt_.trace("session version 2 refused: trying version 1");
    s = co_await Connect(a, ses::kVersion1, user, password, account, &refused);
  }
  co_return s;
}

// Forgets any earlier association: a new one starts from nothing.
void Initiator::Reset(const Address& a) {
  Close();
  conn_.reset();
  pending_.clear();
  contexts_ = pres::ContextTable();
  wire_ = assoc::Wire();
  granted_ = Granted();
  tsdu_ = std::make_unique<tp::TsduReassembler>(opt_.max_tsdu);
  peer_ = a.host + ":" + std::to_string(a.port);
}

awaitable<absl::Status> Initiator::Connect(const Address& a, uint8_t versions, const std::string& user,
                                           const std::string& password, const std::string& account,
                                           bool* version_refused) {
  *version_refused = false;
  Reset(a);

  // TCP (RFC 1006: port 102 unless told otherwise), within the connect timeout.
  asio::ip::tcp::resolver resolver(ex_);
  asio::steady_timer timer(ex_);
  timer.expires_after(opt_.connect_timeout);
  auto resolved = co_await (resolver.async_resolve(a.host, std::to_string(a.port), kTuple) || timer.async_wait(kTuple));
  if (resolved.index() != 0) co_return absl::UnavailableError("cannot resolve " + a.host + ": timed out");
  auto [rerr, endpoints] = std::get<0>(resolved);
  if (rerr) co_return absl::UnavailableError("cannot resolve " + a.host + ": " + rerr.message());
  asio::ip::tcp::socket sock(ex_);
  auto connected = co_await (asio::async_connect(sock, endpoints, kTuple) || timer.async_wait(kTuple));
  if (connected.index() != 0) co_return absl::UnavailableError("cannot connect to " + peer_ + ": timed out");
  if (auto [cerr, ep] = std::get<0>(connected); cerr)
    co_return absl::UnavailableError("cannot connect to " + peer_ + ": " + cerr.message());
  boost::system::error_code ignored;
  sock.set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return co_await Handshake(std::move(sock), a, versions, user, password, account, version_refused);
}

awaitable<absl::Status> Initiator::AssociateOver(assoc::Stream stream, const Address& a, const std::string& user,
                                                 const std::string& password, const std::string& account) {
  bool refused = false;
  Reset(a);
  co_return co_await Handshake(std::move(stream), a, ses::kVersion2, user, password, account, &refused);
}

awaitable<absl::Status> Initiator::Handshake(assoc::Stream stream, const Address& a, uint8_t versions,
                                             const std::string& user, const std::string& password,
                                             const std::string& account, bool* version_refused) {
  conn_ = std::make_unique<assoc::Connection>(std::move(stream), tp::kTpktMaxPacket);
  const auto deadline = std::chrono::steady_clock::now() + opt_.connect_timeout;
  auto left = [&] {
    auto d = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
    return std::max(d, std::chrono::seconds(1));
  };

  // COTP CR: 2048-octet TPDUs as ISODE asks, and the preferred maximum (ISO 8073 §13.3.4 c,
  // ignored by responders that do not know it) for RFC 1006's larger ones.
  // The source reference only has to differ between connections: a generator seeded once
  // per thread (seeding one per association read the system's entropy and filled 2.5 KB).
  static thread_local std::mt19937 rng{std::random_device{}()};
  tp::ConnectTpdu cr;
  cr.src_ref = static_cast<uint16_t>(1 + rng() % 0xfffe);
  if (!a.tsel.empty()) cr.called_tsap = a.tsel;
  if (!opt_.calling_tsel.empty()) cr.calling_tsap = opt_.calling_tsel;
  cr.tpdu_size = tp::kTpduSize2048;
  if (opt_.max_tpdu > 2048) cr.preferred_max_tpdu_size = static_cast<uint32_t>(std::min<size_t>(opt_.max_tpdu, 65531) / 128);
  wire_.local_ref = cr.src_ref;
  if (auto s = co_await Send(assoc::ConnectConfirm(cr), left()); !s.ok()) co_return s;
  {
    auto tpdu = co_await conn_->ReadTpdu(left());
    if (!tpdu.ok()) co_return Fail(LostStatus("no transport connection confirm from " + peer_));
    auto t = tp::DecodeTpdu(*tpdu);
    if (!t.ok()) co_return Fail(LostStatus("malformed transport reply from " + peer_));
    if (auto* dr = std::get_if<tp::DisconnectTpdu>(&*t))
      co_return Fail(LostStatus(absl::StrCat("the transport connection was refused by ", peer_, " (reason ", dr->reason,
                                             a.tsel.empty() ? ")" : ": is the transport selector right?)"),
                                error_id::kLowerLayerAddressingError));
    auto* cc = std::get_if<tp::ConnectTpdu>(&*t);
    if (!cc || !cc->confirm) co_return Fail(LostStatus("unexpected transport reply from " + peer_));
    wire_.peer_ref = cc->src_ref;
    if (cc->preferred_max_tpdu_size && cr.preferred_max_tpdu_size)
      wire_.tpdu_size = std::clamp<size_t>(size_t{*cc->preferred_max_tpdu_size} * 128, 128, 65531);
    else
      wire_.tpdu_size = std::min<size_t>(tp::TpduSizeOctets(cc->tpdu_size.value_or(tp::kTpduSize128)), 2048);
  }

  // CN{CP{AARQ{F-INITIALIZE-request}}}.
  auto defs = Contexts(opt_.propose_old_nbs9);
  wire_.acse_ctx = defs.back().id;
  wire_.ftam_ctx = kCtxFtam;
  wire_.session_version = versions == ses::kVersion1 ? ses::kVersion1 : ses::kVersion2;
  for (const auto& c : defs) wire_.contexts.push_back({c.id, pres::kBasicEncoding});
  (void)contexts_.Propose(defs);
  ses::ConnectSpdu cn;
  cn.connection_identifier = ses::ConnectionIdentifier{};
  cn.connection_identifier->calling_ss_user_reference = "ftam-front";
  cn.connection_identifier->common_reference = UtcNow();
  cn.protocol_options = 0;
  cn.version_number = versions;
  cn.session_user_requirements = ses::requirement::kDuplex;
  if (!a.ssel.empty()) cn.called_session_selector = a.ssel;
  pres::ConnectPpdu cp;
  if (!a.psel.empty()) cp.called_selector = a.psel;
  cp.context_definitions = defs;
  acse::Aarq aarq;
  if (a.ap_title) aarq.called_ap_title = acse::ApTitle{*a.ap_title, {}};
  if (a.ae_qualifier) aarq.called_ae_qualifier = acse::AeQualifier{*a.ae_qualifier, {}};
  FInitializeRequest init;
  init.service_class = NamedBits::Of({service_class::kManagement, service_class::kTransfer,
                                      service_class::kTransferAndManagement});
  init.functional_units = NamedBits::Of({functional_unit::kRead, functional_unit::kWrite,
                                         functional_unit::kLimitedFileManagement,
                                         functional_unit::kEnhancedFileManagement, functional_unit::kGrouping});
  init.attribute_groups = NamedBits::Of({attribute_group::kStorage});
  init.ftam_quality_of_service = 0;
  init.contents_type_list = ContentsTypeList{{true, dt::kFtam3DocumentType}, {true, dt::kFtam1DocumentType},
                                             {true, dt::kNbs9DocumentType}};
  if (opt_.propose_old_nbs9) init.contents_type_list->push_back({true, dt::kNbs9OldDocumentType});
  if (!user.empty()) init.initiator_identity = user;
  if (!account.empty()) init.account = account;
  if (!password.empty()) init.filestore_password = Password{password, false};
  if (opt_.trace) opt_.trace("-> F-INITIALIZE-request");
  std::vector<uint8_t> out;
  if (auto s = assoc::Connect(wire_, cn, cp, aarq, Pdu(init), &out); !s.ok()) co_return absl::InternalError(s.message());
  if (auto s = co_await Send(out, left()); !s.ok()) co_return s;

  auto tsdu = co_await ReadTsdu(left());
  if (!tsdu.ok()) co_return tsdu.status();
  auto spdus = ses::DecodeTsdu(*tsdu);
  if (!spdus.ok() || spdus->empty()) co_return Fail(LostStatus("malformed session reply from " + peer_));
  std::optional<FInitializeResponse> rsp;
  std::vector<Bytes> values;
  std::string scratch;
  auto ftam_of = [&](const pres::UserData& ud) -> std::optional<FInitializeResponse> {
    values.clear();
    if (ud.simply_encoded || ud.pdvs.empty() || !pres::PdvValues(ud.pdvs[0], &values, &scratch, opt_.ber).ok() ||
        values.size() != 1)
      return std::nullopt;
    auto apdu = acse::DecodeApdu(values[0], opt_.ber);
    if (!apdu.ok()) return std::nullopt;
    for (const auto& x : acse::UserInformation(*apdu)) {
      if (x.encoding != acse::ExternalEncoding::kSingleAsn1Type) continue;
      auto p = DecodePdu(x.data, opt_.ber);
      if (p.ok() && std::holds_alternative<FInitializeResponse>(*p)) return std::get<FInitializeResponse>(*p);
    }
    return std::nullopt;
  };
  const ses::Spdu& first = (*spdus)[0];
  if (auto* rf = std::get_if<ses::RefuseSpdu>(&first)) {
    Close();
    if (rf->reason && *rf->reason == ses::refuse_reason::kVersionsNotSupported && versions == ses::kVersion2) {
      *version_refused = true;
      co_return absl::UnavailableError("the responder refused session version 2");
    }
    if (!rf->user_data.empty()) {
      auto cpr = pres::DecodeRefuse(rf->user_data, opt_.ber);
      if (cpr.ok() && cpr->user_data) rsp = ftam_of(*cpr->user_data);
    }
    if (rsp) {
      if (opt_.trace) opt_.trace("<- F-INITIALIZE-response (refused)");
      auto f = FailureOf(*rsp, "F-INITIALIZE");
      if (f) co_return *f;
    }
    co_return absl::UnavailableError(absl::StrCat("the responder ", peer_, " refused the association (session reason ",
                                                  rf->reason.value_or(0), ")"));
  }
  auto* ac = std::get_if<ses::AcceptSpdu>(&first);
  if (!ac) {
    co_return Fail(LostStatus(absl::StrCat("the responder answered the connect with ", ses::SpduName(first))));
  }
  auto negotiated = ses::CheckAccept(cn, *ac);
  if (!negotiated.ok()) co_return Fail(LostStatus("session accept: " + std::string(negotiated.status().message())));
  wire_.session_version = negotiated->version;
  auto cpa = pres::DecodeAccept(ac->user_data, opt_.ber);
  if (!cpa.ok() || !cpa->user_data) co_return Fail(LostStatus("malformed presentation accept from " + peer_));
  if (auto s = contexts_.ApplyResults(cpa->context_results); !s.ok())
    co_return Fail(LostStatus("presentation accept: " + std::string(s.message())));
  rsp = ftam_of(*cpa->user_data);
  if (!rsp) co_return Fail(LostStatus("no F-INITIALIZE-response in the responder's accept"));
  if (opt_.trace) opt_.trace("<- F-INITIALIZE-response");
  if (auto f = FailureOf(*rsp, "F-INITIALIZE")) {
    co_await Abort("F-INITIALIZE failed");
    co_return *f;
  }
  if (!contexts_.IdFor(pres::kAcseAbstractSyntax) || !contexts_.IdFor(kFtamPci))
    co_return Fail(LostStatus("the responder did not accept the ACSE and FTAM contexts"));
  NamedBits fu = rsp->functional_units.value_or(NamedBits());
  granted_.read = fu.Test(functional_unit::kRead);
  granted_.write = fu.Test(functional_unit::kWrite);
  granted_.limited_management = fu.Test(functional_unit::kLimitedFileManagement);
  granted_.enhanced_management = fu.Test(functional_unit::kEnhancedFileManagement);
  granted_.grouping = fu.Test(functional_unit::kGrouping);
  granted_.recovery = fu.Test(functional_unit::kRecovery);
  granted_.restart = fu.Test(functional_unit::kRestartDataTransfer);
  granted_.implementation = rsp->implementation_information.value_or("");
  auto offered = [&](const Oid& doc) {
    if (!rsp->contents_type_list) return true;  // absent: as proposed
    for (const auto& e : *rsp->contents_type_list)
      if (e.name == doc) return true;
    return false;
  };
  if (offered(dt::kFtam1DocumentType)) granted_.text_ctx = contexts_.IdFor(dt::kUnstructuredTextAbstractSyntax);
  if (offered(dt::kFtam3DocumentType)) granted_.binary_ctx = contexts_.IdFor(dt::kUnstructuredBinaryAbstractSyntax);
  if (offered(dt::kNbs9DocumentType)) granted_.nbs9_ctx = contexts_.IdFor(dt::kNbs9AbstractSyntax);
  if (!granted_.nbs9_ctx && offered(dt::kNbs9OldDocumentType)) {
    // A responder that only knows the old NBS-9 registration.
    granted_.nbs9_ctx = contexts_.IdFor(dt::kNbs9OldAbstractSyntax);
    granted_.nbs9_old = granted_.nbs9_ctx.has_value();
  }
  assoc::InboundLimits limits;
  limits.ber = opt_.ber;
  limits.max_ssdu = opt_.max_tsdu;
  decoder_ = std::make_unique<assoc::DataPhaseDecoder>(&contexts_, wire_.ftam_ctx, wire_.acse_ctx, limits);
  associated_ = true;
  co_return absl::OkStatus();
}

awaitable<absl::StatusOr<assoc::Indication>> Initiator::Next(std::chrono::seconds timeout) {
  while (pending_.empty()) {
    auto tsdu = co_await ReadTsdu(timeout);
    if (!tsdu.ok()) co_return tsdu.status();
    std::vector<assoc::Indication> got;
    decoder_->OnTsdu(*tsdu, &got);
    for (auto& i : got) pending_.push_back(std::move(i));
  }
  assoc::Indication i = std::move(pending_.front());
  pending_.pop_front();
  co_return i;
}

absl::Status Initiator::HandleUnexpected(const assoc::Indication& i) {
  if (auto* ab = std::get_if<assoc::AbortIndication>(&i)) {
    std::string why = ab->provider ? "the association was aborted by the provider" : "the responder aborted the association";
    if (ab->pdu) {
      if (auto* d = PduDiagnostic(*ab->pdu); d && !d->empty() && d->front().further_details)
        why += ": " + *d->front().further_details;
    }
    if (opt_.trace) opt_.trace("<- abort");
    return Fail(LostStatus(why));
  }
  if (auto* pe = std::get_if<assoc::ProtocolError>(&i))
    return Fail(LostStatus("protocol error from the responder: " + std::string(pe->status.message()),
                           error_id::kProtocolError));
  return Fail(LostStatus("the responder sent something unexpected", error_id::kProtocolError));
}

awaitable<absl::StatusOr<std::vector<Pdu>>> Initiator::NextPdus() {
  auto i = co_await Next(opt_.reply_timeout);
  if (!i.ok()) co_return i.status();
  if (auto* f = std::get_if<assoc::FtamPdus>(&*i)) {
    for (const auto& p : f->pdus) Trace("<-", p);
    co_return std::move(f->pdus);
  }
  co_return HandleUnexpected(*i);
}

awaitable<absl::StatusOr<std::vector<Pdu>>> Initiator::Exchange(std::vector<Pdu> requests) {
  if (!associated_) co_return LostStatus("no FTAM association");
  std::vector<Pdu> responses;
  if (requests.size() > 1 && granted_.grouping) {
    std::vector<Pdu> group;
    group.push_back(FBeginGroupRequest{static_cast<int64_t>(requests.size())});
    for (auto& r : requests) group.push_back(std::move(r));
    group.push_back(FEndGroupRequest{});
    if (auto s = co_await SendPdus(group); !s.ok()) co_return s;
    auto got = co_await NextPdus();
    if (!got.ok()) co_return got.status();
    for (auto& p : *got)
      if (!std::holds_alternative<FBeginGroupResponse>(p) && !std::holds_alternative<FEndGroupResponse>(p))
        responses.push_back(std::move(p));
    co_return responses;
  }
  for (auto& r : requests) {
    if (auto s = co_await SendPdus({r}); !s.ok()) co_return s;
    auto got = co_await NextPdus();
    if (!got.ok()) co_return got.status();
    bool failed = false;
    for (auto& p : *got) {
      failed |= FailureOfPdu(p).has_value();
      responses.push_back(std::move(p));
    }
    if (failed) break;
  }
  co_return responses;
}

namespace {

// The first failed response's status, else OK. `expected` responses must all be there.
absl::Status Outcome(const std::vector<Pdu>& rsp, size_t expected) {
  for (const auto& p : rsp)
    if (auto f = FailureOfPdu(p)) return *f;
  if (rsp.size() < expected) return absl::InternalError("the responder answered only part of the request");
  return absl::OkStatus();
}

// True when a failed exchange left a file selected: its select or create succeeded, and
// neither a deselect nor a delete ended the selection.
bool LeftSelected(const std::vector<Pdu>& rsp) {
  if (rsp.empty() || FailureOfPdu(rsp[0])) return false;
  if (!std::holds_alternative<FSelectResponse>(rsp[0]) && !std::holds_alternative<FCreateResponse>(rsp[0])) return false;
  for (const auto& p : rsp) {
    if (std::holds_alternative<FDeselectResponse>(p)) return false;
    if (std::holds_alternative<FDeleteResponse>(p) && !FailureOfPdu(p)) return false;
  }
  return true;
}

}  // namespace

awaitable<absl::StatusOr<Attributes>> Initiator::ReadAttributes(const std::string& path) {
  FSelectRequest sel;
  sel.attributes = Named(path);
  sel.requested_access = NamedBits::Of({access::kReadAttribute});
  FReadAttribRequest ra;
  ra.attribute_names = NamedBits::Of({attribute_name::kFilename, attribute_name::kPermittedActions,
                                      attribute_name::kContentsType, attribute_name::kDateOfLastModification,
                                      attribute_name::kIdentityOfCreator, attribute_name::kFilesize});
  auto rsp = co_await Exchange({sel, ra, FDeselectRequest{}});
  if (!rsp.ok()) co_return rsp.status();
  std::optional<Attributes> got;
  for (const auto& p : *rsp)
    if (auto* r = std::get_if<FReadAttribResponse>(&p); r && r->attributes) got = r->attributes;
  // A failed select leaves nothing selected; a failed read-attribute still deselects.
  absl::Status s = Outcome(*rsp, 3);
  if (!s.ok() && LeftSelected(*rsp)) (void)co_await Exchange({FDeselectRequest{}});
  if (!s.ok()) co_return s;
  if (!got) co_return absl::InternalError("the responder returned no attributes");
  co_return *got;
}

awaitable<absl::StatusOr<std::vector<Attributes>>> Initiator::ListDirectory(const std::string& path) {
  if (!granted_.nbs9_ctx) co_return absl::UnimplementedError("the responder does not offer directory listings (NBS-9)");
  if (transfer_ != Transfer::kNone) co_return absl::FailedPreconditionError("a transfer is in progress");
  FSelectRequest sel;
  sel.attributes = Named(path.empty() ? "." : path);
  sel.requested_access = NamedBits::Of({access::kRead});
  FOpenRequest open;
  open.processing_mode = NamedBits::Of({access::kRead});
  open.contents_type = OpenContentsType{
      false, dt::Nbs9ContentsType({NamedBits::Of({attribute_name::kFilename, attribute_name::kContentsType,
                                                  attribute_name::kDateOfLastModification,
                                                  attribute_name::kIdentityOfCreator, attribute_name::kFilesize})})};
  if (granted_.nbs9_old) open.contents_type->proposed.document_type_name = dt::kNbs9OldDocumentType;
  auto rsp = co_await Exchange({sel, open});
  if (!rsp.ok()) co_return rsp.status();
  if (absl::Status s = Outcome(*rsp, 2); !s.ok()) {
    // The select may have succeeded and the open failed: deselect before answering.
    if (LeftSelected(*rsp)) (void)co_await Exchange({FDeselectRequest{}});
    co_return s;
  }
  transfer_ = Transfer::kReading;
  if (auto s = co_await SendPdus({FReadRequest{FaduIdentity{}, AccessContext{}, std::nullopt, std::nullopt}}); !s.ok())
    co_return s;
  std::vector<Attributes> entries;
  std::optional<absl::Status> data_end;
  while (!data_end) {
    auto i = co_await Next(opt_.data_timeout);
    if (!i.ok()) co_return i.status();
    if (auto* d = std::get_if<assoc::DataValues>(&*i)) {
      if (d->decoded) continue;  // not NBS-9: ignored
      size_t begin = 0;
      for (size_t end : d->ends) {
        auto e = dt::DecodeDirectoryEntry(osi::AsBytes(std::string_view(d->payload).substr(begin, end - begin)), opt_.ber);
        begin = end;
        if (e.ok()) entries.push_back(std::move(*e));
      }
      continue;
    }
    if (auto* f = std::get_if<assoc::FtamPdus>(&*i)) {
      for (const auto& p : f->pdus) {
        Trace("<-", p);
        if (auto* de = std::get_if<FDataEndRequest>(&p)) data_end = FailureOf(*de, "directory read").value_or(absl::OkStatus());
        else if (std::holds_alternative<FCancelRequest>(p)) data_end = absl::AbortedError("the responder cancelled the listing");
      }
      if (!data_end) co_return Fail(LostStatus("unexpected PDU during a directory read", error_id::kProtocolError));
      continue;
    }
    co_return HandleUnexpected(*i);
  }
  absl::Status end = co_await EndTransfer(false);
  if (!data_end->ok()) co_return *data_end;
  if (!end.ok()) co_return end;
  co_return entries;
}

awaitable<absl::Status> Initiator::Delete(const std::string& path) {
  FSelectRequest sel;
  sel.attributes = Named(path);
  sel.requested_access = NamedBits::Of({access::kDeleteFile});
  auto rsp = co_await Exchange({sel, FDeleteRequest{}});
  if (!rsp.ok()) co_return rsp.status();
  absl::Status s = Outcome(*rsp, 2);
  if (!s.ok() && LeftSelected(*rsp)) (void)co_await Exchange({FDeselectRequest{}});
  co_return s;
}

awaitable<absl::Status> Initiator::Rename(const std::string& from, const std::string& to) {
  FSelectRequest sel;
  sel.attributes = Named(from);
  sel.requested_access = NamedBits::Of({access::kChangeAttribute});
  FChangeAttribRequest ch;
  ch.attributes = Named(to);
  auto rsp = co_await Exchange({sel, ch, FDeselectRequest{}});
  if (!rsp.ok()) co_return rsp.status();
  absl::Status s = Outcome(*rsp, 3);
  if (!s.ok() && LeftSelected(*rsp)) (void)co_await Exchange({FDeselectRequest{}});
  co_return s;
}

awaitable<absl::Status> Initiator::MakeDirectory(const std::string& path) {
  FCreateRequest c;
  c.override = kCreateFailure;
  c.initial_attributes = Named(path);
  c.initial_attributes->contents_type = dt::Nbs9ContentsType({NamedBits::Of({attribute_name::kFilename})});
  c.requested_access = NamedBits::Of({access::kReadAttribute});
  auto rsp = co_await Exchange({c, FDeselectRequest{}});
  if (!rsp.ok()) co_return rsp.status();
  absl::Status s = Outcome(*rsp, 2);
  if (!s.ok() && LeftSelected(*rsp)) (void)co_await Exchange({FDeselectRequest{}});
  co_return s;
}

absl::Status Initiator::ContentsGranted(bool text) const {
  if (text ? granted_.text_ctx : granted_.binary_ctx) return absl::OkStatus();
  return absl::UnimplementedError(text ? "the responder does not offer text files (FTAM-1)"
                                       : "the responder does not offer binary files (FTAM-3)");
}

awaitable<absl::Status> Initiator::StartRead(const std::string& path, bool text) {
  if (transfer_ != Transfer::kNone) co_return absl::FailedPreconditionError("a transfer is in progress");
  if (absl::Status s = ContentsGranted(text); !s.ok()) co_return s;
  FSelectRequest sel;
  sel.attributes = Named(path);
  sel.requested_access = NamedBits::Of({access::kRead});
  FOpenRequest open;
  open.processing_mode = NamedBits::Of({access::kRead});
  open.contents_type = OpenContentsType{false, ContentsFor(text)};
  auto rsp = co_await Exchange({sel, open});
  if (!rsp.ok()) co_return rsp.status();
  if (absl::Status s = Outcome(*rsp, 2); !s.ok()) {
    if (LeftSelected(*rsp)) (void)co_await Exchange({FDeselectRequest{}});
    co_return s;
  }
  text_ = text;
  string_tag_ = 27;
  for (const auto& p : *rsp) {
    if (auto* o = std::get_if<FOpenResponse>(&p); o && o->contents_type && text) {
      if (o->contents_type->parameter) {
        auto prm = dt::DecodeFtam1Parameter(osi::AsBytes(*o->contents_type->parameter));
        if (prm.ok() && prm->universal_class_number) string_tag_ = static_cast<uint32_t>(*prm->universal_class_number);
      }
    }
  }
  line_per_value_ = text && (string_tag_ == 25 || string_tag_ == 26 || string_tag_ == 19);
  transfer_ = Transfer::kReading;
  co_return co_await SendPdus({FReadRequest{FaduIdentity{}, AccessContext{}, std::nullopt, std::nullopt}});
}

awaitable<absl::Status> Initiator::ReadSome(std::string* out, size_t want, bool* end) {
  *end = false;
  if (transfer_ != Transfer::kReading) co_return absl::FailedPreconditionError("no read in progress");
  const auto start = std::chrono::steady_clock::now();
  while (out->size() < want) {
    auto i = co_await Next(opt_.data_timeout);
    if (!i.ok()) co_return i.status();
    if (auto* d = std::get_if<assoc::DataValues>(&*i)) {
      if (!d->decoded) continue;
      // Neutral text is the network form (CR LF line ends, as FTAM-1's GeneralString values
      // carry it); string types without format effectors carry a line per value.
      if (text_ && line_per_value_) {
        size_t begin = 0;
        for (size_t e : d->ends) {
          out->append(d->payload, begin, e - begin);
          out->append("\r\n");
          begin = e;
        }
      } else {
        out->append(d->payload);
      }
      if (!out->empty() && std::chrono::steady_clock::now() - start > std::chrono::milliseconds(50)) break;
      continue;
    }
    if (auto* f = std::get_if<assoc::FtamPdus>(&*i)) {
      std::optional<absl::Status> outcome;
      bool cancelled = false;
      for (const auto& p : f->pdus) {
        Trace("<-", p);
        if (auto* de = std::get_if<FDataEndRequest>(&p)) outcome = FailureOf(*de, "read").value_or(absl::OkStatus());
        else if (auto* c = std::get_if<FCancelRequest>(&p)) {
          cancelled = true;
          outcome = FromDiagnostic(c->diagnostic, "read cancelled by the responder");
          outcome = absl::AbortedError(outcome->message());
        }
      }
      if (!outcome) co_return Fail(LostStatus("unexpected PDU during a read", error_id::kProtocolError));
      *end = true;
      absl::Status fin;
      if (cancelled) {
        if (auto s = co_await SendPdus({FCancelResponse{}}); !s.ok()) co_return s;
        transfer_ = Transfer::kNone;
        auto rsp = co_await Exchange({FCloseRequest{}, FDeselectRequest{}});
        if (!rsp.ok()) co_return rsp.status();
      } else {
        fin = co_await EndTransfer(false);
      }
      if (!outcome->ok()) co_return *outcome;
      co_return fin;
    }
    co_return HandleUnexpected(*i);
  }
  co_return absl::OkStatus();
}

awaitable<absl::Status> Initiator::EndTransfer(bool cancel) {
  absl::Status result;
  if (cancel) {
    if (auto s = co_await SendPdus({FCancelRequest{}}); !s.ok()) co_return s;
    // Data values and PDUs sent before the responder saw the cancel are discarded.
    for (;;) {
      auto i = co_await Next(opt_.reply_timeout);
      if (!i.ok()) co_return i.status();
      if (std::holds_alternative<assoc::DataValues>(*i)) continue;
      auto* f = std::get_if<assoc::FtamPdus>(&*i);
      if (!f) co_return HandleUnexpected(*i);
      bool done = false;
      for (const auto& p : f->pdus) {
        Trace("<-", p);
        if (std::holds_alternative<FCancelResponse>(p)) done = true;
        else if (std::holds_alternative<FCancelRequest>(p)) {  // both cancelled at once
          if (auto s = co_await SendPdus({FCancelResponse{}}); !s.ok()) co_return s;
        }
      }
      if (done) break;
    }
    result = absl::AbortedError("transfer aborted");
  } else {
    if (auto s = co_await SendPdus({FTransferEndRequest{}}); !s.ok()) co_return s;
    auto rsp = co_await NextPdus();
    if (!rsp.ok()) co_return rsp.status();
    bool seen = false;
    for (const auto& p : *rsp) {
      if (auto* te = std::get_if<FTransferEndResponse>(&p)) {
        seen = true;
        if (auto f = FailureOf(*te, "F-TRANSFER-END")) result = *f;
      }
    }
    if (!seen) co_return Fail(LostStatus("no F-TRANSFER-END-response", error_id::kProtocolError));
  }
  // A cancelled upload into a file this transfer created is deleted, not left behind
  // looking complete (F-DELETE ends the selection in place of F-DESELECT).
  const bool remove = cancel && transfer_ == Transfer::kWriting && write_created_;
  transfer_ = Transfer::kNone;
  std::vector<Pdu> end;
  end.push_back(FCloseRequest{});
  if (remove) end.push_back(FDeleteRequest{});
  else end.push_back(FDeselectRequest{});
  auto rsp = co_await Exchange(std::move(end));
  if (!rsp.ok()) co_return rsp.status();
  if (result.ok()) result = Outcome(*rsp, 2);
  co_return result;
}

awaitable<absl::Status> Initiator::StartWrite(const std::string& path, WriteMode mode, bool text) {
  if (transfer_ != Transfer::kNone) co_return absl::FailedPreconditionError("a transfer is in progress");
  if (absl::Status s = ContentsGranted(text); !s.ok()) co_return s;
  const int access_bit = mode == WriteMode::kExtend ? access::kExtend : access::kReplace;
  FCreateRequest create;
  create.override = mode == WriteMode::kReplace  ? kDeleteAndCreateWithNewAttributes
                    : mode == WriteMode::kExtend ? kSelectOldFile
                                                 : kCreateFailure;
  create.initial_attributes = Named(path);
  create.initial_attributes->contents_type = ContentsFor(text);
  create.initial_attributes->permitted_actions = NamedBits::Of({access::kRead, access::kReplace, access::kExtend,
                                                                access::kReadAttribute, access::kChangeAttribute,
                                                                access::kDeleteFile, access::kTraversal});
  create.requested_access = mode == WriteMode::kExtend ? NamedBits::Of({access_bit})
                                                       : NamedBits::Of({access_bit, access::kDeleteFile});
  FOpenRequest open;
  open.processing_mode = NamedBits::Of({access_bit});
  open.contents_type = OpenContentsType{false, ContentsFor(text)};
  auto rsp = co_await Exchange({create, open});
  if (!rsp.ok()) co_return rsp.status();
  if (absl::Status s = Outcome(*rsp, 2); !s.ok()) {
    if (LeftSelected(*rsp)) (void)co_await Exchange({FDeselectRequest{}});
    co_return s;
  }
  FWriteRequest w;
  w.file_access_data_unit_operation = mode == WriteMode::kExtend ? kExtend : kReplace;
  w.file_access_data_unit_identity = FaduIdentity{};
  if (auto s = co_await SendPdus({w}); !s.ok()) co_return s;
  text_ = text;
  write_created_ = mode != WriteMode::kExtend;
  transfer_ = Transfer::kWriting;
  co_return absl::OkStatus();
}

// During a write the responder speaks only to abort or cancel: look without waiting.
awaitable<absl::Status> Initiator::CheckInbound() {
  boost::system::error_code ec;
  if (pending_.empty() && (!conn_ || conn_->stream().available(ec) == 0) && !ec) co_return absl::OkStatus();
  auto i = co_await Next(opt_.reply_timeout);
  if (!i.ok()) co_return i.status();
  if (auto* f = std::get_if<assoc::FtamPdus>(&*i)) {
    for (const auto& p : f->pdus) {
      Trace("<-", p);
      if (auto* c = std::get_if<FCancelRequest>(&p)) {
        absl::Status why = FromDiagnostic(c->diagnostic, "write cancelled by the responder");
        if (auto s = co_await SendPdus({FCancelResponse{}}); !s.ok()) co_return s;
        transfer_ = Transfer::kNone;
        auto rsp = co_await Exchange({FCloseRequest{}, FDeselectRequest{}});
        if (!rsp.ok()) co_return rsp.status();
        co_return absl::AbortedError(why.message());
      }
    }
    co_return Fail(LostStatus("unexpected PDU during a write", error_id::kProtocolError));
  }
  co_return HandleUnexpected(*i);
}

awaitable<absl::Status> Initiator::WriteSome(std::span<const char> data) {
  if (transfer_ != Transfer::kWriting) co_return absl::FailedPreconditionError("no write in progress");
  if (auto s = co_await CheckInbound(); !s.ok()) co_return s;
  if (data.empty()) co_return absl::OkStatus();
  osi::Gather g;
  // Text arrives in the network form (CR LF), which is what FTAM-1 GeneralString values carry.
  Bytes payload(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  assoc::ValuesPData(wire_, text_ ? *granted_.text_ctx : *granted_.binary_ctx, text_ ? string_tag_ : 4, payload,
                     opt_.max_value, &g);
  auto s = co_await conn_->Write(g, opt_.data_timeout);
  if (!s.ok()) co_return Fail(LostStatus("sending to the responder failed: " + std::string(s.message())));
  co_return absl::OkStatus();
}

awaitable<absl::Status> Initiator::FinishWrite() {
  if (transfer_ != Transfer::kWriting) co_return absl::FailedPreconditionError("no write in progress");
  if (auto s = co_await CheckInbound(); !s.ok()) co_return s;
  if (auto s = co_await SendPdus({FDataEndRequest{}}); !s.ok()) co_return s;
  co_return co_await EndTransfer(false);
}

awaitable<absl::Status> Initiator::Cancel() {
  if (transfer_ == Transfer::kNone) co_return absl::OkStatus();
  co_return co_await EndTransfer(true);
}

awaitable<void> Initiator::Release() {
  if (!associated_ || !conn_ || conn_->closed()) {
    Close();
    co_return;
  }
  if (transfer_ != Transfer::kNone) {
    co_await Abort("released during a transfer");
    co_return;
  }
  std::vector<uint8_t> out;
  if (opt_.trace) opt_.trace("-> F-TERMINATE-request");
  if (!assoc::ReleaseRequest(wire_, Pdu(FTerminateRequest{}), &out).ok() ||
      !(co_await conn_->Write(Bytes(out), opt_.release_timeout)).ok()) {
    Close();
    co_return;
  }
  // DN (RLRE, F-TERMINATE-response); then the transport connection is released.
  for (int k = 0; k < 16; ++k) {
    auto i = co_await Next(opt_.release_timeout);
    if (!i.ok()) break;
    if (std::holds_alternative<assoc::ReleaseConfirm>(*i)) {
      if (opt_.trace) opt_.trace("<- F-TERMINATE-response");
      (void)co_await conn_->Write(Bytes(assoc::DisconnectRequest(wire_, tp::dr_reason::kNormal)), opt_.release_timeout);
      break;
    }
    if (std::holds_alternative<assoc::AbortIndication>(*i) || std::holds_alternative<assoc::ProtocolError>(*i)) break;
  }
  Close();
}

awaitable<void> Initiator::Abort(std::string why) {
  if (conn_ && !conn_->closed()) {
    FUAbortRequest ab;
    ab.action_result = kPermanentError;
    Diagnostic d{DiagnosticEntry{}};
    d[0].diagnostic_type = kPermanent;
    d[0].error_identifier = error_id::kNoReason;
    d[0].error_observer = kInitiatingFileServiceUser;
    d[0].error_source = kInitiatingFileServiceUser;
    d[0].further_details = std::move(why);
    ab.diagnostic = std::move(d);
    std::vector<uint8_t> out;
    if (opt_.trace) opt_.trace("-> F-U-ABORT-request");
    if (assoc::UserAbort(wire_, Pdu(ab), acse::kAbortServiceUser, &out).ok())
      (void)co_await conn_->Write(Bytes(out), opt_.release_timeout);
  }
  Close();
}

}  // namespace gw::ftam::initiator
