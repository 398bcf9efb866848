// RFC 1415 §9: the FTAM diagnostic tables, as data.
//
// Contract:
//  - FtamDiagnosticFor(op, result): the diagnostic an FTAM initiator gets for a neutral
//    result (the FTAM-initiated gateway, RFC 1415 §4.2, §5.2, §8.2). In order:
//      1. an FTAM diagnostic in result.origin (an ftam:// destination answered) is handed on
//         unchanged: the far responder's own words;
//      2. a successful result is success (type 0, identifier 0, the last reply's text);
//      3. else the last failing FTP reply (4xx, 5xx) in result.origin decides by RFC 1415
//         §9.1 (FtpToFtamRows()); a failure code §9.1 does not name is "unrecoverable", as
//         §9.4 says (permanent, responder error);
//      4. else the neutral code for that operation (NeutralToFtamRows(): rows for the op
//         first, then the rows for any op), else §9.4's permanent responder error.
//    diagnostic_type: 0 informative (the caller sends success, with no diagnostic needed),
//    1 transient, 2 permanent. error_observer / error_source are ISO 8571-3 entity
//    references (kEntity*): the gateway's file service side observes what the far server
//    said and the far server is the source (5/5); a parameter the initiator chose that the
//    far side refused has the initiating user (1) as its source.
//    further_details: the far side's text, verbatim (the FTP reply text, else the
//    result's message). RFC 1415 §9: the FTP text goes in <Further Details>.
//  - FtpReplyFor(op, diagnostic): the FTP reply an FTP client gets for an FTAM diagnostic
//    (the FTP-initiated gateway, RFC 1415 §4.1, §5.1, §8.1), by RFC 1415 §9.2
//    (FtamToFtpRows(), keyed by diagnostic type and identifier). An error code that
//    RFC 959 §5.4 does not allow for the FTP command the op serves is replaced by that
//    command's failure code of the code's class (ReplyAllowedFor: e.g. 553 for DELE
//    becomes 550, 426 for USER/PASS becomes 421); 421 is allowed everywhere. An identifier §9.2
//    does not name (or not for that type) takes the same identifier's row for the other
//    error type if there is one, else the command's failure code for the class (§9.4 calls
//    221 the minimal answer; it would tell the client the session ended, so the command's
//    own failure code is used instead). The reply text is the diagnostic's further details
//    (RFC 1415 §9: the responder's text reaches the FTP user), else the identifier's
//    reason; control characters become spaces, and it is cut at kMaxReplyText octets.
// Pure functions over tables; no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "gateway/v1/file_service.pb.h"

namespace gw::bridge {

// The neutral operation a diagnostic or reply is for: what the FTAM primitive or FTP
// command asked the destination to do.
enum class NeutralOp {
  kLogin,            // F-INITIALIZE / USER, PASS, ACCT
  kChangeDirectory,  // CWD, CDUP (and the bridge's check of an FTAM directory)
  kList,             // NBS-9 directory read / LIST, NLST, MLSD
  kStat,             // F-READ-ATTRIB / SIZE, MDTM, MLST, STAT file
  kRead,             // F-SELECT + F-OPEN + F-READ / RETR
  kWrite,            // F-CREATE + F-OPEN + F-WRITE / STOR, APPE, STOU
  kDelete,           // F-DELETE / DELE
  kRename,           // F-CHANGE-ATTRIB filename / RNFR, RNTO
  kMakeDirectory,    // F-CREATE of a directory / MKD
  kRemoveDirectory,  // F-DELETE of a directory / RMD
  kOther,            // anything else: no command-specific adjustment
};

// ISO 8571-3 diagnostic types (RFC 1415 §9: type 0, 1, 2).
inline constexpr uint32_t kInformative = 0;
inline constexpr uint32_t kTransient = 1;
inline constexpr uint32_t kPermanent = 2;

// ISO 8571-3 entity references (error observer, error source).
inline constexpr uint32_t kEntityNoCategorization = 0;
inline constexpr uint32_t kEntityInitiatingUser = 1;
inline constexpr uint32_t kEntityInitiatingFpm = 2;
inline constexpr uint32_t kEntityServiceSupportingFpm = 3;
inline constexpr uint32_t kEntityRespondingFpm = 4;
inline constexpr uint32_t kEntityRespondingUser = 5;

// ISO 8571-3 diagnostic error identifiers used by the tables below (numbering and reasons
// as RFC 1415 §9.2 lists them).
namespace ftam_error {
inline constexpr uint32_t kNoReason = 0;
inline constexpr uint32_t kResponderError = 1;
inline constexpr uint32_t kSystemShutdown = 2;
inline constexpr uint32_t kManagementProblem = 3;
inline constexpr uint32_t kManagementBadAccount = 4;
inline constexpr uint32_t kManagementSecurityNotPassed = 5;
inline constexpr uint32_t kDelayMayBeEncountered = 6;
inline constexpr uint32_t kInitiatorError = 7;
inline constexpr uint32_t kSubsequentError = 8;
inline constexpr uint32_t kTemporalInsufficiency = 9;
inline constexpr uint32_t kAccessRequestViolatesVfsSecurity = 10;
inline constexpr uint32_t kAccessRequestViolatesLocalSecurity = 11;
inline constexpr uint32_t kConflictingParameterValues = 1000;
inline constexpr uint32_t kUnsupportedParameterValues = 1001;
inline constexpr uint32_t kMandatoryParameterNotSet = 1002;
inline constexpr uint32_t kUnsupportedParameter = 1003;
inline constexpr uint32_t kDuplicatedParameter = 1004;
inline constexpr uint32_t kIllegalParameterType = 1005;
inline constexpr uint32_t kUnsupportedParameterTypes = 1006;
inline constexpr uint32_t kProtocolError = 1007;
inline constexpr uint32_t kProcedureError = 1008;
inline constexpr uint32_t kFunctionalUnitError = 1009;
inline constexpr uint32_t kCorruptionError = 1010;
inline constexpr uint32_t kLowerLayerFailure = 1011;
inline constexpr uint32_t kLowerLayerAddressingError = 1012;
inline constexpr uint32_t kTimeout = 1013;
inline constexpr uint32_t kSystemShutdownProtocol = 1014;
inline constexpr uint32_t kIllegalGroupingSequence = 1015;
inline constexpr uint32_t kGroupingThresholdViolation = 1016;
inline constexpr uint32_t kInconsistentPduRequest = 1017;
inline constexpr uint32_t kAssociationWithUserNotAllowed = 2000;
inline constexpr uint32_t kUnsupportedServiceClass = 2002;
inline constexpr uint32_t kUnsupportedFunctionalUnit = 2003;
inline constexpr uint32_t kAttributeGroupError = 2004;
inline constexpr uint32_t kAttributeGroupNotSupported = 2005;
inline constexpr uint32_t kAttributeGroupNotAllowed = 2006;
inline constexpr uint32_t kBadAccount = 2007;
inline constexpr uint32_t kAssociationManagement = 2008;
inline constexpr uint32_t kAssociationManagementBadAddress = 2009;
inline constexpr uint32_t kAssociationManagementBadAccount = 2010;
inline constexpr uint32_t kCheckpointWindowTooLarge = 2011;
inline constexpr uint32_t kCheckpointWindowTooSmall = 2012;
inline constexpr uint32_t kCheckpointWindowUnsupported = 2013;
inline constexpr uint32_t kQosNotSupported = 2014;
inline constexpr uint32_t kInitiatorIdentityUnacceptable = 2015;
inline constexpr uint32_t kContextManagementRefused = 2016;
inline constexpr uint32_t kRollbackNotAvailable = 2017;
inline constexpr uint32_t kContentsTypeListCutByResponder = 2018;
inline constexpr uint32_t kContentsTypeListCutByPresentation = 2019;
inline constexpr uint32_t kInvalidFilestorePassword = 2020;
inline constexpr uint32_t kIncompatibleServiceClasses = 2021;
inline constexpr uint32_t kFilenameNotFound = 3000;
inline constexpr uint32_t kSelectionAttributesNotMatched = 3001;
inline constexpr uint32_t kInitialAttributesNotPossible = 3002;
inline constexpr uint32_t kBadAttributeNameSelect = 3003;
inline constexpr uint32_t kNonexistentFile = 3004;
inline constexpr uint32_t kFileAlreadyExists = 3005;
inline constexpr uint32_t kFileCannotBeCreated = 3006;
inline constexpr uint32_t kFileCannotBeDeleted = 3007;
inline constexpr uint32_t kConcurrencyControlNotAvailable = 3008;
inline constexpr uint32_t kConcurrencyControlNotSupported = 3009;
inline constexpr uint32_t kConcurrencyControlNotPossible = 3010;
inline constexpr uint32_t kMoreRestrictiveLock = 3011;
inline constexpr uint32_t kFileBusy = 3012;
inline constexpr uint32_t kFileNotAvailable = 3013;
inline constexpr uint32_t kAccessControlNotAvailable = 3014;
inline constexpr uint32_t kAccessControlNotSupported = 3015;
inline constexpr uint32_t kAccessControlInconsistent = 3016;
inline constexpr uint32_t kFilenameTruncated = 3017;
inline constexpr uint32_t kInitialAttributesAltered = 3018;
inline constexpr uint32_t kBadAccountSelect = 3019;
inline constexpr uint32_t kOverrideSelectedExistingFile = 3020;
inline constexpr uint32_t kOverrideDeletedAndRecreated = 3021;
inline constexpr uint32_t kCreateOverrideRecreatedWithNewAttributes = 3022;
inline constexpr uint32_t kCreateOverrideNotPossible = 3023;
inline constexpr uint32_t kAmbiguousFileSpecification = 3024;
inline constexpr uint32_t kInvalidCreatePassword = 3025;
inline constexpr uint32_t kInvalidDeletePasswordOnOverride = 3026;
inline constexpr uint32_t kBadAttributeValueSelect = 3027;
inline constexpr uint32_t kRequestedAccessViolation = 3028;
inline constexpr uint32_t kFunctionalUnitNotAvailableForAccess = 3029;
inline constexpr uint32_t kFileCreatedButNotSelected = 3030;
inline constexpr uint32_t kAttributeNonExistent = 4000;
inline constexpr uint32_t kAttributeCannotBeRead = 4001;
inline constexpr uint32_t kAttributeCannotBeChanged = 4002;
inline constexpr uint32_t kAttributeNotSupported = 4003;
inline constexpr uint32_t kBadAttributeName = 4004;
inline constexpr uint32_t kBadAttributeValue = 4005;
inline constexpr uint32_t kAttributePartiallySupported = 4006;
inline constexpr uint32_t kAdditionalSetAttributeValueNotDistinct = 4007;
inline constexpr uint32_t kBadFadu = 5000;
inline constexpr uint32_t kBadFaduSizeError = 5001;
inline constexpr uint32_t kBadFaduTypeError = 5002;
inline constexpr uint32_t kBadFaduPoorlySpecified = 5003;
inline constexpr uint32_t kBadFaduBadLocation = 5004;
inline constexpr uint32_t kFaduDoesNotExist = 5005;
inline constexpr uint32_t kFaduNotAvailable = 5006;
inline constexpr uint32_t kFaduNotAvailableForReading = 5007;
inline constexpr uint32_t kFaduNotAvailableForWriting = 5008;
inline constexpr uint32_t kFaduNotAvailableForLocation = 5009;
inline constexpr uint32_t kFaduNotAvailableForErasure = 5010;
inline constexpr uint32_t kFaduCannotBeInserted = 5011;
inline constexpr uint32_t kFaduCannotBeReplaced = 5012;
inline constexpr uint32_t kFaduCannotBeLocated = 5013;
inline constexpr uint32_t kBadDataElementType = 5014;
inline constexpr uint32_t kOperationNotAvailable = 5015;
inline constexpr uint32_t kOperationNotSupported = 5016;
inline constexpr uint32_t kOperationInconsistent = 5017;
inline constexpr uint32_t kAccessConcurrencyControlNotAvailable = 5018;
inline constexpr uint32_t kAccessConcurrencyControlNotSupported = 5019;
inline constexpr uint32_t kAccessConcurrencyControlInconsistent = 5020;
inline constexpr uint32_t kProcessingModeNotAvailable = 5021;
inline constexpr uint32_t kProcessingModeNotSupported = 5022;
inline constexpr uint32_t kProcessingModeInconsistent = 5023;
inline constexpr uint32_t kAccessContextNotAvailable = 5024;
inline constexpr uint32_t kAccessContextNotSupported = 5025;
inline constexpr uint32_t kBadWrite = 5026;
inline constexpr uint32_t kBadRead = 5027;
inline constexpr uint32_t kLocalFailure = 5028;
inline constexpr uint32_t kFilespaceExhausted = 5029;
inline constexpr uint32_t kDataCorrupted = 5030;
inline constexpr uint32_t kDeviceFailure = 5031;
inline constexpr uint32_t kFutureFileSizeExceeded = 5032;
inline constexpr uint32_t kFutureFileSizeIncreased = 5034;
inline constexpr uint32_t kFunctionalUnitInvalidInProcessingMode = 5035;
inline constexpr uint32_t kContentsTypeInconsistent = 5036;
inline constexpr uint32_t kContentsTypeSimplified = 5037;
inline constexpr uint32_t kDuplicateFaduName = 5038;
inline constexpr uint32_t kDamageToSelectOpenRegime = 5039;
inline constexpr uint32_t kFaduLockingNotAvailable = 5040;
inline constexpr uint32_t kFaduLockedByAnotherUser = 5041;
}  // namespace ftam_error

// ---- The tables (one row per line in ftam_diagnostics.cpp; exposed for tests and docs).

// RFC 1415 §9.1: FTP reply code -> FTAM action result and diagnostic.
struct FtpToFtamRow {
  uint32_t ftp_code;
  uint32_t type;  // 0 with a success result, 1 transient, 2 permanent
  uint32_t identifier;
};
std::span<const FtpToFtamRow> FtpToFtamRows();

// Neutral status for an operation -> FTAM diagnostic, where no far-side reply decides.
struct NeutralToFtamRow {
  NeutralOp op;  // kOther: a row for any op
  gateway::v1::StatusCode code;
  uint32_t type;
  uint32_t identifier;
  uint32_t source;  // the observer is always the responding file service user
};
std::span<const NeutralToFtamRow> NeutralToFtamRows();

// RFC 1415 §9.2: FTAM diagnostic type(s) and identifier -> FTP reply code.
inline constexpr uint8_t kTypeInformative = 1 << 0;
inline constexpr uint8_t kTypeTransient = 1 << 1;
inline constexpr uint8_t kTypePermanent = 1 << 2;
struct FtamToFtpRow {
  uint8_t types;  // kType* bits: the row's "Type" column ("1,2" = transient | permanent)
  uint32_t identifier;
  uint32_t ftp_code;
  std::string_view reason;
};
std::span<const FtamToFtpRow> FtamToFtpRows();

// The reason RFC 1415 §9.2 gives an identifier ("Filename not found"), or "" if unnamed.
std::string_view FtamErrorReason(uint32_t identifier);

// RFC 959 §5.4: the replies the FTP command(s) an op serves may give (4xx/5xx, 421 aside),
// and its failure codes per class.
bool ReplyAllowedFor(NeutralOp op, uint32_t ftp_code);

inline constexpr size_t kMaxReplyText = 512;

gateway::v1::FtamDiagnostic FtamDiagnosticFor(NeutralOp op, const gateway::v1::Result& r);
gateway::v1::FtpReply FtpReplyFor(NeutralOp op, const gateway::v1::FtamDiagnostic& d);

}  // namespace gw::bridge
