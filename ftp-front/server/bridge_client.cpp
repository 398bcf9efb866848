#include "server/bridge_client.h"

#include <chrono>

namespace gw::ftp {
namespace v1 = gateway::v1;
using boost::asio::awaitable;

BridgeClient::BridgeClient(v1::FileService::Stub* stub, boost::asio::any_io_executor ex)
    : stub_(stub), ex_(ex) {}

BridgeClient::~BridgeClient() = default;

awaitable<bool> BridgeClient::Open(v1::OpenSession open) {
  call_ = std::make_unique<Call_>(ex_);
  call_->context().set_wait_for_ready(false);
  call_->context().set_deadline(std::chrono::system_clock::now() + std::chrono::hours(24 * 365));
  call_->Start([this](grpc::ClientContext* ctx, Call_* reactor) {
    stub_->async()->Session(ctx, reactor);
  });
  session_id_ = open.session_id();
  v1::SessionRequest req;
  *req.mutable_open() = std::move(open);
  if (!co_await call_->Write(std::move(req))) {
    broken_ = true;
    co_return false;
  }
  v1::SessionResponse resp;
  if (!co_await call_->Read(resp) || !resp.has_opened()) {
    broken_ = true;
    co_return false;
  }
  co_return true;
}

awaitable<uint64_t> BridgeClient::Send(v1::Operation op) {
  if (!open()) co_return 0;
  uint64_t id = next_id_++;
  op.set_id(id);
  v1::SessionRequest req;
  *req.mutable_op() = std::move(op);
  if (!co_await call_->Write(std::move(req))) {
    broken_ = true;
    co_return 0;
  }
  co_return id;
}

awaitable<bool> BridgeClient::SendData(std::string data, bool last) {
  if (!open()) co_return false;
  v1::SessionRequest req;
  req.mutable_data()->set_data(std::move(data));
  req.mutable_data()->set_last(last);
  if (!co_await call_->Write(std::move(req))) {
    broken_ = true;
    co_return false;
  }
  co_return true;
}

awaitable<std::optional<v1::SessionResponse>> BridgeClient::Receive() {
  if (!open()) co_return std::nullopt;
  v1::SessionResponse resp;
  if (!co_await call_->Read(resp)) {
    broken_ = true;
    co_return std::nullopt;
  }
  co_return resp;
}

awaitable<std::optional<v1::OperationResult>> BridgeClient::Call(v1::Operation op) {
  uint64_t id = co_await Send(std::move(op));
  if (id == 0) co_return std::nullopt;
  for (;;) {
    auto resp = co_await Receive();
    if (!resp) co_return std::nullopt;
    if (resp->has_result() && resp->result().id() == id) co_return std::move(*resp->mutable_result());
    // Anything else (stray data of an aborted read) is skipped.
  }
}

awaitable<void> BridgeClient::Close() {
  if (!call_) co_return;
  if (open()) {
    v1::Operation op;
    op.mutable_close();
    co_await Call(std::move(op));
  }
  co_await call_->Finish();
  call_.reset();
}

}  // namespace gw::ftp
