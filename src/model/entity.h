#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace entente::model {

// The FollowTheMoney schemata Entente keeps.
enum class Schema { kPerson, kOrganization };

std::string_view SchemaName(Schema schema);
// "Person" / "Organization" (exact FollowTheMoney spelling); false for anything else.
bool ParseSchema(std::string_view text, Schema* schema);

// A FollowTheMoney entity: an id, a schema and multi-valued properties by name
// ("name", "birthDate", ... and Entente's own, see property.h). Values are kept exactly as
// read; validation (validation.h) says whether they are acceptable. A plain value type.
struct Entity {
  std::string id;
  Schema schema = Schema::kPerson;
  // Property name -> values, in the order they were given. No empty vectors are stored.
  std::map<std::string, std::vector<std::string>, std::less<>> properties;

  // The values of `property`, or an empty list.
  const std::vector<std::string>& Values(std::string_view property) const;
  // The first value of `property`, or "".
  std::string_view First(std::string_view property) const;
  bool Has(std::string_view property) const {
    return properties.find(property) != properties.end();
  }
  // Appends a value (an empty `value` is kept: validation reports it).
  void Add(std::string_view property, std::string value);
  // Replaces all values of `property`; an empty list removes it.
  void Set(std::string_view property, std::vector<std::string> values);

  friend bool operator==(const Entity&, const Entity&) = default;
};

// The names of the properties whose values differ between `before` and `after` (added, removed
// or changed), in name order; "schema" first when the schema changed.
std::vector<std::string> ChangedProperties(const Entity& before, const Entity& after);

}  // namespace entente::model
