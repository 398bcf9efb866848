#include "tools/decode_printer.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ftam/doctype/data_value.h"
#include "ftam/pdu/print.h"

namespace gw::tools {

namespace tp = osi::transport;
namespace ses = osi::session;
namespace acse = osi::acse;
namespace dt = ftam::doctype;

std::ostream& DecodePrinter::Line(int dir, const char* layer) {
  ++pdus_;
  if (directions_) out_ << (dir == 0 ? "I>R " : "R>I ");
  return out_ << layer << " ";
}

void DecodePrinter::OnTpdu(int dir, const tp::Tpdu& t) {
  auto& os = Line(dir, "TPDU");
  os << tp::TpduName(t);
  if (auto* c = std::get_if<tp::ConnectTpdu>(&t)) {
    os << " dst-ref=0x" << absl::StrCat(absl::Hex(c->dst_ref, absl::kZeroPad4)) << " src-ref=0x"
       << absl::StrCat(absl::Hex(c->src_ref, absl::kZeroPad4)) << " class=" << (c->class_option >> 4);
    if (c->calling_tsap) os << " calling-tsap=" << absl::BytesToHexString(*c->calling_tsap);
    if (c->called_tsap) os << " called-tsap=" << absl::BytesToHexString(*c->called_tsap);
    if (c->tpdu_size) os << " tpdu-size=" << tp::TpduSizeOctets(*c->tpdu_size);
  } else if (auto* d = std::get_if<tp::DataTpdu>(&t)) {
    os << (d->eot ? " eot" : " more") << " len=" << d->user_data.size();
  } else if (auto* r = std::get_if<tp::DisconnectTpdu>(&t)) {
    os << " reason=" << int{r->reason} << "(" << tp::DisconnectReasonName(r->reason) << ")";
  } else if (auto* e = std::get_if<tp::ErrorTpdu>(&t)) {
    os << " cause=" << int{e->reject_cause};
  }
  os << "\n";
}

void DecodePrinter::OnSpdu(int dir, const ses::Spdu& s) {
  auto& os = Line(dir, "SPDU");
  os << ses::SpduName(s);
  auto connect = [&](const ses::ConnectSpdu& c) {
    if (c.version_number) os << " version=" << int{*c.version_number};
    if (c.session_user_requirements) os << " requirements=0x" << absl::StrCat(absl::Hex(*c.session_user_requirements, absl::kZeroPad4));
    if (c.tsdu_maximum_size) os << " tsdu-max=0x" << absl::StrCat(absl::Hex(*c.tsdu_maximum_size));
    if (c.calling_session_selector) os << " calling-ssel=" << absl::BytesToHexString(*c.calling_session_selector);
    if (c.called_session_selector) os << " called-ssel=" << absl::BytesToHexString(*c.called_session_selector);
    os << " user-data=" << c.user_data.size() << (c.extended_user_data ? "(extended)" : "");
  };
  if (auto* c = std::get_if<ses::ConnectSpdu>(&s)) connect(*c);
  else if (auto* a = std::get_if<ses::AcceptSpdu>(&s)) connect(*a);
  else if (auto* r = std::get_if<ses::RefuseSpdu>(&s)) {
    if (r->reason) os << " reason=" << int{*r->reason};
    if (r->transport_disconnect) os << " transport-disconnect=" << int{*r->transport_disconnect};
    os << " user-data=" << r->user_data.size();
  } else if (auto* f = std::get_if<ses::FinishSpdu>(&s)) {
    if (f->transport_disconnect) os << " transport-disconnect=" << int{*f->transport_disconnect};
    os << " user-data=" << f->user_data.size();
  } else if (auto* ab = std::get_if<ses::AbortSpdu>(&s)) {
    if (ab->transport_disconnect) os << " transport-disconnect=" << int{*ab->transport_disconnect};
    os << " user-data=" << ab->user_data.size();
  } else if (auto* d = std::get_if<ses::DataTransferSpdu>(&s)) {
    os << " user-data=" << d->user_information.size();
  } else if (auto* dn = std::get_if<ses::DisconnectSpdu>(&s)) {
    os << " user-data=" << dn->user_data.size();
  } else if (auto* o = std::get_if<ses::OtherSpdu>(&s)) {
    os << " si=" << int{o->si};
  }
  os << "\n";
}

namespace {
std::string Pdvs(const pres::UserData& u) {
  if (u.simply_encoded) return absl::StrCat(" simply-encoded len=", u.simple.size());
  std::string s;
  for (const auto& p : u.pdvs) {
    static constexpr const char* kEnc[] = {"single-ASN1-type", "octet-aligned", "arbitrary"};
    size_t n = 0;
    for (auto d : p.data) n += d.size();
    absl::StrAppend(&s, " [ctx=", p.context_id, " ", kEnc[static_cast<int>(p.encoding)],
                    p.data.size() > 1 ? absl::StrCat(" segments=", p.data.size()) : "", " len=", n, "]");
  }
  return s;
}
std::string Results(const std::vector<pres::ContextResult>& r) {
  std::string s;
  for (const auto& c : r) {
    static constexpr const char* kRes[] = {"acceptance", "user-rejection", "provider-rejection"};
    absl::StrAppend(&s, s.empty() ? "" : ",", c.result >= 0 && c.result <= 2 ? kRes[c.result] : "?");
  }
  return s;
}
}  // namespace

void DecodePrinter::OnPpdu(int dir, const Ppdu& p) {
  auto& os = Line(dir, "PPDU");
  os << PpduName(p);
  if (auto* cp = std::get_if<pres::ConnectPpdu>(&p)) {
    os << " contexts=";
    for (size_t i = 0; i < cp->context_definitions.size(); ++i)
      os << (i ? "," : "") << cp->context_definitions[i].id << ":" << cp->context_definitions[i].abstract_syntax.ToString();
    if (cp->calling_selector) os << " calling-psel=" << absl::BytesToHexString(*cp->calling_selector);
    if (cp->called_selector) os << " called-psel=" << absl::BytesToHexString(*cp->called_selector);
    if (cp->user_data) os << Pdvs(*cp->user_data);
  } else if (auto* cpa = std::get_if<pres::AcceptPpdu>(&p)) {
    os << " results=" << Results(cpa->context_results);
    if (cpa->user_data) os << Pdvs(*cpa->user_data);
  } else if (auto* cpr = std::get_if<pres::RefusePpdu>(&p)) {
    os << " results=" << Results(cpr->context_results);
    if (cpr->provider_reason) os << " provider-reason=" << *cpr->provider_reason;
    if (cpr->user_data) os << Pdvs(*cpr->user_data);
  } else if (auto* ab = std::get_if<pres::AbortPpdu>(&p)) {
    if (auto* aru = std::get_if<pres::AbortUserPpdu>(ab)) {
      os << " contexts=" << aru->contexts.size();
      if (aru->user_data) os << Pdvs(*aru->user_data);
    } else {
      const auto& arp = std::get<pres::AbortProviderPpdu>(*ab);
      if (arp.provider_reason) os << " provider-reason=" << *arp.provider_reason;
      if (arp.event_identifier) os << " event=" << *arp.event_identifier;
    }
  } else {
    os << Pdvs(std::get<pres::UserData>(p));
  }
  os << "\n";
}

void DecodePrinter::OnApdu(int dir, const acse::Apdu& a) {
  auto& os = Line(dir, "APDU");
  os << acse::ApduName(a);
  if (auto* q = std::get_if<acse::Aarq>(&a)) {
    os << " application-context=" << q->application_context_name.ToString();
    if (q->called_ap_title && q->called_ap_title->form2) os << " called-AP-title=" << q->called_ap_title->form2->ToString();
    if (q->calling_ap_title && q->calling_ap_title->form2) os << " calling-AP-title=" << q->calling_ap_title->form2->ToString();
  } else if (auto* r = std::get_if<acse::Aare>(&a)) {
    static constexpr const char* kRes[] = {"accepted", "rejected-permanent", "rejected-transient"};
    os << " result=" << r->result << "(" << (r->result >= 0 && r->result <= 2 ? kRes[r->result] : "?") << ")"
       << " diagnostic=" << (r->result_source_diagnostic.source == acse::kServiceUser ? "service-user:" : "service-provider:")
       << r->result_source_diagnostic.value;
  } else if (auto* rq = std::get_if<acse::Rlrq>(&a)) {
    if (rq->reason) os << " reason=" << *rq->reason;
  } else if (auto* re = std::get_if<acse::Rlre>(&a)) {
    if (re->reason) os << " reason=" << *re->reason;
  } else if (auto* ab = std::get_if<acse::Abrt>(&a)) {
    os << " source=" << (ab->abort_source == acse::kAbortServiceUser ? "service-user" : "service-provider");
  }
  const auto& ui = acse::UserInformation(a);
  if (!ui.empty()) os << " user-information=" << ui.size();
  os << "\n";
}

void DecodePrinter::OnFtamPdu(int dir, const ftam::Pdu& p, osi::Bytes) {
  Line(dir, "FTAM") << ftam::Summary(p) << "\n";
  if (verbose_) ftam::PrintTree(out_, p, 6);
}

void DecodePrinter::OnDataValue(int dir, int64_t ctx, const osi::ber::Oid& as, osi::Bytes value) {
  auto& os = Line(dir, "DATA");
  os << "ctx=" << ctx;
  if (as == dt::kUnstructuredTextAbstractSyntax) {
    auto v = dt::DecodeTextValue(value);
    if (!v.ok()) {
      os << " FTAM-1 " << v.status().message() << "\n";
      ++errors_;
      return;
    }
    os << " FTAM-1 string-type=" << v->universal_tag << " len=" << v->size();
    if (verbose_) os << " \"" << absl::CHexEscape(v->Join()) << "\"";
  } else if (as == dt::kUnstructuredBinaryAbstractSyntax) {
    auto v = dt::DecodeBinaryValue(value);
    if (!v.ok()) {
      os << " FTAM-3 " << v.status().message() << "\n";
      ++errors_;
      return;
    }
    os << " FTAM-3 len=" << v->size();
  } else if (as == dt::kNbs9AbstractSyntax || as == dt::kNbs9OldAbstractSyntax) {
    auto a = dt::DecodeDirectoryEntry(value);
    if (!a.ok()) {
      os << " NBS-9 " << a.status().message() << "\n";
      ++errors_;
      return;
    }
    os << " NBS-9 entry";
    if (a->pathname && !a->pathname->empty()) os << " filename=\"" << a->pathname->back() << "\"";
    if (a->filesize && !a->filesize->no_value) os << " filesize=" << a->filesize->value;
    if (verbose_) os << " " << ftam::FormatAttributes(*a);
  } else {
    os << " abstract-syntax=" << as.ToString() << " len=" << value.size();
  }
  os << "\n";
}

void DecodePrinter::OnError(int dir, const std::string& layer, const absl::Status& s) {
  ++errors_;
  if (directions_) out_ << (dir == 0 ? "I>R " : "R>I ");
  out_ << "ERROR " << layer << ": " << s.message() << "\n";
}

}  // namespace gw::tools
