// FTAM-Regime-PDUs, ISO 8571-4 §A.1: F-INITIALIZE .. F-P-ABORT.
// Fields() lists the members in ASN.1 order with their tags.
#pragma once

#include "ftam/pdu/types.h"

namespace gw::ftam {

namespace ct = common_tag;

struct FInitializeRequest {
  static constexpr uint32_t kTag = regime_pdu::kFInitializeRequest;
  static constexpr const char* kName = "F-INITIALIZE-request";
  std::optional<NamedBits> protocol_version;
  std::optional<std::string> implementation_information;
  std::optional<bool> presentation_context_management;
  std::optional<NamedBits> service_class;
  std::optional<NamedBits> functional_units;
  std::optional<NamedBits> attribute_groups;
  std::optional<RawValue> shared_ase_information;
  std::optional<int64_t> ftam_quality_of_service;
  std::optional<ContentsTypeList> contents_type_list;
  std::optional<std::string> initiator_identity;
  std::optional<std::string> account;
  std::optional<Password> filestore_password;
  std::optional<int64_t> checkpoint_window;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("protocol-version", Context(0), s.protocol_version);
    v("implementation-information", Context(1), s.implementation_information);
    v("presentation-context-management", Context(2), s.presentation_context_management);
    v("service-class", Context(3), s.service_class);
    v("functional-units", Context(4), s.functional_units);
    v("attribute-groups", Context(5), s.attribute_groups);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("ftam-quality-of-service", Context(6), s.ftam_quality_of_service);
    v("contents-type-list", ContextC(7), s.contents_type_list);
    v("initiator-identity", ct::kUserIdentity, s.initiator_identity);
    v("account", ct::kAccount, s.account);
    v("filestore-password", ct::kPassword, s.filestore_password);
    v("checkpoint-window", Context(8), s.checkpoint_window);
  }
};

struct FInitializeResponse {
  static constexpr uint32_t kTag = regime_pdu::kFInitializeResponse;
  static constexpr const char* kName = "F-INITIALIZE-response";
  std::optional<int64_t> state_result;
  std::optional<int64_t> action_result;
  std::optional<NamedBits> protocol_version;
  std::optional<std::string> implementation_information;
  std::optional<bool> presentation_context_management;
  std::optional<NamedBits> service_class;
  std::optional<NamedBits> functional_units;
  std::optional<NamedBits> attribute_groups;
  std::optional<RawValue> shared_ase_information;
  std::optional<int64_t> ftam_quality_of_service;
  std::optional<ContentsTypeList> contents_type_list;
  std::optional<Diagnostic> diagnostic;
  std::optional<int64_t> checkpoint_window;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("state-result", ct::kStateResult, s.state_result);
    v("action-result", ct::kActionResult, s.action_result);
    v("protocol-version", Context(0), s.protocol_version);
    v("implementation-information", Context(1), s.implementation_information);
    v("presentation-context-management", Context(2), s.presentation_context_management);
    v("service-class", Context(3), s.service_class);
    v("functional-units", Context(4), s.functional_units);
    v("attribute-groups", Context(5), s.attribute_groups);
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("ftam-quality-of-service", Context(6), s.ftam_quality_of_service);
    v("contents-type-list", ContextC(7), s.contents_type_list);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
    v("checkpoint-window", Context(8), s.checkpoint_window);
  }
};

struct FTerminateRequest {
  static constexpr uint32_t kTag = regime_pdu::kFTerminateRequest;
  static constexpr const char* kName = "F-TERMINATE-request";
  std::optional<RawValue> shared_ase_information;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
  }
};

struct FTerminateResponse {
  static constexpr uint32_t kTag = regime_pdu::kFTerminateResponse;
  static constexpr const char* kName = "F-TERMINATE-response";
  std::optional<RawValue> shared_ase_information;
  std::optional<Charging> charging;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("shared-ASE-information", ct::kSharedAseInformation, s.shared_ase_information);
    v("charging", ct::kCharging, s.charging);
  }
};

// F-U-ABORT and F-P-ABORT share their members.
template <uint32_t N>
struct AbortPdu {
  static constexpr uint32_t kTag = N;
  static constexpr const char* kName = N == regime_pdu::kFUAbortRequest ? "F-U-ABORT-request" : "F-P-ABORT-request";
  std::optional<int64_t> action_result;
  std::optional<Diagnostic> diagnostic;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("action-result", ct::kActionResult, s.action_result);
    v("diagnostic", ct::kDiagnostic, s.diagnostic);
  }
};
using FUAbortRequest = AbortPdu<regime_pdu::kFUAbortRequest>;
using FPAbortRequest = AbortPdu<regime_pdu::kFPAbortRequest>;

}  // namespace gw::ftam
