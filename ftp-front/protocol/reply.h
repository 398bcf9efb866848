// RFC 959 §4.2 replies: "ddd text" or a multi-line "ddd-first ... ddd last" block.
// Texts from elsewhere (a far server, a file name) are made safe: no CR/LF can break out
// of a line, and a multi-line body line starting with digits is indented.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gw::ftp {

std::string FormatReply(int code, std::string_view text);
std::string FormatMultiline(int code, std::string_view first, const std::vector<std::string>& body,
                            std::string_view last);
// RFC 959 §4.1.1 and RFC 3659: a path in a 257 reply, with '"' doubled.
std::string QuotePath(std::string_view path);

}  // namespace gw::ftp
