// libFuzzer target: a sequence of FTAM PDUs (an octet-aligned PDV's contents). Every PDU
// that decodes must re-encode to bytes that decode to a PDU encoding identically, and the
// printers must cope with whatever was decoded.
#include <cstdlib>
#include <sstream>

#include "ftam/pdu/pdu.h"
#include "ftam/pdu/print.h"

using namespace gw;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto pdus = ftam::DecodePdus(osi::Bytes(data, size));
  if (!pdus.ok()) return 0;
  for (const auto& p : *pdus) {
    std::vector<uint8_t> out, again;
    if (!ftam::EncodePdu(p, &out).ok()) continue;
    auto back = ftam::DecodePdu(out);
    if (!back.ok() || back->index() != p.index()) std::abort();
    if (!ftam::EncodePdu(*back, &again).ok() || again != out) std::abort();
    std::ostringstream os;
    ftam::PrintTree(os, p);
    (void)ftam::Summary(p);
  }
  return 0;
}
