// libFuzzer target: the binary index update a partner sends (hit/no-hit). It must never crash,
// and what it accepts must serialise back to the same bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "federation/index_update.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace entente;  // NOLINT(google-build-using-namespace): a fuzzer's main file
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Result<federation::IndexUpdate> update = federation::ParseIndexUpdate(bytes);
  if (!update.ok()) return 0;
  const std::string again = federation::SerializeIndexUpdate(*update);
  Result<federation::IndexUpdate> reread = federation::ParseIndexUpdate(again);
  if (!reread.ok() || !(*reread == *update)) __builtin_trap();
  return 0;
}
