#include "osi/ber/oid.h"

#include <charconv>

namespace gw::osi::ber {

std::string Oid::ToString() const {
  std::string s;
  for (size_t i = 0; i < size_; ++i) {
    if (i) s += '.';
    s += std::to_string(arcs_[i]);
  }
  return s;
}

std::optional<Oid> Oid::Parse(std::string_view dotted) {
  Oid o;
  while (!dotted.empty()) {
    size_t dot = dotted.find('.');
    std::string_view part = dotted.substr(0, dot);
    uint32_t v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || p != part.data() + part.size() || part.empty()) return std::nullopt;
    if (o.size_ == kMaxArcs) return std::nullopt;
    o.arcs_[o.size_++] = v;
    if (dot == std::string_view::npos) break;
    dotted.remove_prefix(dot + 1);
    if (dotted.empty()) return std::nullopt;
  }
  if (o.size_ < 2 || o.arcs_[0] > 2 || (o.arcs_[0] < 2 && o.arcs_[1] > 39)) return std::nullopt;
  return o;
}

// X.690 §8.19.2-8.19.4: subidentifiers base 128, the first combines two arcs.
std::optional<Oid> Oid::Decode(Bytes c) {
  if (c.empty()) return std::nullopt;
  Oid o;
  size_t i = 0;
  bool first = true;
  while (i < c.size()) {
    if (c[i] == 0x80) return std::nullopt;  // §8.19.2: leading 0x80 is not minimal
    uint64_t v = 0;
    for (;;) {
      if (i >= c.size()) return std::nullopt;
      uint8_t b = c[i++];
      v = (v << 7) | (b & 0x7f);
      if (v > 0xffffffffull + 80) return std::nullopt;
      if (!(b & 0x80)) break;
    }
    if (first) {
      uint32_t a0 = v < 40 ? 0 : v < 80 ? 1 : 2;
      uint64_t a1 = v - 40ull * a0;
      if (a1 > 0xffffffffull || o.size_ + 2 > kMaxArcs) return std::nullopt;
      o.arcs_[o.size_++] = a0;
      o.arcs_[o.size_++] = static_cast<uint32_t>(a1);
      first = false;
    } else {
      if (v > 0xffffffffull || o.size_ == kMaxArcs) return std::nullopt;
      o.arcs_[o.size_++] = static_cast<uint32_t>(v);
    }
  }
  return o;
}

namespace {
// X.690 §8.19.2: base 128, most significant group first, bit 8 set on all but the last.
size_t Base128(uint64_t v, uint8_t* out) {
  uint8_t tmp[10];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<uint8_t>(v & 0x7f);
    v >>= 7;
  } while (v);
  for (size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i] | (i + 1 < n ? 0x80 : 0);
  return n;
}
}  // namespace

size_t Oid::EncodeTo(uint8_t* out) const {
  if (size_ < 2) return Base128(size_ ? arcs_[0] * 40ull : 0, out);
  size_t n = Base128(arcs_[0] * 40ull + arcs_[1], out);
  for (size_t i = 2; i < size_; ++i) n += Base128(arcs_[i], out + n);
  return n;
}

void Oid::EncodeTo(std::vector<uint8_t>* out) const {
  uint8_t buf[kMaxEncodedSize];
  size_t n = EncodeTo(buf);
  out->insert(out->end(), buf, buf + n);
}

}  // namespace gw::osi::ber
