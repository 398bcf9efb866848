// The server side of a session stream, seen as an inbox: a pump coroutine moves incoming
// requests into an in-strand channel, so that the coroutine serving the session can notice
// an abort (or the stream's end) between the chunks of a transfer, without waiting. Waits
// on it are never raced against other waits with `||`: a wait cancelled just as a message
// arrives could drop it.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/v1/file_service.pb.h"
#include "runtime/grpc_asio.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/session_frames.h"

namespace gw::rt {

template <typename Req, typename Resp>
class SessionInbox {
 public:
  using Reactor = ServerBidi<Req, Resp>;

  SessionInbox(Reactor* reactor, asio::any_io_executor ex, std::size_t capacity = 8)
      : reactor_(reactor), inbox_(ex, capacity), pump_done_(ex) {}

  Reactor* reactor() { return reactor_; }

  // Reads the stream until it ends; run it once, detached, on the session's strand. The
  // end is queued behind the requests (an empty value), so that a client that sends its
  // last requests and half-closes at once still has every one of them served.
  // A send that completed before Finish() may resume the pump after the reactor was told
  // to finish: a read started then is a use after free in gRPC, so the pump looks at
  // `finishing_` before each read.
  asio::awaitable<void> Pump() {
    while (!finishing_) {
      Req req;
      const bool got = co_await reactor_->Read(req);
      std::optional<Req> item;
      if (got) item = std::move(req);
      auto [ec] = co_await inbox_.async_send(boost::system::error_code{}, std::move(item),
                                             asio::as_tuple(asio::use_awaitable));
      if (ec || !got) break;
    }
    pump_done_.Signal(true);
  }

  // The next request (a pushed-back one first); nullopt once the stream has ended.
  asio::awaitable<std::optional<Req>> Next() {
    if (pending_) {
      std::optional<Req> r = std::move(pending_);
      pending_.reset();
      co_return r;
    }
    if (ended_) co_return std::nullopt;
    auto [ec, req] = co_await inbox_.async_receive(asio::as_tuple(asio::use_awaitable));
    if (ec || !req) {
      ended_ = true;
      co_return std::nullopt;
    }
    co_return std::move(req);
  }

  // True once the stream has ended and every request has been taken.
  bool ended() const { return ended_ && !pending_; }

  // The request the next Next() returns, if it has already arrived; it stays queued. A
  // transfer looks here between chunks for an abort without taking anything else.
  const Req* Peek() {
    if (!pending_ && !ended_) {
      inbox_.try_receive([this](boost::system::error_code ec, std::optional<Req> req) {
        if (!ec && req) pending_ = std::move(req);
        else ended_ = true;
      });
    }
    return pending_ ? &*pending_ : nullptr;
  }

  // Hands a request back: the next Next() returns it.
  void PushBack(Req req) { pending_ = std::move(req); }

  asio::awaitable<bool> Write(Resp&& msg) { co_return co_await reactor_->Write(std::move(msg)); }
  // A write in two halves (ServerBidi::StartWriting, WriteDone).
  void StartWriting(Resp&& msg) { reactor_->StartWriting(std::move(msg)); }
  asio::awaitable<bool> WriteDone() { co_return co_await reactor_->WriteDone(); }

  // Finishes the stream with `status`, waits until gRPC is done with it, then stops the
  // pump and waits for it. The reactor may be freed after this.
  asio::awaitable<void> Finish(grpc::Status status) {
    finishing_ = true;
    co_await reactor_->Finish(std::move(status));
    // close() wakes only a waiting receiver: a pump waiting to queue into a full inbox is
    // woken by cancel(), else it (and this session) would wait for ever.
    inbox_.cancel();
    inbox_.close();
    co_await pump_done_.Wait();
  }

 private:
  Reactor* reactor_;
  asio::experimental::channel<void(boost::system::error_code, std::optional<Req>)> inbox_;
  Event<bool> pump_done_;
  std::optional<Req> pending_;
  bool ended_ = false;
  bool finishing_ = false;
};

template <typename Req, typename Resp>
asio::awaitable<void> RejectSession(ServerBidi<Req, Resp>* reactor, std::string what) {
  co_await reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many " + what));
  delete reactor;
}

// Accepts a new session stream on a strand of its own: `start(reactor)` gives the
// coroutine spawned there, which owns the reactor and must decrement `sessions` when it
// ends. Beyond `max` concurrent sessions the stream is refused with RESOURCE_EXHAUSTED.
template <typename Req, typename Resp, typename Start>
ServerBidi<Req, Resp>* AcceptSession(asio::io_context& io, std::atomic<std::size_t>& sessions,
                                     std::size_t max, std::string what, Start start) {
  auto strand = asio::make_strand(io);
  auto* reactor = new ServerBidi<Req, Resp>(strand);
  if (++sessions > max) {
    --sessions;
    asio::co_spawn(strand, RejectSession(reactor, std::move(what)), asio::detached);
    return reactor;
  }
  asio::co_spawn(strand, start(reactor), asio::detached);
  return reactor;
}

// Serves an accepted session stream to its end: `serve(&inbox)` answers its requests, and
// the status it returns (INTERNAL if it throws, logged as `event`) finishes the stream. Then
// the session is counted out of `sessions` and of the gauge `active`, and the reactor freed.
template <typename Req, typename Resp, typename Serve>
asio::awaitable<void> RunSession(ServerBidi<Req, Resp>* reactor, std::atomic<std::size_t>& sessions, std::string active,
                                 std::string event, Serve serve) {
  auto ex = co_await asio::this_coro::executor;
  SessionInbox<Req, Resp> in(reactor, ex);
  asio::co_spawn(ex, in.Pump(), asio::detached);
  grpc::Status status;
  try {
    status = co_await serve(&in);
  } catch (const std::exception& e) {
    log::Error(event, {{"error", e.what()}});
    status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  co_await in.Finish(std::move(status));
  --sessions;
  metrics::Registry::Global().Add(active, {}, -1);
  delete reactor;
}

// AcceptSession for a session served by `serve` as RunSession says, counted in the metrics
// `<metric>_active` (a gauge) and `<metric>_total`. `serve` keeps alive what owns `sessions`.
template <typename Req, typename Resp, typename Serve>
ServerBidi<Req, Resp>* AcceptServedSession(asio::io_context& io, std::atomic<std::size_t>& sessions, std::size_t max,
                                           std::string what, std::string metric, std::string event, Serve serve) {
  return AcceptSession<Req, Resp>(
      io, sessions, max, std::move(what),
      [&sessions, metric = std::move(metric), event = std::move(event),
       serve = std::move(serve)](ServerBidi<Req, Resp>* reactor) mutable {
        auto& m = metrics::Registry::Global();
        std::string active = metric + "_active";
        m.Add(active, {}, 1);
        m.Add(metric + "_total", {}, 1);
        return RunSession(reactor, sessions, std::move(active), std::move(event), std::move(serve));
      });
}

// An abort of the running transfer (the one request that may interrupt it).
inline bool IsAbort(const gateway::v1::SessionRequest& req) { return req.has_op() && req.op().has_abort(); }
inline bool IsAbort(const RequestFrame& req) { return IsAbort(req.msg); }

}  // namespace gw::rt
