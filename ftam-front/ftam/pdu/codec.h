// BER codecs of the FTAM member types (Put = encode under a tag, Get = decode an element
// already read). The PDU codec drives these through each PDU's Fields() list.
#pragma once

#include <string>

#include "ftam/pdu/types.h"
#include "osi/ber/reader.h"
#include "osi/ber/writer.h"

namespace gw::ftam::codec {

using osi::ber::Element;
using osi::ber::Reader;
using osi::ber::Writer;

void Put(Writer& w, Tag t, int64_t v);
void Put(Writer& w, Tag t, bool v);
void Put(Writer& w, Tag t, const NamedBits& v);
void Put(Writer& w, Tag t, const std::string& v);  // GraphicString-like, implicit
void Put(Writer& w, Tag t, const Time& v);         // GeneralizedTime, implicit
void Put(Writer& w, Tag t, const RawValue& v);
void Put(Writer& w, Tag t, const Diagnostic& v);
void Put(Writer& w, Tag t, const Charging& v);
void Put(Writer& w, Tag t, const ContentsType& v);      // explicit wrapper t
void Put(Writer& w, Tag t, const OpenContentsType& v);  // explicit wrapper t
void Put(Writer& w, Tag t, const ContentsTypeList& v);
void Put(Writer& w, Tag t, const Password& v);
void Put(Writer& w, Tag t, const ConcurrencyControl& v);
void Put(Writer& w, Tag t, const FaduIdentity& v);
void Put(Writer& w, Tag t, const AccessContext& v);
void Put(Writer& w, Tag t, const Pathname& v);
void Put(Writer& w, Tag t, const Attributes& v);
template <typename T, Tag kActual>
void Put(Writer& w, Tag t, const Valued<T, kActual>& v) {
  w.Constructed(t, [&] {
    if (v.no_value) w.Null(Context(0));
    else Put(w, kActual, v.value);
  });
}

bool Get(Reader& r, const Element& e, int64_t* v);
bool Get(Reader& r, const Element& e, bool* v);
bool Get(Reader& r, const Element& e, NamedBits* v);
bool Get(Reader& r, const Element& e, std::string* v);
bool Get(Reader& r, const Element& e, Time* v);
bool Get(Reader& r, const Element& e, RawValue* v);
bool Get(Reader& r, const Element& e, Diagnostic* v);
bool Get(Reader& r, const Element& e, Charging* v);
bool Get(Reader& r, const Element& e, ContentsType* v);
bool Get(Reader& r, const Element& e, OpenContentsType* v);
bool Get(Reader& r, const Element& e, ContentsTypeList* v);
bool Get(Reader& r, const Element& e, Password* v);
bool Get(Reader& r, const Element& e, ConcurrencyControl* v);
bool Get(Reader& r, const Element& e, FaduIdentity* v);
bool Get(Reader& r, const Element& e, AccessContext* v);
bool Get(Reader& r, const Element& e, Pathname* v);
bool Get(Reader& r, const Element& e, Attributes* v);
template <typename T, Tag kActual>
bool Get(Reader& r, const Element& e, Valued<T, kActual>* v) {
  Reader in(osi::Bytes(), r.errors());
  Element inner;
  if (!r.EnterElement(e, &in) || !in.ReadAny(&inner)) return false;
  if (inner.tag == Context(0)) {  // no-value-available-or-not-supported [0] NULL
    v->no_value = true;
    return true;
  }
  if (!SameNumber(inner.tag, kActual)) return in.Fail("unexpected attribute value");
  return Get(in, inner, &v->value);
}

// Drives a Fields() list: reads the members of a SEQUENCE in any order; unknown members
// are skipped (ISO 8571-4 extensibility), duplicates are errors.
template <typename T>
bool GetFields(Reader& seq, T* out) {
  while (!seq.empty() && seq.ok()) {
    Element e;
    if (!seq.ReadAny(&e)) return false;
    bool matched = false;
    auto visit = [&](const char*, Tag t, auto& member) {
      if (matched || !SameNumber(t, e.tag)) return;
      matched = true;
      if (member) {
        seq.Fail("duplicate member");
        return;
      }
      typename std::remove_reference_t<decltype(member)>::value_type v{};
      if (Get(seq, e, &v)) member = std::move(v);
    };
    T::Fields(*out, visit);
  }
  return seq.ok();
}

template <typename T>
void PutFields(Writer& w, const T& in) {
  auto visit = [&](const char*, Tag t, const auto& member) {
    if (member) Put(w, t, *member);
  };
  T::Fields(in, visit);
}

}  // namespace gw::ftam::codec
