#include "client/listing_parser.h"

#include <array>
#include <cctype>

namespace gw::ftp::client {
namespace {

constexpr int64_t kDay = 86400;

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Decimal digits only, no sign; nullopt on overflow.
std::optional<uint64_t> ParseU64(std::string_view s) {
  if (!IsDigits(s)) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

std::optional<uint32_t> ParseSmall(std::string_view s, uint32_t max) {
  if (s.size() > 10) return std::nullopt;
  auto v = ParseU64(s);
  if (!v || *v > max) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint32_t> ParseOctal(std::string_view s) {
  if (s.empty() || s.size() > 7) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '7') return std::nullopt;
    v = v * 8 + static_cast<uint32_t>(c - '0');
  }
  return v & 07777;
}

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

int64_t MakeTime(int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second) {
  return DaysFromCivil(year, month, day) * kDay + hour * 3600 + minute * 60 + second;
}

int64_t YearOf(int64_t unix_seconds) {
  // Inverse of DaysFromCivil for the year only (H. Hinnant's civil_from_days).
  int64_t z = (unix_seconds >= 0 ? unix_seconds / kDay : (unix_seconds - kDay + 1) / kDay) + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

Entry::Type DotType(std::string_view name, Entry::Type t) {
  if (name == ".") return Entry::Type::kCurrentDir;
  if (name == "..") return Entry::Type::kParentDir;
  return t;
}

// ---- Unix ls -l ----------------------------------------------------------------------

struct Token {
  std::size_t begin, end;
};

std::vector<Token> Tokenize(std::string_view line, std::size_t max_tokens) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < line.size() && out.size() < max_tokens) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    std::size_t b = i;
    while (i < line.size() && line[i] != ' ') ++i;
    out.push_back({b, i});
  }
  return out;
}

std::optional<unsigned> MonthNumber(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() != 3) return std::nullopt;
  for (unsigned i = 0; i < kMonths.size(); ++i)
    if (IEquals(s, kMonths[i])) return i + 1;
  return std::nullopt;
}

// "HH:MM" (or "H:MM").
bool ParseClock(std::string_view s, unsigned& hour, unsigned& minute) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() - colon - 1 != 2) return false;
  auto h = ParseSmall(s.substr(0, colon), 23);
  auto m = ParseSmall(s.substr(colon + 1), 59);
  if (!h || !m) return false;
  hour = *h;
  minute = *m;
  return true;
}

bool ValidPermChars(std::string_view p) {
  static constexpr std::string_view kTypes = "-dlcbpsDn?";
  if (p.size() < 10 || kTypes.find(p[0]) == std::string_view::npos) return false;
  for (std::size_t i = 1; i < 10; ++i)
    if (std::string_view("-rwxsStTlL?").find(p[i]) == std::string_view::npos) return false;
  return true;
}

uint32_t ModeFromPerms(std::string_view p) {
  uint32_t mode = 0;
  for (int who = 0; who < 3; ++who) {
    std::string_view t = p.substr(1 + who * 3, 3);
    uint32_t shift = static_cast<uint32_t>(6 - who * 3);
    if (t[0] == 'r') mode |= 4u << shift;
    if (t[1] == 'w') mode |= 2u << shift;
    char x = t[2];
    if (x == 'x' || x == 's' || x == 't') mode |= 1u << shift;
    if (x == 's' || x == 'S') mode |= who == 0 ? 04000u : who == 1 ? 02000u : 0u;
    if (x == 't' || x == 'T') mode |= who == 2 ? 01000u : 0u;
  }
  return mode;
}

std::optional<Entry> ParseUnix(std::string_view line, int64_t now) {
  auto tok = Tokenize(line, 12);
  if (tok.size() < 6) return std::nullopt;
  auto text = [&](std::size_t i) { return line.substr(tok[i].begin, tok[i].end - tok[i].begin); };
  std::string_view perms = text(0);
  if (!ValidPermChars(perms)) return std::nullopt;

  // The date: "Mon DD HH:MM", "Mon DD YYYY", or "YYYY-MM-DD HH:MM"; the token before it is the
  // size (or "major, minor" of a device).
  for (std::size_t i = 2; i + 1 < tok.size(); ++i) {
    int64_t when = 0;
    std::size_t last = 0;  // token index that ends the date
    if (auto month = MonthNumber(text(i)); month && i + 2 < tok.size()) {
      auto day = ParseSmall(text(i + 1), 31);
      if (!day || *day == 0) continue;
      unsigned hour = 0, minute = 0;
      if (ParseClock(text(i + 2), hour, minute)) {
        int64_t year = YearOf(now);
        when = MakeTime(year, *month, *day, hour, minute, 0);
        if (when > now + kDay) when = MakeTime(year - 1, *month, *day, hour, minute, 0);
      } else if (auto year = ParseSmall(text(i + 2), 9999); year && text(i + 2).size() == 4) {
        when = MakeTime(*year, *month, *day, 0, 0, 0);
      } else {
        continue;
      }
      last = i + 2;
    } else if (std::string_view d = text(i); d.size() == 10 && d[4] == '-' && d[7] == '-') {
      auto y = ParseSmall(d.substr(0, 4), 9999);
      auto mo = ParseSmall(d.substr(5, 2), 12);
      auto dd = ParseSmall(d.substr(8, 2), 31);
      unsigned hour = 0, minute = 0;
      if (!y || !mo || !dd || *mo == 0 || *dd == 0 || !ParseClock(text(i + 1), hour, minute)) continue;
      when = MakeTime(*y, *mo, *dd, hour, minute, 0);
      last = i + 1;
    } else {
      continue;
    }
    std::size_t size_index = i - 1;
    std::string_view size_text = text(size_index);
    Entry e;
    bool device = perms[0] == 'c' || perms[0] == 'b';
    std::size_t fields_end = size_index;
    if (device && size_index >= 2 && text(size_index - 1).ends_with(',')) {
      fields_end = size_index - 1;  // "1, 3"
      if (!IsDigits(size_text)) continue;
    } else if (device && size_text.find(',') != std::string_view::npos) {
      // "1,3"
    } else if (auto size = ParseU64(size_text)) {
      e.size = size;
    } else {
      continue;
    }
    // Between the permissions and the size: [nlink] owner [group].
    std::size_t f = 1;
    if (f < fields_end && IsDigits(text(f))) e.nlink = ParseSmall(text(f++), UINT32_MAX);
    if (f < fields_end) e.owner = std::string(text(f++));
    if (f < fields_end) e.group = std::string(text(f++));

    // The name starts one space after the date (names may begin with or hold spaces).
    std::size_t name_at = tok[last].end + 1;
    if (name_at >= line.size()) return std::nullopt;
    std::string_view name = line.substr(name_at);
    switch (perms[0]) {
      case '-': e.type = Entry::Type::kFile; break;
      case 'd': e.type = Entry::Type::kDirectory; break;
      case 'l': e.type = Entry::Type::kSymlink; break;
      default: e.type = Entry::Type::kOther; break;
    }
    if (e.type == Entry::Type::kSymlink) {
      if (auto arrow = name.find(" -> "); arrow != std::string_view::npos && arrow > 0) {
        e.link_target = std::string(name.substr(arrow + 4));
        name = name.substr(0, arrow);
      }
    }
    e.name = std::string(name);
    e.type = DotType(e.name, e.type);
    e.mode = ModeFromPerms(perms);
    e.mtime_unix = when;
    return e;
  }
  return std::nullopt;
}

// ---- DOS / IIS: "11-22-26  03:04PM  <DIR>  name" --------------------------------------

std::optional<Entry> ParseDos(std::string_view line) {
  auto tok = Tokenize(line, 3);
  if (tok.size() < 3) return std::nullopt;
  auto text = [&](std::size_t i) { return line.substr(tok[i].begin, tok[i].end - tok[i].begin); };
  std::string_view date = text(0);
  if (date.size() != 8 && date.size() != 10) return std::nullopt;
  char sep = date[2];
  if ((sep != '-' && sep != '/') || date[5] != sep) return std::nullopt;
  auto mo = ParseSmall(date.substr(0, 2), 12);
  auto dd = ParseSmall(date.substr(3, 2), 31);
  auto yy = ParseSmall(date.substr(6), 9999);
  if (!mo || !dd || !yy || *mo == 0 || *dd == 0) return std::nullopt;
  int64_t year = *yy;
  if (date.size() == 8) year += year < 70 ? 2000 : 1900;

  std::string_view clock = text(1);
  bool pm = false, am = false;
  if (clock.size() > 2 && (IEquals(clock.substr(clock.size() - 2), "PM") || IEquals(clock.substr(clock.size() - 2), "AM"))) {
    pm = Lower(clock[clock.size() - 2]) == 'p';
    am = !pm;
    clock.remove_suffix(2);
  }
  unsigned hour = 0, minute = 0;
  if (!ParseClock(clock, hour, minute)) return std::nullopt;
  if (am || pm) {
    if (hour == 0 || hour > 12) return std::nullopt;
    hour = hour % 12 + (pm ? 12 : 0);
  }
  Entry e;
  std::string_view what = text(2);
  if (IEquals(what, "<DIR>")) {
    e.type = Entry::Type::kDirectory;
  } else {
    std::string digits;
    for (char c : what)
      if (c != ',') digits += c;
    auto size = ParseU64(digits);
    if (!size) return std::nullopt;
    e.size = size;
  }
  std::size_t i = tok[2].end;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size()) return std::nullopt;
  e.name = std::string(line.substr(i));
  e.type = DotType(e.name, e.type);
  e.mtime_unix = MakeTime(year, *mo, *dd, hour, minute, 0);
  return e;
}

// "       1234 name": a size and a name (some DOS-style servers list files so).
std::optional<Entry> ParseSizeName(std::string_view line) {
  auto tok = Tokenize(line, 2);
  if (tok.size() < 2) return std::nullopt;
  auto size = ParseU64(line.substr(tok[0].begin, tok[0].end - tok[0].begin));
  if (!size) return std::nullopt;
  Entry e;
  e.size = size;
  e.name = std::string(line.substr(tok[1].begin));
  return e;
}

// ---- EPLF: "+i8388621.29609,m824255902,/,\tdev" --------------------------------------

std::optional<Entry> ParseEplf(std::string_view line) {
  if (line.size() < 3 || line[0] != '+') return std::nullopt;
  auto tab = line.find('\t');
  if (tab == std::string_view::npos || tab + 1 >= line.size()) return std::nullopt;
  Entry e;
  e.type = Entry::Type::kOther;
  std::string_view facts = line.substr(1, tab - 1);
  while (!facts.empty()) {
    auto comma = facts.find(',');
    std::string_view f = facts.substr(0, comma);
    facts = comma == std::string_view::npos ? std::string_view() : facts.substr(comma + 1);
    if (f.empty()) continue;
    switch (f[0]) {
      case '/': e.type = Entry::Type::kDirectory; break;
      case 'r':
        if (e.type != Entry::Type::kDirectory) e.type = Entry::Type::kFile;
        break;
      case 's': e.size = ParseU64(f.substr(1)); break;
      case 'm':
        if (auto m = ParseU64(f.substr(1)); m && *m < (uint64_t{1} << 40)) e.mtime_unix = static_cast<int64_t>(*m);
        break;
      case 'i': e.unique = std::string(f.substr(1)); break;
      case 'u':
        if (f.size() > 1 && f[1] == 'p') e.mode = ParseOctal(f.substr(2));
        break;
      default: break;
    }
  }
  e.name = std::string(line.substr(tab + 1));
  e.type = DotType(e.name, e.type);
  return e;
}

std::vector<std::string_view> SplitLines(std::string_view body) {
  std::vector<std::string_view> out;
  while (!body.empty()) {
    auto lf = body.find('\n');
    std::string_view line = body.substr(0, lf);
    body = lf == std::string_view::npos ? std::string_view() : body.substr(lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
  }
  return out;
}

Entry Unparsed(std::string_view line) {
  Entry e;
  e.name = std::string(line);
  e.type = Entry::Type::kOther;
  e.parsed = false;
  return e;
}

}  // namespace

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  // H. Hinnant's days_from_civil.
  year -= month <= 2 ? 1 : 0;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t yoe = year - era * 400;
  int64_t mp = month > 2 ? month - 3 : month + 9;
  int64_t doy = (153 * mp + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<int64_t> ParseTimeVal(std::string_view s) {
  if (s.size() < 14) return std::nullopt;
  std::string_view frac = s.substr(14);
  if (!frac.empty() && (frac[0] != '.' || frac.size() < 2 || !IsDigits(frac.substr(1)))) return std::nullopt;
  auto y = ParseSmall(s.substr(0, 4), 9999);
  auto mo = ParseSmall(s.substr(4, 2), 12);
  auto d = ParseSmall(s.substr(6, 2), 31);
  auto h = ParseSmall(s.substr(8, 2), 23);
  auto mi = ParseSmall(s.substr(10, 2), 59);
  auto se = ParseSmall(s.substr(12, 2), 60);  // a leap second
  if (!y || !mo || !d || !h || !mi || !se || *mo == 0 || *d == 0) return std::nullopt;
  return MakeTime(*y, *mo, *d, *h, *mi, *se);
}

std::optional<Entry> ParseListLine(std::string_view line, int64_t now_unix) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
  if (IStartsWith(line, "total ") && IsDigits(line.substr(6))) return std::nullopt;
  if (auto e = ParseUnix(line, now_unix)) return e;
  if (auto e = ParseDos(line)) return e;
  if (auto e = ParseEplf(line)) return e;
  if (auto e = ParseSizeName(line)) return e;
  return Unparsed(line);
}

std::optional<Entry> ParseMlsxLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // An MLST body line starts with one space (RFC 3659 §7.2); an MLSD line with no facts is
  // " name" as well, so the space is dropped only when facts follow it.
  if (line.size() > 1 && line[0] == ' ' && line[1] != ' ') {
    auto sp = line.find(' ', 1);
    if (sp != std::string_view::npos && line.substr(1, sp - 1).find('=') != std::string_view::npos) line.remove_prefix(1);
  }
  auto sp = line.find(' ');
  if (sp == std::string_view::npos || sp + 1 >= line.size()) return std::nullopt;
  std::string_view facts = line.substr(0, sp);
  Entry e;
  e.name = std::string(line.substr(sp + 1));
  std::string owner_id, owner_name, group_id, group_name;
  while (!facts.empty()) {
    auto semi = facts.find(';');
    std::string_view f = facts.substr(0, semi);
    facts = semi == std::string_view::npos ? std::string_view() : facts.substr(semi + 1);
    auto eq = f.find('=');
    if (eq == std::string_view::npos) {
      if (f.empty()) continue;
      return std::nullopt;  // not a fact list
    }
    std::string_view key = f.substr(0, eq), value = f.substr(eq + 1);
    if (IEquals(key, "type")) {
      if (IEquals(value, "file")) e.type = Entry::Type::kFile;
      else if (IEquals(value, "dir")) e.type = Entry::Type::kDirectory;
      else if (IEquals(value, "cdir")) e.type = Entry::Type::kCurrentDir;
      else if (IEquals(value, "pdir")) e.type = Entry::Type::kParentDir;
      else if (IStartsWith(value, "OS.unix=slink") || IStartsWith(value, "OS.unix=symlink")) {
        e.type = Entry::Type::kSymlink;
        if (auto colon = value.find(':'); colon != std::string_view::npos) e.link_target = std::string(value.substr(colon + 1));
      } else {
        e.type = Entry::Type::kOther;
      }
    } else if (IEquals(key, "size")) {
      e.size = ParseU64(value);
    } else if (IEquals(key, "sizd")) {
      if (!e.size) e.size = ParseU64(value);
    } else if (IEquals(key, "modify")) {
      e.mtime_unix = ParseTimeVal(value);
    } else if (IEquals(key, "perm")) {
      e.perm = std::string(value);
    } else if (IEquals(key, "unique")) {
      e.unique = std::string(value);
    } else if (IEquals(key, "UNIX.mode")) {
      e.mode = ParseOctal(value);
    } else if (IEquals(key, "UNIX.owner") || IEquals(key, "UNIX.uid")) {
      owner_id = std::string(value);
    } else if (IEquals(key, "UNIX.ownername")) {
      owner_name = std::string(value);
    } else if (IEquals(key, "UNIX.group") || IEquals(key, "UNIX.gid")) {
      group_id = std::string(value);
    } else if (IEquals(key, "UNIX.groupname")) {
      group_name = std::string(value);
    }
  }
  e.owner = owner_name.empty() ? owner_id : owner_name;
  e.group = group_name.empty() ? group_id : group_name;
  return e;
}

std::vector<Entry> ParseListing(std::string_view body, int64_t now_unix) {
  std::vector<Entry> out;
  for (std::string_view line : SplitLines(body))
    if (auto e = ParseListLine(line, now_unix)) out.push_back(std::move(*e));
  return out;
}

std::vector<Entry> ParseMlsd(std::string_view body) {
  std::vector<Entry> out;
  for (std::string_view line : SplitLines(body)) {
    if (line.empty()) continue;
    if (auto e = ParseMlsxLine(line)) out.push_back(std::move(*e));
    else out.push_back(Unparsed(line));
  }
  return out;
}

}  // namespace gw::ftp::client
