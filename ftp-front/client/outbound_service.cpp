#include "client/outbound_service.h"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include "client/ftp_client.h"
#include "client/reply_status.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/neutral_status.h"
#include "runtime/outbound_session.h"
#include "runtime/session_inbox.h"
#include "runtime/util.h"

namespace gw::ftp::client {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
using asio::awaitable;
using Inbox = rt::SessionInbox<rt::RequestFrame, rt::ResponseFrame>;
using Reactor = Inbox::Reactor;
using rt::ResultMessage;

namespace {

// A far-server outcome as a neutral result. A status made from a reply carries its code as
// a payload and "NNN text" as its message: the origin keeps both, the message the text.
v1::Result ResultOf(const absl::Status& s) {
  v1::Result r;
  if (s.ok()) return r;
  r.set_code(rt::ToNeutral(s.code()));
  std::string message(s.message());
  if (auto payload = s.GetPayload(absl::string_view(kReplyCodePayload.data(), kReplyCodePayload.size()))) {
    std::string code_text(*payload);
    int code = 0;
    for (char c : code_text) code = code * 10 + (c - '0');
    std::string text = message;
    if (text.size() > 4 && text.compare(0, 3, code_text) == 0 && (text[3] == ' ' || text[3] == '-'))
      text = text.substr(4);
    auto* ftp = r.add_origin()->mutable_ftp();
    ftp->set_code(static_cast<uint32_t>(code));
    ftp->set_text(text);
    message = text;
  }
  r.set_message(message);
  return r;
}

// A success keeps the far server's last reply too ("226 Transfer complete"): nothing the
// server says is lost.
void KeepReply(v1::OperationResult& r, const FtpClient& ftp) {
  if (r.result().code() != v1::STATUS_OK || r.result().origin_size() > 0 || ftp.last_reply().code == 0) return;
  auto* reply = r.mutable_result()->add_origin()->mutable_ftp();
  reply->set_code(static_cast<uint32_t>(ftp.last_reply().code));
  reply->set_text(ftp.last_reply().text);
}

void FillAttributes(const Entry& e, v1::Attributes* out) {
  out->set_name(e.name);
  switch (e.type) {
    case Entry::Type::kFile: out->set_type(v1::ENTRY_TYPE_FILE); break;
    case Entry::Type::kDirectory: out->set_type(v1::ENTRY_TYPE_DIRECTORY); break;
    case Entry::Type::kSymlink: out->set_type(v1::ENTRY_TYPE_SYMLINK); break;
    default: out->set_type(v1::ENTRY_TYPE_UNKNOWN); break;
  }
  if (e.size) out->set_size(*e.size);
  if (e.mtime_unix) out->set_mtime_unix(*e.mtime_unix);
  if (e.mode) out->set_permissions(*e.mode);
  out->set_owner(e.owner);
  out->set_group(e.group);
  if (e.nlink) out->set_nlink(*e.nlink);
}

// "150 Opening BINARY mode data connection for x (1234 bytes)." -> 1234.
std::optional<uint64_t> SizeFromReply(std::string_view text) {
  auto end = text.rfind(" bytes)");
  if (end == std::string_view::npos) return std::nullopt;
  auto open = text.rfind('(', end);
  if (open == std::string_view::npos || open + 1 == end) return std::nullopt;
  uint64_t v = 0;
  for (char c : text.substr(open + 1, end - open - 1)) {
    if (c < '0' || c > '9' || v > (UINT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::string_view SchemeName(v1::TargetScheme s) {
  switch (s) {
    case v1::TARGET_SCHEME_FTP: return "ftp";
    case v1::TARGET_SCHEME_FTPS: return "ftps";
    case v1::TARGET_SCHEME_FTPS_IMPLICIT: return "ftps-implicit";
    default: return "?";
  }
}

// The FTP client's part of rt::ServeOutbound.
struct Leg {
  Inbox* in;
  std::shared_ptr<OutboundService::Shared> sh;
  std::string id;
  v1::OutboundTarget target;
  std::unique_ptr<FtpClient> ftp;
  std::string user;

  std::string Where() const { return std::string(SchemeName(target.scheme())) + "://" + rt::TargetHostPort(target); }
  bool Made() const { return ftp != nullptr; }
  bool Up() const { return ftp->connected(); }
  awaitable<v1::OperationResult> Login(const v1::Login& login);
  awaitable<bool> Read(const v1::Operation& op);
  awaitable<bool> Write(const v1::Operation& op);
  awaitable<bool> Other(const v1::Operation& op);
  awaitable<void> Close() { (void)co_await ftp->Quit(); }
  awaitable<void> End() {
    if (ftp->transferring()) ftp->Close();
    else (void)co_await ftp->Quit();
  }
  void Drop() { ftp.reset(); }
};

// Every result of an operation on the far server goes through here: when its control
// connection is gone, the result says so (RFC 1415 §5), and it is the session's last.
awaitable<bool> Reply(Leg& leg, v1::OperationResult r) {
  r.set_connection_lost(leg.ftp != nullptr && !leg.ftp->connected());
  co_return co_await leg.in->Write(ResultMessage(std::move(r)));
}

awaitable<v1::OperationResult> DoLogin(Leg& leg, const v1::Login& login) {
  v1::OperationResult r;
  if (leg.ftp) {
    (void)co_await leg.ftp->Quit();
    leg.ftp.reset();
  }
  ClientOptions o;
  o.host = leg.target.host();
  o.port = static_cast<uint16_t>(leg.target.port());
  o.tls = leg.target.scheme() == v1::TARGET_SCHEME_FTPS            ? ClientOptions::Tls::kExplicit
          : leg.target.scheme() == v1::TARGET_SCHEME_FTPS_IMPLICIT ? ClientOptions::Tls::kImplicit
                                                                   : ClientOptions::Tls::kNone;
  o.verify_cert = !leg.target.insecure();
  o.ca_pem = leg.target.ca_pem();
  o.connect_timeout = leg.sh->config.connect_timeout;
  o.reply_timeout = leg.sh->config.reply_timeout;
  o.data_timeout = leg.sh->config.data_timeout;
  std::string id = leg.id;
  o.trace = [id](std::string_view line) { log::Debug("ftp.client", {{"session", id}, {"line", line}}); };
  auto ftp = std::make_unique<FtpClient>(co_await asio::this_coro::executor, std::move(o));
  absl::Status s = co_await ftp->Connect();
  if (s.ok()) s = co_await ftp->Login(login.user(), login.password(), login.account());
  if (s.ok() && !leg.target.path().empty()) s = co_await ftp->Cwd(leg.target.path());
  if (!s.ok()) {
    log::Warn("ftp.client.login_failed", {{"session", leg.id}, {"destination", leg.Where()},
                                           {"user", login.user()}, {"error", std::string(s.message())}});
    ftp->Close();
    *r.mutable_result() = ResultOf(s);
    co_return r;
  }
  KeepReply(r, *ftp);  // the login's 230, before PWD
  auto pwd = co_await ftp->Pwd();
  if (pwd.ok()) r.set_path(*pwd);
  log::Info("ftp.client.login", {{"session", leg.id}, {"destination", leg.Where()}, {"user", login.user()},
                                 {"tls", ftp->data_protected() ? "prot-p" : "none"}});
  leg.ftp = std::move(ftp);
  leg.user = login.user();
  co_return r;
}

// Reads into `buf` until it is full, the transfer ends, or some data has waited 50 ms: each
// chunk toward the bridge is then large (a TLS data connection yields 16 KiB records, and
// per-message costs dominate at that size) without holding data back from a slow server.
// `*end` is set once the transfer has ended (confirmed by the server's final reply).
awaitable<absl::StatusOr<std::size_t>> FillChunk(FtpClient& ftp, std::span<char> buf, bool* end) {
  std::size_t got = 0;
  const auto start = std::chrono::steady_clock::now();
  while (got < buf.size()) {
    absl::StatusOr<std::size_t> n = co_await ftp.ReadData(buf.subspan(got));
    if (!n.ok()) co_return n.status();
    if (*n == 0) {
      *end = true;
      break;
    }
    got += *n;
    if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(50)) break;
  }
  co_return got;
}

// Streams a far file to the bridge. False if the session stream broke.
awaitable<bool> DoRead(Leg& leg, const v1::Operation& op) {
  FtpClient& ftp = *leg.ftp;
  v1::OperationResult final;
  final.set_id(op.id());
  const v1::ReadFile& rf = op.read();
  absl::Status s = co_await ftp.StartRetrieve(rf.path(), rf.type() == v1::TRANSFER_TYPE_TEXT, rf.offset());
  if (!s.ok()) {
    *final.mutable_result() = ResultOf(s);
  co_return co_await Reply(leg, std::move(final));
  }
  {
    v1::OperationResult started;
    started.set_id(op.id());
    started.set_transfer_started(true);
    if (auto size = SizeFromReply(ftp.last_reply().text)) started.set_size(*size);
    if (!co_await leg.in->Write(ResultMessage(std::move(started)))) {
      ftp.Close();
      co_return false;
    }
  }
  uint64_t bytes = 0;
  const std::size_t chunk = leg.sh->config.chunk_size;
  // Each chunk is read into a buffer of its own that the message then references (no
  // copy); the next chunk is read from the server while the last one is being sent.
  bool in_flight = false;
  for (;;) {
    // An abort from the bridge is looked for between chunks, which come at least every
    // 50 ms while data flows; a stalled server is bounded by the data timeout. Any other
    // request waits for the end of the read.
    if (const auto* req = leg.in->Peek(); req && rt::IsAbort(*req)) {  // answered after the final
      (void)co_await ftp.Abort();
      *final.mutable_result() = ResultOf(absl::AbortedError("transfer aborted"));
      break;
    }
    if (leg.in->ended()) {  // the bridge went away
      ftp.Close();
      if (in_flight) (void)co_await leg.in->WriteDone();
      co_return false;
    }
    auto buf = rt::Payload::NewBuffer(chunk);
    bool end = false;
    absl::StatusOr<std::size_t> n = co_await FillChunk(ftp, std::span<char>(buf.data(), chunk), &end);
    if (!n.ok()) {
      *final.mutable_result() = ResultOf(n.status());
      break;
    }
    if (*n > 0) {
      bytes += *n;
      if (in_flight && !co_await leg.in->WriteDone()) {
        ftp.Close();
        co_return false;
      }
      leg.in->StartWriting(rt::DataFrame<rt::ResponseFrame>(rt::Payload::Adopt(std::move(buf), *n), false));
      in_flight = true;
    }
    if (end) break;
  }
  if (in_flight && !co_await leg.in->WriteDone()) {
    ftp.Close();
    co_return false;
  }
  final.set_bytes(bytes);
  KeepReply(final, ftp);
  log::Info("ftp.client.transfer", {{"session", leg.id}, {"op", "retrieve"}, {"path", rf.path()},
                                    {"bytes", bytes}, {"result", v1::StatusCode_Name(final.result().code())}});
  co_return co_await Reply(leg, std::move(final));
}

// Streams the bridge's data to a far file. False if the session stream broke.
awaitable<bool> DoWrite(Leg& leg, const v1::Operation& op) {
  FtpClient& ftp = *leg.ftp;
  v1::OperationResult final;
  final.set_id(op.id());
  const v1::WriteFile& wf = op.write();
  FtpClient::StoreMode mode = FtpClient::StoreMode::kReplace;
  absl::Status s;
  switch (wf.mode()) {
    case v1::WRITE_MODE_APPEND: mode = FtpClient::StoreMode::kAppend; break;
    case v1::WRITE_MODE_CREATE_UNIQUE: mode = FtpClient::StoreMode::kUnique; break;
    case v1::WRITE_MODE_CREATE_NEW: {
      // FTP has no exclusive create: refuse when the name is taken (a race remains).
      auto st = co_await ftp.Stat(wf.path());
      if (st.ok()) s = absl::AlreadyExistsError(wf.path() + ": file exists");
      break;
    }
    default: break;
  }
  if (s.ok()) s = co_await ftp.StartStore(wf.path(), mode, wf.type() == v1::TRANSFER_TYPE_TEXT, wf.offset());
  if (!s.ok()) {
    *final.mutable_result() = ResultOf(s);
  co_return co_await Reply(leg, std::move(final));
  }
  {
    v1::OperationResult started;
    started.set_id(op.id());
    started.set_transfer_started(true);
    if (!co_await leg.in->Write(ResultMessage(std::move(started)))) {
      ftp.Close();
      co_return false;
    }
  }
  absl::Status failure;
  bool complete = false;
  uint64_t bytes = 0;
  for (;;) {
    auto req = co_await leg.in->Next();
    if (!req) {
      // The bridge went away mid-upload: tell the server the transfer was aborted.
      (void)co_await ftp.Abort();
      co_return false;
    }
    if (req->msg.has_op()) {
      leg.in->PushBack(std::move(*req));
      if (failure.ok()) failure = absl::AbortedError("transfer aborted");
      break;
    }
    if (!req->is_data()) continue;
    if (!req->payload.empty()) {
      failure = co_await ftp.WriteData(req->payload.Buffers());
      if (failure.ok()) bytes += req->payload.size();
    }
    if (!failure.ok()) {
      // Told at once, so that the client stops sending; the rest of its data is discarded.
      if (ftp.transferring()) (void)co_await ftp.Abort();
      final.set_bytes(bytes);
      *final.mutable_result() = ResultOf(failure);
      log::Info("ftp.client.transfer", {{"session", leg.id}, {"op", "store"}, {"path", wf.path()},
                                        {"bytes", bytes}, {"result", v1::StatusCode_Name(final.result().code())}});
      if (!co_await Reply(leg, std::move(final))) co_return false;
      bool last = req->last();
      while (!last) {
        auto more = co_await leg.in->Next();
        if (!more) co_return false;
        if (more->msg.has_op()) {
          leg.in->PushBack(std::move(*more));
          break;
        }
        last = more->is_data() && more->last();
      }
      co_return true;
    }
    if (req->last()) {
      complete = true;
      break;
    }
  }
  if (complete && failure.ok()) {
    auto stored = co_await ftp.FinishStore();
    if (stored.ok()) final.set_path(*stored);
    else failure = stored.status();
  }
  if (!failure.ok()) {
    if (ftp.transferring()) (void)co_await ftp.Abort();
    *final.mutable_result() = ResultOf(failure);
  }
  final.set_bytes(bytes);
  KeepReply(final, ftp);
  log::Info("ftp.client.transfer", {{"session", leg.id}, {"op", "store"}, {"path", wf.path()},
                                    {"bytes", bytes}, {"result", v1::StatusCode_Name(final.result().code())}});
  co_return co_await Reply(leg, std::move(final));
}

// Everything but login, read and write.
awaitable<v1::OperationResult> Handle(Leg& leg, const v1::Operation& op) {
  v1::OperationResult r;
  r.set_id(op.id());
  FtpClient& ftp = *leg.ftp;
  auto fail = [&r](const absl::Status& s) {
    *r.mutable_result() = ResultOf(s);
    return r;
  };
  switch (op.op_case()) {
    case v1::Operation::kChangeDirectory: {
      if (absl::Status s = co_await ftp.Cwd(op.change_directory().path()); !s.ok()) co_return fail(s);
      auto pwd = co_await ftp.Pwd();
      if (!pwd.ok()) co_return fail(pwd.status());
      r.set_path(*pwd);
      co_return r;
    }
    case v1::Operation::kPrintDirectory: {
      auto pwd = co_await ftp.Pwd();
      if (!pwd.ok()) co_return fail(pwd.status());
      r.set_path(*pwd);
      co_return r;
    }
    case v1::Operation::kList: {
      if (op.list().names_only()) {
        auto names = co_await ftp.NameList(op.list().path());
        if (!names.ok()) co_return fail(names.status());
        for (const auto& n : *names) r.add_entries()->set_name(n);
      } else {
        auto entries = co_await ftp.List(op.list().path());
        if (!entries.ok()) co_return fail(entries.status());
        for (const auto& e : *entries)
          if (!e.IsDotEntry()) FillAttributes(e, r.add_entries());
      }
      r.set_path(op.list().path());
      co_return r;
    }
    case v1::Operation::kStat: {
      auto e = co_await ftp.Stat(op.stat().path());
      if (!e.ok()) co_return fail(e.status());
      FillAttributes(*e, r.add_entries());
      r.set_path(op.stat().path());
      co_return r;
    }
    case v1::Operation::kDelete:
      co_return fail(co_await ftp.Delete(op.delete_().path()));
    case v1::Operation::kRename: {
      if (absl::Status s = co_await ftp.Rename(op.rename().from(), op.rename().to()); !s.ok()) co_return fail(s);
      r.set_path(op.rename().to());
      co_return r;
    }
    case v1::Operation::kMakeDirectory: {
      if (absl::Status s = co_await ftp.MakeDirectory(op.make_directory().path()); !s.ok()) co_return fail(s);
      r.set_path(op.make_directory().path());
      co_return r;
    }
    case v1::Operation::kRemoveDirectory:
      co_return fail(co_await ftp.RemoveDirectory(op.remove_directory().path()));
    case v1::Operation::kSetAttributes: {
      const v1::SetAttributes& sa = op.set_attributes();
      if (!sa.has_permissions() && !sa.has_mtime_unix()) co_return fail(absl::InvalidArgumentError("no attribute to set"));
      if (sa.has_permissions()) {
        if (absl::Status s = co_await ftp.Chmod(sa.path(), sa.permissions()); !s.ok()) co_return fail(s);
      }
      if (sa.has_mtime_unix()) {
        if (absl::Status s = co_await ftp.SetModificationTime(sa.path(), sa.mtime_unix()); !s.ok()) co_return fail(s);
      }
      r.set_path(sa.path());
      co_return r;
    }
    case v1::Operation::kAbort:
      co_return r;  // nothing is running between operations
    case v1::Operation::kStatus: {
      r.set_status_text("logged in as " + leg.user + " to " + leg.Where() +
                        (ftp.data_protected() ? " (TLS, PROT P)" : ""));
      co_return r;
    }
    default:
      co_return fail(absl::InvalidArgumentError("unexpected operation"));
  }
}

absl::Status CheckTarget(const v1::OutboundTarget& t) {
  if (t.scheme() != v1::TARGET_SCHEME_FTP && t.scheme() != v1::TARGET_SCHEME_FTPS &&
      t.scheme() != v1::TARGET_SCHEME_FTPS_IMPLICIT)
    return absl::InvalidArgumentError("ftp-front serves ftp, ftps and ftps-implicit destinations only");
  if (absl::Status s = rt::CheckTargetHost(t); !s.ok()) return s;
  if (t.port() == 0 || t.port() > 65535) return absl::InvalidArgumentError("the target's port is out of range");
  return absl::OkStatus();
}

awaitable<v1::OperationResult> Leg::Login(const v1::Login& login) { return DoLogin(*this, login); }
awaitable<bool> Leg::Read(const v1::Operation& op) { return DoRead(*this, op); }
awaitable<bool> Leg::Write(const v1::Operation& op) { return DoWrite(*this, op); }
awaitable<bool> Leg::Other(const v1::Operation& op) {
  v1::OperationResult r = co_await Handle(*this, op);
  if (!op.has_abort() && !op.has_status()) KeepReply(r, *ftp);
  co_return co_await Reply(*this, std::move(r));
}

const rt::OutboundNames kNames{"ftp.client.open", "ftp.client.connection_lost", "ftp.client.close",
                               "ftp-front 0.1.0", "the connection to"};

awaitable<grpc::Status> Serve(Inbox* in, std::shared_ptr<OutboundService::Shared> sh, std::string peer) {
  return rt::ServeOutbound(in, std::move(peer), kNames, [in, sh = std::move(sh)](const v1::OpenSession& open) -> absl::StatusOr<Leg> {
    if (absl::Status s = CheckTarget(open.target()); !s.ok()) return s;
    return Leg{in, sh, open.session_id(), open.target(), nullptr, ""};
  });
}

}  // namespace

OutboundService::OutboundService(asio::io_context& io, OutboundConfig config)
    : shared_(std::make_shared<Shared>(io, config)) {}

grpc::ServerBidiReactor<rt::RequestFrame, rt::ResponseFrame>* OutboundService::FrameSession(
    grpc::CallbackServerContext* ctx) {
  auto sh = shared_;
  return rt::AcceptServedSession<rt::RequestFrame, rt::ResponseFrame>(
      sh->io, sh->sessions, sh->config.max_sessions, "outbound sessions",
      "gw_ftp_outbound_sessions", "ftp.client.exception",
      [sh, peer = ctx->peer()](Inbox* in) { return Serve(in, sh, peer); });
}

}  // namespace gw::ftp::client
