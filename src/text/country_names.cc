#include "text/country_names.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "text/fold.h"

namespace entente::text {
namespace {

// Names ICU's data does not give as a country's display name, but clients write.
constexpr std::pair<std::string_view, std::string_view> kOtherNames[] = {
    {"ivory coast", "CI"},
    {"czech republic", "CZ"},
    {"turkey", "TR"},
    {"burma", "MM"},
    {"usa", "US"},
    {"united states of america", "US"},
    {"uk", "GB"},
    {"great britain", "GB"},
    {"england", "GB"},
    {"holland", "NL"},
    {"russian federation", "RU"},
    {"north korea", "KP"},
    {"south korea", "KR"},
    {"republic of korea", "KR"},
    {"syria", "SY"},
    {"syrian arab republic", "SY"},
    {"iran", "IR"},
    {"palestine", "PS"},
    {"vatican", "VA"},
    {"macedonia", "MK"},
    {"swaziland", "SZ"},
    {"cape verde", "CV"},
    {"east timor", "TL"},
    {"democratic republic of the congo", "CD"},
    {"republic of the congo", "CG"},
    {"kosovo", "XK"},
};

// Every way of writing a country this module knows, folded, to its alpha-2 code.
const std::unordered_map<std::string, std::string>& Names() {
  static const auto* names = [] {
    auto* out = new std::unordered_map<std::string, std::string>();
    const icu::Locale languages[] = {icu::Locale("en"), icu::Locale("fr"), icu::Locale("es"),
                                     icu::Locale("nl"), icu::Locale("de"), icu::Locale("ar")};
    for (const char* const* code = icu::Locale::getISOCountries(); *code != nullptr; ++code) {
      const std::string alpha2(*code);
      const icu::Locale country("", *code);
      out->emplace(FoldName(alpha2), alpha2);
      const std::string alpha3 = country.getISO3Country();
      if (!alpha3.empty()) out->emplace(FoldName(alpha3), alpha2);
      for (const icu::Locale& language : languages) {
        icu::UnicodeString name;
        country.getDisplayCountry(language, name);
        std::string utf8;
        name.toUTF8String(utf8);
        // ICU answers the code itself when it has no name in that language.
        if (utf8 != alpha2) out->emplace(FoldName(utf8), alpha2);
      }
    }
    out->emplace("xk", "XK");
    out->emplace("xkx", "XK");
    for (const auto& [name, code] : kOtherNames) out->emplace(std::string(name), std::string(code));
    return out;
  }();
  return *names;
}

}  // namespace

std::optional<std::string> CountryCodeOf(std::string_view text) {
  const std::string folded = FoldName(text);
  if (folded.empty()) return std::nullopt;
  const auto& names = Names();
  if (auto it = names.find(folded); it != names.end()) return it->second;
  return std::nullopt;
}

}  // namespace entente::text
