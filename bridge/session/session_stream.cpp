// The session stream (DESIGN.md §3): one bidirectional gRPC stream per session. A pump
// coroutine moves incoming requests into an in-strand channel (rt::SessionInbox), so that
// the main coroutine can notice an abort while it streams a transfer. Sessions on file://
// are served here; sessions on a remote destination are relayed to their outbound leg,
// operation by operation and chunk by chunk, both legs streaming at once.
#include <chrono>
#include <exception>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "mapping/ftam_diagnostics.h"
#include "mapping/status_map.h"
#include "mapping/text_convert.h"
#include "runtime/grpc_asio.h"
#include "runtime/log.h"
#include "runtime/session_client.h"
#include "runtime/session_inbox.h"
#include "runtime/metrics.h"
#include "session/service.h"
#include "session/session.h"
#include "session/session_ids.h"

namespace gw::bridge {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
using asio::awaitable;

namespace {

using Stream = rt::SessionInbox<rt::RequestFrame, rt::ResponseFrame>;

NeutralOp NeutralOpOf(const v1::Operation& op) {
  switch (op.op_case()) {
    case v1::Operation::kLogin: return NeutralOp::kLogin;
    case v1::Operation::kChangeDirectory: return NeutralOp::kChangeDirectory;
    case v1::Operation::kList: return NeutralOp::kList;
    case v1::Operation::kStat: return NeutralOp::kStat;
    case v1::Operation::kRead: return NeutralOp::kRead;
    case v1::Operation::kWrite: return NeutralOp::kWrite;
    case v1::Operation::kDelete: return NeutralOp::kDelete;
    case v1::Operation::kRename: return NeutralOp::kRename;
    case v1::Operation::kMakeDirectory: return NeutralOp::kMakeDirectory;
    case v1::Operation::kRemoveDirectory: return NeutralOp::kRemoveDirectory;
    default: return NeutralOp::kOther;
  }
}

// RFC 1415 §9: a failure reaches the inbound side in its own protocol's terms. For an
// FTAM initiator the bridge adds the ISO 8571-3 diagnostic the §9.1 and neutral tables give
// (an FTAM far side's own diagnostic is kept as it is).
void Translate(const Session& s, const v1::Operation& op, v1::OperationResult* r) {
  if (!r->has_result() || r->result().code() == v1::STATUS_OK) return;
  if (s.protocol() != v1::PROTOCOL_FTAM) {
    // RFC 1415 §9.2: an FTAM responder's diagnostic becomes the FTP reply §9.2 names, its
    // text the responder's further details.
    const v1::FtamDiagnostic* diag = nullptr;
    for (const auto& o : r->result().origin()) {
      if (o.has_ftp()) return;
      if (o.has_ftam() && !diag) diag = &o.ftam();
    }
    if (!diag) return;
    v1::FtpReply reply = FtpReplyFor(NeutralOpOf(op), *diag);
    r->mutable_result()->set_message(reply.text());
    *r->mutable_result()->add_origin()->mutable_ftp() = std::move(reply);
    return;
  }
  for (const auto& o : r->result().origin())
    if (o.has_ftam()) return;
  *r->mutable_result()->add_origin()->mutable_ftam() = FtamDiagnosticFor(NeutralOpOf(op), r->result());
}

v1::OperationResult Translated(const Session& s, const v1::Operation& op, v1::OperationResult r) {
  Translate(s, op, &r);
  return r;
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
    co_return co_await st->Write(ResultMessage(Translated(session, op, std::move(final))));
  }
  {
    v1::OperationResult started;
    started.set_id(op.id());
    started.set_transfer_started(true);
    started.set_size((*reader)->size());
    if (!co_await st->Write(ResultMessage(Translated(session, op, std::move(started))))) co_return false;
  }
  const bool text = op.read().type() == v1::TRANSFER_TYPE_TEXT;
  uint64_t bytes = 0;
  bool aborted = false;
  // Each chunk is read into a buffer of its own, which the message then references (no
  // copy, no zero-filling); the next chunk is read from the file while the last one is
  // being sent.
  bool in_flight = false;
  bool write_ok = true;
  for (;;) {
    if (const auto* req = st->Peek(); req && rt::IsAbort(*req)) {
      aborted = true;  // the abort is answered after the read's final result
      break;
    }
    auto buf = rt::Payload::NewBuffer(chunk_size);
    auto n = (*reader)->Read(std::span<char>(buf.data(), chunk_size));
    if (!n.ok()) {
      *final.mutable_result() = MakeResult(n.status());
      break;
    }
    if (*n == 0) break;
    bytes += *n;
    rt::Payload payload;
    if (text) {
      std::string converted;
      AppendLfToCrlf(std::string_view(buf.data(), *n), converted);
      payload = rt::Payload::Adopt(std::move(converted));
    } else {
      payload = rt::Payload::Adopt(std::move(buf), *n);
    }
    if (in_flight) {
      write_ok = co_await st->WriteDone();
      in_flight = false;
      if (!write_ok) break;
    }
    st->StartWriting(rt::DataFrame<rt::ResponseFrame>(std::move(payload), false));
    in_flight = true;
  }
  if (in_flight) {
    write_ok = co_await st->WriteDone();
    in_flight = false;
  }
  if (!write_ok) co_return false;
  if (aborted) *final.mutable_result() = ErrorResult(v1::STATUS_ABORTED, "transfer aborted");
  final.set_bytes(bytes);
  metrics::Registry::Global().Add("gw_bridge_bytes_total", {{"direction", "out"}}, double(bytes));
  CountOperation("read", final.result(), Since(t0));
  Audit(session, "read", session.Resolve(op.read().path()).value_or(op.read().path()), bytes,
        final.result(), Since(t0));
  co_return co_await st->Write(ResultMessage(Translated(session, op, std::move(final))));
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
    co_return co_await st->Write(ResultMessage(Translated(session, op, std::move(final))));
  }
  {
    v1::OperationResult started;
    started.set_id(op.id());
    started.set_transfer_started(true);
    if (!co_await st->Write(ResultMessage(Translated(session, op, std::move(started))))) co_return false;
  }
  const bool text = op.write().type() == v1::TRANSFER_TYPE_TEXT;
  CrlfToLf converter;
  std::string converted;
  std::vector<std::span<const char>> pieces;
  absl::Status failure;
  bool complete = false;
  for (;;) {
    auto req = co_await st->Next();
    if (!req) co_return false;  // stream ended: the writer's destructor discards the data
    if (req->msg.has_op()) {
      st->PushBack(std::move(*req));  // abort or anything else ends the upload unfinished
      failure = absl::AbortedError("transfer aborted");
      break;
    }
    if (!req->is_data()) continue;
    if (failure.ok()) {
      if (text) {
        converted.clear();
        req->payload.ForEach([&](std::string_view piece) { converter.Append(piece, converted); });
        if (req->last()) converter.Finish(converted);
        if (!converted.empty()) failure = (*writer)->Write(std::span<const char>(converted.data(), converted.size()));
      } else {
        pieces.clear();
        req->payload.ForEach([&](std::string_view piece) { pieces.emplace_back(piece.data(), piece.size()); });
        failure = (*writer)->Write(std::span<const std::span<const char>>(pieces));
      }
    }
    if (req->last()) {
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
  co_return co_await st->Write(ResultMessage(Translated(session, op, std::move(final))));
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
    case v1::Operation::kSetAttributes: return "setattr";
    default: return "other";
  }
}

// How a relayed transfer ended for the session.
enum class Flow { kGoOn, kInboundGone, kLegLost };

void CountTransfer(const Session& session, std::string_view op, std::string_view path, uint64_t bytes,
                   const v1::Result& result, std::chrono::steady_clock::time_point t0) {
  metrics::Registry::Global().Add("gw_bridge_bytes_total", {{"direction", op == "read" ? "out" : "in"}},
                                  double(bytes));
  CountOperation(op, result, Since(t0));
  Audit(session, op, path, bytes, result, Since(t0));
}

// Relays a read from the outbound leg to the client: chunks are forwarded as they come,
// without a copy. An abort from the client meanwhile ends the far transfer; it is looked
// for between chunks, which the leg sends at least every 50 ms while data flows.
awaitable<Flow> RelayRead(Stream* st, Session& session, const v1::Operation& op) {
  auto t0 = std::chrono::steady_clock::now();
  rt::SessionClient* leg = session.leg();
  auto leg_op = session.ForLeg(op);
  if (!leg_op.ok()) {
    v1::OperationResult r;
    r.set_id(op.id());
    *r.mutable_result() = MakeResult(leg_op.status());
    co_return co_await st->Write(ResultMessage(Translated(session, op, std::move(r)))) ? Flow::kGoOn : Flow::kInboundGone;
  }
  uint64_t leg_id = co_await leg->Send(*leg_op);
  if (leg_id == 0) co_return Flow::kLegLost;
  uint64_t bytes = 0;
  bool abort_sent = false;
  // A chunk goes to the client while the next one is read from the leg: both streams
  // move at once. Every way out waits for the write in flight first.
  bool in_flight = false;
  auto settle = [&]() -> awaitable<bool> {
    if (!in_flight) co_return true;
    in_flight = false;
    co_return co_await st->WriteDone();
  };
  for (;;) {
    if (!abort_sent) {
      // An abort ends the far transfer; any request is handled after the read's final
      // result (a script may send its next operations ahead).
      if (const auto* req = st->Peek()) {
        if (rt::IsAbort(*req)) {
          v1::Operation op_abort;
          op_abort.mutable_abort();
          if (co_await leg->Send(std::move(op_abort)) == 0) {
            co_await settle();
            co_return Flow::kLegLost;
          }
          abort_sent = true;
        }
      } else if (st->ended()) {
        co_await settle();
        co_return Flow::kInboundGone;
      }
    }
    std::optional<rt::ResponseFrame> resp = co_await leg->Receive();
    if (!resp) {
      co_await settle();
      co_return Flow::kLegLost;
    }
    if (resp->is_data()) {
      bytes += resp->payload.size();
      if (!co_await settle()) co_return Flow::kInboundGone;
      st->StartWriting(std::move(*resp));
      in_flight = true;
      continue;
    }
    if (!resp->msg.has_result() || resp->msg.result().id() != leg_id) continue;  // a stale result
    if (!co_await settle()) co_return Flow::kInboundGone;
    v1::OperationResult r = std::move(*resp->msg.mutable_result());
    r.set_id(op.id());
    const bool started = r.transfer_started();
    if (!started) CountTransfer(session, "read", op.read().path(), bytes, r.result(), t0);
    if (!co_await st->Write(ResultMessage(Translated(session, op, std::move(r))))) co_return Flow::kInboundGone;
    if (!started) co_return Flow::kGoOn;
  }
}

using LegWatch = rt::Event<std::optional<v1::OperationResult>>;

// During an upload, the one reader of the leg: its next result is the write's final one,
// early if the far side failed. Always awaited before the leg is used again.
// A failure of our own in the read is taken as a lost leg: the relay must hear an end.
awaitable<void> WatchLeg(rt::SessionClient* leg, uint64_t leg_id, std::shared_ptr<LegWatch> watch) {
  std::optional<v1::OperationResult> got;
  try {
    got = co_await leg->Await(leg_id);
  } catch (...) {
    log::Error("session.internal_error", {{"in", "leg watcher"}, {"error", log::Describe(std::current_exception())}});
  }
  watch->Signal(std::move(got));
}

// Relays a write from the client to the outbound leg, chunk by chunk as they come. A far
// failure during the upload is told at once; the rest of the client's data is discarded.
awaitable<Flow> RelayWrite(Stream* st, Session& session, const v1::Operation& op) {
  auto t0 = std::chrono::steady_clock::now();
  rt::SessionClient* leg = session.leg();
  auto leg_op = session.ForLeg(op);
  if (!leg_op.ok()) {
    v1::OperationResult r;
    r.set_id(op.id());
    *r.mutable_result() = MakeResult(leg_op.status());
    co_return co_await st->Write(ResultMessage(Translated(session, op, std::move(r)))) ? Flow::kGoOn : Flow::kInboundGone;
  }
  uint64_t leg_id = co_await leg->Send(*leg_op);
  if (leg_id == 0) co_return Flow::kLegLost;
  // First the leg says whether the far server accepted the upload.
  auto first = co_await leg->Await(leg_id);
  if (!first) co_return Flow::kLegLost;
  first->set_id(op.id());
  const bool started = first->transfer_started();
  if (!started) CountTransfer(session, "write", op.write().path(), 0, first->result(), t0);
  if (!co_await st->Write(ResultMessage(Translated(session, op, std::move(*first))))) co_return Flow::kInboundGone;
  if (!started) co_return Flow::kGoOn;

  auto watch = std::make_shared<LegWatch>(co_await asio::this_coro::executor);
  asio::co_spawn(co_await asio::this_coro::executor, WatchLeg(leg, leg_id, watch), asio::detached);
  std::optional<std::optional<v1::OperationResult>> final;  // set once the watcher reported
  uint64_t bytes = 0;
  bool inbound_done = false;  // the client's last chunk (or an abort) was passed on
  Flow flow = Flow::kGoOn;
  while (!inbound_done && !(final = watch->TryGet())) {
    auto req = co_await st->Next();
    if (!req) {  // the client vanished: the leg is cancelled, so the far STOR is aborted
      flow = Flow::kInboundGone;
      break;
    }
    if (req->msg.has_op()) {
      st->PushBack(std::move(*req));
      v1::Operation abort;
      abort.mutable_abort();
      if (co_await leg->Send(std::move(abort)) == 0) flow = Flow::kLegLost;
      inbound_done = true;
      continue;
    }
    if (!req->is_data()) continue;
    const bool last = req->last();
    bytes += req->payload.size();
    if (!co_await leg->SendFrame(std::move(*req))) {
      flow = Flow::kLegLost;
      break;
    }
    inbound_done = last;
  }
  if (flow != Flow::kGoOn) leg->Interrupt();  // ends the watcher's read
  if (!final) final = co_await watch->Wait();
  if (flow != Flow::kGoOn) co_return flow;
  if (!*final) co_return Flow::kLegLost;
  v1::OperationResult r = std::move(**final);
  r.set_id(op.id());
  CountTransfer(session, "write", r.path().empty() ? op.write().path() : r.path(), bytes, r.result(), t0);
  if (!co_await st->Write(ResultMessage(Translated(session, op, std::move(r))))) co_return Flow::kInboundGone;
  while (!inbound_done) {  // a failure came first: discard the rest of the upload
    auto req = co_await st->Next();
    if (!req) co_return Flow::kInboundGone;
    if (req->msg.has_op()) {
      st->PushBack(std::move(*req));
      break;
    }
    inbound_done = req->is_data() && req->last();
  }
  co_return Flow::kGoOn;
}

awaitable<grpc::Status> Serve(Stream* st, std::shared_ptr<FileServiceImpl::Shared> sh, std::string peer,
                              std::optional<Session>& slot) {
  auto first = co_await st->Next();
  if (!first) co_return grpc::Status::CANCELLED;
  if (!first->msg.has_open())
    co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first message must be open");
  const v1::OpenSession& open = first->msg.open();
  std::string id = open.session_id();
  if (id.empty() || id.size() > 64) id = NewSessionId();
  Session& session = slot.emplace(*sh->routes, sh->fronts, id,
                                  open.peer_address().empty() ? peer : open.peer_address(),
                                  open.protocol());
  log::Info("session.open", {{"session", id}, {"peer", peer},
                             {"protocol", v1::Protocol_Name(open.protocol())}});
  {
    v1::SessionResponse resp;
    resp.mutable_opened()->set_session_id(id);
    resp.mutable_opened()->set_server("bridge 0.1.0");
    if (!co_await st->Write(std::move(resp))) co_return grpc::Status::CANCELLED;
  }
  for (;;) {
    auto req = co_await st->Next();
    if (!req) break;
    if (req->is_data())
      co_return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "data outside a write");
    if (!req->msg.has_op())
      co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unexpected message");
    const v1::Operation& op = req->msg.op();
    Flow flow = Flow::kGoOn;
    if (op.has_read() && session.remote()) {
      flow = co_await RelayRead(st, session, op);
    } else if (op.has_write() && session.remote()) {
      flow = co_await RelayWrite(st, session, op);
    } else if (op.has_read()) {
      if (!co_await DoRead(st, session, op, sh->config.chunk_size)) flow = Flow::kInboundGone;
    } else if (op.has_write()) {
      if (!co_await DoWrite(st, session, op)) flow = Flow::kInboundGone;
    } else {
      auto t0 = std::chrono::steady_clock::now();
      auto r = co_await session.Handle(op);
      if (!r) {
        flow = Flow::kLegLost;
      } else {
        CountOperation(OpName(op), r->result(), Since(t0));
        if (!co_await st->Write(ResultMessage(Translated(session, op, std::move(*r))))) flow = Flow::kInboundGone;
        if (op.has_close()) break;
      }
    }
    if (flow == Flow::kInboundGone) break;
    if (flow == Flow::kLegLost) {
      // RFC 1415 §5: the other leg is gone; the session cannot go on.
      log::Warn("session.leg_lost", {{"session", id}, {"destination", session.destination()}});
      co_await session.Cancel();
      co_return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                             "the connection to destination " + session.destination() + " was lost");
    }
  }
  log::Info("session.close", {{"session", id}});
  co_return grpc::Status::OK;
}

// Serves one session stream to its end, then ends its leg: a clean end says QUIT to the
// far server, a broken one (an error status or an exception) drops the leg at once.
awaitable<grpc::Status> ServeAndEndLeg(Stream* st, std::shared_ptr<FileServiceImpl::Shared> sh, std::string peer) {
  std::optional<Session> session;
  grpc::Status status;
  std::exception_ptr failed;
  try {
    status = co_await Serve(st, sh, peer, session);
  } catch (const std::exception&) {
    failed = std::current_exception();
  }
  if (session) {
    if (!failed && status.ok()) co_await session->End();
    else co_await session->Cancel();
  }
  if (failed) std::rethrow_exception(failed);  // rt::RunSession logs it and answers INTERNAL
  co_return status;
}

}  // namespace

grpc::ServerBidiReactor<rt::RequestFrame, rt::ResponseFrame>* FileServiceImpl::FrameSession(
    grpc::CallbackServerContext* ctx) {
  auto sh = shared_;
  return rt::AcceptServedSession<rt::RequestFrame, rt::ResponseFrame>(
      sh->io, sh->sessions, sh->config.max_sessions, "sessions", "gw_bridge_sessions", "session.exception",
      [sh, peer = ctx->peer()](Stream* st) { return ServeAndEndLeg(st, sh, peer); });
}

}  // namespace gw::bridge
