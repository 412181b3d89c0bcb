#include "common/utf8.h"

#include "common/check.h"

namespace entente {

char32_t DecodeUtf8At(std::string_view text, size_t* offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t i = *offset;
  const unsigned char c = s[i];
  if (c < 0x80) {
    ++*offset;
    return c;
  }
  size_t len;
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    ++*offset;
    return kInvalidCodePoint;
  }
  if (i + len > text.size()) {
    ++*offset;
    return kInvalidCodePoint;
  }
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) {
      ++*offset;
      return kInvalidCodePoint;
    }
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*offset;
    return kInvalidCodePoint;
  }
  *offset += len;
  return cp;
}

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = i;
    if (DecodeUtf8At(text, &i) == kInvalidCodePoint) return at;
  }
  return std::nullopt;
}

size_t CountCodePoints(std::string_view text, size_t byte_offset) {
  size_t count = 0;
  const size_t end = byte_offset < text.size() ? byte_offset : text.size();
  for (size_t i = 0; i < end; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

void AppendUtf8(std::string& out, char32_t cp) {
  ENTENTE_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string SanitizeUtf8(std::string_view text) {
  if (!FindInvalidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  size_t offset = 0;
  while (offset < text.size()) {
    const size_t start = offset;
    const char32_t code_point = DecodeUtf8At(text, &offset);
    if (code_point == kInvalidCodePoint) {
      AppendUtf8(out, 0xFFFD);
    } else {
      out.append(text.substr(start, offset - start));
    }
  }
  return out;
}

}  // namespace entente
