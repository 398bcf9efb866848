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

// An FTP-to-FTP relay: the far server's own refusal code reaches the client unchanged,
// except 421 (which would announce the end of this control connection).
TEST(StatusReply, FarFtpReplyKeepsItsCode) {
  v1::Result r;
  r.set_code(v1::STATUS_RESOURCE_EXHAUSTED);
  r.set_message("Disk full");
  EXPECT_EQ(ReplyCodeFor(r, 451), 552);
  r.add_origin()->mutable_ftp()->set_code(452);
  r.mutable_origin(0)->mutable_ftp()->set_text("Insufficient storage space");
  EXPECT_EQ(ReplyCodeFor(r, 451), 452);
  r.mutable_origin(0)->mutable_ftp()->set_code(421);
  EXPECT_EQ(ReplyCodeFor(r, 451), 552);
  r.mutable_origin(0)->mutable_ftp()->set_code(226);  // not a failure reply: the table decides
  EXPECT_EQ(ReplyCodeFor(r, 451), 552);
  v1::Result filestore;
  filestore.set_code(v1::STATUS_NOT_FOUND);
  filestore.add_origin()->set_filestore("no such file");
  EXPECT_EQ(ReplyCodeFor(filestore, 450), 550);
}

}  // namespace
}  // namespace gw::ftp
