// ISO 8073 (X.224) class 0 TPDUs as used over RFC 1006: CR, CC, DT, DR, ER.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "osi/gather.h"

namespace gw::osi::transport {

// TPDU codes, ISO 8073 §13.1 table 8 (high nibble of the code octet).
namespace tpdu_code {
inline constexpr uint8_t kCR = 0xE0;  // connection request, §13.3
inline constexpr uint8_t kCC = 0xD0;  // connection confirm, §13.4
inline constexpr uint8_t kDR = 0x80;  // disconnect request, §13.5
inline constexpr uint8_t kDC = 0xC0;  // disconnect confirm (not in class 0)
inline constexpr uint8_t kDT = 0xF0;  // data, §13.7
inline constexpr uint8_t kER = 0x70;  // TPDU error, §13.12
}  // namespace tpdu_code

// Variable-part parameter codes, ISO 8073 §13.3.4.
namespace param {
inline constexpr uint8_t kTpduSize = 0xC0;           // §13.3.4 b: log2 of the size
inline constexpr uint8_t kCallingTsap = 0xC1;        // §13.3.4 a
inline constexpr uint8_t kCalledTsap = 0xC2;         // §13.3.4 a
inline constexpr uint8_t kChecksum = 0xC3;
inline constexpr uint8_t kVersion = 0xC4;
inline constexpr uint8_t kProtection = 0xC5;
inline constexpr uint8_t kAdditionalOptions = 0xC6;
inline constexpr uint8_t kAlternativeClasses = 0xC7;
inline constexpr uint8_t kPreferredMaxTpduSize = 0xF0;  // §13.3.4 c (in 128-octet units)
inline constexpr uint8_t kAdditionalInfo = 0xE0;     // DR §13.5.3
inline constexpr uint8_t kInvalidTpdu = 0xC1;        // ER §13.12.3
}  // namespace param

// DR reasons, ISO 8073 §13.5.3 d.
namespace dr_reason {
inline constexpr uint8_t kNotSpecified = 0;
inline constexpr uint8_t kCongestion = 1;
inline constexpr uint8_t kSessionNotAttached = 2;
inline constexpr uint8_t kAddressUnknown = 3;
inline constexpr uint8_t kNormal = 128;
inline constexpr uint8_t kRemoteCongestion = 129;
inline constexpr uint8_t kNegotiationFailed = 130;
inline constexpr uint8_t kDuplicateSourceRef = 131;
inline constexpr uint8_t kMismatchedRefs = 132;
inline constexpr uint8_t kProtocolError = 133;
inline constexpr uint8_t kReferenceOverflow = 135;
inline constexpr uint8_t kRefused = 136;
inline constexpr uint8_t kHeaderLengthInvalid = 138;
}  // namespace dr_reason
const char* DisconnectReasonName(uint8_t reason);

// TPDU sizes are exchanged as log2 (ISO 8073 §13.3.4 b): 7 = 128 ... 13 = 8192.
inline constexpr uint8_t kTpduSize128 = 7;
inline constexpr uint8_t kTpduSize2048 = 11;
inline constexpr uint8_t kTpduSize8192 = 13;
inline constexpr size_t TpduSizeOctets(uint8_t log2) { return size_t{1} << log2; }

struct UnknownParameter {
  uint8_t code = 0;
  std::string value;
  bool operator==(const UnknownParameter&) const = default;
};

// CR and CC share a layout (ISO 8073 §13.3, §13.4).
struct ConnectTpdu {
  bool confirm = false;  // false: CR, true: CC
  uint8_t credit = 0;    // low nibble of the code (always 0 in class 0)
  uint16_t dst_ref = 0;
  uint16_t src_ref = 0;
  uint8_t class_option = 0;  // class 0, no options
  std::optional<std::string> calling_tsap;
  std::optional<std::string> called_tsap;
  std::optional<uint8_t> tpdu_size;        // log2
  std::optional<uint32_t> preferred_max_tpdu_size;  // in 128-octet units
  std::vector<UnknownParameter> other;     // kept, ignored in class 0
  std::string user_data;
  bool operator==(const ConnectTpdu&) const = default;
};

struct DataTpdu {
  bool eot = true;  // §13.7.3: last TPDU of the TSDU
  Bytes user_data;  // view into the input
};

struct DisconnectTpdu {
  uint16_t dst_ref = 0;
  uint16_t src_ref = 0;
  uint8_t reason = dr_reason::kNormal;
  std::optional<std::string> additional_info;
  bool operator==(const DisconnectTpdu&) const = default;
};

struct ErrorTpdu {
  uint16_t dst_ref = 0;
  uint8_t reject_cause = 0;  // §13.12.3: 0 unspecified, 1 bad param code, 2 bad type, 3 bad value
  std::optional<std::string> invalid_tpdu;
  bool operator==(const ErrorTpdu&) const = default;
};

using Tpdu = std::variant<ConnectTpdu, DataTpdu, DisconnectTpdu, ErrorTpdu>;

// Decodes one TPDU (the contents of one TPKT). DT user data is a view into tpdu.
absl::StatusOr<Tpdu> DecodeTpdu(Bytes tpdu);
const char* TpduName(const Tpdu& t);

// Encoders append a complete TPKT (header included).
void EncodeTpkt(const ConnectTpdu& t, std::vector<uint8_t>* out);
void EncodeTpkt(const DisconnectTpdu& t, std::vector<uint8_t>* out);
void EncodeTpkt(const ErrorTpdu& t, std::vector<uint8_t>* out);

// TPKT header + DT header for a DT TPDU carrying payload_size octets: 7 octets.
inline constexpr size_t kDtHeaderSize = 3;
std::array<uint8_t, 7> DtTpktHeader(size_t payload_size, bool eot);

// Splits a TSDU (any number of gathered pieces) into DT TPDUs of at most tpdu_size
// octets (TPDU header included, ISO 8073 §13.7), appending TPKT+DT headers and views of
// the payload to out. The last DT carries EOT. No payload byte is copied.
void SegmentTsdu(const std::vector<Bytes>& tsdu, size_t tpdu_size, Gather* out);

// Negotiation of the TPDU size (ISO 8073 §14.6 e): the responder may only lower it.
// A CR without the parameter means 128 octets.
uint8_t NegotiateTpduSize(const ConnectTpdu& cr, uint8_t responder_max_log2);

}  // namespace gw::osi::transport
