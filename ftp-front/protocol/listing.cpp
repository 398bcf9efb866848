#include "protocol/listing.h"

#include <fnmatch.h>

#include <cctype>
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

std::string MlstFacts::Describe(bool star) const {
  std::string out;
  auto add = [&](bool on, const char* name) {
    if (star) out += std::string(name) + (on ? "*;" : ";");
    else if (on) out += std::string(name) + ";";
  };
  add(type, "type");
  add(size, "size");
  add(modify, "modify");
  add(perm, "perm");
  add(unix_mode, "UNIX.mode");
  return out;
}

MlstFacts MlstFacts::Parse(std::string_view list) {
  MlstFacts f{false, false, false, false, false};
  while (!list.empty()) {
    auto semi = list.find(';');
    std::string name(list.substr(0, semi));
    list.remove_prefix(semi == std::string_view::npos ? list.size() : semi + 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "type") f.type = true;
    else if (name == "size") f.size = true;
    else if (name == "modify") f.modify = true;
    else if (name == "perm") f.perm = true;
    else if (name == "unix.mode") f.unix_mode = true;
  }
  return f;
}

std::string FormatMlsxLine(const EntryInfo& e, bool cdir, const MlstFacts& facts) {
  std::string out;
  if (facts.type) {
    out += "type=";
    if (cdir) out += "cdir";
    else if (e.type == EntryInfo::Type::kDirectory) out += "dir";
    else if (e.type == EntryInfo::Type::kFile) out += "file";
    else if (e.type == EntryInfo::Type::kSymlink) out += "OS.unix=symlink";
    else out += "OS.unix=other";
    out += ';';
  }
  if (facts.size && e.size && e.type == EntryInfo::Type::kFile) out += "size=" + std::to_string(*e.size) + ";";
  if (facts.modify && e.mtime_unix) out += "modify=" + FormatTimeVal(*e.mtime_unix) + ";";
  if (facts.perm) out += "perm=" + PermFact(e) + ";";
  if (facts.unix_mode && e.mode) {
    char m[16];
    std::snprintf(m, sizeof m, "%04o", *e.mode);
    out += std::string("UNIX.mode=") + m + ";";
  }
  out += ' ';
  out += e.name;
  return out;
}

std::optional<GlobPath> SplitGlob(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (last.find_first_of("*?[") == std::string_view::npos) return std::nullopt;
  GlobPath g;
  g.pattern = std::string(last);
  if (slash != std::string_view::npos) g.dir = std::string(slash == 0 ? "/" : path.substr(0, slash));
  return g;
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  return fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), FNM_PERIOD) == 0;
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
