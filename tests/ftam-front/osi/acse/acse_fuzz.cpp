// libFuzzer target: ACSE APDUs; anything that decodes must re-encode to bytes that decode
// to an APDU that encodes identically.
#include <cstdlib>

#include "osi/acse/apdu.h"

using namespace gw::osi;
using namespace gw::osi::acse;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto a = DecodeApdu(Bytes(data, size));
  if (!a.ok()) return 0;
  std::vector<uint8_t> out, again;
  if (!EncodeApdu(*a, &out).ok()) return 0;
  auto b = DecodeApdu(out);
  if (!b.ok() || b->index() != a->index()) std::abort();
  if (!EncodeApdu(*b, &again).ok() || again != out) std::abort();
  return 0;
}
