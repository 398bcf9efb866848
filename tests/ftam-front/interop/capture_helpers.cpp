#include "interop/capture_helpers.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace gw::test {

namespace tp = osi::transport;
namespace ses = osi::session;
namespace pres = osi::presentation;
namespace acse = osi::acse;
using osi::Bytes;

std::string CaptureDir() { return GW_ISODE_CAPTURE_DIR; }

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

namespace {
std::string Hex(const std::vector<uint8_t>& v) { return absl::BytesToHexString(std::string(v.begin(), v.end())); }
}  // namespace

void CollectingObserver::OnTpdu(int dir, const tp::Tpdu& t) {
  tpdus.push_back(tp::TpduName(t));
  std::vector<uint8_t> a, b;
  if (auto* c = std::get_if<tp::ConnectTpdu>(&t)) tp::EncodeTpkt(*c, &a);
  else if (auto* d = std::get_if<tp::DisconnectTpdu>(&t)) tp::EncodeTpkt(*d, &a);
  else if (auto* e = std::get_if<tp::ErrorTpdu>(&t)) tp::EncodeTpkt(*e, &a);
  else return;
  auto again = tp::DecodeTpdu(Bytes(a).subspan(4));
  if (!again.ok()) {
    roundtrip_errors.push_back(absl::StrCat("TPDU: ", again.status().message()));
    return;
  }
  if (auto* c = std::get_if<tp::ConnectTpdu>(&*again)) tp::EncodeTpkt(*c, &b);
  else if (auto* d = std::get_if<tp::DisconnectTpdu>(&*again)) tp::EncodeTpkt(*d, &b);
  else if (auto* e = std::get_if<tp::ErrorTpdu>(&*again)) tp::EncodeTpkt(*e, &b);
  ++roundtrips;
  if (a != b) roundtrip_errors.push_back("TPDU " + Hex(a) + " != " + Hex(b));
}

namespace {
// Re-encodes a category-1 SPDU (user data kept as a view) and decodes it again.
absl::StatusOr<std::vector<uint8_t>> EncodeSpdu(const ses::Spdu& s) {
  osi::Gather g;
  absl::Status st = std::visit(
      [&](const auto& v) -> absl::Status {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, ses::DataTransferSpdu> || std::is_same_v<T, ses::OtherSpdu> ||
                      std::is_same_v<T, ses::PleaseTokensSpdu>)
          return absl::UnimplementedError("not re-encoded");
        else
          return ses::Encode(v, &g);
      },
      s);
  if (!st.ok()) return st;
  return g.Flatten();
}
}  // namespace

void CollectingObserver::OnSpdu(int dir, const ses::Spdu& s) {
  spdus.push_back(ses::SpduName(s));
  auto a = EncodeSpdu(s);
  if (!a.ok()) return;
  auto d = ses::DecodeTsdu(*a);
  if (!d.ok() || d->size() != 1) {
    roundtrip_errors.push_back(absl::StrCat("SPDU ", ses::SpduName(s), ": re-decode failed"));
    return;
  }
  auto b = EncodeSpdu((*d)[0]);
  ++roundtrips;
  if (!b.ok() || *a != *b) roundtrip_errors.push_back(absl::StrCat("SPDU ", ses::SpduName(s), " unstable"));
}

namespace {
absl::Status EncodePpdu(const tools::Ppdu& p, std::vector<uint8_t>* out) {
  switch (p.index()) {
    case 0: return pres::EncodeConnect(std::get<0>(p), out);
    case 1: return pres::EncodeAccept(std::get<1>(p), out);
    case 2: return pres::EncodeRefuse(std::get<2>(p), out);
    case 3: return pres::EncodeAbort(std::get<3>(p), out);
    default: return pres::EncodeUserData(std::get<4>(p), out);
  }
}
absl::StatusOr<tools::Ppdu> DecodePpdu(size_t kind, Bytes b) {
  switch (kind) {
    case 0: { auto r = pres::DecodeConnect(b); if (!r.ok()) return r.status(); return tools::Ppdu(*r); }
    case 1: { auto r = pres::DecodeAccept(b); if (!r.ok()) return r.status(); return tools::Ppdu(*r); }
    case 2: { auto r = pres::DecodeRefuse(b); if (!r.ok()) return r.status(); return tools::Ppdu(*r); }
    case 3: { auto r = pres::DecodeAbort(b); if (!r.ok()) return r.status(); return tools::Ppdu(*r); }
    default: { auto r = pres::DecodeUserData(b); if (!r.ok()) return r.status(); return tools::Ppdu(*r); }
  }
}
}  // namespace

void CollectingObserver::OnPpdu(int dir, const tools::Ppdu& p) {
  ppdus.push_back(tools::PpduName(p));
  std::vector<uint8_t> a, b;
  if (auto s = EncodePpdu(p, &a); !s.ok()) {
    roundtrip_errors.push_back(absl::StrCat("PPDU encode: ", s.message()));
    return;
  }
  auto again = DecodePpdu(p.index(), a);
  if (!again.ok()) {
    roundtrip_errors.push_back(absl::StrCat("PPDU re-decode: ", again.status().message()));
    return;
  }
  (void)EncodePpdu(*again, &b);
  ++roundtrips;
  if (a != b) roundtrip_errors.push_back(absl::StrCat("PPDU ", tools::PpduName(p), " unstable"));
}

void CollectingObserver::OnApdu(int dir, const acse::Apdu& ap) {
  apdus.push_back(ap);  // user information views die with the stream buffers: drop them
  std::visit([](auto& v) { for (auto& x : v.user_information) x.data = {}; }, apdus.back());
  std::vector<uint8_t> a, b;
  if (auto s = acse::EncodeApdu(ap, &a); !s.ok()) {
    roundtrip_errors.push_back(absl::StrCat("APDU encode: ", s.message()));
    return;
  }
  auto again = acse::DecodeApdu(a);
  if (!again.ok()) {
    roundtrip_errors.push_back(absl::StrCat("APDU re-decode: ", again.status().message()));
    return;
  }
  (void)acse::EncodeApdu(*again, &b);
  ++roundtrips;
  if (a != b) roundtrip_errors.push_back(absl::StrCat("APDU ", acse::ApduName(ap), " unstable"));
}

void CollectingObserver::OnFtamPdu(int dir, const ftam::Pdu& p, Bytes) {
  ftam.push_back({dir, p});
  std::vector<uint8_t> a, b;
  if (auto s = ftam::EncodePdu(p, &a); !s.ok()) {
    roundtrip_errors.push_back(absl::StrCat("FTAM encode: ", s.message()));
    return;
  }
  auto again = ftam::DecodePdu(a);
  if (!again.ok()) {
    roundtrip_errors.push_back(absl::StrCat("FTAM re-decode: ", again.status().message(), " ", Hex(a)));
    return;
  }
  (void)ftam::EncodePdu(*again, &b);
  ++roundtrips;
  if (a != b || ftam::Summary(p) != ftam::Summary(*again))
    roundtrip_errors.push_back(absl::StrCat("FTAM ", ftam::Summary(p), " became ", ftam::Summary(*again)));
}

void CollectingObserver::OnDataValue(int dir, int64_t ctx, const osi::ber::Oid& as, Bytes value) {
  data.push_back({dir, ctx, as, osi::ToString(value)});
}

void CollectingObserver::OnError(int dir, const std::string& layer, const absl::Status& s) {
  errors.push_back(absl::StrCat(layer, ": ", s.message()));
}

Decoded DecodeCapture(const std::string& name) {
  static std::vector<std::vector<uint8_t>> keep;  // packet views point into the file bytes
  keep.push_back(ReadFile(CaptureDir() + "/" + name));
  Decoded d;
  d.obs = std::make_unique<CollectingObserver>();
  auto packets = tools::ReadCapture(keep.back());
  if (!packets.ok()) {
    d.obs->errors.push_back(std::string(packets.status().message()));
    return d;
  }
  std::vector<std::unique_ptr<tools::StackDecoder>> decoders;
  tools::ReassembleCapture(*packets, [&](const std::string&) {
    decoders.push_back(std::make_unique<tools::StackDecoder>(d.obs.get()));
    tools::StackDecoder* dec = decoders.back().get();
    return [dec](int dir, Bytes b) { dec->Feed(dir, b); };
  });
  d.connections = decoders.size();
  for (const auto& dec : decoders)
    for (int dir = 0; dir < 2; ++dir)
      if (dec->buffered(dir)) d.obs->errors.push_back("bytes left over after the last TPKT");
  return d;
}

std::vector<std::pair<int, std::string>> CaptureStream(const std::string& path) {
  std::vector<uint8_t> file = ReadFile(path);
  std::vector<std::pair<int, std::string>> out;
  auto packets = tools::ReadCapture(file);
  if (!packets.ok()) return out;
  int connections = 0;
  tools::ReassembleCapture(*packets, [&](const std::string&) {
    const bool first = connections++ == 0;
    return [&out, first](int dir, Bytes b) {
      if (first) out.emplace_back(dir, std::string(osi::AsChars(b)));
    };
  });
  return out;
}

std::string LocalText(const std::string& wire) {
  ftam::doctype::CrLfToLf conv;
  std::string out;
  conv.Append(osi::AsBytes(wire), &out);
  conv.Finish(&out);
  return out;
}

std::string FileData(const CollectingObserver& o, const osi::ber::Oid& as, int dir) {
  std::string out;
  for (const auto& d : o.data) {
    if (!(d.abstract_syntax == as) || d.dir != dir) continue;
    auto v = as == ftam::doctype::kUnstructuredBinaryAbstractSyntax ? ftam::doctype::DecodeBinaryValue(osi::AsBytes(d.value))
                                                                    : ftam::doctype::DecodeTextValue(osi::AsBytes(d.value));
    if (v.ok()) out += v->Join();
  }
  return out;
}

}  // namespace gw::test
