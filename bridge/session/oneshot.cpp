// One-shot calls for scripts (DESIGN.md §3): each names its destination and credentials,
// runs one operation in a short-lived session and returns errors as gRPC statuses.
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <openssl/evp.h>

#include "mapping/status_map.h"
#include "runtime/grpc_asio.h"
#include "runtime/log.h"
#include "session/service.h"
#include "session/session.h"
#include "session/session_ids.h"

namespace gw::bridge {
namespace asio = boost::asio;
namespace v1 = gateway::v1;
using asio::awaitable;

namespace {

// A target URL split into the host hint and the path inside the destination:
// "file:///a/b" -> ("", "/a/b"); "ftp://host:21/a" -> ("host:21", "/a").
struct TargetPath {
  std::string host, path;
};

absl::StatusOr<TargetPath> SplitTarget(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return absl::InvalidArgumentError("target must be a URL: " + std::string(url));
  std::string_view rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  TargetPath t;
  t.host = std::string(rest.substr(0, slash));
  t.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (auto at = t.host.rfind('@'); at != std::string::npos) t.host = t.host.substr(at + 1);
  return t;
}

grpc::Status ToGrpcStatus(const absl::Status& s) {
  return grpc::Status(ToGrpc(ToNeutral(s.code())), std::string(s.message()));
}

grpc::Status ToGrpcStatus(const v1::Result& r) {
  return grpc::Status(ToGrpc(r.code()), r.message());
}

// Logs in for one call. A routing refusal is PERMISSION_DENIED, a bad password UNAUTHENTICATED.
absl::StatusOr<TargetPath> OpenFor(Session& session, const v1::Target& target) {
  auto tp = SplitTarget(target.url());
  if (!tp.ok()) return tp.status();
  v1::Login login;
  login.set_user(target.user());
  login.set_password(target.password());
  login.set_account(target.account());
  login.set_host_hint(tp->host);
  if (absl::Status s = session.Login(login); !s.ok()) return s;
  return tp;
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

awaitable<grpc::Status> ServeGet(Writer* w, std::shared_ptr<FileServiceImpl::Shared> sh,
                                 v1::GetRequest req, std::string peer) {
  Session session(*sh->routes, NewSessionId(), peer);
  auto tp = OpenFor(session, req.target());
  if (!tp.ok()) co_return ToGrpcStatus(tp.status());
  auto st = session.store()->Stat(tp->path);
  if (!st.ok()) co_return ToGrpcStatus(st.status());
  v1::ReadFile rf;
  rf.set_path(tp->path);
  rf.set_offset(req.offset());
  auto reader = session.OpenRead(rf);
  if (!reader.ok()) co_return ToGrpcStatus(reader.status());
  {
    v1::GetResponse first;
    FillAttributes(*st, first.mutable_attributes());
    if (!co_await w->Write(std::move(first))) co_return grpc::Status::CANCELLED;
  }
  Sha256 sha;
  uint64_t bytes = 0;
  std::string buf(sh->config.chunk_size, '\0');
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
  v1::GetResponse trailer;
  trailer.mutable_trailer()->set_bytes(bytes);
  trailer.mutable_trailer()->set_sha256(sha.Hex());
  log::Info("audit.transfer", {{"session", session.id()}, {"user", session.login()},
                               {"destination", session.destination()}, {"op", "get"},
                               {"path", tp->path}, {"bytes", bytes}, {"result", "STATUS_OK"}});
  if (!co_await w->Write(std::move(trailer))) co_return grpc::Status::CANCELLED;
  co_return grpc::Status::OK;
}

awaitable<void> RunGet(Writer* w, std::shared_ptr<FileServiceImpl::Shared> sh, v1::GetRequest req,
                       std::string peer) {
  grpc::Status status = co_await ServeGet(w, sh, std::move(req), std::move(peer));
  co_await w->Finish(status);
  delete w;
}

awaitable<grpc::Status> ServePut(Reader* r, std::shared_ptr<FileServiceImpl::Shared> sh,
                                 v1::PutResponse* resp, std::string peer) {
  v1::PutRequest first;
  if (!co_await r->Read(first)) co_return grpc::Status::CANCELLED;
  if (!first.has_spec())
    co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first message must be the spec");
  const v1::PutSpec spec = first.spec();
  Session session(*sh->routes, NewSessionId(), peer);
  auto tp = OpenFor(session, spec.target());
  if (!tp.ok()) co_return ToGrpcStatus(tp.status());
  v1::WriteFile wf;
  wf.set_path(tp->path);
  wf.set_mode(spec.mode());
  wf.set_offset(spec.offset());
  auto writer = session.OpenWrite(wf);
  if (!writer.ok()) co_return ToGrpcStatus(writer.status());
  Sha256 sha;
  for (;;) {
    v1::PutRequest msg;
    if (!co_await r->Read(msg)) break;  // end of the client's stream: all data sent
    if (!msg.has_data()) continue;
    sha.Update(msg.data());
    if (absl::Status s = (*writer)->Write(std::span<const char>(msg.data().data(), msg.data().size()));
        !s.ok())
      co_return ToGrpcStatus(s);  // the writer's destructor discards the partial file
  }
  std::string digest = sha.Hex();
  if (!spec.expected_sha256().empty() && spec.expected_sha256() != digest)
    co_return grpc::Status(grpc::StatusCode::DATA_LOSS,
                           "checksum mismatch: received sha256 " + digest);
  uint64_t bytes = (*writer)->bytes_written();
  auto committed = (*writer)->Commit();
  if (!committed.ok()) co_return ToGrpcStatus(committed.status());
  resp->set_bytes(bytes);
  resp->set_sha256(digest);
  resp->set_path(*committed);
  log::Info("audit.transfer", {{"session", session.id()}, {"user", session.login()},
                               {"destination", session.destination()}, {"op", "put"},
                               {"path", *committed}, {"bytes", bytes}, {"result", "STATUS_OK"}});
  co_return grpc::Status::OK;
}

awaitable<void> RunPut(Reader* r, std::shared_ptr<FileServiceImpl::Shared> sh,
                       v1::PutResponse* resp, std::string peer) {
  grpc::Status status = co_await ServePut(r, sh, resp, std::move(peer));
  co_await r->Finish(status);
  delete r;
}

// Unary calls: log in, run one neutral operation, copy its result out.
awaitable<void> RunUnary(rt::ServerUnary* u, std::shared_ptr<FileServiceImpl::Shared> sh,
                         v1::Target target, v1::Operation op, std::string peer,
                         std::function<void(const v1::OperationResult&)> out) {
  grpc::Status status;
  Session session(*sh->routes, NewSessionId(), peer);
  auto tp = OpenFor(session, target);
  if (!tp.ok()) {
    status = ToGrpcStatus(tp.status());
  } else {
    // The operation's path is the target's path.
    switch (op.op_case()) {
      case v1::Operation::kList: op.mutable_list()->set_path(tp->path); break;
      case v1::Operation::kStat: op.mutable_stat()->set_path(tp->path); break;
      case v1::Operation::kDelete: op.mutable_delete_()->set_path(tp->path); break;
      case v1::Operation::kRename: op.mutable_rename()->set_from(tp->path); break;
      default: break;
    }
    v1::OperationResult r = session.Handle(op);
    if (r.result().code() != v1::STATUS_OK) status = ToGrpcStatus(r.result());
    else out(r);
    log::Info("oneshot", {{"session", session.id()}, {"user", session.login()},
                          {"destination", session.destination()},
                          {"result", v1::StatusCode_Name(r.result().code())}});
  }
  co_await u->Finish(status);
  delete u;
}

}  // namespace

FileServiceImpl::FileServiceImpl(asio::io_context& io,
                                 std::shared_ptr<const route::RouteTable> routes,
                                 ServiceConfig config)
    : shared_(std::make_shared<Shared>(io, std::move(routes), config)) {}

grpc::ServerWriteReactor<v1::GetResponse>* FileServiceImpl::Get(grpc::CallbackServerContext* ctx,
                                                               const v1::GetRequest* req) {
  auto strand = asio::make_strand(shared_->io);
  auto* w = new Writer(strand);
  asio::co_spawn(strand, RunGet(w, shared_, *req, ctx->peer()), asio::detached);
  return w;
}

grpc::ServerReadReactor<v1::PutRequest>* FileServiceImpl::Put(grpc::CallbackServerContext* ctx,
                                                             v1::PutResponse* resp) {
  auto strand = asio::make_strand(shared_->io);
  auto* r = new Reader(strand);
  asio::co_spawn(strand, RunPut(r, shared_, resp, ctx->peer()), asio::detached);
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
