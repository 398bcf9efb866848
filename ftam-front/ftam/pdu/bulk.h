// Bulk-Data-PDUs, ISO 8571-4 §A.1: F-READ .. F-RESTART. File data themselves are not
// FTAM PDUs but values of the document type's abstract syntax (see ftam/doctype).
// There is no F-CHECK PDU: checkpoints are session minor synchronization points
// (ISO 8571-4 §16.3), used only with the restart/recovery functional units.
#pragma once

#include "ftam/pdu/types.h"

namespace gw::ftam {

namespace ct = common_tag;

struct FReadRequest {
  static constexpr uint32_t kTag = bulk_pdu::kFReadRequest;
  static constexpr const char* kName = "F-READ-request";
  std::optional<FaduIdentity> file_access_data_unit_identity;
  std::optional<AccessContext> access_context;
  std::optional<int64_t> fadu_lock;
  std::optional<int64_t> transfer_number;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("file-access-data-unit-identity", ct::kFaduIdentity, s.file_access_data_unit_identity);
    v("access-context", ct::kAccessContext, s.access_context);
    v("fadu-lock", ct::kFaduLock, s.fadu_lock);
    v("transfer-number", Context(0), s.transfer_number);
  }
};

struct FWriteRequest {
  static constexpr uint32_t kTag = bulk_pdu::kFWriteRequest;
  static constexpr const char* kName = "F-WRITE-request";
  std::optional<int64_t> file_access_data_unit_operation;
  std::optional<FaduIdentity> file_access_data_unit_identity;
  std::optional<int64_t> fadu_lock;
  std::optional<int64_t> transfer_number;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("file-access-data-unit-operation", Context(0), s.file_access_data_unit_operation);
    v("file-access-data-unit-identity", ct::kFaduIdentity, s.file_access_data_unit_identity);
    v("fadu-lock", ct::kFaduLock, s.fadu_lock);
    v("transfer-number", Context(1), s.transfer_number);
  }
};

struct FDataEndRequest {
  static constexpr uint32_t kTag = bulk_pdu::kFDataEndRequest;
  static constexpr const char* kName = "F-DATA-END-request";
  std::optional<int64_t> action_result;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};

struct FTransferEndRequest {
  static constexpr uint32_t kTag = bulk_pdu::kFTransferEndRequest;
  static constexpr const char* kName = "F-TRANSFER-END-request";
  std::optional<RawValue> shared_ase_information;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
  }
};

template <uint32_t N>
struct BulkResultPdu {
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
struct FTransferEndResponse : BulkResultPdu<bulk_pdu::kFTransferEndResponse> {
  static constexpr const char* kName = "F-TRANSFER-END-response";
};
// F-CANCEL: the amended ASN.1 adds a request-type that ISO 8571-4:1988 and ISODE do not
// have; it is skipped on input and never sent (notes §12.13).
struct FCancelRequest : BulkResultPdu<bulk_pdu::kFCancelRequest> {
  static constexpr const char* kName = "F-CANCEL-request";
};
struct FCancelResponse : BulkResultPdu<bulk_pdu::kFCancelResponse> {
  static constexpr const char* kName = "F-CANCEL-response";
};

template <uint32_t N>
struct RestartPdu {
  static constexpr uint32_t kTag = N;
  std::optional<int64_t> checkpoint_identifier;
  std::optional<int64_t> transfer_number;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("checkpoint-identifier", Context(0), s.checkpoint_identifier);
    v("transfer-number", Context(1), s.transfer_number);
  }
};
struct FRestartRequest : RestartPdu<bulk_pdu::kFRestartRequest> {
  static constexpr const char* kName = "F-RESTART-request";
};
struct FRestartResponse : RestartPdu<bulk_pdu::kFRestartResponse> {
  static constexpr const char* kName = "F-RESTART-response";
};

}  // namespace gw::ftam
