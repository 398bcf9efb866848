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
