#include "osi/ber/time.h"

#include <cstdio>

namespace gw::osi::ber {
namespace {

bool Digits(std::string_view s, size_t n, int* out) {
  if (s.size() < n) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Parses MMDDHH[MM[SS[.fff]]][Z|±hhmm] after the year.
bool ParseRest(std::string_view s, Time* t) {
  if (!Digits(s, 2, &t->month) || !Digits(s.substr(2), 2, &t->day) ||
      !Digits(s.substr(4), 2, &t->hour))
    return false;
  s.remove_prefix(6);
  if (Digits(s, 2, &t->minute)) {
    s.remove_prefix(2);
    if (Digits(s, 2, &t->second)) s.remove_prefix(2);
  }
  if (!s.empty() && (s[0] == '.' || s[0] == ',')) {
    s.remove_prefix(1);
    int scale = 100;
    while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
      t->millis += (s[0] - '0') * scale;
      scale /= 10;
      s.remove_prefix(1);
    }
  }
  if (!s.empty() && s[0] == 'Z') {
    t->utc = true;
    s.remove_prefix(1);
  } else if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    int hh = 0, mm = 0;
    if (!Digits(s.substr(1), 2, &hh)) return false;
    Digits(s.substr(3), 2, &mm);
    t->utc = true;
    t->offset_minutes = (s[0] == '-' ? -1 : 1) * (hh * 60 + mm);
    s = {};
  }
  if (!s.empty()) return false;
  return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= 31 && t->hour <= 24 &&
         t->minute <= 59 && t->second <= 60;
}

}  // namespace

std::optional<Time> ParseGeneralizedTime(std::string_view s) {
  Time t;
  t.raw = std::string(s);
  if (!Digits(s, 4, &t.year)) return std::nullopt;
  if (t.year < 1000) t.year += 1900;  // ISODE year-2000 bug, notes §12.14
  if (!ParseRest(s.substr(4), &t)) return std::nullopt;
  return t;
}

std::optional<Time> ParseUtcTime(std::string_view s) {
  Time t;
  t.raw = std::string(s);
  // ISODE's three-digit year: the string is one digit longer than a two-digit-year form.
  int y = 0;
  size_t ylen = 2;
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 11 || digits == 13) ylen = 3;
  if (!Digits(s, ylen, &y)) return std::nullopt;
  t.year = ylen == 3 ? 1900 + y : (y < 50 ? 2000 + y : 1900 + y);
  if (!ParseRest(s.substr(ylen), &t)) return std::nullopt;
  return t;
}

std::string Time::ToIso8601() const {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", year, month, day, hour,
                minute, second, utc && offset_minutes == 0 ? "Z" : "");
  return buf;
}

std::string Time::ToGeneralized() const {
  if (!raw.empty()) return raw;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", year % 10000, month % 100,
                day % 100, hour % 100, minute % 100, second % 100);
  return buf;
}

std::string Time::ToUtc() const {
  if (!raw.empty()) return raw;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02dZ", year % 100, month % 100,
                day % 100, hour % 100, minute % 100, second % 100);
  return buf;
}

}  // namespace gw::osi::ber
