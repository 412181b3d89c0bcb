// libFuzzer target: the encoded index file (hit/no-hit; `entente screen --encoded-index`). The
// input is the file without its checksum: the fuzzer seals it (BLAKE2b-256, as Serialize does),
// so that mutations reach the parser behind the checksum; the key is fixed (version 1). It must
// never crash, and what it accepts must serialise back to the same bytes and answer a query.

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "pprl/encoded_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace entente;  // NOLINT(google-build-using-namespace): a fuzzer's main file
  if (sodium_init() < 0) __builtin_trap();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::array<unsigned char, 32> checksum{};
  crypto_generichash_blake2b(checksum.data(), checksum.size(),
                             reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                             nullptr, 0);
  bytes.append(reinterpret_cast<const char*>(checksum.data()), checksum.size());
  pprl::EncodingKey key;
  key.version = 1;
  key.secret.fill(7);
  Result<pprl::EncodedIndex> index = pprl::EncodedIndex::Deserialize(bytes, key);
  if (!index.ok()) return 0;
  if (index->Serialize() != bytes) __builtin_trap();
  if (index->size() > 0) (void)index->Candidates(index->code(0));
  return 0;
}
