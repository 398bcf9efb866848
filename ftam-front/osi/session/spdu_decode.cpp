// Decoding of SPDUs, ISO 8327-1 §8.2 (structure) and §8.3 (individual SPDUs).
#include "absl/strings/str_cat.h"
#include "osi/session/spdu.h"

namespace gw::osi::session {
namespace {

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("session: ", std::string(what)));
}

// §8.2.5: length octet 0..254, or 0xFF followed by two octets.
bool ReadLength(Bytes b, size_t* pos, size_t* len) {
  if (*pos >= b.size()) return false;
  uint8_t l = b[(*pos)++];
  if (l != 0xFF) {
    *len = l;
    return true;
  }
  if (b.size() - *pos < 2) return false;
  *len = (size_t{b[*pos]} << 8) | b[*pos + 1];
  *pos += 2;
  return true;
}

struct Param {
  uint8_t code;
  Bytes value;
};

absl::Status ParseParams(Bytes b, std::vector<Param>* out, size_t max) {
  size_t pos = 0;
  while (pos < b.size()) {
    uint8_t code = b[pos++];
    size_t len = 0;
    if (!ReadLength(b, &pos, &len)) return Bad(absl::StrCat("truncated length of parameter ", code));
    if (len > b.size() - pos) return Bad(absl::StrCat("parameter ", code, " past the end of the SPDU"));
    if (out->size() >= max) return Bad("too many parameters");
    out->push_back({code, b.subspan(pos, len)});
    pos += len;
  }
  return absl::OkStatus();
}

absl::Status U8(const Param& p, std::optional<uint8_t>* v) {
  if (p.value.size() != 1) return Bad(absl::StrCat("parameter ", p.code, " must be one octet"));
  *v = p.value[0];
  return absl::OkStatus();
}

absl::Status ParseConnectionIdentifier(Bytes b, ConnectionIdentifier* id, size_t max) {
  std::vector<Param> ps;
  if (auto s = ParseParams(b, &ps, max); !s.ok()) return s;
  for (const auto& p : ps) {
    switch (p.code) {
      case pi::kCalledSsUserReference: id->called_ss_user_reference = ToString(p.value); break;
      case pi::kCallingSsUserReference: id->calling_ss_user_reference = ToString(p.value); break;
      case pi::kCommonReference: id->common_reference = ToString(p.value); break;
      case pi::kAdditionalReference: id->additional_reference = ToString(p.value); break;
      default: break;  // unknown PIs are skipped
    }
  }
  return absl::OkStatus();
}

absl::Status ParseConnect(const std::vector<Param>& ps, ConnectSpdu* c, size_t max) {
  absl::Status s;
  for (const auto& p : ps) {
    switch (p.code) {
      case pi::kConnectionIdentifier:
        c->connection_identifier.emplace();
        s = ParseConnectionIdentifier(p.value, &*c->connection_identifier, max);
        break;
      case pi::kConnectAcceptItem: {
        std::vector<Param> items;
        s = ParseParams(p.value, &items, max);
        for (const auto& q : items) {
          if (!s.ok()) break;
          switch (q.code) {
            case pi::kProtocolOptions: s = U8(q, &c->protocol_options); break;
            case pi::kVersionNumber: s = U8(q, &c->version_number); break;
            case pi::kTokenSettingItem: s = U8(q, &c->token_setting_item); break;
            case pi::kInitialSerialNumber: c->initial_serial_number = ToString(q.value); break;
            case pi::kTsduMaximumSize:
              if (q.value.size() != 4) s = Bad("TSDU maximum size must be four octets");
              else c->tsdu_maximum_size = (uint32_t{q.value[0]} << 24) | (uint32_t{q.value[1]} << 16) |
                                          (uint32_t{q.value[2]} << 8) | q.value[3];
              break;
            default: break;
          }
        }
        break;
      }
      case pi::kTokenItem: s = U8(p, &c->token_item); break;
      case pi::kSessionUserRequirements:
        if (p.value.size() != 2) s = Bad("session user requirements must be two octets");
        else c->session_user_requirements = static_cast<uint16_t>((p.value[0] << 8) | p.value[1]);
        break;
      case pi::kCallingSessionSelector: c->calling_session_selector = ToString(p.value); break;
      case pi::kCalledSessionSelector: c->called_session_selector = ToString(p.value); break;
      case pi::kUserData: c->user_data = p.value; break;
      case pi::kExtendedUserData:
        c->user_data = p.value;
        c->extended_user_data = true;
        break;
      default: break;
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<Spdu> ParseCategory1(uint8_t code, Bytes params, const DecodeLimits& lim) {
  std::vector<Param> ps;
  if (auto s = ParseParams(params, &ps, lim.max_parameters); !s.ok()) return s;
  absl::Status s;
  switch (code) {
    case si::kConnect: {
      ConnectSpdu c;
      if (s = ParseConnect(ps, &c, lim.max_parameters); !s.ok()) return s;
      return Spdu(std::move(c));
    }
    case si::kAccept: {
      AcceptSpdu c;
      if (s = ParseConnect(ps, &c, lim.max_parameters); !s.ok()) return s;
      return Spdu(std::move(c));
    }
    case si::kRefuse: {
      RefuseSpdu r;
      for (const auto& p : ps) {
        switch (p.code) {
          case pi::kConnectionIdentifier:
            r.connection_identifier.emplace();
            s = ParseConnectionIdentifier(p.value, &*r.connection_identifier, lim.max_parameters);
            break;
          case pi::kTransportDisconnect: s = U8(p, &r.transport_disconnect); break;
          case pi::kSessionUserRequirements:
            if (p.value.size() != 2) s = Bad("session user requirements must be two octets");
            else r.session_user_requirements = static_cast<uint16_t>((p.value[0] << 8) | p.value[1]);
            break;
          case pi::kVersionNumber: s = U8(p, &r.version_number); break;
          case pi::kReasonCode:
            if (p.value.empty()) s = Bad("empty reason code");
            else {
              r.reason = p.value[0];
              r.user_data = p.value.subspan(1);
            }
            break;
          default: break;
        }
        if (!s.ok()) return s;
      }
      return Spdu(std::move(r));
    }
    case si::kFinish: {
      FinishSpdu f;
      for (const auto& p : ps) {
        if (p.code == pi::kTransportDisconnect) s = U8(p, &f.transport_disconnect);
        if (p.code == pi::kUserData) f.user_data = p.value;
        if (!s.ok()) return s;
      }
      return Spdu(f);
    }
    case si::kDisconnect: {
      DisconnectSpdu d;
      for (const auto& p : ps) if (p.code == pi::kUserData) d.user_data = p.value;
      return Spdu(d);
    }
    case si::kNotFinished: {
      NotFinishedSpdu d;
      for (const auto& p : ps) if (p.code == pi::kUserData) d.user_data = p.value;
      return Spdu(d);
    }
    case si::kAbort: {
      AbortSpdu a;
      for (const auto& p : ps) {
        if (p.code == pi::kTransportDisconnect) s = U8(p, &a.transport_disconnect);
        if (p.code == pi::kReflectParameter) a.reflect_parameter = ToString(p.value);
        if (p.code == pi::kUserData) a.user_data = p.value;
        if (!s.ok()) return s;
      }
      return Spdu(std::move(a));
    }
    case si::kAbortAccept:
      return Spdu(AbortAcceptSpdu{});
  }
  return Spdu(OtherSpdu{code, params});
}

}  // namespace

absl::StatusOr<std::vector<Spdu>> DecodeTsdu(Bytes tsdu, const DecodeLimits& limits) {
  std::vector<Spdu> out;
  size_t pos = 0;
  bool after_category0 = false;
  if (tsdu.empty()) return Bad("empty TSDU");
  while (pos < tsdu.size()) {
    if (out.size() >= limits.max_spdus) return Bad("too many concatenated SPDUs");
    uint8_t code = tsdu[pos++];
    size_t li = 0;
    if (!ReadLength(tsdu, &pos, &li)) return Bad("truncated SPDU length indicator");
    if (li > tsdu.size() - pos) return Bad(absl::StrCat("SPDU ", code, " length past the end of the TSDU"));
    Bytes params = tsdu.subspan(pos, li);
    pos += li;
    bool first = out.empty();
    if (first && (code == si::kGiveTokens || code == si::kPleaseTokens)) {
      // §6.3.7: a category 0 SPDU, possibly followed by a category 2 SPDU.
      std::vector<Param> ps;
      if (auto s = ParseParams(params, &ps, limits.max_parameters); !s.ok()) return s;
      std::optional<uint8_t> token;
      Bytes user;
      for (const auto& p : ps) {
        if (p.code == pi::kTokenItem && p.value.size() == 1) token = p.value[0];
        if (p.code == pi::kUserData) user = p.value;
      }
      if (code == si::kGiveTokens) out.push_back(GiveTokensSpdu{token});
      else out.push_back(PleaseTokensSpdu{token, user});
      after_category0 = true;
      continue;
    }
    if (after_category0 && code == si::kDataTransfer) {
      // §8.3.11: the user information is the rest of the TSDU.
      std::vector<Param> ps;
      if (auto s = ParseParams(params, &ps, limits.max_parameters); !s.ok()) return s;
      DataTransferSpdu d;
      for (const auto& p : ps)
        if (p.code == pi::kEnclosureItem && p.value.size() == 1) d.enclosure_item = p.value[0];
      d.user_information = tsdu.subspan(pos);
      out.push_back(d);
      return out;
    }
    auto s = ParseCategory1(code, params, limits);
    if (!s.ok()) return s.status();
    out.push_back(std::move(*s));
  }
  return out;
}

const char* SpduName(const Spdu& s) {
  static constexpr const char* kNames[] = {"CN", "AC", "RF", "FN", "DN", "NF",
                                           "AB", "AA", "GT", "PT", "DT", "??"};
  return kNames[s.index()];
}

Bytes UserData(const Spdu& s) {
  return std::visit(
      [](const auto& v) -> Bytes {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, DataTransferSpdu>) return v.user_information;
        else if constexpr (requires { v.user_data; }) return v.user_data;
        else return {};
      },
      s);
}

}  // namespace gw::osi::session
