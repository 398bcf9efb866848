// FTAM PDU tags, ISO 8571-4 §A.1 (the 1988 ASN.1 module ISO8571-FTAM), one constexpr
// table per PDU family. Member tags of each PDU are listed, in ASN.1 order, in the
// Fields() function of its struct (regime.h, file.h, bulk.h) so that a reviewer can diff
// them against the standard line by line.
#pragma once

#include <cstdint>

#include "osi/ber/tag.h"

namespace gw::ftam {

using osi::ber::Application;
using osi::ber::ApplicationC;
using osi::ber::Context;
using osi::ber::ContextC;
using osi::ber::Tag;

// PDU ::= CHOICE { FTAM-Regime-PDU, File-PDU, Bulk-Data-PDU, FSM-PDU }; every alternative
// is [n] IMPLICIT SEQUENCE.
namespace regime_pdu {  // FTAM-Regime-PDU, §A.1
inline constexpr uint32_t kFInitializeRequest = 0;
inline constexpr uint32_t kFInitializeResponse = 1;
inline constexpr uint32_t kFTerminateRequest = 2;
inline constexpr uint32_t kFTerminateResponse = 3;
inline constexpr uint32_t kFUAbortRequest = 4;
inline constexpr uint32_t kFPAbortRequest = 5;
}  // namespace regime_pdu

namespace file_pdu {  // File-PDU, §A.1
inline constexpr uint32_t kFSelectRequest = 6;
inline constexpr uint32_t kFSelectResponse = 7;
inline constexpr uint32_t kFDeselectRequest = 8;
inline constexpr uint32_t kFDeselectResponse = 9;
inline constexpr uint32_t kFCreateRequest = 10;
inline constexpr uint32_t kFCreateResponse = 11;
inline constexpr uint32_t kFDeleteRequest = 12;
inline constexpr uint32_t kFDeleteResponse = 13;
inline constexpr uint32_t kFReadAttribRequest = 14;
inline constexpr uint32_t kFReadAttribResponse = 15;
inline constexpr uint32_t kFChangeAttribRequest = 16;
inline constexpr uint32_t kFChangeAttribResponse = 17;
inline constexpr uint32_t kFOpenRequest = 18;
inline constexpr uint32_t kFOpenResponse = 19;
inline constexpr uint32_t kFCloseRequest = 20;
inline constexpr uint32_t kFCloseResponse = 21;
inline constexpr uint32_t kFBeginGroupRequest = 22;
inline constexpr uint32_t kFBeginGroupResponse = 23;
inline constexpr uint32_t kFEndGroupRequest = 24;
inline constexpr uint32_t kFEndGroupResponse = 25;
inline constexpr uint32_t kFRecoverRequest = 26;
inline constexpr uint32_t kFRecoverResponse = 27;
inline constexpr uint32_t kFLocateRequest = 28;
inline constexpr uint32_t kFLocateResponse = 29;
inline constexpr uint32_t kFEraseRequest = 30;
inline constexpr uint32_t kFEraseResponse = 31;
}  // namespace file_pdu

namespace bulk_pdu {  // Bulk-Data-PDU, §A.1 (tags >= 31 use the high-tag form)
inline constexpr uint32_t kFReadRequest = 32;
inline constexpr uint32_t kFWriteRequest = 33;
inline constexpr uint32_t kFDataEndRequest = 34;
inline constexpr uint32_t kFTransferEndRequest = 35;
inline constexpr uint32_t kFTransferEndResponse = 36;
inline constexpr uint32_t kFCancelRequest = 37;
inline constexpr uint32_t kFCancelResponse = 38;
inline constexpr uint32_t kFRestartRequest = 39;
inline constexpr uint32_t kFRestartResponse = 40;
}  // namespace bulk_pdu

inline constexpr uint32_t kLastPduTag = bulk_pdu::kFRestartResponse;

// Application-class types shared by many PDUs, §A.1 "common types".
namespace common_tag {
inline constexpr Tag kAbstractSyntaxName = Application(0);       // OBJECT IDENTIFIER
inline constexpr Tag kAccessContext = ApplicationC(1);           // SEQUENCE
inline constexpr Tag kAccessPasswords = ApplicationC(2);         // SEQUENCE
inline constexpr Tag kAccessRequest = Application(3);            // BIT STRING
inline constexpr Tag kAccount = Application(4);                  // GraphicString
inline constexpr Tag kActionResult = Application(5);             // INTEGER
inline constexpr Tag kActivityIdentifier = Application(6);       // INTEGER
inline constexpr Tag kChangeAttributes = ApplicationC(8);        // SEQUENCE
inline constexpr Tag kCharging = ApplicationC(9);                // SEQUENCE OF
inline constexpr Tag kConcurrencyControl = ApplicationC(10);     // SEQUENCE
inline constexpr Tag kConstraintSetName = Application(11);       // OBJECT IDENTIFIER
inline constexpr Tag kCreateAttributes = ApplicationC(12);       // SEQUENCE
inline constexpr Tag kDiagnostic = ApplicationC(13);             // SEQUENCE OF
inline constexpr Tag kDocumentTypeName = Application(14);        // OBJECT IDENTIFIER
inline constexpr Tag kFaduIdentity = ApplicationC(15);           // CHOICE (explicit)
inline constexpr Tag kFaduLock = Application(16);                // INTEGER
inline constexpr Tag kPassword = ApplicationC(17);               // CHOICE (explicit)
inline constexpr Tag kReadAttributes = ApplicationC(18);         // SEQUENCE
inline constexpr Tag kSelectAttributes = ApplicationC(19);       // SEQUENCE
inline constexpr Tag kSharedAseInformation = ApplicationC(20);   // EXTERNAL
inline constexpr Tag kStateResult = Application(21);             // INTEGER
inline constexpr Tag kUserIdentity = Application(22);            // GraphicString
inline constexpr Tag kPathAccessPasswords = ApplicationC(27);    // SEQUENCE OF
inline constexpr Tag kReferentIndicator = Application(29);       // BOOLEAN
}  // namespace common_tag

}  // namespace gw::ftam
