#include "tools/pcap_writer.h"

#include <fstream>

namespace gw::tools {
namespace {

void Le32(std::vector<uint8_t>* o, uint32_t v) {
  for (int i = 0; i < 4; ++i) o->push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void Le16(std::vector<uint8_t>* o, uint16_t v) {
  o->push_back(static_cast<uint8_t>(v));
  o->push_back(static_cast<uint8_t>(v >> 8));
}
void Be16(std::vector<uint8_t>* o, uint16_t v) {
  o->push_back(static_cast<uint8_t>(v >> 8));
  o->push_back(static_cast<uint8_t>(v));
}
void Be32(std::vector<uint8_t>* o, uint32_t v) {
  for (int i = 3; i >= 0; --i) o->push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint32_t Sum(const uint8_t* p, size_t n, uint32_t s = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t{p[i]} << 8) | p[i + 1];
  if (n & 1) s += uint32_t{p[n - 1]} << 8;
  return s;
}
uint16_t Fold(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(~s);
}

constexpr uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;
constexpr size_t kMaxSegment = 60000;

}  // namespace

PcapWriter::PcapWriter() {
  Le32(&out_, 0xa1b2c3d4);  // classic pcap, microseconds
  Le16(&out_, 2);
  Le16(&out_, 4);
  Le32(&out_, 0);
  Le32(&out_, 0);
  Le32(&out_, 262144);
  Le32(&out_, 1);  // LINKTYPE_ETHERNET
}

void PcapWriter::Frame(const Conn& c, int dir, uint8_t flags, osi::Bytes payload) {
  std::vector<uint8_t> f;
  static const uint8_t kMac[2][6] = {{2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}};
  const uint8_t ip[2][4] = {{10, 0, 0, 1}, {10, 0, 0, 2}};
  f.insert(f.end(), kMac[1 - dir], kMac[1 - dir] + 6);
  f.insert(f.end(), kMac[dir], kMac[dir] + 6);
  Be16(&f, 0x0800);
  size_t iph = f.size();
  uint16_t total = static_cast<uint16_t>(20 + 20 + payload.size());
  f.insert(f.end(), {0x45, 0});
  Be16(&f, total);
  Be16(&f, static_cast<uint16_t>(frames_));
  f.insert(f.end(), {0x40, 0, 64, 6, 0, 0});
  f.insert(f.end(), ip[dir], ip[dir] + 4);
  f.insert(f.end(), ip[1 - dir], ip[1 - dir] + 4);
  uint16_t ipsum = Fold(Sum(f.data() + iph, 20));
  f[iph + 10] = static_cast<uint8_t>(ipsum >> 8);
  f[iph + 11] = static_cast<uint8_t>(ipsum);
  size_t tcph = f.size();
  Be16(&f, c.port[dir]);
  Be16(&f, c.port[1 - dir]);
  Be32(&f, c.seq[dir]);
  Be32(&f, (flags & kAck) ? c.seq[1 - dir] : 0);
  f.push_back(0x50);
  f.push_back(flags);
  Be16(&f, 65535);
  Be16(&f, 0);  // checksum
  Be16(&f, 0);
  f.insert(f.end(), payload.begin(), payload.end());
  // TCP checksum over the pseudo header.
  uint32_t s = Sum(ip[dir], 4) + Sum(ip[1 - dir], 4) + 6 + static_cast<uint32_t>(20 + payload.size());
  uint16_t tcpsum = Fold(Sum(f.data() + tcph, f.size() - tcph, s));
  f[tcph + 16] = static_cast<uint8_t>(tcpsum >> 8);
  f[tcph + 17] = static_cast<uint8_t>(tcpsum);

  usec_ += 1000;
  Le32(&out_, 1700000000 + usec_ / 1000000);
  Le32(&out_, usec_ % 1000000);
  Le32(&out_, static_cast<uint32_t>(f.size()));
  Le32(&out_, static_cast<uint32_t>(f.size()));
  out_.insert(out_.end(), f.begin(), f.end());
  ++frames_;
}

int PcapWriter::Open(uint16_t client_port, uint16_t server_port) {
  Conn c{{client_port, server_port}, {1000u + client_port, 5000u + client_port}};
  Frame(c, 0, kSyn, {});
  c.seq[0] += 1;
  Frame(c, 1, kSyn | kAck, {});
  c.seq[1] += 1;
  Frame(c, 0, kAck, {});
  conns_.push_back(c);
  return static_cast<int>(conns_.size() - 1);
}

size_t PcapWriter::Send(int conn, int dir, osi::Bytes payload) {
  Conn& c = conns_[static_cast<size_t>(conn)];
  size_t first = frames_ + 1;
  do {
    size_t n = std::min(payload.size(), kMaxSegment);
    Frame(c, dir, kPsh | kAck, payload.first(n));
    c.seq[dir] += static_cast<uint32_t>(n);
    payload = payload.subspan(n);
  } while (!payload.empty());
  return first;
}

void PcapWriter::Close(int conn) {
  Conn& c = conns_[static_cast<size_t>(conn)];
  Frame(c, 0, kFin | kAck, {});
  c.seq[0] += 1;
  Frame(c, 1, kFin | kAck, {});
  c.seq[1] += 1;
  Frame(c, 0, kAck, {});
}

bool PcapWriter::WriteTo(const std::string& path) const {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(out_.data()), static_cast<std::streamsize>(out_.size()));
  return static_cast<bool>(f);
}

}  // namespace gw::tools
