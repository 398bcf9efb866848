#pragma once

#include <string>

#include "runtime/util.h"

namespace gw::bridge {

// A random session id (16 hex digits), unless the front chose one.
inline std::string NewSessionId() { return rt::RandomHex(8); }

}  // namespace gw::bridge
