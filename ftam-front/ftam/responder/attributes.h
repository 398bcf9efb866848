// Neutral attributes (what the destination knows of a file) as FTAM file attributes
// (ISO 8571-2 §12, osi-ftam-notes §6.4): F-READ-ATTRIB responses and NBS-9 entries.
#pragma once

#include <string>

#include "ftam/pdu/types.h"
#include "gateway/v1/file_service.pb.h"

namespace gw::ftam::responder {

// The attributes named in `wanted` (Attribute-Names bits) that this responder reports;
// storage-group attributes only when `storage` was negotiated. Unknown values are sent as
// "no value available".
Attributes ToFtamAttributes(const gateway::v1::Attributes& a, const std::string& name, NamedBits wanted,
                            bool storage);

// The contents type a file is reported with (RFC 1415 §6): directories NBS-9, files FTAM-1
// when the destination (or the bridge) knows them to be text, FTAM-3 otherwise.
ContentsType ContentsTypeOf(const gateway::v1::Attributes& a);

// The diagnostic a failed neutral operation is answered with (ISO 8571-3 §10.1): the far
// side's own FTAM diagnostic when `r.origin` carries one, else the row of the neutral
// status (`fallback_id` where the status says nothing more specific about the action), with
// the far side's words (an FTP reply) or the bridge's message as further details.
Diagnostic DiagnosticFor(const gateway::v1::Result& r, int64_t fallback_id);

// NBS-9's parameter as this responder offers it: the attributes an entry may carry.
NamedBits Nbs9AttributeNames();

}  // namespace gw::ftam::responder
