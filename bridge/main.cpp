// bridge: serves the neutral FileService to the fronts and to scripts, holds session state,
// routes sessions to destinations. Only wiring here.

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <string>
#include <tuple>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "filestore/filestore.h"
#include "route/route_table.h"
#include "runtime/chunk_wire.h"
#include "runtime/flags_env.h"
#include "runtime/grpc_server.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/util.h"
#include "session/service.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "gRPC listen address (host:port)");
ABSL_FLAG(std::string, routes, "", "YAML route table (required)");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9464",
          "Prometheus /metrics and /healthz HTTP address; empty to disable");
ABSL_FLAG(int, threads, 2, "worker threads");
ABSL_FLAG(std::string, grpc_cert, "", "server certificate (PEM): enables TLS on the gRPC port");
ABSL_FLAG(std::string, grpc_key, "", "server private key (PEM)");
ABSL_FLAG(std::string, grpc_ca, "", "CA for client certificates (PEM): enables mutual TLS");
ABSL_FLAG(int, max_sessions, 1000, "maximum concurrent sessions");
ABSL_FLAG(int, sweep_temporaries_after, 3600,
          "at start, remove hidden upload temporaries in file:// filestores untouched for this many "
          "seconds (left by a stopped bridge); 0 disables");
ABSL_FLAG(std::string, ftp_front, "127.0.0.1:50052",
          "ftp-front's gRPC address, where legs to ftp/ftps destinations are opened, spread "
          "round-robin over several ftp-fronts named as a list of IP:PORT or one DNS name; empty: none");
ABSL_FLAG(std::string, ftam_front, "127.0.0.1:50053",
          "gRPC address of ftam-front, which serves ftam:// destinations (its initiator role); the same "
          "forms as --ftp_front; empty: none");
ABSL_FLAG(std::string, front_cert, "", "client certificate (PEM) for mutual TLS to the fronts");
ABSL_FLAG(std::string, front_key, "", "client key (PEM) for mutual TLS to the fronts");
ABSL_FLAG(std::string, front_ca, "", "CA that signed the fronts' certificates (PEM): enables TLS to them");
ABSL_FLAG(int, chunk_size, static_cast<int>(gw::rt::kChunkSize), "bytes per data chunk on the session stream");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

namespace {
namespace asio = boost::asio;


int HashPassword() {
  std::string password;
  std::getline(std::cin, password);
  std::printf("%s\n", gw::route::HashPassword(password).c_str());
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  gw::rt::TuneHeap();
  auto args = gw::rt::ParseFlags(
      argc, argv, "BRIDGE_",
      "the gateway's core. Serves gateway.v1.FileService.\n"
      "  bridge --routes routes.yaml [--listen 127.0.0.1:50051]\n"
      "  bridge hash-password   (reads a password on stdin, prints its hash for routes.yaml)\n"
      "Every flag can also be set as BRIDGE_<FLAG> in the environment.");
  if (!args.empty() && args[0] == "hash-password") return HashPassword();
  if (!args.empty()) {
    std::fprintf(stderr, "bridge: unknown command %s (see --help)\n", args[0].c_str());
    return 2;
  }
  gw::log::SetProcess("bridge");
  gw::log::Level level;
  if (gw::log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) gw::log::SetLevel(level);

  if (absl::GetFlag(FLAGS_routes).empty()) {
    std::fprintf(stderr, "bridge: --routes is required\n");
    return 2;
  }
  auto table = gw::route::RouteTable::FromFile(absl::GetFlag(FLAGS_routes));
  if (!table.ok()) {
    std::fprintf(stderr, "bridge: %s\n", std::string(table.status().message()).c_str());
    return 2;
  }
  auto routes = std::make_shared<const gw::route::RouteTable>(std::move(*table));
  if (int age = absl::GetFlag(FLAGS_sweep_temporaries_after); age > 0) {
    // In the background: a large tree must not delay the start.
    std::thread([routes, age] {
      for (const auto& route : routes->routes()) {
        if (route.destination.scheme != gw::route::Scheme::kFile) continue;
        auto store = gw::filestore::FileStore::Open(route.destination.root);
        if (!store.ok()) continue;
        auto removed = (*store)->SweepTemporaries(std::chrono::seconds(age));
        if (removed.ok() && *removed > 0)
          gw::log::Info("filestore.swept", {{"route", route.name}, {"removed", static_cast<uint64_t>(*removed)}});
      }
    }).detach();
  }

  auto& m = gw::metrics::Registry::Global();
  m.Describe("gw_bridge_sessions_active", "gauge", "Session streams open now.");
  m.Describe("gw_bridge_sessions_total", "counter", "Session streams opened.");
  m.Describe("gw_bridge_bytes_total", "counter", "File bytes moved, by direction.");
  m.Describe("gw_bridge_operations_total", "counter", "Operations by kind and result.");
  m.Describe("gw_bridge_operation_seconds", "histogram", "Operation latency.");
  m.Set("gw_bridge_sessions_active", {}, 0);

  asio::io_context io;
  gw::bridge::ServiceConfig cfg;
  cfg.max_sessions = static_cast<std::size_t>(absl::GetFlag(FLAGS_max_sessions));
  cfg.chunk_size = static_cast<std::size_t>(std::max(4096, absl::GetFlag(FLAGS_chunk_size)));
  gw::bridge::Fronts fronts;
  gw::rt::GrpcTls front_tls{absl::GetFlag(FLAGS_front_cert), absl::GetFlag(FLAGS_front_key),
                            absl::GetFlag(FLAGS_front_ca)};
  for (auto [flag, name, stub] : {std::tuple{absl::GetFlag(FLAGS_ftp_front), "--ftp_front", &fronts.ftp},
                                  std::tuple{absl::GetFlag(FLAGS_ftam_front), "--ftam_front", &fronts.ftam}}) {
    if (flag.empty()) continue;
    if (auto target = gw::rt::ChannelTarget(flag); !target.ok()) {
      std::fprintf(stderr, "bridge: %s: %s\n", name, std::string(target.status().message()).c_str());
      return 2;
    }
    *stub = std::make_unique<gw::rt::SessionStub>(gw::rt::MakeChannel(flag, front_tls));
  }
  gw::bridge::FileServiceImpl service(io, routes, cfg, std::move(fronts));

  gw::rt::EnableHealthAndReflection();
  grpc::ServerBuilder builder;
  gw::rt::GrpcTls tls{absl::GetFlag(FLAGS_grpc_cert), absl::GetFlag(FLAGS_grpc_key),
                      absl::GetFlag(FLAGS_grpc_ca)};
  int bound_port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), gw::rt::ServerCredentials(tls), &bound_port);
  builder.SetMaxReceiveMessageSize(8 << 20);
  gw::rt::SetStreamWindow(builder);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || bound_port == 0) {
    std::fprintf(stderr, "bridge: cannot listen on %s\n", absl::GetFlag(FLAGS_listen).c_str());
    return 1;
  }

  if (!absl::GetFlag(FLAGS_metrics_listen).empty()) {
    try {
      asio::ip::tcp::acceptor acc(io, gw::rt::ParseEndpoint(absl::GetFlag(FLAGS_metrics_listen)));
      asio::co_spawn(io, gw::metrics::ServeHttp(std::move(acc)), asio::detached);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bridge: cannot listen on %s for metrics: %s\n",
                   absl::GetFlag(FLAGS_metrics_listen).c_str(), e.what());
      return 1;
    }
  }

  gw::log::Info("bridge.start", {{"listen", absl::GetFlag(FLAGS_listen)},
                                 {"routes", static_cast<uint64_t>(routes->routes().size())},
                                 {"tls", tls.enabled() ? "on" : "off"}});
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    gw::log::Info("bridge.stop", {{"signal", sig}});
    io.stop();
  });
  auto guard = asio::make_work_guard(io);
  std::vector<std::thread> workers;
  for (int i = 1; i < std::max(1, absl::GetFlag(FLAGS_threads)); ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : workers) t.join();
  // Sessions end with the process: their streams break and every peer sees the failure.
  // An upload in progress stays in its hidden temporary file, never renamed into place.
  std::fflush(nullptr);
  std::_Exit(0);
}
