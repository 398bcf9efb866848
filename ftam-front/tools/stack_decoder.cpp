#include "tools/stack_decoder.h"

#include "osi/transport/tpkt.h"

namespace gw::tools {

namespace ses = osi::session;
namespace tp = osi::transport;
using osi::Bytes;

const char* PpduName(const Ppdu& p) {
  switch (p.index()) {
    case 0: return "CP";
    case 1: return "CPA";
    case 2: return "CPR";
    case 3: return std::holds_alternative<pres::AbortUserPpdu>(std::get<3>(p)) ? "ARU" : "ARP";
    default: return "P-DATA";
  }
}

StackDecoder::StackDecoder(StackObserver* obs, size_t max_tsdu)
    : obs_(obs), tsdu_{tp::TsduReassembler(max_tsdu), tp::TsduReassembler(max_tsdu)} {}

const osi::ber::Oid* StackDecoder::AbstractSyntax(int64_t id) const {
  auto it = contexts_.find(id);
  return it == contexts_.end() ? nullptr : &it->second;
}

void StackDecoder::Feed(int dir, Bytes data) {
  if (broken_[dir]) return;
  auto& buf = buf_[dir];
  buf.insert(buf.end(), data.begin(), data.end());
  size_t pos = 0;
  for (;;) {
    auto frame = tp::NextTpkt(Bytes(buf).subspan(pos));
    if (!frame.ok()) {
      obs_->OnError(dir, "TPKT", frame.status());
      broken_[dir] = true;
      buf.clear();
      return;
    }
    if (!frame->has_value()) break;
    OnTpkt(dir, (*frame)->tpdu);
    pos += (*frame)->consumed;
  }
  buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(pos));
}

void StackDecoder::OnTpkt(int dir, Bytes tpdu) {
  auto t = tp::DecodeTpdu(tpdu);
  if (!t.ok()) {
    obs_->OnError(dir, "COTP", t.status());
    return;
  }
  obs_->OnTpdu(dir, *t);
  auto* dt = std::get_if<tp::DataTpdu>(&*t);
  if (!dt) return;
  auto tsdu = tsdu_[dir].Add(*dt);
  if (!tsdu.ok()) {
    obs_->OnError(dir, "COTP", tsdu.status());
    return;
  }
  if (tsdu->has_value()) OnTsdu(dir, **tsdu);
}

void StackDecoder::OnTsdu(int dir, Bytes tsdu) {
  auto spdus = ses::DecodeTsdu(tsdu);
  if (!spdus.ok()) {
    obs_->OnError(dir, "session", spdus.status());
    return;
  }
  for (const auto& s : *spdus) {
    obs_->OnSpdu(dir, s);
    Bytes ud = ses::UserData(s);
    auto report = [&](auto&& decoded, auto&& then) {
      if (!decoded.ok()) {
        obs_->OnError(dir, "presentation", decoded.status());
        return;
      }
      Ppdu p = std::move(*decoded);
      obs_->OnPpdu(dir, p);
      then(p);
    };
    if (std::holds_alternative<ses::ConnectSpdu>(s)) {
      report(pres::DecodeConnect(ud), [&](const Ppdu& p) {
        const auto& cp = std::get<pres::ConnectPpdu>(p);
        contexts_.clear();
        for (const auto& d : cp.context_definitions) contexts_[d.id] = d.abstract_syntax;
        if (cp.user_data) OnUserData(dir, *cp.user_data, true);
      });
    } else if (std::holds_alternative<ses::AcceptSpdu>(s)) {
      report(pres::DecodeAccept(ud), [&](const Ppdu& p) {
        const auto& cpa = std::get<pres::AcceptPpdu>(p);
        if (cpa.user_data) OnUserData(dir, *cpa.user_data, true);
      });
    } else if (auto* rf = std::get_if<ses::RefuseSpdu>(&s)) {
      if (rf->reason != ses::refuse_reason::kRejectedWithUserData || rf->user_data.empty()) continue;
      report(pres::DecodeRefuse(ud), [&](const Ppdu& p) {
        const auto& cpr = std::get<pres::RefusePpdu>(p);
        if (cpr.user_data) OnUserData(dir, *cpr.user_data, true);
      });
    } else if (std::holds_alternative<ses::AbortSpdu>(s)) {
      if (ud.empty()) continue;
      report(pres::DecodeAbort(ud), [&](const Ppdu& p) {
        const auto& a = std::get<pres::AbortPpdu>(p);
        if (auto* aru = std::get_if<pres::AbortUserPpdu>(&a); aru && aru->user_data)
          OnUserData(dir, *aru->user_data, true);
      });
    } else if (std::holds_alternative<ses::FinishSpdu>(s) || std::holds_alternative<ses::DisconnectSpdu>(s) ||
               std::holds_alternative<ses::NotFinishedSpdu>(s) ||
               std::holds_alternative<ses::DataTransferSpdu>(s)) {
      bool data = std::holds_alternative<ses::DataTransferSpdu>(s);
      if (data) {  // version 2 segmentation (Enclosure Item)
        auto whole = ssdu_[dir].Add(std::get<ses::DataTransferSpdu>(s));
        if (!whole.ok()) {
          obs_->OnError(dir, "session", whole.status());
          continue;
        }
        if (!whole->has_value()) continue;
        ud = **whole;
      }
      if (ud.empty()) continue;
      report(pres::DecodeUserData(ud), [&](const Ppdu& p) {
        OnUserData(dir, std::get<pres::UserData>(p), !data);
      });
    }
  }
}

void StackDecoder::OnUserData(int dir, const pres::UserData& u, bool association_phase) {
  if (u.simply_encoded) {
    OnPdvValue(dir, 0, u.simple, association_phase);
    return;
  }
  for (const auto& pdv : u.pdvs) {
    std::vector<Bytes> values;
    std::string scratch;
    if (auto s = pres::PdvValues(pdv, &values, &scratch); !s.ok()) {
      obs_->OnError(dir, "presentation", s);
      continue;
    }
    for (Bytes v : values) OnPdvValue(dir, pdv.context_id, v, association_phase);
  }
}

void StackDecoder::OnPdvValue(int dir, int64_t ctx, Bytes value, bool association_phase) {
  const osi::ber::Oid* as = AbstractSyntax(ctx);
  bool acse = as ? *as == pres::kAcseAbstractSyntax : association_phase;
  if (acse) {
    auto a = osi::acse::DecodeApdu(value);
    if (!a.ok()) {
      obs_->OnError(dir, "ACSE", a.status());
      return;
    }
    obs_->OnApdu(dir, *a);
    OnExternal(dir, osi::acse::UserInformation(*a));
    return;
  }
  if (as && *as == kFtamPciAbstractSyntax) {
    auto p = ftam::DecodePdu(value);
    if (!p.ok()) {
      obs_->OnError(dir, "FTAM", p.status());
      return;
    }
    obs_->OnFtamPdu(dir, *p, value);
    return;
  }
  obs_->OnDataValue(dir, ctx, as ? *as : osi::ber::Oid(), value);
}

void StackDecoder::OnExternal(int dir, const std::vector<osi::acse::External>& ui) {
  for (const auto& x : ui) {
    if (x.encoding != osi::acse::ExternalEncoding::kSingleAsn1Type) continue;
    const osi::ber::Oid* as = x.indirect_reference ? AbstractSyntax(*x.indirect_reference) : nullptr;
    if (as && !(*as == kFtamPciAbstractSyntax)) {
      obs_->OnDataValue(dir, *x.indirect_reference, *as, x.data);
      continue;
    }
    auto p = ftam::DecodePdu(x.data);
    if (!p.ok()) {
      obs_->OnError(dir, "FTAM", p.status());
      continue;
    }
    obs_->OnFtamPdu(dir, *p, x.data);
  }
}

}  // namespace gw::tools
