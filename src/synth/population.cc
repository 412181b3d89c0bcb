#include "synth/population.h"

#include <algorithm>
#include <bit>
#include <numeric>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "common/check.h"
#include "common/ids.h"
#include "common/random.h"
#include "model/date.h"
#include "model/entity.h"
#include "model/vocabulary.h"
#include "synth/documents.h"
#include "synth/name_pools.h"
#include "synth/name_rendering.h"
#include "synth/transliteration.h"

namespace entente::synth {
namespace {

using model::Category;
using model::LinkType;
using model::PartialDate;

constexpr size_t kPartners = kPartnerCountries.size();
constexpr int kIdDigits = 7;
constexpr int64_t kDaysPerYear = 365;
constexpr uint64_t kMaxPersons = 1ULL << 31;

// Independent random streams, so that changing one output never shifts another.
enum class Stream : uint64_t {
  kPlacement = 1,       // owner country, second register
  kPerson,              // identity of a listed person
  kWatchlist,           // the owner's record
  kSecondRecord,        // the second register's record
  kQuery,               // a query row
  kUnlisted,            // identity of an unlisted person
  kCells,               // networks
  kWatchlistBirthDate,  // how the owner's record writes the birth date
  kRegisterIds,
};

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Rng StreamRng(uint64_t seed, Stream stream, uint64_t index) {
  const uint64_t s = Mix(seed + 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(stream));
  return Rng(Mix(s ^ Mix(index + 0x632BE59BD9B4E019ULL)));
}

template <typename T>
T PickFrom(std::span<const T> pool, Rng& rng) {
  return pool[rng.Below(pool.size())];
}

// --- Placement: whose subject a person is, and who else holds a record ---------------------

struct Placement {
  size_t owner = 0;
  std::optional<size_t> second;  // another partner's register holding the person too
};

Placement PlaceListed(uint64_t seed, uint64_t index) {
  Rng rng = StreamRng(seed, Stream::kPlacement, index);
  Placement p;
  p.owner = PickWeighted(rng, std::array{0.30, 0.35, 0.20, 0.15});
  if (rng.Chance(0.10)) p.second = (p.owner + 1 + rng.Below(kPartners - 1)) % kPartners;
  return p;
}

// --- Persons --------------------------------------------------------------------------------

// Origins of the subjects of each partner, in Origin order: Moroccan, Algerian, Syrian, Iraqi,
// Turkish, Chechen, Flemish, Walloon, French, Spanish, Dutch.
constexpr std::array<std::array<double, kOriginCount>, kPartners> kOriginMix = {{
    {45, 4, 4, 2, 8, 6, 13, 10, 3, 2, 3},  // BE
    {20, 30, 4, 2, 5, 6, 0, 2, 26, 3, 2},  // FR
    {55, 10, 3, 1, 2, 2, 0, 0, 3, 23, 1},  // ES
    {86, 5, 3, 1, 0, 0, 1, 1, 2, 1, 0},    // MA
}};

constexpr std::array<Category, 9> kAdultCategories = {Category::kForeignTerroristFighter,
                                                      Category::kReturnee,
                                                      Category::kHomegrownTerroristFighter,
                                                      Category::kHatePropagandist,
                                                      Category::kPotentiallyViolentExtremist,
                                                      Category::kTerrorismConvict,
                                                      Category::kRadicalisedPrisoner,
                                                      Category::kWeaponsTrafficking,
                                                      Category::kDrugsTrafficking};
constexpr std::array<double, 9> kAdultCategoryWeights = {18, 10, 12, 12, 20, 10, 8, 5, 5};

struct Person {
  PersonName name;
  Placement placement;
  int64_t birth_days = 0;  // days since 1970-01-01
  std::array<std::string_view, 2> nationalities;
  size_t nationality_count = 1;
  std::string passport;
  std::string national_id;            // of the country of residence (the owner)
  std::array<std::string, 2> phones;  // national significant numbers, country of residence
  size_t phone_count = 0;
  std::string_view kunya_child;  // empty when the person has no nom de guerre
  const Nisba* nisba = nullptr;
  std::string_view nickname;
  uint32_t categories = 0;  // bit per model::Category
  bool minor = false;

  std::string_view Residence() const { return kPartnerCountries[placement.owner]; }
  bool IsMale() const { return name.sex == Sex::kMale; }
  bool Has(Category c) const { return (categories >> static_cast<unsigned>(c)) & 1U; }
};

void PickNames(Origin origin, Sex sex, Rng& rng, PersonName* name) {
  name->origin = origin;
  name->sex = sex;
  const auto given_pool = GivenNames(origin, sex);
  const auto surname_pool = Surnames(origin);
  name->surname = PickFrom(surname_pool, rng);
  do {
    name->given = PickFrom(given_pool, rng);
  } while (IsFamousCombination(name->given, name->surname));
  name->second_given = {};
  const bool maghrebi = origin == Origin::kMoroccan || origin == Origin::kAlgerian;
  const double second_given = maghrebi && name->given == "muHammed"    ? 0.35
                              : maghrebi || origin == Origin::kTurkish ? 0.06
                                                                       : 0.0;
  if (rng.Chance(second_given)) {
    const std::string_view second = PickFrom(given_pool, rng);
    if (second != name->given && second.find('+') == std::string_view::npos) {
      name->second_given = second;
    }
  }
  name->second_surname = {};
  if (origin == Origin::kSpanish) {
    std::string_view second;
    do {
      second = PickFrom(surname_pool, rng);
    } while (second == name->surname);
    name->second_surname = second;
  }
}

Person MakePerson(uint64_t seed, Stream stream, uint64_t index, int64_t reference_days) {
  Person p;
  Rng rng = StreamRng(seed, stream, index);
  if (stream == Stream::kPerson) {
    p.placement = PlaceListed(seed, index);
  } else {
    p.placement.owner = PickWeighted(rng, std::array{0.30, 0.35, 0.20, 0.15});
  }
  const size_t owner = p.placement.owner;
  const auto origin = static_cast<Origin>(PickWeighted(rng, kOriginMix[owner]));
  const Sex sex = rng.Chance(0.8) ? Sex::kMale : Sex::kFemale;
  PickNames(origin, sex, rng, &p.name);

  p.minor = rng.Chance(0.025);
  if (p.minor) {
    // 8 to 16 years and up to a year: under 18 on the reference date.
    const int64_t age = rng.Between(8, 16);
    p.birth_days = reference_days - age * kDaysPerYear - age / 4 - rng.Between(1, 364);
  } else {
    // Mostly 18-42 around 30, some older up to 65.
    const int64_t age = rng.Chance(0.85)
                            ? 18 + static_cast<int64_t>(12.0 * (rng.Uniform() + rng.Uniform()))
                            : rng.Between(40, 65);
    p.birth_days = reference_days - age * kDaysPerYear - age / 4 - rng.Between(1, 364);
  }

  const std::string_view home = kPartnerCountries[owner];
  const std::string_view origin_country = OriginCountry(origin);
  if (origin_country == home) {
    p.nationalities[0] = home;
  } else {
    const double u = rng.Uniform();
    const bool european = origin_country == "BE" || origin_country == "FR" ||
                          origin_country == "ES" || origin_country == "NL";
    if (european || u < 0.2) {
      p.nationalities[0] = origin_country;
    } else if (u < 0.45) {
      p.nationalities[0] = home;
    } else {
      p.nationalities[0] = home;  // BE|MA, FR|DZ, ES|MA ...
      p.nationalities[1] = origin_country;
      p.nationality_count = 2;
    }
  }
  const bool national = p.nationalities[0] == home || p.nationalities[1] == home;
  const PartialDate birth = PartialDate::FromEpochDays(p.birth_days);
  p.passport = MakePassportNumber(p.nationalities[0], rng);
  p.national_id = MakeNationalNumber(home, birth, p.IsMale(), national, rng);
  p.phone_count = PickWeighted(rng, std::array{0.2, 0.6, 0.2});
  for (size_t k = 0; k < p.phone_count; ++k) p.phones[k] = MakeMobileNumber(home, rng);

  const double kunya = IsArabicOrigin(origin) ? (p.IsMale() ? 0.25 : 0.08) : 0.04;
  if (!p.minor && rng.Chance(kunya)) {
    p.nisba = &NisbaOf(rng.Chance(0.7) ? home : origin_country);
    do {
      p.kunya_child = PickFrom(KunyaNames(), rng);
    } while (IsFamousCombination(p.kunya_child, p.nisba->masculine));
  }
  if (rng.Chance(0.12)) p.nickname = PickFrom(Nicknames(), rng);

  if (p.minor) {
    p.categories = 1U << static_cast<unsigned>(Category::kReturningMinor);
    if (rng.Chance(0.4)) p.categories |= 1U << static_cast<unsigned>(Category::kReturnee);
  } else {
    const size_t count = 1 + PickWeighted(rng, std::array{0.65, 0.27, 0.08});
    while (static_cast<size_t>(std::popcount(p.categories)) < count) {
      p.categories |=
          1U << static_cast<unsigned>(kAdultCategories[PickWeighted(rng, kAdultCategoryWeights)]);
    }
  }
  return p;
}

// --- Records --------------------------------------------------------------------------------

// How complete and how noisy one partner's record of a person is.
struct RecordProfile {
  double typo;
  double first_last;                     // firstName and lastName given
  std::array<double, 4> date_precision;  // full, year-month, year, missing
  // 1 January placeholder, swapped day and month, year off by one; with `typing_slips`, also a
  // digit mistyped and a date a few days off
  double date_noise;
  double nationality;
  double gender;
  double passport;
  double id_number;
  double phone;
  double country;
  double spelling_alias;
  double kunya_alias;
  double honorific_alias;
  bool nickname;
  double kunya_only;  // a person with a nom de guerre known by it alone: the only name written
  bool typing_slips;
};

constexpr RecordProfile kOwnerRecord = {
    0.0, 0.9,  {0.93, 0.02, 0.05, 0.0}, 0.0, 1.0, 0.97, 0.7, 0.65, 0.7, 0.9, 0.3, 0.9, 0.08, true,
    0.0, false};
constexpr RecordProfile kPartnerRecord = {
    0.05, 0.85, {0.9, 0.03, 0.05, 0.02}, 0.02, 0.95, 0.95, 0.6, 0.4, 0.6, 0.9, 0.2, 0.7, 0.05, true,
    0.0,  false};
constexpr RecordProfile kListedQuery = {0.12, 0.75,  {0.72, 0.05, 0.1, 0.13},
                                        0.09, 0.75,  0.85,
                                        0.45, 0.2,   0.35,
                                        0.5,  0.1,   0.3,
                                        0.03, false, 0.0,
                                        false};
// SynthOptions::hard_noise: more of the dates slip, in the two ways typing adds, and some
// people are known by their nom de guerre alone.
constexpr RecordProfile kListedQueryHard = {0.12, 0.75,  {0.72, 0.05, 0.1, 0.13},
                                            0.13, 0.75,  0.85,
                                            0.45, 0.2,   0.35,
                                            0.5,  0.1,   0.3,
                                            0.03, false, 0.15,
                                            true};
constexpr RecordProfile kUnlistedQuery = {0.12, 0.75,  {0.72, 0.05, 0.1, 0.13},
                                          0.0,  0.75,  0.85,
                                          0.45, 0.2,   0.35,
                                          0.5,  0.1,   0.3,
                                          0.03, false, 0.0,
                                          false};
// A namesake always carries the birth date that tells them apart from the listed person: a
// namesake without one could not be told apart by anyone, so the truth would be unknowable.
constexpr RecordProfile kNamesakeQuery = {0.12, 0.75,  {0.78, 0.07, 0.15, 0.0},
                                          0.0,  0.75,  0.85,
                                          0.45, 0.2,   0.35,
                                          0.5,  0.1,   0.3,
                                          0.03, false, 0.0,
                                          false};

// One digit of the day, the month or the year's last two mistyped, when the result is a date.
PartialDate MistypedDate(const PartialDate& d, Rng& rng) {
  int parts[3] = {d.year() % 100, d.month(), d.day()};
  const size_t part = rng.Below(3);
  const int tens = parts[part] / 10, units = parts[part] % 10;
  const int digit = static_cast<int>(rng.Below(9));  // 0-8, skipping the one typed
  if (rng.Chance(0.5)) {
    parts[part] = tens * 10 + (digit >= units ? digit + 1 : digit);
  } else {
    parts[part] = (digit >= tens ? digit + 1 : digit) * 10 + units;
  }
  const int year = d.year() / 100 * 100 + parts[0];
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 ||
      parts[2] > model::DaysInMonth(year, parts[1])) {
    return d;
  }
  return PartialDate::Day(year, parts[1], parts[2]);
}

PartialDate NoisyBirthDate(const PartialDate& d, double noise, bool typing_slips, Rng& rng) {
  if (!rng.Chance(noise)) return d;
  switch (rng.Below(typing_slips ? 5 : 3)) {
    case 3:
      return MistypedDate(d, rng);
    case 4: {
      const int64_t days = static_cast<int64_t>(rng.Below(3)) + 1;
      return PartialDate::FromEpochDays(d.ToEpochDays() + (rng.Chance(0.5) ? days : -days));
    }
    case 0:
      return PartialDate::Day(d.year(), 1, 1);
    case 1:
      if (d.day() <= 12 && d.day() != d.month())
        return PartialDate::Day(d.year(), d.day(), d.month());
      return d;
    default: {
      const int year = d.year() + (rng.Chance(0.5) ? 1 : -1);
      const int last = model::DaysInMonth(year, d.month());
      return PartialDate::Day(year, d.month(), std::min(d.day(), last));
    }
  }
}

// The birth date as a record writes it: possibly shifted by noise, at some precision, or ""
// when the record has none.
std::string WrittenBirthDate(const Person& p, const RecordProfile& profile, Rng& rng) {
  const PartialDate birth = NoisyBirthDate(PartialDate::FromEpochDays(p.birth_days),
                                           profile.date_noise, profile.typing_slips, rng);
  switch (PickWeighted(rng, profile.date_precision)) {
    case 0:
      return birth.ToString();
    case 1:
      return PartialDate::YearMonth(birth.year(), birth.month()).ToString();
    case 2:
      return PartialDate::Year(birth.year()).ToString();
    default:
      return "";
  }
}

void AddIfNew(model::Entity* e, std::string_view property, std::string value) {
  if (value == e->First("name")) return;
  for (const auto& v : e->Values(property)) {
    if (v == value) return;
  }
  e->Add(property, std::move(value));
}

void AddOtherFields(const Person& p, const RecordProfile& profile, std::string birth_date, Rng& rng,
                    model::Entity* e);

// The identity part of a record of `p` written by partner `partner`.
void AddIdentity(const Person& p, size_t partner, const RecordProfile& profile,
                 std::string birth_date, Rng& rng, model::Entity* e) {
  if (!p.kunya_child.empty() && profile.kunya_only > 0 && rng.Chance(profile.kunya_only)) {
    // Known by the nom de guerre alone: the name a source gave, the rest as any record.
    const Convention convention = rng.Chance(0.6) ? Convention::kEnglish : Convention::kFrench;
    e->Add("name", RenderKunya(p.kunya_child, *p.nisba, p.name.sex, convention, rng));
    AddOtherFields(p, profile, std::move(birth_date), rng, e);
    return;
  }
  RenderedName rendered = RenderName(p.name, partner, profile.typo, rng);
  e->Add("name", rendered.name);
  if (!rendered.latin_alias.empty()) e->Add("alias", rendered.latin_alias);
  if (rng.Chance(profile.first_last)) {
    const bool arabic = !rendered.arabic_first.empty() && rng.Chance(0.4);
    e->Add("firstName", arabic ? rendered.arabic_first : rendered.first_name);
    e->Add("lastName", arabic ? rendered.arabic_last : rendered.last_name);
  }
  if (rng.Chance(profile.spelling_alias)) {
    const auto convention = static_cast<Convention>(rng.Below(4));
    AddIfNew(e, "alias", RenderLatinName(p.name, convention, rng));
  }
  if (!p.kunya_child.empty() && rng.Chance(profile.kunya_alias)) {
    const Convention convention = rng.Chance(0.6) ? Convention::kEnglish : rendered.convention;
    AddIfNew(e, "alias", RenderKunya(p.kunya_child, *p.nisba, p.name.sex, convention, rng));
  }
  if (p.IsMale() && rng.Chance(profile.honorific_alias)) {
    // Religious honorifics for Arabic names, otherwise the civil title (the last one).
    const auto honorifics = Honorifics(static_cast<size_t>(rendered.convention));
    const std::string_view honorific =
        IsArabicOrigin(p.name.origin) ? PickFrom(honorifics, rng) : honorifics.back();
    AddIfNew(e, "alias",
             std::string(honorific) + " " + RenderLatinName(p.name, rendered.convention, rng));
  }
  if (profile.nickname && !p.nickname.empty()) e->Add("weakAlias", std::string(p.nickname));
  AddOtherFields(p, profile, std::move(birth_date), rng, e);
}

// The fields of a record beside its names.
void AddOtherFields(const Person& p, const RecordProfile& profile, std::string birth_date, Rng& rng,
                    model::Entity* e) {
  if (!birth_date.empty()) e->Add("birthDate", std::move(birth_date));
  if (rng.Chance(profile.nationality)) {
    if (p.nationality_count == 2 && rng.Chance(0.3)) {
      e->Add("nationality", std::string(p.nationalities[rng.Below(2)]));
    } else {
      for (size_t k = 0; k < p.nationality_count; ++k) {
        e->Add("nationality", std::string(p.nationalities[k]));
      }
    }
  }
  if (rng.Chance(profile.gender)) e->Add("gender", p.IsMale() ? "male" : "female");
  if (rng.Chance(profile.id_number)) {
    e->Add("idNumber", FormatNationalNumber(p.Residence(), p.national_id, &rng));
  }
  if (rng.Chance(profile.passport)) {
    e->Add("passportNumber", FormatDocumentNumber(p.passport, &rng));
  }
  for (size_t k = 0; k < p.phone_count; ++k) {
    if (rng.Chance(profile.phone)) e->Add("phone", FormatPhone(p.Residence(), p.phones[k], &rng));
  }
  if (rng.Chance(profile.country)) e->Add("country", std::string(p.Residence()));
}

std::string Agency(size_t partner, model::AgencyKind kind) {
  return std::string(kPartnerCountries[partner]) + "/" + std::string(model::AgencyKindCode(kind));
}

// Register attributes of a record kept by `partner`. Custody only in the owner's record.
void AddRegisterAttributes(const Person& p, size_t partner, bool owner_record, Rng& rng,
                           int64_t reference_days, model::Entity* e) {
  using model::AgencyKind;
  uint32_t categories = p.categories;
  if (!owner_record && std::popcount(categories) > 1 && rng.Chance(0.4)) {
    categories &= categories - 1;  // a partner knows only part of the picture
  }
  for (size_t c = 0; c < 10; ++c) {
    if ((categories >> c) & 1U) {
      e->Add("category", std::string(model::CategoryCode(static_cast<Category>(c))));
    }
  }
  const bool convict = (categories >> static_cast<unsigned>(Category::kTerrorismConvict)) & 1U;
  model::DataSubjectCategory subject;
  if (convict && rng.Chance(0.8)) {
    subject = model::DataSubjectCategory::kConvicted;
  } else if (p.minor && rng.Chance(0.3)) {
    subject = model::DataSubjectCategory::kVictim;
  } else {
    constexpr std::array<model::DataSubjectCategory, 5> kSubjects = {
        model::DataSubjectCategory::kSuspect, model::DataSubjectCategory::kContactOrAssociate,
        model::DataSubjectCategory::kOther, model::DataSubjectCategory::kWitness,
        model::DataSubjectCategory::kVictim};
    subject = kSubjects[PickWeighted(rng, std::array{0.6, 0.25, 0.1, 0.03, 0.02})];
  }
  e->Add("dataSubject", std::string(model::DataSubjectCode(subject)));
  e->Add("informationType", rng.Chance(0.6) ? "fact" : "assessment");

  const bool custody =
      owner_record &&
      (p.Has(Category::kTerrorismConvict) || p.Has(Category::kRadicalisedPrisoner)) &&
      rng.Chance(0.75);
  constexpr std::array<AgencyKind, 3> kOwners = {AgencyKind::kIntelligence, AgencyKind::kPolice,
                                                 AgencyKind::kJudicial};
  const AgencyKind owner_kind = custody && rng.Chance(0.4)
                                    ? AgencyKind::kPenitentiary
                                    : kOwners[PickWeighted(rng, std::array{0.45, 0.45, 0.1})];
  e->Add("ownerAgency", Agency(partner, owner_kind));
  AgencyKind lead = owner_kind;
  if (p.minor && rng.Chance(0.6)) {
    lead = AgencyKind::kYouthProtection;
  } else if (rng.Chance(0.5)) {
    lead = kOwners[PickWeighted(rng, std::array{0.5, 0.4, 0.1})];
  }
  e->Add("leadService", Agency(partner, lead));
  e->Add("threatLevel", std::to_string(1 + PickWeighted(rng, std::array{0.3, 0.4, 0.2, 0.1})));
  const size_t handling = PickWeighted(rng, std::array{0.4, 0.3, 0.2, 0.1});
  e->Add("handlingCode",
         std::string(model::HandlingCodeName(static_cast<model::HandlingCode>(handling))));
  if (handling == 3)
    e->Add("handlingRestriction", std::string(PickFrom(HandlingRestrictions(), rng)));
  e->Add("sourceReliability",
         std::string(
             model::SourceReliabilityCodes()[PickWeighted(rng, std::array{0.2, 0.5, 0.2, 0.1})]));
  e->Add("informationAccuracy",
         std::string(
             model::InformationAccuracyCodes()[PickWeighted(rng, std::array{0.2, 0.4, 0.3, 0.1})]));
  const int64_t created = reference_days - rng.Between(30, 3650);
  const int64_t review = created + rng.Between(180, 1095);
  const int64_t retention = review + rng.Between(365, 3650);
  e->Add("createdAt", PartialDate::FromEpochDays(created).ToString());
  e->Add("reviewDate", PartialDate::FromEpochDays(review).ToString());
  e->Add("retentionDate", PartialDate::FromEpochDays(retention).ToString());
  e->Add("sourceCountry", std::string(kPartnerCountries[partner]));
  if (custody) {
    e->Add("establishment", std::string(PickFrom(Establishments(partner), rng)));
    const int64_t release = reference_days + rng.Between(0, 1095);
    const int64_t sentence_end = release + rng.Between(0, 730);
    e->Add("plannedRelease", PartialDate::FromEpochDays(release).ToString());
    e->Add("sentenceEnd", PartialDate::FromEpochDays(sentence_end).ToString());
    const size_t leaves = PickWeighted(rng, std::array{0.6, 0.3, 0.1});
    for (size_t k = 0; k < leaves; ++k) {
      const int64_t start = rng.Between(reference_days - 180, release);
      const int64_t end = start + rng.Between(0, 4);
      e->Add("leave", PartialDate::FromEpochDays(start).ToString() + "/" +
                          PartialDate::FromEpochDays(end).ToString());
    }
  }
}

// --- Networks -------------------------------------------------------------------------------

struct Link {
  LinkType type;
  uint64_t target;  // 0-based watchlist index
};

// Cells of 3-12 persons, drawn inside blocks of kBlock consecutive persons (whose owners are
// independent, so cells cross borders). About 30% of persons are in a cell.
class Networks {
 public:
  Networks(uint64_t seed, uint64_t persons) : seed_(seed), persons_(persons) {}

  // The links recorded on person `index`, without duplicates. Cheapest in index order.
  void LinksOf(uint64_t index, std::vector<Link>* out) {
    out->clear();
    const uint64_t block = index / kBlock;
    if (block != block_) Layout(block);
    const auto offset = static_cast<uint8_t>(index % kBlock);
    for (const Edge& edge : edges_) {
      if (edge.from != offset) continue;
      const uint64_t target = block * kBlock + edge.to;
      const bool seen = std::any_of(out->begin(), out->end(),
                                    [target](const Link& l) { return l.target == target; });
      if (!seen) out->push_back({edge.type, target});
    }
  }

 private:
  static constexpr uint64_t kBlock = 64;
  struct Edge {
    uint8_t from;
    uint8_t to;
    LinkType type;
  };

  void Layout(uint64_t block) {
    block_ = block;
    edges_.clear();
    Rng rng = StreamRng(seed_, Stream::kCells, block);
    const size_t size = static_cast<size_t>(std::min<uint64_t>(kBlock, persons_ - block * kBlock));
    std::array<uint8_t, kBlock> order{};
    std::iota(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(size), uint8_t{0});
    for (size_t i = size; i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    constexpr std::array<LinkType, 7> kTypes = {
        LinkType::kAssociate,   LinkType::kCommunication, LinkType::kTravel,    LinkType::kFamily,
        LinkType::kCoDefendant, LinkType::kCellMate,      LinkType::kMembership};
    constexpr std::array<double, 7> kWeights = {35, 20, 15, 10, 10, 5, 5};
    size_t pos = 0;
    while (pos < size) {
      if (!rng.Chance(0.055)) {
        ++pos;
        continue;
      }
      const size_t cell = std::min<size_t>(static_cast<size_t>(rng.Between(3, 12)), size - pos);
      if (cell < 3) break;
      const uint8_t* m = order.data() + pos;
      for (size_t k = 1; k < cell; ++k) {  // a spanning tree: the cell is connected
        edges_.push_back({m[k], m[rng.Below(k)], kTypes[PickWeighted(rng, kWeights)]});
      }
      const size_t extra = rng.Below(cell / 3 + 1);
      for (size_t k = 0; k < extra; ++k) {
        const size_t a = rng.Below(cell);
        const size_t b = rng.Below(cell);
        if (a != b) edges_.push_back({m[a], m[b], kTypes[PickWeighted(rng, kWeights)]});
      }
      pos += cell;
    }
  }

  uint64_t seed_;
  uint64_t persons_;
  uint64_t block_ = UINT64_MAX;
  std::vector<Edge> edges_;
};

// --- Registers ------------------------------------------------------------------------------

// Register ids are a permutation of 1..persons per register, so that a person's rows in two
// registers do not share a number, yet a link target's id is computed without a table.
class RegisterIds {
 public:
  RegisterIds(uint64_t seed, uint64_t persons) : persons_(persons) {
    for (size_t c = 0; c < kPartners; ++c) {
      Rng rng = StreamRng(seed, Stream::kRegisterIds, c);
      uint64_t a = persons > 1 ? 1 + rng.Below(persons - 1) : 1;
      while (std::gcd(a, persons) != 1) a = a + 1 < persons ? a + 1 : 1;
      multiplier_[c] = a;
      offset_[c] = rng.Below(persons);
    }
  }

  std::string IdOf(size_t partner, uint64_t index) const {
    // persons_ <= kMaxPersons, so the product fits in 64 bits.
    const uint64_t number = (multiplier_[partner] * index + offset_[partner]) % persons_ + 1;
    return FormatSequentialId(std::string(kPartnerCountries[partner]) + "-", number, kIdDigits);
  }

 private:
  uint64_t persons_;
  std::array<uint64_t, kPartners> multiplier_{};
  std::array<uint64_t, kPartners> offset_{};
};

// --- The no-collision guarantee for unlisted queries ----------------------------------------

// The name skeleton and a written birth date: what no unlisted query may share with a listed
// person's watchlist row.
uint64_t IdentityKey(const Person& p, std::string_view birth_date) {
  uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a
  for (char c : NameSkeleton(p.name)) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  h ^= '#';
  h *= 0x100000001B3ULL;
  for (char c : birth_date) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return Mix(h);
}

Status WriteLine(std::ostream* out, const std::string& line, std::string_view what) {
  if (out == nullptr) return Status::Ok();
  *out << line;
  if (!*out) return IoError("cannot write " + std::string(what));
  return Status::Ok();
}

class PopulationWriter {
 public:
  PopulationWriter(const SynthOptions& options, SynthSinks& sinks, int64_t reference_days)
      : options_(options),
        sinks_(sinks),
        reference_days_(reference_days),
        networks_(options.seed, options.persons),
        register_ids_(options.seed, options.persons) {}

  Status Run() {
    const bool want_queries = sinks_.queries != nullptr || sinks_.truth != nullptr;
    bool want_registers = sinks_.register_truth != nullptr;
    for (auto* r : sinks_.registers) want_registers |= r != nullptr;
    if (want_queries) keys_.reserve(2 * options_.persons);
    ENTENTE_RETURN_IF_ERROR(
        WriteLine(sinks_.register_truth, "register_id,watchlist_id\n", "register truth"));
    if (sinks_.watchlist != nullptr || want_registers || want_queries) {
      for (uint64_t i = 0; i < options_.persons; ++i) {
        ENTENTE_RETURN_IF_ERROR(WritePerson(i, want_registers, want_queries));
      }
    }
    if (want_queries) {
      std::sort(keys_.begin(), keys_.end());
      ENTENTE_RETURN_IF_ERROR(WriteLine(sinks_.truth, "query_id,match_id\n", "truth"));
      const uint64_t queries = options_.queries == 0 ? options_.persons : options_.queries;
      for (uint64_t q = 0; q < queries; ++q) ENTENTE_RETURN_IF_ERROR(WriteQuery(q));
    }
    if (sinks_.watchlist != nullptr) ENTENTE_RETURN_IF_ERROR(sinks_.watchlist->Finish());
    if (sinks_.queries != nullptr) ENTENTE_RETURN_IF_ERROR(sinks_.queries->Finish());
    for (auto* r : sinks_.registers) {
      if (r != nullptr) ENTENTE_RETURN_IF_ERROR(r->Finish());
    }
    for (std::ostream* out : {sinks_.truth, sinks_.register_truth}) {
      if (out == nullptr) continue;
      out->flush();
      if (!*out) return IoError("cannot flush a truth file");
    }
    return Status::Ok();
  }

 private:
  Status WritePerson(uint64_t i, bool want_registers, bool want_queries) {
    const Person p = MakePerson(options_.seed, Stream::kPerson, i, reference_days_);
    Rng date_rng = StreamRng(options_.seed, Stream::kWatchlistBirthDate, i);
    std::string watchlist_birth_date = WrittenBirthDate(p, kOwnerRecord, date_rng);
    if (want_queries) {
      keys_.push_back(IdentityKey(p, watchlist_birth_date));
      // A query without a birth date is told apart by its name alone.
      keys_.push_back(IdentityKey(p, ""));
    }
    if (sinks_.watchlist == nullptr && !want_registers) return Status::Ok();

    model::Entity e;
    e.id = WatchlistId(i);
    Rng rng = StreamRng(options_.seed, Stream::kWatchlist, i);
    const size_t owner = p.placement.owner;
    AddIdentity(p, owner, kOwnerRecord, watchlist_birth_date, rng, &e);
    AddRegisterAttributes(p, owner, true, rng, reference_days_, &e);
    networks_.LinksOf(i, &links_);
    for (const Link& link : links_) {
      e.Add("link", std::string(model::LinkTypeCode(link.type)) + ":" + WatchlistId(link.target));
    }
    if (sinks_.watchlist != nullptr) ENTENTE_RETURN_IF_ERROR(sinks_.watchlist->Write(e));
    if (!want_registers) return Status::Ok();

    // The owner's register holds the same record under its own id.
    e.id = register_ids_.IdOf(owner, i);
    SetRegisterLinks(owner, &e);
    ENTENTE_RETURN_IF_ERROR(WriteRegisterRow(owner, e, i));
    if (p.placement.second) {
      const size_t partner = *p.placement.second;
      model::Entity copy;
      copy.id = register_ids_.IdOf(partner, i);
      Rng second_rng = StreamRng(options_.seed, Stream::kSecondRecord, i);
      AddIdentity(p, partner, kPartnerRecord, WrittenBirthDate(p, kPartnerRecord, second_rng),
                  second_rng, &copy);
      AddRegisterAttributes(p, partner, false, second_rng, reference_days_, &copy);
      SetRegisterLinks(partner, &copy);
      ENTENTE_RETURN_IF_ERROR(WriteRegisterRow(partner, copy, i));
    }
    return Status::Ok();
  }

  // Links of a register row: only to persons the same register holds.
  void SetRegisterLinks(size_t partner, model::Entity* e) {
    std::vector<std::string> values;
    for (const Link& link : links_) {
      const Placement t = PlaceListed(options_.seed, link.target);
      if (t.owner != partner && t.second != partner) continue;
      values.push_back(std::string(model::LinkTypeCode(link.type)) + ":" +
                       register_ids_.IdOf(partner, link.target));
    }
    e->Set("link", std::move(values));
  }

  Status WriteRegisterRow(size_t partner, const model::Entity& e, uint64_t i) {
    if (sinks_.registers[partner] != nullptr) {
      ENTENTE_RETURN_IF_ERROR(sinks_.registers[partner]->Write(e));
    }
    return WriteLine(sinks_.register_truth, e.id + "," + WatchlistId(i) + "\n", "register truth");
  }

  bool IsListed(const Person& p, const std::string& birth_date) const {
    return std::binary_search(keys_.begin(), keys_.end(), IdentityKey(p, birth_date));
  }

  Status WriteQuery(uint64_t q) {
    Rng rng = StreamRng(options_.seed, Stream::kQuery, q);
    model::Entity e;
    e.id = QueryId(q);
    if (rng.Chance(0.5)) {
      const uint64_t target = rng.Below(options_.persons);
      const Person p = MakePerson(options_.seed, Stream::kPerson, target, reference_days_);
      // Another partner's service recorded this person.
      const size_t partner = (p.placement.owner + 1 + rng.Below(kPartners - 1)) % kPartners;
      const RecordProfile& profile = options_.hard_noise ? kListedQueryHard : kListedQuery;
      AddIdentity(p, partner, profile, WrittenBirthDate(p, profile, rng), rng, &e);
      if (sinks_.queries != nullptr) ENTENTE_RETURN_IF_ERROR(sinks_.queries->Write(e));
      return WriteLine(sinks_.truth, e.id + "," + WatchlistId(target) + "\n", "truth");
    }
    Person p = MakePerson(options_.seed, Stream::kUnlisted, q, reference_days_);
    p.categories = 0;
    const bool namesake = rng.Chance(0.3);
    const RecordProfile& profile = namesake ? kNamesakeQuery : kUnlistedQuery;
    if (namesake) {
      // A namesake: a listed person's name, born at least two years apart.
      const Person listed =
          MakePerson(options_.seed, Stream::kPerson, rng.Below(options_.persons), reference_days_);
      p.name = listed.name;
      if (rng.Chance(0.6)) {  // often of the same origin, nationality included
        p.nationalities = listed.nationalities;
        p.nationality_count = listed.nationality_count;
        p.passport = MakePassportNumber(p.nationalities[0], rng);
      }
      const int64_t gap = rng.Between(2 * kDaysPerYear + 2, 15 * kDaysPerYear);
      const bool younger =
          rng.Chance(0.4) && reference_days_ - (listed.birth_days + gap) > 19 * kDaysPerYear;
      p.birth_days = younger ? listed.birth_days + gap : listed.birth_days - gap;
    }
    // An unlisted person never has the name skeleton and the written birth date of a listed
    // person's watchlist row: then another name, else another year.
    std::string birth_date = WrittenBirthDate(p, profile, rng);
    for (int tries = 0; IsListed(p, birth_date); ++tries) {
      if (tries < 20) {
        PickNames(p.name.origin, p.name.sex, rng, &p.name);
      } else {
        p.birth_days -= kDaysPerYear;
        birth_date = WrittenBirthDate(p, profile, rng);
      }
    }
    const size_t partner = rng.Below(kPartners);
    AddIdentity(p, partner, profile, std::move(birth_date), rng, &e);
    if (sinks_.queries != nullptr) ENTENTE_RETURN_IF_ERROR(sinks_.queries->Write(e));
    return Status::Ok();
  }

  const SynthOptions& options_;
  SynthSinks& sinks_;
  int64_t reference_days_;
  Networks networks_;
  RegisterIds register_ids_;
  std::vector<uint64_t> keys_;
  std::vector<Link> links_;
};

}  // namespace

std::string WatchlistId(uint64_t index) { return FormatSequentialId("W", index + 1, kIdDigits); }
std::string QueryId(uint64_t index) { return FormatSequentialId("Q", index + 1, kIdDigits); }

std::vector<std::string> WatchlistColumns() {
  return {"name",
          "alias",
          "weakAlias",
          "firstName",
          "lastName",
          "birthDate",
          "nationality",
          "gender",
          "idNumber",
          "passportNumber",
          "phone",
          "country",
          "category",
          "dataSubject",
          "informationType",
          "ownerAgency",
          "leadService",
          "threatLevel",
          "handlingCode",
          "handlingRestriction",
          "sourceReliability",
          "informationAccuracy",
          "reviewDate",
          "retentionDate",
          "establishment",
          "sentenceEnd",
          "plannedRelease",
          "leave",
          "link",
          "sourceCountry",
          "createdAt"};
}

std::vector<std::string> QueryColumns() {
  return {"name",   "firstName", "lastName",       "alias", "birthDate", "nationality",
          "gender", "idNumber",  "passportNumber", "phone", "country"};
}

Status WritePopulation(const SynthOptions& options, SynthSinks& sinks) {
  if (options.persons == 0 || options.persons > kMaxPersons) {
    return InvalidArgument("synthetic population: persons must be 1 to " +
                           std::to_string(kMaxPersons));
  }
  auto reference = PartialDate::Parse(options.reference_date);
  if (!reference.ok() || reference->precision() != PartialDate::Precision::kDay) {
    return InvalidArgument("synthetic population: reference date '" + options.reference_date +
                           "' is not a date YYYY-MM-DD");
  }
  PopulationWriter writer(options, sinks, reference->ToEpochDays());
  return writer.Run();
}

}  // namespace entente::synth
