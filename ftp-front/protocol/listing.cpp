#include "protocol/listing.h"

#include <cstdio>
#include <ctime>

namespace gw::ftp {
namespace {
std::tm Utc(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

std::string ModeString(const EntryInfo& e) {
  std::string s(10, '-');
  if (e.type == EntryInfo::Type::kDirectory) s[0] = 'd';
  else if (e.type == EntryInfo::Type::kSymlink) s[0] = 'l';
  uint32_t m = e.mode.value_or(e.type == EntryInfo::Type::kDirectory ? 0755 : 0644);
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i)
    if (m & (0400u >> i)) s[1 + i] = rwx[i];
  return s;
}

// RFC 3659 §7.5.5: perm facts for what the user may do (approximated from the mode bits).
std::string PermFact(const EntryInfo& e) {
  uint32_t m = e.mode.value_or(0644);
  bool w = m & 0200, r = m & 0400;
  if (e.type == EntryInfo::Type::kDirectory) return std::string("el") + (w ? "cmpf" : "") + (w ? "d" : "");
  return std::string(r ? "r" : "") + (w ? "awfd" : "");
}
}  // namespace

std::string FormatTimeVal(int64_t unix_seconds) {
  std::tm tm = Utc(unix_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string FormatListLine(const EntryInfo& e, int64_t now_unix) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t t = e.mtime_unix.value_or(0);
  std::tm tm = Utc(t);
  char when[48];
  // ls: times more than six months away from now show the year instead of the time.
  if (t > now_unix - 15552000 && t < now_unix + 3600)
    std::snprintf(when, sizeof when, "%s %2d %02d:%02d", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min);
  else
    std::snprintf(when, sizeof when, "%s %2d  %04d", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
  char head[160];
  std::snprintf(head, sizeof head, "%s %3u %-8s %-8s %12llu %s ", ModeString(e).c_str(), e.nlink,
                e.owner.empty() ? "ftp" : e.owner.substr(0, 32).c_str(),
                e.group.empty() ? "ftp" : e.group.substr(0, 32).c_str(),
                static_cast<unsigned long long>(e.size.value_or(0)), when);
  return head + e.name;
}

std::string FormatMlsxLine(const EntryInfo& e, bool cdir) {
  std::string out = "type=";
  if (cdir) out += "cdir";
  else if (e.type == EntryInfo::Type::kDirectory) out += "dir";
  else if (e.type == EntryInfo::Type::kFile) out += "file";
  else if (e.type == EntryInfo::Type::kSymlink) out += "OS.unix=symlink";
  else out += "OS.unix=other";
  out += ';';
  if (e.size && e.type == EntryInfo::Type::kFile) out += "size=" + std::to_string(*e.size) + ";";
  if (e.mtime_unix) out += "modify=" + FormatTimeVal(*e.mtime_unix) + ";";
  out += "perm=" + PermFact(e) + ";";
  if (e.mode) {
    char m[16];
    std::snprintf(m, sizeof m, "%04o", *e.mode);
    out += std::string("UNIX.mode=") + m + ";";
  }
  out += ' ';
  out += e.name;
  return out;
}

std::string_view StripListOptions(std::string_view arg) {
  for (;;) {
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    if (arg.size() >= 2 && arg[0] == '-' && arg[1] != ' ') {
      auto sp = arg.find(' ');
      if (sp == std::string_view::npos) return {};
      arg.remove_prefix(sp);
      continue;
    }
    return arg;
  }
}

}  // namespace gw::ftp
