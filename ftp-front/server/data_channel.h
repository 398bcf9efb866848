// The data connection set up by PASV/EPSV: its acceptor, and the accepted (under PROT P
// already handshaken) connection, delivered once.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "runtime/grpc_asio.h"
#include "server/conn.h"

namespace gw::ftp {

struct PendingData {
  PendingData(asio::ip::tcp::acceptor a) : acceptor(std::move(a)), ready(acceptor.get_executor()) {}
  asio::ip::tcp::acceptor acceptor;
  rt::Event<bool> ready;        // signalled once, when `conn` or `error` is set
  bool delivered = false;
  std::unique_ptr<Conn> conn;
  int error_code = 0;           // FTP reply code for a failure (425, 522)
  std::string error;
};

}  // namespace gw::ftp
