#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace entente::synth {

// Where a synthetic person's names come from. Names of Arabic origin are stored in the
// phonemic notation of transliteration.h; the others in their usual Latin spelling, with '+'
// between a particle and the rest ("van+den+Broeck", "De+Smet", "Le+Goff"), or '~' where the
// name is usually written attached ("Du~Bois" for Dubois).
enum class Origin : uint8_t {
  kMoroccan,
  kAlgerian,
  kSyrian,
  kIraqi,
  kTurkish,
  kChechen,
  kFlemish,
  kWalloon,
  kFrench,
  kSpanish,
  kDutch,
};
inline constexpr size_t kOriginCount = 11;

enum class Sex : uint8_t { kMale, kFemale };

std::string_view OriginName(Origin origin);
// Whether the origin's names are stored phonemically (Maghrebi and Middle-Eastern).
bool IsArabicOrigin(Origin origin);
// The ISO code of the origin's country (Chechen: RU, Flemish and Walloon: BE).
std::string_view OriginCountry(Origin origin);

// The pools. Names are invented combinations of common given names and surnames; famous
// full names are kept out by IsFamousCombination. Spans point at static storage.
std::span<const std::string_view> GivenNames(Origin origin, Sex sex);
std::span<const std::string_view> Surnames(Origin origin);

// Whether a given name and surname together (or a kunya and a nisba) would name a well-known
// real person; generation then picks another given name.
bool IsFamousCombination(std::string_view given, std::string_view surname);

// Noms de guerre: Abu/Umm + a child's name (phonemic, male) + the nisba of a country.
struct Nisba {
  std::string_view country;    // ISO code
  std::string_view masculine;  // phonemic, e.g. "al+baljIkI"
  std::string_view feminine;   // "al+baljIkiyya@"
};
std::span<const std::string_view> KunyaNames();
std::span<const Nisba> Nisbas();
// The nisba of `country`, or of Morocco when the country has none.
const Nisba& NisbaOf(std::string_view country);

// Nicknames, in Latin letters, used as weak aliases.
std::span<const std::string_view> Nicknames();
// Honorifics that some records put before a man's name in an alias, by convention index
// (0 French, 1 Dutch, 2 Spanish, 3 English); the last one is the civil title (M., Dhr., Sr., Mr).
std::span<const std::string_view> Honorifics(size_t convention);

// The four partner countries, in the order of SynthSinks::registers.
inline constexpr std::array<std::string_view, 4> kPartnerCountries = {"BE", "FR", "ES", "MA"};
// Invented prison names of partner `partner` (index into kPartnerCountries).
std::span<const std::string_view> Establishments(size_t partner);
// Restrictions stated for handling code H3.
std::span<const std::string_view> HandlingRestrictions();

}  // namespace entente::synth
