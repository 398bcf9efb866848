// libFuzzer target: the whole receive path of one association. The input is a sequence
// of chunks (1 octet: direction in bit 7, length in the rest; then the bytes), fed to the
// stack decoder as two TCP directions, rendered by the decode tool's printer.
#include <ostream>
#include <streambuf>

#include "tools/decode_printer.h"
#include "tools/stack_decoder.h"

using namespace gw;

namespace {
// Where the rendering goes: everything is formatted as for the decode tool, then dropped
// (an ostringstream would regrow to tens of kilobytes per input for text nobody reads).
class Discard : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Discard sink;
  static std::ostream os(&sink);
  tools::DecodePrinter printer(os, /*verbose=*/true);
  tools::StackDecoder decoder(&printer, 1 << 16);
  osi::Bytes in(data, size);
  while (!in.empty()) {
    int dir = in[0] >> 7;
    size_t n = std::min<size_t>((in[0] & 0x7f) * 16 + 1, in.size() - 1);
    decoder.Feed(dir, in.subspan(1, n));
    in = in.subspan(1 + n);
  }
  return 0;
}
