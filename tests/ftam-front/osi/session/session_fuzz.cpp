// libFuzzer target: one TSDU through the SPDU decoder; every category-1 SPDU decoded must
// re-encode (when within the encoder's limits) to bytes that decode again.
#include <cstdlib>

#include "osi/session/spdu.h"

using namespace gw::osi;
using namespace gw::osi::session;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto spdus = DecodeTsdu(Bytes(data, size));
  if (!spdus.ok()) return 0;
  for (const auto& s : *spdus) {
    Gather g;
    absl::Status st = std::visit(
        [&](const auto& v) -> absl::Status {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, DataTransferSpdu> || std::is_same_v<T, OtherSpdu> ||
                        std::is_same_v<T, PleaseTokensSpdu>)
            return absl::UnimplementedError("");
          else
            return Encode(v, &g);
        },
        s);
    if (!st.ok()) continue;
    auto again = DecodeTsdu(g.Flatten());
    if (!again.ok() || again->size() != 1 || (*again)[0].index() != s.index()) std::abort();
  }
  return 0;
}
