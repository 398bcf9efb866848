#include "client/ftp_client.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "client/reply_status.h"
#include "server/conn.h"

namespace gw::ftp::client {
namespace {

using namespace asio::experimental::awaitable_operators;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Runs `op` against a deadline: nullopt if the timer won (the operation is then cancelled).
template <typename T>
asio::awaitable<std::optional<T>> WithTimeout(asio::awaitable<T> op, std::chrono::steady_clock::duration limit) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(limit);
  auto result = co_await (std::move(op) || timer.async_wait(kTuple));
  if (result.index() == 1) co_return std::nullopt;
  co_return std::optional<T>(std::get<0>(std::move(result)));
}

std::string Describe(const error_code& ec) {
  if (ec == asio::error::eof) return "end of stream";
  return ec.message();
}

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

// Trusts the CA certificates of a PEM text (a route's CA, passed by the bridge).
absl::Status LoadCaPem(SSL_CTX* ctx, const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) return absl::InternalError("BIO_new_mem_buf failed");
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(store, cert) == 1) ++added;
    X509_free(cert);
  }
  BIO_free(bio);
  ERR_clear_error();  // the end of the PEM text reads as an error
  if (added == 0) return absl::FailedPreconditionError("the configured CA holds no PEM certificate");
  return absl::OkStatus();
}

// "257 "/a ""b"" dir" created" -> /a "b" dir (RFC 959 §4.1.1 appendix II quoting).
std::optional<std::string> Quoted257(std::string_view text) {
  auto open = text.find('"');
  if (open == std::string_view::npos) return std::nullopt;
  std::string out;
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '"') {
      if (i + 1 < text.size() && text[i + 1] == '"') {
        out += '"';
        ++i;
        continue;
      }
      return out;
    }
    out += text[i];
  }
  return std::nullopt;
}

// STOU: "150 FILE: name" (RFC 1123 §4.1.2.9); others name it in the final reply.
std::string UniqueName(const ServerReply& start, const ServerReply& final_reply) {
  for (const ServerReply* r : {&start, &final_reply}) {
    std::string_view t = r->text;
    if (auto at = t.find("FILE: "); at != std::string_view::npos) {
      std::string_view name = t.substr(at + 6);
      name = name.substr(0, name.find('\n'));
      while (!name.empty() && (name.back() == ' ' || name.back() == '\r')) name.remove_suffix(1);
      return std::string(name);
    }
    for (std::string_view key : {"unique file name:", "Unique file name:"}) {
      if (auto at = t.find(key); at != std::string_view::npos) {
        std::string_view name = t.substr(at + key.size());
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        name = name.substr(0, name.find_first_of(")\n"));
        return std::string(name);
      }
    }
  }
  return "";
}

std::pair<std::string, std::string> SplitParent(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  if (slash == std::string::npos) return {"", p};
  return {slash == 0 ? "/" : p.substr(0, slash), p.substr(slash + 1)};
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

FtpClient::FtpClient(asio::any_io_executor ex, ClientOptions options)
    : ex_(std::move(ex)), opts_(std::move(options)), reader_(opts_.max_reply_bytes), ctl_buf_(16 * 1024) {}

FtpClient::~FtpClient() {
  Close();
  FreeTickets();
  if (ctx_) SSL_CTX_free(ctx_);
}

void FtpClient::FreeTickets() {
  for (SSL_SESSION* t : tickets_) SSL_SESSION_free(t);
  tickets_.clear();
}

int FtpClient::OnNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* self = static_cast<FtpClient*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (!self || !SSL_SESSION_is_resumable(session)) return 0;
  self->tickets_.push_back(session);
  if (self->tickets_.size() > 8) {
    SSL_SESSION_free(self->tickets_.front());
    self->tickets_.erase(self->tickets_.begin());
  }
  return 1;  // the reference is ours now
}

void FtpClient::DropData() {
  // Freeing an SSL that never sent close_notify marks its session not resumable
  // (OpenSSL's ssl_clear_bad_session), and that session object is shared with the control
  // connection: every later data connection would then fail to resume. A data connection
  // that ends without close_notify (an abort, a server that just closes) is no attack on
  // the session, so it is closed quietly.
  if (data_ && data_->tls()) SSL_set_shutdown(data_->ssl(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  if (data_) data_->Close();
  data_.reset();
  if (pending_data_) {
    error_code ec;
    pending_data_->close(ec);
  }
  pending_data_.reset();
  if (listener_) {
    error_code ec;
    listener_->close(ec);
  }
  listener_.reset();
  state_ = State::kIdle;
}

void FtpClient::Close() {
  DropData();
  if (control_) control_->Close();
  control_.reset();
}

absl::Status FtpClient::NotConnected() const {
  return absl::FailedPreconditionError("not connected to " + opts_.host + ":" + std::to_string(opts_.port));
}

absl::Status FtpClient::ControlFailure(std::string what) {
  Close();
  return absl::UnavailableError(opts_.host + ":" + std::to_string(opts_.port) + ": " + what);
}

// ---- control connection ----------------------------------------------------------------

asio::awaitable<absl::StatusOr<ServerReply>> FtpClient::ReadReply(std::chrono::seconds timeout) {
  for (;;) {
    auto next = reader_.Next();
    if (!next.ok()) {
      std::string why(next.status().message());
      co_return ControlFailure("bad reply after " + last_command_ + ": " + why);
    }
    if (next->has_value()) {
      last_ = std::move(**next);
      if (opts_.trace) opts_.trace("< " + last_.Quote());
      if (last_.code == 421) {
        // RFC 959: the server is closing the control connection.
        ServerReply said = last_;
        Close();
        last_ = said;
        co_return ReplyToStatus(said);
      }
      co_return last_;
    }
    if (!control_) co_return NotConnected();
    auto got = co_await control_->ReadSomeWithin(std::span<char>(ctl_buf_), timeout);
    if (!got) {
      co_return absl::DeadlineExceededError("no reply to " + last_command_ + " from " + opts_.host + ":" +
                                            std::to_string(opts_.port) + " within " +
                                            std::to_string(timeout.count()) + " s");
    }
    auto [ec, n] = *got;
    if (ec) {
      std::string pending = reader_.buffered() ? " (after a partial reply)" : "";
      co_return ControlFailure("control connection closed (" + Describe(ec) + ") while waiting for the reply to " +
                               last_command_ + pending);
    }
    reader_.Append(std::string_view(ctl_buf_.data(), n));
  }
}

asio::awaitable<absl::Status> FtpClient::Send(std::string line) {
  if (!control_) co_return NotConnected();
  if (HasLineBreak(line)) co_return absl::InvalidArgumentError("CR or LF in an FTP command argument");
  last_command_ = line.starts_with("PASS ") ? "PASS ****" : line.starts_with("ACCT ") ? "ACCT ****" : line;
  if (opts_.trace) opts_.trace("> " + last_command_);
  line += "\r\n";
  auto sent = co_await WithTimeout(control_->WriteAll(line), opts_.reply_timeout);
  if (!sent) co_return absl::DeadlineExceededError("cannot send " + last_command_ + " to " + opts_.host);
  if (*sent) co_return ControlFailure("control connection failed (" + Describe(*sent) + ") sending " + last_command_);
  co_return absl::OkStatus();
}

asio::awaitable<absl::StatusOr<ServerReply>> FtpClient::Command(std::string line) {
  if (state_ != State::kIdle) co_return absl::FailedPreconditionError("a transfer is running; finish or abort it first");
  absl::Status sent = co_await Send(std::move(line));
  if (!sent.ok()) co_return sent;
  for (;;) {
    auto reply = co_await ReadReply(opts_.reply_timeout);
    if (!reply.ok()) co_return reply;
    // 225/226 answer nothing but a data connection or ABOR: one arriving here is late news
    // about an earlier data connection (pyftpdlib closing a refused one), not this reply.
    if (reply->Preliminary() || reply->code == 225 || reply->code == 226) continue;
    co_return reply;
  }
}

asio::awaitable<absl::StatusOr<ServerReply>> FtpClient::Expect(std::string line, int expect) {
  auto reply = co_await Command(std::move(line));
  if (!reply.ok()) co_return reply.status();
  if (reply->code / 100 == expect) co_return reply;
  absl::Status s = ReplyToStatus(*reply);
  if (s.ok()) s = absl::FailedPreconditionError("unexpected reply to " + last_command_ + ": " + reply->Quote());
  co_return s;
}

// ---- connect and log in ----------------------------------------------------------------

asio::awaitable<absl::Status> FtpClient::Connect() {
  Close();
  FreeTickets();
  control_session_only_ = false;
  prot_p_ = false;
  type_ = 0;
  reader_ = ReplyReader(opts_.max_reply_bytes);
  last_command_ = "the greeting";
  if (opts_.tls != ClientOptions::Tls::kNone) {
    ctx_ = ctx_ ? ctx_ : SSL_CTX_new(TLS_client_method());
    if (!ctx_) co_return absl::InternalError("SSL_CTX_new: " + OpenSslErrors());
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
    SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_set_app_data(ctx_, this);
    SSL_CTX_sess_set_new_cb(ctx_, &FtpClient::OnNewSession);
    error_code ec;
    auto ip = asio::ip::make_address(opts_.host, ec);
    X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx_);
    if (!ec) {
      sni_.clear();  // RFC 6066 §3: no IP literals in SNI; check the IP address SAN instead
      X509_VERIFY_PARAM_set1_ip_asc(param, ip.to_string().c_str());
    } else {
      sni_ = opts_.host;
    }
    if (opts_.verify_cert) {
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
      if (!opts_.ca_pem.empty()) {
        if (absl::Status s = LoadCaPem(ctx_, opts_.ca_pem); !s.ok()) co_return s;
      } else {
        int ok = opts_.ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx_)
                                       : SSL_CTX_load_verify_locations(ctx_, opts_.ca_file.c_str(), nullptr);
        if (ok != 1) co_return absl::FailedPreconditionError("cannot load CA certificates '" + opts_.ca_file + "': " + OpenSslErrors());
      }
    } else {
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
    }
  }

  tcp::resolver resolver(ex_);
  auto resolved = co_await WithTimeout(resolver.async_resolve(opts_.host, std::to_string(opts_.port), kTuple),
                                       opts_.connect_timeout);
  if (!resolved) co_return absl::DeadlineExceededError("cannot resolve " + opts_.host + " within the connect timeout");
  auto [rec, endpoints] = *resolved;
  if (rec) co_return absl::UnavailableError("cannot resolve " + opts_.host + ": " + rec.message());
  tcp::socket sock(ex_);
  auto connected = co_await WithTimeout(asio::async_connect(sock, endpoints, kTuple), opts_.connect_timeout);
  if (!connected) co_return absl::DeadlineExceededError("no connection to " + opts_.host + ":" + std::to_string(opts_.port) + " within " + std::to_string(opts_.connect_timeout.count()) + " s");
  if (auto [cec, ep] = *connected; cec)
    co_return absl::UnavailableError("cannot connect to " + opts_.host + ":" + std::to_string(opts_.port) + ": " + cec.message());
  error_code pec;
  auto peer = sock.remote_endpoint(pec);
  peer_address_ = pec ? "" : peer.address().to_string();
  control_ = std::make_unique<Conn>(std::move(sock));

  if (opts_.tls == ClientOptions::Tls::kImplicit) {
    if (absl::Status s = co_await StartTls(); !s.ok()) co_return s;
  }
  for (;;) {
    auto greeting = co_await ReadReply(opts_.connect_timeout + opts_.reply_timeout);
    if (!greeting.ok()) co_return greeting.status();
    if (greeting->code == 120) continue;  // "service ready in nnn minutes"
    if (greeting->code == 220) co_return absl::OkStatus();
    absl::Status s = ReplyToStatus(*greeting);
    Close();
    co_return s.ok() ? absl::UnavailableError("unexpected greeting: " + greeting->Quote()) : s;
  }
}

asio::awaitable<absl::Status> FtpClient::StartTls() {
  auto done = co_await WithTimeout(control_->ConnectTls(ctx_, sni_, nullptr), opts_.connect_timeout);
  if (!done) co_return ControlFailure("TLS handshake timed out");
  if (*done) co_return ControlFailure("TLS handshake failed: " + done->message());
  co_return absl::OkStatus();
}

asio::awaitable<absl::Status> FtpClient::Login(std::string user, std::string password, std::string account) {
  if (!control_) co_return NotConnected();
  if (opts_.tls == ClientOptions::Tls::kExplicit && !control_->tls()) {
    auto auth = co_await Expect("AUTH TLS", 2);
    if (!auth.ok()) co_return auth.status();
    if (absl::Status s = co_await StartTls(); !s.ok()) co_return s;
  }
  if (control_->tls()) {
    // RFC 4217 §9: PBSZ 0 then PROT P. Reading these replies also takes in the TLS 1.3
    // session tickets that data connections resume.
    auto pbsz = co_await Expect("PBSZ 0", 2);
    if (!pbsz.ok()) co_return pbsz.status();
    auto prot = co_await Expect("PROT P", 2);
    if (!prot.ok()) co_return prot.status();
    prot_p_ = true;
  }
  auto reply = co_await Command("USER " + user);
  if (!reply.ok()) co_return reply.status();
  if (reply->code == 331) {
    reply = co_await Command("PASS " + password);
    if (!reply.ok()) co_return reply.status();
  }
  if (reply->code == 332) {
    if (account.empty()) co_return absl::UnauthenticatedError("the server asks for an account: " + reply->Quote());
    reply = co_await Command("ACCT " + account);
    if (!reply.ok()) co_return reply.status();
  }
  if (reply->code / 100 != 2) {
    absl::Status s = ReplyToStatus(*reply);
    if (s.ok() || s.code() == absl::StatusCode::kNotFound) s = absl::UnauthenticatedError(reply->Quote());
    co_return s;
  }
  ServerReply logged_in = *reply;
  (void)co_await DiscoverFeatures();
  last_ = logged_in;
  co_return absl::OkStatus();
}

asio::awaitable<absl::Status> FtpClient::DiscoverFeatures() {
  features_ = Features{};
  auto feat = co_await Command("FEAT");
  if (!feat.ok()) co_return feat.status();
  if (feat->code != 211) co_return absl::OkStatus();
  for (std::size_t i = 1; i + 1 < feat->lines.size(); ++i) {
    std::string line = feat->lines[i];
    line.erase(0, line.find_first_not_of(' '));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) continue;
    std::string upper = line;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::string word = upper.substr(0, upper.find(' '));
    if (word == "MLST" || word == "MLSD") {
      features_.mlst = true;
      if (word == "MLST" && line.size() > 5) features_.mlst_facts = line.substr(5);
    }
    features_.size |= word == "SIZE";
    features_.mdtm |= word == "MDTM";
    features_.rest_stream |= upper == "REST STREAM";
    features_.utf8 |= word == "UTF8";
    features_.epsv |= word == "EPSV";
    features_.eprt |= word == "EPRT";
    features_.mfmt |= word == "MFMT";
    features_.lines.push_back(line);
  }
  switch (opts_.data_session) {
    case ClientOptions::DataSession::kControlSession: control_session_only_ = true; break;
    case ClientOptions::DataSession::kNewestTicket: control_session_only_ = false; break;
    case ClientOptions::DataSession::kAuto:
      // proftpd's mod_tls (the one server here that lists SSCN/CSID) checks that a data
      // connection resumes the control connection's own session.
      control_session_only_ = std::any_of(features_.lines.begin(), features_.lines.end(), [](const std::string& l) {
        return l.starts_with("SSCN") || l.starts_with("CSID");
      });
      break;
  }
  if (features_.utf8) (void)co_await Command("OPTS UTF8 ON");  // RFC 2640; a refusal changes nothing
  if (features_.mlst && !features_.mlst_facts.empty()) {
    // RFC 3659 §7.9: ask for the facts we read, among those offered.
    static constexpr std::string_view kWanted[] = {"type", "size", "modify", "perm", "unix.mode", "unix.owner",
                                                   "unix.group", "unix.ownername", "unix.groupname", "unix.uid", "unix.gid"};
    std::string lower = features_.mlst_facts;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string ask;
    std::size_t at = 0;
    while (at < lower.size()) {
      auto semi = lower.find(';', at);
      std::string fact = lower.substr(at, semi == std::string::npos ? std::string::npos : semi - at);
      at = semi == std::string::npos ? lower.size() : semi + 1;
      if (!fact.empty() && fact.back() == '*') fact.pop_back();
      if (std::find(std::begin(kWanted), std::end(kWanted), fact) != std::end(kWanted)) ask += fact + ";";
    }
    if (!ask.empty()) (void)co_await Command("OPTS MLST " + ask);
  }
  co_return absl::OkStatus();
}

asio::awaitable<absl::Status> FtpClient::SetType(char type) {
  if (type_ == type) co_return absl::OkStatus();
  auto r = co_await Expect(std::string("TYPE ") + type, 2);
  if (!r.ok()) co_return r.status();
  type_ = type;
  co_return absl::OkStatus();
}

// ---- data connections ------------------------------------------------------------------

asio::awaitable<absl::Status> FtpClient::OpenPassive() {
  absl::Status why = absl::UnavailableError("no passive mode");
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool epsv = attempt == 0;
    if (epsv ? epsv_failed_ : pasv_failed_) continue;
    auto reply = co_await Command(epsv ? "EPSV" : "PASV");
    if (!reply.ok()) {
      if (!control_) co_return reply.status();
      why = reply.status();
      continue;
    }
    std::string host = peer_address_;
    std::optional<uint16_t> port;
    if (epsv && reply->code == 229) {
      port = ParseEpsvReply(reply->text);
    } else if (!epsv && reply->code == 227) {
      if (auto a = ParsePasvReply(reply->text)) {
        host = PasvConnectHost(a->host, peer_address_, opts_.trust_pasv_address);
        port = a->port;
      }
    }
    if (!port) {
      (epsv ? epsv_failed_ : pasv_failed_) = true;
      why = ReplyToStatus(*reply);
      if (why.ok()) why = absl::UnavailableError("unreadable reply to " + last_command_ + ": " + reply->Quote());
      continue;
    }
    error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) {
      why = absl::UnavailableError("bad data address " + host);
      continue;
    }
    auto sock = std::make_unique<tcp::socket>(ex_);
    auto done = co_await WithTimeout(sock->async_connect(tcp::endpoint(address, *port), kTuple), opts_.connect_timeout);
    if (done && !std::get<0>(*done)) {
      pending_data_ = std::move(sock);
      co_return absl::OkStatus();
    }
    why = absl::UnavailableError("cannot open the data connection to " + host + ":" + std::to_string(*port) + " (" +
                                 (done ? std::get<0>(*done).message() : std::string("timed out")) + ")");
    (epsv ? epsv_failed_ : pasv_failed_) = true;
  }
  co_return why;
}

asio::awaitable<absl::Status> FtpClient::OpenActive() {
  error_code ec;
  auto local = control_->socket().local_endpoint(ec);
  if (ec) co_return absl::UnavailableError("no local address for active mode: " + ec.message());
  auto acceptor = std::make_unique<tcp::acceptor>(ex_);
  acceptor->open(local.protocol(), ec);
  if (!ec) acceptor->bind(tcp::endpoint(local.address(), 0), ec);
  if (!ec) acceptor->listen(1, ec);
  if (ec) co_return absl::UnavailableError("cannot listen for the data connection: " + ec.message());
  auto bound = acceptor->local_endpoint(ec);
  if (ec) co_return absl::UnavailableError("cannot listen for the data connection: " + ec.message());
  std::string addr = bound.address().to_string();
  uint16_t port = bound.port();
  absl::Status why = absl::UnavailableError("active mode refused");
  if (!eprt_failed_) {
    // RFC 2428 §2.
    auto r = co_await Command("EPRT |" + std::string(bound.address().is_v6() ? "2" : "1") + "|" + addr + "|" + std::to_string(port) + "|");
    if (r.ok() && r->code / 100 == 2) {
      listener_ = std::move(acceptor);
      co_return absl::OkStatus();
    }
    if (!r.ok() && !control_) co_return r.status();
    eprt_failed_ = true;
    why = r.ok() ? ReplyToStatus(*r) : r.status();
  }
  if (bound.address().is_v4()) {
    std::string h = addr;
    std::replace(h.begin(), h.end(), '.', ',');
    auto r = co_await Command("PORT " + h + "," + std::to_string(port / 256) + "," + std::to_string(port % 256));
    if (r.ok() && r->code / 100 == 2) {
      listener_ = std::move(acceptor);
      co_return absl::OkStatus();
    }
    why = r.ok() ? ReplyToStatus(*r) : r.status();
  }
  co_return why;
}

asio::awaitable<absl::Status> FtpClient::StartTransfer(std::string command, char type, uint64_t offset, State state) {
  if (!control_) co_return NotConnected();
  if (state_ != State::kIdle) co_return absl::FailedPreconditionError("a transfer is already running");
  if (absl::Status s = co_await SetType(type); !s.ok()) co_return s;
  absl::Status opened = co_await OpenPassive();
  if (!opened.ok() && control_ && opts_.allow_active) opened = co_await OpenActive();
  if (!opened.ok()) {
    DropData();
    co_return opened;
  }
  if (offset > 0) {
    auto rest = co_await Expect("REST " + std::to_string(offset), 3);
    if (!rest.ok()) {
      DropData();
      co_return rest.status();
    }
  }
  if (absl::Status s = co_await Send(command); !s.ok()) {
    DropData();
    co_return s;
  }
  auto reply = co_await ReadReply(opts_.reply_timeout);
  if (!reply.ok()) {
    DropData();
    co_return reply.status();
  }
  if (!reply->Preliminary()) {
    DropData();
    ServerReply refused = *reply;
    absl::Status s = ReplyToStatus(refused);
    if (s.ok()) s = absl::FailedPreconditionError("no data transfer: " + refused.Quote());
    // A server may still answer for the data connection it had accepted (pyftpdlib sends
    // "226 Transfer complete." when it closes): resynchronise on a NOOP.
    if (absl::Status synced = co_await Resync(); !synced.ok()) co_return synced;
    last_ = refused;
    co_return s;
  }
  transfer_start_ = *reply;

  tcp::socket sock(ex_);
  if (pending_data_) {
    sock = std::move(*pending_data_);
    pending_data_.reset();
  } else {
    auto accepted = co_await WithTimeout(listener_->async_accept(kTuple), opts_.data_timeout);
    listener_.reset();
    if (!accepted || std::get<0>(*accepted)) {
      state_ = state;
      (void)co_await Abort();
      co_return absl::UnavailableError("the server did not open the data connection for " + command);
    }
    sock = std::move(std::get<1>(*accepted));
    error_code ec;
    auto from = sock.remote_endpoint(ec);
    if (ec || from.address().to_string() != peer_address_) {
      // Only the server may connect (no data-connection theft).
      sock.close(ec);
      state_ = state;
      (void)co_await Abort();
      co_return absl::PermissionDeniedError("data connection from an unexpected address");
    }
  }
  data_ = std::make_unique<Conn>(std::move(sock));
  state_ = state;
  data_reused_ = false;
  if (prot_p_) {
    // RFC 4217 §10.2: the data connection resumes the control connection's session, which
    // vsftpd and proftpd insist on.
    SSL_SESSION* session = nullptr;
    // Servers differ under TLS 1.3 (see ClientOptions::DataSession): vsftpd takes each
    // ticket once, so every data connection offers the newest ticket (a resumed data
    // connection brings the next one); proftpd wants the control connection's own session.
    if (!tickets_.empty() && !control_session_only_) {
      session = tickets_.back();
      tickets_.pop_back();
    } else {
      session = SSL_get1_session(control_->ssl());
    }
    // Offer a copy: a data connection that ends in a TLS error marks the session it used
    // not resumable, and the control connection's own session must stay usable.
    if (session) {
      SSL_SESSION* copy = SSL_SESSION_dup(session);
      SSL_SESSION_free(session);
      session = copy;
    }
    auto done = co_await WithTimeout(data_->ConnectTls(ctx_, sni_, session), opts_.data_timeout);
    if (session) SSL_SESSION_free(session);
    if (!done || *done) {
      std::string why = done ? done->message() : "timed out";
      (void)co_await Abort();
      co_return absl::UnavailableError("TLS on the data connection failed (" + why + "); " + last_.Quote());
    }
    data_reused_ = SSL_session_reused(data_->ssl()) == 1;
  }
  co_return absl::OkStatus();
}

asio::awaitable<absl::Status> FtpClient::FinishTransferAfterDataEnd(bool data_ok, std::string data_error) {
  DropData();
  auto reply = co_await ReadReply(opts_.data_timeout);
  if (!reply.ok()) co_return reply.status();
  // Some servers send a second 1xx (pure-ftpd's transfer statistics); skip to the final one.
  while (reply->Preliminary()) {
    reply = co_await ReadReply(opts_.data_timeout);
    if (!reply.ok()) co_return reply.status();
  }
  absl::Status s = ReplyToStatus(*reply);
  if (!s.ok()) co_return s;
  if (!data_ok) co_return absl::UnavailableError("data connection failed (" + data_error + ") though the server said " + reply->Quote());
  co_return absl::OkStatus();
}

asio::awaitable<absl::StatusOr<std::size_t>> FtpClient::ReadData(std::span<char> buf) {
  if (state_ != State::kRetrieve || !data_) co_return absl::FailedPreconditionError("no retrieve is running");
  if (buf.empty()) co_return absl::InvalidArgumentError("empty read buffer");
  // What is there already is taken without a timer: a streaming read mostly finds data
  // waiting, and a timer armed and cancelled per read cost two system calls each time.
  auto got = co_await data_->ReadSomeWithin(buf, opts_.data_timeout);
  if (!got) {
    // A server that stalls this long is not waited for again (an ABOR would wait a reply
    // timeout more): the connection is dropped, as RFC 1415 §5 treats a dropped one.
    Close();
    co_return absl::DeadlineExceededError("no data from " + opts_.host + " within " + std::to_string(opts_.data_timeout.count()) + " s; transfer aborted");
  }
  auto [ec, n] = *got;
  if (!ec && n > 0) co_return n;
  // The end of the data: eof, or a TLS stream without close_notify (the final reply decides).
  bool clean = !ec || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
  absl::Status s = co_await FinishTransferAfterDataEnd(clean, Describe(ec));
  if (!s.ok()) co_return s;
  co_return std::size_t{0};
}

asio::awaitable<absl::Status> FtpClient::StartRetrieve(std::string path, bool text, uint64_t offset) {
  co_return co_await StartTransfer("RETR " + path, text ? 'A' : 'I', offset, State::kRetrieve);
}

asio::awaitable<absl::Status> FtpClient::StartStore(std::string path, StoreMode mode, bool text, uint64_t offset) {
  std::string verb = mode == StoreMode::kAppend ? "APPE " : mode == StoreMode::kUnique ? "STOU" : "STOR ";
  std::string command = mode == StoreMode::kUnique ? (path.empty() ? verb : verb + " " + path) : verb + path;
  store_path_ = path;
  store_unique_ = mode == StoreMode::kUnique;
  co_return co_await StartTransfer(command, text ? 'A' : 'I', mode == StoreMode::kReplace ? offset : 0, State::kStore);
}

asio::awaitable<absl::Status> FtpClient::WriteData(std::span<const char> data) {
  co_return co_await WriteData(std::vector<asio::const_buffer>{asio::const_buffer(data.data(), data.size())});
}

asio::awaitable<absl::Status> FtpClient::WriteData(const std::vector<asio::const_buffer>& data) {
  if (state_ != State::kStore || !data_) co_return absl::FailedPreconditionError("no store is running");
  auto done = co_await WithTimeout(data_->WriteAll(data), opts_.data_timeout);
  if (!done) {
    Close();  // stalled: dropped, as above
    co_return absl::DeadlineExceededError("the server took no data for " + std::to_string(opts_.data_timeout.count()) + " s; transfer aborted");
  }
  if (*done) {
    absl::Status s = co_await FinishTransferAfterDataEnd(false, Describe(*done));
    co_return s.ok() ? absl::UnavailableError("data connection failed: " + Describe(*done)) : s;
  }
  co_return absl::OkStatus();
}

asio::awaitable<absl::StatusOr<std::string>> FtpClient::FinishStore() {
  if (state_ != State::kStore || !data_) co_return absl::FailedPreconditionError("no store is running");
  // close_notify, then our FIN, then read until the server closes: the read takes in the
  // session ticket the server sent on this connection (the next data connection needs it
  // where tickets are single-use), and nothing left unread turns our close into a reset
  // that could destroy data still in flight.
  if (data_->tls()) {
    ERR_clear_error();
    if (SSL_shutdown(data_->ssl()) < 0) ERR_clear_error();
  }
  error_code ec;
  data_->socket().shutdown(tcp::socket::shutdown_send, ec);
  char drain[4096];
  for (;;) {
    auto got = co_await data_->ReadSomeWithin(std::span<char>(drain, sizeof drain), opts_.data_timeout);
    if (!got || got->first) break;
  }
  absl::Status s = co_await FinishTransferAfterDataEnd(true, "");
  if (!s.ok()) co_return s;
  if (store_unique_) co_return UniqueName(transfer_start_, last_);
  co_return store_path_;
}

asio::awaitable<absl::Status> FtpClient::Resync() {
  if (absl::Status s = co_await Send("NOOP"); !s.ok()) co_return s;
  for (int i = 0; i < 8; ++i) {
    auto reply = co_await ReadReply(opts_.reply_timeout);
    if (!reply.ok()) co_return reply.status();
    if (reply->code == 200) co_return absl::OkStatus();
  }
  co_return ControlFailure("no reply to NOOP among the replies that followed " + last_command_);
}

asio::awaitable<absl::Status> FtpClient::Abort() {
  if (state_ == State::kIdle) {
    DropData();
    co_return absl::OkStatus();
  }
  // Close the data connection first (as curl and lftp do): vsftpd and proftpd read the
  // control connection only once their data write fails. No Telnet IP/DM: pure-ftpd
  // swallows the ABOR that follows it. Then NOOP, and every reply up to NOOP's 200 is
  // consumed, whatever sequence the server chose (426+225, 426+226, 150+226, 225 alone).
  // Under TLS close_notify goes first, as curl sends it.
  if (data_ && data_->tls()) {
    ERR_clear_error();
    (void)SSL_shutdown(data_->ssl());
    ERR_clear_error();
  }
  DropData();
  if (absl::Status s = co_await Send("ABOR"); !s.ok()) co_return s;
  // The first final reply (the transfer's 426, or ABOR's 225/226), then NOOP: sent any
  // earlier, pure-ftpd may drop it with the rest of the input it discards on ABOR.
  std::optional<ServerReply> abort_reply;
  for (;;) {
    auto reply = co_await ReadReply(opts_.reply_timeout);
    if (!reply.ok()) co_return reply.status();
    if (!reply->Preliminary()) {
      abort_reply = *reply;
      break;
    }
  }
  if (absl::Status s = co_await Send("NOOP"); !s.ok()) co_return s;
  for (int i = 0; i < 8; ++i) {
    auto reply = co_await ReadReply(opts_.reply_timeout);
    if (!reply.ok()) co_return reply.status();
    if (reply->code == 200) {
      last_ = *abort_reply;
      co_return absl::OkStatus();
    }
    if (!reply->Preliminary()) abort_reply = *reply;
  }
  co_return ControlFailure("no end to the replies after ABOR");
}

asio::awaitable<absl::StatusOr<std::string>> FtpClient::ReadAll(std::string command) {
  absl::Status started = co_await StartTransfer(std::move(command), 'A', 0, State::kRetrieve);
  if (!started.ok()) co_return started;
  std::string body;
  std::vector<char> buf(64 * 1024);
  for (;;) {
    auto n = co_await ReadData(std::span<char>(buf));
    if (!n.ok()) co_return n.status();
    if (*n == 0) break;
    body.append(buf.data(), *n);
    if (body.size() > opts_.max_listing_bytes) {
      (void)co_await Abort();
      co_return absl::ResourceExhaustedError("listing larger than " + std::to_string(opts_.max_listing_bytes) + " bytes");
    }
  }
  co_return body;
}

// ---- listings and attributes -----------------------------------------------------------

asio::awaitable<absl::StatusOr<std::vector<Entry>>> FtpClient::List(std::string path) {
  if (features_.mlst && !mlsd_failed_) {
    auto body = co_await ReadAll(path.empty() ? "MLSD" : "MLSD " + path);
    if (body.ok()) co_return ParseMlsd(*body);
    if (body.status().code() != absl::StatusCode::kUnimplemented) co_return body.status();
    mlsd_failed_ = true;
  }
  auto body = co_await ReadAll(path.empty() ? "LIST" : "LIST " + path);
  if (!body.ok()) co_return body.status();
  co_return ParseListing(*body, static_cast<int64_t>(std::time(nullptr)));
}

asio::awaitable<absl::StatusOr<std::vector<std::string>>> FtpClient::NameList(std::string path) {
  auto body = co_await ReadAll(path.empty() ? "NLST" : "NLST " + path);
  if (!body.ok()) {
    // An empty directory: proftpd "450 No files found", pure-ftpd "550 No files found".
    if ((last_.code == 450 || last_.code == 550) && last_.text.find("No files found") != std::string::npos)
      co_return std::vector<std::string>{};
    co_return body.status();
  }
  std::vector<std::string> names;
  std::string_view rest = *body;
  while (!rest.empty()) {
    auto lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) names.emplace_back(line);
  }
  co_return names;
}

asio::awaitable<absl::StatusOr<Entry>> FtpClient::Stat(std::string path) {
  if (features_.mlst) {
    auto reply = co_await Command(path.empty() ? "MLST" : "MLST " + path);
    if (!reply.ok()) co_return reply.status();
    if (reply->code / 100 == 2) {
      for (std::size_t i = 1; i + 1 < reply->lines.size(); ++i) {
        if (auto e = ParseMlsxLine(reply->lines[i])) {
          // MLST of a directory may say type=cdir (pure-ftpd for "."): it is that directory.
          if (e->type == Entry::Type::kCurrentDir || e->type == Entry::Type::kParentDir)
            e->type = Entry::Type::kDirectory;
          co_return *e;
        }
      }
      co_return absl::InternalError("no facts in the reply to " + last_command_ + ": " + reply->Quote());
    }
    absl::Status s = ReplyToStatus(*reply);
    if (s.code() != absl::StatusCode::kUnimplemented) co_return s;
  }
  absl::Status why = absl::NotFoundError(path);
  auto [parent, base] = SplitParent(path);
  if (!base.empty() && base != "." && base != "..") {
    if (absl::Status s = co_await SetType('I'); !s.ok()) co_return s;
    auto size = co_await Command("SIZE " + path);
    if (!size.ok()) co_return size.status();
    if (size->code == 213) {
      Entry e;
      e.name = base;
      e.type = Entry::Type::kFile;
      std::string digits = size->text.substr(0, size->text.find(' '));
      if (!digits.empty() && digits.size() < 20 && digits.find_first_not_of("0123456789") == std::string::npos)
        e.size = std::stoull(digits);
      auto mdtm = co_await Command("MDTM " + path);
      if (!mdtm.ok()) co_return mdtm.status();
      if (mdtm->code == 213) e.mtime_unix = ParseTimeVal(mdtm->text.substr(0, mdtm->text.find(' ')));
      co_return e;
    }
    why = ReplyToStatus(*size);
  }
  co_return co_await StatByListing(path, why);
}

asio::awaitable<absl::StatusOr<Entry>> FtpClient::StatByListing(std::string path, absl::Status why) {
  auto [parent, base] = SplitParent(path);
  if (base.empty() || base == "." || base == ".." || base == "/" || path == "/") {
    Entry e;
    e.name = path.empty() ? "." : path;
    e.type = Entry::Type::kDirectory;
    co_return e;
  }
  auto entries = co_await List(parent);
  if (!entries.ok()) co_return entries.status();
  for (Entry& e : *entries)
    if (e.name == base) co_return e;
  co_return why.ok() ? absl::NotFoundError("no " + base + " in the listing of " + (parent.empty() ? "." : parent)) : why;
}

// ---- simple commands -------------------------------------------------------------------

asio::awaitable<absl::Status> FtpClient::Cwd(std::string path) {
  auto r = co_await Expect(path == ".." ? "CDUP" : "CWD " + path, 2);
  co_return r.status();
}

asio::awaitable<absl::StatusOr<std::string>> FtpClient::Pwd() {
  auto r = co_await Expect("PWD", 2);
  if (!r.ok()) co_return r.status();
  if (auto dir = Quoted257(r->text)) co_return *dir;
  co_return absl::InternalError("no directory in the reply to PWD: " + r->Quote());
}

asio::awaitable<absl::Status> FtpClient::MakeDirectory(std::string path) { co_return (co_await Expect("MKD " + path, 2)).status(); }

asio::awaitable<absl::Status> FtpClient::RemoveDirectory(std::string path) { co_return (co_await Expect("RMD " + path, 2)).status(); }

asio::awaitable<absl::Status> FtpClient::Delete(std::string path) { co_return (co_await Expect("DELE " + path, 2)).status(); }

asio::awaitable<absl::Status> FtpClient::Rename(std::string from, std::string to) {
  auto rnfr = co_await Expect("RNFR " + from, 3);
  if (!rnfr.ok()) co_return rnfr.status();
  co_return (co_await Expect("RNTO " + to, 2)).status();
}

asio::awaitable<absl::Status> FtpClient::SetModificationTime(std::string path, int64_t mtime_unix) {
  if (!features_.mfmt)
    co_return absl::UnimplementedError("the server does not offer MFMT (its FEAT does not list it): the modification time cannot be set");
  if (mtime_unix < 0 || mtime_unix > 253402300799) co_return absl::InvalidArgumentError("modification time out of range");
  // UTC, as MDTM and MLST times (RFC 3659 §2.3).
  std::time_t t = static_cast<std::time_t>(mtime_unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  co_return (co_await Expect("MFMT " + std::string(buf) + " " + path, 2)).status();
}

asio::awaitable<absl::Status> FtpClient::Chmod(std::string path, uint32_t permissions) {
  char mode[16];
  std::snprintf(mode, sizeof mode, "%o", permissions & 07777u);
  co_return (co_await Expect("SITE CHMOD " + std::string(mode) + " " + path, 2)).status();
}

asio::awaitable<absl::Status> FtpClient::Quit() {
  if (!control_) co_return absl::OkStatus();
  if (state_ != State::kIdle) (void)co_await Abort();
  if (control_) (void)co_await Command("QUIT");
  Close();
  co_return absl::OkStatus();
}

}  // namespace gw::ftp::client
