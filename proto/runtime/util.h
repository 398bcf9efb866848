// Small helpers every process uses.
#pragma once

#include <cstddef>
#include <string>

#include <boost/asio/ip/tcp.hpp>

namespace gw::rt {

// `bytes` random bytes as lower-case hex (session ids).
std::string RandomHex(std::size_t bytes);

// "host:port" or "[v6]:port" to an endpoint; throws std::runtime_error if malformed.
boost::asio::ip::tcp::endpoint ParseEndpoint(const std::string& hostport);

}  // namespace gw::rt
