#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace entente::text {

// The columns `utf8` takes on a terminal: East Asian wide and fullwidth characters take two,
// combining marks, format characters (bidi controls, joiners) and other zero-width ones none,
// every other character one; control characters count one (they are shown escaped, see
// ForDisplay). Invalid bytes count one each (shown as U+FFFD). Pure and thread-safe.
size_t DisplayWidth(std::string_view utf8);

// `utf8` cut to at most `width` columns, whole grapheme clusters only (a letter keeps its
// combining accents, an emoji sequence stays whole), ending with "…" when something was cut
// (which then takes one of the columns; width 0 gives ""). Invalid bytes are replaced by
// U+FFFD first.
std::string FitToWidth(std::string_view utf8, size_t width);

// `utf8` made safe to print in a table cell: invalid bytes replaced by U+FFFD, and tabs,
// newlines and other control characters (C0, DEL, C1) shown as a space, so that a value never
// breaks a row or moves the cursor.
std::string ForDisplay(std::string_view utf8);

}  // namespace entente::text
