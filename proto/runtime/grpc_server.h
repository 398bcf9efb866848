// Building gRPC servers and channels the same way in every process: health checking and
// reflection always on; plaintext by default (loopback), mutual TLS when certificate files
// are configured.
#pragma once

#include <cstddef>
#include <functional>
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

// Creates a channel with the project's settings (message size, keepalive) that spreads
// calls round-robin over the target's addresses: a gRPC target (host:port, dns:///name:port
// whose name has several addresses), or a comma-separated list of IP:PORT literals of one
// family ("127.0.0.1:50051,127.0.0.1:50061"). Throws std::invalid_argument for a bad list.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, const GrpcTls& tls);
// The gRPC target MakeChannel uses for `target` (a list becomes ipv4:/ipv6:).
absl::StatusOr<std::string> ChannelTarget(const std::string& target);

// The session streams' HTTP/2 flow control, the same on channels (MakeChannel applies it)
// and servers (call it on every ServerBuilder): a fixed per-stream window sized for the
// data chunks in flight, no bandwidth-delay probing.
void SetStreamWindow(grpc::ServerBuilder& builder);
void SetStreamWindow(const std::function<void(const char*, int)>& set);

// Reads a whole file of at most `max_bytes`.
absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes = 1 << 20);
// Reads a whole file; exits with a message if it cannot.
std::string ReadFileOrDie(const std::string& path);

}  // namespace gw::rt
