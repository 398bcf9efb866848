// Transfers: RETR STOR STOU APPE REST ABOR (RFC 959, RFC 3659 §5 REST STREAM) and the
// listings LIST NLST MLSD. A file transfer runs in its own coroutine so that the control
// connection keeps being read: ABOR and STAT act at once (RFC 959 §4.1.3), with or without
// Telnet IP/Synch, in plaintext or under TLS.
#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/listing.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "server/data_channel.h"
#include "server/entry_info.h"
#include "server/session.h"
#include "server/status_reply.h"

namespace gw::ftp {
namespace v1 = gateway::v1;
using asio::awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

struct FtpSession::TransferState {
  TransferState(FtpSession* s, asio::any_io_executor ex) : session(s), done(ex), abort_written(ex) {}
  FtpSession* session;
  bool upload = false;
  bool unique = false;
  std::string path;
  uint64_t op_id = 0, abort_id = 0;
  std::unique_ptr<Conn> data;
  bool abort_requested = false, abort_sent = false, got_final = false, got_abort = false;
  rt::Event<bool> done;
  // The abort's id is known only once its write has finished (SendAbort may be suspended
  // there while the transfer reads the stream): signalled then, waited for at most once.
  rt::Event<bool> abort_written;
  bool abort_id_known = false;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

// Reads from the client's data connection into a new chunk buffer (not initialised; the
// message to the bridge then references it) until at least half of a chunk of `size`
// bytes is filled, the connection ends (ec) or no byte comes for `idle`. One watchdog
// timer covers the whole chunk: arming a timer for each read cost a timer update and a
// cancellation per read, a good part of the CPU of an upload.
struct Filled {
  rt::Payload data;
  error_code ec;
  bool timed_out = false;
};

static awaitable<Filled> FillChunk(Conn* data, std::size_t size, std::chrono::seconds idle) {
  using Clock = std::chrono::steady_clock;
  Filled f;
  auto buf = rt::Payload::NewBuffer(size);
  std::size_t filled = 0;
  Clock::time_point last = Clock::now();
  auto reads = [&]() -> awaitable<void> {
    while (filled < size / 2) {
      auto [ec, n] = co_await data->ReadSome(std::span<char>(buf.data() + filled, size - filled));
      filled += n;
      last = Clock::now();
      if (ec) {
        f.ec = ec;
        co_return;
      }
    }
  };
  auto watchdog = [&]() -> awaitable<void> {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      timer.expires_at(last + idle);
      auto [ec] = co_await timer.async_wait(kTuple);
      if (ec || Clock::now() >= last + idle) co_return;  // cancelled (the reads ended), or idle
    }
  };
  auto res = co_await (reads() || watchdog());
  if (res.index() == 1) f.timed_out = true;
  f.data = rt::Payload::Adopt(std::move(buf), filled);
  co_return f;
}

// Writes one chunk to the client's data connection, failing if it stalls for `idle`.
static awaitable<error_code> WriteChunk(Conn* data, rt::Payload chunk, std::chrono::seconds idle) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(idle);
  const auto buffers = chunk.Buffers();
  auto res = co_await (data->WriteAll(buffers) || timer.async_wait(kTuple));
  co_return res.index() == 1 ? error_code(asio::error::timed_out) : std::get<0>(res);
}

// Sends the bridge an abort for the running transfer, once.
static awaitable<void> SendAbort(rt::SessionClient* bridge, FtpSession::TransferState* t) {
  if (t->abort_sent || t->got_final) co_return;
  t->abort_sent = true;
  v1::Operation op;
  op.mutable_abort();
  t->abort_id = co_await bridge->Send(std::move(op));
  t->abort_id_known = true;
  t->abort_written.Signal(true);
}

// During a transfer the only other operation on the stream is its abort: a result for
// another id is the abort's, even before SendAbort has learnt that id.
static bool IsAbortResult(const FtpSession::TransferState* t, uint64_t id) {
  return t->abort_sent && id != t->op_id && (!t->abort_id_known || id == t->abort_id);
}

// True while the abort's result is still to come (waiting for its write to finish first).
static awaitable<bool> AbortPending(FtpSession::TransferState* t) {
  if (!t->abort_sent || t->got_abort) co_return false;
  if (!t->abort_id_known) co_await t->abort_written.Wait();
  co_return t->abort_id != 0 && !t->got_abort;
}

// Reads bridge messages until the transfer's final result (and the abort's, if one was
// sent). Data of a download is written to `data` unless `discard`.
static awaitable<std::optional<v1::OperationResult>> Drain(rt::SessionClient* bridge, FtpSession::TransferState* t) {
  std::optional<v1::OperationResult> final;
  while (!t->got_final || co_await AbortPending(t)) {
    auto resp = co_await bridge->Receive();
    if (!resp) co_return std::nullopt;
    const v1::SessionResponse& m = resp->msg;
    if (!m.has_result()) continue;
    if (m.result().id() == t->op_id && !m.result().transfer_started()) {
      t->got_final = true;
      final = std::move(*resp->msg.mutable_result());
    } else if (IsAbortResult(t, m.result().id())) {
      t->got_abort = true;
    }
  }
  co_return final;
}

// Keeps one read of the bridge stream outstanding during an upload: the only message to
// come is the write's final result, early when the destination failed mid-way.
using Watch = rt::Event<std::optional<rt::ResponseFrame>>;
// A failure of our own in the read is taken as a lost bridge: the transfer must hear an end.
static awaitable<void> WatchBridge(rt::SessionClient* bridge, std::shared_ptr<Watch> watch) {
  std::optional<rt::ResponseFrame> got;
  try {
    got = co_await bridge->Receive();
  } catch (...) {
    log::Error("ftp.internal_error", {{"in", "bridge watcher"}, {"error", log::Describe(std::current_exception())}});
  }
  watch->Signal(std::move(got));
}

// Takes one bridge message into the transfer's state: the final result, or the abort's.
static void Absorb(rt::ResponseFrame& frame, FtpSession::TransferState* t,
                   std::optional<v1::OperationResult>& final) {
  v1::SessionResponse& resp = frame.msg;
  if (!resp.has_result()) return;
  if (resp.result().id() == t->op_id && !resp.result().transfer_started()) {
    t->got_final = true;
    final = std::move(*resp.mutable_result());
  } else if (IsAbortResult(t, resp.result().id())) {
    t->got_abort = true;
  }
}

awaitable<void> MoveData(std::shared_ptr<FtpSession::TransferState> t);

// A transfer, run beside the command loop. A failure of our own in it (an exception) ends
// the transfer with 426 and the session with 421, and the session is told the transfer is
// over only then: nothing is left using the session when it ends.
awaitable<void> RunTransfer(std::shared_ptr<FtpSession::TransferState> t) {
  std::exception_ptr failed;
  try {
    co_await MoveData(t);
    co_return;
  } catch (...) {
    failed = std::current_exception();
  }
  FtpSession* s = t->session;
  if (t->data) t->data->Close();
  metrics::Registry::Global().Add("gw_ftp_transfers_total",
                                  {{"direction", t->upload ? "in" : "out"}, {"result", "failed"}}, 1);
  try {
    co_await s->Reply(426, "Transfer aborted: internal error.");
  } catch (...) {
  }
  co_await s->InternalError(failed, "transfer");
  if (s->transfer_ == t) s->transfer_.reset();
  t->done.Signal(false);
}

awaitable<void> MoveData(std::shared_ptr<FtpSession::TransferState> t) {
  FtpSession* s = t->session;
  rt::SessionClient* bridge = s->bridge_.get();
  const auto& cfg = s->cfg_;
  uint64_t bytes = 0;
  bool data_ok = true;
  std::string data_error;
  std::optional<v1::OperationResult> final;
  bool bridge_lost = false;
  bool far_failed = false;  // the destination failed before the client's data ended

  if (t->upload) {
    // Client -> bridge: while one chunk goes to the bridge, the next is read from the client.
    auto watch = std::make_shared<Watch>(co_await asio::this_coro::executor);
    asio::co_spawn(co_await asio::this_coro::executor, WatchBridge(bridge, watch), asio::detached);
    std::optional<std::optional<rt::ResponseFrame>> watched;
    // One chunk is sent while the next is filled.
    Filled cur = co_await FillChunk(t->data.get(), cfg.buffer_size, cfg.data_idle_timeout);
    for (;;) {
      bytes += cur.data.size();
      if ((watched = watch->TryGet())) {
        // The destination answered before the end of the data: it failed (or the bridge
        // went away). The rest of the client's data is refused.
        far_failed = true;
        if (!*watched) bridge_lost = true;
        else Absorb(**watched, t.get(), final);
        data_ok = false;
        data_error = "the destination failed during the transfer";
        break;
      }
      const bool end = cur.ec || cur.timed_out;
      if (!end) {
        auto [sent, next] = co_await (bridge->SendData(std::move(cur.data), false) &&
                                      FillChunk(t->data.get(), cfg.buffer_size, cfg.data_idle_timeout));
        if (!sent) {
          bridge_lost = true;
          break;
        }
        cur = std::move(next);
        continue;
      }
      if (!cur.data.empty() && !co_await bridge->SendData(std::move(cur.data), false)) {
        bridge_lost = true;
        break;
      }
      error_code ec = cur.ec;
      if (t->abort_requested) {
        data_ok = false;
        data_error = "aborted by ABOR";
      } else if (cur.timed_out) {
        data_ok = false;
        data_error = "data connection idle for " + std::to_string(cfg.data_idle_timeout.count()) + " s";
      } else if (ec == asio::error::eof) {
        // The end of the file (stream mode): a clean close, with close_notify under TLS.
      } else if (ec == asio::ssl::error::stream_truncated && !cfg.strict_tls_eof) {
        log::Warn("ftp.tls_truncated_accepted", {{"session", s->session_id_}});
      } else {
        data_ok = false;
        data_error = ec == asio::ssl::error::stream_truncated
                         ? "the data connection closed without TLS close_notify (possible truncation)"
                         : "data connection failed: " + ec.message();
      }
      break;
    }
    if (!bridge_lost) {
      if (data_ok) {
        if (!co_await bridge->SendData(rt::Payload(), true)) bridge_lost = true;
      } else {
        co_await SendAbort(bridge, t.get());
      }
    }
    // The watcher's read completes with the final result, or with the stream's end.
    if (!watched) watched = co_await watch->Wait();
    if (!*watched) bridge_lost = true;
    else if (!far_failed) Absorb(**watched, t.get(), final);
    if (!bridge_lost && (!t->got_final || co_await AbortPending(t.get()))) {
      auto rest = co_await Drain(bridge, t.get());
      if (rest) final = std::move(rest);
      if (!t->got_final) bridge_lost = true;
    }
  } else {
    // Bridge -> client: while one chunk goes to the client, the next comes from the bridge
    // (after a data chunk there is always at least the final result to come).
    auto msg = co_await bridge->Receive();
    while (!t->got_final) {
      if (!msg) {
        bridge_lost = true;
        break;
      }
      if (msg->is_data()) {
        rt::Payload chunk = std::move(msg->payload);
        if (!data_ok || t->abort_requested) {  // draining after an abort
          msg = co_await bridge->Receive();
          continue;
        }
        const std::size_t size = chunk.size();
        auto [ec, next] = co_await (WriteChunk(t->data.get(), std::move(chunk), cfg.data_idle_timeout) &&
                                    bridge->Receive());
        if (ec) {
          data_ok = false;
          data_error = t->abort_requested ? "aborted by ABOR" : "data connection failed: " + ec.message();
          co_await SendAbort(bridge, t.get());
        } else {
          bytes += size;
        }
        msg = std::move(next);
        continue;
      }
      const v1::SessionResponse& m = msg->msg;
      if (m.has_result() && m.result().id() == t->op_id && !m.result().transfer_started()) {
        t->got_final = true;
        final = std::move(*msg->msg.mutable_result());
        break;
      }
      if (m.has_result() && IsAbortResult(t.get(), m.result().id())) t->got_abort = true;
      msg = co_await bridge->Receive();
    }
    if (!bridge_lost && co_await AbortPending(t.get())) {
      auto rest = co_await Drain(bridge, t.get());
      (void)rest;
    }
    if (t->abort_requested && data_error.empty()) {
      data_ok = false;
      data_error = "aborted by ABOR";
    }
  }

  // Close the data connection: under TLS with close_notify, so the client knows the file
  // is complete.
  if (t->data) {
    if (t->data->tls() && data_ok) co_await t->data->EndTls(false, std::chrono::milliseconds(0));
    t->data->Close();
  }

  bool ok = data_ok && !bridge_lost && final && final->result().code() == v1::STATUS_OK;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t->start).count();
  auto& m = metrics::Registry::Global();
  m.Add("gw_ftp_bytes_total", {{"direction", t->upload ? "in" : "out"}}, double(bytes));
  m.Add("gw_ftp_transfers_total", {{"direction", t->upload ? "in" : "out"}, {"result", ok ? "ok" : "failed"}}, 1);
  if (ok) {
    log::Info("ftp.transfer", {{"session", s->session_id_}, {"user", s->user_},
                               {"op", t->upload ? "store" : "retrieve"}, {"path", t->path},
                               {"bytes", bytes}, {"seconds", secs}, {"result", "ok"}});
  } else {
    // Why it failed, in the operator's terms: the client's data connection, the bridge, or
    // the destination's own answer.
    std::string reason = !data_error.empty() ? data_error
                         : bridge_lost       ? std::string("the gateway lost its connection to the bridge")
                         : final             ? "the destination refused: " + final->result().message()
                                             : std::string("no result from the destination");
    log::Warn("ftp.transfer", {{"session", s->session_id_}, {"user", s->user_}, {"peer", s->peer_ip_},
                               {"op", t->upload ? "store" : "retrieve"}, {"path", t->path},
                               {"bytes", bytes}, {"seconds", secs}, {"result", "failed"},
                               {"error", reason}});
  }
  if (ok) {
    std::string text = "Transfer complete (" + std::to_string(bytes) + " bytes)";
    if (t->unique && !final->path().empty()) text += "; stored as \"" + final->path() + "\"";
    co_await s->Reply(226, text + ".");
  } else if (bridge_lost) {
    co_await s->Reply(426, "Transfer aborted: the gateway lost its connection to the destination.");
    co_await s->BridgeLost();
  } else if (far_failed && final && final->result().code() != v1::STATUS_OK) {
    // The destination's own words (e.g. a far server's 552), not the data connection's.
    co_await s->Reply(ReplyCodeFor(final->result(), 451), "Transfer failed: " + final->result().message() + ".");
  } else if (!data_ok) {
    co_await s->Reply(426, "Transfer aborted: " + data_error +
                               (t->upload ? "; the upload did not complete." : "."));
  } else {
    int code = ReplyCodeFor(final->result(), 451);
    co_await s->Reply(code == 426 ? 426 : code, "Transfer failed: " + final->result().message() + ".");
  }
  // RFC 1415 §5: the destination's connection dropped with this transfer; the session
  // cannot go on (426 was the transfer's reply, 421 closes).
  if (!ok && !bridge_lost && final && final->connection_lost()) co_await s->BridgeLost();
  if (s->transfer_ == t) s->transfer_.reset();
  t->done.Signal(true);
}

awaitable<void> FtpSession::WaitTransfer() {
  if (auto t = transfer_) co_await t->done.Wait();
}

awaitable<void> FtpSession::AbortTransfer(bool) {
  auto t = transfer_;
  if (!t) co_return;
  t->abort_requested = true;
  if (t->data) {
    error_code ec;
    t->data->socket().cancel(ec);
    t->data->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  }
  if (!t->upload) co_await SendAbort(bridge_.get(), t.get());
  co_await t->done.Wait();
}

awaitable<void> FtpSession::Abor(std::string) {
  if (!transfer_) {
    ClosePassive();
    co_await Reply(226, "ABOR command successful; no transfer was in progress.");
    co_return;
  }
  co_await AbortTransfer(true);  // the transfer itself replies 426 (or 226 if it had ended)
  co_await Reply(226, "ABOR command successful.");
}

awaitable<void> FtpSession::Rest(std::string arg) {
  uint64_t v = 0;
  if (arg.empty() || arg.size() > 19) co_return co_await Reply(501, "REST needs a byte offset.");
  for (char c : arg) {
    if (!std::isdigit(static_cast<unsigned char>(c))) co_return co_await Reply(501, "REST needs a byte offset.");
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  rest_ = v;
  co_await Reply(350, "Restarting at " + std::to_string(v) + ". Send STOR or RETR to start the transfer.");
}

// Common start of a file transfer: the bridge opens the file first (so a missing file is
// a 550 before any data connection), then 150, then the data connection.
static awaitable<bool> DataPrecheck(FtpSession*, bool has_data, std::optional<std::string> refusal,
                                    int* code, std::string* text) {
  if (refusal) {
    *code = 521;
    *text = *refusal;
    co_return false;
  }
  if (!has_data) {
    *code = 425;
    *text = "Use PORT, EPRT, PASV or EPSV first.";
    co_return false;
  }
  co_return true;
}

awaitable<void> FtpSession::Retr(std::string arg) {
  int code = 0;
  std::string text;
  if (!co_await DataPrecheck(this, pasv_ || active_, DataRefusal(), &code, &text)) co_return co_await Reply(code, text);
  if (!co_await EnsureBridge()) co_return co_await BridgeLost();
  v1::Operation op;
  op.mutable_read()->set_path(arg);
  op.mutable_read()->set_type(type_text_ ? v1::TRANSFER_TYPE_TEXT : v1::TRANSFER_TYPE_IMAGE);
  op.mutable_read()->set_offset(rest_);
  rest_ = 0;
  auto t = std::make_shared<TransferState>(this, co_await asio::this_coro::executor);
  t->path = arg;
  t->op_id = co_await bridge_->Send(std::move(op));
  if (t->op_id == 0) co_return co_await BridgeLost();
  auto first = co_await bridge_->Receive();
  if (!first || !first->msg.has_result()) co_return co_await BridgeLost();
  const v1::OperationResult& started = first->msg.result();
  if (!started.transfer_started()) {
    ClosePassive();
    co_return co_await ReplyFailure(started.result(), 550);
  }
  std::string size = started.has_size() ? " (" + std::to_string(started.size()) + " bytes)" : "";
  co_await Reply(150, std::string("Opening ") + (type_text_ ? "ASCII" : "BINARY") + " mode data connection for " + arg + size + ".");
  t->data = co_await OpenData();
  if (!t->data) {
    co_await SendAbort(bridge_.get(), t.get());
    if (!co_await Drain(bridge_.get(), t.get())) co_return co_await BridgeLost();
    co_return;
  }
  transfer_ = t;
  asio::co_spawn(co_await asio::this_coro::executor, RunTransfer(t), asio::detached);
}

awaitable<void> FtpSession::StartUpload(std::string arg, v1::WriteMode mode) {
  int code = 0;
  std::string text;
  if (!co_await DataPrecheck(this, pasv_ || active_, DataRefusal(), &code, &text)) co_return co_await Reply(code, text);
  if (!co_await EnsureBridge()) co_return co_await BridgeLost();
  v1::Operation op;
  op.mutable_write()->set_path(arg);
  op.mutable_write()->set_type(type_text_ ? v1::TRANSFER_TYPE_TEXT : v1::TRANSFER_TYPE_IMAGE);
  op.mutable_write()->set_mode(mode);
  op.mutable_write()->set_offset(mode == v1::WRITE_MODE_REPLACE ? rest_ : 0);
  rest_ = 0;
  auto t = std::make_shared<TransferState>(this, co_await asio::this_coro::executor);
  t->upload = true;
  t->unique = mode == v1::WRITE_MODE_CREATE_UNIQUE;
  t->path = arg;
  t->op_id = co_await bridge_->Send(std::move(op));
  if (t->op_id == 0) co_return co_await BridgeLost();
  auto first = co_await bridge_->Receive();
  if (!first || !first->msg.has_result()) co_return co_await BridgeLost();
  const v1::OperationResult& started = first->msg.result();
  if (!started.transfer_started()) {
    ClosePassive();
    co_return co_await ReplyFailure(started.result(), 553);
  }
  co_await Reply(150, std::string("Ok to send data") + (t->unique ? " (a unique name will be chosen)" : "") + ".");
  t->data = co_await OpenData();
  if (!t->data) {
    co_await SendAbort(bridge_.get(), t.get());
    if (!co_await Drain(bridge_.get(), t.get())) co_return co_await BridgeLost();
    co_return;
  }
  transfer_ = t;
  asio::co_spawn(co_await asio::this_coro::executor, RunTransfer(t), asio::detached);
}

awaitable<void> FtpSession::Stor(std::string arg) { co_await StartUpload(arg, v1::WRITE_MODE_REPLACE); }
awaitable<void> FtpSession::Appe(std::string arg) { co_await StartUpload(arg, v1::WRITE_MODE_APPEND); }
awaitable<void> FtpSession::Stou(std::string arg) {
  co_await StartUpload(arg.empty() ? "file" : arg, v1::WRITE_MODE_CREATE_UNIQUE);
}

// kind: 0 LIST, 1 NLST, 2 MLSD. LIST and NLST expand wildcards in the last path component
// (`mget *.txt`), as Unix FTP servers do; MLSD never does (RFC 3659 §7.2.1).
awaitable<void> FtpSession::SendListing(std::string arg, int kind) {
  int code = 0;
  std::string text;
  if (!co_await DataPrecheck(this, pasv_ || active_, DataRefusal(), &code, &text)) co_return co_await Reply(code, text);
  v1::Operation op;
  std::string path = kind == 2 ? arg : std::string(StripListOptions(arg));
  std::optional<GlobPath> glob = kind == 2 ? std::nullopt : SplitGlob(path);
  op.mutable_list()->set_path(glob ? glob->dir : path);
  op.mutable_list()->set_names_only(kind == 1);
  auto r = co_await Call(std::move(op));
  if (!r) co_return co_await BridgeLost();
  if (r->result().code() != v1::STATUS_OK) {
    ClosePassive();
    co_return co_await ReplyFailure(r->result(), kind == 1 ? 450 : 550);
  }
  std::string body;
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  int count = 0;
  for (const auto& a : r->entries()) {
    EntryInfo e = ToEntryInfo(a);
    if (glob) {
      if (!GlobMatch(glob->pattern, e.name)) continue;
      // Matches are named as the pattern was: "dir/*.txt" gives "dir/a.txt".
      if (!glob->dir.empty()) e.name = (glob->dir == "/" ? "/" : glob->dir + "/") + e.name;
    }
    if (kind == 0) body += FormatListLine(e, now);
    else if (kind == 1) body += e.name;
    else body += FormatMlsxLine(e, false, mlst_facts_);
    body += "\r\n";
    ++count;
  }
  if (glob && count == 0 && kind == 1) {
    // proftpd and vsftpd: no match is "no such file" for NLST (clients' mget says so).
    ClosePassive();
    co_return co_await Reply(450, path + ": no files found.");
  }
  co_await Reply(150, "Here comes the directory listing.");
  auto data = co_await OpenData();
  if (!data) co_return;
  error_code ec = co_await data->WriteAll(body);
  if (!ec && data->tls()) co_await data->EndTls(false, std::chrono::milliseconds(0));
  data->Close();
  if (ec) {
    log::Warn("ftp.listing_failed", {{"session", session_id_}, {"peer", peer_ip_}, {"path", path},
                                     {"error", "data connection failed: " + ec.message()}});
    co_return co_await Reply(426, "Listing aborted: data connection failed: " + ec.message() + ".");
  }
  co_await Reply(226, "Directory send OK (" + std::to_string(count) + " entries).");
}

awaitable<void> FtpSession::List(std::string arg) { co_await SendListing(arg, 0); }
awaitable<void> FtpSession::Nlst(std::string arg) { co_await SendListing(arg, 1); }
awaitable<void> FtpSession::Mlsd(std::string arg) { co_await SendListing(arg, 2); }

}  // namespace gw::ftp
