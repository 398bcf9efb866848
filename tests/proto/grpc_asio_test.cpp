// The gRPC <-> Asio adapter: a real in-process gRPC server and client whose reactors only
// signal, driven by coroutines on Asio threads. Run under the TSan preset too.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/grpc_asio.h"
#include "runtime/session_frames.h"
#include "runtime/session_inbox.h"

namespace gw::rt {
namespace {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
using Server = ServerBidi<v1::SessionRequest, v1::SessionResponse>;
using Client = ClientBidi<v1::SessionRequest, v1::SessionResponse>;

// Echo: every data chunk comes back; an operation is answered with its id; reads and
// writes overlap (a pump reads while the main loop writes).
asio::awaitable<void> Echo(Server* r, std::atomic<int>* finished) {
  v1::SessionRequest req;
  while (co_await r->Read(req)) {
    v1::SessionResponse resp;
    if (req.has_data()) *resp.mutable_data() = req.data();
    else resp.mutable_result()->set_id(req.op().id());
    if (!co_await r->Write(std::move(resp))) break;
  }
  co_await r->Finish(grpc::Status::OK);
  ++*finished;
  delete r;
}

// A new session's reactor, served by `serve(reactor)` on a strand of its own.
template <typename Serve>
Server* ServeOnStrand(asio::io_context& io, Serve serve) {
  auto strand = asio::make_strand(io);
  auto* r = new Server(strand);
  asio::co_spawn(strand, serve(r), asio::detached);
  return r;
}

class EchoService final : public v1::FileService::CallbackService {
 public:
  explicit EchoService(asio::io_context& io) : io_(io) {}
  grpc::ServerBidiReactor<v1::SessionRequest, v1::SessionResponse>* Session(
      grpc::CallbackServerContext*) override {
    return ServeOnStrand(io_, [this](Server* r) { return Echo(r, &finished); });
  }
  std::atomic<int> finished{0};

 private:
  asio::io_context& io_;
};

// A real server on a loopback port serving `Service`, a channel to it, two Asio threads.
template <typename Service>
class Served : public ::testing::Test {
 protected:
  void SetUp() override {
    service_ = std::make_unique<Service>(io_);
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    b.RegisterService(service_.get());
    b.SetMaxReceiveMessageSize(8 << 20);
    server_ = b.BuildAndStart();
    ASSERT_NE(port_, 0);
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(8 << 20);
    channel_ = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port_), grpc::InsecureChannelCredentials(), args);
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    guard_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_ = asio::make_work_guard(io_);
  std::vector<std::thread> threads_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  int port_ = 0;
};

class AdapterTest : public Served<EchoService> {
 protected:
  void SetUp() override {
    Served::SetUp();
    stub_ = v1::FileService::NewStub(channel_);
  }
  std::unique_ptr<v1::FileService::Stub> stub_;
};

void StartSession(v1::FileService::Stub* stub, Client* c) {
  c->Start([stub](grpc::ClientContext* ctx, Client* r) { stub->async()->Session(ctx, r); });
}

asio::awaitable<int> RoundTrips(v1::FileService::Stub* stub, int n) {
  Client c(co_await asio::this_coro::executor);
  StartSession(stub, &c);
  int matched = 0;
  for (int i = 0; i < n; ++i) {
    v1::SessionRequest req;
    req.mutable_data()->set_data(std::string(1000 + i, static_cast<char>('a' + i % 26)));
    if (!co_await c.Write(std::move(req))) break;
    v1::SessionResponse resp;
    if (!co_await c.Read(resp)) break;
    if (resp.data().data() == std::string(1000 + i, static_cast<char>('a' + i % 26))) ++matched;
  }
  grpc::Status s = co_await c.Finish();
  co_return s.ok() ? matched : -1;
}

TEST_F(AdapterTest, MessagesComeBackInOrderAndTheCallFinishesOk) {
  auto f = asio::co_spawn(asio::make_strand(io_), RoundTrips(stub_.get(), 200), asio::use_future);
  ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(f.get(), 200);
}

TEST_F(AdapterTest, ManyConcurrentSessions) {
  std::vector<std::future<int>> fs;
  for (int i = 0; i < 32; ++i)
    fs.push_back(asio::co_spawn(asio::make_strand(io_), RoundTrips(stub_.get(), 20), asio::use_future));
  for (auto& f : fs) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    EXPECT_EQ(f.get(), 20);
  }
  for (int i = 0; i < 100 && service_->finished < 32; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(service_->finished.load(), 32);  // every server reactor finished and was freed
}

asio::awaitable<bool> CancelMidStream(v1::FileService::Stub* stub) {
  Client c(co_await asio::this_coro::executor);
  StartSession(stub, &c);
  v1::SessionRequest req;
  req.mutable_op()->set_id(7);
  co_await c.Write(std::move(req));
  v1::SessionResponse resp;
  bool first = co_await c.Read(resp) && resp.result().id() == 7;
  c.Cancel();
  v1::SessionResponse after;
  bool read_after_cancel = co_await c.Read(after);
  grpc::Status s = co_await c.Finish();
  co_return first && !read_after_cancel && s.error_code() == grpc::StatusCode::CANCELLED;
}

TEST_F(AdapterTest, CancelEndsBothSides) {
  auto f = asio::co_spawn(asio::make_strand(io_), CancelMidStream(stub_.get()), asio::use_future);
  ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_TRUE(f.get());
  for (int i = 0; i < 100 && service_->finished < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(service_->finished.load(), 1);
}

// Session frames over a real stream: the server passes each data chunk on as it came (as
// the bridge relays), writing one while it reads the next; clients are our frame client
// and the generated protobuf stub, which must see the same messages.
using FrameServer = ServerBidi<RequestFrame, ResponseFrame>;
using FrameClient = ClientBidi<RequestFrame, ResponseFrame>;

asio::awaitable<void> FrameEcho(FrameServer* r) {
  RequestFrame req;
  bool in_flight = false, ok = true;
  while (ok && co_await r->Read(req)) {
    ResponseFrame resp;
    if (req.is_data()) resp = DataFrame<ResponseFrame>(std::move(req.payload), req.last());
    else resp.msg.mutable_result()->set_id(req.msg.op().id());
    if (in_flight) ok = co_await r->WriteDone();
    r->StartWriting(std::move(resp));
    in_flight = true;
  }
  if (in_flight) co_await r->WriteDone();
  co_await r->Finish(grpc::Status::OK);
  delete r;
}

class FrameEchoService final : public WithFrameSession<v1::FileService::CallbackService> {
 public:
  explicit FrameEchoService(asio::io_context& io) : io_(io) {}
  grpc::ServerBidiReactor<RequestFrame, ResponseFrame>* FrameSession(grpc::CallbackServerContext*) override {
    auto strand = asio::make_strand(io_);
    auto* r = new FrameServer(strand);
    asio::co_spawn(strand, FrameEcho(r), asio::detached);
    return r;
  }

 private:
  asio::io_context& io_;
};

using FramesTest = Served<FrameEchoService>;

char PatternAt(int chunk, std::size_t i) { return static_cast<char>((i * 7 + static_cast<std::size_t>(chunk) * 13) % 251); }

// Sends `n` chunks of `size` octets (built in place in chunk buffers) and checks each echo.
asio::awaitable<int> FrameRoundTrips(SessionStub* stub, int n, std::size_t size) {
  FrameClient c(co_await asio::this_coro::executor);
  c.Start([stub](grpc::ClientContext* ctx, FrameClient* r) {
    stub->PrepareBidiStreamingCall(ctx, kSessionMethod, grpc::StubOptions(), r);
  });
  int matched = 0;
  for (int i = 0; i < n; ++i) {
    ChunkBuffer buf = Payload::NewBuffer(size);
    for (std::size_t k = 0; k < size; ++k) buf.data()[k] = PatternAt(i, k);
    if (!co_await c.Write(DataFrame<RequestFrame>(Payload::Adopt(std::move(buf), size), i == n - 1))) break;
    ResponseFrame resp;
    if (!co_await c.Read(resp) || !resp.is_data() || resp.last() != (i == n - 1)) break;
    std::string got = resp.payload.ToString();
    bool same = got.size() == size;
    for (std::size_t k = 0; same && k < size; ++k) same = got[k] == PatternAt(i, k);
    if (same) ++matched;
  }
  grpc::Status s = co_await c.Finish();
  co_return s.ok() ? matched : -1;
}

TEST_F(FramesTest, ChunksComeBackWholeFromConcurrentSessions) {
  SessionStub stub(channel_);
  std::vector<std::future<int>> fs;
  for (int i = 0; i < 4; ++i)
    fs.push_back(asio::co_spawn(asio::make_strand(io_), FrameRoundTrips(&stub, 20, (1 << 20) - i * 4099), asio::use_future));
  for (auto& f : fs) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    EXPECT_EQ(f.get(), 20);
  }
}

TEST_F(FramesTest, TheGeneratedStubSeesProtobufMessages) {
  auto stub = v1::FileService::NewStub(channel_);
  grpc::ClientContext ctx;
  auto stream = stub->Session(&ctx);
  v1::SessionRequest op;
  op.mutable_op()->set_id(41);
  ASSERT_TRUE(stream->Write(op));
  v1::SessionRequest data;
  data.mutable_data()->set_data(std::string(300000, 'q'));
  data.mutable_data()->set_last(true);
  ASSERT_TRUE(stream->Write(data));
  v1::SessionResponse resp;
  ASSERT_TRUE(stream->Read(&resp));
  EXPECT_EQ(resp.result().id(), 41u);
  ASSERT_TRUE(stream->Read(&resp));
  EXPECT_EQ(resp.data().data(), std::string(300000, 'q'));
  EXPECT_TRUE(resp.data().last());
  stream->WritesDone();
  EXPECT_FALSE(stream->Read(&resp));
  EXPECT_TRUE(stream->Finish().ok());
}

// A session that ends (with an error) after its first request while the client is still
// sending: the inbox's pump is reading all along, and must not start a read on the stream
// once it is being finished (that aborted the process). Every session ends with the
// server's status and is counted out.
class FinishEarlyService final : public WithFrameSession<v1::FileService::CallbackService> {
 public:
  explicit FinishEarlyService(asio::io_context& io) : io_(io) {}
  grpc::ServerBidiReactor<RequestFrame, ResponseFrame>* FrameSession(grpc::CallbackServerContext*) override {
    return AcceptServedSession<RequestFrame, ResponseFrame>(
        io_, sessions, 1000, "sessions", "gw_test_early_sessions", "test.exception",
        [this](SessionInbox<RequestFrame, ResponseFrame>* in) -> asio::awaitable<grpc::Status> {
          (void)co_await in->Next();
          if (const int ms = linger_ms.load(); ms > 0) {
            // Busy elsewhere while the client goes on: the inbox fills, and the pump waits
            // to queue one more.
            asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
            co_await t.async_wait(asio::use_awaitable);
          }
          ++served;
          co_return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "one request is enough");
        });
  }
  std::atomic<std::size_t> sessions{0};
  std::atomic<int> served{0};
  std::atomic<int> linger_ms{0};

 private:
  asio::io_context& io_;
};

class FinishEarlyTest : public Served<FinishEarlyService> {
 public:
  FinishEarlyService& service() { return *service_; }
  asio::io_context& io() { return io_; }
};

asio::awaitable<grpc::StatusCode> Flood(SessionStub* stub, int n) {
  FrameClient c(co_await asio::this_coro::executor);
  c.Start([stub](grpc::ClientContext* ctx, FrameClient* r) {
    stub->PrepareBidiStreamingCall(ctx, kSessionMethod, grpc::StubOptions(), r);
  });
  for (int i = 0; i < n; ++i) {
    RequestFrame req;
    req.msg.mutable_op()->set_id(static_cast<uint64_t>(i));
    if (!co_await c.Write(std::move(req))) break;
  }
  grpc::Status s = co_await c.Finish();
  co_return s.error_code();
}

void FloodAndCheck(FinishEarlyTest* t, SessionStub* stub, int rounds) {
  constexpr int kAtOnce = 4;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::future<grpc::StatusCode>> fs;
    for (int i = 0; i < kAtOnce; ++i) fs.push_back(asio::co_spawn(asio::make_strand(t->io()), Flood(stub, 64), asio::use_future));
    for (auto& f : fs) {
      ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
      EXPECT_EQ(f.get(), grpc::StatusCode::FAILED_PRECONDITION);
    }
  }
  EXPECT_EQ(t->service().served.load(), rounds * kAtOnce);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (t->service().sessions.load() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(t->service().sessions.load(), 0u);
}

TEST_F(FinishEarlyTest, ASessionFinishedWhileRequestsArriveEndsCleanly) {
  SessionStub stub(channel_);
  FloodAndCheck(this, &stub, 100);
}

TEST_F(FinishEarlyTest, ASessionFinishedWithAFullInboxEndsCleanly) {
  SessionStub stub(channel_);
  service_->linger_ms = 30;
  FloodAndCheck(this, &stub, 10);
}

// A server that reads everything and answers nothing: a client's read waits until the
// call ends.
asio::awaitable<void> Silent(Server* r) {
  v1::SessionRequest req;
  while (co_await r->Read(req)) {
  }
  co_await r->Finish(grpc::Status::OK);
  delete r;
}

class SilentService final : public v1::FileService::CallbackService {
 public:
  explicit SilentService(asio::io_context& io) : io_(io) {}
  grpc::ServerBidiReactor<v1::SessionRequest, v1::SessionResponse>* Session(grpc::CallbackServerContext*) override {
    return ServeOnStrand(io_, Silent);
  }

 private:
  asio::io_context& io_;
};

using SilentTest = Served<SilentService>;

// One coroutine waits in Read while another cancels and finishes the call (as a transfer
// that gives up while its watcher still reads the stream): Finish must not take the read's
// completion from under the reader, or one of them waits for ever.
asio::awaitable<bool> CancelWhileReading(v1::FileService::Stub* stub) {
  auto ex = co_await asio::this_coro::executor;
  Client c(ex);
  StartSession(stub, &c);
  v1::SessionRequest req;
  req.mutable_op()->set_id(1);
  if (!co_await c.Write(std::move(req))) co_return false;
  Event<bool> reader_done(ex);
  asio::co_spawn(ex, [&c, &reader_done]() -> asio::awaitable<void> {
    v1::SessionResponse resp;
    reader_done.Signal(co_await c.Read(resp));
  }, asio::detached);
  co_await asio::post(ex, asio::use_awaitable);  // the reader is waiting now
  c.Cancel();
  grpc::Status s = co_await c.Finish();
  const bool read_ok = co_await reader_done.Wait();
  co_return !read_ok && s.error_code() == grpc::StatusCode::CANCELLED;
}

TEST_F(SilentTest, FinishingWhileAnotherCoroutineReadsEndsBoth) {
  auto stub = v1::FileService::NewStub(channel_);
  for (int i = 0; i < 200; ++i) {
    auto f = asio::co_spawn(asio::make_strand(io_), CancelWhileReading(stub.get()), asio::use_future);
    ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "round " << i;
    EXPECT_TRUE(f.get()) << "round " << i;
  }
}

asio::awaitable<int> WaitSignals(Event<int>* e, int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i) sum += co_await e->Wait();
  co_return sum;
}

TEST(Event, SignalsFromOtherThreadsAreDeliveredInOrderOnce) {
  asio::io_context io;
  Event<int> e(io.get_executor(), 1000);
  auto f = asio::co_spawn(io, WaitSignals(&e, 1000), asio::use_future);
  std::thread producer([&e] {
    for (int i = 1; i <= 1000; ++i) e.Signal(i);
  });
  io.run();
  producer.join();
  EXPECT_EQ(f.get(), 500500);
}

}  // namespace
}  // namespace gw::rt
