#include "session/session.h"

#include <boost/asio/this_coro.hpp>

#include "mapping/status_map.h"
#include "mapping/text_convert.h"
#include "runtime/grpc_server.h"
#include "runtime/log.h"
#include "route/directory.h"
#include "runtime/session_client.h"

namespace gw::bridge {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
using asio::awaitable;

namespace {

// A routing refusal as the user sees it: an unlisted destination, or one the login may
// not use, is "no route" (the gateway is no open relay).
v1::Result RouteRefusal(const absl::Status& s) {
  v1::Result r = MakeResult(s);
  r.clear_origin();
  if (s.code() == absl::StatusCode::kNotFound || s.code() == absl::StatusCode::kPermissionDenied)
    r.set_code(v1::STATUS_NO_ROUTE);
  return r;
}

}  // namespace

Session::Session(const route::RouteTable& routes, const Fronts& fronts, std::string session_id,
                 std::string peer, v1::Protocol protocol)
    : routes_(routes), fronts_(fronts), id_(std::move(session_id)), peer_(std::move(peer)), protocol_(protocol) {}

Session::~Session() = default;


void FillAttributes(const filestore::Entry& e, v1::Attributes* out) {
  out->set_name(e.name);
  switch (e.type) {
    case filestore::EntryType::kFile: out->set_type(v1::ENTRY_TYPE_FILE); break;
    case filestore::EntryType::kDirectory: out->set_type(v1::ENTRY_TYPE_DIRECTORY); break;
    case filestore::EntryType::kSymlink: out->set_type(v1::ENTRY_TYPE_SYMLINK); break;
    default: out->set_type(v1::ENTRY_TYPE_UNKNOWN); break;
  }
  out->set_size(e.size);
  out->set_mtime_unix(e.mtime_unix);
  out->set_permissions(e.mode);
  out->set_owner(e.owner);
  out->set_group(e.group);
  out->set_nlink(e.nlink);
}

void Session::DecideContents(const std::string& path, const filestore::Entry& e, v1::Attributes* out) {
  if (e.type != filestore::EntryType::kFile) return;
  out->set_contents(v1::TRANSFER_TYPE_IMAGE);
  if (e.size > sniff_limit_) return;
  auto reader = store_->OpenRead(path, 0);
  if (!reader.ok()) return;
  TextSniffer sniffer;
  std::string buf(64 * 1024, '\0');
  for (;;) {
    auto n = (*reader)->Read(std::span<char>(buf.data(), buf.size()));
    if (!n.ok()) return;
    if (*n == 0) break;
    sniffer.Append(std::string_view(buf.data(), *n));
    if (!sniffer.text()) return;
  }
  out->set_contents(v1::TRANSFER_TYPE_TEXT);
}

absl::StatusOr<std::string> Session::Resolve(std::string_view arg) const {
  return filestore::NormalizePath(cwd_, arg);
}

awaitable<v1::Result> Session::Login(const v1::Login& login, const route::RouteTable::Match* given) {
  co_await End();  // a new login replaces the previous destination
  store_.reset();
  login_.clear();
  destination_.clear();
  std::optional<route::RouteTable::Match> resolved;
  if (given == nullptr) {
    // RFC 1415 §3, §4: the destination comes from SITE/HOST, user@host, or the route table.
    absl::StatusOr<route::RouteTable::Match> match;
    if (login.has_called() && login.host_hint().empty()) {
      // RFC 1415 §4.2: an FTAM initiator's called AE title or selectors may name the entry.
      route::CalledAddress called;
      called.ap_title = login.called().ap_title();
      if (login.called().has_ae_qualifier()) called.ae_qualifier = login.called().ae_qualifier();
      called.psel = login.called().psel();
      called.ssel = login.called().ssel();
      called.tsel = login.called().tsel();
      match = routes_.ResolveCalled(login.user(), called);
    } else {
      match = routes_.Resolve(login.user(), login.host_hint());
    }
    if (!match.ok()) {
      // A plain name no route knows is refused as a wrong password is: same answer, same
      // work. A destination the user named and the table lacks is "no route".
      if (match.status().code() == absl::StatusCode::kNotFound && login.host_hint().empty() &&
          login.user().find('@') == std::string::npos) {
        (void)route::RefuseUnknownLogin(login.password());
        co_return ErrorResult(v1::STATUS_NOT_LOGGED_IN, "login incorrect");
      }
      co_return RouteRefusal(match.status());
    }
    resolved = std::move(*match);
    given = &*resolved;
  }
  const route::Route& route = *given->route;
  switch (given->destination.scheme) {
    case route::Scheme::kFile: break;
    case route::Scheme::kFtp:
    case route::Scheme::kFtps:
    case route::Scheme::kFtpsImplicit:
    case route::Scheme::kFtam:
      co_return co_await OpenLeg(*given, login);
    default:
      co_return ErrorResult(v1::STATUS_UNIMPLEMENTED, "destination " + route.name + " is not served yet");
  }
  if (absl::Status s = route::CheckAccount(route, given->login, login.password()); !s.ok())
    co_return ErrorResult(v1::STATUS_NOT_LOGGED_IN, "login incorrect");
  auto store = filestore::FileStore::Open(given->destination.root);
  if (!store.ok()) {
    log::Error("filestore.open_failed", {{"session", id_}, {"route", route.name},
                                         {"error", std::string(store.status().message())}});
    co_return ErrorResult(v1::STATUS_UNAVAILABLE, "destination " + route.name + " is unavailable");
  }
  store_ = std::move(*store);
  login_ = given->login;
  destination_ = route.name;
  cwd_ = "/";
  co_return OkResult();
}

awaitable<v1::Result> Session::OpenLeg(const route::RouteTable::Match& match, const v1::Login& login) {
  const route::Route& route = *match.route;
  const route::Destination& d = match.destination;
  const bool ftam = d.scheme == route::Scheme::kFtam;
  rt::SessionStub* front = ftam ? fronts_.ftam.get() : fronts_.ftp.get();
  if (!front)
    co_return ErrorResult(v1::STATUS_UNAVAILABLE, "destination " + route.name + " is unavailable: no " +
                                                      (ftam ? "ftam-front" : "ftp-front") + " is configured");
  v1::OpenSession open;
  open.set_protocol(protocol_);
  open.set_peer_address(peer_);
  open.set_session_id(id_);
  v1::OutboundTarget* target = open.mutable_target();
  target->set_scheme(ftam                                         ? v1::TARGET_SCHEME_FTAM
                     : d.scheme == route::Scheme::kFtps           ? v1::TARGET_SCHEME_FTPS
                     : d.scheme == route::Scheme::kFtpsImplicit ? v1::TARGET_SCHEME_FTPS_IMPLICIT
                                                                : v1::TARGET_SCHEME_FTP);
  if (ftam) {
    v1::FtamAddress* a = target->mutable_ftam();
    a->set_tsel(d.tsel);
    a->set_ssel(d.ssel);
    a->set_psel(d.psel);
    a->set_ap_title(d.ap_title);
    if (d.ae_qualifier) a->set_ae_qualifier(*d.ae_qualifier);
  }
  target->set_host(d.host);
  target->set_port(d.port);
  target->set_path(d.path);
  target->set_insecure(d.tls_insecure);
  if (!d.tls_ca.empty()) {
    auto pem = rt::ReadFile(d.tls_ca);
    if (!pem.ok()) {
      log::Error("route.ca_unreadable", {{"session", id_}, {"route", route.name},
                                         {"error", std::string(pem.status().message())}});
      co_return ErrorResult(v1::STATUS_UNAVAILABLE, "destination " + route.name + " is unavailable: its CA file cannot be read");
    }
    target->set_ca_pem(std::move(*pem));
  }
  auto leg = std::make_unique<rt::SessionClient>(front, co_await asio::this_coro::executor);
  if (!co_await leg->Open(std::move(open))) {
    log::Error("session.leg_unavailable", {{"session", id_}, {"route", route.name}, {"error", leg->error()}});
    co_return ErrorResult(v1::STATUS_UNAVAILABLE, "destination " + route.name + " is unavailable: " + leg->error());
  }
  v1::Operation op;
  op.mutable_login()->set_user(match.login);
  op.mutable_login()->set_password(login.password());
  op.mutable_login()->set_account(login.account());
  auto r = co_await leg->Call(std::move(op));
  if (!r) {
    co_await leg->Cancel();
    co_return ErrorResult(v1::STATUS_UNAVAILABLE, "destination " + route.name + " is unavailable: the outbound leg broke");
  }
  if (r->result().code() != v1::STATUS_OK) {
    co_await leg->Close();
    co_return r->result();
  }
  leg_ = std::move(leg);
  ftam_leg_ = ftam;
  login_ = match.login;
  destination_ = route.name;
  cwd_ = r->path().empty() ? "/" : r->path();
  if (ftam && !d.path.empty()) {
    // ftam://host/dir: the session starts in that directory of the responder's filestore.
    auto start = filestore::NormalizePath("/", d.path);
    if (start.ok()) cwd_ = *start;
  }
  co_return OkResult();
}

absl::StatusOr<v1::Operation> Session::ForLeg(const v1::Operation& op) const {
  if (!ftam_leg()) return op;
  v1::Operation out = op;
  auto fix = [&](std::string* path) -> absl::Status {
    auto p = Resolve(*path);
    if (!p.ok()) return p.status();
    *path = *p;
    return absl::OkStatus();
  };
  absl::Status s;
  switch (out.op_case()) {
    case v1::Operation::kChangeDirectory: s = fix(out.mutable_change_directory()->mutable_path()); break;
    case v1::Operation::kList: s = fix(out.mutable_list()->mutable_path()); break;
    case v1::Operation::kStat: s = fix(out.mutable_stat()->mutable_path()); break;
    case v1::Operation::kRead: s = fix(out.mutable_read()->mutable_path()); break;
    case v1::Operation::kWrite: s = fix(out.mutable_write()->mutable_path()); break;
    case v1::Operation::kDelete: s = fix(out.mutable_delete_()->mutable_path()); break;
    case v1::Operation::kRename:
      s = fix(out.mutable_rename()->mutable_from());
      if (s.ok()) s = fix(out.mutable_rename()->mutable_to());
      break;
    case v1::Operation::kMakeDirectory: s = fix(out.mutable_make_directory()->mutable_path()); break;
    case v1::Operation::kRemoveDirectory: s = fix(out.mutable_remove_directory()->mutable_path()); break;
    case v1::Operation::kSetAttributes: s = fix(out.mutable_set_attributes()->mutable_path()); break;
    default: break;
  }
  if (!s.ok()) return s;
  return out;
}

awaitable<void> Session::End() {
  if (!leg_) co_return;
  auto leg = std::move(leg_);
  co_await leg->Close();
}

awaitable<void> Session::Cancel() {
  if (!leg_) co_return;
  auto leg = std::move(leg_);
  co_await leg->Cancel();
}

awaitable<std::optional<v1::OperationResult>> Session::Handle(const v1::Operation& op) {
  if (op.has_login()) {
    v1::OperationResult r;
    r.set_id(op.id());
    *r.mutable_result() = co_await Login(op.login());
    if (r.result().code() != v1::STATUS_OK) {
      log::Warn("session.login_failed", {{"session", id_}, {"peer", peer_}, {"user", op.login().user()},
                                          {"reason", r.result().message()}});
      co_return r;
    }
    log::Info("session.login", {{"session", id_}, {"peer", peer_}, {"user", login_},
                                {"destination", destination_}});
    r.set_destination(destination_);
    r.set_path(cwd_);
    co_return r;
  }
  if (leg_) {
    if (op.has_close()) {
      co_await End();
      v1::OperationResult r;
      r.set_id(op.id());
      co_return r;
    }
    if (ftam_leg_ && op.has_print_directory()) {
      v1::OperationResult r;
      r.set_id(op.id());
      r.set_path(cwd_);
      co_return r;
    }
    auto leg_op = ForLeg(op);
    if (!leg_op.ok()) {
      v1::OperationResult r;
      r.set_id(op.id());
      *r.mutable_result() = MakeResult(leg_op.status());
      co_return r;
    }
    auto r = co_await leg_->Call(*leg_op);
    if (!r) co_return std::nullopt;
    r->set_id(op.id());
    // RFC 1415 §5.1: the bridge keeps an FTAM session's directory; the leg checked that
    // the target exists and is a directory.
    if (ftam_leg_ && op.has_change_directory() && r->result().code() == v1::STATUS_OK) {
      cwd_ = leg_op->change_directory().path();
      r->set_path(cwd_);
    }
    co_return r;
  }
  co_return HandleLocal(op);
}

v1::OperationResult Session::HandleLocal(const v1::Operation& op) {
  v1::OperationResult r;
  r.set_id(op.id());
  auto fail = [&](const absl::Status& s) {
    *r.mutable_result() = MakeResult(s);
    return r;
  };
  if (op.has_close() || op.has_abort()) return r;  // nothing in progress here
  if (op.has_status()) {
    r.set_status_text(logged_in() ? "logged in as " + login_ + " to " + destination_ + ", directory " + cwd_
                                  : "not logged in");
    return r;
  }
  if (!logged_in()) {
    *r.mutable_result() = ErrorResult(v1::STATUS_NOT_LOGGED_IN, "please log in first");
    return r;
  }
  switch (op.op_case()) {
    case v1::Operation::kChangeDirectory: {
      auto path = Resolve(op.change_directory().path());
      if (!path.ok()) return fail(path.status());
      auto st = store_->Stat(*path);
      if (!st.ok()) return fail(st.status());
      if (st->type != filestore::EntryType::kDirectory)
        return fail(absl::FailedPreconditionError("not a directory: " + *path));
      cwd_ = *path;
      r.set_path(cwd_);
      return r;
    }
    case v1::Operation::kPrintDirectory:
      r.set_path(cwd_);
      return r;
    case v1::Operation::kList: {
      auto path = Resolve(op.list().path());
      if (!path.ok()) return fail(path.status());
      auto entries = store_->List(*path);
      if (!entries.ok()) return fail(entries.status());
      for (const auto& e : *entries) {
        if (op.list().names_only()) {
          r.add_entries()->set_name(e.name);
          continue;
        }
        FillAttributes(e, r.add_entries());
        if (op.list().contents()) DecideContents(*path == "/" ? "/" + e.name : *path + "/" + e.name, e, r.mutable_entries(r.entries_size() - 1));
      }
      r.set_path(*path);
      return r;
    }
    case v1::Operation::kStat: {
      auto path = Resolve(op.stat().path());
      if (!path.ok()) return fail(path.status());
      auto st = store_->Stat(*path);
      if (!st.ok()) return fail(st.status());
      FillAttributes(*st, r.add_entries());
      if (op.stat().contents()) DecideContents(*path, *st, r.mutable_entries(0));
      r.set_path(*path);
      return r;
    }
    case v1::Operation::kDelete: {
      auto path = Resolve(op.delete_().path());
      if (!path.ok()) return fail(path.status());
      return fail(store_->Delete(*path));
    }
    case v1::Operation::kRename: {
      auto from = Resolve(op.rename().from());
      if (!from.ok()) return fail(from.status());
      auto to = Resolve(op.rename().to());
      if (!to.ok()) return fail(to.status());
      r.set_path(*to);
      absl::Status s = store_->Rename(*from, *to);
      if (!s.ok()) return fail(s);
      return r;
    }
    case v1::Operation::kMakeDirectory: {
      auto path = Resolve(op.make_directory().path());
      if (!path.ok()) return fail(path.status());
      absl::Status s = store_->MakeDirectory(*path);
      if (!s.ok()) return fail(s);
      r.set_path(*path);
      return r;
    }
    case v1::Operation::kRemoveDirectory: {
      auto path = Resolve(op.remove_directory().path());
      if (!path.ok()) return fail(path.status());
      return fail(store_->RemoveDirectory(*path));
    }
    case v1::Operation::kSetAttributes: {
      const v1::SetAttributes& sa = op.set_attributes();
      if (!sa.has_permissions() && !sa.has_mtime_unix())
        return fail(absl::InvalidArgumentError("no attribute to set"));
      auto path = Resolve(sa.path());
      if (!path.ok()) return fail(path.status());
      absl::Status s = store_->SetAttributes(
          *path, sa.has_permissions() ? std::optional<uint32_t>(sa.permissions()) : std::nullopt,
          sa.has_mtime_unix() ? std::optional<int64_t>(sa.mtime_unix()) : std::nullopt);
      if (!s.ok()) return fail(s);
      r.set_path(*path);
      return r;
    }
    default:
      *r.mutable_result() = ErrorResult(v1::STATUS_INVALID_ARGUMENT, "unexpected operation");
      return r;
  }
}

absl::StatusOr<std::unique_ptr<filestore::Reader>> Session::OpenRead(const v1::ReadFile& op) {
  if (!logged_in()) return absl::UnauthenticatedError("please log in first");
  auto path = Resolve(op.path());
  if (!path.ok()) return path.status();
  return store_->OpenRead(*path, op.offset());
}

absl::StatusOr<std::unique_ptr<filestore::Writer>> Session::OpenWrite(const v1::WriteFile& op) {
  if (!logged_in()) return absl::UnauthenticatedError("please log in first");
  auto path = Resolve(op.path());
  if (!path.ok()) return path.status();
  filestore::WriteMode mode = filestore::WriteMode::kReplace;
  switch (op.mode()) {
    case v1::WRITE_MODE_APPEND: mode = filestore::WriteMode::kAppend; break;
    case v1::WRITE_MODE_CREATE_UNIQUE: mode = filestore::WriteMode::kCreateUnique; break;
    case v1::WRITE_MODE_CREATE_NEW: mode = filestore::WriteMode::kCreateNew; break;
    default: break;
  }
  return store_->OpenWrite(*path, mode, op.offset());
}

}  // namespace gw::bridge
