// The session stream (DESIGN.md §3): one bidirectional gRPC stream per session. A pump
// coroutine moves incoming requests into an in-strand channel, so that the main coroutine
// can notice an abort while it streams a read.
#include <chrono>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "mapping/status_map.h"
#include "mapping/text_convert.h"
#include "runtime/grpc_asio.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "session/service.h"
#include "session/session.h"
#include "session/session_ids.h"

namespace gw::bridge {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
using asio::awaitable;
using Reactor = rt::ServerBidi<v1::SessionRequest, v1::SessionResponse>;
using Inbox = asio::experimental::channel<void(boost::system::error_code, v1::SessionRequest)>;

namespace {

struct Stream {
  Stream(Reactor* r, asio::any_io_executor ex) : reactor(r), inbox(ex, 8), pump_done(ex) {}
  Reactor* reactor;
  Inbox inbox;
  rt::Event<bool> pump_done;
  std::optional<v1::SessionRequest> pending;  // an operation that arrived during a read
};

awaitable<void> Pump(Stream* st) {
  for (;;) {
    v1::SessionRequest req;
    if (!co_await st->reactor->Read(req)) break;
    auto [ec] = co_await st->inbox.async_send(boost::system::error_code{}, std::move(req),
                                              asio::as_tuple(asio::use_awaitable));
    if (ec) break;
  }
  st->inbox.close();
  st->pump_done.Signal(true);
}

awaitable<std::optional<v1::SessionRequest>> Next(Stream* st) {
  if (st->pending) {
    std::optional<v1::SessionRequest> r = std::move(st->pending);
    st->pending.reset();
    co_return r;
  }
  auto [ec, req] = co_await st->inbox.async_receive(asio::as_tuple(asio::use_awaitable));
  if (ec) co_return std::nullopt;
  co_return std::move(req);
}

// A request that arrived without waiting, if any.
std::optional<v1::SessionRequest> Poll(Stream* st) {
  std::optional<v1::SessionRequest> out;
  st->inbox.try_receive([&out](boost::system::error_code ec, v1::SessionRequest req) {
    if (!ec) out = std::move(req);
  });
  return out;
}

v1::SessionResponse ResultMessage(v1::OperationResult r) {
  v1::SessionResponse resp;
  *resp.mutable_result() = std::move(r);
  return resp;
}

void CountOperation(std::string_view op, const v1::Result& result, double seconds) {
  auto& m = metrics::Registry::Global();
  std::string code = v1::StatusCode_Name(result.code());
  m.Add("gw_bridge_operations_total", {{"op", std::string(op)}, {"result", code}}, 1);
  m.Observe("gw_bridge_operation_seconds", {{"op", std::string(op)}}, seconds);
}

void Audit(const Session& s, std::string_view op, std::string_view path, uint64_t bytes,
           const v1::Result& result, double seconds) {
  log::Info("audit.transfer", {{"session", s.id()}, {"user", s.login()},
                               {"destination", s.destination()}, {"op", op}, {"path", path},
                               {"bytes", bytes}, {"result", v1::StatusCode_Name(result.code())},
                               {"seconds", seconds}});
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Streams a file to the client. Returns false if the stream broke.
awaitable<bool> DoRead(Stream* st, Session& session, const v1::Operation& op,
                       std::size_t chunk_size) {
  auto t0 = std::chrono::steady_clock::now();
  v1::OperationResult final;
  final.set_id(op.id());
  auto reader = session.OpenRead(op.read());
  if (!reader.ok()) {
    *final.mutable_result() = MakeResult(reader.status());
    CountOperation("read", final.result(), Since(t0));
    co_return co_await st->reactor->Write(ResultMessage(std::move(final)));
  }
  {
    v1::OperationResult started;
    started.set_id(op.id());
    started.set_transfer_started(true);
    started.set_size((*reader)->size());
    if (!co_await st->reactor->Write(ResultMessage(std::move(started)))) co_return false;
  }
  const bool text = op.read().type() == v1::TRANSFER_TYPE_TEXT;
  std::string text_buf;
  uint64_t bytes = 0;
  bool aborted = false;
  for (;;) {
    if (auto req = Poll(st)) {
      if (req->has_op() && req->op().has_abort()) {
        aborted = true;
        st->pending = std::move(req);
        break;
      }
      st->pending = std::move(req);  // handled after this read; fronts do not do this
    }
    // Image data is read straight into the message that carries it: no copy.
    v1::SessionResponse resp;
    std::string* out = text ? &text_buf : resp.mutable_data()->mutable_data();
    out->resize(chunk_size);
    auto n = (*reader)->Read(std::span<char>(out->data(), out->size()));
    if (!n.ok()) {
      *final.mutable_result() = MakeResult(n.status());
      break;
    }
    if (*n == 0) break;
    out->resize(*n);
    if (text) AppendLfToCrlf(text_buf, *resp.mutable_data()->mutable_data());
    bytes += *n;
    if (!co_await st->reactor->Write(std::move(resp))) co_return false;
  }
  if (aborted) *final.mutable_result() = ErrorResult(v1::STATUS_ABORTED, "transfer aborted");
  final.set_bytes(bytes);
  metrics::Registry::Global().Add("gw_bridge_bytes_total", {{"direction", "out"}}, double(bytes));
  CountOperation("read", final.result(), Since(t0));
  Audit(session, "read", session.Resolve(op.read().path()).value_or(op.read().path()), bytes,
        final.result(), Since(t0));
  co_return co_await st->reactor->Write(ResultMessage(std::move(final)));
}

// Receives a file from the client. Returns false if the stream broke.
awaitable<bool> DoWrite(Stream* st, Session& session, const v1::Operation& op) {
  auto t0 = std::chrono::steady_clock::now();
  v1::OperationResult final;
  final.set_id(op.id());
  auto writer = session.OpenWrite(op.write());
  if (!writer.ok()) {
    *final.mutable_result() = MakeResult(writer.status());
    CountOperation("write", final.result(), Since(t0));
    co_return co_await st->reactor->Write(ResultMessage(std::move(final)));
  }
  {
    v1::OperationResult started;
    started.set_id(op.id());
    started.set_transfer_started(true);
    if (!co_await st->reactor->Write(ResultMessage(std::move(started)))) co_return false;
  }
  const bool text = op.write().type() == v1::TRANSFER_TYPE_TEXT;
  CrlfToLf converter;
  std::string converted;
  absl::Status failure;
  bool complete = false;
  for (;;) {
    auto req = co_await Next(st);
    if (!req) co_return false;  // stream ended: the writer's destructor discards the data
    if (req->has_op()) {
      st->pending = std::move(req);  // abort or anything else ends the upload unfinished
      failure = absl::AbortedError("transfer aborted");
      break;
    }
    if (!req->has_data()) continue;
    if (failure.ok()) {
      std::string_view data = req->data().data();
      if (text) {
        converted.clear();
        converter.Append(data, converted);
        if (req->data().last()) converter.Finish(converted);
        data = converted;
      }
      if (!data.empty()) failure = (*writer)->Write(std::span<const char>(data.data(), data.size()));
    }
    if (req->data().last()) {
      complete = true;
      break;
    }
  }
  uint64_t bytes = (*writer)->bytes_written();
  if (complete && failure.ok()) {
    auto committed = (*writer)->Commit();
    if (committed.ok()) final.set_path(*committed);
    else failure = committed.status();
  }
  if (!failure.ok()) {
    (*writer)->Abort();
    *final.mutable_result() = MakeResult(failure);
  }
  final.set_bytes(bytes);
  metrics::Registry::Global().Add("gw_bridge_bytes_total", {{"direction", "in"}}, double(bytes));
  CountOperation("write", final.result(), Since(t0));
  Audit(session, "write", final.path().empty() ? session.Resolve(op.write().path()).value_or(op.write().path()) : final.path(),
        bytes, final.result(), Since(t0));
  co_return co_await st->reactor->Write(ResultMessage(std::move(final)));
}

std::string_view OpName(const v1::Operation& op) {
  switch (op.op_case()) {
    case v1::Operation::kLogin: return "login";
    case v1::Operation::kChangeDirectory: return "cwd";
    case v1::Operation::kPrintDirectory: return "pwd";
    case v1::Operation::kList: return "list";
    case v1::Operation::kStat: return "stat";
    case v1::Operation::kDelete: return "delete";
    case v1::Operation::kRename: return "rename";
    case v1::Operation::kMakeDirectory: return "mkdir";
    case v1::Operation::kRemoveDirectory: return "rmdir";
    case v1::Operation::kAbort: return "abort";
    case v1::Operation::kStatus: return "status";
    case v1::Operation::kClose: return "close";
    default: return "other";
  }
}

awaitable<grpc::Status> Serve(Stream* st, std::shared_ptr<FileServiceImpl::Shared> sh,
                              std::string peer) {
  auto first = co_await Next(st);
  if (!first) co_return grpc::Status::CANCELLED;
  if (!first->has_open())
    co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first message must be open");
  std::string id = first->open().session_id();
  if (id.empty() || id.size() > 64) id = NewSessionId();
  Session session(*sh->routes, id, first->open().peer_address().empty() ? peer : first->open().peer_address());
  log::Info("session.open", {{"session", id}, {"peer", peer},
                             {"protocol", v1::Protocol_Name(first->open().protocol())}});
  {
    v1::SessionResponse resp;
    resp.mutable_opened()->set_session_id(id);
    resp.mutable_opened()->set_server("bridge 0.1.0");
    if (!co_await st->reactor->Write(std::move(resp))) co_return grpc::Status::CANCELLED;
  }
  for (;;) {
    auto req = co_await Next(st);
    if (!req) break;
    if (req->has_data())
      co_return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "data outside a write");
    if (!req->has_op())
      co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unexpected message");
    const v1::Operation& op = req->op();
    bool ok = true;
    if (op.has_read()) {
      ok = co_await DoRead(st, session, op, sh->config.chunk_size);
    } else if (op.has_write()) {
      ok = co_await DoWrite(st, session, op);
    } else {
      auto t0 = std::chrono::steady_clock::now();
      v1::OperationResult r = session.Handle(op);
      CountOperation(OpName(op), r.result(), Since(t0));
      ok = co_await st->reactor->Write(ResultMessage(std::move(r)));
      if (op.has_close()) break;
    }
    if (!ok) break;
  }
  log::Info("session.close", {{"session", id}});
  co_return grpc::Status::OK;
}

awaitable<void> RunSession(Reactor* reactor, std::shared_ptr<FileServiceImpl::Shared> sh,
                           std::string peer) {
  auto ex = co_await asio::this_coro::executor;
  Stream st(reactor, ex);
  asio::co_spawn(ex, Pump(&st), asio::detached);
  grpc::Status status;
  try {
    status = co_await Serve(&st, sh, peer);
  } catch (const std::exception& e) {
    log::Error("session.exception", {{"error", e.what()}});
    status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  co_await reactor->Finish(status);
  st.inbox.close();
  co_await st.pump_done.Wait();
  --sh->sessions;
  metrics::Registry::Global().Add("gw_bridge_sessions_active", {}, -1);
  delete reactor;
}

awaitable<void> Reject(Reactor* reactor) {
  co_await reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many sessions"));
  delete reactor;
}

}  // namespace

grpc::ServerBidiReactor<v1::SessionRequest, v1::SessionResponse>* FileServiceImpl::Session(
    grpc::CallbackServerContext* ctx) {
  auto strand = asio::make_strand(shared_->io);
  auto* reactor = new Reactor(strand);
  if (++shared_->sessions > shared_->config.max_sessions) {
    --shared_->sessions;
    asio::co_spawn(strand, Reject(reactor), asio::detached);
    return reactor;
  }
  auto& m = metrics::Registry::Global();
  m.Add("gw_bridge_sessions_active", {}, 1);
  m.Add("gw_bridge_sessions_total", {}, 1);
  asio::co_spawn(strand, RunSession(reactor, shared_, ctx->peer()), asio::detached);
  return reactor;
}

}  // namespace gw::bridge
