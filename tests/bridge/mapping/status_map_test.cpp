#include "mapping/status_map.h"

#include <gtest/gtest.h>

namespace gw::bridge {
namespace {
namespace v1 = gateway::v1;

TEST(StatusMap, FilestoreOutcomesRowByRow) {
  struct Row { absl::StatusCode in; v1::StatusCode out; grpc::StatusCode grpc; };
  const Row rows[] = {
      {absl::StatusCode::kOk, v1::STATUS_OK, grpc::StatusCode::OK},
      {absl::StatusCode::kNotFound, v1::STATUS_NOT_FOUND, grpc::StatusCode::NOT_FOUND},
      {absl::StatusCode::kAlreadyExists, v1::STATUS_ALREADY_EXISTS, grpc::StatusCode::ALREADY_EXISTS},
      {absl::StatusCode::kPermissionDenied, v1::STATUS_PERMISSION_DENIED, grpc::StatusCode::PERMISSION_DENIED},
      {absl::StatusCode::kUnauthenticated, v1::STATUS_NOT_LOGGED_IN, grpc::StatusCode::UNAUTHENTICATED},
      {absl::StatusCode::kInvalidArgument, v1::STATUS_INVALID_ARGUMENT, grpc::StatusCode::INVALID_ARGUMENT},
      {absl::StatusCode::kFailedPrecondition, v1::STATUS_FAILED_PRECONDITION, grpc::StatusCode::FAILED_PRECONDITION},
      {absl::StatusCode::kOutOfRange, v1::STATUS_OUT_OF_RANGE, grpc::StatusCode::OUT_OF_RANGE},
      {absl::StatusCode::kUnavailable, v1::STATUS_UNAVAILABLE, grpc::StatusCode::UNAVAILABLE},
      {absl::StatusCode::kAborted, v1::STATUS_ABORTED, grpc::StatusCode::ABORTED},
      {absl::StatusCode::kUnimplemented, v1::STATUS_UNIMPLEMENTED, grpc::StatusCode::UNIMPLEMENTED},
      {absl::StatusCode::kResourceExhausted, v1::STATUS_RESOURCE_EXHAUSTED, grpc::StatusCode::RESOURCE_EXHAUSTED},
      {absl::StatusCode::kDeadlineExceeded, v1::STATUS_DEADLINE_EXCEEDED, grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::StatusCode::kInternal, v1::STATUS_INTERNAL, grpc::StatusCode::INTERNAL},
      {absl::StatusCode::kDataLoss, v1::STATUS_INTERNAL, grpc::StatusCode::INTERNAL},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(ToNeutral(r.in), r.out) << absl::StatusCodeToString(r.in);
    EXPECT_EQ(ToGrpc(r.out), r.grpc) << v1::StatusCode_Name(r.out);
  }
  EXPECT_EQ(ToGrpc(v1::STATUS_NO_ROUTE), grpc::StatusCode::PERMISSION_DENIED);
}

TEST(StatusMap, ResultKeepsTheFilestoresWords) {
  v1::Result r = MakeResult(absl::NotFoundError("no such file or directory: /x"));
  EXPECT_EQ(r.code(), v1::STATUS_NOT_FOUND);
  EXPECT_EQ(r.message(), "no such file or directory: /x");
  ASSERT_EQ(r.origin_size(), 1);
  EXPECT_EQ(r.origin(0).filestore(), "no such file or directory: /x");
  EXPECT_EQ(MakeResult(absl::OkStatus()).origin_size(), 0);
}

}  // namespace
}  // namespace gw::bridge
