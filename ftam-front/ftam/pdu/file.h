// File-PDUs, ISO 8571-4 §A.1: F-SELECT .. F-ERASE (selection, management, open/close,
// grouping, recovery, locate/erase). Fields() lists members in ASN.1 order.
#pragma once

#include "ftam/pdu/types.h"

namespace gw::ftam {

namespace ct = common_tag;

#define GW_FTAM_PDU(Name, Tag, Text)                 \
  static constexpr uint32_t kTag = file_pdu::Tag; \
  static constexpr const char* kName = Text

struct FSelectRequest {
  GW_FTAM_PDU(FSelectRequest, kFSelectRequest, "F-SELECT-request");
  std::optional<Attributes> attributes;  // Select-Attributes: pathname only
  std::optional<NamedBits> requested_access;
  std::optional<RawValue> access_passwords;
  std::optional<RawValue> path_access_passwords;
  std::optional<ConcurrencyControl> concurrency_control;
  std::optional<RawValue> shared_ase_information;
  std::optional<std::string> account;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("attributes", ct::kSelectAttributes, s.attributes);
    v("requested-access", ct::kAccessRequest, s.requested_access);
    v("access-passwords", ct::kAccessPasswords, s.access_passwords);
    v("path-access-passwords", ct::kPathAccessPasswords, s.path_access_passwords);
    v("concurrency-control", ct::kConcurrencyControl, s.concurrency_control);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("account", ct::kAccount, s.account);
  }
};

struct FSelectResponse {
  GW_FTAM_PDU(FSelectResponse, kFSelectResponse, "F-SELECT-response");
  std::optional<int64_t> state_result;
  std::optional<int64_t> action_result;
  std::optional<Attributes> attributes;
  std::optional<bool> referent_indicator;
  std::optional<RawValue> shared_ase_information;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("state-result", ct::kStateResult, s.state_result);
    v("action-result", ct::kActionResult, s.action_result);
    v("attributes", ct::kSelectAttributes, s.attributes);
    v("referent-indicator", ct::kReferentIndicator, s.referent_indicator);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

// Requests that carry only shared-ASE-information.
template <uint32_t N>
struct SharedAseOnly {
  static constexpr uint32_t kTag = N;
  std::optional<RawValue> shared_ase_information;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
  }
};
struct FDeselectRequest : SharedAseOnly<file_pdu::kFDeselectRequest> {
  static constexpr const char* kName = "F-DESELECT-request";
};
struct FDeleteRequest : SharedAseOnly<file_pdu::kFDeleteRequest> {
  static constexpr const char* kName = "F-DELETE-request";
};

struct FDeselectResponse {
  GW_FTAM_PDU(FDeselectResponse, kFDeselectResponse, "F-DESELECT-response");
  std::optional<int64_t> action_result;
  std::optional<Charging> charging;
  std::optional<RawValue> shared_ase_information;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("charging", ct::kCharging, s.charging);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

struct FCreateRequest {
  GW_FTAM_PDU(FCreateRequest, kFCreateRequest, "F-CREATE-request");
  std::optional<int64_t> override;
  std::optional<Attributes> initial_attributes;
  std::optional<Password> create_password;
  std::optional<NamedBits> requested_access;
  std::optional<RawValue> access_passwords;
  std::optional<RawValue> path_access_passwords;
  std::optional<ConcurrencyControl> concurrency_control;
  std::optional<RawValue> shared_ase_information;
  std::optional<std::string> account;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("override", Context(0), s.override);
    v("initial-attributes", ct::kCreateAttributes, s.initial_attributes);
    v("create-password", ct::kPassword, s.create_password);
    v("requested-access", ct::kAccessRequest, s.requested_access);
    v("access-passwords", ct::kAccessPasswords, s.access_passwords);
    v("path-access-passwords", ct::kPathAccessPasswords, s.path_access_passwords);
    v("concurrency-control", ct::kConcurrencyControl, s.concurrency_control);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("account", ct::kAccount, s.account);
  }
};

struct FCreateResponse {
  GW_FTAM_PDU(FCreateResponse, kFCreateResponse, "F-CREATE-response");
  std::optional<int64_t> state_result;
  std::optional<int64_t> action_result;
  std::optional<Attributes> initial_attributes;
  std::optional<bool> referent_indicator;
  std::optional<RawValue> shared_ase_information;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("state-result", ct::kStateResult, s.state_result);
    v("action-result", ct::kActionResult, s.action_result);
    v("initial-attributes", ct::kCreateAttributes, s.initial_attributes);
    v("referent-indicator", ct::kReferentIndicator, s.referent_indicator);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

struct FDeleteResponse {
  GW_FTAM_PDU(FDeleteResponse, kFDeleteResponse, "F-DELETE-response");
  std::optional<int64_t> action_result;
  std::optional<RawValue> shared_ase_information;
  std::optional<Charging> charging;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("charging", ct::kCharging, s.charging);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

struct FReadAttribRequest {
  GW_FTAM_PDU(FReadAttribRequest, kFReadAttribRequest, "F-READ-ATTRIB-request");
  std::optional<NamedBits> attribute_names;
  std::optional<RawValue> attribute_extension_names;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("attribute-names", Context(0), s.attribute_names);
    v("attribute-extension-names", ContextC(1), s.attribute_extension_names);
  }
};

struct FReadAttribResponse {
  GW_FTAM_PDU(FReadAttribResponse, kFReadAttribResponse, "F-READ-ATTRIB-response");
  std::optional<int64_t> action_result;
  std::optional<Attributes> attributes;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("attributes", ct::kReadAttributes, s.attributes);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

struct FChangeAttribRequest {
  GW_FTAM_PDU(FChangeAttribRequest, kFChangeAttribRequest, "F-CHANGE-ATTRIB-request");
  std::optional<Attributes> attributes;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("attributes", ct::kChangeAttributes, s.attributes);
  }
};

struct FChangeAttribResponse {
  GW_FTAM_PDU(FChangeAttribResponse, kFChangeAttribResponse, "F-CHANGE-ATTRIB-response");
  std::optional<int64_t> action_result;
  std::optional<Attributes> attributes;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("attributes", ct::kChangeAttributes, s.attributes);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

struct FOpenRequest {
  GW_FTAM_PDU(FOpenRequest, kFOpenRequest, "F-OPEN-request");
  std::optional<NamedBits> processing_mode;
  std::optional<OpenContentsType> contents_type;
  std::optional<ConcurrencyControl> concurrency_control;
  std::optional<RawValue> shared_ase_information;
  std::optional<bool> enable_fadu_locking;
  std::optional<int64_t> activity_identifier;
  std::optional<int64_t> recovery_mode;
  std::optional<RawValue> remove_contexts;
  std::optional<RawValue> define_contexts;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("processing-mode", Context(0), s.processing_mode);
    v("contents-type", ContextC(1), s.contents_type);
    v("concurrency-control", ct::kConcurrencyControl, s.concurrency_control);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("enable-fadu-locking", Context(2), s.enable_fadu_locking);
    v("activity-identifier", ct::kActivityIdentifier, s.activity_identifier);
    v("recovery-mode", Context(3), s.recovery_mode);
    v("remove-contexts", ContextC(4), s.remove_contexts);
    v("define-contexts", ContextC(5), s.define_contexts);
  }
};

struct FOpenResponse {
  GW_FTAM_PDU(FOpenResponse, kFOpenResponse, "F-OPEN-response");
  std::optional<int64_t> state_result;
  std::optional<int64_t> action_result;
  std::optional<ContentsType> contents_type;
  std::optional<ConcurrencyControl> concurrency_control;
  std::optional<RawValue> shared_ase_information;
  std::optional<Diagnostic> diagnostic;
  std::optional<int64_t> recovery_mode;
  std::optional<bool> presentation_action;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("state-result", ct::kStateResult, s.state_result);
    v("action-result", ct::kActionResult, s.action_result);
    v("contents-type", ContextC(1), s.contents_type);
    v("concurrency-control", ct::kConcurrencyControl, s.concurrency_control);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
    v("recovery-mode", Context(3), s.recovery_mode);
    v("presentation-action", Context(6), s.presentation_action);
  }
};

// F-CLOSE request and response: action-result, shared-ASE-information, diagnostic.
template <uint32_t N>
struct ResultPdu {
  static constexpr uint32_t kTag = N;
  std::optional<int64_t> action_result;
  std::optional<RawValue> shared_ase_information;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};
struct FCloseRequest : ResultPdu<file_pdu::kFCloseRequest> {
  static constexpr const char* kName = "F-CLOSE-request";
};
struct FCloseResponse : ResultPdu<file_pdu::kFCloseResponse> {
  static constexpr const char* kName = "F-CLOSE-response";
};

struct FBeginGroupRequest {
  GW_FTAM_PDU(FBeginGroupRequest, kFBeginGroupRequest, "F-BEGIN-GROUP-request");
  std::optional<int64_t> threshold;
  template <class S, class V> static void Fields(S& s, V& v) { v("threshold", Context(0), s.threshold); }
};

template <uint32_t N>
struct EmptyPdu {
  static constexpr uint32_t kTag = N;
  template <class S, class V> static void Fields(S&, V&) {}
};
struct FBeginGroupResponse : EmptyPdu<file_pdu::kFBeginGroupResponse> {
  static constexpr const char* kName = "F-BEGIN-GROUP-response";
};
struct FEndGroupRequest : EmptyPdu<file_pdu::kFEndGroupRequest> {
  static constexpr const char* kName = "F-END-GROUP-request";
};
struct FEndGroupResponse : EmptyPdu<file_pdu::kFEndGroupResponse> {
  static constexpr const char* kName = "F-END-GROUP-response";
};

struct FRecoverRequest {
  GW_FTAM_PDU(FRecoverRequest, kFRecoverRequest, "F-RECOVER-request");
  std::optional<int64_t> activity_identifier;
  std::optional<int64_t> bulk_transfer_number;
  std::optional<NamedBits> requested_access;
  std::optional<RawValue> access_passwords;
  std::optional<int64_t> recovery_point;
  std::optional<RawValue> remove_contexts;
  std::optional<RawValue> define_contexts;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("activity-identifier", ct::kActivityIdentifier, s.activity_identifier);
    v("bulk-transfer-number", Context(0), s.bulk_transfer_number);
    v("requested-access", ct::kAccessRequest, s.requested_access);
    v("access-passwords", ct::kAccessPasswords, s.access_passwords);
    v("recovery-point", Context(2), s.recovery_point);
    v("remove-contexts", ContextC(3), s.remove_contexts);
    v("define-contexts", ContextC(4), s.define_contexts);
  }
};

struct FRecoverResponse {
  GW_FTAM_PDU(FRecoverResponse, kFRecoverResponse, "F-RECOVER-response");
  std::optional<int64_t> state_result;
  std::optional<int64_t> action_result;
  std::optional<ContentsType> contents_type;
  std::optional<int64_t> recovery_point;
  std::optional<Diagnostic> diagnostic;
  std::optional<bool> presentation_action;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("state-result", ct::kStateResult, s.state_result);
    v("action-result", ct::kActionResult, s.action_result);
    v("contents-type", ContextC(1), s.contents_type);
    v("recovery-point", Context(2), s.recovery_point);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
    v("presentation-action", Context(6), s.presentation_action);
  }
};

struct FLocateRequest {
  GW_FTAM_PDU(FLocateRequest, kFLocateRequest, "F-LOCATE-request");
  std::optional<FaduIdentity> file_access_data_unit_identity;
  std::optional<int64_t> fadu_lock;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("file-access-data-unit-identity", ct::kFaduIdentity, s.file_access_data_unit_identity);
    v("fadu-lock", ct::kFaduLock, s.fadu_lock);
  }
};

struct FLocateResponse {
  GW_FTAM_PDU(FLocateResponse, kFLocateResponse, "F-LOCATE-response");
  std::optional<int64_t> action_result;
  std::optional<FaduIdentity> file_access_data_unit_identity;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("file-access-data-unit-identity", ct::kFaduIdentity, s.file_access_data_unit_identity);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

struct FEraseRequest {
  GW_FTAM_PDU(FEraseRequest, kFEraseRequest, "F-ERASE-request");
  std::optional<FaduIdentity> file_access_data_unit_identity;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("file-access-data-unit-identity", ct::kFaduIdentity, s.file_access_data_unit_identity);
  }
};

struct FEraseResponse {
  GW_FTAM_PDU(FEraseResponse, kFEraseResponse, "F-ERASE-response");
  std::optional<int64_t> action_result;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

#undef GW_FTAM_PDU

}  // namespace gw::ftam
