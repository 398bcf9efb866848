// ftp-front: terminates FTP and FTPS from clients (server role) and speaks the neutral API
// to the bridge. Only wiring here.

#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "runtime/chunk_wire.h"
#include "runtime/flags_env.h"
#include "runtime/grpc_server.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/util.h"
#include "client/outbound_service.h"
#include "server/listener.h"
#include "server/tls_context.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:2121", "FTP and explicit FTPS (AUTH TLS) address");
ABSL_FLAG(std::string, implicit_listen, "127.0.0.1:2990", "implicit FTPS address; empty disables");
ABSL_FLAG(std::string, bridge, "127.0.0.1:50051",
          "the bridge's gRPC address; sessions are spread round-robin over several bridges, named as "
          "a list of IP:PORT (127.0.0.1:50051,127.0.0.1:50061) or one DNS name with several addresses "
          "(dns:///bridge:50051)");
ABSL_FLAG(std::string, grpc_listen, "127.0.0.1:50052",
          "gRPC address: the FileService of outbound legs (for the bridge), health, reflection; empty disables");
ABSL_FLAG(std::string, grpc_cert, "", "server certificate (PEM) of the gRPC port: enables TLS");
ABSL_FLAG(std::string, grpc_key, "", "server private key (PEM) of the gRPC port");
ABSL_FLAG(std::string, grpc_ca, "", "CA for the bridge's client certificate (PEM): enables mutual TLS");
ABSL_FLAG(int, outbound_connect_timeout, 15, "outbound legs: seconds to connect to an FTP server");
ABSL_FLAG(int, outbound_reply_timeout, 60, "outbound legs: seconds to wait for each reply");
ABSL_FLAG(int, outbound_data_timeout, 120, "outbound legs: seconds a data connection may stall");
ABSL_FLAG(int, outbound_max_sessions, 500, "outbound legs open at once");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9465", "Prometheus /metrics address; empty disables");
ABSL_FLAG(std::string, tls_cert, "", "FTPS certificate chain (PEM); without it FTPS is off");
ABSL_FLAG(std::string, tls_key, "", "FTPS private key (PEM)");
ABSL_FLAG(std::string, bridge_cert, "", "client certificate for mutual TLS to the bridge");
ABSL_FLAG(std::string, bridge_key, "", "client key for mutual TLS to the bridge");
ABSL_FLAG(std::string, bridge_ca, "", "CA that signed the bridge's certificate (enables TLS)");
ABSL_FLAG(std::string, pasv_address, "", "IPv4 address advertised in PASV replies (NAT, containers)");
ABSL_FLAG(std::string, pasv_ports, "40000-40999", "passive port range LOW-HIGH");
ABSL_FLAG(bool, require_tls_login, false, "refuse USER/PASS before AUTH TLS");
ABSL_FLAG(bool, require_prot_p, false, "refuse data connections without PROT P");
ABSL_FLAG(bool, require_tls_reuse, true, "data TLS must resume the control connection's session");
ABSL_FLAG(bool, strict_tls_eof, true, "a TLS upload must end with close_notify to count as complete");
ABSL_FLAG(bool, allow_ccc, true, "allow CCC (clear control connection)");
ABSL_FLAG(bool, pasv_same_ip, true, "accept passive data connections only from the client's address");
ABSL_FLAG(int, max_line, 4096, "longest command line in bytes");
ABSL_FLAG(int, max_login_failures, 3, "failed logins before the connection is closed");
ABSL_FLAG(int, login_failure_delay_ms, 1000, "delay after a failed login");
ABSL_FLAG(int, idle_timeout, 300, "seconds a control connection may stay idle");
ABSL_FLAG(int, data_connect_timeout, 30, "seconds to wait for a data connection");
ABSL_FLAG(int, max_idle_timeout, 7200, "most seconds a client may set with SITE IDLE (at least 30)");
ABSL_FLAG(int, data_idle_timeout, 120, "seconds a data connection may stall");
ABSL_FLAG(int, max_sessions, 500, "concurrent control connections");
ABSL_FLAG(int, max_sessions_per_ip, 50, "concurrent control connections per client address");
ABSL_FLAG(int, buffer_size, static_cast<int>(gw::rt::kChunkSize), "bytes per data chunk sent to the bridge");
ABSL_FLAG(int, threads, 2, "worker threads");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");
ABSL_FLAG(std::string, banner, "FTP-FTAM gateway ready", "text of the 220 greeting");

namespace {
namespace asio = boost::asio;
using asio::ip::tcp;


tcp::acceptor Listen(asio::io_context& io, const std::string& where) {
  tcp::endpoint ep = gw::rt::ParseEndpoint(where);
  tcp::acceptor acc(io);
  acc.open(ep.protocol());
  acc.set_option(tcp::acceptor::reuse_address(true));
  acc.bind(ep);
  acc.listen(128);
  return acc;
}
}  // namespace

int main(int argc, char** argv) {
  gw::rt::TuneHeap();
  auto args = gw::rt::ParseFlags(argc, argv, "FTP_FRONT_",
                                 "the gateway's FTP/FTPS edge.\n"
                                 "  ftp-front [--listen 127.0.0.1:2121] [--implicit_listen 127.0.0.1:2990]\n"
                                 "            [--bridge 127.0.0.1:50051] [--tls_cert F --tls_key F]\n"
                                 "Every flag can also be set as FTP_FRONT_<FLAG> in the environment.");
  if (!args.empty()) {
    std::fprintf(stderr, "ftp-front: unexpected argument %s (see --help)\n", args[0].c_str());
    return 2;
  }
  gw::log::SetProcess("ftp-front");
  gw::log::Level level;
  if (gw::log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) gw::log::SetLevel(level);

  auto shared = std::make_shared<gw::ftp::ServerShared>();
  auto& c = shared->config;
  c.listen = absl::GetFlag(FLAGS_listen);
  c.implicit_listen = absl::GetFlag(FLAGS_implicit_listen);
  c.bridge = absl::GetFlag(FLAGS_bridge);
  if (auto target = gw::rt::ChannelTarget(c.bridge); !target.ok()) {
    std::fprintf(stderr, "ftp-front: --bridge: %s\n", std::string(target.status().message()).c_str());
    return 2;
  }
  c.cert_file = absl::GetFlag(FLAGS_tls_cert);
  c.key_file = absl::GetFlag(FLAGS_tls_key);
  c.pasv_address = absl::GetFlag(FLAGS_pasv_address);
  {
    std::string r = absl::GetFlag(FLAGS_pasv_ports);
    unsigned lo = 0, hi = 0;
    if (std::sscanf(r.c_str(), "%u-%u", &lo, &hi) != 2 || lo < 1024 || hi > 65535 || lo > hi) {
      std::fprintf(stderr, "ftp-front: --pasv_ports must be LOW-HIGH within 1024-65535\n");
      return 2;
    }
    c.pasv_min = static_cast<uint16_t>(lo);
    c.pasv_max = static_cast<uint16_t>(hi);
  }
  c.require_tls_login = absl::GetFlag(FLAGS_require_tls_login);
  c.require_prot_p = absl::GetFlag(FLAGS_require_prot_p);
  c.require_tls_reuse = absl::GetFlag(FLAGS_require_tls_reuse);
  c.strict_tls_eof = absl::GetFlag(FLAGS_strict_tls_eof);
  c.allow_ccc = absl::GetFlag(FLAGS_allow_ccc);
  c.pasv_same_ip = absl::GetFlag(FLAGS_pasv_same_ip);
  c.max_line = static_cast<std::size_t>(std::max(64, absl::GetFlag(FLAGS_max_line)));
  c.max_login_failures = std::max(1, absl::GetFlag(FLAGS_max_login_failures));
  c.login_failure_delay = std::chrono::milliseconds(std::max(0, absl::GetFlag(FLAGS_login_failure_delay_ms)));
  c.idle_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_idle_timeout)));
  c.max_idle_timeout = std::chrono::seconds(std::max(30, absl::GetFlag(FLAGS_max_idle_timeout)));
  c.data_connect_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_data_connect_timeout)));
  c.data_idle_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_data_idle_timeout)));
  c.max_sessions = static_cast<std::size_t>(std::max(1, absl::GetFlag(FLAGS_max_sessions)));
  c.max_sessions_per_ip = static_cast<std::size_t>(std::max(1, absl::GetFlag(FLAGS_max_sessions_per_ip)));
  c.buffer_size = static_cast<std::size_t>(std::clamp(absl::GetFlag(FLAGS_buffer_size), 4096, 4 << 20));
  c.banner = absl::GetFlag(FLAGS_banner);

  if (c.cert_file.empty() != c.key_file.empty()) {
    std::fprintf(stderr, "ftp-front: --tls_cert and --tls_key go together\n");
    return 2;
  }
  if (!c.cert_file.empty()) {
    try {
      shared->tls = gw::ftp::MakeServerTlsContext(c.cert_file, c.key_file);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ftp-front: %s\n", e.what());
      return 2;
    }
  }
  gw::rt::GrpcTls bridge_tls{absl::GetFlag(FLAGS_bridge_cert), absl::GetFlag(FLAGS_bridge_key),
                             absl::GetFlag(FLAGS_bridge_ca)};
  shared->stub = std::make_unique<gw::rt::SessionStub>(gw::rt::MakeChannel(c.bridge, bridge_tls));

  auto& m = gw::metrics::Registry::Global();
  m.Describe("gw_ftp_sessions_active", "gauge", "FTP control connections open now.");
  m.Describe("gw_ftp_sessions_total", "counter", "FTP control connections accepted.");
  m.Describe("gw_ftp_commands_total", "counter", "FTP commands received, by verb.");
  m.Describe("gw_ftp_bytes_total", "counter", "File bytes over FTP data connections.");
  m.Describe("gw_ftp_transfers_total", "counter", "File transfers by direction and result.");
  m.Describe("gw_ftp_logins_total", "counter", "Logins by result.");
  m.Set("gw_ftp_sessions_active", {}, 0);

  asio::io_context io;
  auto limits = std::make_shared<gw::ftp::SessionLimits>(c.max_sessions, c.max_sessions_per_ip);
  try {
    asio::co_spawn(io, gw::ftp::AcceptLoop(Listen(io, c.listen), shared, limits, false), asio::detached);
    if (!c.implicit_listen.empty()) {
      if (!shared->tls) {
        std::fprintf(stderr, "ftp-front: implicit FTPS needs --tls_cert/--tls_key (or --implicit_listen=)\n");
        return 2;
      }
      asio::co_spawn(io, gw::ftp::AcceptLoop(Listen(io, c.implicit_listen), shared, limits, true), asio::detached);
    }
    if (!absl::GetFlag(FLAGS_metrics_listen).empty())
      asio::co_spawn(io, gw::metrics::ServeHttp(Listen(io, absl::GetFlag(FLAGS_metrics_listen))), asio::detached);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ftp-front: cannot listen: %s\n", e.what());
    return 1;
  }

  std::unique_ptr<gw::ftp::client::OutboundService> outbound;
  std::unique_ptr<grpc::Server> grpc_server;
  if (!absl::GetFlag(FLAGS_grpc_listen).empty()) {
    gw::rt::EnableHealthAndReflection();
    gw::ftp::client::OutboundConfig oc;
    oc.connect_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_outbound_connect_timeout)));
    oc.reply_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_outbound_reply_timeout)));
    oc.data_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_outbound_data_timeout)));
    oc.max_sessions = static_cast<std::size_t>(std::max(1, absl::GetFlag(FLAGS_outbound_max_sessions)));
    oc.chunk_size = c.buffer_size;
    outbound = std::make_unique<gw::ftp::client::OutboundService>(io, oc);
    gw::rt::GrpcTls grpc_tls{absl::GetFlag(FLAGS_grpc_cert), absl::GetFlag(FLAGS_grpc_key),
                             absl::GetFlag(FLAGS_grpc_ca)};
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort(absl::GetFlag(FLAGS_grpc_listen), gw::rt::ServerCredentials(grpc_tls), &port);
    builder.SetMaxReceiveMessageSize(8 << 20);
    gw::rt::SetStreamWindow(builder);
    builder.RegisterService(outbound.get());
    grpc_server = builder.BuildAndStart();
    if (!grpc_server || port == 0) {
      std::fprintf(stderr, "ftp-front: cannot listen on %s\n", absl::GetFlag(FLAGS_grpc_listen).c_str());
      return 1;
    }
  }

  gw::log::Info("ftp_front.start", {{"listen", c.listen}, {"implicit_listen", c.implicit_listen},
                                    {"bridge", c.bridge}, {"ftps", shared->tls ? "on" : "off"}});
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    gw::log::Info("ftp_front.stop", {{"signal", sig}});
    io.stop();
  });
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::thread> workers;
  for (int i = 1; i < std::max(1, absl::GetFlag(FLAGS_threads)); ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : workers) t.join();
  std::fflush(nullptr);
  std::_Exit(0);
}
