// BER codecs of FTAM member types, ISO 8571-4 §A.1.
#include "ftam/pdu/codec.h"

namespace gw::ftam::codec {

namespace ber = osi::ber;
using osi::AsBytes;
using osi::Bytes;

// Reads a sub-reader over a constructed element.
static bool In(Reader& r, const Element& e, Reader* sub) { return r.EnterElement(e, sub); }

void Put(Writer& w, Tag t, int64_t v) { w.Integer(t, v); }
bool Get(Reader& r, const Element& e, int64_t* v) {
  if (e.tag.constructed || !Reader::IntegerFromContents(e.contents, v))
    return r.Fail("malformed integer member");
  return true;
}

void Put(Writer& w, Tag t, bool v) { w.Boolean(t, v); }
bool Get(Reader& r, const Element& e, bool* v) {
  if (e.tag.constructed || e.contents.size() != 1) return r.Fail("malformed boolean member");
  *v = e.contents[0] != 0;
  return true;
}

void Put(Writer& w, Tag t, const NamedBits& v) { w.Bits(t, v); }
bool Get(Reader& r, const Element& e, NamedBits* v) {
  Reader one(e.raw, r.errors(), r.depth());
  return one.ReadNamedBits(e.tag, v);
}

void Put(Writer& w, Tag t, const std::string& v) { w.Octets(t, v); }
bool Get(Reader& r, const Element& e, std::string* v) { return r.StringFromElement(e, v); }

void Put(Writer& w, Tag t, const Time& v) { w.GeneralizedTime(t, v); }
bool Get(Reader& r, const Element& e, Time* v) {
  std::string s;
  if (!r.StringFromElement(e, &s)) return false;
  auto t = ber::ParseGeneralizedTime(s);
  if (!t) return r.Fail("malformed GeneralizedTime");
  *v = *t;
  return true;
}

void Put(Writer& w, Tag t, const RawValue& v) {
  t.constructed = v.constructed;
  if (v.constructed) w.Constructed(t, [&] { w.Raw(AsBytes(v.contents)); });
  else w.Octets(t, v.contents);
}
bool Get(Reader&, const Element& e, RawValue* v) {
  v->constructed = e.tag.constructed;
  v->contents = osi::ToString(e.contents);
  return true;
}

// SEQUENCE OF SEQUENCE with Fields() entries (Diagnostic, Charging).
template <typename Entry>
static void PutList(Writer& w, Tag t, const std::vector<Entry>& v) {
  w.Constructed(t, [&] {
    for (const auto& d : v) w.Sequence([&] { PutFields(w, d); });
  });
}
template <typename Entry>
static bool GetList(Reader& r, const Element& e, std::vector<Entry>* v) {
  Reader list(Bytes(), r.errors());
  if (!In(r, e, &list)) return false;
  while (!list.empty() && list.ok()) {
    Reader item(Bytes(), r.errors());
    if (!list.Enter(ber::kSequence, &item)) return false;
    Entry d;
    if (!GetFields(item, &d)) return false;
    v->push_back(std::move(d));
  }
  return list.ok();
}

void Put(Writer& w, Tag t, const Diagnostic& v) { PutList(w, t, v); }
bool Get(Reader& r, const Element& e, Diagnostic* v) { return GetList(r, e, v); }
void Put(Writer& w, Tag t, const Charging& v) { PutList(w, t, v); }
bool Get(Reader& r, const Element& e, Charging* v) { return GetList(r, e, v); }

// Contents-Type-Attribute inside an explicit tag.
static void PutContentsTypeAttribute(Writer& w, const ContentsType& v) {
  if (v.is_document_type) {
    w.Constructed(ContextC(0), [&] {
      w.ObjectId(common_tag::kDocumentTypeName, v.document_type_name);
      if (v.parameter) w.Constructed(ContextC(0), [&] { w.Raw(AsBytes(*v.parameter)); });
    });
  } else {
    w.Constructed(ContextC(1), [&] {
      w.ObjectId(common_tag::kConstraintSetName, v.constraint_set_name);
      w.ObjectId(common_tag::kAbstractSyntaxName, v.abstract_syntax_name);
    });
  }
}

static bool GetContentsTypeAttribute(Reader& in, ContentsType* v) {
  Reader s(Bytes(), in.errors());
  if (in.Peek(ContextC(0))) {
    v->is_document_type = true;
    if (!in.Enter(ContextC(0), &s) || !s.ReadOid(common_tag::kDocumentTypeName, &v->document_type_name))
      return false;
    if (!s.empty()) {
      Reader p(Bytes(), in.errors());
      if (!s.Enter(ContextC(0), &p)) return false;
      v->parameter = osi::ToString(p.rest());
    }
    return true;
  }
  v->is_document_type = false;
  return in.Enter(ContextC(1), &s) && s.ReadOid(common_tag::kConstraintSetName, &v->constraint_set_name) &&
         s.ReadOid(common_tag::kAbstractSyntaxName, &v->abstract_syntax_name);
}

void Put(Writer& w, Tag t, const ContentsType& v) {
  w.Constructed(t, [&] { PutContentsTypeAttribute(w, v); });
}
bool Get(Reader& r, const Element& e, ContentsType* v) {
  Reader in(Bytes(), r.errors());
  return In(r, e, &in) && GetContentsTypeAttribute(in, v);
}

void Put(Writer& w, Tag t, const OpenContentsType& v) {
  w.Constructed(t, [&] {
    if (v.unknown) w.Null(Context(0));
    else Put(w, ContextC(1), v.proposed);
  });
}
bool Get(Reader& r, const Element& e, OpenContentsType* v) {
  Reader in(Bytes(), r.errors());
  if (!In(r, e, &in)) return false;
  if (in.Peek(Context(0))) {
    v->unknown = true;
    return in.ReadNull(Context(0));
  }
  Element p;
  return in.ReadElement(ContextC(1), &p) && Get(in, p, &v->proposed);
}

void Put(Writer& w, Tag t, const ContentsTypeList& v) {
  w.Constructed(t, [&] {
    for (const auto& c : v)
      w.ObjectId(c.is_document_type ? common_tag::kDocumentTypeName : common_tag::kAbstractSyntaxName, c.name);
  });
}
bool Get(Reader& r, const Element& e, ContentsTypeList* v) {
  Reader in(Bytes(), r.errors());
  if (!In(r, e, &in)) return false;
  while (!in.empty() && in.ok()) {
    ContentsTypeListEntry c;
    c.is_document_type = in.Peek(common_tag::kDocumentTypeName);
    if (!in.ReadOid(c.is_document_type ? common_tag::kDocumentTypeName : common_tag::kAbstractSyntaxName, &c.name))
      return false;
    v->push_back(c);
  }
  return in.ok();
}

void Put(Writer& w, Tag t, const Password& v) {
  w.Constructed(t, [&] { w.Octets(v.graphic ? ber::kGraphicString : ber::kOctetString, v.value); });
}
bool Get(Reader& r, const Element& e, Password* v) {
  Reader in(Bytes(), r.errors());
  Element p;
  if (!In(r, e, &in) || !in.ReadAny(&p)) return false;
  v->graphic = p.tag.number != ber::universal::kOctetString;
  return in.StringFromElement(p, &v->value);
}

void Put(Writer& w, Tag t, const ConcurrencyControl& v) {
  w.Constructed(t, [&] {
    for (uint32_t k = 0; k < 8; ++k) w.Integer(Context(k), v.lock[k]);
  });
}
bool Get(Reader& r, const Element& e, ConcurrencyControl* v) {
  Reader in(Bytes(), r.errors());
  if (!In(r, e, &in)) return false;
  while (!in.empty() && in.ok()) {
    Element m;
    if (!in.ReadAny(&m)) return false;
    if (m.tag.cls == ber::TagClass::kContext && m.tag.number < 8 &&
        !Reader::IntegerFromContents(m.contents, &v->lock[m.tag.number]))
      return in.Fail("malformed lock");
  }
  return in.ok();
}

void Put(Writer& w, Tag t, const FaduIdentity& v) {
  w.Constructed(t, [&] {
    if (v.kind == FaduIdentity::kSingleName || v.kind == FaduIdentity::kNameList)
      w.Constructed(ContextC(v.kind), [&] { w.Raw(AsBytes(v.raw)); });
    else
      w.Integer(Context(v.kind), v.value);
  });
}
bool Get(Reader& r, const Element& e, FaduIdentity* v) {
  Reader in(Bytes(), r.errors());
  Element c;
  if (!In(r, e, &in) || !in.ReadAny(&c)) return false;
  if (c.tag.cls != ber::TagClass::kContext || c.tag.number > FaduIdentity::kFaduNumber)
    return in.Fail("unknown FADU-Identity choice");
  v->kind = c.tag.number;
  if (c.tag.constructed) {
    v->raw = osi::ToString(c.contents);
    return true;
  }
  return Get(in, c, &v->value);
}

void Put(Writer& w, Tag t, const AccessContext& v) {
  w.Constructed(t, [&] {
    w.Integer(Context(0), v.context);
    if (v.level_number) w.Integer(Context(1), *v.level_number);
  });
}
bool Get(Reader& r, const Element& e, AccessContext* v) {
  Reader in(Bytes(), r.errors());
  if (!In(r, e, &in) || !in.ReadInteger(Context(0), &v->context)) return false;
  if (in.Peek(Context(1))) {
    int64_t l = 0;
    if (!in.ReadInteger(Context(1), &l)) return false;
    v->level_number = l;
  }
  return true;
}

void Put(Writer& w, Tag t, const Pathname& v) {
  w.Constructed(t, [&] {
    for (const auto& s : v) w.Octets(ber::kGraphicString, s);
  });
}
bool Get(Reader& r, const Element& e, Pathname* v) {
  Reader in(Bytes(), r.errors());
  if (!In(r, e, &in)) return false;
  while (!in.empty() && in.ok()) {
    Element s;
    std::string str;
    if (!in.ReadAny(&s) || !in.StringFromElement(s, &str)) return false;
    v->push_back(std::move(str));
  }
  return in.ok();
}

void Put(Writer& w, Tag t, const Attributes& v) {
  w.Constructed(t, [&] { PutFields(w, v); });
}
bool Get(Reader& r, const Element& e, Attributes* v) {
  Reader in(Bytes(), r.errors());
  return In(r, e, &in) && GetFields(in, v);
}

}  // namespace gw::ftam::codec

namespace gw::ftam {

NamedBits PresentAttributeNames(const Attributes& a) {
  NamedBits bits;
  int k = 0;
  auto visit = [&](const char*, Tag, const auto& member) {
    if (member) bits.Set(k);
    ++k;
  };
  Attributes::Fields(a, visit);
  return bits;
}

}  // namespace gw::ftam
