#include "server/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/reply.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "server/status_reply.h"
#include "server/tls_context.h"

namespace gw::ftp {
namespace v1 = gateway::v1;
using asio::awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string IpOf(const asio::ip::tcp::endpoint& ep) {
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}
}  // namespace

FtpSession::FtpSession(std::shared_ptr<ServerShared> shared, asio::ip::tcp::socket sock,
                       bool implicit_tls, std::string session_id)
    : shared_(std::move(shared)),
      cfg_(shared_->config),
      ctrl_(std::move(sock)),
      lines_(cfg_.max_line),
      implicit_tls_(implicit_tls),
      session_id_(std::move(session_id)),
      sid_ctx_(NewSessionContext()),
      idle_timeout_(cfg_.idle_timeout) {
  error_code ec;
  peer_ip_ = IpOf(ctrl_.socket().remote_endpoint(ec));
  local_ip_ = IpOf(ctrl_.socket().local_endpoint(ec));
  // ftplib's abort() sends the last byte of "ABOR\r\n" as urgent data: keep it in line.
  ctrl_.socket().set_option(asio::socket_base::out_of_band_inline(true), ec);
  if (implicit_tls_) pbsz_ = prot_p_ = true;  // [MS-FTPS] §2.2.2: PBSZ 0 / PROT P implied
}

FtpSession::~FtpSession() = default;

awaitable<void> FtpSession::Send(std::string text) {
  // At debug level: every reply line, multi-line replies and 227 included.
  for (std::string_view rest = text; !rest.empty();) {
    auto eol = rest.find("\r\n");
    log::Debug("ftp.reply", {{"session", session_id_}, {"line", rest.substr(0, eol)}});
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 2);
  }
  if (!write_wait_) write_wait_ = std::make_unique<asio::steady_timer>(co_await asio::this_coro::executor);
  while (writing_) {
    write_wait_->expires_at(asio::steady_timer::time_point::max());
    co_await write_wait_->async_wait(kTuple);
  }
  writing_ = true;
  error_code ec = co_await ctrl_.WriteAll(text);
  writing_ = false;
  write_wait_->cancel();
  if (ec) quit_ = true;
}

awaitable<void> FtpSession::Reply(int code, std::string_view text) {
  co_await Send(FormatReply(code, text));
}

awaitable<std::optional<std::string>> FtpSession::ReadLine() {
  std::string line;
  char buf[2048];
  for (;;) {
    switch (lines_.Next(&line)) {
      case LineReader::Status::kLine:
        co_return line;
      case LineReader::Status::kTooLong:
        co_await Reply(500, "Command line too long (limit " + std::to_string(cfg_.max_line) + " bytes).");
        continue;
      case LineReader::Status::kNeedMore:
        break;
    }
    auto got = co_await ctrl_.ReadSomeWithin(std::span<char>(buf, sizeof buf), idle_timeout_);
    if (!got) {
      if (transfer_) continue;  // a running transfer keeps the session alive
      co_await Reply(421, "Idle timeout (" + std::to_string(idle_timeout_.count()) + " s): closing control connection.");
      co_return std::nullopt;
    }
    auto [ec, n] = *got;
    if (ec || n == 0) co_return std::nullopt;
    lines_.Feed(std::string_view(buf, n));
  }
}

awaitable<void> FtpSession::Run() {
  bool served = false;
  std::exception_ptr failed;
  try {
    served = co_await Serve();
  } catch (...) {
    failed = std::current_exception();
  }
  if (failed) {
    served = true;
    co_await InternalError(failed, "session");
  }
  if (!served) co_return;
  // A transfer still running ends first: it uses this session.
  if (transfer_) co_await AbortTransfer(false);
  ClosePassive();
  if (bridge_) {
    if (failed_) co_await bridge_->Cancel();
    else co_await bridge_->Close();
  }
  if (ctrl_.tls()) co_await ctrl_.EndTls(false, std::chrono::milliseconds(0));
  ctrl_.Close();
  log::Info("ftp.disconnect", {{"session", session_id_}, {"peer", peer_ip_}});
}

awaitable<void> FtpSession::InternalError(std::exception_ptr e, std::string_view where) {
  failed_ = true;
  quit_ = true;  // before the reply: nothing more is read even if the reply fails
  try {
    log::Error("ftp.internal_error", {{"session", session_id_}, {"peer", peer_ip_}, {"in", std::string(where)},
                                      {"error", log::Describe(e)}});
    co_await Reply(421, "Service not available: internal error; closing.");
  } catch (...) {
  }
  EndCommandLoop();
}

awaitable<bool> FtpSession::Serve() {
  auto& m = metrics::Registry::Global();
  log::Info("ftp.connect", {{"session", session_id_}, {"peer", peer_ip_},
                            {"implicit_tls", implicit_tls_ ? "yes" : "no"}});
  if (implicit_tls_) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(cfg_.tls_handshake_timeout);
    auto res = co_await (ctrl_.AcceptTls(shared_->tls->native_handle(), sid_ctx_) || timer.async_wait(kTuple));
    if (res.index() == 1 || std::get<0>(res)) {
      log::Warn("ftp.tls_handshake_failed", {{"session", session_id_}, {"peer", peer_ip_},
                                             {"error", res.index() == 1 ? "timeout" : std::get<0>(res).message()}});
      m.Add("gw_ftp_tls_failures_total", {}, 1);
      ctrl_.Close();
      co_return false;
    }
  }
  co_await Reply(220, cfg_.banner);
  while (!quit_) {
    auto line = co_await ReadLine();
    if (!line) break;
    auto cmd = ParseCommand(*line);
    if (!cmd) {
      co_await Reply(500, "Syntax error, command unrecognized.");
      continue;
    }
    log::Debug("ftp.command", {{"session", session_id_},
                               {"line", cmd->verb == "PASS" ? std::string("PASS ****") : *line}});
    co_await Dispatch(*cmd);
  }
  co_return true;
}

awaitable<void> FtpSession::Dispatch(const Command& cmd) {
  const CommandSpec* spec = FindCommand(cmd.verb);
  metrics::Registry::Global().Add("gw_ftp_commands_total", {{"command", spec ? std::string(cmd.verb) : "unknown"}}, 1);
  if (!spec) {
    co_await Reply(502, "Command " + cmd.verb + " not implemented.");
    co_return;
  }
  // RFC 959 §4.1.3: during a transfer only ABOR, STAT, QUIT (and NOOP) are acted upon at
  // once; anything else waits until the transfer has ended. So does STAT with a path: it is
  // a listing, a call on the bridge stream the transfer is using.
  const bool at_once = cmd.verb == "ABOR" || cmd.verb == "QUIT" || cmd.verb == "NOOP" ||
                       (cmd.verb == "STAT" && cmd.arg.empty());
  if (transfer_ && !at_once) co_await WaitTransfer();
  if (quit_) co_return;  // the transfer lost the bridge and ended the session (421)
  if (spec->needs_login && !logged_in_) {
    co_await Reply(530, "Please log in with USER and PASS first.");
    co_return;
  }
  if (spec->arg == CommandSpec::Arg::kRequired && cmd.arg.empty()) {
    co_await Reply(501, "Syntax error: " + cmd.verb + " needs an argument.");
    co_return;
  }
  if (spec->arg == CommandSpec::Arg::kNone && !cmd.arg.empty() && cmd.verb != "PASV" &&
      cmd.verb != "FEAT" && cmd.verb != "SYST" && cmd.verb != "NOOP" && cmd.verb != "QUIT") {
    co_await Reply(501, "Syntax error: " + cmd.verb + " takes no argument.");
    co_return;
  }
  // RFC 959 §4.1.1: RNTO must follow RNFR immediately.
  if (rename_from_ && cmd.verb != "RNTO") rename_from_.reset();
  // REST applies to the next transfer command only.
  bool keeps_rest = cmd.verb == "REST" || cmd.verb == "RETR" || cmd.verb == "STOR" ||
                    cmd.verb == "APPE" || cmd.verb == "PASV" || cmd.verb == "EPSV" ||
                    cmd.verb == "PORT" || cmd.verb == "EPRT" || cmd.verb == "TYPE" || cmd.verb == "NOOP";
  if (!keeps_rest) rest_ = 0;
  co_await (this->*(spec->handler))(cmd.arg);
}

awaitable<bool> FtpSession::EnsureBridge() {
  if (bridge_ && bridge_->open()) co_return true;
  // A broken stream is still finished before it is dropped: gRPC must be done with it.
  if (bridge_) co_await bridge_->Cancel();
  bridge_ = std::make_unique<rt::SessionClient>(shared_->stub.get(), co_await asio::this_coro::executor);
  v1::OpenSession open;
  open.set_protocol(ctrl_.tls() ? v1::PROTOCOL_FTPS : v1::PROTOCOL_FTP);
  open.set_peer_address(peer_ip_);
  open.set_local_address(local_ip_);
  open.set_session_id(session_id_);
  if (!co_await bridge_->Open(std::move(open))) {
    log::Error("ftp.bridge_unavailable", {{"session", session_id_}});
    co_return false;
  }
  co_return true;
}

awaitable<std::optional<v1::OperationResult>> FtpSession::Call(v1::Operation op) {
  if (!co_await EnsureBridge()) co_return std::nullopt;
  co_return co_await bridge_->Call(std::move(op));
}

awaitable<std::optional<v1::OperationResult>> FtpSession::CallOk(v1::Operation op, int failure_code) {
  auto r = co_await Call(std::move(op));
  if (!r) {
    co_await BridgeLost();
    co_return std::nullopt;
  }
  if (r->result().code() != v1::STATUS_OK) {
    co_await ReplyFailure(r->result(), failure_code);
    if (r->connection_lost()) co_await BridgeLost();  // RFC 1415 §5
    co_return std::nullopt;
  }
  co_return r;
}

awaitable<void> FtpSession::BridgeLost() {
  // RFC 1415 §5: the other leg is gone; tell the user and end the session.
  co_await Reply(421, "Service not available: the gateway lost its connection to the destination; closing.");
  EndCommandLoop();
}

void FtpSession::EndCommandLoop() {
  quit_ = true;
  // Wake the command loop if it is waiting for the client (this may run in a transfer).
  error_code ec;
  ctrl_.socket().shutdown(asio::ip::tcp::socket::shutdown_receive, ec);
}

awaitable<void> FtpSession::ReplyFailure(const v1::Result& r, int default_code) {
  int code = ReplyCodeFor(r, default_code);
  std::string text = r.message().empty() ? "Requested action not taken." : r.message();
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (text.back() != '.') text += '.';
  co_await Reply(code, text);
}

}  // namespace gw::ftp
