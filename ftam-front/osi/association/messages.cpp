#include "osi/association/messages.h"

#include "ftam/doctype/data_value.h"
#include "osi/presentation/ppdu.h"
#include "osi/transport/tpkt.h"

namespace gw::osi::association {

namespace pres = presentation;
namespace ses = session;
namespace tp = transport;

namespace {

absl::Status EncodeFtam(const ftam::Pdu& p, std::vector<uint8_t>* out) { return ftam::EncodePdu(p, out); }

absl::Status EncodeAcse(const acse::Apdu& a, std::vector<uint8_t>* out) { return acse::EncodeApdu(a, out); }

// A TSDU whose pieces live in `tsdu` (or are referenced by it) as TPDUs appended to out.
void Segment(const Wire& w, Gather&& tsdu, Gather* out) {
  tp::SegmentTsdu(tsdu.pieces(), w.tpdu_size, out);
  out->Adopt(std::move(tsdu));
}

void Flat(const Wire& w, Gather&& tsdu, std::vector<uint8_t>* out) {
  Gather wire;
  tp::SegmentTsdu(tsdu.pieces(), w.tpdu_size, &wire);
  wire.AppendTo(out);
}

// Release and abort PPDUs carry User-data holding one ACSE APDU (fully encoded, ACSE context).
absl::Status AcseUserData(const Wire& w, const acse::Apdu& apdu, std::vector<uint8_t>* out) {
  std::vector<uint8_t> a;
  if (auto s = EncodeAcse(apdu, &a); !s.ok()) return s;
  return pres::EncodeUserData(pres::SingleValue(w.acse_ctx, a), out);
}

}  // namespace

void AppendTpdus(const Wire& w, const Gather& tsdu, Gather* out) {
  tp::SegmentTsdu(tsdu.pieces(), w.tpdu_size, out);
}

std::vector<uint8_t> ConnectConfirm(const tp::ConnectTpdu& cc) {
  std::vector<uint8_t> out;
  tp::EncodeTpkt(cc, &out);
  return out;
}

std::vector<uint8_t> DisconnectRequest(const Wire& w, uint8_t reason) {
  std::vector<uint8_t> out;
  tp::EncodeTpkt(tp::DisconnectTpdu{w.peer_ref, w.local_ref, reason, std::nullopt}, &out);
  return out;
}

acse::External FtamExternal(const Wire& w, Bytes ftam, bool association) {
  acse::External x;
  if (association) x.direct_reference = pres::kBasicEncoding;
  x.indirect_reference = w.ftam_ctx;
  x.data = ftam;
  return x;
}

absl::Status Accept(const Wire& w, ses::AcceptSpdu ac, pres::AcceptPpdu cpa, acse::Aare aare,
                    const ftam::Pdu& rsp, std::vector<uint8_t>* out) {
  std::vector<uint8_t> f, a, p;
  if (auto s = EncodeFtam(rsp, &f); !s.ok()) return s;
  aare.user_information.push_back(FtamExternal(w, f, true));
  if (auto s = EncodeAcse(aare, &a); !s.ok()) return s;
  cpa.user_data = pres::SingleValue(w.acse_ctx, a);
  if (auto s = pres::EncodeAccept(cpa, &p); !s.ok()) return s;
  ac.user_data = p;
  Gather g;
  if (auto s = ses::Encode(ac, &g); !s.ok()) return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status Refuse(const Wire& w, ses::RefuseSpdu rf, pres::RefusePpdu cpr, std::optional<acse::Aare> aare,
                    std::optional<ftam::Pdu> rsp, std::vector<uint8_t>* out) {
  std::vector<uint8_t> f, a, p;
  if (aare) {
    if (rsp) {
      if (auto s = EncodeFtam(*rsp, &f); !s.ok()) return s;
      aare->user_information.push_back(FtamExternal(w, f, true));
    }
    if (auto s = EncodeAcse(*aare, &a); !s.ok()) return s;
    cpr.user_data = pres::SingleValue(w.acse_ctx, a);
  }
  if (auto s = pres::EncodeRefuse(cpr, &p); !s.ok()) return s;
  rf.reason = ses::refuse_reason::kRejectedWithUserData;
  rf.user_data = p;
  Gather g;
  if (auto s = ses::Encode(rf, &g, w.session_version); !s.ok()) return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status SessionRefuse(const Wire& w, ses::RefuseSpdu rf, std::vector<uint8_t>* out) {
  Gather g;
  if (auto s = ses::Encode(rf, &g, w.session_version); !s.ok()) return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status Connect(const Wire& w, ses::ConnectSpdu cn, pres::ConnectPpdu cp, acse::Aarq aarq,
                     const ftam::Pdu& req, std::vector<uint8_t>* out) {
  std::vector<uint8_t> f, a, p;
  if (auto s = EncodeFtam(req, &f); !s.ok()) return s;
  aarq.user_information.push_back(FtamExternal(w, f, true));
  if (auto s = EncodeAcse(aarq, &a); !s.ok()) return s;
  cp.user_data = pres::SingleValue(w.acse_ctx, a);
  if (auto s = pres::EncodeConnect(cp, &p); !s.ok()) return s;
  cn.user_data = p;
  Gather g;
  if (auto s = ses::Encode(cn, &g); !s.ok()) return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status ReleaseRequest(const Wire& w, const ftam::Pdu& req, std::vector<uint8_t>* out) {
  std::vector<uint8_t> f, p;
  if (auto s = EncodeFtam(req, &f); !s.ok()) return s;
  acse::Rlrq rlrq;
  rlrq.reason = acse::kReleaseNormal;
  rlrq.user_information.push_back(FtamExternal(w, f, false));
  if (auto s = AcseUserData(w, rlrq, &p); !s.ok()) return s;
  Gather g;
  // osi-ftam-notes §12.16: FN carries Transport Disconnect "release".
  if (auto s = ses::Encode(ses::FinishSpdu{ses::transport_disconnect::kRelease, p}, &g, w.session_version); !s.ok())
    return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status ReleaseResponse(const Wire& w, const ftam::Pdu& rsp, std::vector<uint8_t>* out) {
  std::vector<uint8_t> f, p;
  if (auto s = EncodeFtam(rsp, &f); !s.ok()) return s;
  acse::Rlre rlre;
  rlre.reason = acse::kResponseNormal;
  rlre.user_information.push_back(FtamExternal(w, f, false));
  if (auto s = AcseUserData(w, rlre, &p); !s.ok()) return s;
  Gather g;
  if (auto s = ses::Encode(ses::DisconnectSpdu{p}, &g, w.session_version); !s.ok()) return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status UserAbort(const Wire& w, const ftam::Pdu& abort, int64_t abort_source, std::vector<uint8_t>* out) {
  std::vector<uint8_t> f, a, p;
  if (auto s = EncodeFtam(abort, &f); !s.ok()) return s;
  acse::Abrt abrt;
  abrt.abort_source = abort_source;
  abrt.user_information.push_back(FtamExternal(w, f, false));
  if (auto s = EncodeAcse(abrt, &a); !s.ok()) return s;
  pres::AbortUserPpdu aru;
  aru.contexts = w.contexts;
  aru.user_data = pres::SingleValue(w.acse_ctx, a);
  if (auto s = pres::EncodeAbort(aru, &p); !s.ok()) return s;
  Gather g;
  // As ISODE: the transport is released and the abort comes from the user (notes §3.6).
  auto td = ses::transport_disconnect::kRelease | ses::transport_disconnect::kUserAbort;
  if (auto s = ses::Encode(ses::AbortSpdu{static_cast<uint8_t>(td), std::nullopt, p}, &g, w.session_version); !s.ok())
    return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status ProviderAbort(const Wire& w, int64_t reason, std::vector<uint8_t>* out) {
  pres::AbortProviderPpdu arp;
  arp.provider_reason = reason;
  std::vector<uint8_t> p;
  if (auto s = pres::EncodeAbort(arp, &p); !s.ok()) return s;
  Gather g;
  if (auto s = ses::Encode(ses::AbortSpdu{ses::transport_disconnect::kRelease, std::nullopt, p}, &g,
                           w.session_version);
      !s.ok())
    return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

absl::Status FtamData(const Wire& w, const std::vector<ftam::Pdu>& pdus, std::vector<uint8_t>* out) {
  std::vector<std::vector<uint8_t>> encoded(pdus.size());
  pres::Pdv pdv;
  pdv.context_id = w.ftam_ctx;
  pdv.encoding = pdus.size() == 1 ? pres::PdvEncoding::kSingleAsn1Type : pres::PdvEncoding::kOctetAligned;
  for (size_t i = 0; i < pdus.size(); ++i) {
    if (auto s = EncodeFtam(pdus[i], &encoded[i]); !s.ok()) return s;
    pdv.data.push_back(Bytes(encoded[i]));
  }
  pres::UserData u;
  u.pdvs.push_back(std::move(pdv));
  Gather g;
  ses::AppendDataHeader(&g);
  if (auto s = pres::EncodeUserData(u, &g); !s.ok()) return s;
  Flat(w, std::move(g), out);
  return absl::OkStatus();
}

void ValuesPData(const Wire& w, int64_t ctx, uint32_t universal_tag, Bytes data, size_t max_value, Gather* out) {
  if (max_value == 0) max_value = data.size();
  size_t pos = 0;
  do {
    size_t n = std::min(max_value, data.size() - pos);
    Gather g;
    ses::AppendDataHeader(&g);
    auto header = universal_tag == 4 ? ftam::doctype::BinaryValueHeader(n)
                                     : ftam::doctype::TextValueHeader(universal_tag, n);
    pres::UserData u;
    u.pdvs.push_back({std::nullopt, ctx, pres::PdvEncoding::kSingleAsn1Type, {g.Keep(header.view()), data.subspan(pos, n)}});
    // EncodeUserData copies the headers into g and references the payload.
    if (!pres::EncodeUserData(u, &g).ok()) return;
    Segment(w, std::move(g), out);
    pos += n;
  } while (pos < data.size());
}

void EncodedValuesPData(const Wire& w, int64_t ctx, const std::vector<Bytes>& values, Gather* out) {
  if (values.empty()) return;
  Gather g;
  ses::AppendDataHeader(&g);
  pres::UserData u;
  u.pdvs.push_back({std::nullopt, ctx,
                    values.size() == 1 ? pres::PdvEncoding::kSingleAsn1Type : pres::PdvEncoding::kOctetAligned,
                    values});
  if (!pres::EncodeUserData(u, &g).ok()) return;
  Segment(w, std::move(g), out);
}

}  // namespace gw::osi::association
