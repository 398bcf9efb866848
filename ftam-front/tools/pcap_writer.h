// Writes classic pcap files of synthetic TCP connections (Ethernet/IPv4/TCP with correct
// sequence and acknowledgement numbers and checksums), so that what our encoders produce
// can be judged by an independent dissector such as tshark.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "osi/gather.h"

namespace gw::tools {

class PcapWriter {
 public:
  PcapWriter();

  // Opens a connection (SYN, SYN-ACK, ACK) from 10.0.0.1:client_port to 10.0.0.2:server_port.
  // Returns its handle.
  int Open(uint16_t client_port, uint16_t server_port = 102);
  // One TCP segment per call (split if longer than the maximum segment payload).
  // dir 0 = client to server. Returns the frame number of the first frame written.
  size_t Send(int conn, int dir, osi::Bytes payload);
  void Close(int conn);  // FIN/ACK both ways

  size_t frames() const { return frames_; }
  const std::vector<uint8_t>& bytes() const { return out_; }
  bool WriteTo(const std::string& path) const;

 private:
  struct Conn {
    uint16_t port[2];
    uint32_t seq[2];
  };
  void Frame(const Conn& c, int dir, uint8_t flags, osi::Bytes payload);
  std::vector<uint8_t> out_;
  std::vector<Conn> conns_;
  size_t frames_ = 0;
  uint32_t usec_ = 0;
};

}  // namespace gw::tools
