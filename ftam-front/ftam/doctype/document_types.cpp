#include "ftam/doctype/document_types.h"

#include "absl/strings/str_cat.h"
#include "osi/ber/reader.h"
#include "osi/ber/writer.h"

namespace gw::ftam::doctype {

namespace ber = osi::ber;

std::optional<Oid> AbstractSyntaxOf(const Oid& dt) {
  if (dt == kFtam1DocumentType) return kUnstructuredTextAbstractSyntax;
  if (dt == kFtam3DocumentType) return kUnstructuredBinaryAbstractSyntax;
  if (dt == kNbs9DocumentType) return kNbs9AbstractSyntax;
  if (dt == kNbs9OldDocumentType) return kNbs9OldAbstractSyntax;
  return std::nullopt;
}

const char* DocumentTypeName(const Oid& dt) {
  if (dt == kFtam1DocumentType) return "FTAM-1";
  if (dt == kFtam3DocumentType) return "FTAM-3";
  if (dt == kNbs9DocumentType) return "NBS-9";
  if (dt == kNbs9OldDocumentType) return "NBS-9(old)";
  return "unknown";
}

namespace {

template <typename F>
absl::Status ReadSequence(Bytes b, F&& member) {
  ber::ErrorState err(b);
  ber::Reader top(b, &err), s(Bytes(), &err);
  if (top.Enter(ber::kSequence, &s) && top.ExpectEnd()) {
    while (!s.empty() && s.ok()) {
      ber::Element e;
      if (!s.ReadAny(&e)) break;
      int64_t v = 0;
      if (e.tag.cls == ber::TagClass::kContext && !e.tag.constructed) {
        if (!ber::Reader::IntegerFromContents(e.contents, &v)) {
          s.Fail("malformed parameter integer");
          break;
        }
        member(e.tag.number, v);
      }
    }
  }
  if (!err.ok()) return absl::InvalidArgumentError(absl::StrCat("doctype: ", err.status().message()));
  return absl::OkStatus();
}

std::string Sequence(std::initializer_list<std::pair<uint32_t, std::optional<int64_t>>> members) {
  std::vector<uint8_t> out;
  ber::Writer w(&out);
  w.Sequence([&] {
    for (const auto& [n, v] : members)
      if (v) w.Integer(ber::Context(n), *v);
  });
  return std::string(out.begin(), out.end());
}

}  // namespace

absl::StatusOr<Ftam1Parameter> DecodeFtam1Parameter(Bytes b) {
  Ftam1Parameter p;
  absl::Status s = ReadSequence(b, [&](uint32_t n, int64_t v) {
    if (n == 0) p.universal_class_number = v;
    if (n == 1) p.maximum_string_length = v;
    if (n == 2) p.string_significance = v;
  });
  if (!s.ok()) return s;
  return p;
}

absl::StatusOr<Ftam3Parameter> DecodeFtam3Parameter(Bytes b) {
  Ftam3Parameter p;
  absl::Status s = ReadSequence(b, [&](uint32_t n, int64_t v) {
    if (n == 1) p.maximum_string_length = v;
    if (n == 2) p.string_significance = v;
  });
  if (!s.ok()) return s;
  return p;
}

absl::StatusOr<Nbs9Parameter> DecodeNbs9Parameter(Bytes b) {
  ber::ErrorState err(b);
  ber::Reader r(b, &err);
  Nbs9Parameter p;
  if (r.ReadNamedBits(ber::Context(0), &p.attribute_names)) r.ExpectEnd();
  if (!err.ok()) return absl::InvalidArgumentError(absl::StrCat("doctype: ", err.status().message()));
  return p;
}

std::string EncodeParameter(const Ftam1Parameter& p) {
  return Sequence({{0, p.universal_class_number}, {1, p.maximum_string_length}, {2, p.string_significance}});
}
std::string EncodeParameter(const Ftam3Parameter& p) {
  return Sequence({{1, p.maximum_string_length}, {2, p.string_significance}});
}
std::string EncodeParameter(const Nbs9Parameter& p) {
  std::vector<uint8_t> out;
  ber::Writer w(&out);
  w.Bits(ber::Context(0), p.attribute_names);
  return std::string(out.begin(), out.end());
}

ContentsType Ftam1ContentsType(const Ftam1Parameter& p) {
  ContentsType c;
  c.document_type_name = kFtam1DocumentType;
  c.parameter = EncodeParameter(p);
  return c;
}
ContentsType Ftam3ContentsType(const Ftam3Parameter& p) {
  ContentsType c;
  c.document_type_name = kFtam3DocumentType;
  c.parameter = EncodeParameter(p);
  return c;
}
ContentsType Nbs9ContentsType(const Nbs9Parameter& p) {
  ContentsType c;
  c.document_type_name = kNbs9DocumentType;
  c.parameter = EncodeParameter(p);
  return c;
}

}  // namespace gw::ftam::doctype
