// ISO 8327-1 (X.225) session protocol data units, the subset FTAM uses with the duplex
// functional unit: CN, AC, RF, FN, DN, NF, AB, AA, GT, PT and DT.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "osi/gather.h"

namespace gw::osi::session {

// SPDU identifiers (SI), ISO 8327-1 §8.3 table 10.
namespace si {
inline constexpr uint8_t kGiveTokens = 1;      // §8.3.16, category 0
inline constexpr uint8_t kDataTransfer = 1;    // §8.3.11, category 2 (same code as GT)
inline constexpr uint8_t kPleaseTokens = 2;    // §8.3.17, category 0
inline constexpr uint8_t kExpeditedData = 5;
inline constexpr uint8_t kPrepare = 7;
inline constexpr uint8_t kNotFinished = 8;     // §8.3.8
inline constexpr uint8_t kFinish = 9;          // §8.3.6
inline constexpr uint8_t kDisconnect = 10;     // §8.3.7
inline constexpr uint8_t kRefuse = 12;         // §8.3.5
inline constexpr uint8_t kConnect = 13;        // §8.3.1
inline constexpr uint8_t kAccept = 14;         // §8.3.4
inline constexpr uint8_t kAbort = 25;          // §8.3.9
inline constexpr uint8_t kAbortAccept = 26;    // §8.3.10
inline constexpr uint8_t kTypedData = 33;
}  // namespace si

// Parameter (PI) and parameter group (PGI) codes, ISO 8327-1 §8.3 tables 11-39.
namespace pi {
inline constexpr uint8_t kConnectionIdentifier = 1;   // PGI, §8.3.1.3
inline constexpr uint8_t kConnectAcceptItem = 5;      // PGI, §8.3.1.5
inline constexpr uint8_t kCalledSsUserReference = 9;
inline constexpr uint8_t kCallingSsUserReference = 10;
inline constexpr uint8_t kCommonReference = 11;
inline constexpr uint8_t kAdditionalReference = 12;
inline constexpr uint8_t kTokenItem = 16;             // §8.3.16.3
inline constexpr uint8_t kTransportDisconnect = 17;   // §8.3.6.3
inline constexpr uint8_t kProtocolOptions = 19;       // §8.3.1.7
inline constexpr uint8_t kSessionUserRequirements = 20;  // §8.3.1.9
inline constexpr uint8_t kTsduMaximumSize = 21;       // §8.3.1.8
inline constexpr uint8_t kVersionNumber = 22;         // §8.3.1.6
inline constexpr uint8_t kInitialSerialNumber = 23;
inline constexpr uint8_t kEnclosureItem = 25;         // §8.3.11.3 (version 2)
inline constexpr uint8_t kTokenSettingItem = 26;
inline constexpr uint8_t kReflectParameter = 49;      // §8.3.9.3
inline constexpr uint8_t kReasonCode = 50;            // §8.3.5.3
inline constexpr uint8_t kCallingSessionSelector = 51;
inline constexpr uint8_t kCalledSessionSelector = 52;  // "responding" in AC
inline constexpr uint8_t kUserData = 193;             // PGI, §8.3.1.13
inline constexpr uint8_t kExtendedUserData = 194;     // PGI, §8.3.1.12 (CN, version 2)
}  // namespace pi

// Version Number PI bits, §8.3.1.6.
inline constexpr uint8_t kVersion1 = 0x01;
inline constexpr uint8_t kVersion2 = 0x02;

// Session User Requirements bits, §8.3.1.9.
namespace requirement {
inline constexpr uint16_t kHalfDuplex = 0x0001;
inline constexpr uint16_t kDuplex = 0x0002;
inline constexpr uint16_t kExpedited = 0x0004;
inline constexpr uint16_t kMinorSync = 0x0008;
inline constexpr uint16_t kMajorSync = 0x0010;
inline constexpr uint16_t kResync = 0x0020;
inline constexpr uint16_t kActivity = 0x0040;
inline constexpr uint16_t kNegotiatedRelease = 0x0080;
inline constexpr uint16_t kCapabilityData = 0x0100;
inline constexpr uint16_t kExceptions = 0x0200;
inline constexpr uint16_t kTypedData = 0x0400;
inline constexpr uint16_t kSymmetricSync = 0x0800;
inline constexpr uint16_t kDataSeparation = 0x1000;
// §8.3.1.9: absent PI means half-duplex, minor sync, activity, capability, exceptions.
inline constexpr uint16_t kDefault = 0x0349;
}  // namespace requirement

// Transport Disconnect PI bits, §8.3.6.3.
namespace transport_disconnect {
inline constexpr uint8_t kRelease = 0x01;
inline constexpr uint8_t kUserAbort = 0x02;
inline constexpr uint8_t kProtocolError = 0x04;
inline constexpr uint8_t kNoReason = 0x08;
inline constexpr uint8_t kImplementationRestriction = 0x10;
}  // namespace transport_disconnect

// Refuse reason codes, §8.3.5.3.
namespace refuse_reason {
inline constexpr uint8_t kRejectedNoReason = 0;
inline constexpr uint8_t kRejectedCongestion = 1;
inline constexpr uint8_t kRejectedWithUserData = 2;
inline constexpr uint8_t kSelectorUnknown = 129;
inline constexpr uint8_t kUserNotAttached = 130;
inline constexpr uint8_t kSpmCongestion = 131;
inline constexpr uint8_t kVersionsNotSupported = 132;
inline constexpr uint8_t kSpmRejectNoReason = 133;
inline constexpr uint8_t kSpmImplementationRestriction = 134;
}  // namespace refuse_reason

// User-data limits, §7.1.1 and §8.3.1.12/13.
inline constexpr size_t kVersion1UserDataMax = 512;
inline constexpr size_t kExtendedUserDataMax = 10240;

struct ConnectionIdentifier {
  std::optional<std::string> called_ss_user_reference;
  std::optional<std::string> calling_ss_user_reference;
  std::optional<std::string> common_reference;
  std::optional<std::string> additional_reference;
};

// CN (§8.3.1) and AC (§8.3.4) carry the same items.
struct ConnectSpdu {
  std::optional<ConnectionIdentifier> connection_identifier;
  std::optional<uint8_t> protocol_options;      // 0x01: can receive extended concatenation
  std::optional<uint32_t> tsdu_maximum_size;    // init->resp in the high 16 bits
  std::optional<uint8_t> version_number;        // kVersion1 | kVersion2
  std::optional<std::string> initial_serial_number;
  std::optional<uint8_t> token_setting_item;
  std::optional<uint8_t> token_item;            // AC only
  std::optional<uint16_t> session_user_requirements;
  std::optional<std::string> calling_session_selector;
  std::optional<std::string> called_session_selector;  // responding selector in AC
  Bytes user_data;
  bool extended_user_data = false;  // decoded from PGI 194
};
struct AcceptSpdu : ConnectSpdu {};

struct RefuseSpdu {  // §8.3.5
  std::optional<ConnectionIdentifier> connection_identifier;
  std::optional<uint8_t> transport_disconnect;
  std::optional<uint16_t> session_user_requirements;
  std::optional<uint8_t> version_number;
  std::optional<uint8_t> reason;  // first octet of PI 50
  Bytes user_data;                // rest of PI 50 (reason 2)
};

struct FinishSpdu {  // §8.3.6
  std::optional<uint8_t> transport_disconnect;
  Bytes user_data;
};
struct DisconnectSpdu { Bytes user_data; };   // §8.3.7
struct NotFinishedSpdu { Bytes user_data; };  // §8.3.8
struct AbortSpdu {                            // §8.3.9
  std::optional<uint8_t> transport_disconnect;
  std::optional<std::string> reflect_parameter;
  Bytes user_data;
};
struct AbortAcceptSpdu {};                    // §8.3.10
struct GiveTokensSpdu { std::optional<uint8_t> token_item; };  // §8.3.16
struct PleaseTokensSpdu { std::optional<uint8_t> token_item; Bytes user_data; };
struct DataTransferSpdu {                     // §8.3.11
  std::optional<uint8_t> enclosure_item;      // version 2 segmentation: 1 begin, 2 end
  Bytes user_information;                     // the rest of the TSDU
};
struct OtherSpdu {                            // any other SI, parameters kept raw
  uint8_t si = 0;
  Bytes parameters;
};

using Spdu = std::variant<ConnectSpdu, AcceptSpdu, RefuseSpdu, FinishSpdu, DisconnectSpdu,
                          NotFinishedSpdu, AbortSpdu, AbortAcceptSpdu, GiveTokensSpdu,
                          PleaseTokensSpdu, DataTransferSpdu, OtherSpdu>;

const char* SpduName(const Spdu& s);
// The user data of the SPDU for the presentation layer (empty when none).
Bytes UserData(const Spdu& s);

struct DecodeLimits {
  size_t max_spdus = 16;        // SPDUs concatenated in one TSDU
  size_t max_parameters = 64;   // PIs per SPDU
};

// Decodes all SPDUs of one TSDU: basic concatenation (GT/PT then DT, §6.3.7) and
// extended concatenation on input. User data are views into tsdu.
absl::StatusOr<std::vector<Spdu>> DecodeTsdu(Bytes tsdu, const DecodeLimits& limits = {});

// Encoders append the SPDU header (and parameters) as copies and the user data as a view.
// `version` is the negotiated session version, which sets the user-data limits.
absl::Status Encode(const ConnectSpdu& s, Gather* out);
absl::Status Encode(const AcceptSpdu& s, Gather* out);
absl::Status Encode(const RefuseSpdu& s, Gather* out, uint8_t version = kVersion2);
absl::Status Encode(const FinishSpdu& s, Gather* out, uint8_t version = kVersion2);
absl::Status Encode(const DisconnectSpdu& s, Gather* out, uint8_t version = kVersion2);
absl::Status Encode(const NotFinishedSpdu& s, Gather* out, uint8_t version = kVersion2);
absl::Status Encode(const AbortSpdu& s, Gather* out, uint8_t version = kVersion2);
absl::Status Encode(const AbortAcceptSpdu& s, Gather* out);
absl::Status Encode(const GiveTokensSpdu& s, Gather* out);

// The P-DATA idiom: an empty GT then a DT with no parameters (§6.3.7), "01 00 01 00";
// the presentation bytes follow.
inline constexpr uint8_t kDataPrefix[4] = {si::kGiveTokens, 0, si::kDataTransfer, 0};
inline void AppendDataHeader(Gather* out) { out->AddCopy(Bytes(kDataPrefix, 4)); }

}  // namespace gw::osi::session
