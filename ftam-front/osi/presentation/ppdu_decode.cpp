// Decoding of presentation PPDUs (X.226 §8). Members are matched by tag in any order and
// unknown members are skipped; indefinite lengths and constructed strings are accepted.
#include "absl/strings/str_cat.h"
#include "osi/ber/tag.h"
#include "osi/presentation/ppdu.h"

namespace gw::osi::presentation {
namespace {

using ber::Context;
using ber::ContextC;
using ber::Element;
using ber::Reader;
using ber::TagClass;

bool ReadUserData(Reader& r, UserData* u);

bool ReadPdv(Reader& list, Pdv* pdv) {
  Reader r(Bytes(), list.errors());
  if (!list.Enter(ber::kSequence, &r)) return false;
  bool have_id = false, have_values = false;
  while (!r.empty() && r.ok()) {
    ber::Tag t;
    r.PeekTag(&t);
    if (t == ber::kOid) {
      Oid o;
      if (r.ReadOid(ber::kOid, &o)) pdv->transfer_syntax = o;
    } else if (t == ber::kInteger) {
      have_id = r.ReadInteger(ber::kInteger, &pdv->context_id);
    } else if (t.cls == TagClass::kContext && t.number == tag::kSingleAsn1Type) {
      Reader v(Bytes(), r.errors());
      if (!r.Enter(ContextC(tag::kSingleAsn1Type), &v)) return false;
      Element e;
      if (!v.ReadAny(&e) || !v.ExpectEnd()) return false;
      pdv->encoding = PdvEncoding::kSingleAsn1Type;
      pdv->data = {e.raw};
      have_values = true;
    } else if (t.cls == TagClass::kContext && t.number == tag::kOctetAligned) {
      Element e;
      if (!r.ReadAny(&e)) return false;
      pdv->encoding = PdvEncoding::kOctetAligned;
      pdv->data.clear();
      if (!e.tag.constructed) {
        pdv->data.push_back(e.contents);
      } else {
        // ISODE: one OCTET STRING segment per value (notes §4.5).
        Reader segs(e.contents, r.errors(), r.depth() + 1);
        while (!segs.empty()) {
          Bytes seg;
          if (!segs.ReadPrimitive(ber::kOctetString, &seg)) return false;
          pdv->data.push_back(seg);
        }
      }
      have_values = true;
    } else if (t.cls == TagClass::kContext && t.number == tag::kArbitrary) {
      Bytes c;
      if (!r.ReadPrimitive(Context(tag::kArbitrary), &c)) return false;
      pdv->encoding = PdvEncoding::kArbitrary;
      pdv->data = {c};
      have_values = true;
    } else {
      r.Skip();
    }
  }
  if (!r.ok()) return false;
  if (!have_id) return r.Fail("PDV-list without presentation-context-identifier");
  if (!have_values) return r.Fail("PDV-list without presentation-data-values");
  return true;
}

bool ReadUserData(Reader& r, UserData* u) {
  ber::Tag t;
  if (!r.PeekTag(&t)) return r.Fail("missing User-data");
  if (t.cls == TagClass::kApplication && t.number == tag::kSimplyEncodedData) {
    std::string tmp;
    Element e;
    if (!r.ReadAny(&e)) return false;
    if (e.tag.constructed) return r.Fail("constructed simply-encoded-data is not supported");
    u->simply_encoded = true;
    u->simple = e.contents;
    return true;
  }
  Reader list(Bytes(), r.errors());
  if (!r.Enter(ber::ApplicationC(tag::kFullyEncodedData), &list)) return false;
  while (!list.empty()) {
    Pdv pdv;
    if (!ReadPdv(list, &pdv)) return false;
    u->pdvs.push_back(std::move(pdv));
  }
  return true;
}

bool IsUserData(ber::Tag t) {
  return t.cls == TagClass::kApplication &&
         (t.number == tag::kSimplyEncodedData || t.number == tag::kFullyEncodedData);
}

bool ReadContextDefinitions(Reader& r, std::vector<ContextDefinition>* out) {
  Reader list(Bytes(), r.errors());
  if (!r.Enter(ContextC(tag::kContextDefinitionList), &list)) return false;
  while (!list.empty() && list.ok()) {
    Reader item(Bytes(), r.errors());
    if (!list.Enter(ber::kSequence, &item)) return false;
    ContextDefinition d;
    Reader ts(Bytes(), r.errors());
    if (!item.ReadInteger(ber::kInteger, &d.id) || !item.ReadOid(ber::kOid, &d.abstract_syntax) ||
        !item.Enter(ber::kSequence, &ts))
      return false;
    while (!ts.empty()) {
      Oid o;
      if (!ts.ReadOid(ber::kOid, &o)) return false;
      d.transfer_syntaxes.push_back(o);
    }
    out->push_back(std::move(d));
  }
  return list.ok();
}

bool ReadContextResults(Reader& r, std::vector<ContextResult>* out) {
  Reader list(Bytes(), r.errors());
  if (!r.Enter(ContextC(tag::kContextResultList), &list)) return false;
  while (!list.empty() && list.ok()) {
    Reader item(Bytes(), r.errors());
    if (!list.Enter(ber::kSequence, &item)) return false;
    ContextResult c;
    while (!item.empty() && item.ok()) {
      if (item.Peek(Context(tag::kResultValue))) {
        item.ReadInteger(Context(tag::kResultValue), &c.result);
      } else if (item.Peek(Context(tag::kResultTransferSyntax))) {
        Oid o;
        if (item.ReadOid(Context(tag::kResultTransferSyntax), &o)) c.transfer_syntax = o;
      } else if (item.Peek(Context(tag::kResultProviderReason))) {
        int64_t v = 0;
        if (item.ReadInteger(Context(tag::kResultProviderReason), &v)) c.provider_reason = v;
      } else {
        item.Skip();
      }
    }
    out->push_back(std::move(c));
  }
  return list.ok();
}

bool ReadModeSelector(Reader& r, int64_t* mode) {
  Reader m(Bytes(), r.errors());
  if (!r.Enter(ContextC(tag::kModeSelector), &m)) return false;
  return m.ReadInteger(Context(tag::kModeValue), mode);
}

template <typename T>
absl::StatusOr<T> Finish(const ber::ErrorState& err, T value) {
  if (!err.ok()) return absl::InvalidArgumentError(absl::StrCat("presentation: ", err.status().message()));
  return value;
}

// Common optional members of the normal-mode parameters.
template <typename T>
bool ReadCommon(Reader& r, ber::Tag t, T* p) {
  if (t == Context(tag::kProtocolVersion)) {
    ber::NamedBits b;
    if (r.ReadNamedBits(Context(tag::kProtocolVersion), &b)) p->protocol_version = b;
    return true;
  }
  if (IsUserData(t)) {
    p->user_data.emplace();
    ReadUserData(r, &*p->user_data);
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<UserData> DecodeUserData(Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  Reader r(b, &err);
  UserData u;
  if (ReadUserData(r, &u)) r.ExpectEnd();
  return Finish(err, std::move(u));
}

absl::StatusOr<ConnectPpdu> DecodeConnect(Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  Reader top(b, &err), set(Bytes(), &err);
  ConnectPpdu p;
  if (top.Enter(ber::kSet, &set) && top.ExpectEnd()) {
    while (!set.empty() && set.ok()) {
      if (set.Peek(ContextC(tag::kModeSelector))) {
        ReadModeSelector(set, &p.mode);
        continue;
      }
      Reader n(Bytes(), &err);
      if (!set.Peek(ContextC(tag::kNormalModeParameters))) {
        set.Skip();
        continue;
      }
      set.Enter(ContextC(tag::kNormalModeParameters), &n);
      while (!n.empty() && n.ok()) {
        ber::Tag t;
        n.PeekTag(&t);
        if (ReadCommon(n, t, &p)) continue;
        std::string s;
        if (SameNumber(t, Context(tag::kCallingSelector))) {
          if (n.ReadString(Context(tag::kCallingSelector), &s)) p.calling_selector = s;
        } else if (SameNumber(t, Context(tag::kCalledSelector))) {
          if (n.ReadString(Context(tag::kCalledSelector), &s)) p.called_selector = s;
        } else if (t == ContextC(tag::kContextDefinitionList)) {
          ReadContextDefinitions(n, &p.context_definitions);
        } else if (t == ContextC(tag::kDefaultContextName)) {
          Reader d(Bytes(), &err);
          DefaultContext dc;
          if (n.Enter(t, &d) && d.ReadOid(Context(0), &dc.abstract_syntax) &&
              d.ReadOid(Context(1), &dc.transfer_syntax))
            p.default_context = dc;
        } else if (t == Context(tag::kPresentationRequirements)) {
          ber::NamedBits v;
          if (n.ReadNamedBits(t, &v)) p.presentation_requirements = v;
        } else if (t == Context(tag::kUserSessionRequirements)) {
          ber::NamedBits v;
          if (n.ReadNamedBits(t, &v)) p.user_session_requirements = v;
        } else {
          n.Skip();
        }
      }
    }
  }
  if (err.ok() && p.mode != kModeNormal)
    err.Fail(b.data(), "only normal mode is supported");
  return Finish(err, std::move(p));
}

absl::StatusOr<AcceptPpdu> DecodeAccept(Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  Reader top(b, &err), set(Bytes(), &err);
  AcceptPpdu p;
  if (top.Enter(ber::kSet, &set) && top.ExpectEnd()) {
    while (!set.empty() && set.ok()) {
      if (set.Peek(ContextC(tag::kModeSelector))) {
        ReadModeSelector(set, &p.mode);
        continue;
      }
      Reader n(Bytes(), &err);
      if (!set.Peek(ContextC(tag::kNormalModeParameters))) {
        set.Skip();
        continue;
      }
      set.Enter(ContextC(tag::kNormalModeParameters), &n);
      while (!n.empty() && n.ok()) {
        ber::Tag t;
        n.PeekTag(&t);
        if (ReadCommon(n, t, &p)) continue;
        std::string s;
        if (SameNumber(t, Context(tag::kRespondingSelector))) {
          if (n.ReadString(Context(tag::kRespondingSelector), &s)) p.responding_selector = s;
        } else if (t == ContextC(tag::kContextResultList)) {
          ReadContextResults(n, &p.context_results);
        } else if (t == Context(tag::kPresentationRequirements)) {
          ber::NamedBits v;
          if (n.ReadNamedBits(t, &v)) p.presentation_requirements = v;
        } else if (t == Context(tag::kUserSessionRequirements)) {
          ber::NamedBits v;
          if (n.ReadNamedBits(t, &v)) p.user_session_requirements = v;
        } else {
          n.Skip();
        }
      }
    }
  }
  return Finish(err, std::move(p));
}

absl::StatusOr<RefusePpdu> DecodeRefuse(Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  Reader top(b, &err), n(Bytes(), &err);
  RefusePpdu p;
  // CPR-PPDU ::= CHOICE { x400-mode-parameters SET, normal-mode-parameters SEQUENCE }
  if (top.Enter(ber::kSequence, &n) && top.ExpectEnd()) {
    while (!n.empty() && n.ok()) {
      ber::Tag t;
      n.PeekTag(&t);
      if (ReadCommon(n, t, &p)) continue;
      std::string s;
      int64_t v = 0;
      if (SameNumber(t, Context(tag::kRespondingSelector))) {
        if (n.ReadString(Context(tag::kRespondingSelector), &s)) p.responding_selector = s;
      } else if (t == ContextC(tag::kContextResultList)) {
        ReadContextResults(n, &p.context_results);
      } else if (t == Context(tag::kDefaultContextResult)) {
        if (n.ReadInteger(t, &v)) p.default_context_result = v;
      } else if (t == Context(tag::kProviderReason)) {
        if (n.ReadInteger(t, &v)) p.provider_reason = v;
      } else {
        n.Skip();
      }
    }
  }
  return Finish(err, std::move(p));
}

absl::StatusOr<AbortPpdu> DecodeAbort(Bytes b, const ber::Limits& l) {
  ber::ErrorState err(b, l);
  Reader top(b, &err), n(Bytes(), &err);
  ber::Tag t;
  if (!top.PeekTag(&t)) {
    Element e;
    top.ReadAny(&e);
    if (err.ok()) err.Fail(b.data(), "empty abort PPDU");
    return Finish(err, AbortPpdu());
  }
  if (t == ber::kSequence) {  // ARP-PPDU
    AbortProviderPpdu p;
    if (top.Enter(ber::kSequence, &n) && top.ExpectEnd()) {
      while (!n.empty() && n.ok()) {
        int64_t v = 0;
        if (n.Peek(Context(tag::kAbortProviderReason))) {
          if (n.ReadInteger(Context(tag::kAbortProviderReason), &v)) p.provider_reason = v;
        } else if (n.Peek(Context(tag::kAbortEventIdentifier))) {
          if (n.ReadInteger(Context(tag::kAbortEventIdentifier), &v)) p.event_identifier = v;
        } else {
          n.Skip();
        }
      }
    }
    return Finish(err, AbortPpdu(p));
  }
  AbortUserPpdu p;  // ARU-PPDU normal mode: [0] IMPLICIT SEQUENCE
  if (top.Enter(ContextC(tag::kAbortUser), &n) && top.ExpectEnd()) {
    while (!n.empty() && n.ok()) {
      n.PeekTag(&t);
      if (t == ContextC(tag::kAbortContextList)) {
        Reader list(Bytes(), &err);
        n.Enter(t, &list);
        while (!list.empty() && list.ok()) {
          Reader item(Bytes(), &err);
          AbortContext c;
          if (list.Enter(ber::kSequence, &item) && item.ReadInteger(ber::kInteger, &c.id) &&
              item.ReadOid(ber::kOid, &c.transfer_syntax))
            p.contexts.push_back(c);
        }
      } else if (IsUserData(t)) {
        p.user_data.emplace();
        ReadUserData(n, &*p.user_data);
      } else {
        n.Skip();
      }
    }
  }
  return Finish(err, AbortPpdu(std::move(p)));
}

absl::Status PdvValues(const Pdv& pdv, std::vector<Bytes>* values, std::string* scratch,
                       const ber::Limits& l) {
  if (pdv.encoding == PdvEncoding::kArbitrary)
    return absl::InvalidArgumentError("presentation: arbitrary PDV holds no BER values");
  if (pdv.encoding == PdvEncoding::kSingleAsn1Type) {
    if (pdv.data.size() == 1) {
      values->push_back(pdv.data[0]);
      return absl::OkStatus();
    }
    scratch->clear();
    for (auto p : pdv.data) scratch->append(AsChars(p));
    values->push_back(AsBytes(*scratch));
    return absl::OkStatus();
  }
  size_t start = values->size();
  bool ok = true;
  for (auto seg : pdv.data) {
    if (!ber::SplitValues(seg, values, l).ok()) {
      ok = false;
      break;
    }
  }
  if (ok) return absl::OkStatus();
  // A value straddles segments: join and split again.
  values->resize(start);
  scratch->clear();
  for (auto seg : pdv.data) scratch->append(AsChars(seg));
  absl::Status s = ber::SplitValues(AsBytes(*scratch), values, l);
  if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("presentation: octet-aligned PDV: ", s.message()));
  return s;
}

}  // namespace gw::osi::presentation
