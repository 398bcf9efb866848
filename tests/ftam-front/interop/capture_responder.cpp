// A capture-driven FTAM responder: answers an initiator with ISODE's own responder bytes
// from one of the interop captures, so that our initiator is proven against a real
// responder's encodings (tests/e2e/test_ftam_initiator_captures.py).
//
// The capture is cut into units (a TSDU, or a transport TPDU other than DT) in capture
// order. Each initiator unit is keyed by what it carries (the FTAM PDU names, "DATA" for
// document values, else the SPDU or TPDU name); the responder units that followed it, up
// to the next initiator unit, are its answer. A live initiator's unit is answered with the
// captured answer of the same key (in capture order when a key repeats): byte for byte
// what ISODE's responder sent. A unit without a captured answer ends the connection and is
// reported on standard error, so a test fails visibly.
//
//   ftam_capture_responder CAPTURE PORT [--pcap OUT] [--also CAPTURE2]...
// --also adds the answers of another capture for the units CAPTURE has no answer to (e.g.
// the read-attributes an FTP RNFR asks for before a rename). Prints "ready" once listening; serves connections one after another until killed. With
// --pcap, every live connection is written to OUT (rewritten after each connection) so
// that tshark can judge what the initiator sent.
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "interop/capture_helpers.h"
#include "osi/transport/tpkt.h"
#include "osi/transport/tsdu.h"
#include "tools/pcap_writer.h"

namespace {

namespace asio = boost::asio;
namespace tp = gw::osi::transport;
using gw::osi::Bytes;

// Names what one unit carries, through every layer.
class KeyObserver : public gw::tools::StackObserver {
 public:
  void OnSpdu(int, const gw::osi::session::Spdu& s) override { spdus.push_back(gw::osi::session::SpduName(s)); }
  void OnFtamPdu(int, const gw::ftam::Pdu& p, Bytes) override { pdus.push_back(gw::ftam::PduName(p)); }
  void OnDataValue(int, int64_t, const gw::osi::ber::Oid&, Bytes) override { data = true; }
  void OnError(int, const std::string& layer, const absl::Status& s) override {
    errors.push_back(layer + ": " + std::string(s.message()));
  }
  std::string Take() {
    std::string key;
    auto join = [&](const std::vector<std::string>& v) {
      for (const auto& n : v) key += (key.empty() ? "" : ",") + n;
    };
    if (!pdus.empty()) join(pdus);
    else if (data) key = "DATA";
    else join(spdus);
    pdus.clear();
    spdus.clear();
    data = false;
    return key;
  }
  std::vector<std::string> pdus, spdus, errors;
  bool data = false;
};

std::string TpduKey(Bytes tpdu) {
  auto t = tp::DecodeTpdu(tpdu);
  if (!t.ok()) return "BAD-TPDU";
  if (auto* c = std::get_if<tp::ConnectTpdu>(&*t)) return c->confirm ? "CC" : "CR";
  if (std::holds_alternative<tp::DisconnectTpdu>(*t)) return "DR";
  if (std::holds_alternative<tp::DataTpdu>(*t)) return "DT";
  return "TPDU";
}

// Cuts one direction's bytes into units; each unit's key comes from the shared decoder.
class Cutter {
 public:
  Cutter(int dir, gw::tools::StackDecoder* dec, KeyObserver* obs) : dir_(dir), dec_(dec), obs_(obs) {}
  // Appends bytes; calls emit(key, raw) for every complete unit.
  template <typename F>
  bool Add(std::string_view bytes, F&& emit) {
    buf_.append(bytes);
    for (;;) {
      auto f = tp::NextTpkt(gw::osi::AsBytes(buf_));
      if (!f.ok()) return false;
      if (!f->has_value()) return true;
      std::string frame = buf_.substr(0, (*f)->consumed);
      Bytes tpdu = (*f)->tpdu;
      std::string key = TpduKey(tpdu);
      if (key == "DT") {
        auto t = tp::DecodeTpdu(tpdu);
        raw_ += frame;
        auto whole = tsdu_.Add(std::get<tp::DataTpdu>(*t));
        if (!whole.ok()) return false;
        if (whole->has_value()) {
          dec_->OnTsdu(dir_, **whole);
          std::string k = obs_->Take();
          emit(k.empty() ? "TSDU" : k, raw_);
          raw_.clear();
        }
      } else {
        emit(key, frame);
      }
      buf_.erase(0, (*f)->consumed);
    }
  }

 private:
  int dir_;
  gw::tools::StackDecoder* dec_;
  KeyObserver* obs_;
  std::string buf_, raw_;
  tp::TsduReassembler tsdu_;
};

struct Script {
  std::map<std::string, std::deque<std::vector<std::string>>> answers;
  std::vector<std::string> order;  // initiator keys, for the log
};

Script Load(const std::string& path) {
  Script s;
  KeyObserver obs;
  gw::tools::StackDecoder dec(&obs);
  Cutter cut[2] = {Cutter(0, &dec, &obs), Cutter(1, &dec, &obs)};
  std::vector<std::string>* current = nullptr;
  for (const auto& piece : gw::test::CaptureStream(path)) {
    const int dir = piece.first;
    const std::string& bytes = piece.second;
    cut[dir].Add(bytes, [&](const std::string& key, const std::string& raw) {
      if (dir == 0) {
        s.order.push_back(key);
        current = &s.answers[key].emplace_back();
      } else if (current) {
        current->push_back(raw);
      }
    });
  }
  return s;
}

std::mutex pcap_mu;

void Serve(asio::ip::tcp::socket sock, Script script, gw::tools::PcapWriter* pcap, const std::string& pcap_path,
           int n) {
  KeyObserver obs;
  gw::tools::StackDecoder dec(&obs);
  Cutter cut(0, &dec, &obs);
  int conn = 0;
  {
    std::lock_guard<std::mutex> l(pcap_mu);
    if (pcap) conn = pcap->Open(static_cast<uint16_t>(40000 + n % 20000));
  }
  auto record = [&](int dir, const std::string& b) {
    std::lock_guard<std::mutex> l(pcap_mu);
    if (pcap) pcap->Send(conn, dir, gw::osi::AsBytes(b));
  };
  std::vector<char> buf(1 << 16);
  bool go = true;
  while (go) {
    boost::system::error_code ec;
    size_t got = sock.read_some(asio::buffer(buf), ec);
    if (ec) break;
    std::string chunk(buf.data(), got);
    record(0, chunk);
    bool ok = cut.Add(chunk, [&](const std::string& key, const std::string&) {
      if (!go) return;
      auto it = script.answers.find(key);
      if (it == script.answers.end() || it->second.empty()) {
        if (key == "DR") {  // the initiator's last word
          go = false;
          return;
        }
        std::cerr << "capture_responder: no captured answer for " << key << "\n";
        go = false;
        return;
      }
      std::vector<std::string> answer = it->second.front();
      if (it->second.size() > 1) it->second.pop_front();  // the last answer serves repeats
      std::cerr << "capture_responder: " << key << " -> " << answer.size() << " unit(s)\n";
      for (const auto& a : answer) {
        record(1, a);
        asio::write(sock, asio::buffer(a), ec);
        if (ec) go = false;
      }
    });
    if (!ok) {
      std::cerr << "capture_responder: malformed input from the initiator\n";
      break;
    }
  }
  for (const auto& e : obs.errors) std::cerr << "capture_responder: decoding the initiator: " << e << "\n";
  boost::system::error_code ignored;
  sock.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  std::lock_guard<std::mutex> l(pcap_mu);
  if (pcap) {
    pcap->Close(conn);
    pcap->WriteTo(pcap_path);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: ftam_capture_responder CAPTURE PORT [--pcap OUT]\n";
    return 2;
  }
  auto path_of = [](std::string c) { return c.find('/') == std::string::npos ? gw::test::CaptureDir() + "/" + c : c; };
  std::string capture = path_of(argv[1]);
  int port = std::stoi(argv[2]);
  std::string pcap_path;
  std::vector<std::string> also;
  for (int i = 3; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--pcap") pcap_path = argv[i + 1];
    if (std::string(argv[i]) == "--also") also.push_back(path_of(argv[i + 1]));
  }
  Script script = Load(capture);
  if (script.order.empty()) {
    std::cerr << "capture_responder: nothing usable in " << capture << "\n";
    return 1;
  }
  for (const auto& a : also)
    for (auto& [key, answers] : Load(a).answers)
      if (!script.answers.count(key)) script.answers[key] = std::move(answers);
  std::cerr << "capture_responder: initiator units:";
  for (const auto& k : script.order) std::cerr << " [" << k << "]";
  std::cerr << "\n";
  gw::tools::PcapWriter pcap;
  asio::io_context io;
  asio::ip::tcp::acceptor acc(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
  std::printf("ready\n");
  std::fflush(stdout);
  for (int n = 0;; ++n) {
    asio::ip::tcp::socket sock(io);
    acc.accept(sock);
    // One connection at a time, as the tests drive it; each gets the whole script anew.
    Serve(std::move(sock), script, pcap_path.empty() ? nullptr : &pcap, pcap_path, n);
  }
}
