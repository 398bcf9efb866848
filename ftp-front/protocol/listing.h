// Directory listings as FTP clients parse them: LIST in the Unix `ls -l` form that every
// client understands, NLST names (RFC 959), MLSD/MLST facts (RFC 3659 §7), and the
// YYYYMMDDHHMMSS time of MDTM (RFC 3659 §2.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::ftp {

struct EntryInfo {
  std::string name;
  enum class Type { kFile, kDirectory, kSymlink, kOther } type = Type::kFile;
  std::optional<uint64_t> size;
  std::optional<int64_t> mtime_unix;
  std::optional<uint32_t> mode;  // permission bits
  std::string owner, group;
  uint32_t nlink = 1;
};

// One `ls -l` line without line end; `now_unix` decides between "HH:MM" and the year.
std::string FormatListLine(const EntryInfo& e, int64_t now_unix);
// One MLSD/MLST fact line without line end: "type=file;size=3;modify=...;perm=...; name".
// `cdir` marks the listed directory itself (type=cdir).
std::string FormatMlsxLine(const EntryInfo& e, bool cdir = false);
// "YYYYMMDDHHMMSS" in UTC.
std::string FormatTimeVal(int64_t unix_seconds);

// A path argument may carry `ls` options ("-la", "-a dir"): returns the path part.
std::string_view StripListOptions(std::string_view arg);

}  // namespace gw::ftp
