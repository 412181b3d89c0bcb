#pragma once

// Checks an API answer against the node's own OpenAPI document: the tests that call the API
// (src/api/api_test.cc, tests/e2e) run every 2xx JSON body they get through the schema the
// document declares for that route, so that the document cannot drift from what is served.
// OpenAPI 3.0's subset in use: $ref, type (with nullable), required, properties,
// additionalProperties, items, enum, oneOf.

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace entente::testing {

inline std::vector<std::string> SchemaProblems(const nlohmann::json& doc,
                                               const nlohmann::json& schema,
                                               const nlohmann::json& value, const std::string& at) {
  using nlohmann::json;
  std::vector<std::string> out;
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    const std::string name = ref.substr(ref.rfind('/') + 1);
    const json& components = doc["components"]["schemas"];
    if (!components.contains(name)) return {at + ": unknown $ref " + ref};
    return SchemaProblems(doc, components[name], value, at);
  }
  if (schema.contains("oneOf")) {
    for (const json& option : schema["oneOf"]) {
      if (SchemaProblems(doc, option, value, at).empty()) return {};
    }
    return {at + ": matches none of oneOf: " + value.dump().substr(0, 120)};
  }
  if (value.is_null()) {
    if (schema.value("nullable", false) || !schema.contains("type")) return {};
    return {at + ": null, and not nullable"};
  }
  if (schema.contains("type")) {
    const std::string type = schema["type"];
    const bool ok =
        (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
        (type == "string" && value.is_string()) ||
        (type == "integer" && value.is_number_integer()) ||
        (type == "number" && value.is_number()) || (type == "boolean" && value.is_boolean());
    if (!ok) return {at + ": expected " + type + ", got " + value.dump().substr(0, 120)};
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    out.push_back(at + ": " + value.dump() + " is not in the enum " + schema["enum"].dump());
  }
  if (value.is_object()) {
    for (const json& key : schema.value("required", json::array())) {
      if (!value.contains(key.get<std::string>())) {
        out.push_back(at + ": required key " + key.dump() + " missing");
      }
    }
    const json properties = schema.value("properties", json::object());
    for (const auto& [key, v] : value.items()) {
      const std::string where = at + "." + key;
      if (properties.contains(key)) {
        for (std::string& p : SchemaProblems(doc, properties[key], v, where)) {
          out.push_back(std::move(p));
        }
      } else if (schema.contains("additionalProperties") &&
                 schema["additionalProperties"].is_object()) {
        for (std::string& p : SchemaProblems(doc, schema["additionalProperties"], v, where)) {
          out.push_back(std::move(p));
        }
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      for (std::string& p :
           SchemaProblems(doc, schema["items"], value[i], at + "[" + std::to_string(i) + "]")) {
        out.push_back(std::move(p));
      }
    }
  }
  return out;
}

// The problems of a `status` answer with JSON `body` to METHOD `target` against `doc`: none
// when the route is not documented, the status is not a success, or it declares no JSON body.
inline std::vector<std::string> ResponseProblems(const nlohmann::json& doc,
                                                 const std::string& method,
                                                 const std::string& target, int status,
                                                 const nlohmann::json& body) {
  if (status < 200 || status >= 300 || !doc.is_object() || !doc.contains("paths")) return {};
  std::string path = target.substr(0, target.find('?'));
  auto segments = [](const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, '/')) parts.push_back(part);
    return parts;
  };
  const std::vector<std::string> got = segments(path);
  std::string lower;
  for (char c : method) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const nlohmann::json* best = nullptr;
  int best_literals = -1;
  for (const auto& [templ, operations] : doc["paths"].items()) {
    const std::vector<std::string> want = segments(templ);
    if (want.size() != got.size() || !operations.contains(lower)) continue;
    int literals = 0;
    bool match = true;
    for (size_t i = 0; i < want.size() && match; ++i) {
      if (!want[i].empty() && want[i].front() == '{') continue;
      match = want[i] == got[i];
      ++literals;
    }
    if (match && literals > best_literals) {
      best = &operations[lower];
      best_literals = literals;
    }
  }
  if (best == nullptr) return {};
  const std::string code = std::to_string(status);
  if (!(*best)["responses"].contains(code)) {
    return {method + " " + target + ": status " + code + " is not documented"};
  }
  const nlohmann::json& response = (*best)["responses"][code];
  if (!response.contains("content") || !response["content"].contains("application/json")) {
    return {};
  }
  return SchemaProblems(doc, response["content"]["application/json"]["schema"], body,
                        method + " " + path);
}

}  // namespace entente::testing
