// One-shot calls for scripts (DESIGN.md §3): each names its destination and credentials,
// runs one operation in a short-lived session and returns errors as gRPC statuses. The
// target URL selects the route as a SITE hint would (RFC 1415 §4), so a script reaches
// exactly the destinations the route table lists, file:// or a remote server.
#include <chrono>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <openssl/evp.h>

#include "mapping/status_map.h"
#include "runtime/grpc_asio.h"
#include "runtime/log.h"
#include "runtime/session_client.h"
#include "session/service.h"
#include "session/session.h"
#include "session/session_ids.h"

namespace gw::bridge {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
using asio::awaitable;

namespace {

grpc::Status ToGrpcStatus(const absl::Status& s) {
  return grpc::Status(ToGrpc(ToNeutral(s.code())), std::string(s.message()));
}

// A far server's refusal is quoted with its own reply ("550 /x: No such file or directory").
grpc::Status ToGrpcStatus(const v1::Result& r) {
  for (const auto& origin : r.origin())
    if (origin.has_ftp() && origin.ftp().code() != 0)
      return grpc::Status(ToGrpc(r.code()), std::to_string(origin.ftp().code()) + " " + origin.ftp().text());
  return grpc::Status(ToGrpc(r.code()), r.message());
}

// Logs in for one call and returns the path the URL names inside the destination. An
// unlisted destination is PERMISSION_DENIED, a refused login UNAUTHENTICATED.
awaitable<std::pair<grpc::Status, std::string>> OpenFor(Session& session, const route::RouteTable& routes,
                                                        const v1::Target& target) {
  auto match = routes.ResolveUrl(target.url(), target.user());
  if (!match.ok()) {
    grpc::StatusCode code = match.status().code() == absl::StatusCode::kInvalidArgument
                                ? grpc::StatusCode::INVALID_ARGUMENT
                                : grpc::StatusCode::PERMISSION_DENIED;
    co_return std::pair{grpc::Status(code, std::string(match.status().message())), std::string()};
  }
  route::RouteTable::Match m = *match;
  if (target.insecure()) m.destination.tls_insecure = true;  // this call only
  v1::Login login;
  login.set_user(target.user());
  login.set_password(target.password());
  login.set_account(target.account());
  v1::Result r = co_await session.Login(login, &m);
  if (r.code() != v1::STATUS_OK) co_return std::pair{ToGrpcStatus(r), std::string()};
  co_return std::pair{grpc::Status::OK, m.path.empty() ? std::string("/") : m.path};
}

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  void Update(std::string_view d) { EVP_DigestUpdate(ctx_, d.data(), d.size()); }
  std::string Hex() {
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, md, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
      out += hex[md[i] >> 4];
      out += hex[md[i] & 15];
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

using Writer = rt::ServerWriter<v1::GetResponse>;
using Reader = rt::ServerReader<v1::PutRequest>;

void AuditOneShot(const Session& session, std::string_view op, std::string_view path, uint64_t bytes,
                  const grpc::Status& status) {
  log::Info("audit.transfer", {{"session", session.id()}, {"user", session.login()},
                               {"destination", session.destination()}, {"op", op}, {"path", path},
                               {"bytes", bytes}, {"result", status.ok() ? "STATUS_OK" : status.error_message()}});
}

awaitable<grpc::Status> ServeGet(Writer* w, Session& session, const FileServiceImpl::Shared& sh,
                                 const v1::GetRequest& req) {
  auto [status, path] = co_await OpenFor(session, *sh.routes, req.target());
  if (!status.ok()) co_return status;
  Sha256 sha;
  uint64_t bytes = 0;
  if (session.remote()) {
    v1::Operation stat;
    stat.mutable_stat()->set_path(path);
    auto st = co_await session.Handle(stat);
    if (!st) co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
    if (st->result().code() != v1::STATUS_OK) co_return ToGrpcStatus(st->result());
    v1::GetResponse first;
    if (st->entries_size() > 0) *first.mutable_attributes() = st->entries(0);
    first.mutable_attributes()->set_name(path);
    if (!co_await w->Write(std::move(first))) co_return grpc::Status::CANCELLED;
    v1::Operation read;
    read.mutable_read()->set_path(path);
    read.mutable_read()->set_type(req.type());
    read.mutable_read()->set_offset(req.offset());
    rt::SessionClient* leg = session.leg();
    uint64_t id = co_await leg->Send(std::move(read));
    if (id == 0) co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
    for (;;) {  // data until the read's final result (after its "started" one)
      auto resp = co_await leg->Receive();
      if (!resp) co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
      if (resp->is_data()) {
        v1::GetResponse msg;
        resp->payload.AppendTo(*msg.mutable_data());  // this call's messages carry bytes fields
        sha.Update(msg.data());
        bytes += msg.data().size();
        if (!co_await w->Write(std::move(msg))) co_return grpc::Status::CANCELLED;
        continue;
      }
      const v1::SessionResponse& m = resp->msg;
      if (!m.has_result() || m.result().id() != id) continue;
      if (m.result().result().code() != v1::STATUS_OK) co_return ToGrpcStatus(m.result().result());
      if (!m.result().transfer_started()) break;
    }
  } else {
    auto st = session.store()->Stat(path);
    if (!st.ok()) co_return ToGrpcStatus(st.status());
    v1::ReadFile rf;
    rf.set_path(path);
    rf.set_offset(req.offset());
    auto reader = session.OpenRead(rf);
    if (!reader.ok()) co_return ToGrpcStatus(reader.status());
    {
      v1::GetResponse first;
      FillAttributes(*st, first.mutable_attributes());
      if (!co_await w->Write(std::move(first))) co_return grpc::Status::CANCELLED;
    }
    std::string buf(sh.config.chunk_size, '\0');
    for (;;) {
      auto n = (*reader)->Read(std::span<char>(buf.data(), buf.size()));
      if (!n.ok()) co_return ToGrpcStatus(n.status());
      if (*n == 0) break;
      v1::GetResponse msg;
      msg.set_data(buf.data(), *n);
      sha.Update(msg.data());
      bytes += *n;
      if (!co_await w->Write(std::move(msg))) co_return grpc::Status::CANCELLED;
    }
  }
  v1::GetResponse trailer;
  trailer.mutable_trailer()->set_bytes(bytes);
  trailer.mutable_trailer()->set_sha256(sha.Hex());
  AuditOneShot(session, "get", path, bytes, grpc::Status::OK);
  if (!co_await w->Write(std::move(trailer))) co_return grpc::Status::CANCELLED;
  co_return grpc::Status::OK;
}

awaitable<grpc::Status> ServePut(Reader* r, Session& session, const FileServiceImpl::Shared& sh,
                                 v1::PutResponse* resp) {
  v1::PutRequest first;
  if (!co_await r->Read(first)) co_return grpc::Status::CANCELLED;
  if (!first.has_spec())
    co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first message must be the spec");
  const v1::PutSpec spec = first.spec();
  auto [status, path] = co_await OpenFor(session, *sh.routes, spec.target());
  if (!status.ok()) co_return status;
  Sha256 sha;
  uint64_t bytes = 0;
  std::string stored, digest;
  if (session.remote()) {
    v1::Operation write;
    write.mutable_write()->set_path(path);
    write.mutable_write()->set_type(spec.type());
    write.mutable_write()->set_mode(spec.mode());
    write.mutable_write()->set_offset(spec.offset());
    rt::SessionClient* leg = session.leg();
    uint64_t id = co_await leg->Send(std::move(write));
    auto started = id == 0 ? std::nullopt : co_await leg->Await(id);
    if (!started) co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
    if (started->result().code() != v1::STATUS_OK) co_return ToGrpcStatus(started->result());
    for (;;) {
      v1::PutRequest msg;
      if (!co_await r->Read(msg)) break;  // end of the client's stream: all data sent
      if (!msg.has_data()) continue;
      sha.Update(msg.data());
      bytes += msg.data().size();
      if (!co_await leg->SendData(rt::Payload::Adopt(std::move(*msg.mutable_data())), false))
        co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
    }
    digest = sha.Hex();
    const bool mismatch = !spec.expected_sha256().empty() && spec.expected_sha256() != digest;
    if (mismatch) {
      // The far transfer is aborted rather than completed with bytes nobody vouches for.
      v1::Operation abort;
      abort.mutable_abort();
      (void)co_await leg->Send(std::move(abort));
    } else if (!co_await leg->SendData(rt::Payload(), true)) {
      co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
    }
    auto final = co_await leg->Await(id);
    if (mismatch) co_return grpc::Status(grpc::StatusCode::DATA_LOSS, "checksum mismatch: received sha256 " + digest);
    if (!final) co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
    if (final->result().code() != v1::STATUS_OK) co_return ToGrpcStatus(final->result());
    stored = final->path().empty() ? path : final->path();
  } else {
    v1::WriteFile wf;
    wf.set_path(path);
    wf.set_mode(spec.mode());
    wf.set_offset(spec.offset());
    auto writer = session.OpenWrite(wf);
    if (!writer.ok()) co_return ToGrpcStatus(writer.status());
    for (;;) {
      v1::PutRequest msg;
      if (!co_await r->Read(msg)) break;  // end of the client's stream: all data sent
      if (!msg.has_data()) continue;
      sha.Update(msg.data());
      if (absl::Status s = (*writer)->Write(std::span<const char>(msg.data().data(), msg.data().size()));
          !s.ok())
        co_return ToGrpcStatus(s);  // the writer's destructor discards the partial file
    }
    digest = sha.Hex();
    if (!spec.expected_sha256().empty() && spec.expected_sha256() != digest)
      co_return grpc::Status(grpc::StatusCode::DATA_LOSS, "checksum mismatch: received sha256 " + digest);
    bytes = (*writer)->bytes_written();
    auto committed = (*writer)->Commit();
    if (!committed.ok()) co_return ToGrpcStatus(committed.status());
    stored = *committed;
  }
  resp->set_bytes(bytes);
  resp->set_sha256(digest);
  resp->set_path(stored);
  AuditOneShot(session, "put", stored, bytes, grpc::Status::OK);
  co_return grpc::Status::OK;
}

// Unary calls: log in, run one neutral operation, copy its result out.
awaitable<grpc::Status> ServeUnary(Session& session, const FileServiceImpl::Shared& sh, const v1::Target& target,
                                   v1::Operation op, std::function<void(const v1::OperationResult&)>& out) {
  auto [status, path] = co_await OpenFor(session, *sh.routes, target);
  if (!status.ok()) co_return status;
  // The operation's path is the target's path.
  switch (op.op_case()) {
    case v1::Operation::kList: op.mutable_list()->set_path(path); break;
    case v1::Operation::kStat: op.mutable_stat()->set_path(path); break;
    case v1::Operation::kDelete: op.mutable_delete_()->set_path(path); break;
    case v1::Operation::kRename: op.mutable_rename()->set_from(path); break;
    default: break;
  }
  auto r = co_await session.Handle(op);
  if (!r) co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the connection to the destination was lost");
  log::Info("oneshot", {{"session", session.id()}, {"user", session.login()},
                        {"destination", session.destination()},
                        {"result", v1::StatusCode_Name(r->result().code())}});
  if (r->result().code() != v1::STATUS_OK) co_return ToGrpcStatus(r->result());
  out(*r);
  co_return grpc::Status::OK;
}

// Runs one one-shot call in a session of its own: `serve(session)` gives the outcome (an
// exception is INTERNAL); the outbound leg, if any, is ended (or dropped on failure) before
// the call finishes.
template <typename Reactor, typename ServeFn>
awaitable<void> RunOneShot(Reactor* reactor, std::shared_ptr<FileServiceImpl::Shared> sh, std::string peer,
                           ServeFn serve) {
  Session session(*sh->routes, sh->fronts, NewSessionId(), peer, v1::PROTOCOL_SCRIPT);
  grpc::Status status;
  try {
    status = co_await serve(session);
  } catch (const std::exception& e) {
    log::Error("oneshot.exception", {{"error", e.what()}});
    status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  if (status.ok()) co_await session.End();
  else co_await session.Cancel();
  co_await reactor->Finish(status);
  delete reactor;
}

awaitable<void> RunUnary(rt::ServerUnary* u, std::shared_ptr<FileServiceImpl::Shared> sh, v1::Target target,
                         v1::Operation op, std::string peer, std::function<void(const v1::OperationResult&)> out) {
  const FileServiceImpl::Shared* shared = sh.get();
  co_await RunOneShot(u, std::move(sh), std::move(peer),
                      [&](Session& s) { return ServeUnary(s, *shared, target, op, out); });
}

}  // namespace

FileServiceImpl::FileServiceImpl(asio::io_context& io,
                                 std::shared_ptr<const route::RouteTable> routes,
                                 ServiceConfig config, Fronts fronts)
    : shared_(std::make_shared<Shared>(io, std::move(routes), config, std::move(fronts))) {}

grpc::ServerWriteReactor<v1::GetResponse>* FileServiceImpl::Get(grpc::CallbackServerContext* ctx,
                                                               const v1::GetRequest* req) {
  auto strand = asio::make_strand(shared_->io);
  auto* w = new Writer(strand);
  asio::co_spawn(strand,
                 RunOneShot(w, shared_, ctx->peer(),
                            [w, sh = shared_.get(), req = *req](gw::bridge::Session& s) { return ServeGet(w, s, *sh, req); }),
                 asio::detached);
  return w;
}

grpc::ServerReadReactor<v1::PutRequest>* FileServiceImpl::Put(grpc::CallbackServerContext* ctx,
                                                             v1::PutResponse* resp) {
  auto strand = asio::make_strand(shared_->io);
  auto* r = new Reader(strand);
  asio::co_spawn(strand,
                 RunOneShot(r, shared_, ctx->peer(),
                            [r, sh = shared_.get(), resp](gw::bridge::Session& s) { return ServePut(r, s, *sh, resp); }),
                 asio::detached);
  return r;
}

grpc::ServerUnaryReactor* FileServiceImpl::List(grpc::CallbackServerContext* ctx,
                                                const v1::ListRequest* req, v1::ListResponse* resp) {
  auto strand = asio::make_strand(shared_->io);
  auto* u = new rt::ServerUnary(strand);
  v1::Operation op;
  op.mutable_list()->set_names_only(req->names_only());
  asio::co_spawn(strand,
                 RunUnary(u, shared_, req->target(), std::move(op), ctx->peer(),
                          [resp](const v1::OperationResult& r) {
                            for (const auto& e : r.entries()) *resp->add_entries() = e;
                          }),
                 asio::detached);
  return u;
}

grpc::ServerUnaryReactor* FileServiceImpl::Stat(grpc::CallbackServerContext* ctx,
                                                const v1::StatRequest* req, v1::StatResponse* resp) {
  auto strand = asio::make_strand(shared_->io);
  auto* u = new rt::ServerUnary(strand);
  v1::Operation op;
  op.mutable_stat();
  asio::co_spawn(strand,
                 RunUnary(u, shared_, req->target(), std::move(op), ctx->peer(),
                          [resp](const v1::OperationResult& r) {
                            if (r.entries_size() > 0) *resp->mutable_attributes() = r.entries(0);
                          }),
                 asio::detached);
  return u;
}

grpc::ServerUnaryReactor* FileServiceImpl::Delete(grpc::CallbackServerContext* ctx,
                                                  const v1::DeleteRequest* req, v1::DeleteResponse*) {
  auto strand = asio::make_strand(shared_->io);
  auto* u = new rt::ServerUnary(strand);
  v1::Operation op;
  op.mutable_delete_();
  asio::co_spawn(strand,
                 RunUnary(u, shared_, req->target(), std::move(op), ctx->peer(),
                          [](const v1::OperationResult&) {}),
                 asio::detached);
  return u;
}

grpc::ServerUnaryReactor* FileServiceImpl::Rename(grpc::CallbackServerContext* ctx,
                                                  const v1::RenameRequest* req, v1::RenameResponse*) {
  auto strand = asio::make_strand(shared_->io);
  auto* u = new rt::ServerUnary(strand);
  v1::Operation op;
  op.mutable_rename()->set_to(req->to());
  asio::co_spawn(strand,
                 RunUnary(u, shared_, req->target(), std::move(op), ctx->peer(),
                          [](const v1::OperationResult&) {}),
                 asio::detached);
  return u;
}

}  // namespace gw::bridge
