// Capture reading for the decode tool and the tests: libpcap reads the file (pcap in either
// byte order and time resolution, pcapng); we parse the link types Ethernet, Linux cooked
// (SLL, SLL2), BSD loopback/null and raw IP, then IPv4/IPv6 + TCP.
// TCP payloads are reassembled per direction by sequence number, with retransmissions
// dropped and out-of-order segments held until the gap is filled.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "osi/gather.h"

namespace gw::tools {

using osi::Bytes;

struct Packet {
  uint32_t link_type = 0;  // libpcap's DLT_* value
  double timestamp = 0;
  std::vector<uint8_t> data;
};

// Reads every packet of a capture file (pcap or pcapng).
absl::StatusOr<std::vector<Packet>> ReadCaptureFile(const std::string& path);
// The same for a capture file held in memory.
absl::StatusOr<std::vector<Packet>> ReadCapture(Bytes file);

struct TcpSegment {
  std::string src, dst;  // addresses as text
  uint16_t src_port = 0, dst_port = 0;
  uint32_t seq = 0;
  bool syn = false, fin = false, rst = false, ack = false;
  Bytes payload;
};

// Link, network and transport headers; nullopt for anything that is not TCP.
std::optional<TcpSegment> ParseTcp(const Packet& p);

// One TCP connection, two directions. Direction 0 is the side that sent the first SYN
// (or, without a SYN, the side that did not use the well-known port).
class TcpConnectionReassembler {
 public:
  using Sink = std::function<void(int direction, Bytes data)>;
  TcpConnectionReassembler(std::string key0, Sink sink) : key0_(std::move(key0)), sink_(std::move(sink)) {}
  void Add(int direction, const TcpSegment& s);
  size_t gaps() const;  // octets still held out of order

 private:
  struct Direction {
    bool started = false;
    uint32_t next = 0;
    std::map<uint32_t, std::string> pending;
  };
  void Deliver(int dir);
  std::string key0_;
  Sink sink_;
  Direction dirs_[2];
};

// Splits all TCP traffic of a capture into connections and feeds their reassembled
// streams to per-connection sinks created by `open` (called once per connection with its
// endpoints "a:port -> b:port").
void ReassembleCapture(const std::vector<Packet>& packets,
                       const std::function<TcpConnectionReassembler::Sink(const std::string& name)>& open);

}  // namespace gw::tools
