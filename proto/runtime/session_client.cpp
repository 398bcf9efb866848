#include "runtime/session_client.h"

#include <chrono>

namespace gw::rt {
namespace v1 = gateway::v1;
using boost::asio::awaitable;

SessionClient::SessionClient(SessionStub* stub, boost::asio::any_io_executor ex)
    : stub_(stub), ex_(ex) {}

SessionClient::~SessionClient() = default;

awaitable<bool> SessionClient::Open(v1::OpenSession open) {
  call_ = std::make_unique<Call_>(ex_);
  call_->context().set_wait_for_ready(false);
  call_->context().set_deadline(std::chrono::system_clock::now() + std::chrono::hours(24 * 365));
  call_->Start([this](grpc::ClientContext* ctx, Call_* reactor) {
    stub_->PrepareBidiStreamingCall(ctx, kSessionMethod, grpc::StubOptions(), reactor);
  });
  session_id_ = open.session_id();
  RequestFrame req;
  *req.msg.mutable_open() = std::move(open);
  ResponseFrame resp;
  // A failed first write (the server unreachable) ends the call as a failed read does: the
  // call is finished before it is destroyed, or gRPC would call into a freed reactor.
  if (!co_await call_->Write(std::move(req)) || !co_await call_->Read(resp) || !resp.msg.has_opened()) {
    broken_ = true;
    grpc::Status status = co_await call_->Finish();
    error_ = status.ok() ? "the session was not opened" : status.error_message();
    if (error_.empty()) error_ = "unreachable";
    call_.reset();
    co_return false;
  }
  co_return true;
}

awaitable<uint64_t> SessionClient::Send(v1::Operation op) {
  if (!open()) co_return 0;
  uint64_t id = next_id_++;
  op.set_id(id);
  RequestFrame req;
  *req.msg.mutable_op() = std::move(op);
  if (!co_await call_->Write(std::move(req))) {
    broken_ = true;
    co_return 0;
  }
  co_return id;
}

awaitable<bool> SessionClient::SendData(Payload data, bool last) {
  co_return co_await SendFrame(DataFrame<RequestFrame>(std::move(data), last));
}

awaitable<bool> SessionClient::SendFrame(RequestFrame frame) {
  if (!open()) co_return false;
  if (!co_await call_->Write(std::move(frame))) {
    broken_ = true;
    co_return false;
  }
  co_return true;
}

awaitable<std::optional<ResponseFrame>> SessionClient::Receive() {
  if (!open()) co_return std::nullopt;
  ResponseFrame resp;
  if (!co_await call_->Read(resp)) {
    broken_ = true;
    co_return std::nullopt;
  }
  co_return resp;
}

void SessionClient::Interrupt() {
  if (call_) call_->Cancel();
}

awaitable<std::optional<v1::OperationResult>> SessionClient::Await(uint64_t id) {
  for (;;) {
    auto resp = co_await Receive();
    if (!resp) co_return std::nullopt;
    if (resp->msg.has_result() && resp->msg.result().id() == id) co_return std::move(*resp->msg.mutable_result());
    // Anything else (stray data of an aborted read, an earlier abort's result) is skipped.
  }
}

awaitable<std::optional<v1::OperationResult>> SessionClient::Call(v1::Operation op) {
  uint64_t id = co_await Send(std::move(op));
  if (id == 0) co_return std::nullopt;
  co_return co_await Await(id);
}

awaitable<void> SessionClient::Cancel() {
  if (!call_) co_return;
  call_->Cancel();
  broken_ = true;
  co_await call_->Finish();
  call_.reset();
}

awaitable<void> SessionClient::Close() {
  if (!call_) co_return;
  if (open()) {
    v1::Operation op;
    op.mutable_close();
    co_await Call(std::move(op));
  }
  co_await call_->Finish();
  call_.reset();
}

}  // namespace gw::rt
