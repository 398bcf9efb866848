// Encoding of ACSE APDUs (X.227 §9) in ASN.1 member order, definite lengths.
#include "osi/acse/apdu.h"
#include "osi/ber/writer.h"

namespace gw::osi::acse {
namespace {

using ber::Context;
using ber::ContextC;
using ber::Writer;

void WriteExternal(Writer& w, const External& x) {
  w.Constructed(ber::kExternal, [&] {
    if (x.direct_reference) w.ObjectId(*x.direct_reference);
    if (x.indirect_reference) w.Integer(*x.indirect_reference);
    if (x.data_value_descriptor) w.Octets(ber::kObjectDescriptor, *x.data_value_descriptor);
    switch (x.encoding) {
      case ExternalEncoding::kSingleAsn1Type:
        w.Constructed(ContextC(tag::external::kSingleAsn1Type), [&] { w.Raw(x.data); });
        break;
      case ExternalEncoding::kOctetAligned:
        w.Octets(Context(tag::external::kOctetAligned), x.data);
        break;
      case ExternalEncoding::kArbitrary:
        w.Octets(Context(tag::external::kArbitrary), x.data);
        break;
    }
  });
}

void WriteUserInformation(Writer& w, uint32_t number, const std::vector<External>& ui) {
  if (ui.empty()) return;
  w.Constructed(ContextC(number), [&] {
    for (const auto& x : ui) WriteExternal(w, x);
  });
}

void WriteExplicitOid(Writer& w, uint32_t n, const Oid& o) {
  w.Constructed(ContextC(n), [&] { w.ObjectId(o); });
}
void WriteExplicitInteger(Writer& w, uint32_t n, const std::optional<int64_t>& v) {
  if (v) w.Constructed(ContextC(n), [&] { w.Integer(*v); });
}
void WriteApTitle(Writer& w, uint32_t n, const std::optional<ApTitle>& t) {
  if (!t) return;
  w.Constructed(ContextC(n), [&] {
    if (t->form2) w.ObjectId(*t->form2);
    else w.Raw(AsBytes(t->raw));
  });
}
void WriteAeQualifier(Writer& w, uint32_t n, const std::optional<AeQualifier>& q) {
  if (!q) return;
  w.Constructed(ContextC(n), [&] {
    if (q->form2) w.Integer(*q->form2);
    else w.Raw(AsBytes(q->raw));
  });
}
void WriteRawExplicit(Writer& w, uint32_t n, const std::optional<std::string>& v) {
  if (v) w.Constructed(ContextC(n), [&] { w.Raw(AsBytes(*v)); });
}

}  // namespace

absl::Status EncodeApdu(const Apdu& apdu, std::vector<uint8_t>* out) {
  Writer w(out);
  if (auto* a = std::get_if<Aarq>(&apdu)) {
    namespace t = tag::aarq;
    w.Constructed(ber::ApplicationC(tag::kAarq), [&] {
      if (a->protocol_version) w.Bits(Context(t::kProtocolVersion), *a->protocol_version);
      WriteExplicitOid(w, t::kApplicationContextName, a->application_context_name);
      WriteApTitle(w, t::kCalledApTitle, a->called_ap_title);
      WriteAeQualifier(w, t::kCalledAeQualifier, a->called_ae_qualifier);
      WriteExplicitInteger(w, t::kCalledApInvocationId, a->called_ap_invocation_id);
      WriteExplicitInteger(w, t::kCalledAeInvocationId, a->called_ae_invocation_id);
      WriteApTitle(w, t::kCallingApTitle, a->calling_ap_title);
      WriteAeQualifier(w, t::kCallingAeQualifier, a->calling_ae_qualifier);
      WriteExplicitInteger(w, t::kCallingApInvocationId, a->calling_ap_invocation_id);
      WriteExplicitInteger(w, t::kCallingAeInvocationId, a->calling_ae_invocation_id);
      if (a->sender_acse_requirements) w.Bits(Context(t::kSenderAcseRequirements), *a->sender_acse_requirements);
      if (a->mechanism_name) w.ObjectId(Context(t::kMechanismName), *a->mechanism_name);
      WriteRawExplicit(w, t::kCallingAuthenticationValue, a->calling_authentication_value);
      if (a->implementation_information) w.Octets(Context(t::kImplementationInformation), *a->implementation_information);
      WriteUserInformation(w, t::kUserInformation, a->user_information);
    });
  } else if (auto* a = std::get_if<Aare>(&apdu)) {
    namespace t = tag::aare;
    w.Constructed(ber::ApplicationC(tag::kAare), [&] {
      if (a->protocol_version) w.Bits(Context(t::kProtocolVersion), *a->protocol_version);
      WriteExplicitOid(w, t::kApplicationContextName, a->application_context_name);
      WriteExplicitInteger(w, t::kResult, a->result);
      w.Constructed(ContextC(t::kResultSourceDiagnostic), [&] {
        WriteExplicitInteger(w, static_cast<uint32_t>(a->result_source_diagnostic.source),
                             a->result_source_diagnostic.value);
      });
      WriteApTitle(w, t::kRespondingApTitle, a->responding_ap_title);
      WriteAeQualifier(w, t::kRespondingAeQualifier, a->responding_ae_qualifier);
      WriteExplicitInteger(w, t::kRespondingApInvocationId, a->responding_ap_invocation_id);
      WriteExplicitInteger(w, t::kRespondingAeInvocationId, a->responding_ae_invocation_id);
      if (a->responder_acse_requirements) w.Bits(Context(t::kResponderAcseRequirements), *a->responder_acse_requirements);
      if (a->mechanism_name) w.ObjectId(Context(t::kMechanismName), *a->mechanism_name);
      WriteRawExplicit(w, t::kRespondingAuthenticationValue, a->responding_authentication_value);
      if (a->implementation_information) w.Octets(Context(t::kImplementationInformation), *a->implementation_information);
      WriteUserInformation(w, t::kUserInformation, a->user_information);
    });
  } else if (auto* a = std::get_if<Rlrq>(&apdu)) {
    w.Constructed(ber::ApplicationC(tag::kRlrq), [&] {
      if (a->reason) w.Integer(Context(tag::release::kReason), *a->reason);
      WriteUserInformation(w, tag::release::kUserInformation, a->user_information);
    });
  } else if (auto* a = std::get_if<Rlre>(&apdu)) {
    w.Constructed(ber::ApplicationC(tag::kRlre), [&] {
      if (a->reason) w.Integer(Context(tag::release::kReason), *a->reason);
      WriteUserInformation(w, tag::release::kUserInformation, a->user_information);
    });
  } else if (auto* a = std::get_if<Abrt>(&apdu)) {
    w.Constructed(ber::ApplicationC(tag::kAbrt), [&] {
      w.Integer(Context(tag::abrt::kAbortSource), a->abort_source);
      if (a->abort_diagnostic) w.Integer(Context(tag::abrt::kAbortDiagnostic), *a->abort_diagnostic);
      WriteUserInformation(w, tag::abrt::kUserInformation, a->user_information);
    });
  }
  return w.status();
}

}  // namespace gw::osi::acse
