#pragma once

#include <string>

#include <openssl/rand.h>

namespace gw::bridge {

// A random session id (16 hex digits), unless the front chose one.
inline std::string NewSessionId() {
  unsigned char raw[8];
  RAND_bytes(raw, sizeof raw);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

}  // namespace gw::bridge
