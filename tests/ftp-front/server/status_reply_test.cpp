#include "server/status_reply.h"

#include <gtest/gtest.h>

namespace gw::ftp {
namespace {
namespace v1 = gateway::v1;

TEST(StatusReply, RowByRow) {
  struct Row { v1::StatusCode s; int code; };
  const Row rows[] = {
      {v1::STATUS_NOT_FOUND, 550}, {v1::STATUS_ALREADY_EXISTS, 550},
      {v1::STATUS_PERMISSION_DENIED, 550}, {v1::STATUS_NOT_LOGGED_IN, 530},
      {v1::STATUS_INVALID_ARGUMENT, 553}, {v1::STATUS_FAILED_PRECONDITION, 550},
      {v1::STATUS_OUT_OF_RANGE, 554}, {v1::STATUS_UNAVAILABLE, 451},
      {v1::STATUS_ABORTED, 426}, {v1::STATUS_UNIMPLEMENTED, 504},
      {v1::STATUS_RESOURCE_EXHAUSTED, 552}, {v1::STATUS_DEADLINE_EXCEEDED, 451},
      {v1::STATUS_INTERNAL, 451}, {v1::STATUS_NO_ROUTE, 530},
  };
  for (const Row& r : rows) EXPECT_EQ(ReplyCodeFor(r.s, 999), r.code) << v1::StatusCode_Name(r.s);
  EXPECT_EQ(ReplyCodeFor(static_cast<v1::StatusCode>(77), 451), 451);
}

}  // namespace
}  // namespace gw::ftp
