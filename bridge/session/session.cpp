#include "session/session.h"

#include "mapping/status_map.h"
#include "runtime/log.h"

namespace gw::bridge {
namespace v1 = gateway::v1;

Session::Session(const route::RouteTable& routes, std::string session_id, std::string peer)
    : routes_(routes), id_(std::move(session_id)), peer_(std::move(peer)) {}

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

absl::StatusOr<std::string> Session::Resolve(std::string_view arg) const {
  return filestore::NormalizePath(cwd_, arg);
}

absl::Status Session::Login(const v1::Login& login) {
  // RFC 1415 §3, §4: the destination comes from SITE/HOST, user@host, or the route table.
  auto match = routes_.Resolve(login.user(), login.host_hint());
  if (!match.ok()) return match.status();
  const route::Route& route = *match->route;
  if (route.destination.scheme != route::Scheme::kFile)
    return absl::UnimplementedError("destination " + route.name + " is not served yet");
  if (absl::Status s = route::CheckAccount(route, match->login, login.password()); !s.ok())
    return absl::UnauthenticatedError("login incorrect");
  auto store = filestore::FileStore::Open(route.destination.root);
  if (!store.ok()) {
    log::Error("filestore.open_failed", {{"session", id_}, {"route", route.name},
                                         {"error", std::string(store.status().message())}});
    return absl::UnavailableError("destination " + route.name + " is unavailable");
  }
  store_ = std::move(*store);
  login_ = match->login;
  destination_ = route.name;
  cwd_ = "/";
  return absl::OkStatus();
}

v1::OperationResult Session::DoLogin(const v1::Login& login) {
  v1::OperationResult r;
  store_.reset();
  absl::Status s = Login(login);
  if (!s.ok()) {
    log::Warn("session.login_failed", {{"session", id_}, {"peer", peer_}, {"user", login.user()},
                                        {"reason", std::string(s.message())}});
    *r.mutable_result() = MakeResult(s);
    if (s.code() == absl::StatusCode::kNotFound) r.mutable_result()->set_code(v1::STATUS_NO_ROUTE);
    if (s.code() == absl::StatusCode::kPermissionDenied &&
        s.message().find("may not use") != std::string_view::npos)
      r.mutable_result()->set_code(v1::STATUS_NO_ROUTE);
    return r;
  }
  log::Info("session.login", {{"session", id_}, {"peer", peer_}, {"user", login_},
                              {"destination", destination_}});
  r.set_destination(destination_);
  r.set_path(cwd_);
  return r;
}

v1::OperationResult Session::Handle(const v1::Operation& op) {
  v1::OperationResult r;
  r.set_id(op.id());
  auto fail = [&](const absl::Status& s) {
    *r.mutable_result() = MakeResult(s);
    return r;
  };
  if (op.has_login()) {
    v1::OperationResult lr = DoLogin(op.login());
    lr.set_id(op.id());
    return lr;
  }
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
        if (op.list().names_only()) r.add_entries()->set_name(e.name);
        else FillAttributes(e, r.add_entries());
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
