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
// The MLST facts a client selected with OPTS MLST (RFC 3659 §7.9); all of them by default.
struct MlstFacts {
  bool type = true, size = true, modify = true, perm = true, unix_mode = true;
  // "type;size;" for OPTS MLST replies and, with `star`, "type*;size*;modify;..." for FEAT.
  std::string Describe(bool star) const;
  // Selects exactly the facts named in `list` ("type;size;", any case, unknown names
  // ignored, empty selects none).
  static MlstFacts Parse(std::string_view list);
};

// One MLSD/MLST fact line without line end: "type=file;size=3;modify=...;perm=...; name".
// `cdir` marks the listed directory itself (type=cdir).
std::string FormatMlsxLine(const EntryInfo& e, bool cdir = false, const MlstFacts& facts = {});

// Wildcards in the last component of a LIST/NLST path, as Unix FTP servers expand them:
// `*`, `?` and `[...]`. Splits "dir/*.txt" into {"dir", "*.txt"}; nullopt without a wildcard
// in the last component.
struct GlobPath {
  std::string dir;      // "" for the current directory
  std::string pattern;  // the last component
};
std::optional<GlobPath> SplitGlob(std::string_view path);
// fnmatch(3) rules, a leading dot only matched by a leading dot.
bool GlobMatch(std::string_view pattern, std::string_view name);
// "YYYYMMDDHHMMSS" in UTC.
std::string FormatTimeVal(int64_t unix_seconds);

// A path argument may carry `ls` options ("-la", "-a dir"): returns the path part.
std::string_view StripListOptions(std::string_view arg);

}  // namespace gw::ftp
