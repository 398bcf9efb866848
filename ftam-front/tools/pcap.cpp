#include "tools/pcap.h"

#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace gw::tools {
namespace {

uint32_t Rd32(const uint8_t* p, bool swap) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return swap ? __builtin_bswap32(v) : v;
}
uint16_t Rd16(const uint8_t* p, bool swap) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return swap ? __builtin_bswap16(v) : v;
}
uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t Be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }

constexpr uint32_t kLinkNull = 0, kLinkEthernet = 1, kLinkRaw = 101, kLinkLoop = 108,
                   kLinkSll = 113, kLinkRawIp = 12, kLinkIpv4 = 228, kLinkIpv6 = 229,
                   kLinkSll2 = 276;

absl::StatusOr<std::vector<Packet>> ReadClassic(Bytes f) {
  if (f.size() < 24) return absl::InvalidArgumentError("pcap: truncated file header");
  uint32_t magic;
  std::memcpy(&magic, f.data(), 4);
  bool swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
  bool nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
  uint32_t link = Rd32(f.data() + 20, swap) & 0x0fffffff;
  std::vector<Packet> out;
  size_t pos = 24;
  while (pos + 16 <= f.size()) {
    uint32_t sec = Rd32(f.data() + pos, swap), frac = Rd32(f.data() + pos + 4, swap);
    uint32_t incl = Rd32(f.data() + pos + 8, swap);
    pos += 16;
    if (incl > f.size() - pos) return absl::InvalidArgumentError("pcap: truncated packet record");
    out.push_back({link, sec + frac / (nano ? 1e9 : 1e6), f.subspan(pos, incl)});
    pos += incl;
  }
  return out;
}

absl::StatusOr<std::vector<Packet>> ReadPcapng(Bytes f) {
  std::vector<Packet> out;
  std::vector<uint32_t> links;
  bool swap = false;
  size_t pos = 0;
  while (pos + 12 <= f.size()) {
    uint32_t type = Rd32(f.data() + pos, swap);
    if (type == 0x0A0D0D0A) {  // section header: byte-order magic decides
      uint32_t bom;
      std::memcpy(&bom, f.data() + pos + 8, 4);
      swap = bom == 0x4D3C2B1A;
      links.clear();
    }
    uint32_t len = Rd32(f.data() + pos + 4, swap);
    if (len < 12 || len % 4 || len > f.size() - pos) return absl::InvalidArgumentError("pcapng: bad block length");
    const uint8_t* b = f.data() + pos + 8;
    size_t body = len - 12;
    if (type == 1) {  // interface description
      if (body < 8) return absl::InvalidArgumentError("pcapng: short IDB");
      links.push_back(Rd16(b, swap));
    } else if (type == 6) {  // enhanced packet
      if (body < 20) return absl::InvalidArgumentError("pcapng: short EPB");
      uint32_t iface = Rd32(b, swap), caplen = Rd32(b + 12, swap);
      if (iface >= links.size() || caplen > body - 20) return absl::InvalidArgumentError("pcapng: bad EPB");
      uint64_t ts = (uint64_t{Rd32(b + 4, swap)} << 32) | Rd32(b + 8, swap);
      out.push_back({links[iface], static_cast<double>(ts) / 1e6, Bytes(b + 20, caplen)});
    } else if (type == 3) {  // simple packet
      if (body < 4 || links.empty()) return absl::InvalidArgumentError("pcapng: bad SPB");
      uint32_t orig = Rd32(b, swap);
      out.push_back({links[0], 0, Bytes(b + 4, std::min<size_t>(orig, body - 4))});
    }
    pos += len;
  }
  return out;
}

std::string Ip4(const uint8_t* p) { return absl::StrCat(p[0], ".", p[1], ".", p[2], ".", p[3]); }
std::string Ip6(const uint8_t* p) {
  std::string s;
  for (int i = 0; i < 16; i += 2) absl::StrAppend(&s, i ? ":" : "", absl::Hex(Be16(p + i)));
  return s;
}

}  // namespace

absl::StatusOr<std::vector<Packet>> ReadCapture(Bytes f) {
  if (f.size() < 4) return absl::InvalidArgumentError("capture: file too short");
  uint32_t magic;
  std::memcpy(&magic, f.data(), 4);
  if (magic == 0x0A0D0D0A) return ReadPcapng(f);
  if (magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1)
    return ReadClassic(f);
  return absl::InvalidArgumentError("capture: not a pcap or pcapng file");
}

std::optional<TcpSegment> ParseTcp(const Packet& p) {
  Bytes d = p.data;
  uint16_t ethertype = 0;
  size_t off = 0;
  switch (p.link_type) {
    case kLinkEthernet:
      if (d.size() < 14) return std::nullopt;
      ethertype = Be16(d.data() + 12);
      off = 14;
      while (ethertype == 0x8100 && d.size() >= off + 4) {  // 802.1Q
        ethertype = Be16(d.data() + off + 2);
        off += 4;
      }
      break;
    case kLinkSll:
      if (d.size() < 16) return std::nullopt;
      ethertype = Be16(d.data() + 14);
      off = 16;
      break;
    case kLinkSll2:
      if (d.size() < 20) return std::nullopt;
      ethertype = Be16(d.data());
      off = 20;
      break;
    case kLinkNull:
    case kLinkLoop: {
      if (d.size() < 4) return std::nullopt;
      uint32_t af = p.link_type == kLinkLoop ? Be32(d.data()) : Rd32(d.data(), false);
      if (af > 0xffff) af = __builtin_bswap32(af);
      ethertype = af == 2 ? 0x0800 : 0x86DD;
      off = 4;
      break;
    }
    case kLinkRaw:
    case kLinkRawIp:
    case kLinkIpv4:
    case kLinkIpv6:
      if (d.empty()) return std::nullopt;
      ethertype = (d[0] >> 4) == 4 ? 0x0800 : 0x86DD;
      break;
    default:
      return std::nullopt;
  }
  TcpSegment s;
  size_t l4 = 0, end = d.size();
  if (ethertype == 0x0800) {
    if (d.size() < off + 20 || (d[off] >> 4) != 4) return std::nullopt;
    size_t ihl = static_cast<size_t>(d[off] & 0x0f) * 4;
    size_t total = Be16(d.data() + off + 2);
    if (d[off + 9] != 6 || ihl < 20 || d.size() < off + ihl) return std::nullopt;
    if ((Be16(d.data() + off + 6) & 0x3fff) != 0) return std::nullopt;  // fragments unsupported
    s.src = Ip4(d.data() + off + 12);
    s.dst = Ip4(d.data() + off + 16);
    l4 = off + ihl;
    if (total >= ihl && off + total <= d.size()) end = off + total;  // strip Ethernet padding
  } else if (ethertype == 0x86DD) {
    if (d.size() < off + 40 || d[off + 6] != 6) return std::nullopt;  // no extension headers
    s.src = Ip6(d.data() + off + 8);
    s.dst = Ip6(d.data() + off + 24);
    l4 = off + 40;
    size_t plen = Be16(d.data() + off + 4);
    if (l4 + plen <= d.size()) end = l4 + plen;
  } else {
    return std::nullopt;
  }
  if (end < l4 + 20) return std::nullopt;
  s.src_port = Be16(d.data() + l4);
  s.dst_port = Be16(d.data() + l4 + 2);
  s.seq = Be32(d.data() + l4 + 4);
  size_t doff = static_cast<size_t>(d[l4 + 12] >> 4) * 4;
  uint8_t flags = d[l4 + 13];
  s.fin = flags & 0x01;
  s.syn = flags & 0x02;
  s.rst = flags & 0x04;
  s.ack = flags & 0x10;
  if (doff < 20 || l4 + doff > end) return std::nullopt;
  s.payload = d.subspan(l4 + doff, end - l4 - doff);
  return s;
}

void TcpConnectionReassembler::Add(int dir, const TcpSegment& s) {
  Direction& d = dirs_[dir];
  uint32_t seq = s.seq;
  if (s.syn) {
    d.started = true;
    d.next = seq + 1;
    seq += 1;
  }
  if (s.payload.empty()) return;
  if (!d.started) {  // capture began mid-stream
    d.started = true;
    d.next = seq;
  }
  int32_t rel = static_cast<int32_t>(seq - d.next);
  Bytes p = s.payload;
  if (rel < 0) {  // retransmission, possibly with new bytes at its end
    if (static_cast<size_t>(-rel) >= p.size()) return;
    p = p.subspan(static_cast<size_t>(-rel));
    seq = d.next;
  }
  auto it = d.pending.find(seq);
  if (it == d.pending.end() || it->second.size() < p.size()) d.pending[seq] = osi::ToString(p);
  Deliver(dir);
}

void TcpConnectionReassembler::Deliver(int dir) {
  Direction& d = dirs_[dir];
  while (!d.pending.empty()) {
    auto it = d.pending.begin();
    // Pick the pending segment that covers `next`, comparing in sequence space.
    bool progressed = false;
    for (auto j = d.pending.begin(); j != d.pending.end(); ++j) {
      int32_t rel = static_cast<int32_t>(j->first - d.next);
      if (rel > 0) continue;
      it = j;
      progressed = true;
      break;
    }
    if (!progressed) return;
    int32_t rel = static_cast<int32_t>(it->first - d.next);
    std::string data = std::move(it->second);
    d.pending.erase(it);
    size_t skip = static_cast<size_t>(-rel);
    if (skip >= data.size()) continue;
    Bytes b = osi::AsBytes(data).subspan(skip);
    d.next += static_cast<uint32_t>(b.size());
    sink_(dir, b);
  }
}

size_t TcpConnectionReassembler::gaps() const {
  size_t n = 0;
  for (const auto& d : dirs_)
    for (const auto& [k, v] : d.pending) n += v.size();
  return n;
}

void ReassembleCapture(const std::vector<Packet>& packets,
                       const std::function<TcpConnectionReassembler::Sink(const std::string&)>& open) {
  struct Conn {
    std::string a, b;  // endpoint of direction 0 and 1
    std::unique_ptr<TcpConnectionReassembler> r;
  };
  std::map<std::string, Conn> conns;  // key: sorted endpoint pair
  for (const auto& p : packets) {
    auto s = ParseTcp(p);
    if (!s) continue;
    std::string src = absl::StrCat(s->src, ":", s->src_port), dst = absl::StrCat(s->dst, ":", s->dst_port);
    std::string key = src < dst ? src + "|" + dst : dst + "|" + src;
    auto it = conns.find(key);
    if (it == conns.end()) {
      Conn c;
      // The SYN without ACK comes from the client; otherwise guess by the lower port.
      bool src_is_client = s->syn ? !s->ack : s->dst_port < s->src_port;
      c.a = src_is_client ? src : dst;
      c.b = src_is_client ? dst : src;
      std::string name = c.a + " -> " + c.b;
      c.r = std::make_unique<TcpConnectionReassembler>(c.a, open(name));
      it = conns.emplace(key, std::move(c)).first;
    }
    it->second.r->Add(src == it->second.a ? 0 : 1, *s);
  }
}

}  // namespace gw::tools
