#pragma once

#include <string>
#include <string_view>

namespace entente::text {

enum class Script { kLatin, kArabic, kCyrillic, kOther, kNone };

// The dominant script of the letters of `utf8` (kNone when it has no letter).
Script DetectScript(std::string_view utf8);

// Folds a name to lowercase ASCII letters and digits separated by single spaces, the form that
// keys and comparators work on: Unicode compatibility forms and case are folded, diacritics
// dropped (é -> e, ß -> ss, ı -> i, ø -> o), Cyrillic and Greek transliterated, Arabic script
// transliterated letter by letter the way Maghrebi French records spell it (see
// ArabicToLatin), and other scripts through ICU's Any-Latin. Apostrophes and the Arabic ayn
// vanish ("O'Brien" -> "obrien"); other punctuation, hyphens and dots separate tokens. Invalid
// UTF-8 bytes are dropped. Pure and thread-safe.
std::string FoldName(std::string_view utf8);

// Transliterates Arabic-script text to the Latin spelling of Maghrebi French records, letter
// by letter: long vowels become a/i/ou, short vowels are not written in Arabic and so are
// absent, ta marbuta is a, ayn and hamza vanish, and the article stays "al". Non-Arabic code
// points pass through folded as by FoldName.
std::string ArabicToLatin(std::string_view utf8);

}  // namespace entente::text
