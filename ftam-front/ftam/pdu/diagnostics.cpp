#include "ftam/pdu/diagnostics.h"

namespace gw::ftam {
namespace {
struct Row {
  int64_t id;
  const char* name;
};
// ISO 8571-3 §A.3, the identifiers met in practice.
constexpr Row kNames[] = {
    {error_id::kNoReason, "no-reason"},
    {error_id::kResponderError, "responder-error"},
    {error_id::kSystemShutdown, "system-shutdown"},
    {error_id::kManagementProblem, "FTAM-management-problem"},
    {error_id::kManagementBadAccount, "FTAM-management-bad-account"},
    {error_id::kManagementSecurityNotPassed, "FTAM-management-security-not-passed"},
    {error_id::kDelayMayBeEncountered, "delay-may-be-encountered"},
    {error_id::kInitiatorError, "initiator-error"},
    {error_id::kSubsequentError, "subsequent-error"},
    {error_id::kTemporalInsufficiency, "temporal-insufficiency-of-resources"},
    {error_id::kAccessRequestViolatesVfsSecurity, "access-request-violates-VFS-security"},
    {error_id::kAccessRequestViolatesLocalSecurity, "access-request-violates-local-security"},
    {error_id::kConflictingParameterValues, "conflicting-parameter-values"},
    {error_id::kUnsupportedParameterValues, "unsupported-parameter-values"},
    {error_id::kMandatoryParameterNotSet, "mandatory-parameter-not-set"},
    {error_id::kUnsupportedParameter, "unsupported-parameter"},
    {error_id::kDuplicatedParameter, "duplicated-parameter"},
    {error_id::kIllegalParameterType, "illegal-parameter-type"},
    {error_id::kUnsupportedParameterType, "unsupported-parameter-type"},
    {error_id::kProtocolError, "FTAM-protocol-error"},
    {error_id::kProcedureError, "FTAM-protocol-error-procedure-error"},
    {error_id::kFunctionalUnitError, "FTAM-protocol-error-functional-unit-error"},
    {error_id::kCorruptionError, "FTAM-protocol-error-corruption-error"},
    {error_id::kLowerLayerFailure, "lower-layer-failure"},
    {error_id::kLowerLayerAddressingError, "lower-layer-addressing-error"},
    {error_id::kTimeout, "timeout"},
    {error_id::kSystemShutdownProtocol, "system-shutdown"},
    {error_id::kIllegalGroupingSequence, "illegal-grouping-sequence"},
    {error_id::kGroupingThresholdViolation, "grouping-threshold-violation"},
    {error_id::kInconsistentPduRequest, "specific-PDU-request-inconsistent"},
    {error_id::kAssociationWithUserNotAllowed, "association-with-user-not-allowed"},
    {error_id::kUnsupportedServiceClass, "unsupported-service-class"},
    {error_id::kUnsupportedFunctionalUnit, "unsupported-functional-unit"},
    {error_id::kAttributeGroupError, "attribute-group-error"},
    {error_id::kAttributeGroupNotSupported, "attribute-group-not-supported"},
    {error_id::kAttributeGroupNotAllowed, "attribute-group-not-allowed"},
    {error_id::kBadAccount, "bad-account"},
    {error_id::kAssociationManagement, "association-management"},
    {error_id::kAssociationManagementBadAddress, "association-management-bad-address"},
    {error_id::kAssociationManagementBadAccount, "association-management-bad-account"},
    {error_id::kQosNotSupported, "FTAM-quality-of-service-not-supported"},
    {error_id::kIdentityUnacceptable, "initiator-identity-unacceptable"},
    {error_id::kInvalidFilestorePassword, "invalid-filestore-password"},
    {error_id::kIncompatibleServiceClasses, "incompatible-service-classes"},
    {error_id::kFilenameNotFound, "filename-not-found"},
    {error_id::kSelectionAttributesNotMatched, "selection-attributes-not-matched"},
    {error_id::kInitialAttributesNotPossible, "initial-attributes-not-possible"},
    {error_id::kBadAttributeName, "bad-attribute-name"},
    {error_id::kNonexistentFile, "non-existent-file"},
    {error_id::kFileAlreadyExists, "file-already-exists"},
    {error_id::kFileCannotBeCreated, "file-can-not-be-created"},
    {error_id::kFileCannotBeDeleted, "file-can-not-be-deleted"},
    {error_id::kConcurrencyControlNotAvailable, "concurrency-control-not-available"},
    {error_id::kConcurrencyControlNotSupported, "concurrency-control-not-supported"},
    {error_id::kConcurrencyControlNotPossible, "concurrency-control-not-possible"},
    {error_id::kFileBusy, "file-busy"},
    {error_id::kFileNotAvailable, "file-not-available"},
    {error_id::kAccessViolatesPermittedActions, "access-request-violates-permitted-actions"},
    {error_id::kAttributeNonExistent, "attribute-non-existent"},
    {error_id::kAttributeCannotBeRead, "attribute-cannot-be-read"},
    {error_id::kAttributeCannotBeChanged, "attribute-cannot-be-changed"},
    {error_id::kAttributeNotSupported, "attribute-not-supported"},
    {error_id::kBadAttributeValue, "bad-attribute-value"},
    {error_id::kAttributePartiallySupported, "attribute-partially-supported"},
    {error_id::kBadFadu, "bad-FADU"},
    {error_id::kFaduSizeError, "bad-FADU-size-error"},
    {error_id::kFaduDoesNotExist, "FADU-does-not-exist"},
    {error_id::kProcessingModeInconsistent, "processing-mode-inconsistent"},
    {error_id::kBadRead, "bad-read"},
    {error_id::kLocalFailureOnWrite, "local-failure-on-write"},
    {error_id::kSpaceExhausted, "space-exhausted"},
    {error_id::kContentsTypeInconsistent, "contents-type-inconsistent"},
    {error_id::kContentsTypeSimplified, "contents-type-simplified"},
};
}  // namespace

const char* ErrorIdentifierName(int64_t id) {
  for (const auto& r : kNames)
    if (r.id == id) return r.name;
  return nullptr;
}

}  // namespace gw::ftam
