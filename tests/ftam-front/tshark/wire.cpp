#include "tshark/wire.h"

#include <cstdlib>
#include <iostream>

#include "ftam/doctype/document_types.h"
#include "osi/acse/apdu.h"
#include "osi/association/messages.h"
#include "osi/session/spdu.h"
#include "osi/transport/cotp.h"
#include "tools/stack_decoder.h"

namespace gw::test::wire {

// Every message is made by the engines' own builders (osi/association/messages.h); only
// the values an initiator or responder chooses (selectors, references, titles) are set here.

namespace pres = osi::presentation;
namespace ses = osi::session;
namespace tp = osi::transport;
namespace acse = osi::acse;
namespace dt = ftam::doctype;
namespace assoc = osi::association;
using osi::Bytes;

namespace {
void Check(const absl::Status& s) {
  if (!s.ok()) {
    std::cerr << "encoder failed: " << s << "\n";
    std::abort();
  }
}

assoc::Wire TheWire() {
  assoc::Wire w;
  w.tpdu_size = tp::TpduSizeOctets(tp::kTpduSize2048);
  w.acse_ctx = kCtxAcse;
  w.ftam_ctx = kCtxFtam;
  for (const auto& c : Contexts()) w.contexts.push_back({c.id, pres::kBasicEncoding});
  return w;
}

ses::ConnectSpdu SessionItems() {
  ses::ConnectSpdu c;
  c.connection_identifier = ses::ConnectionIdentifier{};
  c.connection_identifier->calling_ss_user_reference = "gateway";
  c.connection_identifier->common_reference = "261122012838Z";
  c.protocol_options = 0;
  c.version_number = ses::kVersion2;
  c.session_user_requirements = ses::requirement::kDuplex;
  return c;
}

std::vector<pres::ContextResult> Results() {
  std::vector<pres::ContextResult> r;
  for (size_t i = 0; i < Contexts().size(); ++i) r.push_back({pres::kAcceptance, pres::kBasicEncoding, std::nullopt});
  return r;
}

acse::Aare MakeAare(const ftam::FInitializeResponse& rsp) {
  acse::Aare aare;
  aare.result = rsp.state_result.value_or(0) == 0 ? acse::kAccepted : acse::kRejectedPermanent;
  aare.result_source_diagnostic = {acse::kServiceUser, aare.result == acse::kAccepted ? acse::kNull : acse::kNoReasonGiven};
  aare.responding_ap_title = acse::ApTitle{osi::ber::Oid{1, 17, 4, 0, 16}, {}};
  return aare;
}
}  // namespace

std::vector<uint8_t> Encode(const ftam::Pdu& p) {
  std::vector<uint8_t> out;
  Check(ftam::EncodePdu(p, &out));
  return out;
}

std::vector<pres::ContextDefinition> Contexts() {
  return {{kCtxFtam, tools::kFtamPciAbstractSyntax, {pres::kBasicEncoding}},
          {kCtxBinary, dt::kUnstructuredBinaryAbstractSyntax, {pres::kBasicEncoding}},
          {kCtxText, dt::kUnstructuredTextAbstractSyntax, {pres::kBasicEncoding}},
          {kCtxNbs9, dt::kNbs9AbstractSyntax, {pres::kBasicEncoding}},
          {kCtxAcse, pres::kAcseAbstractSyntax, {pres::kBasicEncoding}}};
}

std::vector<uint8_t> ConnectRequest(uint16_t src_ref) {
  tp::ConnectTpdu cr;
  cr.src_ref = src_ref;
  cr.called_tsap = std::string("\x01\x03", 2);
  cr.calling_tsap = std::string("\x00\x01", 2);
  cr.tpdu_size = tp::kTpduSize2048;
  return assoc::ConnectConfirm(cr);  // the same TPKT encoder serves CR and CC
}

std::vector<uint8_t> ConnectConfirm(uint16_t dst_ref, uint16_t src_ref) {
  tp::ConnectTpdu cc;
  cc.confirm = true;
  cc.dst_ref = dst_ref;
  cc.src_ref = src_ref;
  cc.tpdu_size = tp::kTpduSize2048;
  return assoc::ConnectConfirm(cc);
}

std::vector<uint8_t> Disconnect(uint16_t dst_ref, uint16_t src_ref) {
  assoc::Wire w = TheWire();
  w.peer_ref = dst_ref;
  w.local_ref = src_ref;
  return assoc::DisconnectRequest(w, tp::dr_reason::kNormal);
}

std::vector<uint8_t> Error(uint16_t dst_ref) {
  std::vector<uint8_t> out;
  // Wireshark only dissects ERs without the invalid-TPDU parameter (its LI_MAX_ER).
  tp::EncodeTpkt(tp::ErrorTpdu{dst_ref, 2, std::nullopt}, &out);
  return out;
}

std::vector<uint8_t> Associate(const ftam::FInitializeRequest& req) {
  acse::Aarq aarq;
  aarq.called_ap_title = acse::ApTitle{osi::ber::Oid{1, 17, 4, 0, 16}, {}};
  aarq.called_ae_qualifier = acse::AeQualifier{1, {}};
  pres::ConnectPpdu cp;
  cp.calling_selector = std::string("\x00\x00\x00\x01", 4);
  cp.called_selector = std::string("\x00\x00\x00\x01", 4);
  cp.context_definitions = Contexts();
  ses::ConnectSpdu cn = SessionItems();
  cn.calling_session_selector = std::string("\x00\x01", 2);
  cn.called_session_selector = std::string("\x00\x01", 2);
  std::vector<uint8_t> out;
  Check(assoc::Connect(TheWire(), cn, cp, aarq, req, &out));
  return out;
}

std::vector<uint8_t> Accept(const ftam::FInitializeResponse& rsp) {
  pres::AcceptPpdu cpa;
  cpa.responding_selector = std::string("\x00\x00\x00\x01", 4);
  cpa.context_results = Results();
  ses::AcceptSpdu ac;
  static_cast<ses::ConnectSpdu&>(ac) = SessionItems();
  ac.connection_identifier->called_ss_user_reference = "responder";
  ac.connection_identifier->calling_ss_user_reference.reset();
  std::vector<uint8_t> out;
  Check(assoc::Accept(TheWire(), ac, cpa, MakeAare(rsp), rsp, &out));
  return out;
}

std::vector<uint8_t> Refuse(const ftam::FInitializeResponse& rsp) {
  pres::RefusePpdu cpr;
  cpr.context_results = Results();
  ses::RefuseSpdu rf;
  rf.transport_disconnect = ses::transport_disconnect::kRelease;
  rf.session_user_requirements = ses::requirement::kDuplex;
  std::vector<uint8_t> out;
  Check(assoc::Refuse(TheWire(), rf, cpr, MakeAare(rsp), ftam::Pdu(rsp), &out));
  return out;
}

std::vector<uint8_t> PData(int64_t ctx, const std::vector<std::vector<uint8_t>>& values) {
  std::vector<Bytes> views;
  for (const auto& v : values) views.push_back(Bytes(v));
  osi::Gather g;
  assoc::EncodedValuesPData(TheWire(), ctx, views, &g);
  return g.Flatten();
}

std::vector<uint8_t> PData(const std::vector<ftam::Pdu>& pdus) {
  std::vector<uint8_t> out;
  Check(assoc::FtamData(TheWire(), pdus, &out));
  return out;
}

std::vector<uint8_t> Release(const ftam::FTerminateRequest& r) {
  std::vector<uint8_t> out;
  Check(assoc::ReleaseRequest(TheWire(), r, &out));
  return out;
}

std::vector<uint8_t> Released(const ftam::FTerminateResponse& r) {
  std::vector<uint8_t> out;
  Check(assoc::ReleaseResponse(TheWire(), r, &out));
  return out;
}

std::vector<uint8_t> UserAbort(const ftam::Pdu& abort) {
  std::vector<uint8_t> out;
  Check(assoc::UserAbort(TheWire(), abort, acse::kAbortServiceUser, &out));
  return out;
}

std::vector<uint8_t> ProviderAbort(int64_t reason) {
  std::vector<uint8_t> out;
  Check(assoc::ProviderAbort(TheWire(), reason, &out));
  return out;
}

}  // namespace gw::test::wire
