// The FTP/FTPS client engine of the outbound leg (DESIGN §2, the FTP half of RFC 1415
// §8.2): one control connection to a real FTP server and the data connections of its
// transfers, as Boost.Asio C++20 coroutines. Transfers stream: the caller pulls
// (ReadData) or pushes (WriteData) chunks, so both legs of a relay run at once with bounded
// memory. Every error status carries the far server's exact reply ("550 /x: No such file or
// directory"), and last_reply() keeps the latest one.
//
// Not thread-safe: one coroutine at a time drives a client (as a session does). The process
// must ignore SIGPIPE (ftp-front's main does): OpenSSL writes to sockets a server may have
// closed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/listing_parser.h"
#include "client/reply_reader.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_session_st SSL_SESSION;
typedef struct ssl_st SSL;

namespace gw::ftp {
class Conn;
}

namespace gw::ftp::client {

namespace asio = boost::asio;

struct ClientOptions {
  std::string host;
  uint16_t port = 21;
  // kExplicit: AUTH TLS on the plain port (RFC 4217); kImplicit: TLS from the first byte.
  enum class Tls { kNone, kExplicit, kImplicit } tls = Tls::kNone;
  bool verify_cert = true;   // chain and host name (DNS name or IP address SAN)
  std::string ca_file;       // PEM file; with ca_pem empty too: the system's default paths
  std::string ca_pem;        // PEM text (CA certificates), used instead of ca_file when set
  std::chrono::seconds connect_timeout{15}, reply_timeout{60}, data_timeout{120};
  bool allow_active = true;  // PORT/EPRT when neither EPSV nor PASV works
  // Connect to the address a PASV reply advertises when it is public (the default uses the
  // control connection's peer, the NAT fix that also stops third-host redirection).
  bool trust_pasv_address = false;
  std::size_t max_reply_bytes = 64 * 1024;
  std::size_t max_listing_bytes = 64 * 1024 * 1024;
  // Which TLS session a protected data connection resumes (RFC 4217 §10.2). Under TLS 1.3
  // servers disagree: proftpd accepts only the control connection's own session, vsftpd
  // refuses a ticket offered twice (522, then it drops the control connection), so each
  // data connection must offer the newest ticket, received on the previous one.
  // kAuto: the control session when FEAT lists proftpd's SSCN or CSID, else the newest.
  enum class DataSession { kAuto, kControlSession, kNewestTicket } data_session = DataSession::kAuto;
  // Sees every command sent ("> USER x", PASS/ACCT masked) and reply received ("< 230 ...").
  std::function<void(std::string_view)> trace;
};

// What FEAT (RFC 2389) advertised.
struct Features {
  bool mlst = false;  // MLST and MLSD (RFC 3659 §7)
  std::string mlst_facts;
  bool size = false, mdtm = false, rest_stream = false, utf8 = false, epsv = false, eprt = false;
  bool mfmt = false;  // MFMT (draft-somers-ftp-mfxx): set a file's modification time
  std::vector<std::string> lines;  // the raw feature lines, trimmed
};

class FtpClient {
 public:
  enum class StoreMode { kReplace, kAppend, kUnique };

  FtpClient(asio::any_io_executor ex, ClientOptions options);
  ~FtpClient();
  FtpClient(const FtpClient&) = delete;
  FtpClient& operator=(const FtpClient&) = delete;

  // TCP connect (+ TLS for implicit FTPS), then the 220 greeting.
  asio::awaitable<absl::Status> Connect();
  // Explicit FTPS: AUTH TLS first; under TLS: PBSZ 0 + PROT P; then USER/PASS[/ACCT], FEAT,
  // OPTS UTF8 ON and OPTS MLST when offered. A refused login is kUnauthenticated.
  asio::awaitable<absl::Status> Login(std::string user, std::string password, std::string account = "");

  // MLSD when offered, else LIST parsed by the listing parser. Entries of type kCurrentDir
  // and kParentDir are included (Entry::IsDotEntry()).
  asio::awaitable<absl::StatusOr<std::vector<Entry>>> List(std::string path);
  asio::awaitable<absl::StatusOr<std::vector<std::string>>> NameList(std::string path);
  // MLST, else SIZE + MDTM, else the entry in a LIST of the parent.
  asio::awaitable<absl::StatusOr<Entry>> Stat(std::string path);

  // Streaming retrieve: after StartRetrieve, ReadData until it returns 0 (the end, after the
  // server's final reply confirmed the transfer; a transfer the server ends with 4xx/5xx is
  // an error, never an end). `text` = TYPE A, bytes passed through unchanged.
  asio::awaitable<absl::Status> StartRetrieve(std::string path, bool text, uint64_t offset);
  asio::awaitable<absl::StatusOr<std::size_t>> ReadData(std::span<char> buf);
  // Streaming store: StartStore, WriteData..., FinishStore (the stored name for kUnique,
  // else the path given). `offset` > 0 sends REST before STOR.
  asio::awaitable<absl::Status> StartStore(std::string path, StoreMode mode, bool text, uint64_t offset);
  asio::awaitable<absl::Status> WriteData(std::span<const char> data);
  // The same for a chunk held in pieces (one gather write, one timeout).
  asio::awaitable<absl::Status> WriteData(const std::vector<asio::const_buffer>& data);
  asio::awaitable<absl::StatusOr<std::string>> FinishStore();
  // Ends a running transfer: closes the data connection, sends ABOR and resynchronises the
  // control connection whatever the server answers (peers README §3.3). OK if no transfer.
  asio::awaitable<absl::Status> Abort();

  asio::awaitable<absl::Status> Cwd(std::string path);
  asio::awaitable<absl::StatusOr<std::string>> Pwd();
  asio::awaitable<absl::Status> MakeDirectory(std::string path);
  asio::awaitable<absl::Status> RemoveDirectory(std::string path);
  asio::awaitable<absl::Status> Delete(std::string path);
  asio::awaitable<absl::Status> Rename(std::string from, std::string to);
  // MFMT YYYYMMDDHHMMSS path; Unimplemented (no command sent) when FEAT did not offer MFMT.
  asio::awaitable<absl::Status> SetModificationTime(std::string path, int64_t mtime_unix);
  // SITE CHMOD <octal> path, as the server answers it.
  asio::awaitable<absl::Status> Chmod(std::string path, uint32_t permissions);
  // QUIT, then close. OK even if the server closed first.
  asio::awaitable<absl::Status> Quit();
  // Drops the connections without a word (the leg was cancelled).
  void Close();

  const ServerReply& last_reply() const { return last_; }
  const Features& features() const { return features_; }
  bool connected() const { return control_ != nullptr; }
  bool transferring() const { return state_ != State::kIdle; }
  // True if the control connection is TLS and data connections are protected (PROT P).
  bool data_protected() const { return prot_p_; }
  // True if the latest protected data connection resumed the control session.
  bool data_session_reused() const { return data_reused_; }

 private:
  enum class State { kIdle, kRetrieve, kStore };

  asio::awaitable<absl::StatusOr<ServerReply>> ReadReply(std::chrono::seconds timeout);
  asio::awaitable<absl::Status> Send(std::string line);
  asio::awaitable<absl::StatusOr<ServerReply>> Command(std::string line);
  // Command + the reply's first digit must be `expect` (2 or 3), else the reply's status.
  asio::awaitable<absl::StatusOr<ServerReply>> Expect(std::string line, int expect);
  asio::awaitable<absl::Status> StartTls();
  // NOOP, then every reply up to its 200 is consumed.
  asio::awaitable<absl::Status> Resync();
  asio::awaitable<absl::Status> SetType(char type);
  asio::awaitable<absl::Status> DiscoverFeatures();
  asio::awaitable<absl::Status> OpenPassive();
  asio::awaitable<absl::Status> OpenActive();
  asio::awaitable<absl::Status> StartTransfer(std::string command, char type, uint64_t offset, State state);
  asio::awaitable<absl::StatusOr<std::string>> ReadAll(std::string command);
  asio::awaitable<absl::Status> FinishTransferAfterDataEnd(bool data_ok, std::string data_error);
  asio::awaitable<absl::StatusOr<Entry>> StatByListing(std::string path, absl::Status why);
  absl::Status NotConnected() const;
  absl::Status ControlFailure(std::string what);
  void DropData();
  void FreeTickets();
  static int OnNewSession(SSL* ssl, SSL_SESSION* session);

  asio::any_io_executor ex_;
  ClientOptions opts_;
  SSL_CTX* ctx_ = nullptr;
  std::string sni_;  // empty when the host is an IP address
  std::unique_ptr<Conn> control_;
  std::string peer_address_;  // the control connection's peer, for EPSV and the PASV fix
  ReplyReader reader_;
  ServerReply last_;
  std::string last_command_;  // for error messages (PASS masked)
  Features features_;
  bool prot_p_ = false;
  bool data_reused_ = false;
  // Every session ticket received on the control or a data connection, newest last. Each
  // data connection resumes with an unused one: TLS 1.3 tickets may be single-use (vsftpd),
  // and each resumed data connection brings a fresh one.
  std::vector<SSL_SESSION*> tickets_;
  bool control_session_only_ = false;
  char type_ = 0;
  bool epsv_failed_ = false, pasv_failed_ = false, eprt_failed_ = false, mlsd_failed_ = false;

  State state_ = State::kIdle;
  std::unique_ptr<Conn> data_;
  std::unique_ptr<asio::ip::tcp::socket> pending_data_;   // passive: connected, not yet wrapped
  std::unique_ptr<asio::ip::tcp::acceptor> listener_;     // active mode
  ServerReply transfer_start_;                            // the 1xx of the running transfer
  std::string store_path_;
  bool store_unique_ = false;
  std::vector<char> ctl_buf_;
};

}  // namespace gw::ftp::client
