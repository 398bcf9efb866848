// The gRPC <-> Asio adapter: gRPC callback reactors whose callbacks only signal an event,
// and coroutines that co_await those events on their own executor. Nothing here blocks a
// gRPC thread. Each reactor keeps at most one read and one write outstanding, as gRPC
// allows; a read whose awaiter was cancelled stays outstanding and is handed to the next
// Read(), so no message is ever lost.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_callback.h>
#include <grpcpp/support/server_callback.h>

namespace gw::rt {

namespace asio = boost::asio;

// A thread-safe event: Signal() from any thread, co_await Wait() on the owner's executor.
// Each Signal() delivers one value; values queue up to `capacity`.
template <typename T>
class Event {
 public:
  Event(asio::any_io_executor ex, std::size_t capacity = 1) : ch_(ex, capacity) {}
  void Signal(T value) { ch_.try_send(boost::system::error_code{}, std::move(value)); }
  asio::awaitable<T> Wait() { co_return co_await ch_.async_receive(asio::use_awaitable); }
  // A value already signalled, if any, without waiting.
  std::optional<T> TryGet() {
    std::optional<T> out;
    ch_.try_receive([&out](boost::system::error_code ec, T value) {
      if (!ec) out = std::move(value);
    });
    return out;
  }
  void Close() { ch_.close(); }

 private:
  asio::experimental::concurrent_channel<void(boost::system::error_code, T)> ch_;
};

// Server side of a bidirectional stream, owned by the gRPC runtime until OnDone, then by
// the coroutine that drives it (which deletes it through Release()).
template <typename Req, typename Resp>
class ServerBidi : public grpc::ServerBidiReactor<Req, Resp> {
 public:
  explicit ServerBidi(asio::any_io_executor ex)
      : ex_(ex), read_done_(ex), write_done_(ex), done_(ex) {}

  asio::any_io_executor executor() const { return ex_; }

  // Reads the next message; false at end of stream or on failure.
  asio::awaitable<bool> Read(Req& out) {
    if (!read_pending_) {
      read_pending_ = true;
      this->StartRead(&incoming_);
    }
    bool ok = co_await read_done_.Wait();
    read_pending_ = false;
    if (ok) out = std::move(incoming_);
    co_return ok;
  }

  // Writes one message; false if the stream is broken.
  asio::awaitable<bool> Write(const Resp& msg) {
    outgoing_ = msg;
    this->StartWrite(&outgoing_);
    co_return co_await write_done_.Wait();
  }
  asio::awaitable<bool> Write(Resp&& msg) {
    outgoing_ = std::move(msg);
    this->StartWrite(&outgoing_);
    co_return co_await write_done_.Wait();
  }

  // A write in two halves, so that the next message can be prepared while this one goes
  // out: StartWriting() begins it, WriteDone() waits for it. Nothing else may write between.
  void StartWriting(Resp&& msg) {
    outgoing_ = std::move(msg);
    this->StartWrite(&outgoing_);
  }
  asio::awaitable<bool> WriteDone() { co_return co_await write_done_.Wait(); }

  // Finishes the call and waits until gRPC is done with this reactor.
  asio::awaitable<void> Finish(grpc::Status status) {
    this->grpc::ServerBidiReactor<Req, Resp>::Finish(std::move(status));
    co_await done_.Wait();
  }

  bool cancelled() const { return cancelled_.load(); }

  void OnReadDone(bool ok) override { read_done_.Signal(ok); }
  void OnWriteDone(bool ok) override { write_done_.Signal(ok); }
  void OnCancel() override { cancelled_ = true; }
  void OnDone() override { done_.Signal(true); }

 private:
  asio::any_io_executor ex_;
  Event<bool> read_done_, write_done_, done_;
  Req incoming_;
  Resp outgoing_;
  bool read_pending_ = false;
  std::atomic<bool> cancelled_{false};
};

// Server side of a server-streaming call.
template <typename Resp>
class ServerWriter : public grpc::ServerWriteReactor<Resp> {
 public:
  explicit ServerWriter(asio::any_io_executor ex) : write_done_(ex), done_(ex) {}
  asio::awaitable<bool> Write(Resp&& msg) {
    outgoing_ = std::move(msg);
    this->StartWrite(&outgoing_);
    co_return co_await write_done_.Wait();
  }
  asio::awaitable<void> Finish(grpc::Status status) {
    this->grpc::ServerWriteReactor<Resp>::Finish(std::move(status));
    co_await done_.Wait();
  }
  void OnWriteDone(bool ok) override { write_done_.Signal(ok); }
  void OnDone() override { done_.Signal(true); }

 private:
  Event<bool> write_done_, done_;
  Resp outgoing_;
};

// Server side of a client-streaming call.
template <typename Req>
class ServerReader : public grpc::ServerReadReactor<Req> {
 public:
  explicit ServerReader(asio::any_io_executor ex) : read_done_(ex), done_(ex) {}
  asio::awaitable<bool> Read(Req& out) {
    this->StartRead(&incoming_);
    bool ok = co_await read_done_.Wait();
    if (ok) out = std::move(incoming_);
    co_return ok;
  }
  asio::awaitable<void> Finish(grpc::Status status) {
    this->grpc::ServerReadReactor<Req>::Finish(std::move(status));
    co_await done_.Wait();
  }
  void OnReadDone(bool ok) override { read_done_.Signal(ok); }
  void OnDone() override { done_.Signal(true); }

 private:
  Event<bool> read_done_, done_;
  Req incoming_;
};

// Server side of a unary call.
class ServerUnary : public grpc::ServerUnaryReactor {
 public:
  explicit ServerUnary(asio::any_io_executor ex) : done_(ex) {}
  asio::awaitable<void> Finish(grpc::Status status) {
    this->grpc::ServerUnaryReactor::Finish(std::move(status));
    co_await done_.Wait();
  }
  void OnDone() override { done_.Signal(true); }

 private:
  Event<bool> done_;
};

// Client side of a bidirectional stream. Create it with `Start`, which begins the call;
// the object lives until Finish() returns and is then destroyed by its owner.
template <typename Req, typename Resp>
class ClientBidi : public grpc::ClientBidiReactor<Req, Resp> {
 public:
  explicit ClientBidi(asio::any_io_executor ex)
      : read_done_(ex), write_done_(ex), writes_done_(ex), reader_settled_(ex), done_(ex) {}

  grpc::ClientContext& context() { return context_; }

  // `start(stub, context, reactor)` wires the reactor to a stub method, e.g.
  // stub->async()->Session(&ctx, reactor).
  template <typename StartFn>
  void Start(StartFn&& start) {
    start(&context_, this);
    this->AddHold();  // released when the coroutine finishes the call
    this->StartCall();
  }

  // One coroutine may wait here while another writes or finishes the call.
  asio::awaitable<bool> Read(Resp& out) {
    if (broken_ || finishing_) co_return false;
    if (!read_pending_) {
      read_pending_ = true;
      this->StartRead(&incoming_);
    }
    reader_waiting_ = true;
    bool ok = co_await read_done_.Wait();
    reader_waiting_ = false;
    read_pending_ = false;
    if (ok) out = std::move(incoming_); else broken_ = true;
    if (finishing_) reader_settled_.Signal(true);
    co_return ok;
  }

  asio::awaitable<bool> Write(Req&& msg) {
    if (broken_ || finishing_) co_return false;
    outgoing_ = std::move(msg);
    this->StartWrite(&outgoing_);
    bool ok = co_await write_done_.Wait();
    if (!ok) broken_ = true;
    co_return ok;
  }

  bool read_pending() const { return read_pending_; }

  // Half-closes, drains any outstanding read and waits for the final status.
  // A read another coroutine is waiting in is left to it (its completion is the one
  // signal), and waited for; no read or write starts after this.
  asio::awaitable<grpc::Status> Finish() {
    finishing_ = true;
    if (!broken_) {
      this->StartWritesDone();
      co_await writes_done_.Wait();
    }
    if (reader_waiting_) {
      co_await reader_settled_.Wait();
    } else if (read_pending_) {
      co_await read_done_.Wait();
      read_pending_ = false;
    }
    // Drain until the server closes, so that OnDone can fire.
    while (!broken_) {
      read_pending_ = true;
      this->StartRead(&incoming_);
      bool ok = co_await read_done_.Wait();
      read_pending_ = false;
      if (!ok) broken_ = true;
    }
    this->RemoveHold();
    co_return co_await done_.Wait();
  }

  // Cancels the call (the server sees the stream end); Finish() still has to be awaited.
  void Cancel() { context_.TryCancel(); }

  void OnReadDone(bool ok) override { read_done_.Signal(ok); }
  void OnWriteDone(bool ok) override { write_done_.Signal(ok); }
  void OnWritesDoneDone(bool ok) override { writes_done_.Signal(ok); }
  void OnDone(const grpc::Status& s) override { done_.Signal(s); }

 private:
  grpc::ClientContext context_;
  Event<bool> read_done_, write_done_, writes_done_, reader_settled_;
  Event<grpc::Status> done_;
  Req outgoing_;
  Resp incoming_;
  bool read_pending_ = false;
  bool reader_waiting_ = false;  // a coroutine is waiting in Read()
  bool finishing_ = false;
  bool broken_ = false;
};

}  // namespace gw::rt
