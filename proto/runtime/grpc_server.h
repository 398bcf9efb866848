// Building gRPC servers and channels the same way in every process: health checking and
// reflection always on; plaintext by default (loopback), mutual TLS when certificate files
// are configured.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"

namespace gw::rt {

struct GrpcTls {
  std::string cert_file, key_file, ca_file;  // all three set = mutual TLS
  bool enabled() const { return !cert_file.empty(); }
};

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const GrpcTls& tls);
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const GrpcTls& tls);

// Enables the standard health service and reflection; call before creating a builder.
void EnableHealthAndReflection();

// Creates a channel with the project's settings (message size, keepalive).
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, const GrpcTls& tls);

// Reads a whole file of at most `max_bytes`.
absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes = 1 << 20);
// Reads a whole file; exits with a message if it cannot.
std::string ReadFileOrDie(const std::string& path);

}  // namespace gw::rt
