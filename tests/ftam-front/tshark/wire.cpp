#include "tshark/wire.h"

#include <cstdlib>
#include <iostream>

#include "ftam/doctype/document_types.h"
#include "osi/acse/apdu.h"
#include "osi/session/spdu.h"
#include "osi/transport/cotp.h"
#include "tools/stack_decoder.h"

namespace gw::test::wire {

namespace pres = osi::presentation;
namespace ses = osi::session;
namespace tp = osi::transport;
namespace acse = osi::acse;
namespace dt = ftam::doctype;
using osi::Bytes;

namespace {
void Check(const absl::Status& s) {
  if (!s.ok()) {
    std::cerr << "encoder failed: " << s << "\n";
    std::abort();
  }
}

std::vector<uint8_t> Tpkts(const osi::Gather& tsdu) {
  osi::Gather out;
  tp::SegmentTsdu(tsdu.pieces(), tp::TpduSizeOctets(tp::kTpduSize2048), &out);
  return out.Flatten();
}

acse::External FtamExternal(const std::vector<uint8_t>& ftam, bool direct) {
  acse::External x;
  if (direct) x.direct_reference = pres::kBasicEncoding;
  x.indirect_reference = kCtxFtam;
  x.data = Bytes(ftam);
  return x;
}

std::vector<uint8_t> Apdu(const acse::Apdu& a) {
  std::vector<uint8_t> out;
  Check(acse::EncodeApdu(a, &out));
  return out;
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
  std::vector<uint8_t> out;
  tp::EncodeTpkt(cr, &out);
  return out;
}

std::vector<uint8_t> ConnectConfirm(uint16_t dst_ref, uint16_t src_ref) {
  tp::ConnectTpdu cc;
  cc.confirm = true;
  cc.dst_ref = dst_ref;
  cc.src_ref = src_ref;
  cc.tpdu_size = tp::kTpduSize2048;
  std::vector<uint8_t> out;
  tp::EncodeTpkt(cc, &out);
  return out;
}

std::vector<uint8_t> Disconnect(uint16_t dst_ref, uint16_t src_ref) {
  std::vector<uint8_t> out;
  tp::EncodeTpkt(tp::DisconnectTpdu{dst_ref, src_ref, tp::dr_reason::kNormal, std::nullopt}, &out);
  return out;
}

std::vector<uint8_t> Error(uint16_t dst_ref) {
  std::vector<uint8_t> out;
  // Wireshark only dissects ERs without the invalid-TPDU parameter (its LI_MAX_ER).
  tp::EncodeTpkt(tp::ErrorTpdu{dst_ref, 2, std::nullopt}, &out);
  return out;
}

std::vector<uint8_t> Associate(const ftam::FInitializeRequest& req) {
  auto f = Encode(req);
  acse::Aarq aarq;
  aarq.called_ap_title = acse::ApTitle{osi::ber::Oid{1, 17, 4, 0, 16}, {}};
  aarq.called_ae_qualifier = acse::AeQualifier{1, {}};
  aarq.user_information.push_back(FtamExternal(f, true));
  auto a = Apdu(aarq);
  pres::ConnectPpdu cp;
  cp.calling_selector = std::string("\x00\x00\x00\x01", 4);
  cp.called_selector = std::string("\x00\x00\x00\x01", 4);
  cp.context_definitions = Contexts();
  cp.user_data = pres::SingleValue(kCtxAcse, a);
  std::vector<uint8_t> p;
  Check(pres::EncodeConnect(cp, &p));
  ses::ConnectSpdu cn = SessionItems();
  cn.calling_session_selector = std::string("\x00\x01", 2);
  cn.called_session_selector = std::string("\x00\x01", 2);
  cn.user_data = p;
  osi::Gather g;
  Check(ses::Encode(cn, &g));
  return Tpkts(g);
}

namespace {
std::vector<pres::ContextResult> Results() {
  std::vector<pres::ContextResult> r;
  for (size_t i = 0; i < Contexts().size(); ++i) r.push_back({pres::kAcceptance, pres::kBasicEncoding, std::nullopt});
  return r;
}
acse::Aare MakeAare(const ftam::FInitializeResponse& rsp, const std::vector<uint8_t>& f) {
  acse::Aare aare;
  aare.result = rsp.state_result.value_or(0) == 0 ? acse::kAccepted : acse::kRejectedPermanent;
  aare.result_source_diagnostic = {acse::kServiceUser, aare.result == acse::kAccepted ? acse::kNull : acse::kNoReasonGiven};
  aare.responding_ap_title = acse::ApTitle{osi::ber::Oid{1, 17, 4, 0, 16}, {}};
  aare.user_information.push_back(FtamExternal(f, true));
  return aare;
}
}  // namespace

std::vector<uint8_t> Accept(const ftam::FInitializeResponse& rsp) {
  auto f = Encode(rsp);
  auto a = Apdu(MakeAare(rsp, f));
  pres::AcceptPpdu cpa;
  cpa.responding_selector = std::string("\x00\x00\x00\x01", 4);
  cpa.context_results = Results();
  cpa.user_data = pres::SingleValue(kCtxAcse, a);
  std::vector<uint8_t> p;
  Check(pres::EncodeAccept(cpa, &p));
  ses::AcceptSpdu ac;
  static_cast<ses::ConnectSpdu&>(ac) = SessionItems();
  ac.connection_identifier->called_ss_user_reference = "responder";
  ac.connection_identifier->calling_ss_user_reference.reset();
  ac.user_data = p;
  osi::Gather g;
  Check(ses::Encode(ac, &g));
  return Tpkts(g);
}

std::vector<uint8_t> Refuse(const ftam::FInitializeResponse& rsp) {
  auto f = Encode(rsp);
  auto a = Apdu(MakeAare(rsp, f));
  pres::RefusePpdu cpr;
  cpr.context_results = Results();
  cpr.user_data = pres::SingleValue(kCtxAcse, a);
  std::vector<uint8_t> p;
  Check(pres::EncodeRefuse(cpr, &p));
  ses::RefuseSpdu rf;
  rf.transport_disconnect = ses::transport_disconnect::kRelease;
  rf.session_user_requirements = ses::requirement::kDuplex;
  rf.reason = ses::refuse_reason::kRejectedWithUserData;
  rf.user_data = p;
  osi::Gather g;
  Check(ses::Encode(rf, &g));
  return Tpkts(g);
}

std::vector<uint8_t> PData(int64_t ctx, const std::vector<std::vector<uint8_t>>& values) {
  pres::UserData u;
  pres::Pdv pdv;
  pdv.context_id = ctx;
  pdv.encoding = values.size() == 1 ? pres::PdvEncoding::kSingleAsn1Type : pres::PdvEncoding::kOctetAligned;
  for (const auto& v : values) pdv.data.push_back(Bytes(v));
  u.pdvs.push_back(pdv);
  osi::Gather g;
  ses::AppendDataHeader(&g);
  Check(pres::EncodeUserData(u, &g));
  return Tpkts(g);
}

std::vector<uint8_t> PData(const std::vector<ftam::Pdu>& pdus) {
  std::vector<std::vector<uint8_t>> values;
  for (const auto& p : pdus) values.push_back(Encode(p));
  return PData(kCtxFtam, values);
}

namespace {
std::vector<uint8_t> ReleaseSpdu(bool finish, const acse::Apdu& apdu) {
  auto a = Apdu(apdu);
  std::vector<uint8_t> p;
  Check(pres::EncodeUserData(pres::SingleValue(kCtxAcse, a), &p));
  osi::Gather g;
  if (finish) Check(ses::Encode(ses::FinishSpdu{ses::transport_disconnect::kRelease, p}, &g));
  else Check(ses::Encode(ses::DisconnectSpdu{p}, &g));
  return Tpkts(g);
}
}  // namespace

std::vector<uint8_t> Release(const ftam::FTerminateRequest& r) {
  auto f = Encode(r);
  acse::Rlrq rlrq;
  rlrq.reason = acse::kReleaseNormal;
  rlrq.user_information.push_back(FtamExternal(f, false));
  return ReleaseSpdu(true, rlrq);
}

std::vector<uint8_t> Released(const ftam::FTerminateResponse& r) {
  auto f = Encode(r);
  acse::Rlre rlre;
  rlre.reason = acse::kResponseNormal;
  rlre.user_information.push_back(FtamExternal(f, false));
  return ReleaseSpdu(false, rlre);
}

std::vector<uint8_t> UserAbort(const ftam::Pdu& abort) {
  auto f = Encode(abort);
  acse::Abrt abrt;
  abrt.abort_source = acse::kAbortServiceUser;
  abrt.user_information.push_back(FtamExternal(f, false));
  auto a = Apdu(abrt);
  pres::AbortUserPpdu aru;
  for (const auto& c : Contexts()) aru.contexts.push_back({c.id, pres::kBasicEncoding});
  aru.user_data = pres::SingleValue(kCtxAcse, a);
  std::vector<uint8_t> p;
  Check(pres::EncodeAbort(aru, &p));
  osi::Gather g;
  Check(ses::Encode(ses::AbortSpdu{ses::transport_disconnect::kRelease | ses::transport_disconnect::kUserAbort,
                                   std::nullopt, p},
                    &g));
  return Tpkts(g);
}

std::vector<uint8_t> ProviderAbort(int64_t reason) {
  pres::AbortProviderPpdu arp;
  arp.provider_reason = reason;
  arp.event_identifier = 1;
  std::vector<uint8_t> p;
  Check(pres::EncodeAbort(arp, &p));
  osi::Gather g;
  Check(ses::Encode(ses::AbortSpdu{ses::transport_disconnect::kRelease, std::nullopt, p}, &g));
  return Tpkts(g);
}

}  // namespace gw::test::wire
