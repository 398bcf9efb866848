// RFC 959 §4.1, §5.3: command lines. A control-channel byte stream is split into lines
// (CR LF, or a bare LF as many clients send), Telnet IAC sequences are removed (RFC 854;
// lftp sends IAC IP, IAC DM before ABOR), and each line becomes a verb and an argument.
// Pure code: no I/O, fuzzed by command_fuzz.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gw::ftp {

struct Command {
  std::string verb;  // upper case, e.g. "RETR"
  std::string arg;   // the rest of the line after one space, as sent (may be empty)
};

// Parses one line (without its line end). Verbs are 3 or 4 letters (RFC 959 §5.3.1);
// anything else yields nullopt (reply 500).
std::optional<Command> ParseCommand(std::string_view line);

// Splits a byte stream into lines with a maximum length; strips Telnet sequences.
class LineReader {
 public:
  explicit LineReader(std::size_t max_line) : max_line_(max_line) {}

  enum class Status { kLine, kNeedMore, kTooLong };
  // Feeds bytes; call Next() until kNeedMore before feeding more.
  void Feed(std::string_view bytes);
  // kLine: *line is set. kTooLong: a line exceeded the limit and was discarded up to its end
  // (the caller replies 500 once per such line).
  Status Next(std::string* line);
  // Bytes received but not yet returned as lines (e.g. before a TLS handshake: must be 0).
  std::size_t buffered() const { return buf_.size() - pos_; }
  void Clear();

 private:
  std::size_t max_line_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool discarding_ = false;
  enum class Telnet { kData, kIac, kOption } telnet_ = Telnet::kData;
};

}  // namespace gw::ftp
