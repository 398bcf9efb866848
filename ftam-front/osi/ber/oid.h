// OBJECT IDENTIFIER values (X.690 §8.19) without heap allocation.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osi/gather.h"

namespace gw::osi::ber {

class Oid {
 public:
  static constexpr size_t kMaxArcs = 24;

  constexpr Oid() = default;
  constexpr Oid(std::initializer_list<uint32_t> arcs) {
    for (uint32_t a : arcs) {
      if (size_ < kMaxArcs) arcs_[size_++] = a;
    }
  }

  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr uint32_t operator[](size_t i) const { return arcs_[i]; }
  constexpr bool operator==(const Oid& o) const {
    if (size_ != o.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (arcs_[i] != o.arcs_[i]) return false;
    return true;
  }
  constexpr bool operator<(const Oid& o) const {
    for (size_t i = 0; i < size_ && i < o.size_; ++i)
      if (arcs_[i] != o.arcs_[i]) return arcs_[i] < o.arcs_[i];
    return size_ < o.size_;
  }

  // Dotted form "1.0.8571.2.1".
  std::string ToString() const;
  static std::optional<Oid> Parse(std::string_view dotted);

  // Content octets (no tag/length). Decode returns nullopt on malformed contents
  // (empty, truncated subidentifier, non-minimal 0x80 lead, arc overflow, too many arcs).
  static std::optional<Oid> Decode(Bytes contents);
  void EncodeTo(std::vector<uint8_t>* out) const;
  // The same into a buffer of kMaxEncodedSize octets (no allocation); returns the size.
  static constexpr size_t kMaxEncodedSize = kMaxArcs * 10;
  size_t EncodeTo(uint8_t* out) const;

 private:
  std::array<uint32_t, kMaxArcs> arcs_{};
  size_t size_ = 0;
};

}  // namespace gw::osi::ber
