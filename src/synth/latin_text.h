#pragma once

#include <string>
#include <string_view>

namespace entente::synth {

// Case and diacritic helpers for the Latin letters the name pools use (ASCII, Latin-1 and the
// Turkish letters ğ ı İ ş). Other code points, Arabic script included, pass through unchanged.
// Inputs must be valid UTF-8.

// "El Amrani" -> "EL AMRANI", "Öztürk" -> "ÖZTÜRK", "ı" -> "I".
std::string UppercaseLatin(std::string_view text);
// "ÉLODIE" -> "élodie", "İ" -> "i".
std::string LowercaseLatin(std::string_view text);
// Uppercases the first letter of each word (after a space, hyphen or apostrophe) and
// lowercases the rest: "van DEN broeck" -> "Van Den Broeck".
std::string TitleCaseLatin(std::string_view text);
// "Çelik" -> "Celik", "Müller" -> "Muller", "ı" -> "i", "œ" -> "oe".
std::string StripDiacritics(std::string_view text);
// Uppercases only the first letter: "el amrani" -> "El amrani".
std::string CapitalizeFirst(std::string_view text);

}  // namespace entente::synth
