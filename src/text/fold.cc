#include "text/fold.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/utf8.h"

namespace entente::text {
namespace {

constexpr char32_t kInvalid = kInvalidCodePoint;

char32_t DecodeNext(std::string_view s, size_t* i) { return DecodeUtf8At(s, i); }

bool IsApostrophe(char32_t cp) {
  return cp == U'\'' || cp == U'`' || cp == U'\u2019' || cp == U'\u2018' || cp == U'\u02BC' ||
         cp == U'\u02BB' || cp == U'\u02BF' || cp == U'\u02BE' || cp == U'\u00B4';
}

bool IsArabic(char32_t cp) {
  return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F);
}

// Folded forms of the code points below kTableEnd (Latin, Greek, Cyrillic) and of Latin
// Extended Additional, computed once with ICU and immutable afterwards. A code point maps to
// letters, to "" (it vanishes: a combining mark), or to " " (a separator).
constexpr char32_t kTableEnd = 0x0530;
constexpr char32_t kExtendedBegin = 0x1E00;
constexpr char32_t kExtendedEnd = 0x1F00;

class FoldTable {
 public:
  FoldTable() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> translit(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    low_.resize(kTableEnd);
    extended_.resize(kExtendedEnd - kExtendedBegin);
    for (char32_t cp = 0; cp < kTableEnd; ++cp) low_[cp] = Compute(translit.get(), cp);
    for (char32_t cp = kExtendedBegin; cp < kExtendedEnd; ++cp) {
      extended_[cp - kExtendedBegin] = Compute(translit.get(), cp);
    }
  }
  // nullptr when the code point is outside the table.
  const std::string* Find(char32_t cp) const {
    if (cp < kTableEnd) return &low_[cp];
    if (cp >= kExtendedBegin && cp < kExtendedEnd) return &extended_[cp - kExtendedBegin];
    return nullptr;
  }

 private:
  static std::string Compute(icu::Transliterator* translit, char32_t cp) {
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z') return std::string(1, static_cast<char>(cp - 'A' + 'a'));
      if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        return std::string(1, static_cast<char>(cp));
      }
      return IsApostrophe(cp) ? "" : " ";
    }
    if (IsApostrophe(cp)) return "";
    // Letters whose plain ASCII fold would lose the sound records spell out.
    switch (cp) {
      case U'\u010C':
      case U'\u010D':
      case U'\u0106':
      case U'\u0107':
        return "ch";
      case U'\u0160':
      case U'\u0161':
      case U'\u015A':
      case U'\u015B':
        return "sh";
      case U'\u017D':
      case U'\u017E':
        return "zh";
      default:
        break;
    }
    const int8_t type = u_charType(static_cast<UChar32>(cp));
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
        type == U_COMBINING_SPACING_MARK) {
      return "";
    }
    if (!u_isalnum(static_cast<UChar32>(cp)) || translit == nullptr) return " ";
    icu::UnicodeString u(static_cast<UChar32>(cp));
    translit->transliterate(u);
    std::string utf8;
    u.toUTF8String(utf8);
    std::string out;
    for (char c : utf8) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    }
    return out;
  }
  std::vector<std::string> low_;
  std::vector<std::string> extended_;
};

const FoldTable& Table() {
  static const FoldTable kTable;
  return kTable;
}

// Arabic letters, the way Maghrebi French records write them, sorted by code point. ya and
// waw depend on position and are handled in AppendArabic.
struct ArabicSpelling {
  char32_t code_point;
  const char* latin;
};
constexpr std::array<ArabicSpelling, 42> kArabicLetters = {{
    {0x0621, ""},                   // hamza
    {0x0622, "a"},                  // alef madda
    {0x0623, "a"},                  // alef hamza above
    {0x0624, "ou"},                 // waw hamza
    {0x0625, "i"},                  // alef hamza below
    {0x0626, "i"},                  // ya hamza
    {0x0627, "a"},                  // alef
    {0x0628, "b"},  {0x0629, "a"},  // ta marbuta
    {0x062A, "t"},  {0x062B, "th"}, {0x062C, "j"},   {0x062D, "h"},
    {0x062E, "kh"}, {0x062F, "d"},  {0x0630, "d"},   {0x0631, "r"},
    {0x0632, "z"},  {0x0633, "s"},  {0x0634, "ch"},  {0x0635, "s"},
    {0x0636, "d"},  {0x0637, "t"},  {0x0638, "z"},   {0x0639, ""},  // ayn
    {0x063A, "gh"}, {0x0641, "f"},  {0x0642, "k"},                  // qaf, k in Maghrebi records
    {0x0643, "k"},  {0x0644, "l"},  {0x0645, "m"},   {0x0646, "n"},
    {0x0647, "h"},  {0x0649, "a"},  // alef maksura
    {0x0671, "a"},  {0x067E, "p"},  {0x0686, "tch"}, {0x0698, "j"},
    {0x06A4, "v"},  {0x06A9, "k"},  {0x06AF, "g"},   {0x06CC, "i"},
}};

const char* ArabicLetter(char32_t cp) {
  const auto* it = std::lower_bound(
      kArabicLetters.begin(), kArabicLetters.end(), cp,
      [](const ArabicSpelling& letter, char32_t value) { return letter.code_point < value; });
  return it != kArabicLetters.end() && it->code_point == cp ? it->latin : nullptr;
}

class Folder {
 public:
  explicit Folder(size_t reserve) { out_.reserve(reserve); }

  void Separator() {
    if (!out_.empty() && out_.back() != ' ') out_ += ' ';
  }
  void Append(std::string_view letters) {
    for (char c : letters) {
      if (c == ' ') {
        Separator();
      } else {
        out_ += c;
      }
    }
  }
  bool AtTokenStart() const { return out_.empty() || out_.back() == ' '; }
  std::string Take() {
    if (!out_.empty() && out_.back() == ' ') out_.pop_back();
    return std::move(out_);
  }

 private:
  std::string out_;
};

void AppendArabic(char32_t cp, char32_t next, Folder& out) {
  if (cp >= 0x064B && cp <= 0x065F) return;  // harakat, shadda, sukun
  if (cp == 0x0640 || cp == 0x0670) return;  // tatweel, superscript alef
  if (cp >= 0x0660 && cp <= 0x0669) {
    out.Append(std::string(1, static_cast<char>('0' + (cp - 0x0660))));
    return;
  }
  if (cp >= 0x06F0 && cp <= 0x06F9) {
    out.Append(std::string(1, static_cast<char>('0' + (cp - 0x06F0))));
    return;
  }
  const bool next_is_letter = IsArabic(next) && ArabicLetter(next) != nullptr;
  if (cp == 0x064A || cp == 0x06CC) {  // ya: a consonant before a vowel letter or at the start
    out.Append(out.AtTokenStart() ? "y" : "i");
    return;
  }
  if (cp == 0x0648) {  // waw
    out.Append(out.AtTokenStart() && next_is_letter ? "w" : "ou");
    return;
  }
  if (const char* letters = ArabicLetter(cp)) {
    out.Append(letters);
    return;
  }
  out.Separator();  // Arabic punctuation (comma, semicolon...)
}

// Scripts without a table entry, through ICU's Any-Latin, with a per-thread transliterator
// (ICU transliterators must not be shared between threads).
void AppendOtherScript(std::u32string_view run, Folder& out) {
  thread_local std::unique_ptr<icu::Transliterator> translit = [] {
    UErrorCode status = U_ZERO_ERROR;
    return std::unique_ptr<icu::Transliterator>(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
  }();
  if (!translit) {
    out.Separator();
    return;
  }
  icu::UnicodeString u;
  for (char32_t cp : run) u.append(static_cast<UChar32>(cp));
  translit->transliterate(u);
  std::string utf8;
  u.toUTF8String(utf8);
  for (char c : utf8) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.Append(std::string_view(&c, 1));
    } else if (c == '\'') {
      continue;
    } else {
      out.Separator();
    }
  }
}

std::string Fold(std::string_view utf8, bool arabic_only) {
  Folder out(utf8.size());
  const FoldTable& table = Table();
  std::u32string other;
  size_t i = 0;
  char32_t cp = i < utf8.size() ? DecodeNext(utf8, &i) : kInvalid;
  bool have = !utf8.empty();
  while (have) {
    char32_t next = kInvalid;
    bool have_next = i < utf8.size();
    if (have_next) next = DecodeNext(utf8, &i);
    if (cp != kInvalid) {
      const bool other_script = !IsArabic(cp) && table.Find(cp) == nullptr &&
                                !(cp >= 0xFF01 && cp <= 0xFF5E) && !IsApostrophe(cp);
      if (other_script && !arabic_only) {
        other += cp;
      } else {
        if (!other.empty()) {
          AppendOtherScript(other, out);
          other.clear();
        }
        if (IsArabic(cp)) {
          AppendArabic(cp, next, out);
        } else if (cp >= 0xFF01 && cp <= 0xFF5E) {  // fullwidth ASCII
          out.Append(*table.Find(cp - 0xFEE0));
        } else if (const std::string* folded = table.Find(cp)) {
          out.Append(*folded);
        } else if (!IsApostrophe(cp)) {
          out.Separator();
        }
      }
    }
    cp = next;
    have = have_next;
  }
  if (!other.empty()) AppendOtherScript(other, out);
  return out.Take();
}

}  // namespace

Script DetectScript(std::string_view utf8) {
  int latin = 0, arabic = 0, cyrillic = 0, other = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    const char32_t cp = DecodeNext(utf8, &i);
    if (cp == kInvalid) continue;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp < 0x250) ||
        (cp >= 0x1E00 && cp < 0x1F00)) {
      ++latin;
    } else if (IsArabic(cp)) {
      if (cp >= 0x0621 && cp <= 0x064A) ++arabic;
    } else if (cp >= 0x0400 && cp < 0x0530) {
      ++cyrillic;
    } else if (u_isalpha(static_cast<UChar32>(cp))) {
      ++other;
    }
  }
  const int best = std::max({latin, arabic, cyrillic, other});
  if (best == 0) return Script::kNone;
  if (best == arabic) return Script::kArabic;
  if (best == latin) return Script::kLatin;
  if (best == cyrillic) return Script::kCyrillic;
  return Script::kOther;
}

std::string FoldName(std::string_view utf8) { return Fold(utf8, false); }

std::string ArabicToLatin(std::string_view utf8) { return Fold(utf8, true); }

}  // namespace entente::text
