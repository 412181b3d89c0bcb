#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/random.h"
#include "synth/name_pools.h"
#include "synth/transliteration.h"

namespace entente::synth {

// The names of one person as the pools hold them (phonemic for Arabic origins).
struct PersonName {
  Origin origin = Origin::kMoroccan;
  Sex sex = Sex::kMale;
  std::string_view given;
  std::string_view second_given;  // may be empty ("muHammed" + "amIn")
  std::string_view surname;
  std::string_view second_surname;  // the Spanish second surname; may be empty
};

// A name as one record shows it.
struct RenderedName {
  std::string name;        // "Mohamed El Amrani", "EL AMRANI Mohammed", "محمد العمراني"
  std::string first_name;  // the given name(s) exactly as written in a Latin `name`
  std::string last_name;   // the surname(s) exactly as written in a Latin `name`
  std::string latin_alias;   // an Arabic-script record's Latin form, "EL AMRANI MOHAMED"
  std::string arabic_first;  // for Arabic-script records, the parts of `name`
  std::string arabic_last;
  Convention convention = Convention::kFrench;
};

// The convention a record of partner `partner` (index into kPartnerCountries) uses this time:
// Belgium French, Dutch or English; France French; Spain Spanish; Morocco French (beside the
// Arabic script).
Convention PickConvention(size_t partner, Rng& rng);

// Renders `name` as a record of partner `partner` writes it: Belgium "Mohamed El Amrani",
// France "EL AMRANI Mohammed", Spain "Mohamed Amrani", Morocco "محمد العمراني" with the Latin
// alias "EL AMRANI MOHAMED"; now and then "Surname, Given" or capitals. With probability
// `typo_chance` the given name or surname gets one typing error.
RenderedName RenderName(const PersonName& name, size_t partner, double typo_chance, Rng& rng);

// "Given Surname" in Latin letters by `convention`, for an alias spelled another way.
std::string RenderLatinName(const PersonName& name, Convention convention, Rng& rng);

// A nom de guerre: Abu (Umm for a woman) + the child's name + the nisba, e.g.
// "Abu Musab al-Baljiki", "Abou Hamza El Faransi". `child` is phonemic.
std::string RenderKunya(std::string_view child, const Nisba& nisba, Sex sex, Convention convention,
                        Rng& rng);

// A Chechen name as it reached the administration: English from Russian "Kadyrov", with
// variation "Kadirov"; French "Ioussoupov", "Zelimkhan"; Dutch (German route) "Selimchan",
// "Kadyrow"; Spanish "Zelimjan". With `variation` null every rule of the route applies.
std::string ChechenVariant(std::string_view name, Convention convention, Rng* variation);

// A Latin surname with particles ('+' between particle and name; '~' when the name is usually
// written attached): kDetached "van den Broeck", "Du Bois"; kAttached "Vandenbroeck",
// "Dubois"; kHyphenated capitalises the particles, "Van Den Broeck"; kDropped "Broeck".
std::string RenderParticleSurname(std::string_view stored, ParticleStyle style);

// One typing error on the ASCII letters of `text`: a substitution, a transposition of two
// neighbours or a deletion. Text without two ASCII letters is returned unchanged.
std::string ApplyTypo(std::string_view text, Rng& rng);

// The consonant skeleton of the given name and of the surname without the particles a record
// may drop ("mhmd|mrn" for muHammed al+3amrAnI: Mohamed El Amrani, Mohammed Amrani, ...):
// spelling variants of one name share it.
std::string NameSkeleton(const PersonName& name);

}  // namespace entente::synth
