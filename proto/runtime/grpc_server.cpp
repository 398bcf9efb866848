#include "runtime/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

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

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, const GrpcTls& tls) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(8 << 20);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  return grpc::CreateCustomChannel(target, ChannelCredentials(tls), args);
}

}  // namespace gw::rt
