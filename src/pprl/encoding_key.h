#pragma once

#include <array>
#include <cstdint>

namespace entente::pprl {

// The federation's encoding key: every partner encodes with the same key, so that encodings
// compare; a new version replaces it (rotation) and changes every bit position, so that
// indexes of different versions never compare (docs/pprl.md). A value type; the secret is
// 32 random bytes handed out by the federation, never derived from a password.
struct EncodingKey {
  uint32_t version = 0;
  std::array<uint8_t, 32> secret{};

  friend bool operator==(const EncodingKey&, const EncodingKey&) = default;
};

}  // namespace entente::pprl
