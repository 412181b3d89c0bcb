#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace entente {

// What DecodeUtf8At returns for an invalid sequence.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point at text[*offset] and advances *offset past it. On an invalid sequence
// (truncated, overlong, a surrogate, above U+10FFFF) returns kInvalidCodePoint and advances by
// one byte. *offset must be < text.size().
char32_t DecodeUtf8At(std::string_view text, size_t* offset);

// Returns the byte offset of the first invalid UTF-8 sequence in `text` (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or nullopt if all of it is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Number of code points in the valid UTF-8 prefix text[0, byte_offset): the 0-based character
// column of that byte.
size_t CountCodePoints(std::string_view text, size_t byte_offset);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD (the replacement character), one
// per invalid byte; valid text is returned unchanged.
std::string SanitizeUtf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point` (must be a valid scalar value).
void AppendUtf8(std::string& out, char32_t code_point);

}  // namespace entente
