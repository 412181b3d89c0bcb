#include "model/property.h"

#include <array>

namespace entente::model {
namespace {

using T = PropertyType;
constexpr bool kOne = true;
constexpr bool kMany = false;

// FollowTheMoney names (Thing, LegalEntity, Person, Organization) first, then Entente's, from
// kFirstOwnProperty on.
constexpr size_t kFirstOwnProperty = 27;
constexpr std::array<PropertySpec, 47> kProperties = {{
    {"name", T::kName, kMany, true, true, "full name as recorded"},
    {"alias", T::kName, kMany, true, true, "other names, noms de guerre"},
    {"weakAlias", T::kName, kMany, true, true, "short or weak alias (kunya, nickname)"},
    {"previousName", T::kName, kMany, true, true, "former name"},
    {"title", T::kName, kMany, true, false, "honorific or title"},
    {"firstName", T::kName, kMany, true, false, "given name(s)"},
    {"middleName", T::kName, kMany, true, false, "middle name"},
    {"secondName", T::kName, kMany, true, false, "second given name"},
    {"fatherName", T::kName, kMany, true, false, "patronymic or father's name"},
    {"motherName", T::kName, kMany, true, false, "mother's name"},
    {"lastName", T::kName, kMany, true, false, "family name(s)"},
    {"birthDate", T::kDate, kMany, true, false, "date of birth, possibly partial"},
    {"birthPlace", T::kText, kMany, true, false, "place of birth"},
    {"birthCountry", T::kCountry, kMany, true, false, "country of birth"},
    {"deathDate", T::kDate, kMany, true, false, "date of death"},
    {"nationality", T::kCountry, kMany, true, false, "nationality"},
    {"citizenship", T::kCountry, kMany, true, false, "citizenship"},
    {"gender", T::kGender, kOne, true, false, "male, female or other"},
    {"idNumber", T::kIdentifier, kMany, true, true, "national identity or registry number"},
    {"passportNumber", T::kIdentifier, kMany, true, false, "passport number"},
    {"phone", T::kPhone, kMany, true, true, "telephone number"},
    {"email", T::kEmail, kMany, true, true, "e-mail address"},
    {"address", T::kText, kMany, true, true, "postal address"},
    {"country", T::kCountry, kMany, true, true, "country of residence or registration"},
    {"incorporationDate", T::kDate, kOne, false, true, "date of founding"},
    {"dissolutionDate", T::kDate, kOne, false, true, "date of dissolution"},
    {"notes", T::kText, kMany, true, true, "free notes"},
    // Entente's own: the register.
    {"category", T::kCategory, kMany, true, true, "subject category"},
    {"dataSubject", T::kDataSubject, kOne, true, true, "LED data-subject category"},
    {"informationType", T::kInformationType, kOne, true, true, "fact or assessment"},
    {"ownerAgency", T::kAgency, kOne, true, true, "agency that owns the record (CC/kind)"},
    {"leadService", T::kAgency, kOne, true, true, "service leading the follow-up (CC/kind)"},
    {"threatLevel", T::kThreatLevel, kOne, true, true, "threat level 1-4"},
    {"handlingCode", T::kHandlingCode, kOne, true, true, "handling code H0-H3"},
    {"handlingRestriction", T::kText, kOne, true, true, "the restriction of an H3 record"},
    {"sourceReliability", T::kSourceReliability, kOne, true, true, "source evaluation A/B/C/X"},
    {"informationAccuracy", T::kInformationAccuracy, kOne, true, true,
     "information evaluation 1-4"},
    {"reviewDate", T::kFullDate, kOne, true, true, "next review of the record"},
    {"retentionDate", T::kFullDate, kOne, true, true, "date past which the record may not be kept"},
    // Custody.
    {"establishment", T::kText, kOne, true, false, "prison where the subject is held"},
    {"sentenceEnd", T::kFullDate, kOne, true, false, "end of the sentence"},
    {"plannedRelease", T::kFullDate, kOne, true, false, "planned release date"},
    {"leave", T::kLeave, kMany, true, false, "leave from prison, START/END"},
    // Links.
    {"link", T::kLink, kMany, true, true, "link to another subject, TYPE:ID"},
    // Provenance.
    {"sourceCountry", T::kCountry, kOne, true, true, "country whose service recorded it"},
    {"createdAt", T::kFullDate, kOne, true, true, "date the record was created"},
    {"modifiedAt", T::kFullDate, kOne, true, true, "date of the last change"},
}};

}  // namespace

std::span<const PropertySpec> AllProperties() { return kProperties; }

bool IsFollowTheMoneyProperty(std::string_view name) {
  static_assert(kProperties[kFirstOwnProperty].name == "category");
  const PropertySpec* spec = FindProperty(name);
  if (spec == nullptr) return false;
  // createdAt and modifiedAt are Thing's, kept with the provenance.
  return spec < kProperties.data() + kFirstOwnProperty || name == "createdAt" ||
         name == "modifiedAt";
}

const PropertySpec* FindProperty(std::string_view name) {
  for (const auto& spec : kProperties) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

bool AllowedOn(const PropertySpec& spec, Schema schema) {
  return schema == Schema::kPerson ? spec.person : spec.organization;
}

}  // namespace entente::model
