#include "protocol/reply.h"

namespace gw::ftp {
namespace {
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
  return out;
}
}  // namespace

std::string FormatReply(int code, std::string_view text) {
  return std::to_string(code) + " " + OneLine(text) + "\r\n";
}

std::string FormatMultiline(int code, std::string_view first, const std::vector<std::string>& body,
                            std::string_view last) {
  std::string out = std::to_string(code) + "-" + OneLine(first) + "\r\n";
  for (const auto& line : body) {
    out += ' ';  // RFC 959 §4.2: body lines must not look like a reply code
    out += OneLine(line);
    out += "\r\n";
  }
  out += std::to_string(code) + " " + OneLine(last) + "\r\n";
  return out;
}

std::string QuotePath(std::string_view path) {
  std::string out = "\"";
  for (char c : path) {
    if (c == '"') out += '"';
    out += (c == '\r' || c == '\n') ? ' ' : c;
  }
  return out + "\"";
}

}  // namespace gw::ftp
