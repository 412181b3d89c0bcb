#include "text/display_width.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "common/utf8.h"

namespace entente::text {
namespace {

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }

int CodePointWidth(UChar32 c) {
  if (IsControl(static_cast<char32_t>(c))) return 1;
  const int8_t category = u_charType(c);
  if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR) {
    return 0;
  }
  if (c >= 0x1160 && c <= 0x11FF) return 0;  // Hangul medial vowels and final consonants
  const int east_asian = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  if (east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH) return 2;
  if (u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR)) return 2;  // a flag's half
  return 1;
}

// A cluster shows as one glyph: as wide as its widest code point, at most two columns (a
// letter with its accents: one; an emoji joined from several: two).
size_t ClusterWidth(const icu::UnicodeString& text, int32_t start, int32_t end) {
  int width = 0;
  for (int32_t i = start; i < end;) {
    const UChar32 c = text.char32At(i);
    width = std::max(width, CodePointWidth(c));
    i += U16_LENGTH(c);
  }
  return static_cast<size_t>(std::min(width, 2));
}

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// Calls fn(start, end, width) for each grapheme cluster of `text`, in order, until it returns
// false. Without ICU's break data, each code point is a cluster.
template <typename Fn>
void ForEachCluster(const icu::UnicodeString& text, Fn fn) {
  thread_local std::unique_ptr<icu::BreakIterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) it.reset();
    return it;
  }();
  if (prototype == nullptr) {
    for (int32_t i = 0; i < text.length();) {
      const int32_t next = i + U16_LENGTH(text.char32At(i));
      if (!fn(i, next, ClusterWidth(text, i, next))) return;
      i = next;
    }
    return;
  }
  prototype->setText(text);
  int32_t start = prototype->first();
  for (int32_t end = prototype->next(); end != icu::BreakIterator::DONE;
       start = end, end = prototype->next()) {
    if (!fn(start, end, ClusterWidth(text, start, end))) return;
  }
}

}  // namespace

size_t DisplayWidth(std::string_view utf8) {
  if (IsPrintableAscii(utf8)) return utf8.size();
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(SanitizeUtf8(utf8));
  size_t width = 0;
  ForEachCluster(text, [&](int32_t, int32_t, size_t w) {
    width += w;
    return true;
  });
  return width;
}

std::string ForDisplay(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t at = 0;
  while (at < utf8.size()) {
    const size_t start = at;
    const char32_t c = DecodeUtf8At(utf8, &at);
    if (c == kInvalidCodePoint) {
      AppendUtf8(out, 0xFFFD);
    } else if (IsControl(c)) {
      out.push_back(' ');
    } else {
      out.append(utf8.substr(start, at - start));
    }
  }
  return out;
}

std::string FitToWidth(std::string_view utf8, size_t width) {
  std::string clean = SanitizeUtf8(utf8);
  if (DisplayWidth(clean) <= width) return clean;
  if (width == 0) return "";
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(clean);
  const size_t room = width - 1;  // the ellipsis takes one column
  size_t used = 0;
  int32_t cut = 0;
  ForEachCluster(text, [&](int32_t, int32_t end, size_t w) {
    if (used + w > room) return false;
    used += w;
    cut = end;
    return true;
  });
  std::string out;
  icu::UnicodeString(text, 0, cut).toUTF8String(out);
  return out + "\u2026";
}

}  // namespace entente::text
