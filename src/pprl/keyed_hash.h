#pragma once

// Keyed BLAKE2b (libsodium) as pprl derives subkeys, bit positions and LSH samples. Internal
// to pprl/.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace entente::pprl::internal {

// BLAKE2b keyed with `key` (16..64 bytes) over `message`, out.size() bytes (16..64).
void KeyedHash(std::span<const uint8_t> key, std::string_view message, std::span<uint8_t> out);

// "entente/pprl/v1/<label>/key-version/<version>": the domain-separation label of a use of
// the key.
std::string DomainLabel(std::string_view label, uint32_t version);

}  // namespace entente::pprl::internal
