#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "model/entity.h"

namespace entente::model {

// Reads a FollowTheMoney entity from JSON: {"id"?, "schema", "properties": {name: [text...] or
// text}}. InvalidArgument whose message starts with the path of the field at fault
// (`where` + ".properties.birthDate[1]: expected text").
Result<Entity> EntityFromJson(const nlohmann::json& json, std::string_view where);

// The entity as FollowTheMoney JSON (properties in name order, values as arrays).
nlohmann::json EntityToJson(const Entity& entity);

}  // namespace entente::model
