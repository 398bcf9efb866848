// libFuzzer target: an RFC 1006 byte stream through TPKT framing, TPDU decoding and TSDU
// reassembly; connection and disconnect TPDUs must re-encode to what decodes the same.
#include <cstdlib>

#include "osi/transport/cotp.h"
#include "osi/transport/tpkt.h"
#include "osi/transport/tsdu.h"

using namespace gw::osi;
using namespace gw::osi::transport;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  TsduReassembler tsdu(1 << 16);
  while (!in.empty()) {
    auto f = NextTpkt(in, 8192);
    if (!f.ok() || !f->has_value()) break;
    auto t = DecodeTpdu((*f)->tpdu);
    in = in.subspan((*f)->consumed);
    if (!t.ok()) continue;
    if (auto* dt = std::get_if<DataTpdu>(&*t)) {
      auto r = tsdu.Add(*dt);
      if (r.ok() && r->has_value() && (*r)->size() > (1 << 16)) std::abort();
      continue;
    }
    std::vector<uint8_t> out;
    if (auto* c = std::get_if<ConnectTpdu>(&*t)) {
      if (c->user_data.size() + c->other.size() * 257 > 60000) continue;
      EncodeTpkt(*c, &out);
    } else if (auto* d = std::get_if<DisconnectTpdu>(&*t)) {
      EncodeTpkt(*d, &out);
    } else {
      EncodeTpkt(std::get<ErrorTpdu>(*t), &out);
    }
    auto again = DecodeTpdu(Bytes(out).subspan(kTpktHeaderSize));
    if (!again.ok() || again->index() != t->index()) std::abort();
  }
  return 0;
}
