#include "tools/decode.h"

#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "tools/decode_printer.h"
#include "tools/pcap.h"
#include "tools/stack_decoder.h"

namespace gw::tools {

int RunDecode(const DecodeOptions& opts, std::istream& in, std::ostream& out, std::ostream& err) {
  std::vector<uint8_t> bytes;
  if (opts.input == "-") {
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    std::ifstream f(opts.input, std::ios::binary);
    if (!f) {
      err << "ftam-front decode: cannot open " << opts.input << "\n";
      return 2;
    }
    bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }

  if (opts.input == "-") {  // a raw RFC 1006 stream, one direction
    DecodePrinter printer(out, opts.verbose, /*directions=*/false);
    StackDecoder decoder(&printer);
    decoder.Feed(0, bytes);
    if (decoder.buffered(0)) {
      printer.OnError(0, "TPKT", absl::InvalidArgumentError("truncated packet at end of input"));
    }
    out << printer.pdus() << " PDUs, " << printer.errors() << " errors\n";
    return printer.errors() ? 1 : 0;
  }

  auto packets = ReadCapture(bytes);
  if (!packets.ok()) {
    err << "ftam-front decode: " << packets.status().message() << "\n";
    return 2;
  }
  struct Conn {
    std::unique_ptr<DecodePrinter> printer;
    std::unique_ptr<StackDecoder> decoder;
  };
  std::vector<std::unique_ptr<Conn>> conns;
  ReassembleCapture(*packets, [&](const std::string& name) {
    out << "connection " << conns.size() + 1 << ": " << name << "\n";
    auto c = std::make_unique<Conn>();
    c->printer = std::make_unique<DecodePrinter>(out, opts.verbose);
    c->decoder = std::make_unique<StackDecoder>(c->printer.get());
    StackDecoder* d = c->decoder.get();
    conns.push_back(std::move(c));
    return [d](int dir, Bytes data) { d->Feed(dir, data); };
  });
  size_t pdus = 0, errors = 0;
  for (const auto& c : conns) {
    pdus += c->printer->pdus();
    errors += c->printer->errors();
  }
  out << pdus << " PDUs, " << errors << " errors\n";
  return errors ? 1 : 0;
}

}  // namespace gw::tools
