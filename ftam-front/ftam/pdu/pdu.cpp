#include "ftam/pdu/pdu.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "ftam/pdu/codec.h"

namespace gw::ftam {
namespace {

namespace ber = osi::ber;

template <size_t I>
bool DecodeAlternative(ber::Reader& body, Pdu* out) {
  std::variant_alternative_t<I, Pdu> v;
  if (!codec::GetFields(body, &v)) return false;
  *out = std::move(v);
  return true;
}

template <size_t... I>
bool DecodeByTag(uint32_t tag, ber::Reader& body, Pdu* out, std::index_sequence<I...>) {
  bool ok = false;
  (void)((tag == I ? (ok = DecodeAlternative<I>(body, out), true) : false) || ...);
  return ok;
}

bool ReadPdu(ber::Reader& r, Pdu* out) {
  ber::Element e;
  if (!r.ReadAny(&e)) return false;
  if (e.tag.cls != ber::TagClass::kContext || !e.tag.constructed || e.tag.number > kLastPduTag)
    return r.Fail(absl::StrCat("not an FTAM PDU: ", ber::TagToString(e.tag)));
  ber::Reader body(osi::Bytes(), r.errors());
  if (!r.EnterElement(e, &body)) return false;
  return DecodeByTag(e.tag.number, body, out, std::make_index_sequence<kLastPduTag + 1>());
}

absl::Status Wrap(const ber::ErrorState& err) {
  return absl::InvalidArgumentError(absl::StrCat("ftam: ", err.status().message()));
}

}  // namespace

absl::StatusOr<Pdu> DecodePdu(osi::Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  ber::Reader r(b, &err);
  Pdu p;
  if (ReadPdu(r, &p)) r.ExpectEnd();
  if (!err.ok()) return Wrap(err);
  return p;
}

absl::StatusOr<std::vector<Pdu>> DecodePdus(osi::Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  ber::Reader r(b, &err);
  std::vector<Pdu> out;
  while (!r.empty() && err.ok()) {
    Pdu p;
    if (ReadPdu(r, &p)) out.push_back(std::move(p));
  }
  if (!err.ok()) return Wrap(err);
  return out;
}

absl::Status EncodePdu(const Pdu& p, std::vector<uint8_t>* out) {
  ber::Writer w(out);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        w.Constructed(ContextC(T::kTag), [&] { codec::PutFields(w, v); });
      },
      p);
  return w.status();
}

const char* PduName(const Pdu& p) {
  return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::kName; }, p);
}

uint32_t PduTag(const Pdu& p) { return static_cast<uint32_t>(p.index()); }

const Diagnostic* PduDiagnostic(const Pdu& p) {
  return std::visit(
      [](const auto& v) -> const Diagnostic* {
        if constexpr (requires { v.diagnostic; }) return v.diagnostic ? &*v.diagnostic : nullptr;
        else return nullptr;
      },
      p);
}

}  // namespace gw::ftam
