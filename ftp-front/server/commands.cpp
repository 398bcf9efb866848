// The command table: every command ftp-front knows, checked centrally before dispatch
// (login required, argument required/optional/none), with its handler and HELP text.
#include <array>
#include <string>

#include "server/session.h"

namespace gw::ftp {
namespace {
using A = CommandSpec::Arg;
using S = FtpSession;

// RFC 959 §4.1, RFC 2228, RFC 2389, RFC 2428, RFC 3659, RFC 4217, RFC 7151, MFMT
// (draft-somers-ftp-mfxx).
constexpr std::array<CommandSpec, 52> kCommands = {{
    {"ABOR", false, A::kNone, &S::Abor, "abort the running transfer"},
    {"ACCT", false, A::kRequired, &S::Acct, "account information"},
    {"ALLO", true, A::kOptional, &S::Allo, "allocate storage (not needed)"},
    {"APPE", true, A::kRequired, &S::Appe, "append to a file"},
    {"AUTH", false, A::kRequired, &S::Auth, "AUTH TLS or AUTH SSL: secure the control connection"},
    {"CCC", true, A::kNone, &S::Ccc, "clear the control connection"},
    {"CDUP", true, A::kNone, &S::Cdup, "change to the parent directory"},
    {"CLNT", false, A::kOptional, &S::Clnt, "client name"},
    {"CWD", true, A::kRequired, &S::Cwd, "change working directory"},
    {"DELE", true, A::kRequired, &S::Dele, "delete a file"},
    {"EPRT", true, A::kRequired, &S::Eprt, "extended active mode"},
    {"EPSV", true, A::kOptional, &S::Epsv, "extended passive mode"},
    {"FEAT", false, A::kNone, &S::Feat, "list extensions"},
    {"HELP", false, A::kOptional, &S::Help, "this help"},
    {"HOST", false, A::kRequired, &S::Host, "name the destination host"},
    {"LIST", true, A::kOptional, &S::List, "list a directory"},
    {"MDTM", true, A::kRequired, &S::Mdtm, "modification time"},
    {"MFMT", true, A::kRequired, &S::Mfmt, "MFMT YYYYMMDDHHMMSS path: set the modification time (UTC)"},
    {"MKD", true, A::kRequired, &S::Mkd, "make a directory"},
    {"MLSD", true, A::kOptional, &S::Mlsd, "machine listing of a directory"},
    {"MLST", true, A::kOptional, &S::Mlst, "machine listing of one entry"},
    {"MODE", false, A::kRequired, &S::Mode, "transfer mode (S only)"},
    {"NLST", true, A::kOptional, &S::Nlst, "list names"},
    {"NOOP", false, A::kNone, &S::Noop, "do nothing"},
    {"OPTS", false, A::kRequired, &S::Opts, "options (UTF8, MLST)"},
    {"PASS", false, A::kOptional, &S::Pass, "password"},
    {"PASV", true, A::kNone, &S::Pasv, "passive mode"},
    {"PBSZ", false, A::kRequired, &S::Pbsz, "protection buffer size (0)"},
    {"PORT", true, A::kRequired, &S::Port, "active mode"},
    {"PROT", false, A::kRequired, &S::Prot, "data protection (C or P)"},
    {"PWD", true, A::kNone, &S::Pwd, "print working directory"},
    {"QUIT", false, A::kNone, &S::Quit, "log out"},
    {"REIN", false, A::kNone, &S::Rein, "reinitialize"},
    {"REST", true, A::kRequired, &S::Rest, "restart offset (REST STREAM)"},
    {"RETR", true, A::kRequired, &S::Retr, "retrieve a file"},
    {"RMD", true, A::kRequired, &S::Rmd, "remove a directory"},
    {"RNFR", true, A::kRequired, &S::Rnfr, "rename from"},
    {"RNTO", true, A::kRequired, &S::Rnto, "rename to"},
    {"SITE", false, A::kRequired, &S::Site, "SITE HELP, SITE CHMOD, SITE UTIME, SITE IDLE, or SITE <destination> before login"},
    {"SIZE", true, A::kRequired, &S::Size, "file size"},
    {"SMNT", true, A::kRequired, &S::Smnt, "structure mount (not supported)"},
    {"STAT", false, A::kOptional, &S::Stat, "status, or a listing over the control connection"},
    {"STOR", true, A::kRequired, &S::Stor, "store a file"},
    {"STOU", true, A::kOptional, &S::Stou, "store under a unique name"},
    {"STRU", false, A::kRequired, &S::Stru, "file structure (F only)"},
    {"SYST", false, A::kNone, &S::Syst, "system type"},
    {"TYPE", false, A::kRequired, &S::Type, "transfer type (A, I, L 8)"},
    {"USER", false, A::kRequired, &S::User, "user name, or user@host"},
    {"XCUP", true, A::kNone, &S::Cdup, "CDUP (RFC 775)"},
    {"XCWD", true, A::kRequired, &S::Cwd, "CWD (RFC 775)"},
    {"XMKD", true, A::kRequired, &S::Mkd, "MKD (RFC 775)"},
    {"XPWD", true, A::kNone, &S::Pwd, "PWD (RFC 775)"},
}};
}  // namespace

const CommandSpec* FindCommand(std::string_view verb) {
  for (const auto& c : kCommands)
    if (c.verb == verb) return &c;
  if (verb == "XRMD") return FindCommand("RMD");
  return nullptr;
}

std::string_view AllVerbs() {
  static const std::string all = [] {
    std::string s;
    for (const auto& c : kCommands) {
      if (!s.empty()) s += ' ';
      s += c.verb;
    }
    return s;
  }();
  return all;
}

}  // namespace gw::ftp
