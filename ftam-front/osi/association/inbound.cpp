#include "osi/association/inbound.h"

#include "absl/strings/str_cat.h"
#include "ftam/doctype/data_value.h"
#include "ftam/doctype/document_types.h"
#include "osi/acse/apdu.h"
#include "osi/session/spdu.h"

namespace gw::osi::association {

namespace pres = presentation;
namespace ses = session;
namespace dt = ftam::doctype;

DataPhaseDecoder::DataPhaseDecoder(const pres::ContextTable* contexts, int64_t ftam_ctx, int64_t acse_ctx,
                                   InboundLimits limits)
    : contexts_(contexts), ftam_ctx_(ftam_ctx), acse_ctx_(acse_ctx), limits_(limits), ssdu_(limits.max_ssdu) {}

std::optional<ftam::Pdu> DataPhaseDecoder::FtamFromExternal(const std::vector<acse::External>& ui,
                                                            absl::Status* err) const {
  for (const auto& x : ui) {
    if (x.encoding != acse::ExternalEncoding::kSingleAsn1Type) continue;
    if (x.indirect_reference && *x.indirect_reference != ftam_ctx_) continue;
    auto p = ftam::DecodePdu(x.data, limits_.ber);
    if (!p.ok()) {
      *err = p.status();
      return std::nullopt;
    }
    return std::move(*p);
  }
  return std::nullopt;
}

namespace {
ProtocolError Error(std::string_view layer, const absl::Status& s) {
  return {absl::InvalidArgumentError(absl::StrCat(std::string(layer), ": ", s.message()))};
}
}  // namespace

void DataPhaseDecoder::OnTsdu(Bytes tsdu, std::vector<Indication>* out) {
  auto spdus = ses::DecodeTsdu(tsdu);
  if (!spdus.ok()) {
    out->push_back(Error("session", spdus.status()));
    return;
  }
  for (const auto& s : *spdus) {
    if (std::holds_alternative<ses::GiveTokensSpdu>(s)) continue;  // the GT of GT+DT
    if (const auto* d = std::get_if<ses::DataTransferSpdu>(&s)) {
      auto whole = ssdu_.Add(*d);
      if (!whole.ok()) {
        out->push_back(Error("session", whole.status()));
        return;
      }
      if (whole->has_value()) OnUserData(**whole, out);
      continue;
    }
    if (std::holds_alternative<ses::FinishSpdu>(s) || std::holds_alternative<ses::DisconnectSpdu>(s)) {
      const bool finish = std::holds_alternative<ses::FinishSpdu>(s);
      std::optional<ftam::Pdu> pdu;
      Bytes ud = ses::UserData(s);
      if (!ud.empty()) {
        auto u = pres::DecodeUserData(ud, limits_.ber);
        if (!u.ok()) {
          out->push_back(Error("presentation", u.status()));
          return;
        }
        std::vector<Bytes> values;
        std::string scratch;
        Bytes apdu_bytes = u->simply_encoded ? u->simple : Bytes();
        if (!u->simply_encoded && !u->pdvs.empty()) {
          if (auto st = pres::PdvValues(u->pdvs[0], &values, &scratch, limits_.ber); !st.ok() || values.empty()) {
            out->push_back(Error("presentation", st.ok() ? absl::InvalidArgumentError("empty release PDV") : st));
            return;
          }
          apdu_bytes = values[0];
        }
        auto apdu = acse::DecodeApdu(apdu_bytes, limits_.ber);
        if (!apdu.ok()) {
          out->push_back(Error("ACSE", apdu.status()));
          return;
        }
        if (finish ? !std::holds_alternative<acse::Rlrq>(*apdu) : !std::holds_alternative<acse::Rlre>(*apdu)) {
          out->push_back({ProtocolError{absl::InvalidArgumentError(
              absl::StrCat("ACSE: unexpected ", acse::ApduName(*apdu), " in a release SPDU"))}});
          return;
        }
        absl::Status err;
        pdu = FtamFromExternal(acse::UserInformation(*apdu), &err);
        if (!err.ok()) {
          out->push_back(Error("FTAM", err));
          return;
        }
      }
      if (finish) out->push_back(ReleaseIndication{std::move(pdu)});
      else out->push_back(ReleaseConfirm{std::move(pdu)});
      continue;
    }
    if (const auto* ab = std::get_if<ses::AbortSpdu>(&s)) {
      AbortIndication ind;
      ind.why = "the peer aborted the association";
      if (!ab->user_data.empty()) {
        auto a = pres::DecodeAbort(ab->user_data, limits_.ber);
        if (a.ok()) {
          if (auto* aru = std::get_if<pres::AbortUserPpdu>(&*a); aru && aru->user_data) {
            const auto& u = *aru->user_data;
            std::vector<Bytes> values;
            std::string scratch;
            Bytes apdu_bytes = u.simply_encoded ? u.simple : Bytes();
            if (!u.simply_encoded && !u.pdvs.empty() && pres::PdvValues(u.pdvs[0], &values, &scratch, limits_.ber).ok() &&
                !values.empty())
              apdu_bytes = values[0];
            auto apdu = acse::DecodeApdu(apdu_bytes, limits_.ber);
            if (apdu.ok()) {
              absl::Status err;
              ind.pdu = FtamFromExternal(acse::UserInformation(*apdu), &err);
            }
          } else if (auto* arp = std::get_if<pres::AbortProviderPpdu>(&*a)) {
            ind.provider = true;
            ind.why = absl::StrCat("presentation provider abort, reason ", arp->provider_reason.value_or(0));
          }
        }
      }
      out->push_back(std::move(ind));
      continue;
    }
    out->push_back(ProtocolError{absl::InvalidArgumentError(
        absl::StrCat("session: unexpected ", ses::SpduName(s), " SPDU in the data phase"))});
    return;
  }
}

void DataPhaseDecoder::OnUserData(Bytes ud, std::vector<Indication>* out) {
  auto u = pres::DecodeUserData(ud, limits_.ber);
  if (!u.ok()) {
    out->push_back(Error("presentation", u.status()));
    return;
  }
  if (u->simply_encoded) {
    out->push_back(ProtocolError{absl::InvalidArgumentError("presentation: simply-encoded data with several contexts")});
    return;
  }
  for (const auto& pdv : u->pdvs) {
    const pres::ContextTable::Entry* e = contexts_->Find(pdv.context_id);
    if (!e || !e->accepted) {
      out->push_back(ProtocolError{absl::InvalidArgumentError(
          absl::StrCat("presentation: data on context ", pdv.context_id, ", which is not in the defined context set"))});
      return;
    }
    std::vector<Bytes> values;
    std::string scratch;
    if (auto s = pres::PdvValues(pdv, &values, &scratch, limits_.ber); !s.ok()) {
      out->push_back(Error("presentation", s));
      return;
    }
    if (pdv.context_id == ftam_ctx_) {
      if (values.size() > limits_.max_pdus_per_pdata) {
        out->push_back(ProtocolError{absl::ResourceExhaustedError(
            absl::StrCat("FTAM: ", values.size(), " PDUs in one P-DATA (limit ", limits_.max_pdus_per_pdata, ")"))});
        return;
      }
      FtamPdus f;
      for (Bytes v : values) {
        auto p = ftam::DecodePdu(v, limits_.ber);
        if (!p.ok()) {
          out->push_back(Error("FTAM", p.status()));
          return;
        }
        f.pdus.push_back(std::move(*p));
      }
      out->push_back(std::move(f));
      continue;
    }
    if (pdv.context_id == acse_ctx_) {
      out->push_back(ProtocolError{absl::InvalidArgumentError("ACSE: an APDU in P-DATA")});
      return;
    }
    DataValues d;
    d.ctx = pdv.context_id;
    d.abstract_syntax = e->abstract_syntax;
    const bool text = e->abstract_syntax == dt::kUnstructuredTextAbstractSyntax;
    const bool binary = e->abstract_syntax == dt::kUnstructuredBinaryAbstractSyntax;
    d.decoded = text || binary;
    for (Bytes v : values) {
      if (d.decoded) {
        auto sv = text ? dt::DecodeTextValue(v, limits_.ber) : dt::DecodeBinaryValue(v, limits_.ber);
        if (!sv.ok()) {
          out->push_back(Error("data value", sv.status()));
          return;
        }
        d.universal_tag = sv->universal_tag;
        for (Bytes seg : sv->segments) d.payload.append(AsChars(seg));
      } else {
        d.payload.append(AsChars(v));
      }
      d.ends.push_back(d.payload.size());
    }
    out->push_back(std::move(d));
  }
}

}  // namespace gw::osi::association
