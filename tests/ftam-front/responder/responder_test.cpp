// The responder in-process, over loopback TCP, with an in-memory destination: a well-behaved
// initiator's exchanges, and hostile inputs at every layer, each answered as the standards
// say (refusal, F-INITIALIZE failure, F-P-ABORT with a diagnostic, DR or a closed
// connection) while the responder keeps serving new associations.
#include <sys/socket.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "ftam/doctype/data_value.h"
#include "ftam/doctype/document_types.h"
#include "ftam/pdu/diagnostics.h"
#include "ftam/responder/responder.h"
#include "osi/association/messages.h"
#include "osi/session/spdu.h"
#include "responder/fake_bridge.h"
#include "ftam/responder/attributes.h"
#include "tools/pcap_writer.h"
#include "tools/stack_decoder.h"
#include "tshark/wire.h"

namespace gw::test {
namespace {

namespace asio = boost::asio;
namespace dt = ftam::doctype;
namespace eid = ftam::error_id;
using asio::ip::tcp;
using osi::Bytes;

// The responder on a loopback port, one association per connection, a fresh destination
// for each test.
class Server {
 public:
  explicit Server(ftam::responder::Config cfg = Small()) : cfg_(cfg), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Server() {
    io_.stop();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  FakeBridge bridge;
  std::atomic<int> served{0};  // associations that have ended (their bridge session closed or cancelled)
  // Waits until `n` associations have ended (at most 5 s).
  void AwaitServed(int n) {
    for (int k = 0; k < 500 && served < n; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  static ftam::responder::Config Small() {
    ftam::responder::Config c;
    c.association_timeout = std::chrono::seconds(2);
    c.idle_timeout = std::chrono::seconds(2);
    c.data_timeout = std::chrono::seconds(2);
    c.release_timeout = std::chrono::seconds(1);
    c.max_tsdu = 1 << 20;
    c.ber.max_depth = 16;
    c.ber.max_element = 1 << 20;
    c.ber.max_string = 1 << 20;
    return c;
  }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      tcp::socket s = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(io_, ServeOne(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> ServeOne(tcp::socket s) {
    osi::association::Connection conn(std::move(s), 65535);
    co_await ftam::responder::Serve(conn, bridge, cfg_, "test", "127.0.0.1");
    ++served;
  }
  ftam::responder::Config cfg_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

// What the responder sent, decoded by the same stack decoder the tools use.
class Answers : public tools::StackObserver {
 public:
  void OnTpdu(int dir, const osi::transport::Tpdu& t) override {
    if (dir == 1) tpdus.push_back(osi::transport::TpduName(t));
  }
  void OnSpdu(int dir, const osi::session::Spdu& s) override {
    if (dir == 1) spdus.push_back(osi::session::SpduName(s));
  }
  void OnPpdu(int dir, const tools::Ppdu& p) override {
    if (auto* a = std::get_if<osi::presentation::AcceptPpdu>(&p); a && dir == 1) cpa = *a;
  }
  void OnFtamPdu(int dir, const ftam::Pdu& p, Bytes) override {
    if (dir == 1) pdus.push_back(p);
  }
  void OnDataValue(int dir, int64_t, const osi::ber::Oid& as, Bytes v) override {
    if (dir != 1) return;
    if (as == dt::kNbs9AbstractSyntax) {
      auto a = dt::DecodeDirectoryEntry(v);
      if (a.ok() && a->pathname) listed.push_back(a->pathname->front());
      return;
    }
    auto s = as == dt::kUnstructuredBinaryAbstractSyntax ? dt::DecodeBinaryValue(v) : dt::DecodeTextValue(v);
    if (s.ok()) {
      data += s->Join();
      values.push_back(s->Join());
      if (!v.empty()) value_tags.push_back(v[0]);
    }
  }
  std::optional<osi::presentation::AcceptPpdu> cpa;
  std::vector<std::string> values;  // each document value the responder sent
  std::vector<uint8_t> value_tags;  // the first octet (universal tag) of each
  std::vector<std::string> tpdus, spdus, listed;
  std::vector<ftam::Pdu> pdus;
  std::string data;

  template <typename T>
  const T* Last() const {
    for (auto it = pdus.rbegin(); it != pdus.rend(); ++it)
      if (auto* p = std::get_if<T>(&*it)) return p;
    return nullptr;
  }
  // The diagnostic identifier of the last F-P-ABORT, or -1.
  int64_t AbortDiagnostic() const {
    auto* a = Last<ftam::FPAbortRequest>();
    return a && a->diagnostic && !a->diagnostic->empty() ? a->diagnostic->front().error_identifier.value_or(-1) : -1;
  }
};

class Initiator {
 public:
  explicit Initiator(uint16_t port) : sock_(io_) {
    sock_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval tv{3, 0};
    setsockopt(sock_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  void Send(const std::vector<uint8_t>& b) {
    boost::system::error_code ec;
    asio::write(sock_, asio::buffer(b), ec);
    dec_.Feed(0, Bytes(b));
    pcap_.Send(conn_, 0, Bytes(b));
  }
  void Received(const char* buf, ssize_t r) {
    Bytes b(reinterpret_cast<const uint8_t*>(buf), static_cast<size_t>(r));
    dec_.Feed(1, b);
    pcap_.Send(conn_, 1, b);
  }
  // tshark (an independent dissector) on the whole exchange: the problems it found in
  // what the responder sent (malformed frames, expert errors), or "" when it read all.
  // Its FTAM dissector takes NBS-9 entries for FTAM PDUs (osi-ftam-notes §11): that one
  // known quirk on the NBS-9 context is not the responder's.
  std::string TsharkProblems() {
    if (std::system("command -v tshark >/dev/null 2>&1") != 0) return "";
    pcap_.Close(conn_);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("ftam_responder_test_" + std::to_string(::getpid()) + ".pcap")).string();
    if (!pcap_.WriteTo(path)) return "cannot write " + path;
    const std::string cmd = "tshark -r " + path + " -Y 'tcp.srcport == 102' -T fields -E separator='|' -E occurrence=a"
                            " -e frame.number -e _ws.malformed -e _ws.expert.severity -e _ws.expert.message"
                            " -e pres.presentation_context_identifier 2>&1";
    std::string out, problems;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
      char line[4096];
      while (std::fgets(line, sizeof line, f)) out += line;
      ::pclose(f);
    }
    std::filesystem::remove(path);
    size_t frames = 0;
    for (size_t at = 0; at < out.size();) {
      size_t nl = out.find('\n', at);
      std::string l = out.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
      at = nl == std::string::npos ? out.size() : nl + 1;
      if (l.empty()) continue;
      ++frames;
      std::vector<std::string> f;
      for (size_t b = 0;;) {
        size_t e = l.find('|', b);
        f.push_back(l.substr(b, e == std::string::npos ? std::string::npos : e - b));
        if (e == std::string::npos) break;
        b = e + 1;
      }
      f.resize(5);
      if (!f[1].empty()) problems += "frame " + f[0] + ": malformed " + f[3] + "\n";
      else if (f[2].find("8388608") != std::string::npos &&
               !(f[3].rfind("Internal error, zero-byte FTAM PDU", 0) == 0 && f[4].find('7') != std::string::npos))
        problems += "frame " + f[0] + ": " + f[3] + "\n";
    }
    if (frames == 0) problems += "tshark read no frame: " + out;
    return problems;
  }
  // Reads until `n` more FTAM PDUs (or the connection's end, or 3 s of silence).
  Answers& Await(size_t n) {
    size_t want = a_.pdus.size() + n;
    char buf[65536];
    while (a_.pdus.size() < want && !closed_) {
      ssize_t r = ::recv(sock_.native_handle(), buf, sizeof buf, 0);
      if (r <= 0) {
        closed_ = r == 0;
        if (r < 0) timed_out_ = true;
        break;
      }
      Received(buf, r);
    }
    return a_;
  }
  // Reads until the responder closes the connection (true) or 3 s pass (false).
  bool AwaitClose() {
    char buf[65536];
    for (;;) {
      ssize_t r = ::recv(sock_.native_handle(), buf, sizeof buf, 0);
      if (r == 0) return closed_ = true;
      if (r < 0) return errno == ECONNRESET ? (closed_ = true) : false;
      Received(buf, r);
    }
  }
  void Connect() {
    Send(wire::ConnectRequest(0x1234));
    char buf[256];
    ssize_t r = ::recv(sock_.native_handle(), buf, sizeof buf, 0);
    ASSERT_GT(r, 0);
    Received(buf, r);
  }
  // CR, then CN/CP/AARQ/F-INITIALIZE; true when the association was accepted.
  bool Associate() { return Associate(Request()); }
  bool Associate(ftam::FInitializeRequest req) {
    Connect();
    Send(wire::Associate(req));
    Await(1);
    auto* rsp = a_.Last<ftam::FInitializeResponse>();
    return rsp && rsp->state_result.value_or(0) == 0;
  }
  static ftam::FInitializeRequest Request(std::string user = "ftamtest", std::string password = "ftampass") {
    ftam::FInitializeRequest r;
    r.service_class = ftam::NamedBits::Of({1, 2, 3});
    r.functional_units = ftam::NamedBits::Of({2, 3, 5, 6, 7});
    r.attribute_groups = ftam::NamedBits::Of({0});
    r.ftam_quality_of_service = 0;
    r.contents_type_list = ftam::ContentsTypeList{{true, dt::kFtam3DocumentType}, {true, dt::kFtam1DocumentType},
                                                  {true, dt::kNbs9DocumentType}};
    r.initiator_identity = user;
    r.filestore_password = ftam::Password{password, false};
    return r;
  }
  Answers& answers() { return a_; }
  bool closed() const { return closed_; }
  int fd() { return sock_.native_handle(); }

 private:
  asio::io_context io_;
  tcp::socket sock_;
  Answers a_;
  tools::StackDecoder dec_{&a_};
  tools::PcapWriter pcap_;
  int conn_ = pcap_.Open(40000);
  bool closed_ = false, timed_out_ = false;
};

ftam::FSelectRequest Select(std::string name, int access = ftam::access::kRead) {
  ftam::FSelectRequest s;
  s.attributes = ftam::Attributes{};
  s.attributes->pathname = ftam::Pathname{std::move(name)};
  s.requested_access = ftam::NamedBits::Of({access});
  return s;
}
ftam::FOpenRequest Open(const ftam::ContentsType& ct, int mode = ftam::access::kRead) {
  ftam::FOpenRequest o;
  o.processing_mode = ftam::NamedBits::Of({mode});
  o.contents_type = ftam::OpenContentsType{false, ct};
  return o;
}
ftam::FReadRequest Read() {
  ftam::FReadRequest r;
  r.file_access_data_unit_identity = ftam::FaduIdentity{};
  r.access_context = ftam::AccessContext{};
  return r;
}
std::vector<ftam::Pdu> Group(std::vector<ftam::Pdu> inner) {
  std::vector<ftam::Pdu> g{ftam::FBeginGroupRequest{static_cast<int64_t>(inner.size())}};
  for (auto& p : inner) g.push_back(std::move(p));
  g.push_back(ftam::FEndGroupRequest{});
  return g;
}
ftam::ContentsType Text() { return dt::Ftam1ContentsType({27, std::nullopt, dt::kNotSignificant}); }
ftam::ContentsType Binary() { return dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant}); }

// Raw TPKT + DT carrying `tsdu` (hostile inputs build their own).
std::vector<uint8_t> Dt(const std::vector<uint8_t>& tsdu, bool eot = true) {
  std::vector<uint8_t> out = {3, 0, 0, 0, 2, 0xf0, static_cast<uint8_t>(eot ? 0x80 : 0)};
  out.insert(out.end(), tsdu.begin(), tsdu.end());
  out[2] = static_cast<uint8_t>(out.size() >> 8);
  out[3] = static_cast<uint8_t>(out.size());
  return out;
}
// GT+DT then fully-encoded user data on context `ctx` holding `value` (single-ASN1-type).
std::vector<uint8_t> PDataRaw(int64_t ctx, std::vector<uint8_t> value) {
  std::vector<uint8_t> pdv = {0x02, 0x01, static_cast<uint8_t>(ctx), 0xa0};
  std::vector<uint8_t> v = value;
  auto len = [](std::vector<uint8_t>& to, size_t n) {
    if (n < 128) to.push_back(static_cast<uint8_t>(n));
    else { to.push_back(0x82); to.push_back(static_cast<uint8_t>(n >> 8)); to.push_back(static_cast<uint8_t>(n)); }
  };
  len(pdv, v.size());
  pdv.insert(pdv.end(), v.begin(), v.end());
  std::vector<uint8_t> seq = {0x30};
  len(seq, pdv.size());
  seq.insert(seq.end(), pdv.begin(), pdv.end());
  std::vector<uint8_t> ud = {0x61};
  len(ud, seq.size());
  ud.insert(ud.end(), seq.begin(), seq.end());
  std::vector<uint8_t> tsdu = {1, 0, 1, 0};
  tsdu.insert(tsdu.end(), ud.begin(), ud.end());
  return Dt(tsdu);
}

// After any test, the server still serves a well-behaved association.
void StillServing(Server& s) {
  Initiator i(s.port());
  EXPECT_TRUE(i.Associate()) << "the responder no longer serves";
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
}

// --- well-behaved exchanges --------------------------------------------------------

TEST(Responder, ReadsATextFileAsFtam1WithCrLf) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Select("hello.txt"), Open(Text())})));
  auto& a = i.Await(4);
  ASSERT_TRUE(a.Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Read()}));
  i.Await(1);
  ASSERT_TRUE(a.Last<ftam::FDataEndRequest>());
  EXPECT_EQ(a.data, "hello\r\nworld\r\n");
  i.Send(wire::PData({ftam::FTransferEndRequest{}}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTransferEndResponse>());
  i.Send(wire::PData(Group({ftam::FCloseRequest{}, ftam::FDeselectRequest{}})));
  i.Await(4);
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
}

TEST(Responder, GraphicStringCarriesOneLinePerValue) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Select("hello.txt"), Open(dt::Ftam1ContentsType({25, std::nullopt, dt::kVariable}))})));
  i.Await(4);
  i.Send(wire::PData({Read()}));
  auto& a = i.Await(1);
  EXPECT_EQ(a.data, "helloworld");  // two values, no line ends
}

TEST(Responder, WritesAFileAndReadsItsAttributes) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  ftam::FCreateRequest c;
  c.override = ftam::kDeleteAndCreateWithNewAttributes;
  c.initial_attributes = ftam::Attributes{};
  c.initial_attributes->pathname = ftam::Pathname{"new.bin"};
  c.initial_attributes->contents_type = Binary();
  c.initial_attributes->permitted_actions = ftam::NamedBits::Of({0, 2});
  i.Send(wire::PData(Group({c, Open(Binary(), ftam::access::kReplace)})));
  i.Await(4);
  ftam::FWriteRequest w;
  w.file_access_data_unit_operation = ftam::kReplace;
  w.file_access_data_unit_identity = ftam::FaduIdentity{};
  i.Send(wire::PData({w}));
  std::vector<uint8_t> v1 = {0x04, 0x03, 0x00, 0x01, 0x02}, v2 = {0x04, 0x02, 0xfe, 0xff};
  i.Send(wire::PData(wire::kCtxBinary, {v1, v2}));
  i.Send(wire::PData({ftam::FDataEndRequest{}}));
  i.Send(wire::PData({ftam::FTransferEndRequest{}}));
  auto* te = i.Await(1).Last<ftam::FTransferEndResponse>();
  ASSERT_TRUE(te);
  EXPECT_EQ(te->action_result.value_or(0), 0);
  EXPECT_EQ(s.bridge.files["/new.bin"].data, std::string("\x00\x01\x02\xfe\xff", 5));
}

TEST(Responder, ListsADirectoryAsNbs9) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Select("dir"), Open(dt::Nbs9ContentsType({ftam::NamedBits::Of({0, 13})}))})));
  i.Await(4);
  i.Send(wire::PData({Read()}));
  auto& a = i.Await(1);
  ASSERT_EQ(a.listed.size(), 1u);
  EXPECT_EQ(a.listed[0], "dir/inner.txt");
}

TEST(Responder, MissingFileIsFilenameNotFoundAndTheGroupStops) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Select("nosuch"), Open(Text())})));
  auto& a = i.Await(3);
  auto* sel = a.Last<ftam::FSelectResponse>();
  ASSERT_TRUE(sel);
  EXPECT_EQ(sel->state_result.value_or(0), ftam::kStateFailure);
  EXPECT_EQ(sel->diagnostic->front().error_identifier.value_or(0), eid::kFilenameNotFound);
  EXPECT_FALSE(a.Last<ftam::FOpenResponse>());  // no response after the failed request
  EXPECT_TRUE(a.Last<ftam::FEndGroupResponse>());
}

// --- hostile inputs ------------------------------------------------------------------

TEST(ResponderHostile, GarbageInsteadOfATpktIsDropped) {
  Server s;
  Initiator i(s.port());
  i.Send({'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n', '\r', '\n'});
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, WrongTpktVersionIsDropped) {
  Server s;
  Initiator i(s.port());
  i.Send({4, 0, 0, 11, 6, 0xe0, 0, 0, 0, 1, 0});
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, TpktShorterThanATpduIsDropped) {
  Server s;
  Initiator i(s.port());
  i.Send({3, 0, 0, 5, 0});
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, OversizedTpktIsDropped) {
  ftam::responder::Config c = Server::Small();
  Server s(c);
  Initiator i(s.port());
  // A TPKT that announces 65535 octets on a connection limited to smaller TPDUs: read as
  // a data TPDU too large for the reassembly limit, never buffered whole.
  std::vector<uint8_t> big(65535, 0);
  big[0] = 3;
  big[2] = 0xff;
  big[3] = 0xff;
  big[4] = 2;
  big[5] = 0xf0;
  i.Send(big);
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, DataBeforeConnectRequestIsDropped) {
  Server s;
  Initiator i(s.port());
  i.Send(Dt({1, 0, 1, 0}));
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, ConnectConfirmFromTheInitiatorIsDropped) {
  Server s;
  Initiator i(s.port());
  i.Send(wire::ConnectConfirm(1, 2));
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, DisconnectInsteadOfConnectEndsIt) {
  Server s;
  Initiator i(s.port());
  i.Connect();
  i.Send(wire::Disconnect(0x5500, 0x1234));
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, ConnectSpduWithGarbagePresentationIsRefused) {
  Server s;
  Initiator i(s.port());
  i.Connect();
  // CN with PGI 193 holding bytes that are no CP-type.
  i.Send(Dt({13, 12, 0x14, 2, 0, 2, 0xc1, 6, 0x31, 0x04, 0xde, 0xad, 0xbe, 0xef}));
  EXPECT_TRUE(i.AwaitClose());
  auto& a = i.answers();
  ASSERT_FALSE(a.spdus.empty());
  EXPECT_EQ(a.spdus.back(), "RF");
  StillServing(s);
}

TEST(ResponderHostile, HalfDuplexOnlyIsRefusedBySession) {
  Server s;
  Initiator i(s.port());
  i.Connect();
  i.Send(Dt({13, 9, 0x05, 3, 0x16, 1, 2, 0x14, 2, 0, 1}));  // CN: v2, half-duplex only
  EXPECT_TRUE(i.AwaitClose());
  ASSERT_FALSE(i.answers().spdus.empty());
  EXPECT_EQ(i.answers().spdus.back(), "RF");
  StillServing(s);
}

TEST(ResponderHostile, ForeignApplicationContextIsRejectedByAcse) {
  Server s;
  Initiator i(s.port());
  i.Connect();
  // The same association with another application context (MMS).
  osi::association::Wire w;
  w.acse_ctx = wire::kCtxAcse;
  w.ftam_ctx = wire::kCtxFtam;
  osi::acse::Aarq aarq;
  aarq.application_context_name = osi::ber::Oid{1, 0, 9506, 2, 3};
  osi::presentation::ConnectPpdu cp;
  cp.context_definitions = wire::Contexts();
  osi::session::ConnectSpdu cn;
  cn.version_number = osi::session::kVersion2;
  cn.session_user_requirements = osi::session::requirement::kDuplex;
  std::vector<uint8_t> out;
  ASSERT_TRUE(osi::association::Connect(w, cn, cp, aarq, Initiator::Request(), &out).ok());
  i.Send(out);
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().spdus.back(), "RF");
  StillServing(s);
}

TEST(ResponderHostile, AccessClassOnlyIsUnsupportedServiceClass) {
  Server s;
  Initiator i(s.port());
  auto r = Initiator::Request();
  r.service_class = ftam::NamedBits::Of({ftam::service_class::kAccess});
  EXPECT_FALSE(i.Associate(r));
  auto* rsp = i.answers().Last<ftam::FInitializeResponse>();
  ASSERT_TRUE(rsp && rsp->diagnostic);
  EXPECT_EQ(rsp->diagnostic->front().error_identifier.value_or(0), eid::kUnsupportedServiceClass);
  StillServing(s);
}

TEST(ResponderHostile, TransferClassWithoutGroupingIsUnsupportedUnits) {
  Server s;
  Initiator i(s.port());
  auto r = Initiator::Request();
  r.functional_units = ftam::NamedBits::Of({2, 3});
  EXPECT_FALSE(i.Associate(r));
  auto* rsp = i.answers().Last<ftam::FInitializeResponse>();
  ASSERT_TRUE(rsp && rsp->diagnostic);
  EXPECT_EQ(rsp->diagnostic->front().error_identifier.value_or(0), eid::kUnsupportedFunctionalUnit);
  StillServing(s);
}

TEST(ResponderHostile, WrongPasswordAndUnknownUserGetTheSameDiagnostic) {
  Server s;
  std::string texts[2];
  for (int k = 0; k < 2; ++k) {
    Initiator i(s.port());
    EXPECT_FALSE(i.Associate(k == 0 ? Initiator::Request("ftamtest", "wrong") : Initiator::Request("nobody", "x")));
    auto* rsp = i.answers().Last<ftam::FInitializeResponse>();
    ASSERT_TRUE(rsp && rsp->diagnostic);
    EXPECT_EQ(rsp->diagnostic->front().error_identifier.value_or(0), eid::kInvalidFilestorePassword);
    texts[k] = rsp->diagnostic->front().further_details.value_or("");
  }
  EXPECT_EQ(texts[0], texts[1]);
  StillServing(s);
}

struct AbortCase {
  const char* name;
  std::vector<ftam::Pdu> pdus;
  int64_t diagnostic;
};

class ResponderRegime : public ::testing::TestWithParam<int> {};

std::vector<AbortCase> RegimeCases() {
  ftam::FChangeAttribRequest ca;
  ca.attributes = ftam::Attributes{};
  ca.attributes->pathname = ftam::Pathname{"x"};
  ftam::FBeginGroupRequest big_threshold{9};
  return {
      {"ReadBeforeOpen", {Read()}, eid::kProcedureError},
      {"WriteBeforeOpen", {ftam::FWriteRequest{}}, eid::kProcedureError},
      {"OpenWithoutSelect", Group({Open(Text())}), eid::kProcedureError},
      {"CloseWithoutOpen", Group({ftam::FCloseRequest{}}), eid::kProcedureError},
      {"DeselectWithoutSelect", {ftam::FDeselectRequest{}}, eid::kProcedureError},
      {"TransferEndOutsideATransfer", {ftam::FTransferEndRequest{}}, eid::kProcedureError},
      {"DataEndOutsideATransfer", {ftam::FDataEndRequest{}}, eid::kProcedureError},
      {"AResponseFromTheInitiator", {ftam::FSelectResponse{}}, eid::kProcedureError},
      {"GroupWithoutEnd", {ftam::FBeginGroupRequest{1}, Select("hello.txt")}, eid::kIllegalGroupingSequence},
      {"ReadInsideAGroup", Group({Select("hello.txt"), Read()}), eid::kIllegalGroupingSequence},
      {"TwoPdusWithoutAGroup", {Select("hello.txt"), Open(Text())}, eid::kIllegalGroupingSequence},
      {"ThresholdAboveTheGroup", {big_threshold, Select("hello.txt"), ftam::FEndGroupRequest{}}, eid::kGroupingThresholdViolation},
      {"SelectTwice", Group({Select("hello.txt"), Select("hello.txt")}), eid::kProcedureError},
      {"InitializeAgain", {Initiator::Request()}, eid::kProcedureError},
      {"RecoverNotNegotiated", {ftam::FRecoverRequest{}}, eid::kProcedureError},
  };
}

TEST_P(ResponderRegime, IsAnsweredWithProviderAbort) {
  const AbortCase c = RegimeCases()[static_cast<size_t>(GetParam())];
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(c.pdus));
  EXPECT_TRUE(i.AwaitClose()) << c.name;
  EXPECT_EQ(i.answers().AbortDiagnostic(), c.diagnostic) << c.name;
  EXPECT_EQ(i.answers().spdus.back(), "AB") << c.name;
  StillServing(s);
}
INSTANTIATE_TEST_SUITE_P(Cases, ResponderRegime, ::testing::Range(0, static_cast<int>(RegimeCases().size())),
                         [](const auto& info) { return std::string(RegimeCases()[static_cast<size_t>(info.param)].name); });

TEST(ResponderHostile, ChangeAttribWithoutEnhancedManagementIsAFunctionalUnitError) {
  Server s;
  Initiator i(s.port());
  auto r = Initiator::Request();
  r.functional_units = ftam::NamedBits::Of({2, 3, 5, 7});  // no enhanced file management
  ASSERT_TRUE(i.Associate(r));
  ftam::FChangeAttribRequest ca;
  ca.attributes = ftam::Attributes{};
  ca.attributes->pathname = ftam::Pathname{"renamed.txt"};
  i.Send(wire::PData(Group({Select("hello.txt"), ca, ftam::FDeselectRequest{}})));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kFunctionalUnitError);
  StillServing(s);
}

TEST(ResponderHostile, DataValuesOutsideAWriteAbort) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(wire::kCtxBinary, {{0x04, 0x01, 0x41}}));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, UnknownPresentationContextAborts) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(PDataRaw(99, {0x04, 0x01, 0x41}));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, AcseApduInPDataAborts) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(PDataRaw(wire::kCtxAcse, {0x62, 0x00}));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, UndecodableFtamPduAborts) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(PDataRaw(wire::kCtxFtam, {0xbf, 0x7f, 0x02, 0x05, 0x00}));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, NestingBeyondTheLimitAborts) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  std::vector<uint8_t> deep;
  for (int k = 0; k < 40; ++k) deep.insert(deep.end(), {0xa6, 0x80});  // F-SELECT in F-SELECT ... indefinite
  for (int k = 0; k < 40; ++k) deep.insert(deep.end(), {0x00, 0x00});
  i.Send(PDataRaw(wire::kCtxFtam, deep));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, IndefiniteLengthThatNeverEndsAborts) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(PDataRaw(wire::kCtxFtam, {0xa6, 0x80, 0x73, 0x80, 0xa0, 0x80, 0x19, 0x01, 0x61}));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, TruncatedSpduAborts) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(Dt({1, 0, 1, 40, 0xc1}));  // DT whose parameter length runs past the TSDU
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, TsduBeyondTheLimitAborts) {
  Server s;  // max_tsdu 1 MiB
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  std::vector<uint8_t> part(60000, 0x41);
  for (int k = 0; k < 20; ++k) i.Send(Dt(part, false));  // 1.2 MB without EOT
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, ReleaseWithoutTerminateAborts) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  // FN whose RLRQ carries no F-TERMINATE-request.
  osi::association::Wire w;
  w.acse_ctx = wire::kCtxAcse;
  w.ftam_ctx = wire::kCtxFtam;
  std::vector<uint8_t> out;
  ASSERT_TRUE(osi::association::ReleaseRequest(w, ftam::Pdu(ftam::FDeselectRequest{}), &out).ok());
  i.Send(out);
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  StillServing(s);
}

TEST(ResponderHostile, StalledBeforeConnectRequestIsClosed) {
  Server s;  // association timeout 2 s
  Initiator i(s.port());
  i.Send({3, 0, 0});  // half a TPKT header, then nothing
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  StillServing(s);
}

TEST(ResponderHostile, StalledInsideATpduAfterAssociationTimesOut) {
  Server s;  // idle timeout 2 s
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send({3, 0, 0, 40, 2, 0xf0});  // a DT that never completes
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kTimeout);
  StillServing(s);
}

TEST(ResponderHostile, IdleAssociationTimesOutWithADiagnostic) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kTimeout);
  StillServing(s);
}

TEST(ResponderHostile, UserAbortEndsTheAssociation) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  ftam::FUAbortRequest ab;
  ab.action_result = ftam::kPermanentError;
  i.Send(wire::UserAbort(ab));
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, PresentationProviderAbortEndsTheAssociation) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::ProviderAbort(osi::presentation::kUnexpectedPpdu));
  EXPECT_TRUE(i.AwaitClose());
  StillServing(s);
}

TEST(ResponderHostile, PathEscapesStayInsideTheDestination) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  // The name goes to the destination as given; the destination resolves it inside its root.
  i.Send(wire::PData(Group({Select("../../etc/passwd"), ftam::FDeselectRequest{}})));
  auto* sel = i.Await(3).Last<ftam::FSelectResponse>();
  ASSERT_TRUE(sel);
  EXPECT_EQ(sel->state_result.value_or(0), ftam::kStateFailure);
  StillServing(s);
}

TEST(ResponderHostile, LostBridgeDuringAReadIsProviderAbortLowerLayerFailure) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Select("hello.txt"), Open(Text())})));
  i.Await(4);
  s.bridge.broken = true;
  i.Send(wire::PData({Read()}));
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kLowerLayerFailure);
}

}  // namespace
}  // namespace gw::test

namespace gw::test {
namespace {

TEST(ResponderHostile, LostBridgeDuringAWriteAbortsAtOnceEvenIfTheInitiatorPauses) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  ftam::FCreateRequest c;
  c.override = ftam::kDeleteAndCreateWithNewAttributes;
  c.initial_attributes = ftam::Attributes{};
  c.initial_attributes->pathname = ftam::Pathname{"part.bin"};
  c.initial_attributes->contents_type = Binary();
  c.initial_attributes->permitted_actions = ftam::NamedBits::Of({0, 2});
  i.Send(wire::PData(Group({c, Open(Binary(), ftam::access::kReplace)})));
  i.Await(4);
  ftam::FWriteRequest w;
  w.file_access_data_unit_operation = ftam::kReplace;
  w.file_access_data_unit_identity = ftam::FaduIdentity{};
  i.Send(wire::PData({w}));
  i.Send(wire::PData(wire::kCtxBinary, {{0x04, 0x01, 0x41}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto t0 = std::chrono::steady_clock::now();
  s.bridge.broken = true;  // the initiator sends nothing more
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kLowerLayerFailure);
  EXPECT_EQ(s.bridge.files.count("/part.bin"), 0u);
}

}  // namespace
}  // namespace gw::test

namespace gw::test {
namespace {

// --- F-CREATE's overrides, on a file that exists ----------------------------------------

ftam::FCreateRequest Create(std::string name, int64_t override_, ftam::ContentsType ct) {
  ftam::FCreateRequest c;
  c.override = override_;
  c.initial_attributes = ftam::Attributes{};
  c.initial_attributes->pathname = ftam::Pathname{std::move(name)};
  c.initial_attributes->contents_type = std::move(ct);
  c.initial_attributes->permitted_actions = ftam::NamedBits::Of({0, 1, 2, 3, 4, 5});
  return c;
}
ftam::FWriteRequest Write(int64_t op = ftam::kReplace) {
  ftam::FWriteRequest w;
  w.file_access_data_unit_operation = op;
  w.file_access_data_unit_identity = ftam::FaduIdentity{};
  return w;
}
std::vector<uint8_t> Value(uint8_t tag, std::string_view s) {
  std::vector<uint8_t> v = {tag, static_cast<uint8_t>(s.size())};
  v.insert(v.end(), s.begin(), s.end());
  return v;
}
// F-WRITE, the values on `ctx`, F-DATA-END, F-TRANSFER-END; the F-TRANSFER-END-response.
const ftam::FTransferEndResponse* WriteValues(Initiator& i, int64_t ctx, const std::vector<std::vector<uint8_t>>& values,
                                              int64_t op = ftam::kReplace) {
  i.Send(wire::PData({Write(op)}));
  i.Send(wire::PData(ctx, values));
  i.Send(wire::PData({ftam::FDataEndRequest{}}));
  i.Send(wire::PData({ftam::FTransferEndRequest{}}));
  return i.Await(1).Last<ftam::FTransferEndResponse>();
}
void CloseAndRelease(Initiator& i) {
  i.Send(wire::PData(Group({ftam::FCloseRequest{}, ftam::FDeselectRequest{}})));
  i.Await(4);
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
}

// The end of a read or write (F-TRANSFER-END), then as CloseAndRelease.
void EndTransferAndRelease(Initiator& i) {
  i.Send(wire::PData({ftam::FTransferEndRequest{}}));
  i.Await(1);
  CloseAndRelease(i);
}

TEST(ResponderCreate, CreateFailureOnAnExistingFileIsFileAlreadyExists) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Create("hello.txt", ftam::kCreateFailure, Binary()), Open(Binary(), ftam::access::kReplace)})));
  auto& a = i.Await(3);
  auto* c = a.Last<ftam::FCreateResponse>();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state_result.value_or(0), ftam::kStateFailure);
  ASSERT_TRUE(c->diagnostic && !c->diagnostic->empty());
  EXPECT_EQ(c->diagnostic->front().error_identifier.value_or(0), eid::kFileAlreadyExists);
  EXPECT_FALSE(a.Last<ftam::FOpenResponse>());  // the group stops at the failure
  EXPECT_EQ(s.bridge.files["/hello.txt"].data, "hello\nworld\n");
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
  EXPECT_EQ(i.TsharkProblems(), "");
}

TEST(ResponderCreate, SelectOldFileKeepsTheFileAndReadsIt) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Create("hello.txt", ftam::kSelectOldFile, Text()), Open(Text())})));
  auto& a = i.Await(4);
  auto* c = a.Last<ftam::FCreateResponse>();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state_result.value_or(0), ftam::kStateSuccess);
  ASSERT_TRUE(a.Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Read()}));
  i.Await(1);
  EXPECT_EQ(a.data, "hello\r\nworld\r\n");  // the old contents
  EndTransferAndRelease(i);
  EXPECT_EQ(s.bridge.files["/hello.txt"].data, "hello\nworld\n");
  EXPECT_EQ(i.TsharkProblems(), "");
}

class ResponderDeleteAndCreate : public ::testing::TestWithParam<int64_t> {};

TEST_P(ResponderDeleteAndCreate, ReplacesTheOldContents) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Create("hello.txt", GetParam(), Binary()), Open(Binary(), ftam::access::kReplace)})));
  auto& a = i.Await(4);
  auto* c = a.Last<ftam::FCreateResponse>();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state_result.value_or(0), ftam::kStateSuccess);
  ASSERT_TRUE(a.Last<ftam::FOpenResponse>());
  auto* te = WriteValues(i, wire::kCtxBinary, {Value(0x04, "fresh")});
  ASSERT_TRUE(te);
  EXPECT_EQ(te->action_result.value_or(0), 0);
  CloseAndRelease(i);
  EXPECT_EQ(s.bridge.files["/hello.txt"].data, "fresh");
  EXPECT_EQ(i.TsharkProblems(), "");
}

TEST_P(ResponderDeleteAndCreate, WithoutAWriteLeavesAnEmptyFile) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Create("hello.txt", GetParam(), Binary()), ftam::FDeselectRequest{}})));
  auto* d = i.Await(4).Last<ftam::FDeselectResponse>();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->action_result.value_or(0), 0);
  EXPECT_EQ(s.bridge.files.count("/hello.txt"), 1u);
  EXPECT_EQ(s.bridge.files["/hello.txt"].data, "");
  StillServing(s);
}
INSTANTIATE_TEST_SUITE_P(Overrides, ResponderDeleteAndCreate,
                         ::testing::Values(ftam::kDeleteAndCreateWithOldAttributes, ftam::kDeleteAndCreateWithNewAttributes),
                         [](const auto& info) { return info.param == ftam::kDeleteAndCreateWithOldAttributes ? "OldAttributes" : "NewAttributes"; });

TEST(ResponderCreate, EveryOverrideCreatesAFileThatDoesNotExist) {
  for (int64_t o : {ftam::kCreateFailure, ftam::kSelectOldFile, ftam::kDeleteAndCreateWithOldAttributes,
                    ftam::kDeleteAndCreateWithNewAttributes}) {
    Server s;
    Initiator i(s.port());
    ASSERT_TRUE(i.Associate());
    i.Send(wire::PData(Group({Create("made.bin", o, Binary()), Open(Binary(), ftam::access::kReplace)})));
    ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>()) << o;
    auto* te = WriteValues(i, wire::kCtxBinary, {Value(0x04, "abc")});
    ASSERT_TRUE(te) << o;
    CloseAndRelease(i);
    EXPECT_EQ(s.bridge.files["/made.bin"].data, "abc") << o;
  }
}

// --- F-READ-ATTRIB and F-CHANGE-ATTRIB ------------------------------------------------

ftam::FReadAttribRequest ReadAttrib(std::initializer_list<int> names) {
  ftam::FReadAttribRequest r;
  r.attribute_names = ftam::NamedBits::Of(names);
  return r;
}

TEST(ResponderAttributes, ReadAttribReportsWhatTheDestinationKnows) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());  // storage group negotiated
  i.Send(wire::PData(Group({Select("hello.txt"), ReadAttrib({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}),
                            ftam::FDeselectRequest{}})));
  auto* r = i.Await(5).Last<ftam::FReadAttribResponse>();
  ASSERT_TRUE(r && r->attributes);
  const ftam::Attributes& at = *r->attributes;
  ASSERT_TRUE(at.pathname);
  EXPECT_EQ(*at.pathname, ftam::Pathname{"hello.txt"});
  ASSERT_TRUE(at.contents_type);
  EXPECT_EQ(at.contents_type->document_type_name, dt::kFtam1DocumentType);  // text throughout
  ASSERT_TRUE(at.permitted_actions);
  EXPECT_TRUE(at.permitted_actions->Test(ftam::access::kRead));
  ASSERT_TRUE(at.filesize);
  EXPECT_FALSE(at.filesize->no_value);
  EXPECT_EQ(at.filesize->value, 12);
  ASSERT_TRUE(at.date_and_time_of_last_modification);
  EXPECT_EQ(at.date_and_time_of_last_modification->value.ToIso8601(), "2025-12-03T22:13:20Z");
  ASSERT_TRUE(at.date_and_time_of_creation);
  EXPECT_TRUE(at.date_and_time_of_creation->no_value);  // unknown to the destination: no value
  ASSERT_TRUE(at.identity_of_creator);
  EXPECT_EQ(at.identity_of_creator->value, "ftamtest");
  ASSERT_TRUE(at.storage_account);
  EXPECT_EQ(at.storage_account->value, "ftamtest");
  ASSERT_TRUE(at.file_availability);
  // Binary data is reported as FTAM-3, a directory as NBS-9.
  i.Send(wire::PData(Group({Select("random.bin"), ReadAttrib({0, 2}), ftam::FDeselectRequest{}})));
  r = i.Await(5).Last<ftam::FReadAttribResponse>();
  ASSERT_TRUE(r && r->attributes && r->attributes->contents_type);
  EXPECT_EQ(r->attributes->contents_type->document_type_name, dt::kFtam3DocumentType);
  i.Send(wire::PData(Group({Select("dir"), ReadAttrib({0, 2}), ftam::FDeselectRequest{}})));
  r = i.Await(5).Last<ftam::FReadAttribResponse>();
  ASSERT_TRUE(r && r->attributes && r->attributes->contents_type);
  EXPECT_EQ(r->attributes->contents_type->document_type_name, dt::kNbs9DocumentType);
  EXPECT_FALSE(r->attributes->filesize);  // not asked for
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
  EXPECT_EQ(i.TsharkProblems(), "");
}

TEST(ResponderAttributes, WithoutTheStorageGroupOnlyKernelAttributesAreReported) {
  Server s;
  Initiator i(s.port());
  auto req = Initiator::Request();
  req.attribute_groups.reset();
  ASSERT_TRUE(i.Associate(req));
  i.Send(wire::PData(Group({Select("hello.txt"), ReadAttrib({0, 2, 13}), ftam::FDeselectRequest{}})));
  auto* r = i.Await(5).Last<ftam::FReadAttribResponse>();
  ASSERT_TRUE(r && r->attributes);
  EXPECT_TRUE(r->attributes->pathname && r->attributes->contents_type);
  EXPECT_FALSE(r->attributes->filesize);
}

class ResponderChangeAttrib : public ::testing::TestWithParam<int> {};

TEST_P(ResponderChangeAttrib, AnythingButTheFilenameIsRefusedAndTheAssociationGoesOn) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  ftam::FChangeAttribRequest ca;
  ca.attributes = ftam::Attributes{};
  if (GetParam() == 1) ca.attributes->pathname = ftam::Pathname{"renamed.txt"};  // with another attribute
  ca.attributes->storage_account = ftam::AccountValue{false, "billing"};
  i.Send(wire::PData(Group({Select("hello.txt"), ca, ftam::FDeselectRequest{}})));
  auto& a = i.Await(4);
  auto* r = a.Last<ftam::FChangeAttribResponse>();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action_result.value_or(0), ftam::kPermanentError);
  ASSERT_TRUE(r->diagnostic && !r->diagnostic->empty());
  EXPECT_EQ(r->diagnostic->front().error_identifier.value_or(0), eid::kAttributeCannotBeChanged);
  EXPECT_FALSE(a.Last<ftam::FDeselectResponse>());  // the group stopped at the failure
  EXPECT_EQ(a.AbortDiagnostic(), -1);
  // Still selected: the initiator deselects, then renames as it may.
  ftam::FChangeAttribRequest rn;
  rn.attributes = ftam::Attributes{};
  rn.attributes->pathname = ftam::Pathname{"renamed.txt"};
  i.Send(wire::PData(Group({rn, ftam::FDeselectRequest{}})));
  auto* ok = i.Await(4).Last<ftam::FChangeAttribResponse>();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->action_result.value_or(0), 0);
  EXPECT_EQ(s.bridge.files.count("/hello.txt"), 0u);
  EXPECT_EQ(s.bridge.files["/renamed.txt"].data, "hello\nworld\n");
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
  EXPECT_EQ(i.TsharkProblems(), "");
}
INSTANTIATE_TEST_SUITE_P(Cases, ResponderChangeAttrib, ::testing::Values(0, 1),
                         [](const auto& info) { return info.param ? "FilenameWithAnAccount" : "AccountAlone"; });

// --- FTAM-1 in every form real initiators use, FTAM-3 with and without a length -----------

struct TextForm {
  int64_t tag;
  int64_t significance;
};
class ResponderTextForms : public ::testing::TestWithParam<TextForm> {};
std::string TextFormName(const TextForm& f) {
  const std::string type = f.tag == 25 ? "GraphicString" : f.tag == 26 ? "VisibleString" : f.tag == 27 ? "GeneralString" : "IA5String";
  return type + (f.significance == dt::kVariable ? "Variable" : f.significance == dt::kFixed ? "Fixed" : "NotSignificant");
}

TEST_P(ResponderTextForms, ReadAndWriteKeepTheLines) {
  const TextForm f = GetParam();
  const bool fixed = f.significance == dt::kFixed;
  dt::Ftam1Parameter p{f.tag, fixed ? std::optional<int64_t>(8) : std::nullopt, f.significance};
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Select("hello.txt"), Open(dt::Ftam1ContentsType(p))})));
  auto& a = i.Await(4);
  auto* o = a.Last<ftam::FOpenResponse>();
  ASSERT_TRUE(o && o->contents_type);
  EXPECT_EQ(o->state_result.value_or(0), ftam::kStateSuccess);
  ASSERT_TRUE(o->contents_type->parameter);
  auto back = dt::DecodeFtam1Parameter(osi::AsBytes(*o->contents_type->parameter));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->universal_class_number, f.tag);  // the form asked for is the form used
  EXPECT_EQ(back->string_significance.value_or(dt::kNotSignificant), f.significance);
  i.Send(wire::PData({Read()}));
  i.Await(1);
  ASSERT_TRUE(a.Last<ftam::FDataEndRequest>());
  const bool effectors = f.tag == 22 || f.tag == 27;
  std::vector<std::string> want;
  if (fixed) want = {"hello   ", "world   "};                    // records of exactly 8
  else if (f.significance == dt::kVariable || !effectors) want = {"hello", "world"};  // a value a line
  else want = {"hello\r\nworld\r\n"};                            // the text with its line ends
  EXPECT_EQ(a.values, want);
  for (uint8_t t : a.value_tags) EXPECT_EQ(t, f.tag);
  i.Send(wire::PData({ftam::FTransferEndRequest{}}));
  i.Await(1);
  i.Send(wire::PData(Group({ftam::FCloseRequest{}, ftam::FDeselectRequest{}})));
  i.Await(4);
  // Writing in the same form: the file holds the lines.
  i.Send(wire::PData(Group({Create("up.txt", ftam::kDeleteAndCreateWithNewAttributes, dt::Ftam1ContentsType(p)),
                            Open(dt::Ftam1ContentsType(p), ftam::access::kReplace)})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  const uint8_t tag = static_cast<uint8_t>(f.tag);
  std::vector<std::vector<uint8_t>> values;
  if (fixed) values = {Value(tag, "one     "), Value(tag, "two     ")};
  else if (f.significance == dt::kVariable || !effectors) values = {Value(tag, "one"), Value(tag, "two")};
  else values = {Value(tag, "one\r\ntw"), Value(tag, "o\r\n")};   // boundaries carry no meaning
  auto* te = WriteValues(i, wire::kCtxText, values);
  ASSERT_TRUE(te);
  EXPECT_EQ(te->action_result.value_or(0), 0);
  CloseAndRelease(i);
  EXPECT_EQ(s.bridge.files["/up.txt"].data, fixed ? "one     \ntwo     \n" : "one\ntwo\n");
  EXPECT_EQ(i.TsharkProblems(), "");
}
INSTANTIATE_TEST_SUITE_P(Forms, ResponderTextForms,
                         ::testing::Values(TextForm{25, dt::kVariable}, TextForm{25, dt::kFixed}, TextForm{25, dt::kNotSignificant},
                                           TextForm{26, dt::kVariable}, TextForm{26, dt::kFixed}, TextForm{26, dt::kNotSignificant},
                                           TextForm{27, dt::kVariable}, TextForm{27, dt::kFixed}, TextForm{27, dt::kNotSignificant},
                                           TextForm{22, dt::kVariable}, TextForm{22, dt::kFixed}, TextForm{22, dt::kNotSignificant}),
                         [](const auto& info) { return TextFormName(info.param); });

TEST(ResponderBinaryForms, Ftam3WithARecordLengthSendsValuesNoLongerThanIt) {
  for (std::optional<int64_t> len : {std::optional<int64_t>(100), std::optional<int64_t>()}) {
    Server s;
    std::string data;
    for (int k = 0; k < 300; ++k) data += static_cast<char>(k * 7);
    s.bridge.files["/big.bin"] = {false, data};
    Initiator i(s.port());
    ASSERT_TRUE(i.Associate());
    i.Send(wire::PData(Group({Select("big.bin"), Open(dt::Ftam3ContentsType({len, dt::kNotSignificant}))})));
    auto& a = i.Await(4);
    auto* o = a.Last<ftam::FOpenResponse>();
    ASSERT_TRUE(o && o->contents_type && o->contents_type->parameter);
    auto back = dt::DecodeFtam3Parameter(osi::AsBytes(*o->contents_type->parameter));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->maximum_string_length, len);
    i.Send(wire::PData({Read()}));
    i.Await(1);
    EXPECT_EQ(a.data, data);
    if (len) {
      EXPECT_EQ(a.values.size(), 3u);
      for (const auto& v : a.values) EXPECT_LE(v.size(), 100u);
    } else {
      EXPECT_EQ(a.values.size(), 1u);
    }
    EndTransferAndRelease(i);
    EXPECT_EQ(i.TsharkProblems(), "");
  }
}

// --- directories as ISODE's cd, dir and mkdir use them -----------------------------------

TEST(ResponderDirectories, CdDirAndMkdirAsIsodeSendsThem) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  // cd dir: select it and read its contents type; entries then name "dir/." and "dir/..".
  for (const char* name : {"dir", "dir/.", "dir/inner.txt/.."}) {
    i.Send(wire::PData(Group({Select(name), ReadAttrib({0, 2}), ftam::FDeselectRequest{}})));
    auto* r = i.Await(5).Last<ftam::FReadAttribResponse>();
    ASSERT_TRUE(r && r->attributes && r->attributes->contents_type) << name;
    EXPECT_EQ(r->attributes->contents_type->document_type_name, dt::kNbs9DocumentType) << name;
    EXPECT_EQ(*r->attributes->pathname, ftam::Pathname{name});  // echoed as named
  }
  // dir: the directory opened as NBS-9, entries named under the name it was selected by.
  i.Send(wire::PData(Group({Select("dir/."), Open(dt::Nbs9ContentsType({ftam::NamedBits::Of({0, 2, 13})}))})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Read()}));
  auto& a = i.Await(1);
  EXPECT_EQ(a.listed, std::vector<std::string>{"dir/./inner.txt"});
  i.Send(wire::PData({ftam::FTransferEndRequest{}}));
  i.Await(1);
  i.Send(wire::PData(Group({ftam::FCloseRequest{}, ftam::FDeselectRequest{}})));
  i.Await(4);
  // mkdir: F-CREATE with the NBS-9 contents type makes a directory.
  i.Send(wire::PData(Group({Create("dir/sub", ftam::kCreateFailure, dt::Nbs9ContentsType({ftam::responder::Nbs9AttributeNames()})),
                            ftam::FDeselectRequest{}})));
  auto* c = i.Await(4).Last<ftam::FCreateResponse>();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state_result.value_or(0), ftam::kStateSuccess);
  ASSERT_EQ(s.bridge.files.count("/dir/sub"), 1u);
  EXPECT_TRUE(s.bridge.files["/dir/sub"].directory);
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
  EXPECT_EQ(i.TsharkProblems(), "");
}

// --- presentation contexts and document types nobody here knows ----------------------

TEST(ResponderNegotiation, UnknownAbstractSyntaxAndDocumentTypeAreDroppedNotFatal) {
  Server s;
  Initiator i(s.port());
  i.Connect();
  osi::association::Wire w;
  w.acse_ctx = wire::kCtxAcse;
  w.ftam_ctx = wire::kCtxFtam;
  osi::acse::Aarq aarq;
  aarq.application_context_name = osi::acse::kFtamApplicationContext;
  osi::presentation::ConnectPpdu cp;
  cp.context_definitions = wire::Contexts();
  cp.context_definitions.push_back({13, osi::ber::Oid{1, 0, 8571, 2, 99}, {osi::ber::Oid{2, 1, 1}}});  // unknown
  osi::session::ConnectSpdu cn;
  cn.version_number = osi::session::kVersion2;
  cn.session_user_requirements = osi::session::requirement::kDuplex;
  auto req = Initiator::Request();
  req.contents_type_list->push_back({true, osi::ber::Oid{1, 0, 8571, 5, 2}});  // FTAM-2: not offered here
  std::vector<uint8_t> out;
  ASSERT_TRUE(osi::association::Connect(w, cn, cp, aarq, req, &out).ok());
  i.Send(out);
  auto& a = i.Await(1);
  auto* rsp = a.Last<ftam::FInitializeResponse>();
  ASSERT_TRUE(rsp);
  EXPECT_EQ(rsp->state_result.value_or(0), ftam::kStateSuccess);
  ASSERT_TRUE(rsp->contents_type_list);
  for (const auto& e : *rsp->contents_type_list) EXPECT_FALSE(e.name == (osi::ber::Oid{1, 0, 8571, 5, 2}));
  EXPECT_EQ(rsp->contents_type_list->size(), 3u);
  ASSERT_TRUE(a.cpa);
  ASSERT_EQ(a.cpa->context_results.size(), cp.context_definitions.size());
  const auto& unknown = a.cpa->context_results.back();
  EXPECT_EQ(unknown.result, osi::presentation::kProviderRejection);
  EXPECT_EQ(unknown.provider_reason, osi::presentation::kAbstractSyntaxNotSupported);
  EXPECT_EQ(a.cpa->context_results.front().result, osi::presentation::kAcceptance);
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
  EXPECT_EQ(i.TsharkProblems(), "");
}

// --- a stalled or trickling peer at each layer -----------------------------------------

// Sends `segment` every 400 ms until the responder closes the connection; the seconds it took.
double TrickleUntilClosed(Initiator& i, const std::vector<uint8_t>& segment, double give_up) {
  auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    i.Send(segment);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    char c;
    ssize_t r = ::recv(i.fd(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
      i.AwaitClose();  // the answer (F-P-ABORT, AB) if any, and the close
      return t;
    }
    if (t > give_up) return t;
  }
}

TEST(ResponderSlowloris, StalledAfterTheTransportConnectionIsClosed) {
  Server s;  // association timeout 2 s
  Initiator i(s.port());
  i.Connect();  // CR/CC, then no session CN
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  StillServing(s);
}

TEST(ResponderSlowloris, TricklingTheConnectPhaseIsClosedAtTheAssociationTimeout) {
  Server s;  // association timeout 2 s, each TPDU well within it
  Initiator i(s.port());
  i.Connect();
  const double t = TrickleUntilClosed(i, Dt({13}, /*eot=*/false), 8);  // a CN that never ends
  EXPECT_LT(t, 3.5);
  EXPECT_TRUE(i.closed());
  StillServing(s);
}

TEST(ResponderSlowloris, TricklingATsduIsProviderAbortTimeout) {
  Server s;  // idle and data timeouts 2 s, each segment well within the idle one
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  const double t = TrickleUntilClosed(i, Dt({1}, /*eot=*/false), 8);
  EXPECT_LT(t, 3.5);
  EXPECT_TRUE(i.closed());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kTimeout);
  StillServing(s);
}

TEST(ResponderSlowloris, StalledMidWriteIsProviderAbortTimeoutAndNoFile) {
  Server s;  // data timeout 2 s
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Create("stalled.bin", ftam::kCreateFailure, Binary()), Open(Binary(), ftam::access::kReplace)})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Write()}));
  i.Send(wire::PData(wire::kCtxBinary, {Value(0x04, "part")}));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(i.AwaitClose());  // nothing more from the initiator
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kTimeout);
  EXPECT_EQ(s.bridge.files.count("/stalled.bin"), 0u);
  s.AwaitServed(1);
  s.bridge.broken = false;  // the fake's one session was cancelled with the write; a new one for the next
  StillServing(s);
}

// --- the neutral status -> ISO 8571-3 diagnostic table, row by row --------------------

struct DiagnosticRow {
  gateway::v1::StatusCode code;
  int64_t type;
  int64_t id;  // kFallback: the action's own identifier
};
constexpr int64_t kFallback = 5027;  // what the caller passes (here: bad read)

class ResponderDiagnosticTable : public ::testing::TestWithParam<DiagnosticRow> {};

TEST_P(ResponderDiagnosticTable, Row) {
  const DiagnosticRow row = GetParam();
  gateway::v1::Result r;
  r.set_code(row.code);
  r.set_message("what the destination said");
  ftam::Diagnostic d = ftam::responder::DiagnosticFor(r, kFallback);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].diagnostic_type, row.type) << gateway::v1::StatusCode_Name(row.code);
  EXPECT_EQ(d[0].error_identifier, row.id) << gateway::v1::StatusCode_Name(row.code);
  EXPECT_EQ(d[0].error_observer, ftam::kRespondingFileProtocolMachine);
  EXPECT_EQ(d[0].error_source, ftam::kRespondingFileServiceUser);
  EXPECT_EQ(d[0].further_details, "what the destination said");
}
INSTANTIATE_TEST_SUITE_P(
    Rows, ResponderDiagnosticTable,
    ::testing::Values(DiagnosticRow{gateway::v1::STATUS_NOT_FOUND, ftam::kPermanent, eid::kFilenameNotFound},
                      DiagnosticRow{gateway::v1::STATUS_ALREADY_EXISTS, ftam::kPermanent, eid::kFileAlreadyExists},
                      DiagnosticRow{gateway::v1::STATUS_PERMISSION_DENIED, ftam::kPermanent,
                                    eid::kAccessRequestViolatesLocalSecurity},
                      DiagnosticRow{gateway::v1::STATUS_NOT_LOGGED_IN, ftam::kPermanent, eid::kInvalidFilestorePassword},
                      DiagnosticRow{gateway::v1::STATUS_INVALID_ARGUMENT, ftam::kPermanent, kFallback},
                      DiagnosticRow{gateway::v1::STATUS_FAILED_PRECONDITION, ftam::kPermanent, kFallback},
                      DiagnosticRow{gateway::v1::STATUS_OUT_OF_RANGE, ftam::kPermanent, kFallback},
                      DiagnosticRow{gateway::v1::STATUS_UNAVAILABLE, ftam::kTransient, eid::kLowerLayerFailure},
                      DiagnosticRow{gateway::v1::STATUS_ABORTED, ftam::kPermanent, kFallback},
                      DiagnosticRow{gateway::v1::STATUS_UNIMPLEMENTED, ftam::kPermanent, kFallback},
                      DiagnosticRow{gateway::v1::STATUS_RESOURCE_EXHAUSTED, ftam::kPermanent, eid::kSpaceExhausted},
                      DiagnosticRow{gateway::v1::STATUS_DEADLINE_EXCEEDED, ftam::kTransient, eid::kLowerLayerFailure},
                      DiagnosticRow{gateway::v1::STATUS_INTERNAL, ftam::kPermanent, kFallback},
                      DiagnosticRow{gateway::v1::STATUS_NO_ROUTE, ftam::kPermanent, kFallback}),
    [](const auto& info) { return gateway::v1::StatusCode_Name(info.param.code); });

TEST(ResponderDiagnosticTable, EveryStatusHasARow) {
  // A status added to the API must get its row above.
  EXPECT_EQ(gateway::v1::StatusCode_descriptor()->value_count(), 15);
}

TEST(ResponderDiagnosticTable, TheFarSidesFtamDiagnosticIsPassedOnWhole) {
  gateway::v1::Result r;
  r.set_code(gateway::v1::STATUS_NOT_FOUND);
  auto* f = r.add_origin()->mutable_ftam();
  f->set_diagnostic_type(1);
  f->set_error_identifier(3012);
  f->set_error_observer(2);
  f->set_error_source(4);
  f->set_further_details("file busy at the far responder");
  ftam::Diagnostic d = ftam::responder::DiagnosticFor(r, kFallback);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].diagnostic_type, 1);
  EXPECT_EQ(d[0].error_identifier, 3012);
  EXPECT_EQ(d[0].error_observer, 2);
  EXPECT_EQ(d[0].error_source, 4);
  EXPECT_EQ(d[0].further_details, "file busy at the far responder");
}

TEST(ResponderDiagnosticTable, AnFtpServersReplyIsTheFurtherDetails) {
  gateway::v1::Result r;
  r.set_code(gateway::v1::STATUS_NOT_FOUND);
  r.set_message("not found");
  auto* f = r.add_origin()->mutable_ftp();
  f->set_code(550);
  f->set_text("cdr-0001.dat: No such file or directory");
  ftam::Diagnostic d = ftam::responder::DiagnosticFor(r, kFallback);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].error_identifier, eid::kFilenameNotFound);
  EXPECT_EQ(d[0].further_details, "550 cdr-0001.dat: No such file or directory");
}

}  // namespace
}  // namespace gw::test

namespace gw::test {
namespace {

// --- transport and session negotiation ----------------------------------------------------

// The CC the responder answers `cr` with.
std::optional<osi::transport::ConnectTpdu> ConnectConfirmFor(uint16_t port, osi::transport::ConnectTpdu cr) {
  asio::io_context io;
  tcp::socket sock(io);
  sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  timeval tv{3, 0};
  setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  auto bytes = osi::association::ConnectConfirm(cr);  // the same TPKT encoder serves CR and CC
  asio::write(sock, asio::buffer(bytes));
  uint8_t buf[512];
  ssize_t n = ::recv(sock.native_handle(), buf, sizeof buf, 0);
  if (n <= 4) return std::nullopt;
  auto t = osi::transport::DecodeTpdu(Bytes(buf + 4, static_cast<size_t>(n) - 4));
  if (!t.ok() || !std::holds_alternative<osi::transport::ConnectTpdu>(*t)) return std::nullopt;
  return std::get<osi::transport::ConnectTpdu>(*t);
}

TEST(ResponderTransport, TheTpduSizeIsWhatTheInitiatorAsksUpToTheLimit) {
  ftam::responder::Config c = Server::Small();
  c.max_tpdu = 65531;
  Server s(c);
  osi::transport::ConnectTpdu cr;
  cr.src_ref = 0x4242;
  cr.called_tsap = std::string("\x01\x03", 2);
  for (uint8_t log2 : {7, 11, 13}) {  // 128, 2048 (ISODE), 8192
    cr.tpdu_size = log2;
    auto cc = ConnectConfirmFor(s.port(), cr);
    ASSERT_TRUE(cc && cc->confirm) << int(log2);
    EXPECT_EQ(cc->tpdu_size, log2);
    EXPECT_EQ(cc->dst_ref, 0x4242);
  }
  cr.tpdu_size.reset();
  cr.preferred_max_tpdu_size = 511;  // 65408 octets, RFC 1006's largest in 128-octet units
  auto cc = ConnectConfirmFor(s.port(), cr);
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->preferred_max_tpdu_size, 511u);

  ftam::responder::Config small = Server::Small();
  small.max_tpdu = 4096;  // --max_tpdu lowers what is granted
  Server t(small);
  cr.preferred_max_tpdu_size.reset();
  cr.tpdu_size = 13;
  cc = ConnectConfirmFor(t.port(), cr);
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->tpdu_size, 12);
  cr.tpdu_size.reset();
  cr.preferred_max_tpdu_size = 511;
  cc = ConnectConfirmFor(t.port(), cr);
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->preferred_max_tpdu_size, 32u);
}

TEST(ResponderSession, Version1IsAcceptedAndTheAccountReachesTheLogin) {
  Server s;
  Initiator i(s.port());
  i.Connect();
  osi::association::Wire w;
  w.acse_ctx = wire::kCtxAcse;
  w.ftam_ctx = wire::kCtxFtam;
  w.session_version = osi::session::kVersion1;
  osi::acse::Aarq aarq;
  aarq.application_context_name = osi::acse::kFtamApplicationContext;
  osi::presentation::ConnectPpdu cp;
  cp.context_definitions = wire::Contexts();
  osi::session::ConnectSpdu cn;
  cn.version_number = osi::session::kVersion1;
  cn.session_user_requirements = osi::session::requirement::kDuplex;
  auto req = Initiator::Request();
  req.account = "billing-42";
  std::vector<uint8_t> out;
  ASSERT_TRUE(osi::association::Connect(w, cn, cp, aarq, req, &out).ok());
  i.Send(out);
  auto* rsp = i.Await(1).Last<ftam::FInitializeResponse>();
  ASSERT_TRUE(rsp);
  EXPECT_EQ(rsp->state_result.value_or(0), ftam::kStateSuccess);
  EXPECT_EQ(i.answers().spdus.back(), "AC");
  EXPECT_EQ(s.bridge.last_login_account, "billing-42");
  i.Send(wire::PData(Group({Select("hello.txt"), Open(Text())})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Read()}));
  i.Await(1);
  EXPECT_EQ(i.answers().data, "hello\r\nworld\r\n");
  EndTransferAndRelease(i);
  EXPECT_EQ(i.TsharkProblems(), "");
}

// --- F-CANCEL --------------------------------------------------------------------------

TEST(ResponderCancel, CancelDuringAWriteKeepsNoFileAndTheAssociationGoesOn) {
  Server s;
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Create("cancelled.bin", ftam::kCreateFailure, Binary()), Open(Binary(), ftam::access::kReplace)})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Write()}));
  i.Send(wire::PData(wire::kCtxBinary, {Value(0x04, "half of it")}));
  ftam::FCancelRequest cancel;
  cancel.action_result = ftam::kPermanentError;
  i.Send(wire::PData({cancel}));
  ASSERT_TRUE(i.Await(1).Last<ftam::FCancelResponse>());
  EXPECT_EQ(i.answers().AbortDiagnostic(), -1);
  EXPECT_EQ(s.bridge.files.count("/cancelled.bin"), 0u);  // nothing looks complete
  // The file regime goes on: close, deselect, and the next read works.
  i.Send(wire::PData(Group({ftam::FCloseRequest{}, ftam::FDeselectRequest{}})));
  i.Await(4);
  i.Send(wire::PData(Group({Select("hello.txt"), Open(Text())})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Read()}));
  ASSERT_TRUE(i.Await(1).Last<ftam::FDataEndRequest>());
  EndTransferAndRelease(i);
  EXPECT_EQ(i.TsharkProblems(), "");
}

TEST(ResponderCancel, CancelDuringAReadIsAnswered) {
  Server s;
  std::string big(3 << 20, 'x');
  s.bridge.files["/big.bin"] = {false, big};
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Select("big.bin"), Open(Binary())})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Read()}));
  ftam::FCancelRequest cancel;
  cancel.action_result = ftam::kPermanentError;
  i.Send(wire::PData({cancel}));
  ASSERT_TRUE(i.Await(1).Last<ftam::FCancelResponse>() || i.answers().Last<ftam::FDataEndRequest>());
  if (!i.answers().Last<ftam::FCancelResponse>()) ASSERT_TRUE(i.Await(1).Last<ftam::FCancelResponse>());
  EXPECT_EQ(i.answers().AbortDiagnostic(), -1);
  i.Send(wire::PData(Group({ftam::FCloseRequest{}, ftam::FDeselectRequest{}})));
  EXPECT_TRUE(i.Await(4).Last<ftam::FDeselectResponse>());
  i.Send(wire::Release(ftam::FTerminateRequest{}));
  EXPECT_TRUE(i.Await(1).Last<ftam::FTerminateResponse>());
}

}  // namespace
}  // namespace gw::test

namespace gw::test {
namespace {

TEST(ResponderHostile, AWriteBeyondTheTsduLimitAbortsAndKeepsNoFile) {
  Server s;  // max_tsdu 1 MiB
  Initiator i(s.port());
  ASSERT_TRUE(i.Associate());
  i.Send(wire::PData(Group({Create("huge.bin", ftam::kCreateFailure, Binary()), Open(Binary(), ftam::access::kReplace)})));
  ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
  i.Send(wire::PData({Write()}));
  i.Send(wire::PData(wire::kCtxBinary, {Value(0x04, "a first value")}));
  std::vector<uint8_t> part(60000, 0x41);
  for (int k = 0; k < 20; ++k) i.Send(Dt(part, false));  // one P-DATA of 1.2 MB
  EXPECT_TRUE(i.AwaitClose());
  EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kProtocolError);
  EXPECT_EQ(s.bridge.files.count("/huge.bin"), 0u);
  s.AwaitServed(1);
  s.bridge.broken = false;  // the fake's one session was cancelled with the write; a new one for the next
  StillServing(s);
}

}  // namespace
}  // namespace gw::test

namespace gw::test {
namespace {

TEST(ResponderTransport, AnotherTransportSelectorThanTheOneServedGetsADisconnect) {
  ftam::responder::Config c = Server::Small();
  c.required_tsel = std::string("\x01\x03", 2);  // --tsel 0103
  Server s(c);
  for (const std::string& tsel : {std::string("\x01\x03", 2), std::string("\x09\x09", 2)}) {
    asio::io_context io;
    tcp::socket sock(io);
    sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
    timeval tv{3, 0};
    setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    osi::transport::ConnectTpdu cr;
    cr.src_ref = 0x4242;
    cr.called_tsap = tsel;
    cr.tpdu_size = 11;
    auto bytes = osi::association::ConnectConfirm(cr);
    asio::write(sock, asio::buffer(bytes));
    uint8_t buf[512];
    ssize_t n = ::recv(sock.native_handle(), buf, sizeof buf, 0);
    ASSERT_GT(n, 4);
    auto t = osi::transport::DecodeTpdu(Bytes(buf + 4, static_cast<size_t>(n) - 4));
    ASSERT_TRUE(t.ok());
    if (tsel[0] == 1) {
      EXPECT_TRUE(std::holds_alternative<osi::transport::ConnectTpdu>(*t));
    } else {
      ASSERT_TRUE(std::holds_alternative<osi::transport::DisconnectTpdu>(*t));
      EXPECT_EQ(std::get<osi::transport::DisconnectTpdu>(*t).reason, osi::transport::dr_reason::kAddressUnknown);
    }
  }
}

}  // namespace
}  // namespace gw::test

namespace gw::test {
namespace {

// --- A failure of the gateway's own (an exception, as out of memory would throw) ----------
// It ends that one association with F-P-ABORT "responder error", after the coroutines that
// use the association have ended; the bridge session is cancelled and the responder goes on.

TEST(ResponderInternalError, DuringARequestIsResponderErrorAndTheResponderGoesOn) {
  Server s;
  {
    Initiator i(s.port());
    ASSERT_TRUE(i.Associate());
    i.Send(wire::PData(Group({Select("hello.txt"), Open(Text())})));
    ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
    s.bridge.throw_on_op = true;
    i.Send(wire::PData({Read()}));
    EXPECT_TRUE(i.AwaitClose());
    EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kResponderError);
    EXPECT_EQ(i.TsharkProblems(), "");  // the abort is well-formed for Wireshark's dissectors
  }
  s.AwaitServed(1);
  EXPECT_EQ(s.served, 1);  // the association ended, and was counted out
  EXPECT_EQ(s.bridge.cancelled, 1);
  // The next association is served as usual.
  s.bridge.broken = false;
  Initiator j(s.port());
  ASSERT_TRUE(j.Associate());
  j.Send(wire::PData(Group({Select("hello.txt"), Open(Text())})));
  ASSERT_TRUE(j.Await(4).Last<ftam::FOpenResponse>());
  j.Send(wire::PData({Read()}));
  ASSERT_TRUE(j.Await(1).Last<ftam::FDataEndRequest>());
  EndTransferAndRelease(j);
}

TEST(ResponderInternalError, DuringAWriteLeavesNoFileAndEndsTheBridgeWatcher) {
  Server s;
  {
    Initiator i(s.port());
    ASSERT_TRUE(i.Associate());
    i.Send(wire::PData(Group({Create("part.bin", ftam::kCreateFailure, Binary()), Open(Binary(), ftam::access::kReplace)})));
    ASSERT_TRUE(i.Await(4).Last<ftam::FOpenResponse>());
    i.Send(wire::PData({Write()}));
    i.Send(wire::PData(wire::kCtxBinary, {Value(0x04, "all of it")}));
    s.bridge.throw_on_data = true;
    i.Send(wire::PData({ftam::FDataEndRequest{}}));
    EXPECT_TRUE(i.AwaitClose());
    EXPECT_EQ(i.answers().AbortDiagnostic(), eid::kResponderError);
    EXPECT_EQ(i.TsharkProblems(), "");  // the abort is well-formed for Wireshark's dissectors
  }
  s.AwaitServed(1);
  EXPECT_EQ(s.served, 1);
  EXPECT_EQ(s.bridge.cancelled, 1);
  EXPECT_EQ(s.bridge.files.count("/part.bin"), 0u);
}

}  // namespace
}  // namespace gw::test
