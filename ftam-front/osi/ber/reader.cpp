#include "osi/ber/reader.h"

#include "absl/strings/str_cat.h"

namespace gw::osi::ber {

const Limits& DefaultLimits() {
  static const Limits kLimits;
  return kLimits;
}

bool ErrorState::Fail(const uint8_t* where, std::string_view what) {
  if (status_.ok()) {
    status_ = absl::InvalidArgumentError(
        absl::StrCat("ber: ", std::string(what), " at offset ", where ? where - base_ : 0));
  }
  return false;
}

bool ErrorState::Fail(absl::Status s) {
  if (status_.ok()) status_ = std::move(s);
  return false;
}

std::string TagToString(Tag t) {
  static constexpr const char* kClass[] = {"UNIVERSAL ", "APPLICATION ", "", "PRIVATE "};
  return absl::StrCat("[", kClass[static_cast<int>(t.cls)], t.number, "]",
                      t.constructed ? "C" : "");
}

// X.690 §8.1.2 (identifier) and §8.1.3 (length). Sets *total to the header size for
// indefinite lengths before the contents are scanned.
bool Reader::ParseHeader(Bytes in, Element* out, size_t* total) const {
  const uint8_t* at = in.data();
  if (in.empty()) return err_->Fail(at, "truncated identifier");
  size_t i = 0;
  uint8_t b0 = in[i++];
  Tag t{static_cast<TagClass>(b0 >> 6), (b0 & 0x20) != 0, static_cast<uint32_t>(b0 & 0x1f)};
  if (t.number == 0x1f) {  // §8.1.2.4 high-tag-number form
    uint32_t n = 0;
    for (int k = 0;; ++k) {
      if (i >= in.size()) return err_->Fail(at, "truncated tag number");
      if (k == 4) return err_->Fail(at, "tag number too large");
      uint8_t b = in[i++];
      if (k == 0 && b == 0x80) return err_->Fail(at, "non-minimal tag number");
      n = (n << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    t.number = n;
  }
  if (i >= in.size()) return err_->Fail(at, "truncated length");
  uint8_t l0 = in[i++];
  out->tag = t;
  out->indefinite = false;
  if (l0 < 0x80) {  // §8.1.3.4 short form
    if (l0 > in.size() - i) return err_->Fail(at, "length past the end");
    out->contents = in.subspan(i, l0);
    *total = i + l0;
  } else if (l0 == 0x80) {  // §8.1.3.6 indefinite form
    if (!t.constructed) return err_->Fail(at, "indefinite length on a primitive element");
    out->indefinite = true;
    *total = i;
  } else {  // §8.1.3.5 long form
    size_t n = l0 & 0x7f;
    if (n == 0x7f) return err_->Fail(at, "reserved length octet");
    if (n > 8 || n > in.size() - i) return err_->Fail(at, "truncated length");
    uint64_t len = 0;
    for (size_t k = 0; k < n; ++k) {
      if (len >> 56) return err_->Fail(at, "length too large");
      len = (len << 8) | in[i++];
    }
    if (len > err_->limits().max_element) return err_->Fail(at, "declared length over the limit");
    if (len > in.size() - i) return err_->Fail(at, "length past the end");
    out->contents = in.subspan(i, static_cast<size_t>(len));
    *total = i + static_cast<size_t>(len);
  }
  return true;
}

// Scans the contents of an indefinite-length element up to its end-of-contents octets
// (§8.1.5). Nested indefinite elements are scanned recursively up to the depth limit.
bool Reader::FindEndOfContents(Bytes in, uint32_t depth, size_t* contents_len) const {
  if (depth >= err_->limits().max_depth) return err_->Fail(in.data(), "nesting too deep");
  size_t pos = 0;
  for (;;) {
    if (in.size() - pos >= 2 && in[pos] == 0 && in[pos + 1] == 0) {
      *contents_len = pos;
      return true;
    }
    if (pos >= in.size()) return err_->Fail(in.data() + pos, "missing end-of-contents");
    Element e;
    size_t total = 0;
    if (!ParseHeader(in.subspan(pos), &e, &total)) return false;
    if (e.indefinite) {
      size_t inner = 0;
      if (!FindEndOfContents(in.subspan(pos + total), depth + 1, &inner)) return false;
      total += inner + 2;
    }
    pos += total;
  }
}

bool Reader::PeekTag(Tag* tag) const {
  if (!ok() || data_.empty()) return false;
  ErrorState scratch(data_, err_->limits());
  Reader probe(data_, &scratch, depth_);
  Element e;
  size_t total = 0;
  if (!probe.ParseHeader(data_, &e, &total)) return false;
  *tag = e.tag;
  return true;
}

bool Reader::Peek(Tag tag) const {
  Tag t;
  return PeekTag(&t) && t == tag;
}

bool Reader::PeekNumber(Tag tag) const {
  Tag t;
  return PeekTag(&t) && SameNumber(t, tag);
}

bool Reader::ReadAny(Element* out) {
  if (!ok()) return false;
  Element e;
  size_t total = 0;
  if (!ParseHeader(data_, &e, &total)) return false;
  if (e.indefinite) {
    size_t len = 0;
    if (!FindEndOfContents(data_.subspan(total), depth_ + 1, &len)) return false;
    e.contents = data_.subspan(total, len);
    total += len + 2;
  }
  e.raw = data_.first(total);
  data_ = data_.subspan(total);
  *out = e;
  return true;
}

bool Reader::ReadElement(Tag tag, Element* out) {
  if (!ok()) return false;
  Tag t;
  if (!PeekTag(&t)) {
    if (data_.empty()) return err_->Fail(data_.data(), "missing element " + TagToString(tag));
    Element e;
    return ReadAny(&e);  // records the header error
  }
  if (!SameNumber(t, tag) || (tag.constructed && !t.constructed))
    return err_->Fail(data_.data(), absl::StrCat("expected ", TagToString(tag), " got ", TagToString(t)));
  return ReadAny(out);
}

bool Reader::Skip() {
  Element e;
  return ReadAny(&e);
}

bool Reader::EnterElement(const Element& e, Reader* sub) {
  if (!e.tag.constructed) return err_->Fail(e.raw.data(), "expected a constructed element");
  if (depth_ + 1 > err_->limits().max_depth) return err_->Fail(e.raw.data(), "nesting too deep");
  *sub = Reader(e.contents, err_, depth_ + 1);
  return true;
}

bool Reader::Enter(Tag tag, Reader* sub) {
  Bytes saved = data_;
  Element e;
  if (!ReadElement(tag, &e)) return false;
  if (!EnterElement(e, sub)) {
    data_ = saved;
    return false;
  }
  return true;
}

bool Reader::EnterAny(Tag* tag, Reader* sub) {
  Bytes saved = data_;
  Element e;
  if (!ReadAny(&e)) return false;
  if (!EnterElement(e, sub)) {
    data_ = saved;
    return false;
  }
  *tag = e.tag;
  return true;
}

bool Reader::IntegerFromContents(Bytes c, int64_t* v) {
  if (c.empty() || c.size() > 8) return false;
  int64_t x = (c[0] & 0x80) ? -1 : 0;
  for (uint8_t b : c) x = static_cast<int64_t>((static_cast<uint64_t>(x) << 8) | b);
  *v = x;
  return true;
}

bool Reader::ReadPrimitive(Tag tag, Bytes* v) {
  Bytes saved = data_;
  Element e;
  if (!ReadElement(tag, &e)) return false;
  if (e.tag.constructed) {
    data_ = saved;
    return err_->Fail(e.raw.data(), "expected a primitive element");
  }
  *v = e.contents;
  return true;
}

// X.690 §8.3
bool Reader::ReadInteger(Tag tag, int64_t* v) {
  Bytes saved = data_, c;
  if (!ReadPrimitive(tag, &c)) return false;
  if (!IntegerFromContents(c, v)) {
    data_ = saved;
    return err_->Fail(c.data(), c.empty() ? "empty integer" : "integer too large");
  }
  return true;
}

// X.690 §8.2
bool Reader::ReadBoolean(Tag tag, bool* v) {
  Bytes saved = data_, c;
  if (!ReadPrimitive(tag, &c)) return false;
  if (c.size() != 1) {
    data_ = saved;
    return err_->Fail(c.data(), "boolean must be one octet");
  }
  *v = c[0] != 0;
  return true;
}

// X.690 §8.8
bool Reader::ReadNull(Tag tag) {
  Bytes saved = data_, c;
  if (!ReadPrimitive(tag, &c)) return false;
  if (!c.empty()) {
    data_ = saved;
    return err_->Fail(c.data(), "null with contents");
  }
  return true;
}

bool Reader::ReadOid(Tag tag, Oid* v) {
  Bytes saved = data_, c;
  if (!ReadPrimitive(tag, &c)) return false;
  auto o = Oid::Decode(c);
  if (!o) {
    data_ = saved;
    return err_->Fail(c.data(), "malformed object identifier");
  }
  *v = *o;
  return true;
}

// X.690 §8.6: first octet = unused bits in the last octet. Named bits beyond 63 are
// ignored. A constructed BIT STRING is accepted by joining its segments.
bool Reader::ReadNamedBits(Tag tag, NamedBits* v) {
  Bytes saved = data_;
  Element e;
  if (!ReadElement(tag, &e)) return false;
  std::string joined;
  Bytes c = e.contents;
  if (e.tag.constructed) {
    Reader sub(e.contents, err_, depth_ + 1);
    while (!sub.empty()) {
      Bytes seg;
      if (!sub.ReadPrimitive(kBitString, &seg)) return data_ = saved, false;
      if (seg.empty()) return data_ = saved, Fail("empty bit string segment");
      joined.append(AsChars(seg.subspan(1)));
      if (sub.empty()) joined.insert(joined.begin(), static_cast<char>(seg[0]));
    }
    c = AsBytes(joined);
  }
  if (c.empty() || c[0] > 7 || (c.size() == 1 && c[0] != 0)) {
    data_ = saved;
    return err_->Fail(e.raw.data(), "malformed bit string");
  }
  NamedBits nb;
  size_t nbytes = c.size() - 1;
  size_t nbits = nbytes * 8 - c[0];
  nb.length = static_cast<uint8_t>(nbits > 255 ? 255 : nbits);
  for (size_t k = 0; k < nbits && k < 64; ++k) {
    if (c[1 + k / 8] & (0x80 >> (k % 8))) nb.mask |= 1ull << k;
  }
  *v = nb;
  return true;
}

bool Reader::AppendSegments(const Element& e, uint32_t depth, std::string* v) {
  if (!e.tag.constructed) {
    if (v->size() + e.contents.size() > err_->limits().max_string)
      return err_->Fail(e.raw.data(), "string over the size limit");
    v->append(AsChars(e.contents));
    return true;
  }
  if (depth >= err_->limits().max_depth) return err_->Fail(e.raw.data(), "nesting too deep");
  // X.690 §8.7.3.2 / §8.23.6: segments are OCTET STRINGs (any string type accepted).
  Reader sub(e.contents, err_, depth + 1);
  while (!sub.empty()) {
    Element seg;
    if (!sub.ReadAny(&seg)) return false;
    if (!AppendSegments(seg, depth + 1, v)) return false;
  }
  return true;
}

bool Reader::StringFromElement(const Element& e, std::string* v) {
  std::string out;
  if (!AppendSegments(e, depth_, &out)) return false;
  *v = std::move(out);
  return true;
}

bool Reader::ReadString(Tag tag, std::string* v) {
  Bytes saved = data_;
  Element e;
  if (!ReadElement(tag, &e)) return false;
  if (!StringFromElement(e, v)) return data_ = saved, false;
  return true;
}

bool Reader::ReadGeneralizedTime(Tag tag, Time* v) {
  Bytes saved = data_;
  std::string s;
  if (!ReadString(tag, &s)) return false;
  auto t = ParseGeneralizedTime(s);
  if (!t) return data_ = saved, Fail("malformed GeneralizedTime");
  *v = *t;
  return true;
}

bool Reader::ReadUtcTime(Tag tag, Time* v) {
  Bytes saved = data_;
  std::string s;
  if (!ReadString(tag, &s)) return false;
  auto t = ParseUtcTime(s);
  if (!t) return data_ = saved, Fail("malformed UTCTime");
  *v = *t;
  return true;
}

bool Reader::ExpectEnd() {
  if (!ok()) return false;
  if (!data_.empty()) return Fail("unexpected trailing data");
  return true;
}

bool ReadSingle(Bytes b, ErrorState* err, Element* out, bool allow_trailing) {
  Reader r(b, err);
  if (!r.ReadAny(out)) return false;
  return allow_trailing || r.ExpectEnd();
}

absl::Status SplitValues(Bytes b, std::vector<Bytes>* values, const Limits& limits) {
  ErrorState err(b, limits);
  Reader r(b, &err);
  while (!r.empty()) {
    Element e;
    if (!r.ReadAny(&e)) return err.status();
    values->push_back(e.raw);
  }
  return absl::OkStatus();
}

}  // namespace gw::osi::ber
