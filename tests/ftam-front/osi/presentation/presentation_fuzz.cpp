// libFuzzer target: the first octet picks the PPDU the session layer would expect (CP,
// CPA, CPR, abort, user data); whatever decodes must re-encode and decode again.
#include <cstdlib>

#include "osi/presentation/ppdu.h"

using namespace gw::osi;
using namespace gw::osi::presentation;

namespace {
template <typename T, typename E, typename D>
void RoundTrip(const absl::StatusOr<T>& v, E encode, D decode) {
  if (!v.ok()) return;
  std::vector<uint8_t> out;
  if (!encode(*v, &out).ok()) return;
  if (!decode(Bytes(out)).ok()) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  Bytes b(data + 1, size - 1);
  ber::Limits limits;
  limits.max_depth = 24;
  auto dec = [&](auto f) { return [f, limits](Bytes x) { return f(x, limits); }; };
  switch (data[0] % 5) {
    case 0: RoundTrip(DecodeConnect(b, limits), EncodeConnect, dec(DecodeConnect)); break;
    case 1: RoundTrip(DecodeAccept(b, limits), EncodeAccept, dec(DecodeAccept)); break;
    case 2: RoundTrip(DecodeRefuse(b, limits), EncodeRefuse, dec(DecodeRefuse)); break;
    case 3: RoundTrip(DecodeAbort(b, limits), EncodeAbort, dec(DecodeAbort)); break;
    default: {
      auto u = DecodeUserData(b, limits);
      if (!u.ok()) return 0;
      for (const auto& pdv : u->pdvs) {
        std::vector<Bytes> values;
        std::string scratch;
        (void)PdvValues(pdv, &values, &scratch, limits);
      }
      RoundTrip(u, [](const UserData& x, std::vector<uint8_t>* o) { return EncodeUserData(x, o); },
                dec(DecodeUserData));
    }
  }
  return 0;
}
