#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace entente::text {

// The ISO 3166-1 alpha-2 code (uppercase) of a country as a client may write it: the alpha-2 or
// alpha-3 code in either case, or its name in English, French, Spanish, Dutch, German or Arabic
// as ICU's locale data spells it, or a usual other name ("Ivory Coast", "Czech Republic",
// "Turkey", "Burma"). Case, accents and punctuation do not count ("cote d'ivoire", "MAROC",
// "المغرب"). nullopt when it names no country. Pure and thread-safe.
std::optional<std::string> CountryCodeOf(std::string_view text);

}  // namespace entente::text
