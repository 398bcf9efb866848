#include "server/status_reply.h"

#include <array>
#include <utility>

namespace gw::ftp {
namespace v1 = gateway::v1;

namespace {
// 0 means: the command's own default.
constexpr std::array<std::pair<v1::StatusCode, int>, 15> kReplyCodes = {{
    {v1::STATUS_OK, 200},
    {v1::STATUS_NOT_FOUND, 550},            // file unavailable (not found)
    {v1::STATUS_ALREADY_EXISTS, 550},
    {v1::STATUS_PERMISSION_DENIED, 550},    // file unavailable (no access)
    {v1::STATUS_NOT_LOGGED_IN, 530},
    {v1::STATUS_INVALID_ARGUMENT, 553},     // file name not allowed
    {v1::STATUS_FAILED_PRECONDITION, 550},
    {v1::STATUS_OUT_OF_RANGE, 554},         // RFC 3659 §5.4: invalid REST parameter
    {v1::STATUS_UNAVAILABLE, 451},          // local error in processing
    {v1::STATUS_ABORTED, 426},              // connection closed; transfer aborted
    {v1::STATUS_UNIMPLEMENTED, 504},
    {v1::STATUS_RESOURCE_EXHAUSTED, 552},   // exceeded storage allocation
    {v1::STATUS_DEADLINE_EXCEEDED, 451},
    {v1::STATUS_INTERNAL, 451},
    {v1::STATUS_NO_ROUTE, 530},             // not logged in: no such destination
}};
}  // namespace

int ReplyCodeFor(v1::StatusCode code, int context_default) {
  for (const auto& [status, reply] : kReplyCodes)
    if (status == code) return reply == 0 ? context_default : reply;
  return context_default;
}

int ReplyCodeFor(const v1::Result& result, int context_default) {
  for (const auto& origin : result.origin()) {
    // 421 closes the far control connection, not this one: it takes the table's code.
    if (origin.has_ftp() && origin.ftp().code() >= 400 && origin.ftp().code() <= 599 && origin.ftp().code() != 421)
      return static_cast<int>(origin.ftp().code());
  }
  return ReplyCodeFor(result.code(), context_default);
}

}  // namespace gw::ftp
