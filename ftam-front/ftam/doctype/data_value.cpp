#include "ftam/doctype/data_value.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "ftam/pdu/codec.h"

namespace gw::ftam::doctype {

namespace ber = osi::ber;

size_t StringValue::size() const {
  size_t n = 0;
  for (auto s : segments) n += s.size();
  return n;
}

std::string StringValue::Join() const {
  std::string s;
  s.reserve(size());
  for (auto seg : segments) s.append(osi::AsChars(seg));
  return s;
}

bool IsTextStringType(uint32_t t) {
  namespace u = ber::universal;
  return t == u::kPrintableString || t == u::kTeletexString || t == u::kVideotexString ||
         t == u::kIa5String || t == u::kGraphicString || t == u::kVisibleString ||
         t == u::kGeneralString;
}

namespace {

bool Segments(ber::Reader& r, const ber::Element& e, uint32_t number, uint32_t depth, StringValue* v) {
  if (!e.tag.constructed) {
    v->segments.push_back(e.contents);
    return true;
  }
  if (depth > r.errors()->limits().max_depth) return r.Fail("nesting too deep");
  ber::Reader sub(e.contents, r.errors(), depth);
  while (!sub.empty()) {
    ber::Element s;
    if (!sub.ReadAny(&s)) return false;
    // X.690 §8.23.6: segments of a constructed string are OCTET STRINGs (accept the type itself too).
    if (s.tag.cls != ber::TagClass::kUniversal ||
        (s.tag.number != ber::universal::kOctetString && s.tag.number != number))
      return sub.Fail("bad string segment");
    if (!Segments(sub, s, number, depth + 1, v)) return false;
  }
  return true;
}

absl::StatusOr<StringValue> DecodeString(Bytes value, const ber::Limits& l, bool text) {
  ber::ErrorState err(value, l);
  ber::Reader r(value, &err);
  ber::Element e;
  StringValue v;
  if (r.ReadAny(&e) && r.ExpectEnd()) {
    bool ok_type = e.tag.cls == ber::TagClass::kUniversal &&
                   (text ? IsTextStringType(e.tag.number) : e.tag.number == ber::universal::kOctetString);
    if (!ok_type) {
      err.Fail(value.data(), absl::StrCat("unexpected data value ", ber::TagToString(e.tag)));
    } else {
      v.universal_tag = e.tag.number;
      Segments(r, e, e.tag.number, 1, &v);
    }
  }
  if (!err.ok()) return absl::InvalidArgumentError(absl::StrCat("doctype: ", err.status().message()));
  return v;
}

}  // namespace

absl::StatusOr<StringValue> DecodeTextValue(Bytes value, const ber::Limits& l) { return DecodeString(value, l, true); }
absl::StatusOr<StringValue> DecodeBinaryValue(Bytes value, const ber::Limits& l) { return DecodeString(value, l, false); }

ber::Header TextValueHeader(uint32_t t, size_t length) { return ber::MakeHeader(ber::Universal(t), length); }
ber::Header BinaryValueHeader(size_t length) { return ber::MakeHeader(ber::kOctetString, length); }

void AppendValues(uint32_t t, Bytes data, size_t max_value, osi::Gather* out) {
  if (max_value == 0) max_value = data.size() ? data.size() : 1;
  do {
    size_t n = std::min(max_value, data.size());
    ber::Header h = ber::MakeHeader(ber::Universal(t), n);
    out->AddCopy(h.view());
    out->AddRef(data.first(n));
    data = data.subspan(n);
  } while (!data.empty());
}

void CrLfToLf::Append(Bytes chunk, std::string* out) {
  const char* p = reinterpret_cast<const char*>(chunk.data());
  const char* end = p + chunk.size();
  if (p == end) return;
  if (pending_cr_) {
    pending_cr_ = false;
    if (*p != '\n') out->push_back('\r');
  }
  // Copy runs between CRs in bulk; only CR LF pairs are rewritten.
  while (p < end) {
    const char* cr = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(end - p)));
    if (!cr) {
      out->append(p, end);
      return;
    }
    out->append(p, cr);
    if (cr + 1 == end) {
      pending_cr_ = true;  // decided by the next chunk
      return;
    }
    if (cr[1] != '\n') out->push_back('\r');
    p = cr + 1;
  }
}

void CrLfToLf::Finish(std::string* out) {
  if (pending_cr_) out->push_back('\r');
  pending_cr_ = false;
}

void LfToCrLf(Bytes chunk, std::string* out) {
  const char* p = reinterpret_cast<const char*>(chunk.data());
  const char* end = p + chunk.size();
  while (p < end) {
    const char* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (!lf) {
      out->append(p, end);
      return;
    }
    out->append(p, lf);
    out->append("\r\n");
    p = lf + 1;
  }
}

absl::StatusOr<Attributes> DecodeDirectoryEntry(Bytes value, const ber::Limits& l) {
  ber::ErrorState err(value, l);
  ber::Reader r(value, &err), in(Bytes(), &err);
  Attributes a;
  ber::Element e;
  if (r.Enter(ber::Private(2, true), &in) && r.ExpectEnd() && in.ReadElement(common_tag::kReadAttributes, &e) &&
      in.ExpectEnd())
    codec::Get(in, e, &a);
  if (!err.ok()) return absl::InvalidArgumentError(absl::StrCat("NBS-9: ", err.status().message()));
  return a;
}

void EncodeDirectoryEntry(const Attributes& a, std::vector<uint8_t>* out) {
  ber::Writer w(out);
  w.Constructed(ber::Private(2, true), [&] { codec::Put(w, common_tag::kReadAttributes, a); });
}

}  // namespace gw::ftam::doctype
