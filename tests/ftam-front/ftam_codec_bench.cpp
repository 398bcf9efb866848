// Throughput of the FTAM data path through every layer, in both directions:
//   encode: file bytes -> FTAM-1/FTAM-3 data value -> presentation P-DATA (PDV-list,
//           single-ASN1-type) -> session GT+DT -> COTP DT TPDUs in TPKTs, as a gather list
//   decode: TCP byte stream -> TPKT -> DT -> TSDU -> SPDUs -> User-data -> PDV -> value
// Run: ftam_codec_bench [MiB] (default 256). Prints MB/s and copies per payload byte.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "ftam/doctype/data_value.h"
#include "osi/presentation/ppdu.h"
#include "osi/session/spdu.h"
#include "osi/transport/cotp.h"
#include "osi/transport/tpkt.h"
#include "osi/transport/tsdu.h"

using namespace gw;
namespace tp = osi::transport;
namespace ses = osi::session;
namespace pres = osi::presentation;
namespace dt = ftam::doctype;
using Clock = std::chrono::steady_clock;

namespace {

struct Config {
  const char* name;
  uint32_t string_tag;  // 4 OCTET STRING (FTAM-3), 27 GeneralString (FTAM-1)
  int64_t context;
  size_t value_size;    // octets of file data per P-DATA
  size_t tpdu_size;     // negotiated COTP TPDU size
};

// One outgoing P-DATA: the session/presentation headers (tsdu) and the TPKT/DT headers
// (wire) live in their gathers' arenas; wire.pieces() is what a driver hands to writev and
// stays valid as long as this object and the file data do.
struct PData {
  osi::ber::Header value_header;
  osi::Gather tsdu;
  osi::Gather wire;
};

// Builds the gather list of one P-DATA carrying one data value; returns octets on the wire.
size_t EncodePData(const Config& c, osi::Bytes chunk, PData* out) {
  ses::AppendDataHeader(&out->tsdu);
  out->value_header = osi::ber::MakeHeader(osi::ber::Universal(c.string_tag), chunk.size());
  pres::UserData u;
  u.pdvs.push_back(pres::Pdv{std::nullopt, c.context, pres::PdvEncoding::kSingleAsn1Type,
                             {out->value_header.view(), chunk}});
  if (!pres::EncodeUserData(u, &out->tsdu).ok()) std::abort();
  tp::SegmentTsdu(out->tsdu.pieces(), c.tpdu_size, &out->wire);
  return out->wire.size();
}

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

void Run(const Config& c, const std::vector<uint8_t>& file) {
  // --- encode: gather lists only (what a driver hands to writev) ---
  size_t wire = 0, pieces = 0, referenced = 0;
  auto t0 = Clock::now();
  for (size_t off = 0; off < file.size(); off += c.value_size) {
    osi::Bytes chunk(file.data() + off, std::min(c.value_size, file.size() - off));
    PData pd;
    wire += EncodePData(c, chunk, &pd);
    pieces += pd.wire.pieces().size();
    for (auto p : pd.wire.pieces())  // payload bytes are referenced in place, never copied
      if (p.data() >= file.data() && p.data() < file.data() + file.size()) referenced += p.size();
  }
  auto t1 = Clock::now();
  double enc = Seconds(t0, t1);
  if (referenced != file.size()) std::abort();  // every payload byte went out by reference

  // Pre-build the byte stream for the decoder (not timed).
  std::vector<uint8_t> stream;
  stream.reserve(wire);
  for (size_t off = 0; off < file.size(); off += c.value_size) {
    osi::Bytes chunk(file.data() + off, std::min(c.value_size, file.size() - off));
    PData pd;
    EncodePData(c, chunk, &pd);
    pd.wire.AppendTo(&stream);
  }

  // --- decode: the receive path of an engine, layer by layer ---
  size_t payload = 0, reassembly_copies = 0;
  uint64_t checksum = 0;
  tp::TsduReassembler reasm(size_t{1} << 24);
  auto t2 = Clock::now();
  osi::Bytes in(stream);
  while (!in.empty()) {
    auto f = tp::NextTpkt(in);
    if (!f.ok() || !f->has_value()) std::abort();
    in = in.subspan((*f)->consumed);
    auto t = tp::DecodeTpdu((*f)->tpdu);
    if (!t.ok()) std::abort();
    const auto& d = std::get<tp::DataTpdu>(*t);
    bool multi = reasm.in_progress() || !d.eot;
    auto tsdu = reasm.Add(d);
    if (!tsdu.ok()) std::abort();
    if (!tsdu->has_value()) continue;
    if (multi) reassembly_copies += (*tsdu)->size();
    auto spdus = ses::DecodeTsdu(**tsdu);
    if (!spdus.ok() || spdus->size() != 2) std::abort();
    auto u = pres::DecodeUserData(ses::UserData((*spdus)[1]));
    if (!u.ok()) std::abort();
    for (const auto& pdv : u->pdvs) {
      auto v = c.string_tag == 4 ? dt::DecodeBinaryValue(pdv.data[0]) : dt::DecodeTextValue(pdv.data[0]);
      if (!v.ok()) std::abort();
      for (auto seg : v->segments) {
        payload += seg.size();
        checksum += seg.front() + seg.back();  // touch the view
      }
    }
  }
  auto t3 = Clock::now();
  double dec = Seconds(t2, t3);
  if (payload != file.size()) std::abort();
  double mb = static_cast<double>(file.size()) / 1e6;
  std::printf("%-6s value=%6zu tpdu=%5zu  encode %8.0f MB/s (%.2f gather pieces/KiB, 0 payload copies)  "
              "decode %7.0f MB/s (%.2f copies/byte: TSDU reassembly)  wire overhead %.2f%%  [%llu]\n",
              c.string_tag == 4 ? "FTAM-3" : "FTAM-1", c.value_size, c.tpdu_size, mb / enc,
              static_cast<double>(pieces) / (static_cast<double>(file.size()) / 1024), mb / dec,
              static_cast<double>(reassembly_copies) / static_cast<double>(file.size()),
              100.0 * (static_cast<double>(wire) / static_cast<double>(file.size()) - 1),
              static_cast<unsigned long long>(checksum % 10));
}

}  // namespace

int main(int argc, char** argv) {
  size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  std::vector<uint8_t> file(mib << 20);
  std::mt19937_64 rng(1415);
  for (size_t i = 0; i + 8 <= file.size(); i += 8) {
    uint64_t r = rng();
    std::memcpy(file.data() + i, &r, 8);
  }
  std::vector<uint8_t> text(file.size());
  for (size_t i = 0; i < text.size(); ++i) text[i] = (i % 64 == 62) ? '\r' : (i % 64 == 63) ? '\n' : static_cast<char>('a' + file[i] % 26);
  std::printf("ftam_codec_bench: %zu MiB per run\n", mib);
  const Config configs[] = {
      {"ftam3", 4, 3, 2015, 2048},    // ISODE responder: one value per 2048-octet TPDU
      {"ftam3", 4, 3, 32768, 2048},   // ISODE gateway: 32 KiB values over 2048-octet TPDUs
      {"ftam3", 4, 3, 65536, 8192},   // large values, 8192-octet TPDUs
      {"ftam3", 4, 3, 8160, 8192},    // one P-DATA per 8192-octet TPDU (no reassembly copy)
      {"ftam1", 27, 5, 2015, 2048},
      {"ftam1", 27, 5, 32768, 2048},
      {"ftam1", 27, 5, 65536, 8192},
  };
  for (const auto& c : configs) Run(c, c.string_tag == 4 ? file : text);
  // CR LF -> LF conversion of FTAM-1 text (one transforming copy), for reference.
  dt::CrLfToLf conv;
  std::string out;
  out.reserve(text.size());
  auto t0 = Clock::now();
  conv.Append(text, &out);
  conv.Finish(&out);
  auto t1 = Clock::now();
  std::printf("FTAM-1 CR LF -> LF conversion: %.0f MB/s (one copy, applied only when mapping to local text)\n",
              static_cast<double>(text.size()) / 1e6 / Seconds(t0, t1));
  return 0;
}
