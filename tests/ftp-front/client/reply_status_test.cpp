#include "client/reply_status.h"

#include <gtest/gtest.h>

namespace gw::ftp::client {
namespace {

TEST(ReplyStatus, TableRowByRow) {
  struct Case {
    int code;
    absl::StatusCode want;
  };
  const Case cases[] = {
      {150, absl::StatusCode::kOk},
      {226, absl::StatusCode::kOk},
      {350, absl::StatusCode::kOk},
      {421, absl::StatusCode::kUnavailable},
      {425, absl::StatusCode::kUnavailable},
      {426, absl::StatusCode::kAborted},
      {430, absl::StatusCode::kUnauthenticated},
      {450, absl::StatusCode::kUnavailable},
      {451, absl::StatusCode::kAborted},
      {452, absl::StatusCode::kResourceExhausted},
      {455, absl::StatusCode::kUnavailable},  // other 4xx: by class
      {500, absl::StatusCode::kUnimplemented},
      {501, absl::StatusCode::kInvalidArgument},
      {502, absl::StatusCode::kUnimplemented},
      {503, absl::StatusCode::kFailedPrecondition},
      {504, absl::StatusCode::kUnimplemented},
      {522, absl::StatusCode::kFailedPrecondition},
      {530, absl::StatusCode::kUnauthenticated},
      {532, absl::StatusCode::kUnauthenticated},
      {534, absl::StatusCode::kPermissionDenied},
      {535, absl::StatusCode::kUnauthenticated},
      {536, absl::StatusCode::kFailedPrecondition},
      {551, absl::StatusCode::kInvalidArgument},
      {552, absl::StatusCode::kResourceExhausted},
      {553, absl::StatusCode::kInvalidArgument},
      {554, absl::StatusCode::kOutOfRange},
      {599, absl::StatusCode::kFailedPrecondition},  // other 5xx: by class
  };
  for (const Case& c : cases) EXPECT_EQ(ReplyStatusCode(c.code, "x"), c.want) << c.code;
}

TEST(ReplyStatus, FiveFiftySplitsOnItsText) {
  EXPECT_EQ(ReplyStatusCode(550, "/x: No such file or directory"), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReplyStatusCode(550, "Failed to open file."), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReplyStatusCode(550, "/etc: Permission denied"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReplyStatusCode(550, "Access DENIED"), absl::StatusCode::kPermissionDenied);
}

TEST(ReplyStatus, MessageQuotesTheServerAndCarriesTheCode) {
  ServerReply r{550, "/x: No such file or directory", {"550 /x: No such file or directory"}};
  absl::Status s = ReplyToStatus(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "550 /x: No such file or directory");
  auto payload = s.GetPayload(std::string(kReplyCodePayload));
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(std::string(*payload), "550");
  EXPECT_TRUE(ReplyToStatus(ServerReply{226, "ok", {}}).ok());
}

}  // namespace
}  // namespace gw::ftp::client
