// Encoding of presentation PPDUs (X.226 §8), definite lengths. The order of members
// follows the ASN.1, as ISODE and Wireshark expect.
#include "absl/strings/str_cat.h"
#include "osi/ber/writer.h"
#include "osi/presentation/ppdu.h"

namespace gw::osi::presentation {
namespace {

using ber::Context;
using ber::ContextC;
using ber::Writer;

size_t PiecesSize(const std::vector<Bytes>& v) {
  size_t n = 0;
  for (auto p : v) n += p.size();
  return n;
}

// Encodes one PDV-list: its size into *total_out, and when `emit`, its octets into `out`
// (headers copied into the gather's arena, the values referenced where they are). Headers
// are built on the stack and the prefix in a buffer kept per thread: a PDV costs no
// allocation of its own (one is encoded per P-DATA).
absl::Status EncodePdv(const Pdv& pdv, Gather* out, size_t* total_out, bool emit) {
  thread_local std::vector<uint8_t> prefix;  // transfer syntax + context id
  prefix.clear();
  {
    Writer w(&prefix);
    if (pdv.transfer_syntax) w.ObjectId(*pdv.transfer_syntax);
    w.Integer(pdv.context_id);
  }
  // presentation-data-values
  ber::Header values_head;
  bool segmented = false;
  size_t values_len = 0;
  switch (pdv.encoding) {
    case PdvEncoding::kSingleAsn1Type: {
      size_t n = PiecesSize(pdv.data);
      if (n == 0) return absl::InvalidArgumentError("presentation: empty single-ASN1-type PDV");
      values_head = ber::MakeHeader(ContextC(tag::kSingleAsn1Type), n);
      values_len = values_head.size + n;
      break;
    }
    case PdvEncoding::kOctetAligned: {
      if (pdv.data.size() == 1) {
        values_head = ber::MakeHeader(Context(tag::kOctetAligned), pdv.data[0].size());
        values_len = values_head.size + pdv.data[0].size();
      } else {
        // ISODE's form (notes §4.5): constructed, one OCTET STRING segment per value.
        segmented = true;
        size_t inner = 0;
        for (auto v : pdv.data) inner += Writer::HeaderSize(ber::kOctetString, v.size()) + v.size();
        values_head = ber::MakeHeader(ContextC(tag::kOctetAligned), inner);
        values_len = values_head.size + inner;
      }
      break;
    }
    case PdvEncoding::kArbitrary: {
      size_t n = PiecesSize(pdv.data);
      values_head = ber::MakeHeader(Context(tag::kArbitrary), n);
      values_len = values_head.size + n;
      break;
    }
  }
  const size_t content = prefix.size() + values_len;
  const ber::Header seq = ber::MakeHeader(ber::kSequence, content);
  *total_out = seq.size + content;
  if (!emit) return absl::OkStatus();
  // Consecutive copies join into one piece of the arena.
  out->AddCopy(seq.view());
  out->AddCopy(Bytes(prefix));
  out->AddCopy(values_head.view());
  for (auto v : pdv.data) {
    if (segmented) out->AddCopy(ber::MakeHeader(ber::kOctetString, v.size()).view());
    out->AddRef(v);
  }
  return absl::OkStatus();
}

void WriteContextResults(Writer& w, const std::vector<ContextResult>& results) {
  w.Constructed(ContextC(tag::kContextResultList), [&] {
    for (const auto& r : results) {
      w.Sequence([&] {
        w.Integer(Context(tag::kResultValue), r.result);
        if (r.transfer_syntax) w.ObjectId(Context(tag::kResultTransferSyntax), *r.transfer_syntax);
        if (r.provider_reason) w.Integer(Context(tag::kResultProviderReason), *r.provider_reason);
      });
    }
  });
}

absl::Status WriteUserData(Writer& w, const std::optional<UserData>& u, std::vector<uint8_t>* out) {
  if (!u) return absl::OkStatus();
  return EncodeUserData(*u, out);
}

void WriteModeSelector(Writer& w, int64_t mode) {
  w.Constructed(ContextC(tag::kModeSelector), [&] { w.Integer(Context(tag::kModeValue), mode); });
}

}  // namespace

absl::Status EncodeUserData(const UserData& u, Gather* out) {
  if (u.simply_encoded) {
    out->AddCopy(ber::MakeHeader(ber::Application(tag::kSimplyEncodedData), u.simple.size()).view());
    out->AddRef(u.simple);
    return absl::OkStatus();
  }
  size_t inner = 0;
  for (const auto& p : u.pdvs) {
    size_t n = 0;
    if (auto s = EncodePdv(p, nullptr, &n, false); !s.ok()) return s;
    inner += n;
  }
  out->AddCopy(ber::MakeHeader(ber::ApplicationC(tag::kFullyEncodedData), inner).view());
  for (const auto& p : u.pdvs) {
    size_t n = 0;
    if (auto s = EncodePdv(p, out, &n, true); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status EncodeUserData(const UserData& u, std::vector<uint8_t>* out) {
  Gather g;
  if (auto s = EncodeUserData(u, &g); !s.ok()) return s;
  g.AppendTo(out);
  return absl::OkStatus();
}

UserData SingleValue(int64_t context_id, Bytes value) {
  UserData u;
  u.pdvs.push_back(Pdv{std::nullopt, context_id, PdvEncoding::kSingleAsn1Type, {value}});
  return u;
}

absl::Status EncodeConnect(const ConnectPpdu& p, std::vector<uint8_t>* out) {
  Writer w(out);
  absl::Status ud;
  w.Constructed(ber::kSet, [&] {
    WriteModeSelector(w, p.mode);
    w.Constructed(ContextC(tag::kNormalModeParameters), [&] {
      if (p.protocol_version) w.Bits(Context(tag::kProtocolVersion), *p.protocol_version);
      if (p.calling_selector) w.Octets(Context(tag::kCallingSelector), *p.calling_selector);
      if (p.called_selector) w.Octets(Context(tag::kCalledSelector), *p.called_selector);
      if (!p.context_definitions.empty()) {
        w.Constructed(ContextC(tag::kContextDefinitionList), [&] {
          for (const auto& d : p.context_definitions) {
            w.Sequence([&] {
              w.Integer(d.id);
              w.ObjectId(d.abstract_syntax);
              w.Sequence([&] {
                for (const auto& t : d.transfer_syntaxes) w.ObjectId(t);
              });
            });
          }
        });
      }
      if (p.default_context) {
        w.Constructed(ContextC(tag::kDefaultContextName), [&] {
          w.ObjectId(Context(0), p.default_context->abstract_syntax);
          w.ObjectId(Context(1), p.default_context->transfer_syntax);
        });
      }
      if (p.presentation_requirements) w.Bits(Context(tag::kPresentationRequirements), *p.presentation_requirements);
      if (p.user_session_requirements) w.Bits(Context(tag::kUserSessionRequirements), *p.user_session_requirements);
      ud = WriteUserData(w, p.user_data, out);
    });
  });
  if (!ud.ok()) return ud;
  return w.status();
}

absl::Status EncodeAccept(const AcceptPpdu& p, std::vector<uint8_t>* out) {
  Writer w(out);
  absl::Status ud;
  w.Constructed(ber::kSet, [&] {
    WriteModeSelector(w, p.mode);
    w.Constructed(ContextC(tag::kNormalModeParameters), [&] {
      if (p.protocol_version) w.Bits(Context(tag::kProtocolVersion), *p.protocol_version);
      if (p.responding_selector) w.Octets(Context(tag::kRespondingSelector), *p.responding_selector);
      if (!p.context_results.empty()) WriteContextResults(w, p.context_results);
      if (p.presentation_requirements) w.Bits(Context(tag::kPresentationRequirements), *p.presentation_requirements);
      if (p.user_session_requirements) w.Bits(Context(tag::kUserSessionRequirements), *p.user_session_requirements);
      ud = WriteUserData(w, p.user_data, out);
    });
  });
  if (!ud.ok()) return ud;
  return w.status();
}

absl::Status EncodeRefuse(const RefusePpdu& p, std::vector<uint8_t>* out) {
  Writer w(out);
  absl::Status ud;
  w.Sequence([&] {
    if (p.protocol_version) w.Bits(Context(tag::kProtocolVersion), *p.protocol_version);
    if (p.responding_selector) w.Octets(Context(tag::kRespondingSelector), *p.responding_selector);
    if (!p.context_results.empty()) WriteContextResults(w, p.context_results);
    if (p.default_context_result) w.Integer(Context(tag::kDefaultContextResult), *p.default_context_result);
    if (p.provider_reason) w.Integer(Context(tag::kProviderReason), *p.provider_reason);
    ud = WriteUserData(w, p.user_data, out);
  });
  if (!ud.ok()) return ud;
  return w.status();
}

absl::Status EncodeAbort(const AbortPpdu& a, std::vector<uint8_t>* out) {
  Writer w(out);
  absl::Status ud;
  if (auto* arp = std::get_if<AbortProviderPpdu>(&a)) {
    w.Sequence([&] {
      if (arp->provider_reason) w.Integer(Context(tag::kAbortProviderReason), *arp->provider_reason);
      if (arp->event_identifier) w.Integer(Context(tag::kAbortEventIdentifier), *arp->event_identifier);
    });
    return w.status();
  }
  const auto& aru = std::get<AbortUserPpdu>(a);
  w.Constructed(ContextC(tag::kAbortUser), [&] {
    if (!aru.contexts.empty()) {
      w.Constructed(ContextC(tag::kAbortContextList), [&] {
        for (const auto& c : aru.contexts) {
          w.Sequence([&] {
            w.Integer(c.id);
            w.ObjectId(c.transfer_syntax);
          });
        }
      });
    }
    ud = WriteUserData(w, aru.user_data, out);
  });
  if (!ud.ok()) return ud;
  return w.status();
}

}  // namespace gw::osi::presentation
