#include "runtime/util.h"

#include <malloc.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <openssl/rand.h>

namespace gw::rt {

void TuneHeap() {
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  if (!std::getenv("MALLOC_ARENA_MAX")) mallopt(M_ARENA_MAX, 1);
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) throw std::runtime_error("no randomness");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

boost::asio::ip::tcp::endpoint ParseEndpoint(const std::string& hostport) {
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos || colon + 1 == hostport.size())
    throw std::runtime_error("address must be HOST:PORT: " + hostport);
  std::string host = hostport.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = std::stoi(hostport.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::runtime_error("port out of range: " + hostport);
  return {boost::asio::ip::make_address(host), static_cast<unsigned short>(port)};
}

}  // namespace gw::rt
