// Byte views and gather lists shared by every OSI layer.
//
// Inbound layers hand views (Bytes) of the caller's buffer upward; outbound layers
// encode their small headers into a Gather's arena and reference bulk payloads in place,
// so a driver can send one PDU with a single gather write and no copy of the data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gw::osi {

using Bytes = std::span<const uint8_t>;

inline Bytes AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline std::string ToString(Bytes b) { return std::string(AsChars(b)); }

// An ordered list of byte views: headers live in the Gather's own arena (stable
// addresses), payloads are referenced where the caller keeps them.
class Gather {
 public:
  Gather() = default;
  Gather(const Gather&) = delete;
  Gather& operator=(const Gather&) = delete;
  Gather(Gather&&) = default;
  Gather& operator=(Gather&&) = default;

  // Appends a view the caller keeps alive until the gather is sent.
  void AddRef(Bytes b) {
    if (!b.empty()) pieces_.push_back(b);
  }
  // Copies b into the arena (for headers) and appends it.
  void AddCopy(Bytes b);
  void AddCopy(std::initializer_list<uint8_t> b) { AddCopy(Bytes(b.begin(), b.size())); }
  // Copies b into the arena without appending it: a view that lives as long as the gather.
  Bytes Keep(Bytes b) { return Store(b); }
  // Takes ownership of an encoded buffer and appends it.
  void AddOwned(std::vector<uint8_t> v);
  // Prepends a copy of b (headers of a lower layer wrap what is already there).
  void PrependCopy(Bytes b);
  // Takes over what `other` owns (its arena and owned buffers), so that views of it stay
  // valid as long as this gather lives; its pieces are not appended.
  void Adopt(Gather&& other);

  const std::vector<Bytes>& pieces() const { return pieces_; }
  size_t size() const;
  bool empty() const { return pieces_.empty(); }
  void Clear();
  // Flattens into one buffer (tests and tools only; the data path sends pieces()).
  std::vector<uint8_t> Flatten() const;
  void AppendTo(std::vector<uint8_t>* out) const;

 private:
  Bytes Store(Bytes b);
  static constexpr size_t kBlock = 4096;
  std::vector<std::unique_ptr<uint8_t[]>> blocks_;
  size_t block_used_ = kBlock;
  std::vector<std::vector<uint8_t>> owned_;  // vectors keep data stable when moved
  std::vector<Bytes> pieces_;
};

}  // namespace gw::osi
