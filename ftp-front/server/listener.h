// Accept loops for the FTP and implicit-FTPS ports, with session limits.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/session.h"

namespace gw::ftp {

class SessionLimits {
 public:
  SessionLimits(std::size_t max_total, std::size_t max_per_ip) : max_total_(max_total), max_per_ip_(max_per_ip) {}
  // Returns "" if admitted, else the reason.
  std::string Admit(const std::string& ip);
  void Release(const std::string& ip);

 private:
  std::mutex mu_;
  std::size_t max_total_, max_per_ip_, total_ = 0;
  std::map<std::string, std::size_t> per_ip_;
};

asio::awaitable<void> AcceptLoop(asio::ip::tcp::acceptor acceptor, std::shared_ptr<ServerShared> shared,
                                 std::shared_ptr<SessionLimits> limits, bool implicit_tls);

}  // namespace gw::ftp
