// ISO 8823 (X.226) presentation PPDUs, normal mode, BER transfer syntax:
// CP-type, CPA-PPDU, CPR-PPDU, ARU-PPDU, ARP-PPDU and User-data (P-DATA and the
// user data inside the connect, release and abort PPDUs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "osi/ber/bits.h"
#include "osi/ber/oid.h"
#include "osi/ber/reader.h"
#include "osi/gather.h"

namespace gw::osi::presentation {

using ber::NamedBits;
using ber::Oid;

// X.226 §8.1 tags (all context-specific, IMPLICIT unless noted).
namespace tag {
inline constexpr uint32_t kModeSelector = 0;                 // CP/CPA [0] SET
inline constexpr uint32_t kModeValue = 0;                    // [0] INTEGER inside mode-selector
inline constexpr uint32_t kNormalModeParameters = 2;         // CP/CPA [2] SEQUENCE
inline constexpr uint32_t kProtocolVersion = 0;              // [0] BIT STRING {version-1(0)}
inline constexpr uint32_t kCallingSelector = 1;
inline constexpr uint32_t kCalledSelector = 2;
inline constexpr uint32_t kRespondingSelector = 3;
inline constexpr uint32_t kContextDefinitionList = 4;
inline constexpr uint32_t kContextResultList = 5;
inline constexpr uint32_t kDefaultContextName = 6;
inline constexpr uint32_t kDefaultContextResult = 7;
inline constexpr uint32_t kPresentationRequirements = 8;
inline constexpr uint32_t kUserSessionRequirements = 9;
inline constexpr uint32_t kProviderReason = 10;              // CPR
inline constexpr uint32_t kResultValue = 0;                  // result-list entry [0]
inline constexpr uint32_t kResultTransferSyntax = 1;         // [1] OID
inline constexpr uint32_t kResultProviderReason = 2;         // [2] INTEGER
inline constexpr uint32_t kAbortUser = 0;                    // ARU normal mode [0] SEQUENCE
inline constexpr uint32_t kAbortContextList = 0;             // ARU [0] context id list
inline constexpr uint32_t kAbortProviderReason = 0;          // ARP [0]
inline constexpr uint32_t kAbortEventIdentifier = 1;         // ARP [1]
inline constexpr uint32_t kSimplyEncodedData = 0;            // [APPLICATION 0] OCTET STRING
inline constexpr uint32_t kFullyEncodedData = 1;             // [APPLICATION 1] SEQUENCE OF PDV-list
inline constexpr uint32_t kSingleAsn1Type = 0;               // [0] EXPLICIT
inline constexpr uint32_t kOctetAligned = 1;                 // [1] OCTET STRING
inline constexpr uint32_t kArbitrary = 2;                    // [2] BIT STRING
}  // namespace tag

inline constexpr int64_t kModeNormal = 1;    // X.226 §8.1 Mode-selector
inline constexpr int64_t kModeX410 = 0;

// Abstract and transfer syntaxes met with FTAM (osi-ftam-notes §4.6).
inline constexpr Oid kBasicEncoding{2, 1, 1};            // X.690 BER
inline constexpr Oid kAcseAbstractSyntax{2, 2, 1, 0, 1}; // X.227 ACSE APDUs

// Result of a context definition, X.226 §8.1 Result.
enum ContextResultValue : int64_t { kAcceptance = 0, kUserRejection = 1, kProviderRejection = 2 };
// Provider-reason of a rejected context.
enum ContextRejectReason : int64_t {
  kReasonNotSpecified = 0, kAbstractSyntaxNotSupported = 1,
  kTransferSyntaxesNotSupported = 2, kLocalLimitOnDcsExceeded = 3,
};
// CPR Provider-reason, X.226 §8.1.
enum RefuseReason : int64_t {
  kRefuseNotSpecified = 0, kTemporaryCongestion = 1, kLocalLimitExceeded = 2,
  kCalledAddressUnknown = 3, kProtocolVersionNotSupported = 4,
  kDefaultContextNotSupported = 5, kUserDataNotReadable = 6, kNoPsapAvailable = 7,
};
// ARP Abort-reason, X.226 §8.4.
enum AbortReason : int64_t {
  kAbortNotSpecified = 0, kUnrecognizedPpdu = 1, kUnexpectedPpdu = 2,
  kUnexpectedSessionPrimitive = 3, kUnrecognizedParameter = 4, kUnexpectedParameter = 5,
  kInvalidParameterValue = 6,
};

struct ContextDefinition {
  int64_t id = 0;
  Oid abstract_syntax;
  std::vector<Oid> transfer_syntaxes;
  bool operator==(const ContextDefinition&) const = default;
};

struct ContextResult {
  int64_t result = kAcceptance;
  std::optional<Oid> transfer_syntax;
  std::optional<int64_t> provider_reason;
  bool operator==(const ContextResult&) const = default;
};

enum class PdvEncoding : uint8_t { kSingleAsn1Type, kOctetAligned, kArbitrary };

// One PDV-list. data holds views:
//  single-ASN1-type: the pieces of exactly one BER value (decode yields one piece);
//  octet-aligned:    one piece per segment; on encode one value per segment, as ISODE does;
//  arbitrary:        the BIT STRING contents.
struct Pdv {
  std::optional<Oid> transfer_syntax;
  int64_t context_id = 0;
  PdvEncoding encoding = PdvEncoding::kSingleAsn1Type;
  std::vector<Bytes> data;
};

struct UserData {
  bool simply_encoded = false;
  Bytes simple;             // simply-encoded-data contents
  std::vector<Pdv> pdvs;    // fully-encoded-data
};

struct DefaultContext {
  Oid abstract_syntax;
  Oid transfer_syntax;
};

struct ConnectPpdu {  // CP-type, X.226 §8.2
  int64_t mode = kModeNormal;
  std::optional<NamedBits> protocol_version;
  std::optional<std::string> calling_selector;
  std::optional<std::string> called_selector;
  std::vector<ContextDefinition> context_definitions;
  std::optional<DefaultContext> default_context;
  std::optional<NamedBits> presentation_requirements;
  std::optional<NamedBits> user_session_requirements;
  std::optional<UserData> user_data;
};

struct AcceptPpdu {  // CPA-PPDU, X.226 §8.3
  int64_t mode = kModeNormal;
  std::optional<NamedBits> protocol_version;
  std::optional<std::string> responding_selector;
  std::vector<ContextResult> context_results;
  std::optional<NamedBits> presentation_requirements;
  std::optional<NamedBits> user_session_requirements;
  std::optional<UserData> user_data;
};

struct RefusePpdu {  // CPR-PPDU, X.226 §8.4
  std::optional<NamedBits> protocol_version;
  std::optional<std::string> responding_selector;
  std::vector<ContextResult> context_results;
  std::optional<int64_t> default_context_result;
  std::optional<int64_t> provider_reason;
  std::optional<UserData> user_data;
};

struct AbortContext {
  int64_t id = 0;
  Oid transfer_syntax;
};
struct AbortUserPpdu {  // ARU-PPDU normal mode, X.226 §8.5
  std::vector<AbortContext> contexts;
  std::optional<UserData> user_data;
};
struct AbortProviderPpdu {  // ARP-PPDU, X.226 §8.5
  std::optional<int64_t> provider_reason;
  std::optional<int64_t> event_identifier;
};
using AbortPpdu = std::variant<AbortUserPpdu, AbortProviderPpdu>;

// Decoders: the SPDU that carried the bytes says which PPDU to expect.
absl::StatusOr<ConnectPpdu> DecodeConnect(Bytes b, const ber::Limits& l = ber::DefaultLimits());
absl::StatusOr<AcceptPpdu> DecodeAccept(Bytes b, const ber::Limits& l = ber::DefaultLimits());
absl::StatusOr<RefusePpdu> DecodeRefuse(Bytes b, const ber::Limits& l = ber::DefaultLimits());
absl::StatusOr<AbortPpdu> DecodeAbort(Bytes b, const ber::Limits& l = ber::DefaultLimits());
// User-data alone: P-DATA, and the release PPDUs (FN/DN carry bare User-data).
absl::StatusOr<UserData> DecodeUserData(Bytes b, const ber::Limits& l = ber::DefaultLimits());

// The complete BER values of a PDV. Octet-aligned segments are split into values; when a
// value straddles segments, the segments are joined in *scratch (the views then point
// into it, so keep it alive).
absl::Status PdvValues(const Pdv& pdv, std::vector<Bytes>* values, std::string* scratch,
                       const ber::Limits& l = ber::DefaultLimits());

// Encoders. The connect-phase PPDUs are small and are written into one buffer.
absl::Status EncodeConnect(const ConnectPpdu& p, std::vector<uint8_t>* out);
absl::Status EncodeAccept(const AcceptPpdu& p, std::vector<uint8_t>* out);
absl::Status EncodeRefuse(const RefusePpdu& p, std::vector<uint8_t>* out);
absl::Status EncodeAbort(const AbortPpdu& p, std::vector<uint8_t>* out);
// User-data for P-DATA: headers are copied into the gather, PDV data referenced.
absl::Status EncodeUserData(const UserData& u, Gather* out);
// Same, flattened (connect/release phase).
absl::Status EncodeUserData(const UserData& u, std::vector<uint8_t>* out);

// Convenience: User-data with one PDV holding one value (single-ASN1-type).
UserData SingleValue(int64_t context_id, Bytes value);

}  // namespace gw::osi::presentation
