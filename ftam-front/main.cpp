// ftam-front: the OSI/FTAM edge of the gateway. For now it offers the operator's decode
// tool; the FileService server is wired in here later.
#include <cstring>
#include <iostream>
#include <string>

#include "tools/decode.h"

namespace {

constexpr const char* kUsage =
    "Usage: ftam-front <command> [options]\n"
    "\n"
    "Commands:\n"
    "  decode [-v] FILE   Decode RFC 1006 (ISO transport over TCP) traffic through every\n"
    "                     layer: TPDU, SPDU, PPDU, ACSE APDU, FTAM PDU and file data.\n"
    "                     FILE is a pcap or pcapng capture (any TCP port), or '-' for a\n"
    "                     raw RFC 1006 byte stream on standard input.\n"
    "                     -v prints every FTAM PDU as a tree.\n"
    "\n"
    "Options:\n"
    "  -h, --help         Show this help.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  if (cmd == "decode") {
    gw::tools::DecodeOptions opts;
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "-v" || a == "--verbose") opts.verbose = true;
      else if (a == "-h" || a == "--help") {
        std::cout << kUsage;
        return 0;
      } else if (opts.input.empty()) opts.input = a;
      else {
        std::cerr << "ftam-front decode: unexpected argument " << a << "\n";
        return 2;
      }
    }
    if (opts.input.empty()) {
      std::cerr << "ftam-front decode: missing FILE (or '-')\n" << kUsage;
      return 2;
    }
    return gw::tools::RunDecode(opts, std::cin, std::cout, std::cerr);
  }
  std::cerr << "ftam-front: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}
