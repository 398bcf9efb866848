// RFC 1415 §9 tables (contract in ftam_diagnostics.h).
#include "mapping/ftam_diagnostics.h"

#include <array>
#include <string>

namespace gw::bridge {
namespace v1 = gateway::v1;
namespace e = ftam_error;

namespace {

constexpr uint8_t kInf = kTypeInformative;
constexpr uint8_t kTr = kTypeTransient;
constexpr uint8_t kPerm = kTypePermanent;
constexpr uint8_t kTrPerm = kTypeTransient | kTypePermanent;

// RFC 1415 §9.1, FTP Reply Codes to FTAM Parameters. Every 1xx, 2xx and 3xx row is
// "success 0 0"; they are listed so that a code the table names is told apart from one
// it does not (§9.4).
constexpr FtpToFtamRow kFtpToFtam[] = {
    {110, kInformative, 0}, {120, kInformative, 0}, {125, kInformative, 0},
    {150, kInformative, 0}, {200, kInformative, 0}, {202, kInformative, 0},
    {211, kInformative, 0}, {212, kInformative, 0}, {213, kInformative, 0},
    {214, kInformative, 0}, {215, kInformative, 0}, {220, kInformative, 0},
    {221, kInformative, 0}, {225, kInformative, 0}, {226, kInformative, 0},
    {227, kInformative, 0}, {230, kInformative, 0}, {250, kInformative, 0},
    {257, kInformative, 0}, {331, kInformative, 0}, {332, kInformative, 0},
    {350, kInformative, 0},
    {421, kTransient, e::kResponderError},
    {425, kTransient, e::kManagementProblem},
    {426, kTransient, e::kSystemShutdownProtocol},
    {450, kTransient, e::kFaduLockedByAnotherUser},
    {451, kTransient, e::kLocalFailure},
    {452, kTransient, e::kTemporalInsufficiency},
    {500, kPermanent, e::kOperationNotAvailable},
    {501, kPermanent, e::kBadAttributeName},
    {502, kPermanent, e::kOperationNotSupported},
    {503, kPermanent, e::kIllegalGroupingSequence},
    {504, kPermanent, e::kAttributeNotSupported},
    {530, kPermanent, e::kInvalidFilestorePassword},
    {532, kPermanent, e::kAssociationManagement},
    {550, kPermanent, e::kFileNotAvailable},
    {551, kPermanent, e::kBadFaduTypeError},
    {552, kPermanent, e::kTemporalInsufficiency},
    {553, kPermanent, e::kAmbiguousFileSpecification},
};

using O = NeutralOp;
constexpr uint32_t kUser = kEntityRespondingUser;  // the far filestore, behind the gateway
constexpr uint32_t kInit = kEntityInitiatingUser;  // a value the initiator chose

// Neutral results with no far-side reply (the bridge's own filestore, an unreachable
// server, limits): the ISO 8571-3 identifier that says the same for the FTAM primitive
// the op is carried by (RFC 1415 §8.2). Rows for an op come before the rows for any op
// (kOther). Where §9.1 has a row for the FTP reply that means the same, its identifier is
// used (RESOURCE_EXHAUSTED 452 -> 9, ABORTED 426 -> 1014, UNIMPLEMENTED 502 -> 5016).
constexpr NeutralToFtamRow kNeutralToFtam[] = {
    // F-INITIALIZE (RFC 1415 §5.2: the FTP login decides it).
    {O::kLogin, v1::STATUS_NOT_LOGGED_IN, kPermanent, e::kInvalidFilestorePassword, kUser},
    {O::kLogin, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kAssociationWithUserNotAllowed, kUser},
    {O::kLogin, v1::STATUS_NO_ROUTE, kPermanent, e::kInitiatorIdentityUnacceptable, kInit},
    {O::kLogin, v1::STATUS_INVALID_ARGUMENT, kPermanent, e::kInitiatorIdentityUnacceptable, kInit},
    {O::kLogin, v1::STATUS_NOT_FOUND, kPermanent, e::kInitiatorIdentityUnacceptable, kInit},
    // F-READ-ATTRIB.
    {O::kStat, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kAttributeCannotBeRead, kUser},
    // F-OPEN + F-READ.
    {O::kRead, v1::STATUS_FAILED_PRECONDITION, kPermanent, e::kFaduNotAvailableForReading, kUser},
    {O::kRead, v1::STATUS_INTERNAL, kPermanent, e::kBadRead, kUser},
    // F-CREATE + F-OPEN + F-WRITE.
    {O::kWrite, v1::STATUS_ALREADY_EXISTS, kPermanent, e::kFileAlreadyExists, kUser},
    {O::kWrite, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kFileCannotBeCreated, kUser},
    {O::kWrite, v1::STATUS_INVALID_ARGUMENT, kPermanent, e::kFileCannotBeCreated, kInit},
    {O::kWrite, v1::STATUS_FAILED_PRECONDITION, kPermanent, e::kFileCannotBeCreated, kUser},
    {O::kWrite, v1::STATUS_RESOURCE_EXHAUSTED, kPermanent, e::kFilespaceExhausted, kUser},
    {O::kWrite, v1::STATUS_INTERNAL, kPermanent, e::kBadWrite, kUser},
    // F-DELETE.
    {O::kDelete, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kFileCannotBeDeleted, kUser},
    {O::kDelete, v1::STATUS_FAILED_PRECONDITION, kPermanent, e::kFileCannotBeDeleted, kUser},
    {O::kRemoveDirectory, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kFileCannotBeDeleted, kUser},
    {O::kRemoveDirectory, v1::STATUS_FAILED_PRECONDITION, kPermanent, e::kFileCannotBeDeleted, kUser},
    // F-CREATE of a directory.
    {O::kMakeDirectory, v1::STATUS_ALREADY_EXISTS, kPermanent, e::kFileAlreadyExists, kUser},
    {O::kMakeDirectory, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kFileCannotBeCreated, kUser},
    {O::kMakeDirectory, v1::STATUS_INVALID_ARGUMENT, kPermanent, e::kFileCannotBeCreated, kInit},
    {O::kMakeDirectory, v1::STATUS_RESOURCE_EXHAUSTED, kPermanent, e::kFilespaceExhausted, kUser},
    // F-CHANGE-ATTRIB of the filename (RFC 1415 §8.2: RNFR/RNTO): the file was selected.
    {O::kRename, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kAttributeCannotBeChanged, kUser},
    {O::kRename, v1::STATUS_ALREADY_EXISTS, kPermanent, e::kAttributeCannotBeChanged, kUser},
    {O::kRename, v1::STATUS_FAILED_PRECONDITION, kPermanent, e::kAttributeCannotBeChanged, kUser},
    {O::kRename, v1::STATUS_INTERNAL, kPermanent, e::kAttributeCannotBeChanged, kUser},
    {O::kRename, v1::STATUS_INVALID_ARGUMENT, kPermanent, e::kBadAttributeValue, kInit},
    // Directory reads (NBS-9) and the bridge's directory check.
    {O::kList, v1::STATUS_INTERNAL, kPermanent, e::kBadRead, kUser},
    {O::kChangeDirectory, v1::STATUS_FAILED_PRECONDITION, kPermanent, e::kSelectionAttributesNotMatched, kUser},
    // Any op: F-SELECT finds nothing, is refused; the association's other failures.
    {O::kOther, v1::STATUS_NOT_FOUND, kPermanent, e::kFilenameNotFound, kUser},
    {O::kOther, v1::STATUS_ALREADY_EXISTS, kPermanent, e::kFileAlreadyExists, kUser},
    {O::kOther, v1::STATUS_PERMISSION_DENIED, kPermanent, e::kRequestedAccessViolation, kUser},
    {O::kOther, v1::STATUS_NOT_LOGGED_IN, kPermanent, e::kInvalidFilestorePassword, kUser},
    {O::kOther, v1::STATUS_INVALID_ARGUMENT, kPermanent, e::kUnsupportedParameterValues, kInit},
    {O::kOther, v1::STATUS_FAILED_PRECONDITION, kPermanent, e::kOperationInconsistent, kUser},
    {O::kOther, v1::STATUS_OUT_OF_RANGE, kPermanent, e::kFaduCannotBeLocated, kInit},
    {O::kOther, v1::STATUS_UNAVAILABLE, kPermanent, e::kLowerLayerFailure, kUser},
    {O::kOther, v1::STATUS_ABORTED, kTransient, e::kSystemShutdownProtocol, kUser},
    {O::kOther, v1::STATUS_UNIMPLEMENTED, kPermanent, e::kOperationNotSupported, kUser},
    {O::kOther, v1::STATUS_RESOURCE_EXHAUSTED, kTransient, e::kTemporalInsufficiency, kUser},
    {O::kOther, v1::STATUS_DEADLINE_EXCEEDED, kTransient, e::kTimeout, kUser},
    {O::kOther, v1::STATUS_INTERNAL, kPermanent, e::kResponderError, kUser},
    {O::kOther, v1::STATUS_NO_ROUTE, kPermanent, e::kInitiatorIdentityUnacceptable, kInit},
};

// RFC 1415 §9.2, FTAM Parameters to FTP Reply Codes, row by row as the RFC prints it
// (its two 5031 rows and its type-1 3030 row included).
constexpr FtamToFtpRow kFtamToFtp[] = {
    {kTrPerm, 0, 421, "No reason"},
    {kInf, 1, 211, "Responder error"},
    {kTrPerm, 1, 421, "Responder error"},
    {kTrPerm, 2, 421, "System shutdown"},
    {kInf, 3, 211, "FTAM mgmt problem, unspecific"},
    {kTrPerm, 3, 425, "FTAM mgmt problem, unspecific"},
    {kInf, 4, 221, "FTAM mgmt, bad account"},
    {kPerm, 4, 532, "FTAM mgmt, bad account"},
    {kInf, 5, 211, "FTAM mgmt, security not passed"},
    {kPerm, 5, 530, "FTAM mgmt, security not passed"},
    {kInf, 6, 211, "Delay may be encountered"},
    {kInf, 7, 211, "Initiator error, unspecific"},
    {kTrPerm, 7, 421, "Initiator error, unspecific"},
    {kInf, 8, 211, "Subsequent error"},
    {kTrPerm, 8, 421, "Subsequent error"},
    {kInf, 9, 211, "Temporal insufficiency of resources"},
    {kTrPerm, 9, 452, "Temporal insufficiency of resources"},
    {kTrPerm, 10, 550, "Access request violates VFS security"},
    {kTrPerm, 11, 550, "Access request violates local security"},
    {kPerm, 1000, 504, "Conflicting parameter values"},
    {kPerm, 1001, 504, "Unsupported parameter values"},
    {kPerm, 1002, 504, "Mandatory parameter not set"},
    {kPerm, 1003, 504, "Unsupported parameter"},
    {kPerm, 1004, 504, "Duplicated parameter"},
    {kPerm, 1005, 504, "Illegal parameter type"},
    {kPerm, 1006, 504, "Unsupported parameter types"},
    {kPerm, 1007, 426, "FTAM protocol error, unspecific"},
    {kPerm, 1008, 426, "FTAM protocol error, procedure error"},
    {kPerm, 1009, 426, "FTAM protocol error, functional unit error"},
    {kPerm, 1010, 426, "FTAM protocol error, corruption error"},
    {kPerm, 1011, 426, "Lower layer failure"},
    {kTrPerm, 1012, 426, "Lower layer addressing error"},
    {kTrPerm, 1013, 426, "Timeout"},
    {kTrPerm, 1014, 426, "System shutdown"},
    {kPerm, 1015, 503, "Illegal grouping sequence"},
    {kPerm, 1016, 503, "Grouping threshold violation"},
    {kPerm, 1017, 503, "Inconsistent PDU request"},
    {kPerm, 2000, 532, "Association with user not allowed"},
    {kPerm, 2002, 504, "Unsupported service class"},
    {kInf, 2003, 211, "Unsupported functional unit"},
    {kPerm, 2003, 502, "Unsupported functional unit"},
    {kInf, 2004, 211, "Attribute group error, unspecific"},
    {kTrPerm, 2004, 504, "Attribute group error, unspecific"},
    {kPerm, 2005, 504, "Attribute group not supported"},
    {kInf, 2006, 211, "Attribute group not allowed"},
    {kPerm, 2006, 504, "Attribute group not allowed"},
    {kInf, 2007, 211, "Bad account"},
    {kPerm, 2007, 532, "Bad account"},
    {kInf, 2008, 211, "Association management, unspecific"},
    {kTrPerm, 2008, 532, "Association management, unspecific"},
    {kPerm, 2009, 532, "Association management, bad address"},
    {kTrPerm, 2010, 532, "Association management, bad account"},
    {kInf, 2011, 211, "Checkpoint window error, too large"},
    {kPerm, 2011, 426, "Checkpoint window error, too large"},
    {kInf, 2012, 211, "Checkpoint window error, too small"},
    {kPerm, 2012, 426, "Checkpoint window error, too small"},
    {kInf, 2013, 211, "Checkpoint window error, unsupported"},
    {kPerm, 2013, 504, "Checkpoint window error, unsupported"},
    {kInf, 2014, 211, "Communications QoS not supported"},
    {kTrPerm, 2014, 504, "Communications QoS not supported"},
    {kPerm, 2015, 532, "Initiator identity unacceptable"},
    {kInf, 2016, 211, "Context management refused"},
    {kInf, 2017, 211, "Rollback not available"},
    {kInf, 2018, 211, "Contents type list cut by responder"},
    {kInf, 2019, 211, "Contents type list cut by Presentation Service"},
    {kPerm, 2020, 530, "Invalid filestore password"},
    {kPerm, 2021, 530, "Incompatible service classes"},
    {kTrPerm, 3000, 550, "Filename not found"},
    {kTrPerm, 3001, 550, "Selection attributes not matched"},
    {kPerm, 3002, 550, "Initial attributes not possible"},
    {kPerm, 3003, 550, "Bad attribute name"},
    {kTrPerm, 3004, 550, "Non-existent file"},
    {kTrPerm, 3005, 553, "File already exists"},
    {kTrPerm, 3006, 553, "File cannot be created"},
    {kTrPerm, 3007, 553, "File cannot be deleted"},
    {kInf, 3008, 211, "Concurrency control not available"},
    {kPerm, 3008, 503, "Concurrency control not available"},
    {kInf, 3009, 211, "Concurrency control not supported"},
    {kPerm, 3009, 502, "Concurrency control not supported"},
    {kInf, 3010, 211, "Concurrency control not possible"},
    {kPerm, 3010, 503, "Concurrency control not possible"},
    {kInf, 3011, 211, "More restrictive lock"},
    {kTr, 3011, 450, "More restrictive lock"},
    {kTrPerm, 3012, 450, "File busy"},
    {kTrPerm, 3013, 450, "File not available"},
    {kInf, 3014, 211, "Access control not available"},
    {kTrPerm, 3014, 503, "Access control not available"},
    {kInf, 3015, 211, "Access control not supported"},
    {kTrPerm, 3015, 502, "Access control not supported"},
    {kInf, 3016, 211, "Access control inconsistent"},
    {kTrPerm, 3016, 503, "Access control inconsistent"},
    {kInf, 3017, 211, "Filename truncated"},
    {kInf, 3018, 211, "Initial attributes altered"},
    {kTrPerm, 3019, 532, "Bad account"},
    {kInf, 3020, 211, "Override selected existing file"},
    {kInf, 3021, 211, "Override deleted and recreated"},
    {kInf, 3022, 211, "Create override deleted and recreated file with new attributes"},
    {kTrPerm, 3023, 553, "Create override, not possible"},
    {kTrPerm, 3024, 553, "Ambiguous file specification"},
    {kPerm, 3025, 550, "Invalid create password"},
    {kPerm, 3026, 550, "Invalid delete password on override"},
    {kPerm, 3027, 550, "Bad attribute value"},
    {kPerm, 3028, 550, "Requested access violation"},
    {kPerm, 3029, 550, "Functional unit not available for requested access"},
    {kInf, 3030, 211, "File created but not selected"},
    {kTr, 3030, 550, "Invalid create password"},
    {kInf, 4000, 211, "Attribute non-existent"},
    {kTrPerm, 4000, 501, "Attribute non-existent"},
    {kTrPerm, 4001, 504, "Attribute cannot be read"},
    {kTrPerm, 4002, 504, "Attribute cannot be changed"},
    {kTrPerm, 4003, 504, "Attribute not supported"},
    {kPerm, 4004, 501, "Bad attribute name"},
    {kPerm, 4005, 501, "Bad attribute value"},
    {kInf, 4006, 211, "Attribute partially supported"},
    {kInf, 4007, 211, "Additional set attribute value not distinct"},
    {kTrPerm, 5000, 550, "Bad FADU, unspecific"},
    {kPerm, 5001, 501, "Bad FADU, size error"},
    {kPerm, 5002, 551, "Bad FADU, type error"},
    {kPerm, 5003, 501, "Bad FADU, poorly specified"},
    {kPerm, 5004, 550, "Bad FADU, bad location"},
    {kInf, 5005, 550, "FADU does not exist"},
    {kTr, 5005, 550, "FADU does not exist"},
    {kInf, 5006, 550, "FADU not available, unspecific"},
    {kTrPerm, 5006, 550, "FADU not available, unspecific"},
    {kTrPerm, 5007, 550, "FADU not available for reading"},
    {kTrPerm, 5008, 550, "FADU not available for writing"},
    {kTrPerm, 5009, 550, "FADU not available for location"},
    {kTrPerm, 5010, 550, "FADU not available for erasure"},
    {kTrPerm, 5011, 550, "FADU cannot be inserted"},
    {kTrPerm, 5012, 550, "FADU cannot be replaced"},
    {kInf, 5013, 550, "FADU cannot be located"},
    {kTrPerm, 5013, 550, "FADU cannot be located"},
    {kPerm, 5014, 550, "Bad data element type"},
    {kTrPerm, 5015, 500, "Operation not available"},
    {kTrPerm, 5016, 502, "Operation not supported"},
    {kInf, 5017, 211, "Operation inconsistent"},
    {kPerm, 5017, 503, "Operation inconsistent"},
    {kInf, 5018, 211, "Concurrency control not available"},
    {kTrPerm, 5018, 503, "Concurrency control not available"},
    {kInf, 5019, 211, "Concurrency control not supported"},
    {kPerm, 5019, 502, "Concurrency control not supported"},
    {kInf, 5020, 211, "Concurrency control inconsistent"},
    {kPerm, 5020, 503, "Concurrency control inconsistent"},
    {kInf, 5021, 211, "Processing mode not available"},
    {kTrPerm, 5021, 503, "Processing mode not available"},
    {kInf, 5022, 211, "Processing mode not supported"},
    {kPerm, 5022, 504, "Processing mode not supported"},
    {kInf, 5023, 211, "Processing mode inconsistent"},
    {kPerm, 5023, 503, "Processing mode inconsistent"},
    {kInf, 5024, 211, "Access context not available"},
    {kPerm, 5024, 503, "Access context not available"},
    {kInf, 5025, 211, "Access context not supported"},
    {kPerm, 5025, 504, "Access context not supported"},
    {kTrPerm, 5026, 550, "Bad write, unspecific"},
    {kTrPerm, 5027, 550, "Bad read, unspecific"},
    {kInf, 5028, 211, "Local failure, unspecific"},
    {kTrPerm, 5028, 451, "Local failure, unspecific"},
    {kInf, 5029, 211, "Local failure, filespace exhausted"},
    {kTrPerm, 5029, 552, "Local failure, filespace exhausted"},
    {kInf, 5030, 211, "Local failure, data corrupted"},
    {kTrPerm, 5030, 451, "Local failure, data corrupted"},
    {kInf, 5031, 211, "Local failure, data corrupted"},
    {kTrPerm, 5031, 451, "Local failure, data corrupted"},
    {kPerm, 5032, 451, "Future file size exceeded"},
    {kInf, 5034, 211, "Future file size increased"},
    {kInf, 5035, 211, "Functional unit invalid in processing mode"},
    {kPerm, 5035, 503, "Functional unit invalid in processing mode"},
    {kInf, 5036, 211, "Contents type inconsistent"},
    {kPerm, 5036, 503, "Contents type inconsistent"},
    {kInf, 5037, 211, "Contents type simplified"},
    {kInf, 5038, 211, "Duplicate FADU name"},
    {kTrPerm, 5039, 553, "Damage to select/open regime"},
    {kTrPerm, 5040, 450, "FADU locking not available on file"},
    {kTrPerm, 5041, 450, "FADU locked by another user"},
};

// RFC 959 §5.4, Command-Reply Sequences: the error replies each command may give (421 is
// allowed for every command), and the command's own failure code per class. A few
// additions real servers and clients rely on are marked.
struct CommandReplies {
  NeutralOp op;
  std::array<uint16_t, 16> errors;  // 0-terminated
  uint16_t transient;               // failure code for a transient diagnostic
  uint16_t permanent;               // for a permanent one
};
constexpr CommandReplies kCommandReplies[] = {
    // USER, PASS, ACCT.
    {O::kLogin, {530, 500, 501, 503}, 421, 530},
    // CWD, CDUP: no 4xx in RFC 959 besides 421.
    {O::kChangeDirectory, {500, 501, 502, 530, 550}, 550, 550},
    // LIST, NLST (550: every server answers a missing directory so; RFC 3659 MLSD too).
    {O::kList, {425, 426, 451, 450, 500, 501, 502, 530, 550}, 450, 550},
    // STAT <file>, and RFC 3659's SIZE, MDTM, MLST.
    {O::kStat, {450, 500, 501, 502, 504, 530, 550}, 450, 550},
    // RETR (and REST before it).
    {O::kRead, {425, 426, 451, 450, 550, 500, 501, 530}, 450, 550},
    // STOR, APPE, STOU.
    {O::kWrite, {425, 426, 451, 551, 552, 532, 450, 452, 553, 500, 501, 530}, 451, 553},
    // DELE.
    {O::kDelete, {450, 550, 500, 501, 502, 530}, 450, 550},
    // RNFR, RNTO.
    {O::kRename, {450, 550, 532, 553, 500, 501, 502, 503, 530}, 450, 553},
    // MKD.
    {O::kMakeDirectory, {500, 501, 502, 530, 550}, 550, 550},
    // RMD.
    {O::kRemoveDirectory, {500, 501, 502, 530, 550}, 550, 550},
};

const CommandReplies* RepliesFor(NeutralOp op) {
  for (const CommandReplies& row : kCommandReplies)
    if (row.op == op) return &row;
  return nullptr;  // kOther: any reply
}

uint8_t TypeBit(uint32_t type) {
  switch (type) {
    case kInformative: return kTypeInformative;
    case kTransient: return kTypeTransient;
    default: return kTypePermanent;  // ISO 8571-3 knows no other; the severest is assumed
  }
}

// The FTP reply in a result that decides (§9.1): the last failure, else the last reply.
const v1::FtpReply* DecidingReply(const v1::Result& r) {
  const v1::FtpReply* last = nullptr;
  const v1::FtpReply* last_failure = nullptr;
  for (const v1::Origin& origin : r.origin()) {
    if (!origin.has_ftp()) continue;
    last = &origin.ftp();
    if (origin.ftp().code() >= 400) last_failure = &origin.ftp();
  }
  return last_failure != nullptr ? last_failure : last;
}

std::string ReplyText(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxReplyText)) {
    auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::span<const FtpToFtamRow> FtpToFtamRows() { return kFtpToFtam; }
std::span<const NeutralToFtamRow> NeutralToFtamRows() { return kNeutralToFtam; }
std::span<const FtamToFtpRow> FtamToFtpRows() { return kFtamToFtp; }

std::string_view FtamErrorReason(uint32_t identifier) {
  for (const FtamToFtpRow& row : kFtamToFtp)
    if (row.identifier == identifier) return row.reason;
  return {};
}

bool ReplyAllowedFor(NeutralOp op, uint32_t ftp_code) {
  if (ftp_code < 400 || ftp_code == 421) return true;
  const CommandReplies* replies = RepliesFor(op);
  if (replies == nullptr) return true;
  for (uint16_t code : replies->errors)
    if (code == ftp_code) return true;
  return false;
}

v1::FtamDiagnostic FtamDiagnosticFor(NeutralOp op, const v1::Result& r) {
  // 1. An FTAM responder's own diagnostic is handed on as it is.
  for (auto it = r.origin().rbegin(); it != r.origin().rend(); ++it) {
    if (it->has_ftam()) return it->ftam();
  }
  v1::FtamDiagnostic d;
  d.set_error_observer(kEntityRespondingUser);
  d.set_error_source(kEntityRespondingUser);
  const v1::FtpReply* reply = DecidingReply(r);
  if (r.code() == v1::STATUS_OK) {
    // Success, whatever failed on the way (a fallback that worked): no error to report.
    d.set_diagnostic_type(kInformative);
    d.set_error_identifier(e::kNoReason);
    const v1::FtpReply* last = nullptr;
    for (const v1::Origin& origin : r.origin())
      if (origin.has_ftp()) last = &origin.ftp();
    d.set_further_details(last != nullptr ? last->text() : r.message());
    return d;
  }
  // 2. A failing FTP reply decides by §9.1; one it does not name, by §9.4. (A failure whose
  // only reply was positive, e.g. a transfer the bridge ended, is the neutral code's.)
  if (reply != nullptr && reply->code() >= 400) {
    d.set_further_details(reply->text());
    for (const FtpToFtamRow& row : kFtpToFtam) {
      if (row.ftp_code == reply->code()) {
        d.set_diagnostic_type(row.type);
        d.set_error_identifier(row.identifier);
        return d;
      }
    }
    d.set_diagnostic_type(kPermanent);  // §9.4: unrecoverable
    d.set_error_identifier(e::kResponderError);
    return d;
  }
  d.set_further_details(r.message());
  // 3. The neutral code: the op's rows, then any op's.
  for (NeutralOp wanted : {op, NeutralOp::kOther}) {
    for (const NeutralToFtamRow& row : kNeutralToFtam) {
      if (row.op == wanted && row.code == r.code()) {
        d.set_diagnostic_type(row.type);
        d.set_error_identifier(row.identifier);
        d.set_error_source(row.source);
        return d;
      }
    }
  }
  d.set_diagnostic_type(kPermanent);  // §9.4: unrecoverable
  d.set_error_identifier(e::kResponderError);
  return d;
}

v1::FtpReply FtpReplyFor(NeutralOp op, const v1::FtamDiagnostic& d) {
  const uint8_t type = TypeBit(d.diagnostic_type());
  const FtamToFtpRow* found = nullptr;
  const FtamToFtpRow* other_type = nullptr;  // the same identifier, the other error type
  for (const FtamToFtpRow& row : kFtamToFtp) {
    if (row.identifier != d.error_identifier()) continue;
    if (row.types & type) found = &row;
    else if (type != kTypeInformative && (row.types & kTrPerm)) other_type = &row;
  }
  if (found == nullptr) found = other_type;
  const CommandReplies* replies = RepliesFor(op);
  uint32_t code = 0;
  if (found != nullptr) {
    code = found->ftp_code;
  } else if (type == kTypeInformative) {
    code = 211;  // §9.2 gives every informative row it names 211 or 221
  } else {
    code = replies == nullptr ? (type == kTypeTransient ? 451 : 550)
                              : (type == kTypeTransient ? replies->transient : replies->permanent);
  }
  if (!ReplyAllowedFor(op, code)) {
    code = code < 500 ? replies->transient : replies->permanent;
  }
  v1::FtpReply reply;
  reply.set_code(code);
  std::string text = ReplyText(d.further_details());
  if (text.empty()) {
    std::string_view reason = FtamErrorReason(d.error_identifier());
    text = reason.empty() ? "FTAM diagnostic " + std::to_string(d.error_identifier())
                          : std::string(reason);
  }
  reply.set_text(std::move(text));
  return reply;
}

}  // namespace gw::bridge
