// Whole messages of an FTAM association, built layer by layer from the pure codecs:
// FTAM PDU -> ACSE / presentation -> session -> COTP DT TPDUs in TPKTs (RFC 1006). Both
// roles use them: the responder's accept, refuse, release response and aborts, the
// initiator's connect and release request, and P-DATA for FTAM PDUs and document values
// (osi-ftam-notes §1, §9). Control messages are small and flattened; data P-DATAs are
// gathered so file bytes are referenced, never copied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ftam/pdu/pdu.h"
#include "osi/acse/apdu.h"
#include "osi/gather.h"
#include "osi/presentation/ppdu.h"
#include "osi/session/spdu.h"
#include "osi/transport/cotp.h"

namespace gw::osi::association {

// What both ends agreed on at connection time; each message builder needs some of it.
struct Wire {
  size_t tpdu_size = 2048;          // negotiated TPDU size in octets (header included)
  uint16_t local_ref = 0, peer_ref = 0;
  uint8_t session_version = session::kVersion2;
  int64_t acse_ctx = 0;             // presentation context of ACSE APDUs
  int64_t ftam_ctx = 0;             // presentation context of FTAM PDUs (FTAM PCI)
  std::vector<presentation::AbortContext> contexts;  // the defined context set (ARU lists it)
};

// A TSDU (gathered pieces) as TPKT+DT TPDUs of the negotiated size; the last carries EOT.
void AppendTpdus(const Wire& w, const Gather& tsdu, Gather* out);

// Transport: CC answering a CR, DR (ISO 8073 §13.4, §13.5).
std::vector<uint8_t> ConnectConfirm(const transport::ConnectTpdu& cc);
std::vector<uint8_t> DisconnectRequest(const Wire& w, uint8_t reason);

// The FTAM PDU as an ACSE user-information EXTERNAL naming the FTAM PCI context
// (osi-ftam-notes §5: direct-reference 2.1.1 only in AARQ/AARE).
acse::External FtamExternal(const Wire& w, Bytes ftam, bool association);

// Connect phase. `ac`, `cpa`, `aare` carry everything but their user data, which these
// fill in: AC{CPA{AARE{F-INITIALIZE-response}}} and RF{CPR{AARE{...}}} (reason 2, user data).
absl::Status Accept(const Wire& w, session::AcceptSpdu ac, presentation::AcceptPpdu cpa, acse::Aare aare,
                    const ftam::Pdu& rsp, std::vector<uint8_t>* out);
absl::Status Refuse(const Wire& w, session::RefuseSpdu rf, presentation::RefusePpdu cpr,
                    std::optional<acse::Aare> aare, std::optional<ftam::Pdu> rsp, std::vector<uint8_t>* out);
// RF without user data (a session-level refusal, e.g. no common version).
absl::Status SessionRefuse(const Wire& w, session::RefuseSpdu rf, std::vector<uint8_t>* out);
// Initiator: CN{CP{AARQ{F-INITIALIZE-request}}}.
absl::Status Connect(const Wire& w, session::ConnectSpdu cn, presentation::ConnectPpdu cp, acse::Aarq aarq,
                     const ftam::Pdu& req, std::vector<uint8_t>* out);

// Release: FN{RLRQ{F-TERMINATE-request}} and DN{RLRE{F-TERMINATE-response}}.
absl::Status ReleaseRequest(const Wire& w, const ftam::Pdu& req, std::vector<uint8_t>* out);
absl::Status ReleaseResponse(const Wire& w, const ftam::Pdu& rsp, std::vector<uint8_t>* out);

// Aborts: AB{ARU{ABRT{F-U-ABORT or F-P-ABORT}}} (abort_source: ACSE service user or
// provider), and AB{ARP} when the presentation layer itself cannot go on.
absl::Status UserAbort(const Wire& w, const ftam::Pdu& abort, int64_t abort_source, std::vector<uint8_t>* out);
absl::Status ProviderAbort(const Wire& w, int64_t reason, std::vector<uint8_t>* out);

// P-DATA with FTAM PDUs: one PDU as single-ASN1-type, several (a group) as one
// octet-aligned PDV with a segment per PDU, in one P-DATA as ISODE requires (§4.5, §7).
absl::Status FtamData(const Wire& w, const std::vector<ftam::Pdu>& pdus, std::vector<uint8_t>* out);

// P-DATAs carrying document values of `ctx`: `data` split into values of at most
// max_value octets (universal_tag 4 = OCTET STRING for FTAM-3, a string type for FTAM-1),
// one value per P-DATA as ISODE's responder sends them; payload referenced, not copied.
void ValuesPData(const Wire& w, int64_t ctx, uint32_t universal_tag, Bytes data, size_t max_value, Gather* out);
// One P-DATA holding already-encoded values of `ctx` (NBS-9 entries), octet-aligned when
// there are several. The values are referenced.
void EncodedValuesPData(const Wire& w, int64_t ctx, const std::vector<Bytes>& values, Gather* out);

}  // namespace gw::osi::association
