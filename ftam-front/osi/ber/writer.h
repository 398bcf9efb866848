// A BER writer in the style of BoringSSL's CBB: appends to a caller-owned buffer,
// nested scopes fill in their (definite, minimal) length when they close, and errors
// are sticky. Output is always definite-length (X.690 §8.1.3.2 a).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "osi/ber/bits.h"
#include "osi/ber/oid.h"
#include "osi/ber/tag.h"
#include "osi/ber/time.h"
#include "osi/gather.h"

namespace gw::osi::ber {

class Writer {
 public:
  // Starts with room for a few small elements, so that encoding into a fresh vector does
  // not regrow it octet by octet.
  explicit Writer(std::vector<uint8_t>* out) : out_(out) {
    if (out_->capacity() - out_->size() < 64) out_->reserve(std::max(out_->size() + 256, 2 * out_->capacity()));
  }

  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }
  void Fail(std::string_view what);

  // Constructed element: body() writes the contents.
  template <typename F>
  void Constructed(Tag tag, F&& body) {
    tag.constructed = true;
    size_t mark = Open(tag);
    body();
    Close(mark);
  }
  template <typename F>
  void Sequence(F&& body) { Constructed(kSequence, std::forward<F>(body)); }

  void Integer(Tag tag, int64_t v);
  void Integer(int64_t v) { Integer(kInteger, v); }
  void Boolean(Tag tag, bool v);
  void Null(Tag tag);
  void ObjectId(Tag tag, const Oid& oid);
  void ObjectId(const Oid& oid) { ObjectId(kOid, oid); }
  // Minimal named-bit encoding (trailing zero bits removed, X.680 §22.7).
  void Bits(Tag tag, NamedBits bits);
  // Named bits with an explicit bit count (keeps trailing zero bits).
  void BitsWithLength(Tag tag, NamedBits bits, size_t nbits);
  void Octets(Tag tag, Bytes v);
  void Octets(Tag tag, std::string_view v) { Octets(tag, AsBytes(v)); }
  void GeneralizedTime(Tag tag, const Time& t);
  void UtcTime(Tag tag, const Time& t);
  // Pre-encoded complete TLV(s), copied as they are.
  void Raw(Bytes encoded);

  // Identifier and length octets only (for gathered payloads).
  static void AppendHeader(Tag tag, size_t length, std::vector<uint8_t>* out);
  static size_t HeaderSize(Tag tag, size_t length);

 private:
  size_t Open(Tag tag);
  void Close(size_t mark);
  void Primitive(Tag tag, Bytes contents);

  std::vector<uint8_t>* out_;
  absl::Status status_;
};

// Identifier and length for a gathered element, written into a small array.
struct Header {
  uint8_t bytes[16];
  uint8_t size = 0;
  Bytes view() const { return {bytes, size}; }
  void push_back(uint8_t b) { bytes[size++] = b; }  // at most 15: a tag of 5 and a length of 8
};
Header MakeHeader(Tag tag, size_t length);

}  // namespace gw::osi::ber
