#include "mapping/text_convert.h"

#include <cstring>

namespace gw::bridge {

void AppendLfToCrlf(std::string_view in, std::string& out) {
  out.reserve(out.size() + in.size() + in.size() / 32);
  std::size_t start = 0;
  while (start < in.size()) {
    const void* p = std::memchr(in.data() + start, '\n', in.size() - start);
    if (!p) {
      out.append(in.substr(start));
      break;
    }
    std::size_t pos = static_cast<const char*>(p) - in.data();
    out.append(in.substr(start, pos - start));
    out.append("\r\n");
    start = pos + 1;
  }
}

void CrlfToLf::Append(std::string_view in, std::string& out) {
  out.reserve(out.size() + in.size());
  for (char c : in) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (c == '\n') {
        out.push_back('\n');
        continue;
      }
      out.push_back('\r');
    }
    if (c == '\r') {
      pending_cr_ = true;
      continue;
    }
    out.push_back(c);
  }
}

void CrlfToLf::Finish(std::string& out) {
  if (pending_cr_) out.push_back('\r');
  pending_cr_ = false;
}

}  // namespace gw::bridge

namespace gw::bridge {

void TextSniffer::Append(std::string_view chunk) {
  if (!text_) return;
  for (unsigned char c : chunk) {
    if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') continue;
    text_ = false;
    return;
  }
}

}  // namespace gw::bridge
