#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runtime/grpc_server.h"

namespace gw::rt {

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace gw::rt
