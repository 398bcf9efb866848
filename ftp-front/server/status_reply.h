// How a failed neutral result is told to an FTP client: one table from the neutral status
// to the FTP reply code (RFC 959 §4.2.2), tested row by row.
#pragma once

#include "gateway/v1/file_service.pb.h"

namespace gw::ftp {

// `context_default` is the code for an outcome that has no better one in this command's
// context (e.g. 550 for file actions, 451 for transfers).
int ReplyCodeFor(gateway::v1::StatusCode code, int context_default);

// As ReplyCodeFor, except that a failure a far FTP server reported (an origin with a 4xx or
// 5xx reply, as in an FTP-to-FTP relay) keeps that server's own reply code.
int ReplyCodeFor(const gateway::v1::Result& result, int context_default);

}  // namespace gw::ftp
