// A bounds-checked BER reader in the style of BoringSSL's CBS.
//
// A Reader is a non-owning cursor over a byte span. Every Read*/Enter* call either
// succeeds and advances, or fails, leaves the cursor where it was and records the first
// error in the shared ErrorState (errors are sticky: once one is recorded, every later
// call fails too). Enter() hands out a sub-reader bounded by the element, so bounds follow
// the structure. Leniency is explicit: indefinite lengths and constructed strings are
// accepted on input because ISODE sends them (osi-ftam-notes §4, §12.5); primitive
// elements with indefinite length, lengths past the end and nesting beyond the
// configured depth are errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "osi/ber/bits.h"
#include "osi/ber/oid.h"
#include "osi/ber/tag.h"
#include "osi/ber/time.h"
#include "osi/gather.h"

namespace gw::osi::ber {

struct Limits {
  uint32_t max_depth = 32;              // nesting of constructed elements
  size_t max_element = size_t{1} << 30;  // largest declared length accepted
  size_t max_string = size_t{1} << 24;   // largest reassembled constructed string
};

const Limits& DefaultLimits();

// The first error of one decode, shared by a reader and all its sub-readers.
class ErrorState {
 public:
  explicit ErrorState(Bytes whole, const Limits& limits = DefaultLimits())
      : base_(whole.data()), limits_(limits) {}
  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }
  const Limits& limits() const { return limits_; }
  // Records an InvalidArgument error "ber: <what> at offset N" unless one is recorded.
  bool Fail(const uint8_t* where, std::string_view what);
  bool Fail(absl::Status s);

 private:
  const uint8_t* base_;
  Limits limits_;
  absl::Status status_;
};

// One TLV as found in the input.
struct Element {
  Tag tag;
  Bytes contents;          // without EOC for indefinite lengths
  Bytes raw;               // identifier through the last octet (incl. EOC)
  bool indefinite = false;
};

class Reader {
 public:
  Reader(Bytes data, ErrorState* err, uint32_t depth = 0)
      : data_(data), err_(err), depth_(depth) {}

  bool ok() const { return err_->ok(); }
  bool empty() const { return data_.empty(); }
  size_t remaining() const { return data_.size(); }
  Bytes rest() const { return data_; }
  ErrorState* errors() const { return err_; }
  uint32_t depth() const { return depth_; }

  // Non-failing look at the next identifier.
  bool PeekTag(Tag* tag) const;
  bool Peek(Tag tag) const;
  bool PeekNumber(Tag tag) const;  // same class/number, either form

  bool ReadAny(Element* out);
  bool ReadElement(Tag tag, Element* out);
  bool Skip();
  // Constructed element with exactly this tag -> sub-reader over its contents.
  bool Enter(Tag tag, Reader* sub);
  bool EnterAny(Tag* tag, Reader* sub);
  // A sub-reader over an element already read (must be constructed).
  bool EnterElement(const Element& e, Reader* sub);

  bool ReadInteger(Tag tag, int64_t* v);
  bool ReadBoolean(Tag tag, bool* v);
  bool ReadNull(Tag tag);
  bool ReadOid(Tag tag, Oid* v);
  bool ReadNamedBits(Tag tag, NamedBits* v);
  // OCTET STRING or any character string: primitive or constructed (segments concatenated).
  bool ReadString(Tag tag, std::string* v);
  // Primitive only, zero-copy.
  bool ReadPrimitive(Tag tag, Bytes* v);
  bool ReadGeneralizedTime(Tag tag, Time* v);
  bool ReadUtcTime(Tag tag, Time* v);

  // Fails unless every element has been consumed.
  bool ExpectEnd();
  bool Fail(std::string_view what) { return err_->Fail(data_.data(), what); }

  // Contents of an element decoded as a value of the universal type, with the outer
  // tag already stripped (for IMPLICIT tags use the Read* calls with the implicit tag).
  static bool IntegerFromContents(Bytes c, int64_t* v);
  bool StringFromElement(const Element& e, std::string* v);

 private:
  bool ParseHeader(Bytes in, Element* out, size_t* total) const;
  bool FindEndOfContents(Bytes in, uint32_t depth, size_t* contents_len) const;
  bool AppendSegments(const Element& e, uint32_t depth, std::string* v);

  Bytes data_;
  ErrorState* err_;
  uint32_t depth_;
};

// Decodes one complete value from b and requires nothing to follow (or just returns the
// element when allow_trailing).
bool ReadSingle(Bytes b, ErrorState* err, Element* out, bool allow_trailing = false);

// Splits a buffer holding concatenated BER values (an octet-aligned PDV) into elements.
absl::Status SplitValues(Bytes b, std::vector<Bytes>* values, const Limits& limits = DefaultLimits());

}  // namespace gw::osi::ber
