#include "protocol/command.h"

#include <cctype>

namespace gw::ftp {

std::optional<Command> ParseCommand(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\0')) line.remove_suffix(1);
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;  // tolerate leading spaces
  std::size_t start = i;
  while (i < line.size() && std::isalpha(static_cast<unsigned char>(line[i]))) ++i;
  std::size_t len = i - start;
  if (len < 3 || len > 4) return std::nullopt;
  if (i < line.size() && line[i] != ' ') return std::nullopt;
  Command c;
  c.verb.reserve(len);
  for (std::size_t k = start; k < i; ++k)
    c.verb.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(line[k]))));
  if (i < line.size()) c.arg = std::string(line.substr(i + 1));
  return c;
}

void LineReader::Feed(std::string_view bytes) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  // Telnet (RFC 854): IAC IAC is a data 0xFF; IAC WILL/WONT/DO/DONT take one option byte;
  // any other IAC x (IP, DM, AO, ...) is a command that is dropped here.
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (telnet_) {
      case Telnet::kData:
        if (c == 0xFF) telnet_ = Telnet::kIac;
        else buf_.push_back(ch);
        break;
      case Telnet::kIac:
        if (c == 0xFF) { buf_.push_back(ch); telnet_ = Telnet::kData; }
        else if (c >= 251 && c <= 254) telnet_ = Telnet::kOption;
        else telnet_ = Telnet::kData;
        break;
      case Telnet::kOption:
        telnet_ = Telnet::kData;
        break;
    }
  }
}

LineReader::Status LineReader::Next(std::string* line) {
  for (;;) {
    std::size_t nl = buf_.find('\n', pos_);
    if (discarding_) {
      if (nl == std::string::npos) {
        buf_.clear();
        pos_ = 0;
        return Status::kNeedMore;
      }
      pos_ = nl + 1;
      discarding_ = false;
      continue;
    }
    if (nl == std::string::npos) {
      if (buf_.size() - pos_ > max_line_) {
        discarding_ = true;
        buf_.clear();
        pos_ = 0;
        return Status::kTooLong;
      }
      if (pos_ > 0) {
        buf_.erase(0, pos_);
        pos_ = 0;
      }
      return Status::kNeedMore;
    }
    std::size_t len = nl - pos_;
    if (len > max_line_) {
      pos_ = nl + 1;
      return Status::kTooLong;
    }
    line->assign(buf_, pos_, len);
    if (!line->empty() && line->back() == '\r') line->pop_back();
    pos_ = nl + 1;
    return Status::kLine;
  }
}

void LineReader::Clear() {
  buf_.clear();
  pos_ = 0;
  discarding_ = false;
  telnet_ = Telnet::kData;
}

}  // namespace gw::ftp
