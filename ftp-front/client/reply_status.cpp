#include "client/reply_status.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "absl/strings/cord.h"

namespace gw::ftp::client {
namespace {

struct Row {
  int code;
  absl::StatusCode status;
};

// RFC 959 §4.2.2 / RFC 2228 §4 / RFC 3659 replies a client acts on; other codes fall back
// to their class (4xx unavailable, 5xx failed precondition).
constexpr std::array<Row, 22> kRows = {{
    {421, absl::StatusCode::kUnavailable},         // service closing the control connection
    {425, absl::StatusCode::kUnavailable},         // can't open data connection
    {426, absl::StatusCode::kAborted},             // connection closed; transfer aborted
    {430, absl::StatusCode::kUnauthenticated},     // invalid user name or password (RFC 2577)
    {450, absl::StatusCode::kUnavailable},         // file unavailable (busy)
    {451, absl::StatusCode::kAborted},             // local error in processing
    {452, absl::StatusCode::kResourceExhausted},   // insufficient storage
    {500, absl::StatusCode::kUnimplemented},       // command unrecognized
    {501, absl::StatusCode::kInvalidArgument},     // syntax error in arguments
    {502, absl::StatusCode::kUnimplemented},       // command not implemented
    {503, absl::StatusCode::kFailedPrecondition},  // bad sequence of commands
    {504, absl::StatusCode::kUnimplemented},       // not implemented for that parameter
    {522, absl::StatusCode::kFailedPrecondition},  // protocol not supported / TLS required
    {530, absl::StatusCode::kUnauthenticated},     // not logged in
    {532, absl::StatusCode::kUnauthenticated},     // need account for storing files
    {534, absl::StatusCode::kPermissionDenied},    // request denied for policy reasons
    {535, absl::StatusCode::kUnauthenticated},     // failed security check
    {536, absl::StatusCode::kFailedPrecondition},  // protection level not supported
    {551, absl::StatusCode::kInvalidArgument},     // page type unknown
    {552, absl::StatusCode::kResourceExhausted},   // exceeded storage allocation
    {553, absl::StatusCode::kInvalidArgument},     // file name not allowed
    {554, absl::StatusCode::kOutOfRange},          // invalid REST parameter (RFC 3659 §5.4)
}};

bool MentionsPermission(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("permission") != std::string::npos || lower.find("denied") != std::string::npos;
}

}  // namespace

absl::StatusCode ReplyStatusCode(int code, std::string_view text) {
  if (code >= 100 && code < 400) return absl::StatusCode::kOk;
  if (code == 550) return MentionsPermission(text) ? absl::StatusCode::kPermissionDenied : absl::StatusCode::kNotFound;
  for (const Row& row : kRows)
    if (row.code == code) return row.status;
  return code >= 400 && code < 500 ? absl::StatusCode::kUnavailable : absl::StatusCode::kFailedPrecondition;
}

absl::Status ReplyToStatus(const ServerReply& reply) {
  absl::StatusCode code = ReplyStatusCode(reply.code, reply.text);
  if (code == absl::StatusCode::kOk) return absl::OkStatus();
  absl::Status s(code, reply.Quote());
  s.SetPayload(std::string(kReplyCodePayload), absl::Cord(std::to_string(reply.code)));
  return s;
}

}  // namespace gw::ftp::client
