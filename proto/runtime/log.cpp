#include "runtime/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace gw::log {
namespace {
std::string g_process = "gw";
std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mu;

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\\') return true;
  return false;
}
}  // namespace

void SetProcess(std::string_view name) { g_process = std::string(name); }
void SetLevel(Level level) { g_level = level; }

bool ParseLevel(std::string_view t, Level* out) {
  if (t == "debug") *out = Level::kDebug;
  else if (t == "info") *out = Level::kInfo;
  else if (t == "warn") *out = Level::kWarn;
  else if (t == "error") *out = Level::kError;
  else return false;
  return true;
}

std::string Describe(std::exception_ptr e) {
  try {
    if (e) std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
  }
  return "unknown exception";
}

std::string Sanitize(std::string_view v, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && out.size() < max; ++i) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (v.size() > max) out += "...";
  return out;
}

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (level < g_level.load()) return;
  std::string line = "ts=" + Timestamp() + " level=" + LevelName(level) + " proc=" + g_process +
                     " event=" + std::string(event);
  for (const Field& f : fields) {
    std::string v = Sanitize(f.value);
    line += ' ';
    line += f.key;
    line += '=';
    if (NeedsQuotes(v)) {
      line += '"';
      for (char c : v) {
        if (c == '"' || c == '\\') line += '\\';
        line += c;
      }
      line += '"';
    } else {
      line += v;
    }
  }
  line += '\n';
  std::lock_guard lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace gw::log
