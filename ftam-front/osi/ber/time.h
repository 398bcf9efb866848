// GeneralizedTime and UTCTime (X.680 §46, §47), leniently parsed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gw::osi::ber {

struct Time {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int millis = 0;
  bool utc = false;        // 'Z' or an offset was given
  int offset_minutes = 0;  // +hhmm / -hhmm
  std::string raw;         // exactly as received; re-encoded verbatim when set

  // "2026-11-22T01:28:04Z"
  std::string ToIso8601() const;
  // Encodes "YYYYMMDDHHMMSSZ" (GeneralizedTime) or "YYMMDDHHMMSSZ" (UTCTime) unless raw is set.
  std::string ToGeneralized() const;
  std::string ToUtc() const;
};

// Accepts YYYYMMDDHH[MM[SS[.f*]]][Z|±hhmm]. A year below 1000 is taken as an offset from
// 1900, which is how ISODE writes 2026 ("0126...", its year-2000 bug).
std::optional<Time> ParseGeneralizedTime(std::string_view s);
// Accepts YYMMDDhhmm[ss][Z|±hhmm]; years 00-49 are 20xx. ISODE's three-digit year
// ("1261122012838Z") is also accepted and means 1900+126.
std::optional<Time> ParseUtcTime(std::string_view s);

}  // namespace gw::osi::ber
