// ftam-front's responder role: one FTAM association, from the transport connection to its
// release or abort, turned into neutral operations on a bridge session (RFC 1415 §8.2 on
// the FTAM side; the bridge routes them to a file:// or FTP destination).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "ftam/responder/bridge_link.h"
#include "osi/association/connection.h"
#include "osi/ber/reader.h"
#include "runtime/chunk_wire.h"

namespace gw::ftam::responder {

struct Config {
  std::chrono::seconds association_timeout{30};  // from TCP accept to F-INITIALIZE
  std::chrono::seconds idle_timeout{300};        // between requests
  std::chrono::seconds data_timeout{120};        // a transfer that stalls (either side)
  std::chrono::seconds release_timeout{5};       // after DN or an abort, for the peer's DR
  size_t max_tpdu = 65531;                       // largest TPDU accepted (RFC 1006 max)
  size_t max_tsdu = 16u << 20;                   // largest reassembled TSDU / SSDU
  size_t max_value = 32768;                      // largest document value sent
  size_t upload_chunk = rt::kChunkSize;          // data sent to the bridge per message
  osi::ber::Limits ber{32, size_t{16} << 20, size_t{16} << 20};
  // When set, only these called selectors are served (hex-decoded); empty: any.
  std::optional<std::string> required_tsel;
};

// Serves one association on `conn`; returns when it has ended (released, aborted, timed
// out or refused). `bridge` is the session this association uses (not yet opened).
boost::asio::awaitable<void> Serve(osi::association::Connection& conn, BridgeLink& bridge, const Config& cfg,
                                   std::string session_id, std::string peer);

}  // namespace gw::ftam::responder
