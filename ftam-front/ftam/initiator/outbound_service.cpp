#include "ftam/initiator/outbound_service.h"

#include <cctype>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "absl/strings/str_cat.h"
#include "ftam/doctype/document_types.h"
#include "ftam/initiator/initiator.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/neutral_status.h"
#include "runtime/outbound_session.h"
#include "runtime/session_inbox.h"
#include "runtime/util.h"

namespace gw::ftam::initiator {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
namespace dt = doctype;
using asio::awaitable;
using Inbox = rt::SessionInbox<rt::RequestFrame, rt::ResponseFrame>;
using Reactor = Inbox::Reactor;
using rt::ResultMessage;

namespace {

// A responder's outcome as a neutral result: the diagnostic becomes the origin (RFC 1415
// §9.2 turns it into an FTP reply in the bridge), its further details the message.
v1::Result ResultOf(const absl::Status& s) {
  v1::Result r;
  if (s.ok()) return r;
  r.set_code(rt::ToNeutral(s.code()));
  r.set_message(std::string(s.message()));
  if (auto d = DiagnosticOf(s)) {
    auto* f = r.add_origin()->mutable_ftam();
    f->set_diagnostic_type(static_cast<uint32_t>(d->diagnostic_type.value_or(2)));
    f->set_error_identifier(static_cast<uint32_t>(d->error_identifier.value_or(0)));
    f->set_error_observer(static_cast<uint32_t>(d->error_observer.value_or(0)));
    f->set_error_source(static_cast<uint32_t>(d->error_source.value_or(0)));
    f->set_further_details(d->further_details.value_or(""));
  }
  return r;
}

// The responder's name for a neutral path: the bridge sends paths from the login's
// initial directory ("/a/b" is "a/b" there, "/" is ".").
std::string NameOf(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path.empty() ? "." : std::string(path);
}

std::optional<int64_t> UnixOf(const osi::ber::Time& t) {
  if (t.year == 0 && t.month == 0) return std::nullopt;
  std::tm tm{};
  // ISODE writes 2026 as 0126 (osi-ftam-notes: a year-2000 bug); two-digit years are 19xx/20xx.
  int year = t.year < 100 ? (t.year < 50 ? 2000 + t.year : 1900 + t.year) : t.year < 1000 ? t.year + 1900 : t.year;
  tm.tm_year = year - 1900;
  tm.tm_mon = t.month - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.minute;
  tm.tm_sec = t.second;
  int64_t v = static_cast<int64_t>(timegm(&tm));
  if (t.utc) v -= int64_t{t.offset_minutes} * 60;
  return v;
}

void FillAttributes(const Attributes& a, std::string_view fallback_name, v1::Attributes* out) {
  std::string name(fallback_name);
  if (a.pathname && !a.pathname->empty()) name = a.pathname->back();
  if (auto slash = name.find_last_of('/'); slash != std::string::npos && slash + 1 < name.size()) name = name.substr(slash + 1);
  out->set_name(name);
  out->set_type(v1::ENTRY_TYPE_FILE);
  if (a.contents_type && a.contents_type->is_document_type) {
    const Oid& doc = a.contents_type->document_type_name;
    if (doc == dt::kNbs9DocumentType || doc == dt::kNbs9OldDocumentType) out->set_type(v1::ENTRY_TYPE_DIRECTORY);
    else if (doc == dt::kFtam1DocumentType) out->set_contents(v1::TRANSFER_TYPE_TEXT);
    else if (doc == dt::kFtam3DocumentType) out->set_contents(v1::TRANSFER_TYPE_IMAGE);
  }
  if (a.filesize && !a.filesize->no_value && a.filesize->value >= 0) out->set_size(static_cast<uint64_t>(a.filesize->value));
  if (a.date_and_time_of_last_modification && !a.date_and_time_of_last_modification->no_value) {
    if (auto t = UnixOf(a.date_and_time_of_last_modification->value)) out->set_mtime_unix(*t);
  }
  if (a.identity_of_creator && !a.identity_of_creator->no_value) out->set_owner(a.identity_of_creator->value);
  if (a.permitted_actions) {
    uint32_t mode = 0;
    if (a.permitted_actions->Test(access::kRead)) mode |= 0444;
    if (a.permitted_actions->Test(access::kReplace) || a.permitted_actions->Test(access::kExtend)) mode |= 0200;
    if (out->type() == v1::ENTRY_TYPE_DIRECTORY) mode |= 0111;
    out->set_permissions(mode);
  }
}

// The FTAM initiator's part of rt::ServeOutbound.
struct Leg {
  Inbox* in;
  std::shared_ptr<OutboundService::Shared> sh;
  std::string id;
  v1::OutboundTarget target;
  std::unique_ptr<Initiator> ftam;
  std::string user;

  std::string Where() const { return "ftam://" + rt::TargetHostPort(target); }
  bool Made() const { return ftam != nullptr; }
  bool Up() const { return ftam->associated(); }
  awaitable<v1::OperationResult> Login(const v1::Login& login);
  awaitable<bool> Read(const v1::Operation& op);
  awaitable<bool> Write(const v1::Operation& op);
  awaitable<bool> Other(const v1::Operation& op);
  awaitable<void> Close() { co_await ftam->Release(); }
  awaitable<void> End() {
    if (ftam->transferring()) co_await ftam->Abort("the gateway session ended");
    else co_await ftam->Release();
  }
  void Drop() { ftam.reset(); }
};

// Every result a leg sends goes through here: when the association is gone, the result
// says so (RFC 1415 §5), and it is the last the session gets.
awaitable<bool> Reply(Leg& leg, v1::OperationResult r) {
  r.set_connection_lost(leg.ftam != nullptr && !leg.ftam->associated());
  co_return co_await leg.in->Write(ResultMessage(std::move(r)));
}

// The interim result of a transfer that has started; a broken session aborts the association.
awaitable<bool> Started(Leg& leg, uint64_t id) {
  v1::OperationResult started;
  started.set_id(id);
  started.set_transfer_started(true);
  if (co_await leg.in->Write(ResultMessage(std::move(started)))) co_return true;
  co_await leg.ftam->Abort("the gateway session ended");
  co_return false;
}

Address AddressOf(const v1::OutboundTarget& t) {
  Address a;
  a.host = t.host();
  a.port = static_cast<uint16_t>(t.port() ? t.port() : 102);
  a.tsel = t.ftam().tsel();
  a.ssel = t.ftam().ssel();
  a.psel = t.ftam().psel();
  if (!t.ftam().ap_title().empty()) {
    if (auto oid = osi::ber::Oid::Parse(t.ftam().ap_title())) a.ap_title = *oid;
  }
  if (t.ftam().has_ae_qualifier()) a.ae_qualifier = t.ftam().ae_qualifier();
  return a;
}

awaitable<v1::OperationResult> DoLogin(Leg& leg, const v1::Login& login) {
  v1::OperationResult r;
  if (leg.ftam) {
    co_await leg.ftam->Release();
    leg.ftam.reset();
  }
  Options o;
  o.connect_timeout = leg.sh->config.connect_timeout;
  o.reply_timeout = leg.sh->config.reply_timeout;
  o.data_timeout = leg.sh->config.data_timeout;
  o.max_tpdu = leg.sh->config.max_tpdu;
  o.propose_old_nbs9 = leg.sh->config.propose_old_nbs9;
  std::string id = leg.id;
  o.trace = [id](std::string_view line) { log::Debug("ftam.initiator", {{"session", id}, {"pdu", line}}); };
  auto ftam = std::make_unique<Initiator>(co_await asio::this_coro::executor, std::move(o));
  absl::Status s = co_await ftam->Associate(AddressOf(leg.target), login.user(), login.password(), login.account());
  if (!s.ok()) {
    log::Warn("ftam.initiator.login_failed", {{"session", leg.id}, {"destination", leg.Where()},
                                              {"user", log::Sanitize(login.user())}, {"error", std::string(s.message())}});
    *r.mutable_result() = ResultOf(s);
    co_return r;
  }
  const Granted& g = ftam->granted();
  log::Info("ftam.initiator.login",
            {{"session", leg.id}, {"destination", leg.Where()}, {"user", log::Sanitize(login.user())},
             {"grouping", g.grouping}, {"nbs9", g.nbs9_ctx.has_value()}, {"session_version", ftam->session_version()}});
  r.set_path("/");
  leg.ftam = std::move(ftam);
  leg.user = login.user();
  co_return r;
}

// Streams a responder's file to the bridge. False if the session stream broke.
awaitable<bool> DoRead(Leg& leg, const v1::Operation& op) {
  Initiator& ftam = *leg.ftam;
  v1::OperationResult final;
  final.set_id(op.id());
  const v1::ReadFile& rf = op.read();
  const std::string name = NameOf(rf.path());
  absl::Status s = co_await ftam.StartRead(name, rf.type() == v1::TRANSFER_TYPE_TEXT);
  if (!s.ok()) {
    *final.mutable_result() = ResultOf(s);
    co_return co_await Reply(leg, std::move(final));
  }
  if (!co_await Started(leg, op.id())) co_return false;
  // REST without recovery or restart negotiated: the first bytes are read and skipped.
  uint64_t skip = rf.offset();
  if (skip > 0)
    log::Info("ftam.initiator.restart_by_skipping", {{"session", leg.id}, {"path", name}, {"offset", skip}});
  uint64_t bytes = 0;
  const std::size_t chunk = leg.sh->config.chunk_size;
  for (;;) {
    if (const auto* req = leg.in->Peek(); req && rt::IsAbort(*req)) {  // answered after the final
      absl::Status c = co_await ftam.Cancel();
      *final.mutable_result() = ResultOf(Lost(c) ? c : absl::AbortedError("transfer aborted"));
      break;
    }
    if (leg.in->ended()) {
      co_await ftam.Abort("the gateway session ended");
      co_return false;
    }
    std::string buf;
    bool end = false;
    s = co_await ftam.ReadSome(&buf, chunk, &end);
    if (!s.ok()) {
      *final.mutable_result() = ResultOf(s);
      break;
    }
    if (skip > 0) {
      size_t drop = static_cast<size_t>(std::min<uint64_t>(skip, buf.size()));
      buf.erase(0, drop);
      skip -= drop;
    }
    if (!buf.empty()) {
      bytes += buf.size();
      if (!co_await leg.in->Write(rt::DataFrame<rt::ResponseFrame>(rt::Payload::Adopt(std::move(buf)), false))) {
        co_await ftam.Abort("the gateway session ended");
        co_return false;
      }
    }
    if (end) break;
  }
  final.set_bytes(bytes);
  log::Info("ftam.initiator.transfer", {{"session", leg.id}, {"op", "read"}, {"path", name},
                                        {"bytes", bytes}, {"result", v1::StatusCode_Name(final.result().code())}});
  co_return co_await Reply(leg, std::move(final));
}

// Starts a write: the unique-name variant tries name, name.1, name.2, ...
awaitable<absl::Status> StartWrite(Initiator& ftam, const v1::WriteFile& wf, std::string* name) {
  const bool text = wf.type() == v1::TRANSFER_TYPE_TEXT;
  switch (wf.mode()) {
    case v1::WRITE_MODE_APPEND: co_return co_await ftam.StartWrite(*name, Initiator::WriteMode::kExtend, text);
    case v1::WRITE_MODE_CREATE_NEW: co_return co_await ftam.StartWrite(*name, Initiator::WriteMode::kCreateNew, text);
    case v1::WRITE_MODE_CREATE_UNIQUE: {
      const std::string base = *name;
      for (int i = 0; i < 100; ++i) {
        *name = i == 0 ? base : base + "." + std::to_string(i);
        absl::Status s = co_await ftam.StartWrite(*name, Initiator::WriteMode::kCreateNew, text);
        if (s.code() != absl::StatusCode::kAlreadyExists) co_return s;
      }
      co_return absl::AlreadyExistsError("no unique name is free for " + base);
    }
    default: co_return co_await ftam.StartWrite(*name, Initiator::WriteMode::kReplace, text);
  }
}

// Streams the bridge's data to a responder's file. False if the session stream broke.
awaitable<bool> DoWrite(Leg& leg, const v1::Operation& op) {
  Initiator& ftam = *leg.ftam;
  v1::OperationResult final;
  final.set_id(op.id());
  const v1::WriteFile& wf = op.write();
  std::string name = NameOf(wf.path());
  absl::Status s = wf.offset() > 0 ? absl::UnimplementedError("restarting an upload needs FTAM recovery, which this responder did not grant")
                                   : co_await StartWrite(ftam, wf, &name);
  if (!s.ok()) {
    *final.mutable_result() = ResultOf(s);
    co_return co_await Reply(leg, std::move(final));
  }
  if (!co_await Started(leg, op.id())) co_return false;
  absl::Status failure;
  bool complete = false;
  uint64_t bytes = 0;
  std::string joined;
  for (;;) {
    auto req = co_await leg.in->Next();
    if (!req) {
      // The bridge went away mid-upload: nothing half-written may look complete.
      co_await ftam.Abort("the gateway session ended during the upload");
      co_return false;
    }
    if (req->msg.has_op()) {
      leg.in->PushBack(std::move(*req));
      if (failure.ok()) failure = absl::AbortedError("transfer aborted");
      break;
    }
    if (!req->is_data()) continue;
    // The chunk goes out as one P-DATA: its pieces (as gRPC received them) are joined.
    joined.clear();
    req->payload.AppendTo(joined);
    failure = co_await ftam.WriteSome(std::span<const char>(joined.data(), joined.size()));
    if (failure.ok()) bytes += joined.size();
    if (!failure.ok()) {
      if (ftam.transferring() && !Lost(failure)) (void)co_await ftam.Cancel();
      final.set_bytes(bytes);
      *final.mutable_result() = ResultOf(failure);
      log::Info("ftam.initiator.transfer", {{"session", leg.id}, {"op", "write"}, {"path", name}, {"bytes", bytes},
                                            {"result", v1::StatusCode_Name(final.result().code())}});
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
  if (complete && failure.ok()) failure = co_await ftam.FinishWrite();
  else if (ftam.transferring()) (void)co_await ftam.Cancel();  // aborted: the responder discards it
  if (!failure.ok()) *final.mutable_result() = ResultOf(failure);
  else final.set_path("/" + name);
  final.set_bytes(bytes);
  log::Info("ftam.initiator.transfer", {{"session", leg.id}, {"op", "write"}, {"path", name}, {"bytes", bytes},
                                        {"result", v1::StatusCode_Name(final.result().code())}});
  co_return co_await Reply(leg, std::move(final));
}

// Everything but login, read and write.
awaitable<v1::OperationResult> Handle(Leg& leg, const v1::Operation& op) {
  v1::OperationResult r;
  r.set_id(op.id());
  Initiator& ftam = *leg.ftam;
  auto fail = [&r](const absl::Status& s) {
    *r.mutable_result() = ResultOf(s);
    return r;
  };
  switch (op.op_case()) {
    case v1::Operation::kChangeDirectory: {
      // The bridge keeps the directory (RFC 1415 §5.1); a leg asked directly checks it.
      auto a = co_await ftam.ReadAttributes(NameOf(op.change_directory().path()));
      if (!a.ok()) co_return fail(a.status());
      v1::Attributes attrs;
      FillAttributes(*a, NameOf(op.change_directory().path()), &attrs);
      if (attrs.type() != v1::ENTRY_TYPE_DIRECTORY)
        co_return fail(absl::FailedPreconditionError("not a directory: " + op.change_directory().path()));
      r.set_path(op.change_directory().path());
      co_return r;
    }
    case v1::Operation::kPrintDirectory:
      r.set_path("/");
      co_return r;
    case v1::Operation::kList: {
      const std::string name = NameOf(op.list().path());
      auto entries = co_await ftam.ListDirectory(name);
      if (!entries.ok() && entries.status().code() != absl::StatusCode::kUnimplemented) co_return fail(entries.status());
      if (!entries.ok() || (entries->empty() && name != ".")) {
        // No NBS-9 (or a file was named): list the named file alone, as FTP servers do.
        auto a = co_await ftam.ReadAttributes(name);
        if (!a.ok()) co_return fail(entries.ok() ? a.status() : entries.status());
        v1::Attributes attrs;
        FillAttributes(*a, name, &attrs);
        if (attrs.type() == v1::ENTRY_TYPE_DIRECTORY && !entries.ok()) co_return fail(entries.status());
        if (attrs.type() != v1::ENTRY_TYPE_DIRECTORY) *r.add_entries() = std::move(attrs);
      } else {
        for (const auto& e : *entries) {
          v1::Attributes attrs;
          FillAttributes(e, "", &attrs);
          if (attrs.name().empty() || attrs.name() == "." || attrs.name() == "..") continue;
          if (op.list().names_only()) r.add_entries()->set_name(attrs.name());
          else *r.add_entries() = std::move(attrs);
        }
      }
      r.set_path(op.list().path());
      co_return r;
    }
    case v1::Operation::kStat: {
      const std::string name = NameOf(op.stat().path());
      auto a = co_await ftam.ReadAttributes(name);
      if (!a.ok()) co_return fail(a.status());
      FillAttributes(*a, name, r.add_entries());
      r.set_path(op.stat().path());
      co_return r;
    }
    case v1::Operation::kDelete:
      co_return fail(co_await ftam.Delete(NameOf(op.delete_().path())));
    case v1::Operation::kRemoveDirectory:
      co_return fail(co_await ftam.Delete(NameOf(op.remove_directory().path())));
    case v1::Operation::kRename: {
      if (absl::Status s = co_await ftam.Rename(NameOf(op.rename().from()), NameOf(op.rename().to())); !s.ok())
        co_return fail(s);
      r.set_path(op.rename().to());
      co_return r;
    }
    case v1::Operation::kMakeDirectory: {
      if (absl::Status s = co_await ftam.MakeDirectory(NameOf(op.make_directory().path())); !s.ok()) co_return fail(s);
      r.set_path(op.make_directory().path());
      co_return r;
    }
    case v1::Operation::kSetAttributes:
      co_return fail(absl::UnimplementedError("FTAM destinations do not take permission or time changes"));
    case v1::Operation::kAbort:
      co_return r;  // nothing is running between operations
    case v1::Operation::kStatus: {
      const Granted& g = ftam.granted();
      r.set_status_text(absl::StrCat("logged in as ", leg.user, " to ", leg.Where(), " (FTAM, session version ",
                                     ftam.session_version(), g.grouping ? ", grouping" : "",
                                     g.nbs9_ctx ? ", NBS-9 listings" : "", ")"));
      co_return r;
    }
    default:
      co_return fail(absl::InvalidArgumentError("unexpected operation"));
  }
}

absl::Status CheckTarget(const v1::OutboundTarget& t) {
  if (t.scheme() != v1::TARGET_SCHEME_FTAM) return absl::InvalidArgumentError("ftam-front serves ftam destinations only");
  if (absl::Status s = rt::CheckTargetHost(t); !s.ok()) return s;
  if (t.port() > 65535) return absl::InvalidArgumentError("the target's port is out of range");
  if (t.ftam().tsel().size() > 32 || t.ftam().ssel().size() > 16 || t.ftam().psel().size() > 16)
    return absl::InvalidArgumentError("a selector is too long");
  if (!t.ftam().ap_title().empty() && !osi::ber::Oid::Parse(t.ftam().ap_title()))
    return absl::InvalidArgumentError("the AP title is not a dotted object identifier");
  return absl::OkStatus();
}

awaitable<v1::OperationResult> Leg::Login(const v1::Login& login) { return DoLogin(*this, login); }
awaitable<bool> Leg::Read(const v1::Operation& op) { return DoRead(*this, op); }
awaitable<bool> Leg::Write(const v1::Operation& op) { return DoWrite(*this, op); }
awaitable<bool> Leg::Other(const v1::Operation& op) { co_return co_await Reply(*this, co_await Handle(*this, op)); }

const rt::OutboundNames kNames{"ftam.initiator.open", "ftam.initiator.association_lost", "ftam.initiator.close",
                               "ftam-front 0.1.0", "the FTAM association with"};

awaitable<grpc::Status> Serve(Inbox* in, std::shared_ptr<OutboundService::Shared> sh, std::string peer) {
  return rt::ServeOutbound(in, std::move(peer), kNames,
                           [in, sh = std::move(sh)](const v1::OpenSession& open) -> absl::StatusOr<Leg> {
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
      sh->io, sh->sessions, sh->config.max_sessions, "outbound associations",
      "gw_ftam_outbound_sessions", "ftam.initiator.exception",
      [sh, peer = ctx->peer()](Inbox* in) { return Serve(in, sh, peer); });
}

}  // namespace gw::ftam::initiator
