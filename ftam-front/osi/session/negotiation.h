// Connection-establishment negotiation, ISO 8327-1 §7.1 and §8.3.4, for both roles:
// a responder builds its AC from a CN, an initiator checks the AC it received.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "osi/session/spdu.h"

namespace gw::osi::session {

struct Negotiated {
  uint8_t version = kVersion2;
  uint16_t requirements = requirement::kDuplex;
};

struct ResponderPolicy {
  uint8_t supported_versions = kVersion1 | kVersion2;
  uint16_t supported_requirements = requirement::kDuplex;
};

// Responder: negotiates version (highest common, §7.1.1) and requirements (intersection,
// which must leave exactly one of half-duplex/duplex). Fills ac's items (PGI 1 echoed,
// PGI 5, PI 20) but not its user data. Errors carry the refuse reason to send.
absl::StatusOr<Negotiated> NegotiateAccept(const ConnectSpdu& cn, const ResponderPolicy& policy,
                                           AcceptSpdu* ac);

// Initiator: checks that the AC only selected what the CN proposed.
absl::StatusOr<Negotiated> CheckAccept(const ConnectSpdu& cn, const AcceptSpdu& ac);

}  // namespace gw::osi::session
