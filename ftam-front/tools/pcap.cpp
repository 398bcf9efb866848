#include "tools/pcap.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <pcap/pcap.h>

#include "absl/strings/str_cat.h"

namespace gw::tools {
namespace {

uint32_t Rd32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t Be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

absl::StatusOr<std::vector<Packet>> ReadAll(pcap_t* p, const std::string& what) {
  const uint32_t link = static_cast<uint32_t>(pcap_datalink(p));
  const bool nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
  std::vector<Packet> out;
  for (;;) {
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(p, &h, &data);
    if (rc == PCAP_ERROR_BREAK) return out;  // end of file
    if (rc != 1) return absl::InvalidArgumentError(absl::StrCat(what, ": ", pcap_geterr(p)));
    double ts = static_cast<double>(h->ts.tv_sec) + static_cast<double>(h->ts.tv_usec) / (nano ? 1e9 : 1e6);
    out.push_back({link, ts, std::vector<uint8_t>(data, data + h->caplen)});
  }
}

std::string Ip4(const uint8_t* p) { return absl::StrCat(p[0], ".", p[1], ".", p[2], ".", p[3]); }
std::string Ip6(const uint8_t* p) {
  std::string s;
  for (int i = 0; i < 16; i += 2) absl::StrAppend(&s, i ? ":" : "", absl::Hex(Be16(p + i)));
  return s;
}

}  // namespace

absl::StatusOr<std::vector<Packet>> ReadCaptureFile(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE] = {};
  PcapHandle p(pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err));
  if (!p) {
    // libpcap names the file itself when it cannot open it ("x.pcap: No such file ..."),
    // but not when the file is no capture.
    std::string e = err;
    return absl::InvalidArgumentError(e.starts_with(path) ? e : path + ": " + e);
  }
  return ReadAll(p.get(), path);
}

absl::StatusOr<std::vector<Packet>> ReadCapture(Bytes f) {
  // libpcap reads from a FILE*; a read-only memory stream over the bytes serves.
  FILE* mem = fmemopen(const_cast<uint8_t*>(f.data()), f.size(), "rb");
  if (!mem) return absl::InvalidArgumentError("capture: empty file");
  char err[PCAP_ERRBUF_SIZE] = {};
  PcapHandle p(pcap_fopen_offline_with_tstamp_precision(mem, PCAP_TSTAMP_PRECISION_NANO, err));
  if (!p) {
    std::fclose(mem);
    return absl::InvalidArgumentError(absl::StrCat("capture: ", err));
  }
  return ReadAll(p.get(), "capture");  // pcap_close closes the stream
}

std::optional<TcpSegment> ParseTcp(const Packet& p) {
  Bytes d = p.data;
  uint16_t ethertype = 0;
  size_t off = 0;
  switch (p.link_type) {
    case DLT_EN10MB:
      if (d.size() < 14) return std::nullopt;
      ethertype = Be16(d.data() + 12);
      off = 14;
      while (ethertype == 0x8100 && d.size() >= off + 4) {  // 802.1Q
        ethertype = Be16(d.data() + off + 2);
        off += 4;
      }
      break;
    case DLT_LINUX_SLL:
      if (d.size() < 16) return std::nullopt;
      ethertype = Be16(d.data() + 14);
      off = 16;
      break;
    case DLT_LINUX_SLL2:
      if (d.size() < 20) return std::nullopt;
      ethertype = Be16(d.data());
      off = 20;
      break;
    case DLT_NULL:
    case DLT_LOOP: {
      if (d.size() < 4) return std::nullopt;
      uint32_t af = p.link_type == DLT_LOOP ? Be32(d.data()) : Rd32(d.data());
      if (af > 0xffff) af = __builtin_bswap32(af);
      ethertype = af == 2 ? 0x0800 : 0x86DD;
      off = 4;
      break;
    }
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
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
