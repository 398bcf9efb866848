// RFC 959 §3.1.1.1 ASCII type: on the wire, lines end in CR LF. The file:// filestore keeps
// native LF line ends, so text transfers are converted as they stream, chunk by chunk.
#pragma once

#include <string>
#include <string_view>

namespace gw::bridge {

// Native -> network: LF becomes CR LF. Stateless.
void AppendLfToCrlf(std::string_view in, std::string& out);

// Network -> native: CR LF becomes LF; a lone CR is kept. Keeps state across chunks so a
// CR at the end of one chunk and LF at the start of the next are joined.
class CrlfToLf {
 public:
  void Append(std::string_view in, std::string& out);
  void Finish(std::string& out);  // flushes a trailing lone CR

 private:
  bool pending_cr_ = false;
};

}  // namespace gw::bridge

namespace gw::bridge {

// RFC 1415 §6: a file the destination says nothing about is reported as text (FTAM-1) only
// when it is text throughout: 7-bit printable characters, spaces, tabs, line and page
// ends, nothing else. Initiators open a file with the type reported, and a binary file read
// as FTAM-1 would be corrupted, so anything else (or a file longer than `limit`, which is
// not scanned) is binary (FTAM-3).
class TextSniffer {
 public:
  void Append(std::string_view chunk);
  bool text() const { return text_; }

 private:
  bool text_ = true;
};

}  // namespace gw::bridge
