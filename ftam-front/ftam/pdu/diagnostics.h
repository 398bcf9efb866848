// Diagnostic error identifiers, ISO 8571-3 §A.3 table (names as in ISODE's ftam.h).
#pragma once

#include <cstdint>

namespace gw::ftam {

namespace error_id {
inline constexpr int64_t kNoReason = 0;
inline constexpr int64_t kResponderError = 1;
inline constexpr int64_t kSystemShutdown = 2;
inline constexpr int64_t kManagementProblem = 3;
inline constexpr int64_t kManagementBadAccount = 4;
inline constexpr int64_t kManagementSecurityNotPassed = 5;
inline constexpr int64_t kDelayMayBeEncountered = 6;
inline constexpr int64_t kInitiatorError = 7;
inline constexpr int64_t kSubsequentError = 8;
inline constexpr int64_t kTemporalInsufficiency = 9;
inline constexpr int64_t kAccessRequestViolatesVfsSecurity = 10;
inline constexpr int64_t kAccessRequestViolatesLocalSecurity = 11;
inline constexpr int64_t kConflictingParameterValues = 1000;
inline constexpr int64_t kUnsupportedParameterValues = 1001;
inline constexpr int64_t kMandatoryParameterNotSet = 1002;
inline constexpr int64_t kUnsupportedParameter = 1003;
inline constexpr int64_t kDuplicatedParameter = 1004;
inline constexpr int64_t kIllegalParameterType = 1005;
inline constexpr int64_t kUnsupportedParameterType = 1006;
inline constexpr int64_t kProtocolError = 1007;
inline constexpr int64_t kProcedureError = 1008;
inline constexpr int64_t kFunctionalUnitError = 1009;
inline constexpr int64_t kCorruptionError = 1010;
inline constexpr int64_t kLowerLayerFailure = 1011;
inline constexpr int64_t kLowerLayerAddressingError = 1012;
inline constexpr int64_t kTimeout = 1013;
inline constexpr int64_t kSystemShutdownProtocol = 1014;
inline constexpr int64_t kIllegalGroupingSequence = 1015;
inline constexpr int64_t kGroupingThresholdViolation = 1016;
inline constexpr int64_t kInconsistentPduRequest = 1017;
inline constexpr int64_t kAssociationWithUserNotAllowed = 2000;
inline constexpr int64_t kUnsupportedServiceClass = 2002;
inline constexpr int64_t kUnsupportedFunctionalUnit = 2003;
inline constexpr int64_t kAttributeGroupError = 2004;
inline constexpr int64_t kAttributeGroupNotSupported = 2005;
inline constexpr int64_t kAttributeGroupNotAllowed = 2006;
inline constexpr int64_t kBadAccount = 2007;
inline constexpr int64_t kAssociationManagement = 2008;
inline constexpr int64_t kAssociationManagementBadAddress = 2009;
inline constexpr int64_t kAssociationManagementBadAccount = 2010;
inline constexpr int64_t kQosNotSupported = 2014;
inline constexpr int64_t kIdentityUnacceptable = 2015;
inline constexpr int64_t kInvalidFilestorePassword = 2020;
inline constexpr int64_t kIncompatibleServiceClasses = 2021;
inline constexpr int64_t kFilenameNotFound = 3000;
inline constexpr int64_t kSelectionAttributesNotMatched = 3001;
inline constexpr int64_t kInitialAttributesNotPossible = 3002;
inline constexpr int64_t kBadAttributeName = 3003;
inline constexpr int64_t kNonexistentFile = 3004;
inline constexpr int64_t kFileAlreadyExists = 3005;
inline constexpr int64_t kFileCannotBeCreated = 3006;
inline constexpr int64_t kFileCannotBeDeleted = 3007;
inline constexpr int64_t kConcurrencyControlNotAvailable = 3008;
inline constexpr int64_t kConcurrencyControlNotSupported = 3009;
inline constexpr int64_t kConcurrencyControlNotPossible = 3010;
inline constexpr int64_t kFileBusy = 3012;
inline constexpr int64_t kFileNotAvailable = 3013;
inline constexpr int64_t kAccessViolatesPermittedActions = 3028;
inline constexpr int64_t kAttributeNonExistent = 4000;
inline constexpr int64_t kAttributeCannotBeRead = 4001;
inline constexpr int64_t kAttributeCannotBeChanged = 4002;
inline constexpr int64_t kAttributeNotSupported = 4003;
inline constexpr int64_t kBadAttributeValue = 4005;
inline constexpr int64_t kAttributePartiallySupported = 4006;
inline constexpr int64_t kBadFadu = 5000;
inline constexpr int64_t kFaduSizeError = 5001;
inline constexpr int64_t kFaduDoesNotExist = 5005;
inline constexpr int64_t kProcessingModeInconsistent = 5023;
inline constexpr int64_t kBadRead = 5027;
inline constexpr int64_t kLocalFailureOnWrite = 5028;
inline constexpr int64_t kSpaceExhausted = 5029;
inline constexpr int64_t kContentsTypeInconsistent = 5036;
inline constexpr int64_t kContentsTypeSimplified = 5037;
}  // namespace error_id

// "invalid-filestore-password" etc., or nullptr when not in the table.
const char* ErrorIdentifierName(int64_t id);

}  // namespace gw::ftam
