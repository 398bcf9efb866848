// ftam_replay: plays the initiator's side of a capture (ISODE's own initiator, in
// ../shared/interop/isode) against a live responder, request by request, waiting for each
// response, and compares what the responder answered with what ISODE's responder answered
// in the capture: the same FTAM PDUs with the same outcomes, the same file data.
//
//   ftam_replay prepare CAPTURE DIR          make DIR hold the files the capture reads,
//                                            lists, selects, renames or deletes
//   ftam_replay run CAPTURE HOST:PORT [--written DIR] [--timeout S] [--pcap FILE]
//                                            replay; exit 0 when the exchange matched;
//                                            --written saves the files the capture wrote;
//                                            --pcap saves the exchange for tshark;
//                                            --pause-after BYTES:SECONDS stops sending
//                                            that long after BYTES (fault tests);
//                                            --any-file-type accepts FTAM-3 for files
//                                            the capture listed as FTAM-1;
//                                            --login USER:PASSWORD re-encodes the
//                                            F-INITIALIZE with another identity and
//                                            filestore password (all else as captured)
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "interop/capture_helpers.h"
#include "osi/association/messages.h"
#include "osi/transport/tpkt.h"
#include "osi/transport/tsdu.h"
#include "tools/pcap_writer.h"

namespace {

namespace fs = std::filesystem;
namespace dt = gw::ftam::doctype;
using gw::osi::Bytes;

// Every FTAM PDU and document value of one connection, in order.
struct Event {
  int dir = 0;
  bool pdu = false;
  std::string name;        // PDU name
  bool failed = false;     // action-result or state-result not success
  std::optional<gw::ftam::Pdu> value;
  gw::osi::ber::Oid abstract_syntax;
  std::string data;        // a document value's complete encoding
};

class Recorder : public gw::tools::StackObserver {
 public:
  void OnFtamPdu(int dir, const gw::ftam::Pdu& p, Bytes) override {
    Event e;
    e.dir = dir;
    e.pdu = true;
    e.name = gw::ftam::PduName(p);
    e.failed = std::visit(
        [](const auto& r) {
          bool f = false;
          if constexpr (requires { r.action_result; }) f = f || r.action_result.value_or(0) != 0;
          if constexpr (requires { r.state_result; }) f = f || r.state_result.value_or(0) != 0;
          return f;
        },
        p);
    e.value = p;
    events.push_back(std::move(e));
    ++units[dir];
  }
  void OnDataValue(int dir, int64_t, const gw::osi::ber::Oid& as, Bytes value) override {
    Event e;
    e.dir = dir;
    e.abstract_syntax = as;
    e.data = std::string(gw::osi::AsChars(value));
    events.push_back(std::move(e));
  }
  void OnTpdu(int dir, const gw::osi::transport::Tpdu& t) override {
    if (!std::holds_alternative<gw::osi::transport::DataTpdu>(t)) ++units[dir];
  }
  void OnError(int dir, const std::string& layer, const absl::Status& s) override {
    errors.push_back(layer + ": " + std::string(s.message()));
  }
  std::vector<Event> events;
  std::vector<std::string> errors;
  size_t units[2] = {0, 0};  // FTAM PDUs and TPDUs other than DT, per direction
};

std::vector<Event> Decode(const std::vector<std::pair<int, std::string>>& stream, std::vector<std::string>* errors) {
  Recorder r;
  gw::tools::StackDecoder dec(&r);
  for (const auto& [dir, bytes] : stream) dec.Feed(dir, gw::osi::AsBytes(bytes));
  if (errors) *errors = r.errors;
  return r.events;
}

std::string PathOf(const gw::ftam::Attributes& a) {
  std::string p;
  if (!a.pathname) return p;
  for (const auto& c : *a.pathname) p += (p.empty() ? "" : "/") + c;
  return p;
}

std::string ValueData(const Event& e) {
  auto v = e.abstract_syntax == dt::kUnstructuredBinaryAbstractSyntax ? dt::DecodeBinaryValue(gw::osi::AsBytes(e.data))
                                                                      : dt::DecodeTextValue(gw::osi::AsBytes(e.data));
  return v.ok() ? v->Join() : std::string();
}

bool IsFile(const gw::osi::ber::Oid& as) {
  return as == dt::kUnstructuredBinaryAbstractSyntax || as == dt::kUnstructuredTextAbstractSyntax;
}

// The transfers of a connection: path -> data, per direction (1 read, 0 written), text
// transfers as local text (LF line ends).
struct Transfers {
  std::map<std::string, std::string> read, written;
  std::vector<std::string> read_order;
  std::map<std::string, std::tuple<bool, int64_t, std::string>> listed;  // name -> (directory, size, document type)
  std::set<std::string> selected;
};

Transfers Collect(const std::vector<Event>& events) {
  Transfers t;
  std::string current;
  std::string* sink = nullptr;
  bool text = false;
  for (const auto& e : events) {
    if (e.pdu && e.dir == 0 && e.value) {
      if (auto* s = std::get_if<gw::ftam::FSelectRequest>(&*e.value); s && s->attributes) current = PathOf(*s->attributes);
      if (auto* c = std::get_if<gw::ftam::FCreateRequest>(&*e.value); c && c->initial_attributes)
        current = PathOf(*c->initial_attributes);
      if (std::holds_alternative<gw::ftam::FReadRequest>(*e.value)) {
        sink = &t.read[current];
        t.read_order.push_back(current);
      }
      if (auto* w = std::get_if<gw::ftam::FWriteRequest>(&*e.value)) {
        sink = &t.written[current];
        if (w->file_access_data_unit_operation.value_or(gw::ftam::kReplace) == gw::ftam::kExtend) t.selected.insert(current);
      }
    }
    if (e.pdu && e.dir == 1 && e.name == "F-SELECT-response" && !e.failed) t.selected.insert(current);
    if (e.pdu && e.name == "F-DATA-END-request") {
      if (sink && text) *sink = gw::test::LocalText(*sink);
      sink = nullptr;
    }
    if (!e.pdu && IsFile(e.abstract_syntax) && sink) {
      text = e.abstract_syntax == dt::kUnstructuredTextAbstractSyntax;
      *sink += ValueData(e);
    }
    if (!e.pdu && e.dir == 1 && (e.abstract_syntax == dt::kNbs9AbstractSyntax)) {
      auto a = dt::DecodeDirectoryEntry(gw::osi::AsBytes(e.data));
      if (!a.ok()) continue;
      bool dir = a->contents_type && a->contents_type->document_type_name == dt::kNbs9DocumentType;
      int64_t size = a->filesize && !a->filesize->no_value ? a->filesize->value : 0;
      t.listed[PathOf(*a)] = {dir, size, a->contents_type ? a->contents_type->document_type_name.ToString() : ""};
    }
  }
  return t;
}

void WriteFileAt(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << data;
}

int Prepare(const std::string& capture, const std::string& dir) {
  auto events = Decode(gw::test::CaptureStream(capture), nullptr);
  Transfers t = Collect(events);
  fs::create_directories(dir);
  for (const auto& [name, d] : t.listed) {
    std::string base = fs::path(name).filename().string();
    if (base == "." || base == ".." || name.empty()) continue;
    const auto& [is_dir, size, doc] = d;
    if (is_dir) {
      fs::create_directories(fs::path(dir) / name);
    } else if (!fs::exists(fs::path(dir) / name)) {
      // A file of the size listed: text for FTAM-1, bytes of every value for FTAM-3.
      std::string body(static_cast<size_t>(size), 'x');
      if (doc == dt::kFtam3DocumentType.ToString())
        for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7);
      else if (!body.empty())
        body.back() = '\n';
      WriteFileAt(fs::path(dir) / name, body);
    }
  }
  for (const auto& [name, data] : t.read) WriteFileAt(fs::path(dir) / name, data);
  for (const auto& name : t.selected) {
    if (name.empty() || name == "." || name == ".." || fs::exists(fs::path(dir) / name)) continue;
    if (t.written.count(name)) {
      // Appended to: the capture's initiator wrote to an existing file.
      WriteFileAt(fs::path(dir) / name, "first line of " + name + "\n");
    } else {
      WriteFileAt(fs::path(dir) / name, "contents of " + name + "\n");
    }
  }
  return 0;
}

// The initiator's connect turn (CN{CP{AARQ{F-INITIALIZE-request}}}) with another identity
// and filestore password, re-encoded by the engines' builders; nullopt if `turn` is no CN.
std::optional<std::string> Relogin(const std::string& turn, const std::string& user, const std::string& password) {
  namespace tp = gw::osi::transport;
  namespace ses = gw::osi::session;
  namespace pres = gw::osi::presentation;
  namespace acse = gw::osi::acse;
  tp::TsduReassembler reassembler;
  Bytes rest = gw::osi::AsBytes(turn);
  std::string tsdu;
  bool whole = false;
  while (!rest.empty() && !whole) {
    auto f = tp::NextTpkt(rest);
    if (!f.ok() || !f->has_value()) return std::nullopt;
    auto t = tp::DecodeTpdu((*f)->tpdu);
    if (!t.ok() || !std::holds_alternative<tp::DataTpdu>(*t)) return std::nullopt;
    auto got = reassembler.Add(std::get<tp::DataTpdu>(*t));
    if (!got.ok()) return std::nullopt;
    if (got->has_value()) {
      tsdu.assign(gw::osi::AsChars(**got));
      whole = true;
    }
    rest = rest.subspan((*f)->consumed);
  }
  if (!whole) return std::nullopt;
  auto spdus = ses::DecodeTsdu(gw::osi::AsBytes(tsdu));
  if (!spdus.ok() || spdus->size() != 1 || !std::holds_alternative<ses::ConnectSpdu>((*spdus)[0])) return std::nullopt;
  ses::ConnectSpdu cn = std::get<ses::ConnectSpdu>((*spdus)[0]);
  auto cp = pres::DecodeConnect(cn.user_data);
  if (!cp.ok() || !cp->user_data || cp->user_data->pdvs.empty()) return std::nullopt;
  std::vector<Bytes> values;
  std::string scratch;
  if (!pres::PdvValues(cp->user_data->pdvs[0], &values, &scratch).ok() || values.size() != 1) return std::nullopt;
  auto apdu = acse::DecodeApdu(values[0]);
  if (!apdu.ok() || !std::holds_alternative<acse::Aarq>(*apdu)) return std::nullopt;
  acse::Aarq aarq = std::get<acse::Aarq>(*apdu);
  gw::osi::association::Wire w;
  w.tpdu_size = 2048;
  w.acse_ctx = cp->user_data->pdvs[0].context_id;
  std::optional<gw::ftam::FInitializeRequest> init;
  for (const auto& x : aarq.user_information) {
    auto p = gw::ftam::DecodePdu(x.data);
    if (p.ok() && std::holds_alternative<gw::ftam::FInitializeRequest>(*p)) {
      init = std::get<gw::ftam::FInitializeRequest>(*p);
      w.ftam_ctx = x.indirect_reference.value_or(1);
    }
  }
  if (!init) return std::nullopt;
  init->initiator_identity = user;
  init->filestore_password = gw::ftam::Password{password, false};
  aarq.user_information.clear();
  cp->user_data.reset();
  std::vector<uint8_t> out;
  if (!gw::osi::association::Connect(w, cn, *cp, aarq, gw::ftam::Pdu(*init), &out).ok()) return std::nullopt;
  return std::string(out.begin(), out.end());
}

int Run(const std::string& capture, const std::string& target, const std::string& written_dir, int timeout_s,
        const std::string& pcap_out, size_t pause_after, double pause_seconds, bool any_file_type,
        const std::string& login) {
  auto chunks = gw::test::CaptureStream(capture);
  if (chunks.empty()) {
    std::cerr << "no RFC 1006 connection in " << capture << "\n";
    return 2;
  }
  std::vector<std::pair<int, std::string>> turns;
  for (auto& [dir, b] : chunks) {
    if (!turns.empty() && turns.back().first == dir) turns.back().second += b;
    else turns.emplace_back(dir, b);
  }
  if (!login.empty()) {
    const auto colon = login.find(':');
    bool done = false;
    for (auto& [dir, bytes] : turns) {
      if (dir != 0) continue;
      if (auto re = Relogin(bytes, login.substr(0, colon), colon == std::string::npos ? "" : login.substr(colon + 1))) {
        bytes = *re;
        done = true;
        break;
      }
    }
    if (!done) {
      std::cerr << "no F-INITIALIZE-request to re-encode in " << capture << "\n";
      return 2;
    }
  }
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  auto colon = target.rfind(':');
  boost::asio::ip::tcp::resolver res(io);
  boost::asio::connect(sock, res.resolve(target.substr(0, colon), target.substr(colon + 1)));
  struct timeval tv{timeout_s, 0};
  setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::vector<std::pair<int, std::string>> ours;
  bool closed = false;
  // What the responder must have answered after each of its turns: as many FTAM PDUs
  // (and CC/DR TPDUs) as ISODE's responder had, however it cut its data into P-DATAs.
  size_t sent = 0;
  Recorder expected, seen;
  gw::tools::StackDecoder expected_dec(&expected), seen_dec(&seen);
  for (size_t i = 0; i < turns.size(); ++i) {
    const auto& [dir, bytes] = turns[i];
    expected_dec.Feed(dir, gw::osi::AsBytes(bytes));
    if (dir == 0) {
      if (closed) break;
      boost::system::error_code ec;
      if (pause_after > sent && pause_after < sent + bytes.size()) {
        // Stop in the middle of this turn for a while (fault tests act meanwhile).
        size_t head = pause_after - sent;
        boost::asio::write(sock, boost::asio::buffer(bytes.data(), head), ec);
        std::cout << "paused after " << pause_after << " bytes" << std::endl;
        std::this_thread::sleep_for(std::chrono::duration<double>(pause_seconds));
        if (!ec) boost::asio::write(sock, boost::asio::buffer(bytes.data() + head, bytes.size() - head), ec);
      } else {
        boost::asio::write(sock, boost::asio::buffer(bytes), ec);
      }
      sent += bytes.size();
      ours.emplace_back(0, bytes);
      seen_dec.Feed(0, gw::osi::AsBytes(bytes));
      if (ec) closed = true;
      continue;
    }
    std::string got;
    char buf[65536];
    while (!closed && seen.units[1] < expected.units[1]) {
      ssize_t n = ::recv(sock.native_handle(), buf, sizeof buf, 0);
      if (n <= 0) {
        if (n < 0) std::cerr << "turn " << i << ": no answer within " << timeout_s << " s\n";
        closed = true;
        break;
      }
      got.append(buf, static_cast<size_t>(n));
      seen_dec.Feed(1, gw::osi::AsBytes(std::string_view(buf, static_cast<size_t>(n))));
    }
    ours.emplace_back(1, got);
  }
  if (!pcap_out.empty()) {
    // The exchange as tshark can read it (port 102: dissected as RFC 1006 without options).
    gw::tools::PcapWriter w;
    int c = w.Open(40000, 102);
    for (const auto& [dir, bytes] : ours)
      if (!bytes.empty()) w.Send(c, dir, gw::osi::AsBytes(bytes));
    w.Close(c);
    if (!w.WriteTo(pcap_out)) std::cerr << "cannot write " << pcap_out << "\n";
  }
  std::vector<std::string> their_errors, our_errors;
  auto theirs = Decode(chunks, &their_errors);
  auto mine = Decode(ours, &our_errors);
  int mismatches = 0;
  for (const auto& e : our_errors) {
    std::cerr << "decode error in the responder's answers: " << e << "\n";
    ++mismatches;
  }
  std::vector<std::string> a, b;
  for (const auto& e : theirs)
    if (e.pdu && e.dir == 1) a.push_back(e.name + (e.failed ? " (failure)" : ""));
  for (const auto& e : mine)
    if (e.pdu && e.dir == 1) b.push_back(e.name + (e.failed ? " (failure)" : ""));
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "-", y = i < b.size() ? b[i] : "-";
    std::cout << (x == y ? "  " : "! ") << x << (x == y ? "" : "   | ours: " + y) << "\n";
    if (x != y) ++mismatches;
  }
  Transfers ta = Collect(theirs), tb = Collect(mine);
  for (const auto& [path, data] : ta.read) {
    if (data.empty() && ta.listed.size()) continue;  // a directory read (NBS-9), compared below
    auto it = tb.read.find(path);
    if (it == tb.read.end() || it->second != data) {
      std::cout << "! read " << path << ": " << data.size() << " bytes in the capture, "
                << (it == tb.read.end() ? std::string("none") : std::to_string(it->second.size()) + " different")
                << " from the responder\n";
      ++mismatches;
    } else {
      std::cout << "  read " << path << ": " << data.size() << " bytes, identical\n";
    }
  }
  for (const auto& [name, d] : ta.listed) {
    std::string base = fs::path(name).filename().string();
    if (base == "." || base == "..") continue;
    auto it = tb.listed.find(name);
    // Sizes and file/directory must agree; the document type of a file too, unless the
    // destination cannot know it (an FTP server: files are then FTAM-3, which loses nothing).
    const bool same = it != tb.listed.end() && std::get<0>(it->second) == std::get<0>(d) &&
                      (std::get<0>(d) || (std::get<1>(it->second) == std::get<1>(d) &&
                                          (any_file_type || std::get<2>(it->second) == std::get<2>(d))));
    if (!same) {
      std::cout << "! listed " << name << " missing or different\n";
      ++mismatches;
    }
  }
  if (!ta.listed.empty()) std::cout << "  listing: " << tb.listed.size() << " entries\n";
  if (!written_dir.empty())
    for (const auto& [path, data] : ta.written) WriteFileAt(fs::path(written_dir) / path, data);
  std::cout << (mismatches ? "replay FAILED: " + std::to_string(mismatches) + " differences" : std::string("replay ok"))
            << "\n";
  return mismatches ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 3 && args[0] == "prepare") return Prepare(args[1], args[2]);
  if (args.size() >= 3 && args[0] == "run") {
    std::string written, pcap;
    int timeout = 10;
    size_t pause_after = 0;
    double pause_seconds = 0;
    bool any_file_type = false;
    std::string login;
    for (size_t i = 3; i < args.size(); i += 2) {
      if (args[i] == "--any-file-type") {
        any_file_type = true;
        --i;
        continue;
      }
      if (i + 1 >= args.size()) break;
      if (args[i] == "--written") written = args[i + 1];
      else if (args[i] == "--timeout") timeout = std::stoi(args[i + 1]);
      else if (args[i] == "--pcap") pcap = args[i + 1];
      else if (args[i] == "--login") login = args[i + 1];
      else if (args[i] == "--pause-after") {  // BYTES:SECONDS
        auto colon = args[i + 1].find(':');
        pause_after = std::stoul(args[i + 1].substr(0, colon));
        pause_seconds = std::stod(args[i + 1].substr(colon + 1));
      }
    }
    return Run(args[1], args[2], written, timeout, pcap, pause_after, pause_seconds, any_file_type, login);
  }
  std::cerr << "usage: ftam_replay prepare CAPTURE DIR | run CAPTURE HOST:PORT [--written DIR] [--timeout S]\n";
  return 2;
}
