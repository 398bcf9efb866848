// Structured logs: one logfmt line per event on stderr, e.g.
//   ts=2026-11-22T03:20:00.123Z level=info proc=bridge event=session.open session=ab12 peer=...
// Callers never pass secrets: there is no field for a password, and Field values are quoted.
#pragma once

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>

namespace gw::log {

enum class Level { kDebug, kInfo, kWarn, kError };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v ? v : "") {}
  Field(std::string_view k, int64_t v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, uint64_t v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, double v) : key(k), value(std::to_string(v)) {}
  std::string_view key;
  std::string value;
};

void SetProcess(std::string_view name);
void SetLevel(Level level);
bool ParseLevel(std::string_view text, Level* out);
void Write(Level level, std::string_view event, std::initializer_list<Field> fields);

inline void Debug(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kDebug, e, f); }
inline void Info(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kInfo, e, f); }
inline void Warn(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kWarn, e, f); }
inline void Error(std::string_view e, std::initializer_list<Field> f = {}) { Write(Level::kError, e, f); }

// Renders a value for a log line: printable ASCII kept, everything else escaped, long
// values cut, so a hostile peer cannot forge log lines.
std::string Sanitize(std::string_view v, std::size_t max = 200);

// What a caught exception says (its what(), or "unknown exception"), for a log line.
std::string Describe(std::exception_ptr e);

}  // namespace gw::log
