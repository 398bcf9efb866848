// ACSE APDUs, ISO 8650-1 / X.227 (1988 with the authentication amendment):
// AARQ, AARE, RLRQ, RLRE, ABRT. User information travels as EXTERNAL values.
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

namespace gw::osi::acse {

using ber::NamedBits;
using ber::Oid;

// X.227 §9 tags: one table per APDU.
namespace tag {
inline constexpr uint32_t kAarq = 0, kAare = 1, kRlrq = 2, kRlre = 3, kAbrt = 4;  // [APPLICATION n]
namespace aarq {
inline constexpr uint32_t kProtocolVersion = 0;          // IMPLICIT BIT STRING
inline constexpr uint32_t kApplicationContextName = 1;   // EXPLICIT OID
inline constexpr uint32_t kCalledApTitle = 2;
inline constexpr uint32_t kCalledAeQualifier = 3;
inline constexpr uint32_t kCalledApInvocationId = 4;
inline constexpr uint32_t kCalledAeInvocationId = 5;
inline constexpr uint32_t kCallingApTitle = 6;
inline constexpr uint32_t kCallingAeQualifier = 7;
inline constexpr uint32_t kCallingApInvocationId = 8;
inline constexpr uint32_t kCallingAeInvocationId = 9;
inline constexpr uint32_t kSenderAcseRequirements = 10;  // IMPLICIT BIT STRING
inline constexpr uint32_t kMechanismName = 11;           // IMPLICIT OID
inline constexpr uint32_t kCallingAuthenticationValue = 12;
inline constexpr uint32_t kImplementationInformation = 29;  // IMPLICIT GraphicString
inline constexpr uint32_t kUserInformation = 30;         // IMPLICIT SEQUENCE OF EXTERNAL
}  // namespace aarq
namespace aare {
inline constexpr uint32_t kProtocolVersion = 0;
inline constexpr uint32_t kApplicationContextName = 1;
inline constexpr uint32_t kResult = 2;                   // EXPLICIT INTEGER
inline constexpr uint32_t kResultSourceDiagnostic = 3;   // EXPLICIT CHOICE
inline constexpr uint32_t kRespondingApTitle = 4;
inline constexpr uint32_t kRespondingAeQualifier = 5;
inline constexpr uint32_t kRespondingApInvocationId = 6;
inline constexpr uint32_t kRespondingAeInvocationId = 7;
inline constexpr uint32_t kResponderAcseRequirements = 8;
inline constexpr uint32_t kMechanismName = 9;
inline constexpr uint32_t kRespondingAuthenticationValue = 10;
inline constexpr uint32_t kImplementationInformation = 29;
inline constexpr uint32_t kUserInformation = 30;
inline constexpr uint32_t kServiceUser = 1;              // result-source-diagnostic choices
inline constexpr uint32_t kServiceProvider = 2;
}  // namespace aare
namespace release {
inline constexpr uint32_t kReason = 0;                   // RLRQ/RLRE IMPLICIT INTEGER
inline constexpr uint32_t kUserInformation = 30;
}  // namespace release
namespace abrt {
inline constexpr uint32_t kAbortSource = 0;              // IMPLICIT INTEGER
inline constexpr uint32_t kAbortDiagnostic = 1;          // IMPLICIT ENUMERATED
inline constexpr uint32_t kUserInformation = 30;
}  // namespace abrt
namespace external {  // X.208 §34 EXTERNAL encoding CHOICE
inline constexpr uint32_t kSingleAsn1Type = 0, kOctetAligned = 1, kArbitrary = 2;
}  // namespace external
}  // namespace tag

// Associate-result, X.227 §9.
enum AssociateResult : int64_t { kAccepted = 0, kRejectedPermanent = 1, kRejectedTransient = 2 };
// Associate-source-diagnostic values.
enum DiagnosticSource : int { kServiceUser = 1, kServiceProvider = 2 };
enum ServiceUserDiagnostic : int64_t {
  kNull = 0, kNoReasonGiven = 1, kApplicationContextNameNotSupported = 2,
  kCallingApTitleNotRecognized = 3, kCallingApInvocationIdNotRecognized = 4,
  kCallingAeQualifierNotRecognized = 5, kCallingAeInvocationIdNotRecognized = 6,
  kCalledApTitleNotRecognized = 7, kCalledApInvocationIdNotRecognized = 8,
  kCalledAeQualifierNotRecognized = 9, kCalledAeInvocationIdNotRecognized = 10,
  kAuthenticationMechanismNameNotRecognized = 11, kAuthenticationMechanismNameRequired = 12,
  kAuthenticationFailure = 13, kAuthenticationRequired = 14,
};
enum ReleaseRequestReason : int64_t { kReleaseNormal = 0, kReleaseUrgent = 1, kReleaseUserDefined = 30 };
enum ReleaseResponseReason : int64_t { kResponseNormal = 0, kResponseNotFinished = 1, kResponseUserDefined = 30 };
enum AbortSource : int64_t { kAbortServiceUser = 0, kAbortServiceProvider = 1 };

// Application context of FTAM, ISO 8571-4 §A: "iso ftam" 1.0.8571.1.1.
inline constexpr Oid kFtamApplicationContext{1, 0, 8571, 1, 1};

// AP-title / AE-qualifier: form 2 (OID / INTEGER) decoded, anything else kept raw.
struct ApTitle {
  std::optional<Oid> form2;
  std::string raw;  // complete encoding of another form (e.g. a directory Name)
  bool operator==(const ApTitle&) const = default;
};
struct AeQualifier {
  std::optional<int64_t> form2;
  std::string raw;
  bool operator==(const AeQualifier&) const = default;
};

enum class ExternalEncoding : uint8_t { kSingleAsn1Type, kOctetAligned, kArbitrary };
struct External {
  std::optional<Oid> direct_reference;
  std::optional<int64_t> indirect_reference;  // presentation context id
  std::optional<std::string> data_value_descriptor;
  ExternalEncoding encoding = ExternalEncoding::kSingleAsn1Type;
  Bytes data;  // single: the complete BER value; otherwise the contents
};

struct Aarq {
  std::optional<NamedBits> protocol_version;
  Oid application_context_name = kFtamApplicationContext;
  std::optional<ApTitle> called_ap_title;
  std::optional<AeQualifier> called_ae_qualifier;
  std::optional<int64_t> called_ap_invocation_id, called_ae_invocation_id;
  std::optional<ApTitle> calling_ap_title;
  std::optional<AeQualifier> calling_ae_qualifier;
  std::optional<int64_t> calling_ap_invocation_id, calling_ae_invocation_id;
  std::optional<NamedBits> sender_acse_requirements;
  std::optional<Oid> mechanism_name;
  std::optional<std::string> calling_authentication_value;  // raw [12] contents
  std::optional<std::string> implementation_information;
  std::vector<External> user_information;
};

struct ResultSourceDiagnostic {
  int source = kServiceUser;
  int64_t value = kNull;
};

struct Aare {
  std::optional<NamedBits> protocol_version;
  Oid application_context_name = kFtamApplicationContext;
  int64_t result = kAccepted;
  ResultSourceDiagnostic result_source_diagnostic;
  std::optional<ApTitle> responding_ap_title;
  std::optional<AeQualifier> responding_ae_qualifier;
  std::optional<int64_t> responding_ap_invocation_id, responding_ae_invocation_id;
  std::optional<NamedBits> responder_acse_requirements;
  std::optional<Oid> mechanism_name;
  std::optional<std::string> responding_authentication_value;
  std::optional<std::string> implementation_information;
  std::vector<External> user_information;
};

struct Rlrq {
  std::optional<int64_t> reason;
  std::vector<External> user_information;
};
struct Rlre {
  std::optional<int64_t> reason;
  std::vector<External> user_information;
};
struct Abrt {
  int64_t abort_source = kAbortServiceUser;
  std::optional<int64_t> abort_diagnostic;
  std::vector<External> user_information;
};

using Apdu = std::variant<Aarq, Aare, Rlrq, Rlre, Abrt>;

absl::StatusOr<Apdu> DecodeApdu(Bytes b, const ber::Limits& l = ber::DefaultLimits());
absl::Status EncodeApdu(const Apdu& a, std::vector<uint8_t>* out);
const char* ApduName(const Apdu& a);
const std::vector<External>& UserInformation(const Apdu& a);

}  // namespace gw::osi::acse
