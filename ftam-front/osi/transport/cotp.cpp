#include "osi/transport/cotp.h"

#include "absl/strings/str_cat.h"
#include "osi/transport/tpkt.h"

namespace gw::osi::transport {
namespace {

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("cotp: ", std::string(what)));
}

uint16_t U16(Bytes b, size_t i) { return static_cast<uint16_t>((b[i] << 8) | b[i + 1]); }

// Walks code/length/value parameters of a variable part (ISO 8073 §13.2.3).
template <typename F>
absl::Status ForEachParameter(Bytes var, F&& f) {
  size_t i = 0;
  while (i < var.size()) {
    if (var.size() - i < 2) return Bad("truncated parameter");
    uint8_t code = var[i], len = var[i + 1];
    if (len > var.size() - i - 2) return Bad("parameter length past the header");
    absl::Status s = f(code, var.subspan(i + 2, len));
    if (!s.ok()) return s;
    i += 2 + size_t{len};
  }
  return absl::OkStatus();
}

absl::StatusOr<Tpdu> DecodeConnect(Bytes t, size_t li, bool confirm) {
  // LI, code, dst-ref(2), src-ref(2), class/option: §13.3.2
  if (li < 6) return Bad("CR/CC header too short");
  ConnectTpdu c;
  c.confirm = confirm;
  c.credit = t[1] & 0x0f;
  c.dst_ref = U16(t, 2);
  c.src_ref = U16(t, 4);
  c.class_option = t[6];
  if ((c.class_option >> 4) != 0) return Bad(absl::StrCat("unsupported class ", c.class_option >> 4));
  absl::Status s = ForEachParameter(t.subspan(7, li - 6), [&](uint8_t code, Bytes v) {
    switch (code) {
      case param::kTpduSize:
        if (v.size() != 1 || v[0] < 7 || v[0] > 13) return Bad("invalid TPDU size");
        c.tpdu_size = v[0];
        break;
      case param::kCallingTsap: c.calling_tsap = ToString(v); break;
      case param::kCalledTsap: c.called_tsap = ToString(v); break;
      case param::kPreferredMaxTpduSize: {
        if (v.empty() || v.size() > 4) return Bad("invalid preferred TPDU size");
        uint32_t n = 0;
        for (uint8_t b : v) n = (n << 8) | b;
        c.preferred_max_tpdu_size = n;
        break;
      }
      default: c.other.push_back({code, ToString(v)});
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  c.user_data = ToString(t.subspan(li + 1));
  return Tpdu(std::move(c));
}

}  // namespace

const char* DisconnectReasonName(uint8_t r) {
  switch (r) {
    case dr_reason::kNotSpecified: return "not-specified";
    case dr_reason::kCongestion: return "congestion-at-TSAP";
    case dr_reason::kSessionNotAttached: return "session-entity-not-attached";
    case dr_reason::kAddressUnknown: return "address-unknown";
    case dr_reason::kNormal: return "normal";
    case dr_reason::kRemoteCongestion: return "remote-congestion";
    case dr_reason::kNegotiationFailed: return "connection-negotiation-failed";
    case dr_reason::kDuplicateSourceRef: return "duplicate-source-reference";
    case dr_reason::kMismatchedRefs: return "mismatched-references";
    case dr_reason::kProtocolError: return "protocol-error";
    case dr_reason::kReferenceOverflow: return "reference-overflow";
    case dr_reason::kRefused: return "refused";
    case dr_reason::kHeaderLengthInvalid: return "header-or-parameter-length-invalid";
  }
  return "unknown";
}

absl::StatusOr<Tpdu> DecodeTpdu(Bytes t) {
  if (t.size() < 2) return Bad("TPDU too short");
  size_t li = t[0];
  if (li == 255) return Bad("reserved length indicator");  // §13.2.1
  if (li + 1 > t.size()) return Bad("length indicator past the end");
  uint8_t code = t[1] & 0xF0;
  switch (code) {
    case tpdu_code::kCR:
    case tpdu_code::kCC:
      return DecodeConnect(t, li, code == tpdu_code::kCC);
    case tpdu_code::kDT: {
      // §13.7.2 class 0: LI = 2, then the EOT/TPDU-NR octet.
      if (li < 2) return Bad("DT header too short");
      DataTpdu d;
      d.eot = (t[2] & 0x80) != 0;
      d.user_data = t.subspan(li + 1);
      return Tpdu(d);
    }
    case tpdu_code::kDR: {
      if (li < 6) return Bad("DR header too short");  // §13.5.2
      DisconnectTpdu d;
      d.dst_ref = U16(t, 2);
      d.src_ref = U16(t, 4);
      d.reason = t[6];
      absl::Status s = ForEachParameter(t.subspan(7, li - 6), [&](uint8_t c, Bytes v) {
        if (c == param::kAdditionalInfo) d.additional_info = ToString(v);
        return absl::OkStatus();
      });
      if (!s.ok()) return s;
      return Tpdu(std::move(d));
    }
    case tpdu_code::kER: {
      if (li < 4) return Bad("ER header too short");  // §13.12.2
      ErrorTpdu e;
      e.dst_ref = U16(t, 2);
      e.reject_cause = t[4];
      absl::Status s = ForEachParameter(t.subspan(5, li - 4), [&](uint8_t c, Bytes v) {
        if (c == param::kInvalidTpdu) e.invalid_tpdu = ToString(v);
        return absl::OkStatus();
      });
      if (!s.ok()) return s;
      return Tpdu(std::move(e));
    }
  }
  return Bad(absl::StrCat("unsupported TPDU code 0x", absl::Hex(t[1])));
}

const char* TpduName(const Tpdu& t) {
  if (auto* c = std::get_if<ConnectTpdu>(&t)) return c->confirm ? "CC" : "CR";
  if (std::holds_alternative<DataTpdu>(t)) return "DT";
  if (std::holds_alternative<DisconnectTpdu>(t)) return "DR";
  return "ER";
}

namespace {
void Param(uint8_t code, Bytes v, std::vector<uint8_t>* out) {
  out->push_back(code);
  out->push_back(static_cast<uint8_t>(v.size()));
  out->insert(out->end(), v.begin(), v.end());
}

void Finish(std::vector<uint8_t>* out, size_t start) {
  // TPKT length and LI (header without the LI octet, excluding user data) are patched here.
  size_t tpdu = out->size() - start - kTpktHeaderSize;
  auto h = TpktHeader(tpdu);
  std::copy(h.begin(), h.end(), out->begin() + static_cast<std::ptrdiff_t>(start));
}
}  // namespace

void EncodeTpkt(const ConnectTpdu& c, std::vector<uint8_t>* out) {
  size_t start = out->size();
  out->insert(out->end(), {0, 0, 0, 0, 0});
  out->push_back(static_cast<uint8_t>((c.confirm ? tpdu_code::kCC : tpdu_code::kCR) | (c.credit & 0x0f)));
  out->insert(out->end(), {static_cast<uint8_t>(c.dst_ref >> 8), static_cast<uint8_t>(c.dst_ref),
                           static_cast<uint8_t>(c.src_ref >> 8), static_cast<uint8_t>(c.src_ref),
                           c.class_option});
  if (c.calling_tsap) Param(param::kCallingTsap, AsBytes(*c.calling_tsap), out);
  if (c.called_tsap) Param(param::kCalledTsap, AsBytes(*c.called_tsap), out);
  if (c.tpdu_size) Param(param::kTpduSize, Bytes(&*c.tpdu_size, 1), out);
  if (c.preferred_max_tpdu_size) {
    uint32_t v = *c.preferred_max_tpdu_size;
    uint8_t b[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                    static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    size_t skip = 0;
    while (skip < 3 && b[skip] == 0) ++skip;
    Param(param::kPreferredMaxTpduSize, Bytes(b + skip, 4 - skip), out);
  }
  for (const auto& p : c.other) Param(p.code, AsBytes(p.value), out);
  (*out)[start + kTpktHeaderSize] = static_cast<uint8_t>(out->size() - start - kTpktHeaderSize - 1);
  out->insert(out->end(), c.user_data.begin(), c.user_data.end());
  Finish(out, start);
}

void EncodeTpkt(const DisconnectTpdu& d, std::vector<uint8_t>* out) {
  size_t start = out->size();
  out->insert(out->end(), {0, 0, 0, 0, 0, tpdu_code::kDR, static_cast<uint8_t>(d.dst_ref >> 8),
                           static_cast<uint8_t>(d.dst_ref), static_cast<uint8_t>(d.src_ref >> 8),
                           static_cast<uint8_t>(d.src_ref), d.reason});
  if (d.additional_info) Param(param::kAdditionalInfo, AsBytes(*d.additional_info), out);
  (*out)[start + kTpktHeaderSize] = static_cast<uint8_t>(out->size() - start - kTpktHeaderSize - 1);
  Finish(out, start);
}

void EncodeTpkt(const ErrorTpdu& e, std::vector<uint8_t>* out) {
  size_t start = out->size();
  out->insert(out->end(), {0, 0, 0, 0, 0, tpdu_code::kER, static_cast<uint8_t>(e.dst_ref >> 8),
                           static_cast<uint8_t>(e.dst_ref), e.reject_cause});
  if (e.invalid_tpdu) Param(param::kInvalidTpdu, AsBytes(*e.invalid_tpdu), out);
  (*out)[start + kTpktHeaderSize] = static_cast<uint8_t>(out->size() - start - kTpktHeaderSize - 1);
  Finish(out, start);
}

std::array<uint8_t, 7> DtTpktHeader(size_t payload_size, bool eot) {
  auto h = TpktHeader(kDtHeaderSize + payload_size);
  return {h[0], h[1], h[2], h[3], 2, tpdu_code::kDT, static_cast<uint8_t>(eot ? 0x80 : 0x00)};
}

void SegmentTsdu(const std::vector<Bytes>& tsdu, size_t tpdu_size, Gather* out) {
  size_t total = 0;
  for (auto p : tsdu) total += p.size();
  const size_t max_payload = tpdu_size - kDtHeaderSize;
  size_t piece = 0, offset = 0;
  do {
    size_t n = std::min(total, max_payload);
    total -= n;
    auto h = DtTpktHeader(n, total == 0);
    out->AddCopy(Bytes(h));
    while (n > 0) {
      Bytes p = tsdu[piece];
      size_t take = std::min(n, p.size() - offset);
      out->AddRef(p.subspan(offset, take));
      n -= take;
      offset += take;
      if (offset == p.size()) {
        ++piece;
        offset = 0;
      }
    }
    while (piece < tsdu.size() && tsdu[piece].empty()) ++piece;
  } while (total > 0);
}

uint8_t NegotiateTpduSize(const ConnectTpdu& cr, uint8_t responder_max_log2) {
  uint8_t proposed = cr.tpdu_size.value_or(kTpduSize128);
  return std::min(proposed, responder_max_log2);
}

}  // namespace gw::osi::transport
