#include "osi/session/negotiation.h"

namespace gw::osi::session {
namespace {

uint8_t ProposedVersions(const ConnectSpdu& cn) {
  // §8.3.1.6: absent means version 1 (unless the user data needs version 2).
  if (cn.version_number) return *cn.version_number;
  return cn.user_data.size() > kVersion1UserDataMax ? kVersion2 : kVersion1;
}

bool OneDuplexMode(uint16_t r) {
  bool half = r & requirement::kHalfDuplex, full = r & requirement::kDuplex;
  return half != full;
}

}  // namespace

absl::StatusOr<Negotiated> NegotiateAccept(const ConnectSpdu& cn, const ResponderPolicy& policy,
                                           AcceptSpdu* ac) {
  Negotiated n;
  uint8_t common = ProposedVersions(cn) & policy.supported_versions;
  if (common == 0) return absl::FailedPreconditionError("session: proposed versions not supported");
  n.version = (common & kVersion2) ? kVersion2 : kVersion1;
  uint16_t proposed = cn.session_user_requirements.value_or(requirement::kDefault);
  n.requirements = proposed & policy.supported_requirements;
  if (n.requirements & requirement::kDuplex) n.requirements &= ~requirement::kHalfDuplex;
  if (!OneDuplexMode(n.requirements))
    return absl::FailedPreconditionError("session: requirements negotiation failed");
  if (cn.connection_identifier) {
    ConnectionIdentifier id;
    id.called_ss_user_reference = cn.connection_identifier->calling_ss_user_reference;
    id.common_reference = cn.connection_identifier->common_reference;
    id.additional_reference = cn.connection_identifier->additional_reference;
    ac->connection_identifier = id;
  }
  ac->protocol_options = 0;
  ac->version_number = n.version;
  ac->session_user_requirements = n.requirements;  // notes §3.4: always sent
  return n;
}

absl::StatusOr<Negotiated> CheckAccept(const ConnectSpdu& cn, const AcceptSpdu& ac) {
  Negotiated n;
  uint8_t proposed = ProposedVersions(cn);
  uint8_t chosen = ac.version_number.value_or(kVersion1);
  if ((chosen & ~proposed) || chosen == 0)
    return absl::FailedPreconditionError("session: accept selected a version that was not proposed");
  n.version = (chosen & kVersion2) ? kVersion2 : kVersion1;
  uint16_t offered = cn.session_user_requirements.value_or(requirement::kDefault);
  n.requirements = ac.session_user_requirements.value_or(requirement::kDefault);
  if ((n.requirements & ~offered) || !OneDuplexMode(n.requirements))
    return absl::FailedPreconditionError("session: requirements negotiation failed");
  return n;
}

}  // namespace gw::osi::session
