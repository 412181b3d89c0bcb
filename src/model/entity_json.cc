#include "model/entity_json.h"

#include <nlohmann/json.hpp>

namespace entente::model {

Result<Entity> EntityFromJson(const nlohmann::json& json, std::string_view where) {
  const std::string at(where);
  if (!json.is_object()) return InvalidArgument(at + ": expected an object");
  model::Entity entity;
  if (json.contains("id")) {
    if (!json["id"].is_string()) return InvalidArgument(at + ".id: expected text");
    entity.id = json["id"].get<std::string>();
  }
  if (json.contains("schema") && !json["schema"].is_string()) {
    return InvalidArgument(at + ".schema: expected text");
  }
  const std::string schema =
      json.contains("schema") ? json["schema"].get<std::string>() : std::string("Person");
  if (!model::ParseSchema(schema, &entity.schema)) {
    return InvalidArgument(at + ".schema: \"" + schema + "\" is not Person or Organization");
  }
  if (!json.contains("properties")) return InvalidArgument(at + ".properties: missing");
  const nlohmann::json& properties = json["properties"];
  if (!properties.is_object()) return InvalidArgument(at + ".properties: expected an object");
  for (const auto& [name, values] : properties.items()) {
    std::string path = at;
    path += ".properties.";
    path += name;
    std::vector<std::string> list;
    if (values.is_string()) {
      list.push_back(values.get<std::string>());
    } else if (values.is_array()) {
      for (size_t i = 0; i < values.size(); ++i) {
        if (!values[i].is_string()) {
          return InvalidArgument(path + "[" + std::to_string(i) + "]: expected text");
        }
        list.push_back(values[i].get<std::string>());
      }
    } else {
      return InvalidArgument(path + ": expected text or an array of text");
    }
    if (!list.empty()) entity.Set(name, std::move(list));
  }
  return entity;
}

nlohmann::json EntityToJson(const Entity& entity) {
  nlohmann::json properties = nlohmann::json::object();
  for (const auto& [name, values] : entity.properties) properties[name] = values;
  return {{"id", entity.id},
          {"schema", std::string(model::SchemaName(entity.schema))},
          {"properties", properties}};
}

}  // namespace entente::model
