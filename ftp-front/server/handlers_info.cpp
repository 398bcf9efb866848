// Information and parameter commands: SYST FEAT (RFC 2389) OPTS HELP NOOP TYPE STRU MODE
// ALLO SMNT.
#include "server/session.h"

namespace gw::ftp {
using asio::awaitable;

namespace {
std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

awaitable<void> FtpSession::Syst(std::string) { co_await Reply(215, "UNIX Type: L8"); }

awaitable<void> FtpSession::Feat(std::string) {
  std::string text = "211-Features:\r\n";
  if (shared_->tls && !implicit_tls_) text += " AUTH TLS;SSL;\r\n";  // [MS-FTPS] §2.2.1
  if (shared_->tls) text += " PBSZ\r\n PROT\r\n";
  if (shared_->tls && !implicit_tls_ && cfg_.allow_ccc) text += " CCC\r\n";
  text += " EPRT\r\n EPSV\r\n HOST\r\n MDTM\r\n MFMT\r\n";
  text += " MLST " + mlst_facts_.Describe(true) + "\r\n";
  text += " REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n";
  text += "211 End\r\n";
  co_await Send(std::move(text));
}

awaitable<void> FtpSession::Opts(std::string arg) {
  std::string upper = Upper(arg);
  if (upper == "UTF8 ON" || upper == "UTF8") co_return co_await Reply(200, "Always in UTF8 mode.");
  if (upper == "UTF8 OFF") co_return co_await Reply(504, "UTF8 cannot be turned off.");
  if (upper == "MLST" || upper.rfind("MLST ", 0) == 0) {
    // RFC 3659 §7.9: the facts named (unknown ones ignored) are the ones returned from now
    // on; the reply lists exactly those.
    mlst_facts_ = MlstFacts::Parse(arg.size() > 5 ? std::string_view(arg).substr(5) : std::string_view());
    std::string facts = mlst_facts_.Describe(false);
    co_return co_await Reply(200, facts.empty() ? "MLST OPTS" : "MLST OPTS " + facts);
  }
  co_await Reply(501, "Option not understood: " + arg + ".");
}

awaitable<void> FtpSession::Help(std::string arg) {
  if (!arg.empty()) {
    if (const CommandSpec* c = FindCommand(Upper(arg)))
      co_return co_await Reply(214, std::string(c->verb) + ": " + std::string(c->help) + ".");
    co_return co_await Reply(502, "Unknown command " + arg + ".");
  }
  std::string text = "214-The following commands are recognized:\r\n ";
  text += std::string(AllVerbs());
  text += "\r\n214 Help OK.\r\n";
  co_await Send(std::move(text));
}

awaitable<void> FtpSession::Noop(std::string) { co_await Reply(200, "NOOP ok."); }

awaitable<void> FtpSession::Type(std::string arg) {
  std::string t = Upper(arg);
  // RFC 959 §3.1.1: A (with the default format N), I, and L 8 (the same as I here).
  if (t == "A" || t == "A N") {
    type_text_ = true;
    co_return co_await Reply(200, "Switching to ASCII mode.");
  }
  if (t == "I" || t == "L 8" || t == "L8") {
    type_text_ = false;
    co_return co_await Reply(200, "Switching to Binary mode.");
  }
  co_await Reply(504, "Type " + arg + " not supported; use A, I or L 8.");
}

awaitable<void> FtpSession::Stru(std::string arg) {
  if (Upper(arg) == "F") co_return co_await Reply(200, "Structure set to File.");
  co_await Reply(504, "Only file structure (STRU F) is supported.");
}

awaitable<void> FtpSession::Mode(std::string arg) {
  if (Upper(arg) == "S") co_return co_await Reply(200, "Mode set to Stream.");
  co_await Reply(504, "Only stream mode (MODE S) is supported.");
}

awaitable<void> FtpSession::Allo(std::string) { co_await Reply(202, "ALLO not needed; storage is allocated as data arrives."); }

awaitable<void> FtpSession::Smnt(std::string) { co_await Reply(502, "SMNT is not implemented."); }

}  // namespace gw::ftp
