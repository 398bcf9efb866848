// Writes fuzz seeds extracted from the ISODE captures into corpus/<target>/ (run by hand
// when the captures change: ftam_extract_seeds <capture dir> <corpus dir>). Seeds are the
// units each fuzz target consumes: TPKT streams, TSDUs, PPDUs (with a selector octet),
// APDUs, FTAM PDUs and document values (with a selector octet).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ftam/doctype/document_types.h"
#include "osi/session/spdu.h"
#include "osi/transport/cotp.h"
#include "osi/transport/tpkt.h"
#include "osi/transport/tsdu.h"
#include "tools/pcap.h"
#include "tools/stack_decoder.h"

using namespace gw;
namespace fs = std::filesystem;

namespace {

std::set<std::string> seen;
std::map<std::string, int> counts;
fs::path out_dir;

void Seed(const std::string& target, const std::string& bytes, size_t max_size = 4096, int max_count = 40) {
  if (bytes.empty() || bytes.size() > max_size || counts[target] >= max_count) return;
  if (!seen.insert(target + bytes).second) return;
  fs::create_directories(out_dir / target);
  std::ofstream(out_dir / target / absl::StrCat("isode_", counts[target]++), std::ios::binary) << bytes;
}

class SeedObserver : public tools::StackObserver {
 public:
  void OnApdu(int, const osi::acse::Apdu& a) override {
    std::vector<uint8_t> out;
    if (osi::acse::EncodeApdu(a, &out).ok()) Seed("acse_fuzz", std::string(out.begin(), out.end()));
  }
  void OnFtamPdu(int, const ftam::Pdu&, osi::Bytes encoded) override { Seed("ftam_pdu_fuzz", osi::ToString(encoded)); }
  void OnDataValue(int, int64_t, const osi::ber::Oid& as, osi::Bytes v) override {
    char sel = as == ftam::doctype::kUnstructuredTextAbstractSyntax ? 0 : as == ftam::doctype::kUnstructuredBinaryAbstractSyntax ? 1 : 2;
    Seed("doctype_fuzz", std::string(1, sel) + osi::ToString(v), 2100);
  }
};

// One TCP connection of a capture as the TPKTs each side sent, in the order they completed.
struct Tpdus {
  std::string pending[2];
  std::vector<std::pair<int, std::string>> all;  // (direction, one whole TPKT)
  void Add(int dir, osi::Bytes b) {
    pending[dir] += osi::ToString(b);
    for (;;) {
      auto fr = osi::transport::NextTpkt(osi::AsBytes(pending[dir]));
      if (!fr.ok() || !fr->has_value()) return;
      all.emplace_back(dir, pending[dir].substr(0, (*fr)->consumed));
      pending[dir].erase(0, (*fr)->consumed);
    }
  }
};

// The stack target's input format (ftam_stack_fuzz.cpp): chunks of one direction octet
// (bit 7) and length ((rest * 16) + 1 octets), then the octets.
void AppendChunks(std::string* out, int dir, std::string_view bytes) {
  for (size_t pos = 0; pos < bytes.size();) {
    size_t n = std::min<size_t>(bytes.size() - pos, 0x7f * 16 + 1);
    out->push_back(static_cast<char>((dir << 7) | ((n - 1) / 16)));
    size_t take = ((n - 1) / 16) * 16 + 1;
    out->append(bytes.substr(pos, take));
    pos += take;
  }
}

// A TSDU (its TPKTs up to the one with end-of-TSDU), or a TPKT that is not data.
struct Unit {
  int dir;
  bool data;
  std::string bytes;
};

std::string Render(const std::vector<const Unit*>& units) {
  std::string out;
  for (size_t i = 0; i < units.size();) {
    std::string run;
    size_t j = i;
    for (; j < units.size() && units[j]->dir == units[i]->dir; ++j) run += units[j]->bytes;
    AppendChunks(&out, units[i]->dir, run);
    i = j;
  }
  return out;
}

// Seeds for the stack target, each at most kStackSeedMax octets (its .options -max_len):
// both sides' connection (up to each side's first TSDU: CR and CN, CC and AC, where the
// presentation contexts are set), then a window of the TSDUs that followed, in capture
// order; successive windows cover the whole association. A TSDU that does not fit beside
// the connection is left out: ISODE's full data TSDUs (2 KiB), whose values doctype_fuzz
// (seeded with them) and the engine targets (longer inputs) decode. Whole associations as
// seeds (up to 8 KiB) made every mutant that long: 1,200-1,400 runs/s, against about
// 10,000 with these, which reach more edges in the same time.
constexpr size_t kStackSeedMax = 1024;

void StackSeeds(const Tpdus& c) {
  std::vector<Unit> units;
  std::string open[2];
  for (const auto& [dir, tpkt] : c.all) {
    auto fr = osi::transport::NextTpkt(osi::AsBytes(tpkt));
    if (!fr.ok() || !fr->has_value()) continue;
    auto t = osi::transport::DecodeTpdu((*fr)->tpdu);
    const auto* dt = t.ok() ? std::get_if<osi::transport::DataTpdu>(&*t) : nullptr;
    if (!dt) {
      units.push_back({dir, false, tpkt});
      continue;
    }
    open[dir] += tpkt;
    if (dt->eot) units.push_back({dir, true, std::exchange(open[dir], {})});
  }
  std::vector<const Unit*> prefix, rest;
  bool connected[2] = {false, false};
  for (const Unit& u : units) {
    if (connected[u.dir]) {
      rest.push_back(&u);
      continue;
    }
    prefix.push_back(&u);
    connected[u.dir] = u.data;
  }
  const std::string connection = Render(prefix);
  if (connection.size() > kStackSeedMax) return;
  Seed("ftam_stack_fuzz", connection, kStackSeedMax, 400);
  for (size_t i = 0; i < rest.size();) {
    std::vector<const Unit*> window = prefix;
    size_t j = i;
    for (; j < rest.size(); ++j) {
      window.push_back(rest[j]);
      if (Render(window).size() > kStackSeedMax) {
        window.pop_back();
        break;
      }
    }
    if (j == i) {
      ++i;  // this TSDU alone is too long
      continue;
    }
    Seed("ftam_stack_fuzz", Render(window), kStackSeedMax, 400);
    i = j;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ftam_extract_seeds CAPTURE_DIR CORPUS_DIR\n";
    return 2;
  }
  out_dir = argv[2];
  for (const auto& entry : fs::directory_iterator(argv[1])) {
    std::ifstream f(entry.path(), std::ios::binary);
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto packets = tools::ReadCapture(file);
    if (!packets.ok()) continue;
    SeedObserver obs;
    std::vector<std::unique_ptr<tools::StackDecoder>> decoders;
    std::vector<std::string> streams[2];
    std::vector<std::unique_ptr<Tpdus>> connections;
    tools::ReassembleCapture(*packets, [&](const std::string&) {
      decoders.push_back(std::make_unique<tools::StackDecoder>(&obs));
      auto* d = decoders.back().get();
      connections.push_back(std::make_unique<Tpdus>());
      auto* c = connections.back().get();
      return [d, c, &streams](int dir, osi::Bytes b) {
        d->Feed(dir, b);
        c->Add(dir, b);
        streams[dir].emplace_back(osi::ToString(b));
      };
    });
    for (int dir = 0; dir < 2; ++dir) {
      std::string stream;
      for (const auto& s : streams[dir]) stream += s;
      Seed("tpkt_cotp_fuzz", stream.substr(0, 4096), 4096);
      osi::transport::TsduReassembler r;
      osi::Bytes in = osi::AsBytes(stream);
      while (true) {
        auto fr = osi::transport::NextTpkt(in);
        if (!fr.ok() || !fr->has_value()) break;
        auto t = osi::transport::DecodeTpdu((*fr)->tpdu);
        in = in.subspan((*fr)->consumed);
        if (!t.ok() || !std::holds_alternative<osi::transport::DataTpdu>(*t)) continue;
        auto tsdu = r.Add(std::get<osi::transport::DataTpdu>(*t));
        if (!tsdu.ok() || !tsdu->has_value()) continue;
        Seed("session_fuzz", osi::ToString(**tsdu));
        auto spdus = osi::session::DecodeTsdu(**tsdu);
        if (!spdus.ok()) continue;
        for (const auto& s : *spdus) {
          char sel = std::holds_alternative<osi::session::ConnectSpdu>(s) ? 0
                     : std::holds_alternative<osi::session::AcceptSpdu>(s) ? 1
                     : std::holds_alternative<osi::session::RefuseSpdu>(s) ? 2
                     : std::holds_alternative<osi::session::AbortSpdu>(s) ? 3 : 4;
          Seed("presentation_fuzz", std::string(1, sel) + osi::ToString(osi::session::UserData(s)));
        }
      }
    }
    for (const auto& c : connections) StackSeeds(*c);
  }
  for (const auto& [t, n] : counts) std::cout << t << ": " << n << " seeds\n";
  return 0;
}
