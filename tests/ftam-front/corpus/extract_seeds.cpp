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
    tools::ReassembleCapture(*packets, [&](const std::string&) {
      decoders.push_back(std::make_unique<tools::StackDecoder>(&obs));
      auto* d = decoders.back().get();
      return [d, &streams](int dir, osi::Bytes b) {
        d->Feed(dir, b);
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
    // Whole-association seeds for the stack target: chunks of at most 2033 octets.
    std::string chunked;
    for (int dir = 0; dir < 2; ++dir) {
      std::string stream;
      for (const auto& s : streams[dir]) stream += s;
      for (size_t pos = 0; pos < stream.size() && chunked.size() < 6000;) {
        size_t n = std::min<size_t>(stream.size() - pos, 0x7f * 16 + 1);
        chunked += static_cast<char>((dir << 7) | ((n - 1) / 16));
        size_t take = ((n - 1) / 16) * 16 + 1;
        chunked += stream.substr(pos, take);
        pos += take;
      }
    }
    Seed("ftam_stack_fuzz", chunked, 8192);
  }
  for (const auto& [t, n] : counts) std::cout << t << ": " << n << " seeds\n";
  return 0;
}
