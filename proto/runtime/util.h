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

// The heap settings of every process that carries data, called first in main():
// - Data chunks (up to 1 MiB) stay on the heap instead of a fresh mmap, and page faults,
//   per chunk; memory stays bounded by the number of chunks in flight.
// - One malloc arena (glibc's default is eight per core). Buffers are allocated on gRPC's
//   threads and on the I/O thread, and each arena kept its own freed chunks. Peak RSS
//   growth of ftp-front, 1 GiB relayed through it (tests/bench, relay, plain): RETR
//   18.6-18.8 MiB with the default, 12.5-15.1 with two arenas, 2.3-9.0 with one; STOR
//   12.5-16.0 with two, 8.4-11.1 with one. Neither the single transfers nor 100 at once
//   were slower with one (the small allocations stay in each thread's cache).
//   MALLOC_ARENA_MAX in the environment still decides if set.
void TuneHeap();

}  // namespace gw::rt
