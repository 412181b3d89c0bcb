#pragma once

#include <span>
#include <string_view>

#include "model/entity.h"

namespace entente::model {

// How the values of a property are checked (validation.h).
enum class PropertyType {
  kName,         // a personal or organisation name: non-empty text, no control characters
  kText,         // free text
  kDate,         // partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD
  kFullDate,     // YYYY-MM-DD only (review, retention, custody dates)
  kCountry,      // ISO 3166-1 alpha-2, either case
  kGender,       // male, female, other
  kIdentifier,   // document or identity number: letters, digits and . - / space
  kPhone,        // digits with optional +, spaces, dots, dashes, slashes and brackets
  kEmail,        // local@domain
  kCategory,     // vocabulary.h Category codes
  kDataSubject,  // vocabulary.h DataSubjectCategory codes
  kInformationType,
  kAgency,       // CC/kind, e.g. BE/intelligence
  kThreatLevel,  // 1..4
  kHandlingCode,
  kSourceReliability,
  kInformationAccuracy,
  kLeave,  // YYYY-MM-DD/YYYY-MM-DD, a leave from prison
  kLink,   // type:target-id, e.g. associate:W0000042
};

struct PropertySpec {
  std::string_view name;
  PropertyType type;
  bool single;        // at most one value
  bool person;        // allowed on Person
  bool organization;  // allowed on Organization
  std::string_view description;
};

// Every property Entente accepts, FollowTheMoney's first, then Entente's own, in the order
// CSV writers lay out columns.
std::span<const PropertySpec> AllProperties();

// The spec of `name`, or nullptr if Entente does not know it.
const PropertySpec* FindProperty(std::string_view name);

// Whether `name` is a property of FollowTheMoney's model (Thing, LegalEntity, Person,
// Organization), rather than one of Entente's own (the register's: category, handlingCode...).
bool IsFollowTheMoneyProperty(std::string_view name);

// Whether `spec` may appear on an entity of `schema`.
bool AllowedOn(const PropertySpec& spec, Schema schema);

}  // namespace entente::model
