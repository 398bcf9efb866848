// Directory listings as real FTP servers send them, read back into attributes (the client
// role): LIST output in the Unix `ls -l` form (vsftpd, proftpd, pure-ftpd, pyftpdlib, with
// or without a group column, numeric ids, device files), the DOS/IIS form, EPLF, and the
// machine-readable MLSD/MLST fact lines of RFC 3659 §7. Pure functions, no I/O; fuzzed by
// tests/ftp-front/client/listing_fuzz.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::ftp::client {

struct Entry {
  enum class Type {
    kFile,
    kDirectory,
    kSymlink,
    kOther,       // device, fifo, socket, an OS-specific MLSD type
    kCurrentDir,  // MLSD type=cdir, or "." in LIST -a output: the caller usually skips it
    kParentDir,   // MLSD type=pdir, or ".."
  };
  std::string name;
  Type type = Type::kFile;
  std::string link_target;            // symlinks, when the listing says
  std::optional<uint64_t> size;
  std::optional<int64_t> mtime_unix;  // seconds since 1970 (UTC for MLSD; LIST times are
                                      // taken as UTC too: the server's zone is unknown)
  std::optional<uint32_t> mode;       // permission bits, e.g. 0644
  std::string owner, group;           // names or numeric ids, as listed
  std::optional<uint32_t> nlink;
  std::string perm;                   // MLSD perm fact (RFC 3659 §7.5.5), e.g. "adfrw"
  std::string unique;                 // MLSD unique fact
  // False when the line matched no known format: `name` is then the whole line, so nothing
  // the server listed is lost.
  bool parsed = true;

  bool IsDotEntry() const { return type == Type::kCurrentDir || type == Type::kParentDir; }
};

// One LIST line without its line end. nullopt for lines that carry no entry ("total 12",
// blank lines). `now_unix` resolves the year of "Mon DD HH:MM" dates: the most recent year
// that does not put the date more than a day after `now_unix` (a day of slack for servers
// that list local time ahead of UTC).
std::optional<Entry> ParseListLine(std::string_view line, int64_t now_unix);

// One MLSD line or MLST body line (the leading space of an MLST body line is allowed):
// "fact=value;fact=value; name". nullopt if the line has no "; name" / " name" shape.
std::optional<Entry> ParseMlsxLine(std::string_view line);

// A whole listing body, split at LF with an optional CR before it.
std::vector<Entry> ParseListing(std::string_view body, int64_t now_unix);
std::vector<Entry> ParseMlsd(std::string_view body);

// RFC 3659 §2.3 time-val "YYYYMMDDHHMMSS[.sss]" (UTC) as unix seconds; fractions dropped.
std::optional<int64_t> ParseTimeVal(std::string_view s);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace gw::ftp::client
