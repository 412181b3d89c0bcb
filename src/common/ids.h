#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace entente {

// Entity and message ids: 1 to 128 characters from [A-Za-z0-9._:-], starting with a letter or
// digit. This covers FollowTheMoney ids (hex digests, "Q42", "ofac-123") and Entente's own.
inline constexpr size_t kMaxIdLength = 128;
bool IsValidId(std::string_view id);

// Formats `prefix` followed by `number` zero-padded to `width` digits ("W", 42, 7 -> "W0000042").
std::string FormatSequentialId(std::string_view prefix, uint64_t number, int width);

}  // namespace entente
