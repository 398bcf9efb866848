// The responder in-process, over loopback TCP, with an in-memory destination: a well-behaved
// initiator's exchanges, and hostile inputs at every layer, each answered as the standards
// say (refusal, F-INITIALIZE failure, F-P-ABORT with a diagnostic, DR or a closed
// connection) while the responder keeps serving new associations.
#include <sys/socket.h>

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
  int served = 0;

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
    if (s.ok()) data += s->Join();
  }
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
      dec_.Feed(1, Bytes(reinterpret_cast<uint8_t*>(buf), static_cast<size_t>(r)));
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
      dec_.Feed(1, Bytes(reinterpret_cast<uint8_t*>(buf), static_cast<size_t>(r)));
    }
  }
  void Connect() {
    Send(wire::ConnectRequest(0x1234));
    char buf[256];
    ssize_t r = ::recv(sock_.native_handle(), buf, sizeof buf, 0);
    ASSERT_GT(r, 0);
    dec_.Feed(1, Bytes(reinterpret_cast<uint8_t*>(buf), static_cast<size_t>(r)));
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

 private:
  asio::io_context io_;
  tcp::socket sock_;
  Answers a_;
  tools::StackDecoder dec_{&a_};
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
