#include "tools/decode.h"

#include <cctype>
#include <iterator>
#include <memory>
#include <vector>

#include "tools/decode_printer.h"
#include "tools/pcap.h"
#include "tools/stack_decoder.h"

namespace gw::tools {
namespace {

// Every RFC 1006 stream starts with a TPKT header: version 3, a reserved zero octet
// (RFC 1006 §6). Other TCP traffic in the same capture (FTP, HTTP, ...) is recognised by
// its first octets and left alone.
bool StartsLikeTpkt(Bytes data) { return data[0] == 3 && (data.size() < 2 || data[1] == 0); }

// The first octets of a stream, printable, for the one line that says it is not ours.
std::string Preview(Bytes data) {
  std::string s;
  for (size_t i = 0; i < data.size() && i < 16; ++i) {
    char c = static_cast<char>(data[i]);
    if (c == '\r' || c == '\n') break;
    s += std::isprint(static_cast<unsigned char>(c)) ? c : '.';
  }
  return s;
}

// One TCP connection of a capture: decoded through every layer while it speaks RFC 1006,
// skipped (with one line saying so) when its first payload is not a TPKT.
struct Connection {
  size_t number;
  std::unique_ptr<DecodePrinter> printer;
  std::unique_ptr<StackDecoder> decoder;
  bool seen_data = false, skipped = false;

  void Feed(std::ostream& out, int dir, Bytes data) {
    if (skipped || data.empty()) return;
    if (!seen_data && !StartsLikeTpkt(data)) {
      skipped = true;
      out << "connection " << number << ": not RFC 1006 (starts with \"" << Preview(data)
          << "\"), skipped\n";
      return;
    }
    seen_data = true;
    decoder->Feed(dir, data);
  }
};

int DecodeStream(const DecodeOptions& opts, std::istream& in, std::ostream& out) {
  std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{});
  if (!bytes.empty() && !StartsLikeTpkt(bytes)) {
    out << "input is not RFC 1006 (starts with \"" << Preview(bytes) << "\")\n";
    return 1;
  }
  DecodePrinter printer(out, opts.verbose, /*directions=*/false);
  StackDecoder decoder(&printer);
  decoder.Feed(0, bytes);
  if (decoder.buffered(0)) {
    printer.OnError(0, "TPKT", absl::InvalidArgumentError("truncated packet at end of input"));
  }
  out << printer.pdus() << " PDUs, " << printer.errors() << " errors\n";
  return printer.errors() ? 1 : 0;
}

}  // namespace

int RunDecode(const DecodeOptions& opts, std::istream& in, std::ostream& out, std::ostream& err) {
  if (opts.input == "-") return DecodeStream(opts, in, out);  // a raw RFC 1006 stream, one direction

  auto packets = ReadCaptureFile(opts.input);
  if (!packets.ok()) {
    err << "ftam-front decode: " << packets.status().message() << "\n";
    return 2;
  }
  std::vector<std::unique_ptr<Connection>> conns;
  ReassembleCapture(*packets, [&](const std::string& name) {
    out << "connection " << conns.size() + 1 << ": " << name << "\n";
    auto c = std::make_unique<Connection>();
    c->number = conns.size() + 1;
    c->printer = std::make_unique<DecodePrinter>(out, opts.verbose);
    c->decoder = std::make_unique<StackDecoder>(c->printer.get());
    Connection* raw = c.get();
    conns.push_back(std::move(c));
    return [raw, &out](int dir, Bytes data) { raw->Feed(out, dir, data); };
  });
  size_t pdus = 0, errors = 0, skipped = 0;
  for (const auto& c : conns) {
    pdus += c->printer->pdus();
    errors += c->printer->errors();
    skipped += c->skipped;
  }
  out << pdus << " PDUs, " << errors << " errors";
  if (skipped) out << ", " << skipped << (skipped == 1 ? " connection" : " connections") << " not RFC 1006";
  out << "\n";
  return errors ? 1 : 0;
}

}  // namespace gw::tools
