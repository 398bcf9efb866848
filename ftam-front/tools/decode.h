// `ftam-front decode`: prints every PDU of RFC 1006 traffic at each layer, one line per
// PDU (TPDU, SPDU, PPDU, APDU, FTAM PDU, data value), or a tree with -v.
#pragma once

#include <istream>
#include <ostream>
#include <string>

namespace gw::tools {

struct DecodeOptions {
  std::string input;     // capture file (pcap/pcapng), or "-" for a raw RFC 1006 stream on stdin
  bool verbose = false;  // full trees
};

// Returns the process exit status: 0 when everything decoded, 1 when some PDU did not,
// 2 when the input could not be read.
int RunDecode(const DecodeOptions& opts, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace gw::tools
