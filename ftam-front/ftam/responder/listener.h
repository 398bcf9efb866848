// The RFC 1006 listener of the responder role: an accept loop that gives each connection a
// strand of its own, within the configured association limits (total and per address).
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "ftam/responder/responder.h"
#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/session_frames.h"

namespace gw::ftam::responder {

struct ServiceShared {
  Config config;
  size_t max_associations = 500;
  size_t max_per_address = 50;
  std::unique_ptr<rt::SessionStub> bridge;
  std::mutex mu;
  size_t active = 0;
  std::map<std::string, size_t> per_address;
};

boost::asio::awaitable<void> AcceptLoop(boost::asio::ip::tcp::acceptor acceptor, std::shared_ptr<ServiceShared> shared);

}  // namespace gw::ftam::responder
