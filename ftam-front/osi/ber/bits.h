// BIT STRING with named bits (X.680 §22, X.690 §8.6): bit k is mask 1<<k here and
// lives in content octet k/8 under mask 0x80>>(k%8) on the wire.
#pragma once

#include <cstdint>
#include <initializer_list>

namespace gw::osi::ber {

struct NamedBits {
  uint64_t mask = 0;   // named bits 0..63
  uint8_t length = 0;  // number of bits as received (encoders use the minimal length)

  constexpr NamedBits() = default;
  constexpr explicit NamedBits(uint64_t m) : mask(m) {}
  static constexpr NamedBits Of(std::initializer_list<int> bits) {
    NamedBits b;
    for (int k : bits) b.mask |= 1ull << k;
    return b;
  }
  constexpr bool Test(int k) const { return k < 64 && (mask >> k) & 1; }
  constexpr NamedBits& Set(int k, bool on = true) {
    if (on) mask |= 1ull << k; else mask &= ~(1ull << k);
    return *this;
  }
  constexpr bool operator==(const NamedBits& o) const { return mask == o.mask; }
  constexpr bool SubsetOf(NamedBits o) const { return (mask & ~o.mask) == 0; }
};

}  // namespace gw::osi::ber
