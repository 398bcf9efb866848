// ftp-front's server-role settings: every one is a flag with an environment equivalent.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "runtime/chunk_wire.h"

namespace gw::ftp {

struct ServerConfig {
  std::string listen = "127.0.0.1:2121";           // plain FTP + explicit FTPS
  std::string implicit_listen = "127.0.0.1:2990";  // implicit FTPS; empty disables
  std::string bridge = "127.0.0.1:50051";
  std::string cert_file, key_file;                 // TLS; without them FTPS is off
  std::string pasv_address;                        // advertised in 227; default: the control socket's local address
  uint16_t pasv_min = 40000, pasv_max = 40999;
  bool require_tls_login = false;                  // USER/PASS only after AUTH
  bool require_prot_p = false;                     // data only with PROT P
  bool require_tls_reuse = true;                   // data TLS must resume the control session
  bool strict_tls_eof = true;                      // a TLS upload must end with close_notify
  bool allow_ccc = true;
  bool pasv_same_ip = true;                        // only the client's own address may connect to a passive port
  std::size_t max_line = 4096;
  int max_login_failures = 3;
  std::chrono::milliseconds login_failure_delay{1000};
  std::chrono::seconds idle_timeout{300};
  std::chrono::seconds min_idle_timeout{30}, max_idle_timeout{7200};  // bounds of SITE IDLE
  std::chrono::seconds data_connect_timeout{30};
  std::chrono::seconds data_idle_timeout{120};
  std::chrono::seconds tls_handshake_timeout{20};
  std::size_t max_sessions = 500;
  std::size_t max_sessions_per_ip = 50;
  std::size_t buffer_size = rt::kChunkSize;        // bytes per data chunk sent to the bridge
  std::string banner = "FTP-FTAM gateway ready";
};

}  // namespace gw::ftp
