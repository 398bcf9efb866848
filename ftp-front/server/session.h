// One FTP/FTPS control connection (the server role of ftp-front). Commands are checked
// against the command table (commands.cpp) and dispatched to handlers grouped by concern
// (handlers_*.cpp); each becomes neutral operations on the session's bridge stream.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/v1/file_service.grpc.pb.h"
#include "protocol/address.h"
#include "protocol/command.h"
#include "protocol/listing.h"
#include "runtime/grpc_asio.h"
#include "runtime/session_client.h"
#include "server/config.h"
#include "server/conn.h"

namespace gw::ftp {

struct ServerShared {
  ServerConfig config;
  std::shared_ptr<asio::ssl::context> tls;  // null: FTPS off
  std::unique_ptr<rt::SessionStub> stub;
};

// A data connection being set up by PASV/EPSV: accepted, and under PROT P handshaken, as
// soon as the client connects (curl starts TLS before it sends RETR).
struct PendingData;

class FtpSession;
using Handler = asio::awaitable<void> (FtpSession::*)(std::string arg);

struct CommandSpec {
  std::string_view verb;
  bool needs_login;
  enum class Arg { kNone, kRequired, kOptional } arg;
  Handler handler;
  std::string_view help;
};
const CommandSpec* FindCommand(std::string_view verb);
std::string_view AllVerbs();

class FtpSession {
 public:
  FtpSession(std::shared_ptr<ServerShared> shared, asio::ip::tcp::socket sock, bool implicit_tls,
             std::string session_id);
  ~FtpSession();
  asio::awaitable<void> Run();

  // Handlers (handlers_*.cpp), named after their commands.
  asio::awaitable<void> User(std::string arg);
  asio::awaitable<void> Pass(std::string arg);
  asio::awaitable<void> Acct(std::string arg);
  asio::awaitable<void> Rein(std::string arg);
  asio::awaitable<void> Quit(std::string arg);
  asio::awaitable<void> Auth(std::string arg);
  asio::awaitable<void> Pbsz(std::string arg);
  asio::awaitable<void> Prot(std::string arg);
  asio::awaitable<void> Ccc(std::string arg);
  asio::awaitable<void> Host(std::string arg);
  asio::awaitable<void> Site(std::string arg);
  asio::awaitable<void> Cwd(std::string arg);
  asio::awaitable<void> Cdup(std::string arg);
  asio::awaitable<void> Pwd(std::string arg);
  asio::awaitable<void> Mkd(std::string arg);
  asio::awaitable<void> Rmd(std::string arg);
  asio::awaitable<void> Dele(std::string arg);
  asio::awaitable<void> Rnfr(std::string arg);
  asio::awaitable<void> Rnto(std::string arg);
  asio::awaitable<void> Size(std::string arg);
  asio::awaitable<void> Mdtm(std::string arg);
  asio::awaitable<void> Mfmt(std::string arg);
  asio::awaitable<void> Mlst(std::string arg);
  asio::awaitable<void> Stat(std::string arg);
  asio::awaitable<void> Port(std::string arg);
  asio::awaitable<void> Eprt(std::string arg);
  asio::awaitable<void> Pasv(std::string arg);
  asio::awaitable<void> Epsv(std::string arg);
  asio::awaitable<void> Retr(std::string arg);
  asio::awaitable<void> Stor(std::string arg);
  asio::awaitable<void> Stou(std::string arg);
  asio::awaitable<void> Appe(std::string arg);
  asio::awaitable<void> Rest(std::string arg);
  asio::awaitable<void> Abor(std::string arg);
  asio::awaitable<void> List(std::string arg);
  asio::awaitable<void> Nlst(std::string arg);
  asio::awaitable<void> Mlsd(std::string arg);
  asio::awaitable<void> Syst(std::string arg);
  asio::awaitable<void> Feat(std::string arg);
  asio::awaitable<void> Opts(std::string arg);
  asio::awaitable<void> Help(std::string arg);
  asio::awaitable<void> Noop(std::string arg);
  asio::awaitable<void> Type(std::string arg);
  asio::awaitable<void> Stru(std::string arg);
  asio::awaitable<void> Mode(std::string arg);
  asio::awaitable<void> Allo(std::string arg);
  asio::awaitable<void> Smnt(std::string arg);
  asio::awaitable<void> Clnt(std::string arg);

  // Shared by the transfer coroutine.
  struct TransferState;

 private:
  friend asio::awaitable<void> RunTransfer(std::shared_ptr<FtpSession::TransferState> t);
  friend asio::awaitable<void> MoveData(std::shared_ptr<FtpSession::TransferState> t);

  // The greeting and the command loop; false if the session ended before the greeting
  // (implicit TLS failed), with nothing to clean up.
  asio::awaitable<bool> Serve();
  // A failure of our own (an exception, as out of memory would throw): logged, 421 to the
  // client, and the session ends with its bridge session cancelled, not closed.
  asio::awaitable<void> InternalError(std::exception_ptr e, std::string_view where);

  // Control connection.
  asio::awaitable<void> Reply(int code, std::string_view text);
  asio::awaitable<void> Send(std::string text);
  asio::awaitable<std::optional<std::string>> ReadLine();
  asio::awaitable<void> Dispatch(const Command& cmd);

  // Bridge session.
  asio::awaitable<bool> EnsureBridge();
  asio::awaitable<std::optional<gateway::v1::OperationResult>> Call(gateway::v1::Operation op);
  // Call for a successful result; a failure (or a lost bridge) is replied here, with
  // `failure_code` when the outcome has no better FTP code, and gives nullopt.
  asio::awaitable<std::optional<gateway::v1::OperationResult>> CallOk(gateway::v1::Operation op,
                                                                      int failure_code);
  // Replies for a failed result: the neutral code in FTP terms and what went wrong.
  asio::awaitable<void> ReplyFailure(const gateway::v1::Result& r, int default_code);
  asio::awaitable<void> BridgeLost();
  // The session ends after what is being done: no more commands are read.
  void EndCommandLoop();

  // Data connections (handlers_data.cpp).
  asio::awaitable<std::unique_ptr<Conn>> OpenData();  // replies the error itself on failure
  void ClosePassive();
  std::optional<std::string> DataRefusal() const;     // PROT policy etc.
  asio::awaitable<void> SetActive(std::optional<HostPort> hp, std::string_view verb);
  asio::awaitable<uint16_t> StartPassive(const asio::ip::address& bind_addr);  // 0: no port free

  // Transfers (handlers_transfer.cpp).
  asio::awaitable<void> StartUpload(std::string arg, gateway::v1::WriteMode mode);
  asio::awaitable<void> SendListing(std::string arg, int kind);
  // Logs a refused data connection (who and why) and replies `code text`.
  asio::awaitable<void> RefuseData(int code, std::string text);
  asio::awaitable<void> WaitTransfer();
  asio::awaitable<void> AbortTransfer(bool reply);

  bool logged_in() const { return logged_in_; }
  asio::awaitable<void> SiteIdle(std::string_view arg);
  asio::awaitable<void> SiteChmod(std::string_view arg);
  asio::awaitable<void> SiteUtime(std::string_view arg);
  // SetAttributes on the bridge; a failure is replied here and gives nullopt.
  asio::awaitable<std::optional<gateway::v1::OperationResult>> SetAttributes(std::string path,
                                                                             std::optional<uint32_t> mode,
                                                                             std::optional<int64_t> mtime);

  std::shared_ptr<ServerShared> shared_;
  const ServerConfig& cfg_;
  Conn ctrl_;
  LineReader lines_;
  bool writing_ = false;               // one reply at a time on the control connection
  std::unique_ptr<asio::steady_timer> write_wait_;
  bool implicit_tls_;
  std::string session_id_, sid_ctx_, peer_ip_, local_ip_;
  bool quit_ = false;
  bool failed_ = false;  // InternalError: the bridge session is in an unknown state

  // RFC 959 / 4217 state.
  bool pbsz_ = false, prot_p_ = false;
  // After CCC the control connection has no TLS session left to resume: data connections
  // are not held to session reuse (curl's default CCC mode cannot resume).
  bool ccc_done_ = false;
  std::string user_, account_, host_hint_;
  bool user_given_ = false, logged_in_ = false;
  int login_failures_ = 0;
  bool type_text_ = true;  // RFC 959 §3.1.1.1: ASCII is the default type
  uint64_t rest_ = 0;
  std::optional<std::string> rename_from_;
  bool epsv_all_ = false;
  std::optional<HostPort> active_;
  std::shared_ptr<PendingData> pasv_;
  std::string cwd_ = "/";
  std::chrono::seconds idle_timeout_;  // SITE IDLE changes it within the configured bounds
  MlstFacts mlst_facts_;               // OPTS MLST selects them (RFC 3659 §7.9)

  std::unique_ptr<rt::SessionClient> bridge_;
  std::shared_ptr<TransferState> transfer_;
};

}  // namespace gw::ftp
