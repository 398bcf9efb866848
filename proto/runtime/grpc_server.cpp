#include "runtime/chunk_wire.h"
#include "runtime/grpc_server.h"

#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"

namespace gw::rt {

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const GrpcTls& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions opts(
      tls.ca_file.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!tls.ca_file.empty()) opts.pem_root_certs = ReadFileOrDie(tls.ca_file);
  opts.pem_key_cert_pairs.push_back({ReadFileOrDie(tls.key_file), ReadFileOrDie(tls.cert_file)});
  return grpc::SslServerCredentials(opts);
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const GrpcTls& tls) {
  if (!tls.enabled() && tls.ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions opts;
  if (!tls.ca_file.empty()) opts.pem_root_certs = ReadFileOrDie(tls.ca_file);
  if (tls.enabled()) {
    opts.pem_private_key = ReadFileOrDie(tls.key_file);
    opts.pem_cert_chain = ReadFileOrDie(tls.cert_file);
  }
  return grpc::SslCredentials(opts);
}

void EnableHealthAndReflection() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
}

absl::StatusOr<std::string> ChannelTarget(const std::string& target) {
  if (target.find(',') == std::string::npos) return target;
  // Several addresses: gRPC's ipv4:/ipv6: resolvers take a comma-separated list of literals.
  std::vector<std::string> addrs = absl::StrSplit(target, ',', absl::SkipWhitespace());
  bool v6 = !addrs.empty() && addrs[0].starts_with("[");
  for (auto& a : addrs) {
    a = std::string(absl::StripAsciiWhitespace(a));
    auto colon = a.rfind(':');
    bool is_v6 = a.starts_with("[");
    if (colon == std::string::npos || colon + 1 == a.size() || is_v6 != v6)
      return absl::InvalidArgumentError("a list of addresses takes IP:PORT entries of one family: " + target);
    std::string host = is_v6 ? a.substr(1, colon - 2) : a.substr(0, colon);
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(host, ec);
    if (ec || ip.is_v6() != v6)
      return absl::InvalidArgumentError("a list of addresses takes IP literals (use one DNS name for names): " +
                                        target);
  }
  return (v6 ? "ipv6:" : "ipv4:") + absl::StrJoin(addrs, ",");
}

namespace {
// Bytes a session stream may have in flight toward its reader: two 1 MiB data chunks, so that
// one is read while the next arrives. gRPC's default grows the window by probing the
// bandwidth-delay product, up to several MiB per stream; on the gateway's links (loopback or
// a LAN) that held tens of MiB of received data in memory during a 1 GiB transfer, and the
// probes' pings added wakeups. GW_STREAM_WINDOW overrides it (bytes), for measurements.
int StreamWindow() {
  int window = static_cast<int>(2 * kChunkSize);
  if (const char* e = std::getenv("GW_STREAM_WINDOW"); e && std::atoi(e) >= 65535) window = std::atoi(e);
  return window;
}
}  // namespace

void SetStreamWindow(const std::function<void(const char*, int)>& set) {
  set(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, StreamWindow());
  set(GRPC_ARG_HTTP2_BDP_PROBE, 0);
}

void SetStreamWindow(grpc::ServerBuilder& builder) {
  SetStreamWindow([&](const char* name, int value) { builder.AddChannelArgument(name, value); });
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, const GrpcTls& tls) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(8 << 20);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  SetStreamWindow([&](const char* name, int value) { args.SetInt(name, value); });
  // Calls (each session is one call) are spread over every address the target resolves
  // to, skipping those that are down.
  args.SetLoadBalancingPolicyName("round_robin");
  auto resolved = ChannelTarget(target);
  if (!resolved.ok()) throw std::invalid_argument(std::string(resolved.status().message()));
  if (*resolved != target) {
    // The certificate names the first address, as it would with that address alone.
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, std::string(absl::StripAsciiWhitespace(target.substr(0, target.find(',')))));
  }
  return grpc::CreateCustomChannel(*resolved, ChannelCredentials(tls), args);
}

}  // namespace gw::rt
