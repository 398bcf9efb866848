// Directory and file commands that move no data: CWD CDUP PWD MKD RMD DELE RNFR RNTO
// (RFC 959), SIZE MDTM MLST (RFC 3659), STAT (RFC 959 §4.1.3).
#include <chrono>

#include "protocol/listing.h"
#include "protocol/reply.h"
#include "server/entry_info.h"
#include "server/session.h"

namespace gw::ftp {
namespace v1 = gateway::v1;
using asio::awaitable;

awaitable<void> FtpSession::Cwd(std::string arg) {
  v1::Operation op;
  op.mutable_change_directory()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  cwd_ = r->path();
  co_await Reply(250, "Directory changed to " + QuotePath(cwd_) + ".");
}

awaitable<void> FtpSession::Cdup(std::string) { co_await Cwd(".."); }

awaitable<void> FtpSession::Pwd(std::string) {
  v1::Operation op;
  op.mutable_print_directory();
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  cwd_ = r->path();
  co_await Reply(257, QuotePath(cwd_) + " is the current directory.");
}

awaitable<void> FtpSession::Mkd(std::string arg) {
  v1::Operation op;
  op.mutable_make_directory()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  co_await Reply(257, QuotePath(r->path()) + " directory created.");
}

awaitable<void> FtpSession::Rmd(std::string arg) {
  v1::Operation op;
  op.mutable_remove_directory()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  co_await Reply(250, "Directory removed.");
}

awaitable<void> FtpSession::Dele(std::string arg) {
  v1::Operation op;
  op.mutable_delete_()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  co_await Reply(250, "File deleted.");
}

awaitable<void> FtpSession::Rnfr(std::string arg) {
  v1::Operation op;
  op.mutable_stat()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  rename_from_ = arg;
  co_await Reply(350, "Ready for RNTO.");
}

awaitable<void> FtpSession::Rnto(std::string arg) {
  if (!rename_from_) {
    co_await Reply(503, "RNTO must follow RNFR.");
    co_return;
  }
  v1::Operation op;
  op.mutable_rename()->set_from(*rename_from_);
  op.mutable_rename()->set_to(arg);
  rename_from_.reset();
  auto r = co_await CallOk(std::move(op), 553);
  if (!r) co_return;
  co_await Reply(250, "Rename successful.");
}

// The attributes of a successful stat.
static std::optional<v1::Attributes> FirstEntry(const v1::OperationResult& r) {
  if (r.entries_size() == 0) return std::nullopt;
  return r.entries(0);
}

awaitable<void> FtpSession::Size(std::string arg) {
  v1::Operation op;
  op.mutable_stat()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  auto a = FirstEntry(*r);
  if (!a || a->type() != v1::ENTRY_TYPE_FILE || !a->has_size()) {
    co_await Reply(550, "SIZE: not a plain file.");
    co_return;
  }
  co_await Reply(213, std::to_string(a->size()));
}

awaitable<void> FtpSession::Mdtm(std::string arg) {
  v1::Operation op;
  op.mutable_stat()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  auto a = FirstEntry(*r);
  if (!a || !a->has_mtime_unix()) {
    co_await Reply(550, "MDTM: modification time unknown.");
    co_return;
  }
  co_await Reply(213, FormatTimeVal(a->mtime_unix()));
}

awaitable<void> FtpSession::Mlst(std::string arg) {
  v1::Operation op;
  op.mutable_stat()->set_path(arg);
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  auto a = FirstEntry(*r);
  if (!a) {
    co_await Reply(550, "MLST: no such entry.");
    co_return;
  }
  // RFC 3659 §7.2: the pathname in the reply is the one given, or the directory.
  EntryInfo e = ToEntryInfo(*a);
  e.name = r->path();
  co_await Send("250-Listing " + (arg.empty() ? cwd_ : arg) + "\r\n " + FormatMlsxLine(e, false, mlst_facts_) + "\r\n250 End.\r\n");
}

awaitable<void> FtpSession::Stat(std::string arg) {
  if (arg.empty()) {
    std::string text = "211-FTP-FTAM gateway status:\r\n";
    text += " Connected from " + peer_ip_ + "\r\n";
    text += std::string(" Control connection ") + (ctrl_.tls() ? "secured by TLS" : "in plaintext") +
            (prot_p_ ? ", data protected (PROT P)" : ", data in clear (PROT C)") + "\r\n";
    text += logged_in_ ? " Logged in as " + user_ + ", directory " + cwd_ + "\r\n" : " Not logged in\r\n";
    text += std::string(" TYPE: ") + (type_text_ ? "ASCII" : "BINARY") + "; STRUcture: File; transfer MODE: Stream\r\n";
    text += transfer_ ? " A data transfer is in progress\r\n" : " No data connection\r\n";
    text += "211 End of status.\r\n";
    co_await Send(std::move(text));
    co_return;
  }
  if (!logged_in_) {
    co_await Reply(530, "Please log in with USER and PASS first.");
    co_return;
  }
  // RFC 959 §4.1.3: STAT with a path is LIST over the control connection.
  v1::Operation op;
  op.mutable_list()->set_path(std::string(StripListOptions(arg)));
  auto r = co_await CallOk(std::move(op), 550);
  if (!r) co_return;
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  std::string text = "213-Status of " + arg + ":\r\n";
  for (const auto& a : r->entries()) text += " " + FormatListLine(ToEntryInfo(a), now) + "\r\n";
  text += "213 End of status.\r\n";
  co_await Send(std::move(text));
}

}  // namespace gw::ftp
