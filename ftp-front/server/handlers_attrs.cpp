// Commands that change a file's attributes: MFMT (draft-somers-ftp-mfxx), SITE CHMOD and
// SITE UTIME (the forms proftpd's mod_site_misc, lftp and other clients use). All become
// the neutral SetAttributes operation.
#include <string>
#include <string_view>
#include <vector>

#include "client/listing_parser.h"
#include "protocol/listing.h"
#include "server/session.h"

namespace gw::ftp {
namespace v1 = gateway::v1;
using asio::awaitable;

namespace {

// YYYYMMDDhhmmss[.fraction] (or YYYYMMDDhhmm with `short_form`), a real UTC date.
std::optional<int64_t> ParseTime(std::string_view s, bool short_form) {
  std::string digits(s.substr(0, std::min<std::size_t>(s.size(), 14)));
  if (short_form && s.size() == 12) digits = std::string(s) + "00";
  else if (s.size() < 14) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  auto t = client::ParseTimeVal(short_form && s.size() == 12 ? std::string_view(digits) : s);
  // ParseTimeVal takes February 31 as March 3: a date that does not exist is refused.
  if (!t || *t < 0 || FormatTimeVal(*t) != digits) return std::nullopt;
  return t;
}

bool IsTime(std::string_view s) { return ParseTime(s, true).has_value(); }

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    auto b = s.find_first_not_of(' ');
    if (b == std::string_view::npos) break;
    s.remove_prefix(b);
    auto e = s.find(' ');
    out.push_back(s.substr(0, e));
    if (e == std::string_view::npos) break;
    s.remove_prefix(e);
  }
  return out;
}

}  // namespace

// One SetAttributes call; replies the failure itself (nullopt) or gives the result.
awaitable<std::optional<v1::OperationResult>> FtpSession::SetAttributes(std::string path, std::optional<uint32_t> mode,
                                                                       std::optional<int64_t> mtime) {
  v1::Operation op;
  auto* sa = op.mutable_set_attributes();
  sa->set_path(std::move(path));
  if (mode) sa->set_permissions(*mode);
  if (mtime) sa->set_mtime_unix(*mtime);
  auto r = co_await Call(std::move(op));
  if (!r) {
    co_await BridgeLost();
    co_return std::nullopt;
  }
  if (r->result().code() == v1::STATUS_OK) co_return r;
  bool far_said = false;
  for (const auto& o : r->result().origin()) far_said |= o.has_ftp();
  // A bad parameter is a syntax error in the arguments (501) unless the far server said
  // otherwise; everything else in the usual terms, 550 when nothing fits better.
  if (!far_said && r->result().code() == v1::STATUS_INVALID_ARGUMENT) {
    std::string text = r->result().message().empty() ? "Invalid parameter" : r->result().message();
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    if (text.back() != '.') text += '.';
    co_await Reply(501, text);
    co_return std::nullopt;
  }
  co_await ReplyFailure(r->result(), 550);
  co_return std::nullopt;
}

awaitable<void> FtpSession::Mfmt(std::string arg) {
  std::string_view a = arg;
  auto sp = a.find(' ');
  std::optional<int64_t> t = sp == std::string_view::npos ? std::nullopt : ParseTime(a.substr(0, sp), false);
  std::string_view path = sp == std::string_view::npos ? std::string_view() : a.substr(sp + 1);
  if (!t || path.empty()) {
    co_await Reply(501, "MFMT takes a time YYYYMMDDHHMMSS (UTC) and a path.");
    co_return;
  }
  auto r = co_await SetAttributes(std::string(path), std::nullopt, *t);
  if (!r) co_return;
  co_await Reply(213, "Modify=" + FormatTimeVal(*t) + "; " + std::string(path));
}

awaitable<void> FtpSession::SiteChmod(std::string_view params) {
  auto sp = params.find(' ');
  std::string_view mode_text = params.substr(0, sp);
  std::string_view path = sp == std::string_view::npos ? std::string_view() : params.substr(sp + 1);
  while (!path.empty() && path.front() == ' ') path.remove_prefix(1);
  bool ok = !mode_text.empty() && mode_text.size() <= 4 && !path.empty();
  uint32_t mode = 0;
  for (char c : mode_text) {
    if (c < '0' || c > '7') ok = false;
    else mode = mode * 8 + static_cast<uint32_t>(c - '0');
  }
  if (!ok) {
    co_await Reply(501, "SITE CHMOD takes octal permission bits and a path, e.g. SITE CHMOD 644 file.");
    co_return;
  }
  auto r = co_await SetAttributes(std::string(path), mode, std::nullopt);
  if (!r) co_return;
  co_await Reply(200, "SITE CHMOD command successful.");
}

awaitable<void> FtpSession::SiteUtime(std::string_view params) {
  // Two forms: SITE UTIME <mtime> <path>, and SITE UTIME <path> <time>... [UTC] with one
  // (mtime), two (atime mtime) or three (atime mtime ctime) times, as lftp sends it.
  // Times are UTC; only the modification time is set.
  std::vector<std::string_view> words = Words(params);
  std::optional<int64_t> mtime;
  std::string path;
  auto join = [&](std::size_t from, std::size_t to) {
    // The path as given, spaces included: from the first word's start to the last's end.
    const char* b = words[from].data();
    const char* e = words[to - 1].data() + words[to - 1].size();
    return std::string(b, static_cast<std::size_t>(e - b));
  };
  if (words.size() >= 2 && IsTime(words[0]) && !IsTime(words.back())) {
    mtime = ParseTime(words[0], true);
    path = join(1, words.size());
  } else {
    std::size_t end = words.size();
    if (end > 0 && (words[end - 1] == "UTC" || words[end - 1] == "utc")) --end;
    std::size_t times = 0;
    while (times < 3 && end > times + 1 && IsTime(words[end - 1 - times])) ++times;
    if (times > 0) {
      std::size_t first = end - times;
      mtime = ParseTime(words[times == 1 ? first : first + 1], true);
      path = join(0, first);
    }
  }
  if (!mtime || path.empty()) {
    co_await Reply(501, "SITE UTIME takes a path and YYYYMMDDhhmmss times (UTC): SITE UTIME <time> <path>, or "
                        "SITE UTIME <path> <atime> <mtime> <ctime> UTC.");
    co_return;
  }
  auto r = co_await SetAttributes(path, std::nullopt, *mtime);
  if (!r) co_return;
  co_await Reply(200, "SITE UTIME: modification time of " + path + " set to " + FormatTimeVal(*mtime) + " UTC.");
}

}  // namespace gw::ftp
