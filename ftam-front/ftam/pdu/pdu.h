// The FTAM PDU (ISO 8571-4 §A.1 "PDU ::= CHOICE"): a variant whose index is the PDU's
// context tag number, plus its decoder and encoder.
#pragma once

#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "ftam/pdu/bulk.h"
#include "ftam/pdu/file.h"
#include "ftam/pdu/regime.h"
#include "osi/ber/reader.h"
#include "osi/gather.h"

namespace gw::ftam {

// Index i holds the PDU with tag [i].
using Pdu = std::variant<
    FInitializeRequest, FInitializeResponse, FTerminateRequest, FTerminateResponse,
    FUAbortRequest, FPAbortRequest,
    FSelectRequest, FSelectResponse, FDeselectRequest, FDeselectResponse,
    FCreateRequest, FCreateResponse, FDeleteRequest, FDeleteResponse,
    FReadAttribRequest, FReadAttribResponse, FChangeAttribRequest, FChangeAttribResponse,
    FOpenRequest, FOpenResponse, FCloseRequest, FCloseResponse,
    FBeginGroupRequest, FBeginGroupResponse, FEndGroupRequest, FEndGroupResponse,
    FRecoverRequest, FRecoverResponse, FLocateRequest, FLocateResponse,
    FEraseRequest, FEraseResponse,
    FReadRequest, FWriteRequest, FDataEndRequest, FTransferEndRequest, FTransferEndResponse,
    FCancelRequest, FCancelResponse, FRestartRequest, FRestartResponse>;

static_assert(std::variant_size_v<Pdu> == kLastPduTag + 1);

absl::StatusOr<Pdu> DecodePdu(osi::Bytes b, const osi::ber::Limits& l = osi::ber::DefaultLimits());
// Several PDUs concatenated (the contents of an octet-aligned PDV holding a group).
absl::StatusOr<std::vector<Pdu>> DecodePdus(osi::Bytes b, const osi::ber::Limits& l = osi::ber::DefaultLimits());

absl::Status EncodePdu(const Pdu& p, std::vector<uint8_t>* out);

const char* PduName(const Pdu& p);
uint32_t PduTag(const Pdu& p);

// The diagnostic carried by a PDU, if any.
const Diagnostic* PduDiagnostic(const Pdu& p);

}  // namespace gw::ftam
