#include "pprl/keyed_hash.h"

#include <sodium.h>

#include "common/check.h"

namespace entente::pprl::internal {

void KeyedHash(std::span<const uint8_t> key, std::string_view message, std::span<uint8_t> out) {
  ENTENTE_CHECK(crypto_generichash_blake2b(out.data(), out.size(),
                                           reinterpret_cast<const unsigned char*>(message.data()),
                                           message.size(), key.data(), key.size()) == 0);
}

std::string DomainLabel(std::string_view label, uint32_t version) {
  return "entente/pprl/v1/" + std::string(label) + "/key-version/" + std::to_string(version);
}

}  // namespace entente::pprl::internal
