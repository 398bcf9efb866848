#include "bridge/filestore/path.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "bridge/filestore/errors.h"
#include "bridge/filestore/filestore.h"

namespace gw::filestore {
namespace {

constexpr std::string_view kPartMarker = ".part-";
constexpr size_t kRandomHexDigits = 16;
// Keep temporary names within NAME_MAX (255) whatever the target name's length.
constexpr size_t kMaxNameInTemporary = 200;

void AppendComponents(std::string_view path, std::vector<std::string_view>& out) {
  for (std::string_view part : SplitComponents(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();  // ".." at the root stays at the root
      continue;
    }
    out.push_back(part);
  }
}

uint64_t RandomU64() {
  uint64_t value = 0;
  char* p = reinterpret_cast<char*>(&value);
  size_t got = 0;
  while (got < sizeof value) {
    ssize_t n = ::getrandom(p + got, sizeof value - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // only uniqueness matters here, and O_EXCL guarantees that
    }
    got += static_cast<size_t>(n);
  }
  return value;
}

}  // namespace

absl::StatusOr<std::string> NormalizePath(std::string_view cwd, std::string_view arg,
                                          size_t max_len) {
  if (arg.find('\0') != std::string_view::npos || cwd.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("path contains a NUL byte");
  }
  if (arg.size() > max_len) {
    return absl::InvalidArgumentError(
        Cat("path too long (", arg.size(), " bytes, limit ", max_len, ")"));
  }
  std::vector<std::string_view> parts;
  if (arg.empty() || arg.front() != '/') AppendComponents(cwd, parts);
  AppendComponents(arg, parts);
  std::string result;
  for (std::string_view part : parts) {
    result.push_back('/');
    result.append(part);
  }
  if (result.empty()) result.push_back('/');
  if (result.size() > max_len) {
    return absl::InvalidArgumentError(
        Cat("path too long (", result.size(), " bytes, limit ", max_len, ")"));
  }
  return result;
}

std::vector<std::string_view> SplitComponents(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

absl::Status CheckNormalized(std::string_view path) {
  bool ok = !path.empty() && path.front() == '/' && path.find('\0') == std::string_view::npos;
  if (ok && path != "/") {
    // No empty components: no "//" and no trailing "/".
    ok = path.find("//") == std::string_view::npos && path.back() != '/';
    for (std::string_view part : SplitComponents(path)) {
      if (part == "." || part == "..") ok = false;
    }
  }
  if (!ok) return absl::InvalidArgumentError(Cat("path is not normalized: ", path));
  return absl::OkStatus();
}

std::string RelativeToRoot(std::string_view path) {
  if (path == "/") return ".";
  return std::string(path.substr(1));
}

ParentAndName SplitParent(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string parent = slash == 0 ? "/" : std::string(path.substr(0, slash));
  return {std::move(parent), std::string(path.substr(slash + 1))};
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir == "/") return Cat("/", name);
  return Cat(dir, "/", name);
}

std::string TemporaryName(std::string_view name) {
  std::string hex = Cat(absl::Hex(RandomU64(), absl::kZeroPad16));
  return Cat(".", name.substr(0, kMaxNameInTemporary), kPartMarker, hex);
}

bool IsTemporaryName(std::string_view name) {
  constexpr size_t kSuffix = kPartMarker.size() + kRandomHexDigits;
  if (name.size() < 1 + kSuffix || name.front() != '.') return false;
  std::string_view suffix = name.substr(name.size() - kSuffix);
  if (suffix.substr(0, kPartMarker.size()) != kPartMarker) return false;
  for (char c : suffix.substr(kPartMarker.size())) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) || absl::ascii_isupper(c)) {
      return false;
    }
  }
  return true;
}

}  // namespace gw::filestore
