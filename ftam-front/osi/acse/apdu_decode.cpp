// Decoding of ACSE APDUs (X.227 §9). Members are matched by tag; unknown ones skipped.
#include "absl/strings/str_cat.h"
#include "osi/acse/apdu.h"

namespace gw::osi::acse {
namespace {

using ber::Context;
using ber::ContextC;
using ber::Element;
using ber::Reader;
using ber::Tag;
using ber::TagClass;

// EXTERNAL, X.208 §34 / X.690 §8.18.
bool ReadExternal(Reader& r, External* x) {
  Reader s(Bytes(), r.errors());
  if (!r.Enter(ber::kExternal, &s)) return false;
  bool have_encoding = false;
  while (!s.empty() && s.ok()) {
    Tag t;
    s.PeekTag(&t);
    if (t == ber::kOid) {
      Oid o;
      if (s.ReadOid(ber::kOid, &o)) x->direct_reference = o;
    } else if (t == ber::kInteger) {
      int64_t v = 0;
      if (s.ReadInteger(ber::kInteger, &v)) x->indirect_reference = v;
    } else if (SameNumber(t, ber::kObjectDescriptor)) {
      std::string d;
      if (s.ReadString(ber::kObjectDescriptor, &d)) x->data_value_descriptor = d;
    } else if (t == ContextC(tag::external::kSingleAsn1Type)) {
      Reader v(Bytes(), r.errors());
      Element e;
      if (s.Enter(t, &v) && v.ReadAny(&e) && v.ExpectEnd()) {
        x->encoding = ExternalEncoding::kSingleAsn1Type;
        x->data = e.raw;
        have_encoding = true;
      }
    } else if (t == Context(tag::external::kOctetAligned)) {
      Bytes c;
      if (s.ReadPrimitive(t, &c)) {
        x->encoding = ExternalEncoding::kOctetAligned;
        x->data = c;
        have_encoding = true;
      }
    } else if (t == Context(tag::external::kArbitrary)) {
      Bytes c;
      if (s.ReadPrimitive(t, &c)) {
        x->encoding = ExternalEncoding::kArbitrary;
        x->data = c;
        have_encoding = true;
      }
    } else {
      s.Skip();
    }
  }
  if (s.ok() && !have_encoding) return s.Fail("EXTERNAL without encoding");
  return s.ok();
}

bool ReadUserInformation(Reader& r, uint32_t number, std::vector<External>* out) {
  Reader list(Bytes(), r.errors());
  if (!r.Enter(ContextC(number), &list)) return false;
  while (!list.empty() && list.ok()) {
    External x;
    if (!ReadExternal(list, &x)) return false;
    out->push_back(x);
  }
  return list.ok();
}

bool ReadExplicitOid(Reader& r, uint32_t number, Oid* o) {
  Reader v(Bytes(), r.errors());
  return r.Enter(ContextC(number), &v) && v.ReadOid(ber::kOid, o) && v.ExpectEnd();
}

bool ReadExplicitInteger(Reader& r, uint32_t number, int64_t* out) {
  Reader v(Bytes(), r.errors());
  return r.Enter(ContextC(number), &v) && v.ReadInteger(ber::kInteger, out) && v.ExpectEnd();
}

bool ReadApTitle(Reader& r, uint32_t number, std::optional<ApTitle>* out) {
  Reader v(Bytes(), r.errors());
  if (!r.Enter(ContextC(number), &v)) return false;
  ApTitle t;
  if (v.Peek(ber::kOid)) {
    Oid o;
    if (!v.ReadOid(ber::kOid, &o)) return false;
    t.form2 = o;
  } else {
    t.raw = ToString(v.rest());
  }
  *out = t;
  return true;
}

bool ReadAeQualifier(Reader& r, uint32_t number, std::optional<AeQualifier>* out) {
  Reader v(Bytes(), r.errors());
  if (!r.Enter(ContextC(number), &v)) return false;
  AeQualifier q;
  if (v.Peek(ber::kInteger)) {
    int64_t i = 0;
    if (!v.ReadInteger(ber::kInteger, &i)) return false;
    q.form2 = i;
  } else {
    q.raw = ToString(v.rest());
  }
  *out = q;
  return true;
}

void ReadOptionalInteger(Reader& r, uint32_t number, std::optional<int64_t>* out) {
  int64_t v = 0;
  if (ReadExplicitInteger(r, number, &v)) *out = v;
}

void ReadRawContents(Reader& r, std::optional<std::string>* out) {
  Element e;
  if (r.ReadAny(&e)) *out = ToString(e.contents);
}

Aarq ReadAarq(Reader& r) {
  Aarq a;
  bool have_context = false;
  namespace t = tag::aarq;
  while (!r.empty() && r.ok()) {
    Tag tg;
    r.PeekTag(&tg);
    if (tg.cls != TagClass::kContext) {
      r.Skip();
      continue;
    }
    NamedBits b;
    Oid o;
    std::string s;
    switch (tg.number) {
      case t::kProtocolVersion: if (r.ReadNamedBits(Context(t::kProtocolVersion), &b)) a.protocol_version = b; break;
      case t::kApplicationContextName: have_context = ReadExplicitOid(r, tg.number, &a.application_context_name); break;
      case t::kCalledApTitle: ReadApTitle(r, tg.number, &a.called_ap_title); break;
      case t::kCalledAeQualifier: ReadAeQualifier(r, tg.number, &a.called_ae_qualifier); break;
      case t::kCalledApInvocationId: ReadOptionalInteger(r, tg.number, &a.called_ap_invocation_id); break;
      case t::kCalledAeInvocationId: ReadOptionalInteger(r, tg.number, &a.called_ae_invocation_id); break;
      case t::kCallingApTitle: ReadApTitle(r, tg.number, &a.calling_ap_title); break;
      case t::kCallingAeQualifier: ReadAeQualifier(r, tg.number, &a.calling_ae_qualifier); break;
      case t::kCallingApInvocationId: ReadOptionalInteger(r, tg.number, &a.calling_ap_invocation_id); break;
      case t::kCallingAeInvocationId: ReadOptionalInteger(r, tg.number, &a.calling_ae_invocation_id); break;
      case t::kSenderAcseRequirements: if (r.ReadNamedBits(Context(tg.number), &b)) a.sender_acse_requirements = b; break;
      case t::kMechanismName: if (r.ReadOid(Context(tg.number), &o)) a.mechanism_name = o; break;
      case t::kCallingAuthenticationValue: ReadRawContents(r, &a.calling_authentication_value); break;
      case t::kImplementationInformation: if (r.ReadString(Context(tg.number), &s)) a.implementation_information = s; break;
      case t::kUserInformation: ReadUserInformation(r, tg.number, &a.user_information); break;
      default: r.Skip();
    }
  }
  if (r.ok() && !have_context) r.Fail("AARQ without application-context-name");
  return a;
}

Aare ReadAare(Reader& r) {
  Aare a;
  namespace t = tag::aare;
  bool have_result = false;
  while (!r.empty() && r.ok()) {
    Tag tg;
    r.PeekTag(&tg);
    if (tg.cls != TagClass::kContext) {
      r.Skip();
      continue;
    }
    NamedBits b;
    Oid o;
    std::string s;
    switch (tg.number) {
      case t::kProtocolVersion: if (r.ReadNamedBits(Context(tg.number), &b)) a.protocol_version = b; break;
      case t::kApplicationContextName: ReadExplicitOid(r, tg.number, &a.application_context_name); break;
      case t::kResult: have_result = ReadExplicitInteger(r, tg.number, &a.result); break;
      case t::kResultSourceDiagnostic: {
        Reader v(Bytes(), r.errors());
        Tag choice;
        if (r.Enter(ContextC(tg.number), &v) && v.PeekTag(&choice) &&
            ReadExplicitInteger(v, choice.number, &a.result_source_diagnostic.value))
          a.result_source_diagnostic.source = static_cast<int>(choice.number);
        break;
      }
      case t::kRespondingApTitle: ReadApTitle(r, tg.number, &a.responding_ap_title); break;
      case t::kRespondingAeQualifier: ReadAeQualifier(r, tg.number, &a.responding_ae_qualifier); break;
      case t::kRespondingApInvocationId: ReadOptionalInteger(r, tg.number, &a.responding_ap_invocation_id); break;
      case t::kRespondingAeInvocationId: ReadOptionalInteger(r, tg.number, &a.responding_ae_invocation_id); break;
      case t::kResponderAcseRequirements: if (r.ReadNamedBits(Context(tg.number), &b)) a.responder_acse_requirements = b; break;
      case t::kMechanismName: if (r.ReadOid(Context(tg.number), &o)) a.mechanism_name = o; break;
      case t::kRespondingAuthenticationValue: ReadRawContents(r, &a.responding_authentication_value); break;
      case t::kImplementationInformation: if (r.ReadString(Context(tg.number), &s)) a.implementation_information = s; break;
      case t::kUserInformation: ReadUserInformation(r, tg.number, &a.user_information); break;
      default: r.Skip();
    }
  }
  if (r.ok() && !have_result) r.Fail("AARE without result");
  return a;
}

template <typename T>
T ReadRelease(Reader& r) {
  T a;
  while (!r.empty() && r.ok()) {
    int64_t v = 0;
    if (r.Peek(Context(tag::release::kReason))) {
      if (r.ReadInteger(Context(tag::release::kReason), &v)) a.reason = v;
    } else if (r.Peek(ContextC(tag::release::kUserInformation))) {
      ReadUserInformation(r, tag::release::kUserInformation, &a.user_information);
    } else {
      r.Skip();
    }
  }
  return a;
}

Abrt ReadAbrt(Reader& r) {
  Abrt a;
  bool have_source = false;
  while (!r.empty() && r.ok()) {
    int64_t v = 0;
    if (r.Peek(Context(tag::abrt::kAbortSource))) {
      have_source = r.ReadInteger(Context(tag::abrt::kAbortSource), &a.abort_source);
    } else if (r.Peek(Context(tag::abrt::kAbortDiagnostic))) {
      if (r.ReadInteger(Context(tag::abrt::kAbortDiagnostic), &v)) a.abort_diagnostic = v;
    } else if (r.Peek(ContextC(tag::abrt::kUserInformation))) {
      ReadUserInformation(r, tag::abrt::kUserInformation, &a.user_information);
    } else {
      r.Skip();
    }
  }
  if (r.ok() && !have_source) r.Fail("ABRT without abort-source");
  return a;
}

}  // namespace

absl::StatusOr<Apdu> DecodeApdu(Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  Reader top(b, &err), r(Bytes(), &err);
  Tag t;
  Apdu out;
  if (top.EnterAny(&t, &r) && top.ExpectEnd()) {
    if (t.cls != TagClass::kApplication || t.number > tag::kAbrt) {
      err.Fail(b.data(), absl::StrCat("not an ACSE APDU: ", ber::TagToString(t)));
    } else {
      switch (t.number) {
        case tag::kAarq: out = ReadAarq(r); break;
        case tag::kAare: out = ReadAare(r); break;
        case tag::kRlrq: out = ReadRelease<Rlrq>(r); break;
        case tag::kRlre: out = ReadRelease<Rlre>(r); break;
        case tag::kAbrt: out = ReadAbrt(r); break;
      }
    }
  }
  if (!err.ok()) return absl::InvalidArgumentError(absl::StrCat("acse: ", err.status().message()));
  return out;
}

const char* ApduName(const Apdu& a) {
  static constexpr const char* kNames[] = {"AARQ", "AARE", "RLRQ", "RLRE", "ABRT"};
  return kNames[a.index()];
}

const std::vector<External>& UserInformation(const Apdu& a) {
  return std::visit([](const auto& v) -> const std::vector<External>& { return v.user_information; }, a);
}

}  // namespace gw::osi::acse
