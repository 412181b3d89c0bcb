#include "model/entity.h"

namespace entente::model {

std::string_view SchemaName(Schema schema) {
  switch (schema) {
    case Schema::kPerson:
      return "Person";
    case Schema::kOrganization:
      return "Organization";
  }
  return "Person";
}

bool ParseSchema(std::string_view text, Schema* schema) {
  if (text == "Person") {
    *schema = Schema::kPerson;
    return true;
  }
  if (text == "Organization") {
    *schema = Schema::kOrganization;
    return true;
  }
  return false;
}

const std::vector<std::string>& Entity::Values(std::string_view property) const {
  static const std::vector<std::string> kEmpty;
  auto it = properties.find(property);
  return it == properties.end() ? kEmpty : it->second;
}

std::string_view Entity::First(std::string_view property) const {
  auto it = properties.find(property);
  return it == properties.end() || it->second.empty() ? std::string_view() : it->second.front();
}

void Entity::Add(std::string_view property, std::string value) {
  auto it = properties.find(property);
  if (it == properties.end())
    it = properties.emplace(std::string(property), std::vector<std::string>{}).first;
  it->second.push_back(std::move(value));
}

void Entity::Set(std::string_view property, std::vector<std::string> values) {
  auto it = properties.find(property);
  if (values.empty()) {
    if (it != properties.end()) properties.erase(it);
    return;
  }
  if (it == properties.end()) {
    properties.emplace(std::string(property), std::move(values));
  } else {
    it->second = std::move(values);
  }
}

std::vector<std::string> ChangedProperties(const Entity& before, const Entity& after) {
  std::vector<std::string> out;
  if (before.schema != after.schema) out.emplace_back("schema");
  auto b = before.properties.begin();
  auto a = after.properties.begin();
  while (b != before.properties.end() || a != after.properties.end()) {
    if (a == after.properties.end() || (b != before.properties.end() && b->first < a->first)) {
      out.push_back((b++)->first);
    } else if (b == before.properties.end() || a->first < b->first) {
      out.push_back((a++)->first);
    } else {
      if (b->second != a->second) out.push_back(b->first);
      ++a;
      ++b;
    }
  }
  return out;
}

}  // namespace entente::model
