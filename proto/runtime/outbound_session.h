// The session of an outbound service (ftp-front's FTP client, ftam-front's FTAM initiator):
// the bridge opens a leg to one destination, then sends operations one at a time. What is
// the same for every protocol is here: the open, the loop over operations, the answers
// that need no destination, and the end of the leg when the far connection is lost
// (RFC 1415 §5). The protocol's part is its Leg.
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gateway/v1/file_service.pb.h"
#include "runtime/log.h"
#include "runtime/session_frames.h"
#include "runtime/session_inbox.h"
#include "runtime/util.h"

namespace gw::rt {

using OutboundInbox = SessionInbox<RequestFrame, ResponseFrame>;

inline gateway::v1::SessionResponse ResultMessage(gateway::v1::OperationResult r) {
  gateway::v1::SessionResponse resp;
  *resp.mutable_result() = std::move(r);
  return resp;
}

// The target's host, checked as every outbound service needs it: present, at most 255
// bytes, no control characters, spaces or slashes.
inline absl::Status CheckTargetHost(const gateway::v1::OutboundTarget& t) {
  if (t.host().empty() || t.host().size() > 255) return absl::InvalidArgumentError("the target names no host");
  for (char c : t.host())
    if (std::iscntrl(static_cast<unsigned char>(c)) || c == ' ' || c == '/')
      return absl::InvalidArgumentError("the target's host name is malformed");
  return absl::OkStatus();
}

// "host:port", or "[v6]:port".
inline std::string TargetHostPort(const gateway::v1::OutboundTarget& t) {
  const std::string& h = t.host();
  return (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + std::to_string(t.port());
}

// What a protocol names in its logs and answers.
struct OutboundNames {
  std::string_view open_event, lost_event, close_event;  // log events
  std::string_view server;                              // the Opened message's server
  std::string_view lost;  // "the connection to", "the FTAM association with" (+ " <where> was lost")
};

// Serves one leg. `make(open)` checks the open's target and gives the protocol's leg, which
// has:
//   std::string id;                 the session id for the logs (the bridge's, if sane)
//   std::string Where() const;      the destination, for logs and messages
//   bool Made() const;              a far connection was made (a login succeeded)
//   bool Up() const;                it still is
//   awaitable<OperationResult> Login(const Login&);
//   awaitable<bool> Read(const Operation&), Write(const Operation&), Other(const Operation&);
//                                   false: the bridge's stream is gone
//   awaitable<void> Close();        the bridge's close: the far connection ends politely
//   awaitable<void> End();          the session ends: the same, or an abort mid-transfer
//   void Drop();                    the far connection is forgotten
template <typename Make>
boost::asio::awaitable<grpc::Status> ServeOutbound(OutboundInbox* in, std::string peer, const OutboundNames& names,
                                                  Make make) {
  namespace v1 = gateway::v1;
  auto first = co_await in->Next();
  if (!first) co_return grpc::Status::CANCELLED;
  if (!first->msg.has_open()) co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first message must be open");
  auto made = make(first->msg.open());
  if (!made.ok()) co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(made.status().message()));
  auto leg = std::move(*made);
  if (leg.id.empty() || leg.id.size() > 64) leg.id = RandomHex(8);
  log::Info(names.open_event, {{"session", leg.id}, {"bridge", peer}, {"destination", leg.Where()}});
  {
    v1::SessionResponse resp;
    resp.mutable_opened()->set_session_id(leg.id);
    resp.mutable_opened()->set_server(std::string(names.server));
    if (!co_await in->Write(std::move(resp))) co_return grpc::Status::CANCELLED;
  }
  const auto lost = [&] { return std::string(names.lost) + " " + leg.Where() + " was lost"; };
  for (;;) {
    auto req = co_await in->Next();
    if (!req) break;
    if (req->is_data()) continue;  // the rest of a write that ended early
    if (!req->msg.has_op()) co_return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unexpected message");
    const v1::Operation& op = req->msg.op();
    bool ok = true;
    if (op.has_login()) {
      v1::OperationResult r = co_await leg.Login(op.login());
      r.set_id(op.id());
      ok = co_await in->Write(ResultMessage(std::move(r)));
    } else if (op.has_close()) {
      if (leg.Made()) co_await leg.Close();
      leg.Drop();
      v1::OperationResult r;
      r.set_id(op.id());
      (void)co_await in->Write(ResultMessage(std::move(r)));
      break;
    } else if (!leg.Made() || !leg.Up()) {
      v1::OperationResult r;
      r.set_id(op.id());
      if (op.has_abort()) {
        // nothing to abort
      } else if (leg.Made()) {
        r.mutable_result()->set_code(v1::STATUS_UNAVAILABLE);
        r.mutable_result()->set_message(lost());
      } else {
        r.mutable_result()->set_code(v1::STATUS_NOT_LOGGED_IN);
        r.mutable_result()->set_message("please log in first");
      }
      ok = co_await in->Write(ResultMessage(std::move(r)));
    } else if (op.has_read()) {
      ok = co_await leg.Read(op);
    } else if (op.has_write()) {
      ok = co_await leg.Write(op);
    } else {
      ok = co_await leg.Other(op);
    }
    if (!ok) break;
    if (leg.Made() && !leg.Up()) {
      // RFC 1415 §5: the far connection is gone (the result just sent says why); the leg
      // ends, so the client's session ends too rather than failing command by command.
      log::Warn(names.lost_event, {{"session", leg.id}, {"destination", leg.Where()}});
      leg.Drop();
      co_return grpc::Status(grpc::StatusCode::UNAVAILABLE, lost());
    }
  }
  if (leg.Made()) co_await leg.End();
  log::Info(names.close_event, {{"session", leg.id}});
  co_return grpc::Status::OK;
}

}  // namespace gw::rt
