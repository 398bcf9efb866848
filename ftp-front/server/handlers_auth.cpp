// Login, security and session commands: USER PASS ACCT REIN QUIT (RFC 959), AUTH PBSZ PROT
// CCC (RFC 2228, RFC 4217, [MS-FTPS]), HOST (RFC 7151), SITE (RFC 1415 §4.1), CLNT.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "runtime/log.h"
#include "runtime/metrics.h"
#include "server/session.h"

namespace gw::ftp {
namespace v1 = gateway::v1;
using asio::awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// How long CCC waits for the client's close_notify: twice the connection's smoothed round
// trip time plus 100 ms for the client to act on the reply, at most 500 ms.
std::chrono::milliseconds CccWait(asio::ip::tcp::socket& sock) {
  tcp_info info{};
  socklen_t len = sizeof info;
  std::chrono::milliseconds rtt{0};
  if (getsockopt(sock.native_handle(), IPPROTO_TCP, TCP_INFO, &info, &len) == 0)
    rtt = std::chrono::milliseconds(info.tcpi_rtt / 1000);
  return std::min(std::chrono::milliseconds(500), 2 * rtt + std::chrono::milliseconds(100));
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

awaitable<void> FtpSession::User(std::string arg) {
  if (cfg_.require_tls_login && !ctrl_.tls()) {
    co_await Reply(530, "This server requires TLS for login: use AUTH TLS first.");
    co_return;
  }
  if (logged_in_) {
    // RFC 959 §4.1.1: a new USER starts a new login on the same connection.
    logged_in_ = false;
    cwd_ = "/";
  }
  user_ = arg;
  user_given_ = true;
  co_await Reply(331, "Password required for " + arg + ".");
}

awaitable<void> FtpSession::Pass(std::string arg) {
  if (!user_given_) {
    co_await Reply(503, "Login with USER first.");
    co_return;
  }
  if (logged_in_) {
    co_await Reply(230, "Already logged in.");
    co_return;
  }
  v1::Operation op;
  op.mutable_login()->set_user(user_);
  op.mutable_login()->set_password(arg);
  op.mutable_login()->set_account(account_);
  op.mutable_login()->set_host_hint(host_hint_);
  auto r = co_await Call(std::move(op));
  if (!r) {
    co_await BridgeLost();
    co_return;
  }
  if (r->result().code() == v1::STATUS_OK) {
    logged_in_ = true;
    login_failures_ = 0;
    cwd_ = r->path().empty() ? "/" : r->path();
    metrics::Registry::Global().Add("gw_ftp_logins_total", {{"result", "ok"}}, 1);
    log::Info("ftp.login", {{"session", session_id_}, {"user", user_}, {"destination", r->destination()}});
    co_await Reply(230, "User " + user_ + " logged in to " + r->destination() + ".");
    co_return;
  }
  metrics::Registry::Global().Add("gw_ftp_logins_total", {{"result", "failed"}}, 1);
  ++login_failures_;
  user_given_ = false;
  // A delay after each failure slows down password guessing.
  asio::steady_timer delay(co_await asio::this_coro::executor);
  delay.expires_after(cfg_.login_failure_delay);
  co_await delay.async_wait(kTuple);
  std::string why;
  switch (r->result().code()) {
    case v1::STATUS_NO_ROUTE:
      // Only a destination the user named (USER name@host, SITE, HOST) is refused by name;
      // an unknown login name is "Login incorrect", exactly as a wrong password.
      why = host_hint_.empty() && user_.find('@') == std::string::npos
                ? "Login incorrect."
                : "Login refused: " + r->result().message() + " (no such destination is configured).";
      break;
    case v1::STATUS_NOT_LOGGED_IN:
      why = "Login incorrect.";
      break;
    default:
      why = "Login failed: " + r->result().message() + ".";
  }
  if (login_failures_ >= cfg_.max_login_failures) {
    co_await Reply(530, why);
    co_await Reply(421, "Too many failed logins; closing control connection.");
    quit_ = true;
    co_return;
  }
  co_await Reply(530, why);
}

awaitable<void> FtpSession::Acct(std::string arg) {
  account_ = arg;
  if (logged_in_) co_await Reply(202, "ACCT not needed; account noted.");
  // RFC 1415 §5.1.1: ACCT (like SITE) before USER is kept for the login that follows.
  else if (!user_given_) co_await Reply(202, "Account noted; send USER.");
  else co_await Reply(202, "Account noted; send PASS.");
}

awaitable<void> FtpSession::Rein(std::string) {
  ClosePassive();
  if (bridge_) co_await bridge_->Close();
  bridge_.reset();
  logged_in_ = user_given_ = false;
  user_.clear();
  account_.clear();
  host_hint_.clear();
  cwd_ = "/";
  type_text_ = true;
  rest_ = 0;
  active_.reset();
  epsv_all_ = false;
  co_await Reply(220, "Service ready for new user.");
  if (ctrl_.tls()) {
    // [MS-FTPS] §2.2.2: REIN on an implicit session replies, then shuts TLS down (and with
    // it the connection, which cannot go on in plaintext). Explicit: back to plaintext.
    if (implicit_tls_) co_await ctrl_.EndTls(false, std::chrono::milliseconds(0));
    else co_await ctrl_.EndTlsPeerFirst(std::chrono::milliseconds(500));
    pbsz_ = prot_p_ = false;
    lines_.Clear();
    if (implicit_tls_) quit_ = true;
  }
}

awaitable<void> FtpSession::Quit(std::string) {
  if (transfer_) co_await WaitTransfer();  // RFC 959: QUIT waits for the transfer
  co_await Reply(221, "Goodbye.");
  quit_ = true;
}

awaitable<void> FtpSession::Auth(std::string arg) {
  std::string mech = Upper(arg);
  if (mech != "TLS" && mech != "SSL" && mech != "TLS-C" && mech != "TLS-P") {
    co_await Reply(504, "Unknown security mechanism " + arg + "; use AUTH TLS.");
    co_return;
  }
  if (!shared_->tls) {
    co_await Reply(534, "TLS is not configured on this server.");
    co_return;
  }
  if (implicit_tls_) {
    co_await Reply(534, "Already secured: this is an implicit FTPS connection.");
    co_return;
  }
  if (ctrl_.tls()) {
    co_await Reply(503, "The control connection is already secured.");
    co_return;
  }
  co_await Reply(234, "AUTH " + mech + " successful; starting TLS.");
  lines_.Clear();  // RFC 4217 §4: nothing sent before the handshake may be acted upon
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(cfg_.tls_handshake_timeout);
  auto res = co_await (ctrl_.AcceptTls(shared_->tls->native_handle(), sid_ctx_) || timer.async_wait(kTuple));
  if (res.index() == 1 || std::get<0>(res)) {
    log::Warn("ftp.tls_handshake_failed", {{"session", session_id_}, {"peer", peer_ip_},
                                           {"error", res.index() == 1 ? "timeout" : std::get<0>(res).message()}});
    metrics::Registry::Global().Add("gw_ftp_tls_failures_total", {}, 1);
    quit_ = true;
    co_return;
  }
  // RFC 4217 §4: a successful AUTH resets the login.
  logged_in_ = user_given_ = false;
  if (mech == "TLS-P") pbsz_ = prot_p_ = true;
}

awaitable<void> FtpSession::Pbsz(std::string arg) {
  if (!ctrl_.tls()) {
    co_await Reply(503, "PBSZ needs a secured control connection (AUTH TLS first).");
    co_return;
  }
  for (char c : arg)
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      co_await Reply(501, "PBSZ needs a number.");
      co_return;
    }
  pbsz_ = true;
  co_await Reply(200, "PBSZ=0");  // RFC 4217 §9: TLS needs no buffer
}

awaitable<void> FtpSession::Prot(std::string arg) {
  if (!ctrl_.tls()) {
    co_await Reply(503, "PROT needs a secured control connection (AUTH TLS first).");
    co_return;
  }
  std::string level = Upper(arg);
  if (level == "P") {
    prot_p_ = true;
    co_await Reply(200, "Protection level set to Private.");
  } else if (level == "C") {
    if (cfg_.require_prot_p) {
      co_await Reply(534, "Policy requires protected data connections (PROT P).");
      co_return;
    }
    prot_p_ = false;
    co_await Reply(200, "Protection level set to Clear.");
  } else if (level == "S" || level == "E") {
    co_await Reply(536, "Protection level " + level + " not supported by TLS.");
  } else {
    co_await Reply(504, "Unknown protection level " + arg + ".");
  }
}

awaitable<void> FtpSession::Ccc(std::string) {
  if (implicit_tls_) {
    co_await Reply(534, "CCC is not allowed on an implicit FTPS connection.");
    co_return;
  }
  if (!ctrl_.tls()) {
    co_await Reply(533, "The control connection is not secured.");
    co_return;
  }
  if (!cfg_.allow_ccc) {
    co_await Reply(534, "Policy forbids clearing the control connection.");
    co_return;
  }
  co_await Reply(200, "Control connection cleared; data protection unchanged.");
  // Clients differ: lftp and ftplib send their close_notify at once and take ours only as
  // the answer to theirs (lftp reads one that comes first as the end of the connection);
  // curl's default (passive) CCC mode sends none and waits for ours. So the client gets
  // the time of a round trip and a little more to speak first, then ours goes out.
  co_await ctrl_.EndTlsPeerFirst(CccWait(ctrl_.socket()));
  lines_.Clear();
  ccc_done_ = true;
}

awaitable<void> FtpSession::Host(std::string arg) {
  if (logged_in_ || user_given_) {
    co_await Reply(503, "HOST must come before USER.");
    co_return;
  }
  // RFC 7151: clients such as lftp send the address they connected to. An address names
  // the gateway itself, not a destination; a name selects the destination of that name.
  std::string h = arg;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  error_code ec;
  asio::ip::make_address(h, ec);
  if (ec) host_hint_ = arg;
  co_await Reply(220, "Host " + arg + " accepted.");
}

namespace {
// SITE subcommands other servers offer that this gateway answers with a refusal naming
// them (they are not destinations).
bool KnownSiteVerb(std::string_view verb) {
  for (std::string_view v : {"UMASK", "CHGRP", "CHOWN", "SYMLINK", "CPFR", "CPTO", "MKDIR",
                             "RMDIR", "ZONE", "QUOTA", "RATIO", "DESCRIBE", "MSG", "NEWER", "MINFO", "GROUPS",
                             "EXEC", "INDEX", "ALIAS", "CHECKMETHOD", "CHECKSUM", "GPASS", "GROUP", "DIRSTYLE",
                             "TRANSFER", "WHO", "SYNC", "HELP", "IDLE"})
    if (verb == v) return true;
  return false;
}
}  // namespace

awaitable<void> FtpSession::Site(std::string arg) {
  std::string_view rest = arg;
  auto sp = rest.find(' ');
  std::string verb = Upper(rest.substr(0, sp));
  std::string_view params = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
  while (!params.empty() && params.front() == ' ') params.remove_prefix(1);
  if (verb == "HELP") {
    co_await Send(
        "214-SITE commands:\r\n"
        " SITE HELP                this list\r\n"
        " SITE CHMOD mode path     set permission bits (octal), e.g. SITE CHMOD 644 file\r\n"
        " SITE UTIME time path     set the modification time (YYYYMMDDhhmmss, UTC); also\r\n"
        "                          SITE UTIME path atime mtime ctime UTC\r\n"
        " SITE IDLE [seconds]      show or set the idle timeout (" +
        std::to_string(cfg_.min_idle_timeout.count()) + " to " + std::to_string(cfg_.max_idle_timeout.count()) +
        " s)\r\n"
        " SITE <destination>       before login: names the destination (RFC 1415), e.g. SITE demo\r\n"
        "214 End.\r\n");
    co_return;
  }
  if (verb == "IDLE") co_return co_await SiteIdle(params);
  if (verb == "CHMOD" || verb == "UTIME") {
    if (!logged_in_) co_return co_await Reply(530, "Please log in with USER and PASS first.");
    if (verb == "CHMOD") co_return co_await SiteChmod(params);
    co_return co_await SiteUtime(params);
  }
  if (KnownSiteVerb(verb)) {
    // UMASK, SYMLINK and the like change what the neutral file API cannot express.
    co_await Reply(502, "SITE " + verb + " is not implemented by this gateway (SITE HELP lists what is).");
    co_return;
  }
  // RFC 1415 §4.1: a distinguished name ("@c=US@o=..."), quoted or not, or a user-friendly
  // name ("netwrx1, Open Networks, us") may hold spaces; anything else of several words is
  // an unknown subcommand.
  const bool directory_name = arg.front() == '"' || arg.front() == '@' || arg.find('=') != std::string::npos ||
                              arg.find(',') != std::string::npos;
  if (sp != std::string_view::npos && !directory_name) {
    // 502, as for the subcommands above: clients (lftp) take 500, 501 and 502 to a SITE
    // subcommand as "not supported" and stop sending it; 504 they would take as a failure.
    co_await Reply(502, "SITE " + verb + " is not a SITE command of this gateway (SITE HELP lists them).");
    co_return;
  }
  // A single word that is no subcommand names a destination (RFC 1415 §4.1), which is
  // chosen before login.
  if (logged_in_) {
    co_await Reply(503, "SITE " + arg + ": a destination is named before USER; send REIN, then SITE " + arg +
                            " and log in again to change destination.");
    co_return;
  }
  host_hint_ = arg;
  co_await Reply(200, "Destination set to " + arg + ".");
}

awaitable<void> FtpSession::SiteIdle(std::string_view arg) {
  if (arg.empty()) {
    co_await Reply(200, "Idle timeout is " + std::to_string(idle_timeout_.count()) + " seconds (at most " +
                            std::to_string(cfg_.max_idle_timeout.count()) + ").");
    co_return;
  }
  long long v = 0;
  bool ok = arg.size() <= 9;
  for (char c : arg) {
    if (!std::isdigit(static_cast<unsigned char>(c))) ok = false;
    else v = v * 10 + (c - '0');
  }
  if (!ok || v < cfg_.min_idle_timeout.count() || v > cfg_.max_idle_timeout.count()) {
    co_await Reply(501, "SITE IDLE takes seconds from " + std::to_string(cfg_.min_idle_timeout.count()) + " to " +
                            std::to_string(cfg_.max_idle_timeout.count()) + ".");
    co_return;
  }
  idle_timeout_ = std::chrono::seconds(v);
  co_await Reply(200, "Idle timeout set to " + std::to_string(v) + " seconds.");
}

awaitable<void> FtpSession::Clnt(std::string) { co_await Reply(200, "Noted."); }

}  // namespace gw::ftp
