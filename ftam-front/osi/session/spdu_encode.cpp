// Encoding of SPDUs, ISO 8327-1 §8.2 and §8.3. Headers are built in a small buffer and
// copied into the gather's arena; user data is referenced.
#include "absl/strings/str_cat.h"
#include "osi/session/spdu.h"

namespace gw::osi::session {
namespace {

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("session: ", std::string(what)));
}

// §8.2.5 length form.
void Length(size_t n, std::vector<uint8_t>* out) {
  if (n < 255) {
    out->push_back(static_cast<uint8_t>(n));
  } else {
    out->push_back(0xFF);
    out->push_back(static_cast<uint8_t>(n >> 8));
    out->push_back(static_cast<uint8_t>(n));
  }
}

void Pi(uint8_t code, Bytes v, std::vector<uint8_t>* out) {
  out->push_back(code);
  Length(v.size(), out);
  out->insert(out->end(), v.begin(), v.end());
}
void Pi8(uint8_t code, std::optional<uint8_t> v, std::vector<uint8_t>* out) {
  if (v) Pi(code, Bytes(&*v, 1), out);
}
void Pi16(uint8_t code, std::optional<uint16_t> v, std::vector<uint8_t>* out) {
  if (!v) return;
  uint8_t b[2] = {static_cast<uint8_t>(*v >> 8), static_cast<uint8_t>(*v)};
  Pi(code, Bytes(b, 2), out);
}
void PiStr(uint8_t code, const std::optional<std::string>& v, std::vector<uint8_t>* out) {
  if (v) Pi(code, AsBytes(*v), out);
}

void ConnectionId(const std::optional<ConnectionIdentifier>& id, std::vector<uint8_t>* out) {
  if (!id) return;
  std::vector<uint8_t> g;  // §8.3.1.3: PIs 10 (or 9), 11, 12 in this order
  PiStr(pi::kCalledSsUserReference, id->called_ss_user_reference, &g);
  PiStr(pi::kCallingSsUserReference, id->calling_ss_user_reference, &g);
  PiStr(pi::kCommonReference, id->common_reference, &g);
  PiStr(pi::kAdditionalReference, id->additional_reference, &g);
  Pi(pi::kConnectionIdentifier, Bytes(g), out);
}

// Emits SI, LI, the parameters and a user-data PGI whose value is gathered by reference.
absl::Status Emit(uint8_t si, const std::vector<uint8_t>& params, std::optional<uint8_t> ud_code,
                  Bytes user_data, Gather* out) {
  std::vector<uint8_t> h;
  std::vector<uint8_t> ud_header;
  if (ud_code) {
    ud_header.push_back(*ud_code);
    Length(user_data.size(), &ud_header);
  }
  size_t li = params.size() + ud_header.size() + (ud_code ? user_data.size() : 0);
  if (li > 0xFFFF) return Bad("SPDU longer than 65535 octets");  // §8.2.5
  h.push_back(si);
  Length(li, &h);
  h.insert(h.end(), params.begin(), params.end());
  h.insert(h.end(), ud_header.begin(), ud_header.end());
  out->AddCopy(Bytes(h));
  if (ud_code) out->AddRef(user_data);
  return absl::OkStatus();
}

absl::Status CheckLimit(Bytes ud, uint8_t version) {
  // §7.1.1: version 1 limits user data to 512 octets in every SPDU.
  if (!(version & kVersion2) && ud.size() > kVersion1UserDataMax)
    return Bad(absl::StrCat("user data of ", ud.size(), " octets exceeds the version 1 limit of 512"));
  return absl::OkStatus();
}

absl::Status EncodeConnectOrAccept(uint8_t si, const ConnectSpdu& c, Gather* out) {
  std::vector<uint8_t> p;
  ConnectionId(c.connection_identifier, &p);
  std::vector<uint8_t> item;  // §8.3.1.5 Connect/Accept Item
  Pi8(pi::kProtocolOptions, c.protocol_options, &item);
  if (c.tsdu_maximum_size) {
    uint32_t v = *c.tsdu_maximum_size;
    uint8_t b[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                    static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    Pi(pi::kTsduMaximumSize, Bytes(b, 4), &item);
  }
  Pi8(pi::kVersionNumber, c.version_number, &item);
  PiStr(pi::kInitialSerialNumber, c.initial_serial_number, &item);
  Pi8(pi::kTokenSettingItem, c.token_setting_item, &item);
  if (!item.empty()) Pi(pi::kConnectAcceptItem, Bytes(item), &p);
  Pi8(pi::kTokenItem, c.token_item, &p);
  Pi16(pi::kSessionUserRequirements, c.session_user_requirements, &p);
  PiStr(pi::kCallingSessionSelector, c.calling_session_selector, &p);
  PiStr(pi::kCalledSessionSelector, c.called_session_selector, &p);
  uint8_t version = c.version_number.value_or(kVersion1);
  std::optional<uint8_t> ud_code;
  if (!c.user_data.empty()) ud_code = pi::kUserData;
  if (si == si::kConnect && c.user_data.size() > kVersion1UserDataMax) {
    // §8.3.1.12: Extended User Data, version 2 only, 513..10240 octets.
    if (version != kVersion2)
      return Bad("CN user data over 512 octets requires proposing version 2 only");
    if (c.user_data.size() > kExtendedUserDataMax) return Bad("CN user data over 10240 octets");
    ud_code = pi::kExtendedUserData;
  } else if (si == si::kAccept) {
    if (auto s = CheckLimit(c.user_data, version); !s.ok()) return s;
  }
  return Emit(si, p, ud_code, c.user_data, out);
}

}  // namespace

absl::Status Encode(const ConnectSpdu& s, Gather* out) { return EncodeConnectOrAccept(si::kConnect, s, out); }
absl::Status Encode(const AcceptSpdu& s, Gather* out) { return EncodeConnectOrAccept(si::kAccept, s, out); }

absl::Status Encode(const RefuseSpdu& r, Gather* out, uint8_t version) {
  std::vector<uint8_t> p;
  ConnectionId(r.connection_identifier, &p);
  Pi8(pi::kTransportDisconnect, r.transport_disconnect, &p);
  Pi16(pi::kSessionUserRequirements, r.session_user_requirements, &p);
  Pi8(pi::kVersionNumber, r.version_number, &p);
  if (!r.reason) return Emit(si::kRefuse, p, std::nullopt, {}, out);
  if (auto s = CheckLimit(r.user_data, version); !s.ok()) return s;
  // PI 50: reason octet followed by the user data (§8.3.5.3), gathered.
  std::vector<uint8_t> h;
  p.push_back(pi::kReasonCode);
  Length(1 + r.user_data.size(), &p);
  p.push_back(*r.reason);
  size_t li = p.size() + r.user_data.size();
  if (li > 0xFFFF) return Bad("SPDU longer than 65535 octets");
  h.push_back(si::kRefuse);
  Length(li, &h);
  h.insert(h.end(), p.begin(), p.end());
  out->AddCopy(Bytes(h));
  out->AddRef(r.user_data);
  return absl::OkStatus();
}

absl::Status Encode(const FinishSpdu& f, Gather* out, uint8_t version) {
  if (auto s = CheckLimit(f.user_data, version); !s.ok()) return s;
  std::vector<uint8_t> p;
  Pi8(pi::kTransportDisconnect, f.transport_disconnect, &p);
  return Emit(si::kFinish, p, f.user_data.empty() ? std::nullopt : std::optional<uint8_t>(pi::kUserData),
              f.user_data, out);
}

absl::Status Encode(const DisconnectSpdu& d, Gather* out, uint8_t version) {
  if (auto s = CheckLimit(d.user_data, version); !s.ok()) return s;
  return Emit(si::kDisconnect, {}, d.user_data.empty() ? std::nullopt : std::optional<uint8_t>(pi::kUserData),
              d.user_data, out);
}

absl::Status Encode(const NotFinishedSpdu& d, Gather* out, uint8_t version) {
  if (auto s = CheckLimit(d.user_data, version); !s.ok()) return s;
  return Emit(si::kNotFinished, {}, d.user_data.empty() ? std::nullopt : std::optional<uint8_t>(pi::kUserData),
              d.user_data, out);
}

absl::Status Encode(const AbortSpdu& a, Gather* out, uint8_t version) {
  if (auto s = CheckLimit(a.user_data, version); !s.ok()) return s;
  std::vector<uint8_t> p;
  Pi8(pi::kTransportDisconnect, a.transport_disconnect, &p);
  PiStr(pi::kReflectParameter, a.reflect_parameter, &p);
  return Emit(si::kAbort, p, a.user_data.empty() ? std::nullopt : std::optional<uint8_t>(pi::kUserData),
              a.user_data, out);
}

absl::Status Encode(const AbortAcceptSpdu&, Gather* out) {
  return Emit(si::kAbortAccept, {}, std::nullopt, {}, out);
}

absl::Status Encode(const GiveTokensSpdu& g, Gather* out) {
  std::vector<uint8_t> p;
  Pi8(pi::kTokenItem, g.token_item, &p);
  return Emit(si::kGiveTokens, p, std::nullopt, {}, out);
}

}  // namespace gw::osi::session
