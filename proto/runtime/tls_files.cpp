#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runtime/grpc_server.h"

namespace gw::rt {

absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (ss.str().size() > max_bytes)
    return absl::ResourceExhaustedError(path + " is larger than " + std::to_string(max_bytes) + " bytes");
  return ss.str();
}

std::string ReadFileOrDie(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path, std::size_t{64} << 20);
  if (!text.ok()) {
    std::fprintf(stderr, "%s\n", std::string(text.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(text);
}

}  // namespace gw::rt
