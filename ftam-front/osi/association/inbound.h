// The data phase of an established association, inbound: one TSDU at a time through
// session, presentation, ACSE and FTAM, into owning indications that can be queued
// (osi-ftam-notes §1: GT+DT carry P-DATA, FN/DN release, AB abort). Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "ftam/pdu/pdu.h"
#include "osi/acse/apdu.h"
#include "osi/ber/reader.h"
#include "osi/presentation/context_table.h"
#include "osi/session/ssdu.h"

namespace gw::osi::association {

// FTAM PDUs of one P-DATA (a group arrives whole, in order).
struct FtamPdus {
  std::vector<ftam::Pdu> pdus;
};
// Document values of one P-DATA on one context. FTAM-1/FTAM-3 values are decoded: payload
// holds their octets back to back, `ends` the end offset of each value (lines, for string
// types without format effectors). Other contexts (NBS-9) keep each value's encoding.
struct DataValues {
  int64_t ctx = 0;
  ber::Oid abstract_syntax;
  uint32_t universal_tag = 0;  // of the last string value (4 = OCTET STRING)
  bool decoded = false;
  std::string payload;
  std::vector<size_t> ends;
};
// FN (RLRQ, F-TERMINATE-request) and DN (RLRE, F-TERMINATE-response).
struct ReleaseIndication {
  std::optional<ftam::Pdu> pdu;
};
struct ReleaseConfirm {
  std::optional<ftam::Pdu> pdu;
};
// AB: a user abort (ARU, ABRT with F-U-ABORT or F-P-ABORT) or a provider abort (ARP).
struct AbortIndication {
  std::optional<ftam::Pdu> pdu;  // F-U-ABORT / F-P-ABORT, when one was carried
  bool provider = false;
  std::string why;
};
// Anything a well-behaved peer does not send at this point: the caller aborts.
struct ProtocolError {
  absl::Status status;
};

using Indication = std::variant<FtamPdus, DataValues, ReleaseIndication, ReleaseConfirm, AbortIndication, ProtocolError>;

struct InboundLimits {
  ber::Limits ber;                          // nesting depth, element sizes
  size_t max_ssdu = size_t{64} << 20;       // a reassembled SSDU (Enclosure Item)
  size_t max_pdus_per_pdata = 256;          // FTAM PDUs in one P-DATA
};

class DataPhaseDecoder {
 public:
  DataPhaseDecoder(const presentation::ContextTable* contexts, int64_t ftam_ctx, int64_t acse_ctx,
                   InboundLimits limits = {});
  // Decodes one complete TSDU into indications (appended to out).
  void OnTsdu(Bytes tsdu, std::vector<Indication>* out);

 private:
  void OnUserData(Bytes ud, std::vector<Indication>* out);
  std::optional<ftam::Pdu> FtamFromExternal(const std::vector<acse::External>& ui, absl::Status* err) const;

  const presentation::ContextTable* contexts_;
  int64_t ftam_ctx_, acse_ctx_;
  InboundLimits limits_;
  session::SsduReassembler ssdu_;
};

}  // namespace gw::osi::association
