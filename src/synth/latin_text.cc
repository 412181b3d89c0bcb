#include "synth/latin_text.h"

#include "common/utf8.h"

namespace entente::synth {
namespace {

// Decodes the code point at text[*i] and advances *i. The input is trusted (generated here).
char32_t DecodeNext(std::string_view text, size_t* i) {
  const auto c = static_cast<unsigned char>(text[*i]);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  char32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (int k = 1; k < len && *i + static_cast<size_t>(k) < text.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[*i + static_cast<size_t>(k)]) & 0x3F);
  }
  *i += static_cast<size_t>(len);
  return cp;
}

char32_t ToUpper(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return cp - 32;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 32;
  switch (cp) {
    case 0x0131:
      return 'I';  // dotless ı
    case 0x011F:
      return 0x011E;  // ğ
    case 0x015F:
      return 0x015E;  // ş
    case 0x0153:
      return 0x0152;  // œ
    default:
      return cp;
  }
}

char32_t ToLower(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  switch (cp) {
    case 0x0130:
      return 'i';  // İ
    case 0x011E:
      return 0x011F;
    case 0x015E:
      return 0x015F;
    case 0x0152:
      return 0x0153;
    default:
      return cp;
  }
}

bool IsWordBreak(char32_t cp) { return cp == ' ' || cp == '-' || cp == '\'' || cp == '.'; }

// ASCII replacement of a Latin letter with a diacritic, or nullptr to keep the code point.
const char* Fold(char32_t cp) {
  if (cp < 0xC0) return nullptr;
  static constexpr const char* kLatin1[64] = {
      "A", "A", "A", "A", "A", "A", "AE", "C",     "E", "E", "E", "E", "I", "I", "I",  "I",
      "D", "N", "O", "O", "O", "O", "O",  nullptr, "O", "U", "U", "U", "U", "Y", "TH", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};
  if (cp <= 0xFF) return kLatin1[cp - 0xC0];
  switch (cp) {
    case 0x0130:
      return "I";
    case 0x0131:
      return "i";
    case 0x011E:
      return "G";
    case 0x011F:
      return "g";
    case 0x015E:
      return "S";
    case 0x015F:
      return "s";
    case 0x0152:
      return "OE";
    case 0x0153:
      return "oe";
    default:
      return nullptr;
  }
}

template <typename F>
std::string MapCodePoints(std::string_view text, F f) {
  std::string out;
  out.reserve(text.size() + 2);
  size_t i = 0;
  while (i < text.size()) f(out, DecodeNext(text, &i));
  return out;
}

}  // namespace

std::string UppercaseLatin(std::string_view text) {
  return MapCodePoints(text, [](std::string& out, char32_t cp) { AppendUtf8(out, ToUpper(cp)); });
}

std::string LowercaseLatin(std::string_view text) {
  return MapCodePoints(text, [](std::string& out, char32_t cp) { AppendUtf8(out, ToLower(cp)); });
}

std::string TitleCaseLatin(std::string_view text) {
  bool start = true;
  return MapCodePoints(text, [&start](std::string& out, char32_t cp) {
    AppendUtf8(out, start ? ToUpper(cp) : ToLower(cp));
    start = IsWordBreak(cp);
  });
}

std::string StripDiacritics(std::string_view text) {
  return MapCodePoints(text, [](std::string& out, char32_t cp) {
    if (const char* ascii = Fold(cp)) {
      out += ascii;
    } else {
      AppendUtf8(out, cp);
    }
  });
}

std::string CapitalizeFirst(std::string_view text) {
  if (text.empty()) return {};
  size_t i = 0;
  const char32_t first = DecodeNext(text, &i);
  std::string out;
  AppendUtf8(out, ToUpper(first));
  out.append(text.substr(i));
  return out;
}

}  // namespace entente::synth
