// ftam-front: the OSI/FTAM edge of the gateway. With no command it serves: RFC 1006
// connections from FTAM initiators (the responder role) become sessions on the bridge, and
// the bridge's ftam:// legs become associations with FTAM responders (the initiator role,
// the FileService on --grpc_listen).
// `ftam-front decode` is the operator's decoder. Only wiring here.

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "ftam/initiator/outbound_service.h"
#include "ftam/responder/listener.h"
#include "runtime/flags_env.h"
#include "runtime/grpc_server.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/util.h"
#include "tools/decode.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:1102", "RFC 1006 address FTAM initiators connect to (102 is the standard port)");
ABSL_FLAG(std::string, bridge, "127.0.0.1:50051", "the bridge's gRPC address");
ABSL_FLAG(std::string, bridge_cert, "", "client certificate for mutual TLS to the bridge");
ABSL_FLAG(std::string, bridge_key, "", "client key for mutual TLS to the bridge");
ABSL_FLAG(std::string, bridge_ca, "", "CA that signed the bridge's certificate (enables TLS)");
ABSL_FLAG(std::string, grpc_listen, "127.0.0.1:50053",
          "gRPC address: the FileService of ftam:// legs (for the bridge), health, reflection; empty disables");
ABSL_FLAG(std::string, grpc_cert, "", "server certificate (PEM) of the gRPC port: enables TLS");
ABSL_FLAG(std::string, grpc_key, "", "server private key (PEM) of the gRPC port");
ABSL_FLAG(std::string, grpc_ca, "", "CA for client certificates on the gRPC port: enables mutual TLS");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9466", "Prometheus /metrics and /healthz address; empty disables");
ABSL_FLAG(int, max_associations, 500, "concurrent associations");
ABSL_FLAG(int, max_associations_per_ip, 50, "concurrent associations per initiator address");
ABSL_FLAG(int, association_timeout, 30, "seconds from connection to F-INITIALIZE");
ABSL_FLAG(int, idle_timeout, 300, "seconds an association may stay idle between requests");
ABSL_FLAG(int, data_timeout, 120, "seconds a transfer may stall");
ABSL_FLAG(int, max_tpdu, 65531, "largest TPDU accepted, in octets (the initiator's request is lowered to it)");
ABSL_FLAG(int, max_tsdu, 16 << 20, "largest reassembled TSDU or SSDU, in octets (one FTAM PDU or P-DATA)");
ABSL_FLAG(int, max_depth, 32, "deepest nesting of BER elements accepted");
ABSL_FLAG(int, max_value, 32768, "largest document value sent, in octets");
ABSL_FLAG(std::string, tsel, "", "serve only this called transport selector (hex, e.g. 0103); empty: any");
ABSL_FLAG(int, outbound_connect_timeout, 15, "ftam:// legs: seconds to connect and initialize an association");
ABSL_FLAG(int, outbound_reply_timeout, 60, "ftam:// legs: seconds to wait for each confirm");
ABSL_FLAG(int, outbound_data_timeout, 120, "ftam:// legs: seconds a transfer may stall");
ABSL_FLAG(int, outbound_max_sessions, 500, "ftam:// legs (associations with responders) open at once");
ABSL_FLAG(bool, outbound_old_nbs9, true,
          "ftam:// legs: propose the old NBS-9 directory syntax (1.3.9999.1.2.2) too, as ISODE's initiator does");
ABSL_FLAG(int, threads, 2, "worker threads");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

namespace {
namespace asio = boost::asio;

constexpr const char* kUsage =
    "ftam-front: the gateway's OSI/FTAM edge.\n"
    "  ftam-front [--listen 127.0.0.1:1102] [--bridge 127.0.0.1:50051]   serve FTAM initiators\n"
    "  ftam-front decode [-v] FILE   decode RFC 1006 traffic through every layer: TPDU, SPDU,\n"
    "                                PPDU, ACSE APDU, FTAM PDU and file data; FILE is a pcap or\n"
    "                                pcapng capture (any TCP port), or '-' for a raw RFC 1006\n"
    "                                byte stream on standard input; -v prints PDUs as trees.\n"
    "Every flag can also be set as FTAM_FRONT_<FLAG> in the environment.";

int Decode(int argc, char** argv) {
  gw::tools::DecodeOptions opts;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-v" || a == "--verbose") opts.verbose = true;
    else if (a == "-h" || a == "--help") {
      std::cout << kUsage << "\n";
      return 0;
    } else if (opts.input.empty()) opts.input = a;
    else {
      std::cerr << "ftam-front decode: unexpected argument " << a << "\n";
      return 2;
    }
  }
  if (opts.input.empty()) {
    std::cerr << "ftam-front decode: missing FILE (or '-')\n" << kUsage << "\n";
    return 2;
  }
  return gw::tools::RunDecode(opts, std::cin, std::cout, std::cerr);
}

std::optional<std::string> HexBytes(const std::string& hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    char* end = nullptr;
    std::string byte = hex.substr(i, 2);
    long v = std::strtol(byte.c_str(), &end, 16);
    if (*end) return std::nullopt;
    out += static_cast<char>(v);
  }
  return out;
}

asio::ip::tcp::acceptor Listen(asio::io_context& io, const std::string& where) {
  asio::ip::tcp::endpoint ep = gw::rt::ParseEndpoint(where);
  asio::ip::tcp::acceptor acc(io);
  acc.open(ep.protocol());
  acc.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acc.bind(ep);
  acc.listen(128);
  return acc;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && !std::strcmp(argv[1], "decode")) return Decode(argc, argv);
  gw::rt::TuneHeap();
  auto args = gw::rt::ParseFlags(argc, argv, "FTAM_FRONT_", kUsage);
  if (!args.empty()) {
    std::fprintf(stderr, "ftam-front: unknown command %s (see --help)\n", args[0].c_str());
    return 2;
  }
  gw::log::SetProcess("ftam-front");
  gw::log::Level level;
  if (gw::log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) gw::log::SetLevel(level);

  auto shared = std::make_shared<gw::ftam::responder::ServiceShared>();
  auto& c = shared->config;
  c.association_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_association_timeout)));
  c.idle_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_idle_timeout)));
  c.data_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_data_timeout)));
  c.max_tpdu = static_cast<size_t>(std::clamp(absl::GetFlag(FLAGS_max_tpdu), 128, 65531));
  c.max_tsdu = static_cast<size_t>(std::max(4096, absl::GetFlag(FLAGS_max_tsdu)));
  c.max_value = static_cast<size_t>(std::clamp(absl::GetFlag(FLAGS_max_value), 64, 1 << 20));
  c.ber.max_depth = static_cast<uint32_t>(std::clamp(absl::GetFlag(FLAGS_max_depth), 4, 256));
  c.ber.max_element = c.max_tsdu;
  c.ber.max_string = c.max_tsdu;
  if (!absl::GetFlag(FLAGS_tsel).empty()) {
    c.required_tsel = HexBytes(absl::GetFlag(FLAGS_tsel));
    if (!c.required_tsel) {
      std::fprintf(stderr, "ftam-front: --tsel must be hex digits, e.g. 0103\n");
      return 2;
    }
  }
  shared->max_associations = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_max_associations)));
  shared->max_per_address = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_max_associations_per_ip)));
  gw::rt::GrpcTls bridge_tls{absl::GetFlag(FLAGS_bridge_cert), absl::GetFlag(FLAGS_bridge_key),
                             absl::GetFlag(FLAGS_bridge_ca)};
  shared->bridge = std::make_unique<gw::rt::SessionStub>(gw::rt::MakeChannel(absl::GetFlag(FLAGS_bridge), bridge_tls));

  auto& m = gw::metrics::Registry::Global();
  m.Describe("gw_ftam_associations_active", "gauge", "FTAM associations open now.");
  m.Describe("gw_ftam_associations_total", "counter", "FTAM associations by outcome (accepted, refused, limit).");
  m.Describe("gw_ftam_pdus_total", "counter", "FTAM PDUs by type and direction.");
  m.Describe("gw_ftam_bytes_total", "counter", "File bytes carried in FTAM data values, by direction.");
  m.Describe("gw_ftam_diagnostics_total", "counter", "FTAM diagnostics sent, by error identifier.");
  m.Describe("gw_ftam_outbound_sessions_active", "gauge", "ftam:// legs (initiated associations) open now.");
  m.Describe("gw_ftam_outbound_sessions_total", "counter", "ftam:// legs opened.");
  m.Set("gw_ftam_associations_active", {}, 0);
  m.Set("gw_ftam_outbound_sessions_active", {}, 0);

  asio::io_context io;
  try {
    asio::co_spawn(io, gw::ftam::responder::AcceptLoop(Listen(io, absl::GetFlag(FLAGS_listen)), shared), asio::detached);
    if (!absl::GetFlag(FLAGS_metrics_listen).empty())
      asio::co_spawn(io, gw::metrics::ServeHttp(Listen(io, absl::GetFlag(FLAGS_metrics_listen))), asio::detached);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ftam-front: cannot listen: %s\n", e.what());
    return 1;
  }
  std::unique_ptr<gw::ftam::initiator::OutboundService> outbound;
  std::unique_ptr<grpc::Server> grpc_server;
  if (!absl::GetFlag(FLAGS_grpc_listen).empty()) {
    gw::rt::EnableHealthAndReflection();
    gw::rt::GrpcTls grpc_tls{absl::GetFlag(FLAGS_grpc_cert), absl::GetFlag(FLAGS_grpc_key), absl::GetFlag(FLAGS_grpc_ca)};
    gw::ftam::initiator::OutboundConfig oc;
    oc.connect_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_outbound_connect_timeout)));
    oc.reply_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_outbound_reply_timeout)));
    oc.data_timeout = std::chrono::seconds(std::max(1, absl::GetFlag(FLAGS_outbound_data_timeout)));
    oc.max_sessions = static_cast<std::size_t>(std::max(1, absl::GetFlag(FLAGS_outbound_max_sessions)));
    oc.max_tpdu = c.max_tpdu;
    oc.propose_old_nbs9 = absl::GetFlag(FLAGS_outbound_old_nbs9);
    outbound = std::make_unique<gw::ftam::initiator::OutboundService>(io, oc);
    grpc::ServerBuilder builder;
    builder.RegisterService(outbound.get());
    int port = 0;
    builder.AddListeningPort(absl::GetFlag(FLAGS_grpc_listen), gw::rt::ServerCredentials(grpc_tls), &port);
    grpc_server = builder.BuildAndStart();
    if (!grpc_server || port == 0) {
      std::fprintf(stderr, "ftam-front: cannot listen on %s\n", absl::GetFlag(FLAGS_grpc_listen).c_str());
      return 1;
    }
  }
  gw::log::Info("ftam_front.start", {{"listen", absl::GetFlag(FLAGS_listen)}, {"bridge", absl::GetFlag(FLAGS_bridge)}});
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    gw::log::Info("ftam_front.stop", {{"signal", sig}});
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
