// Far-server replies as absl statuses: one table (RFC 959 §4.2.2 codes, plus RFC 2228's
// 5xx security replies), tested row by row. The status message is always the server's own
// code and text ("550 /x: No such file or directory"), so callers can quote the far server;
// the code is also attached as a payload for the §9 mappings.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "client/reply_reader.h"

namespace gw::ftp::client {

// Payload key under which the three-digit reply code is attached (decimal text).
inline constexpr std::string_view kReplyCodePayload = "type.gw/ftp.reply_code";

// The status for a reply code (kOk for 1xx..3xx). 550 splits on its text: permission or
// denied -> kPermissionDenied, else kNotFound.
absl::StatusCode ReplyStatusCode(int code, std::string_view text);

// OK for a positive reply, else an error whose message is reply.Quote().
absl::Status ReplyToStatus(const ServerReply& reply);

}  // namespace gw::ftp::client
