#include "osi/ber/writer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gw::osi::ber {
namespace {

// Out: a std::vector<uint8_t> or a Header (both push_back).
template <typename Out>
void AppendIdentifier(Tag tag, Out* out) {
  uint8_t b0 = static_cast<uint8_t>(static_cast<uint8_t>(tag.cls) << 6) |
               (tag.constructed ? 0x20 : 0);
  if (tag.number < 31) {
    out->push_back(b0 | static_cast<uint8_t>(tag.number));
    return;
  }
  out->push_back(b0 | 0x1f);  // X.690 §8.1.2.4
  uint8_t tmp[5];
  int n = 0;
  uint32_t v = tag.number;
  do {
    tmp[n++] = v & 0x7f;
    v >>= 7;
  } while (v);
  while (n > 1) out->push_back(tmp[--n] | 0x80);
  out->push_back(tmp[0]);
}

template <typename Out>
void AppendLength(size_t len, Out* out) {
  if (len < 0x80) {
    out->push_back(static_cast<uint8_t>(len));
    return;
  }
  int n = 0;
  for (size_t v = len; v; v >>= 8) ++n;
  out->push_back(static_cast<uint8_t>(0x80 | n));
  for (int i = n - 1; i >= 0; --i) out->push_back(static_cast<uint8_t>(len >> (8 * i)));
}

}  // namespace

void Writer::Fail(std::string_view what) {
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat("ber: ", std::string(what)));
}

void Writer::AppendHeader(Tag tag, size_t length, std::vector<uint8_t>* out) {
  // A header is at most 15 octets: room for it at once, not octet by octet from nothing
  // (headers are often written into a fresh vector).
  if (out->capacity() - out->size() < 15) out->reserve(std::max(out->size() + 15, 2 * out->capacity()));
  AppendIdentifier(tag, out);
  AppendLength(length, out);
}

size_t Writer::HeaderSize(Tag tag, size_t length) {
  size_t n = 1;
  if (tag.number >= 31)
    for (uint32_t v = tag.number; v; v >>= 7) ++n;
  n += 1;
  if (length >= 0x80)
    for (size_t v = length; v; v >>= 8) ++n;
  return n;
}

Header MakeHeader(Tag tag, size_t length) {
  Header h;
  AppendIdentifier(tag, &h);
  AppendLength(length, &h);
  return h;
}

size_t Writer::Open(Tag tag) {
  AppendIdentifier(tag, out_);
  out_->push_back(0);  // one length octet reserved; Close() widens it if needed
  return out_->size();
}

void Writer::Close(size_t mark) {
  size_t len = out_->size() - mark;
  if (len < 0x80) {
    (*out_)[mark - 1] = static_cast<uint8_t>(len);
    return;
  }
  Header lenbytes;
  AppendLength(len, &lenbytes);
  (*out_)[mark - 1] = lenbytes.bytes[0];
  out_->insert(out_->begin() + static_cast<std::ptrdiff_t>(mark), lenbytes.bytes + 1,
               lenbytes.bytes + lenbytes.size);
}

void Writer::Primitive(Tag tag, Bytes contents) {
  tag.constructed = false;
  AppendIdentifier(tag, out_);
  AppendLength(contents.size(), out_);
  out_->insert(out_->end(), contents.begin(), contents.end());
}

// X.690 §8.3.2: minimal two's complement.
void Writer::Integer(Tag tag, int64_t v) {
  uint8_t buf[8];
  int n = 8;
  for (int i = 7; i >= 0; --i) buf[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * (7 - i)));
  int start = 0;
  while (start < 7 && ((buf[start] == 0x00 && !(buf[start + 1] & 0x80)) ||
                       (buf[start] == 0xff && (buf[start + 1] & 0x80))))
    ++start;
  Primitive(tag, Bytes(buf + start, static_cast<size_t>(n - start)));
}

void Writer::Boolean(Tag tag, bool v) {
  uint8_t b = v ? 0xff : 0x00;
  Primitive(tag, Bytes(&b, 1));
}

void Writer::Null(Tag tag) { Primitive(tag, Bytes()); }

void Writer::ObjectId(Tag tag, const Oid& oid) {
  if (oid.size() < 2) {
    Fail("object identifier needs two arcs");
    return;
  }
  uint8_t c[Oid::kMaxEncodedSize];
  Primitive(tag, Bytes(c, oid.EncodeTo(c)));
}

void Writer::Bits(Tag tag, NamedBits bits) {
  size_t nbits = 0;
  for (int k = 63; k >= 0; --k) {
    if (bits.Test(k)) {
      nbits = static_cast<size_t>(k) + 1;
      break;
    }
  }
  BitsWithLength(tag, bits, nbits);
}

void Writer::BitsWithLength(Tag tag, NamedBits bits, size_t nbits) {
  if (nbits > 64) nbits = 64;
  uint8_t buf[9] = {};
  size_t nbytes = (nbits + 7) / 8;
  buf[0] = static_cast<uint8_t>(nbytes * 8 - nbits);
  for (size_t k = 0; k < nbits; ++k)
    if (bits.Test(static_cast<int>(k))) buf[1 + k / 8] |= static_cast<uint8_t>(0x80 >> (k % 8));
  Primitive(tag, Bytes(buf, 1 + nbytes));
}

void Writer::Octets(Tag tag, Bytes v) { Primitive(tag, v); }

void Writer::GeneralizedTime(Tag tag, const Time& t) { Octets(tag, t.ToGeneralized()); }
void Writer::UtcTime(Tag tag, const Time& t) { Octets(tag, t.ToUtc()); }

void Writer::Raw(Bytes encoded) { out_->insert(out_->end(), encoded.begin(), encoded.end()); }

}  // namespace gw::osi::ber
