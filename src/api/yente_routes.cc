// OpenSanctions yente's API (5.5), so that existing screening clients (nomenklatura's
// YenteEnricher, yente's own tools) work unchanged against a node: POST /match/{dataset} and
// GET /entities/{id}. What the node cannot do as yente does is refused with 400 naming it,
// never silently ignored. docs/api.md ("yente compatibility") lists the differences.

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "model/date.h"
#include "model/entity_json.h"
#include "model/property.h"
#include "text/country_names.h"

namespace entente::api {
namespace {

using nlohmann::json;

constexpr size_t kMaxBatch = 100;    // yente's MAX_BATCH
constexpr size_t kMaxLimit = 500;    // yente's MAX_MATCHES
constexpr size_t kDefaultLimit = 5;  // yente's MATCH_PAGE
constexpr size_t kMaxExcluded = 50;  // exclude_entity_ids
constexpr double kDefaultThreshold = 0.7;
// Candidates scored per query to count the matches (`total`) beyond the page.
constexpr size_t kCandidateWindow = 50;
// The one algorithm: Entente's Fellegi-Sunter model; `best` names it too.
constexpr std::string_view kAlgorithm = "entente-fs";

Reply Refuse(const std::string& message) { return ErrorReply(InvalidArgument(message)); }

Result<double> Number(const std::string& text, const char* name, double fallback) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(value >= 0 && value <= 1)) {
    return InvalidArgument(std::string(name) + ": expected a number between 0 and 1");
  }
  return value;
}

// The schemas a query may name: FollowTheMoney's names of what the node screens.
std::optional<model::Schema> ScreenedSchema(const std::string& name) {
  if (name == "Person") return model::Schema::kPerson;
  if (name == "Organization" || name == "Company" || name == "PublicBody") {
    return model::Schema::kOrganization;
  }
  return std::nullopt;
}

bool IsFollowTheMoneySchema(const std::string& name) {
  static const std::set<std::string> kSchemas = {
      "Thing",        "LegalEntity", "Person",         "Organization", "Company",   "PublicBody",
      "Vessel",       "Airplane",    "Vehicle",        "Asset",        "Address",   "Security",
      "CryptoWallet", "BankAccount", "Identification", "Passport",     "Sanction",  "Position",
      "Occupancy",    "Family",      "Associate",      "Membership",   "Ownership", "Directorship",
      "UnknownLink",  "Event",       "Project",        "Article",      "Document",  "Note"};
  return kSchemas.contains(name);
}

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "AT: 'VALUE' WHAT", the 400 of a value a query cannot be read with.
Status Unreadable(const std::string& at, const std::string& value, const char* what) {
  std::string message = at;
  message += ": '";
  message += value;
  message += "' ";
  message += what;
  return InvalidArgument(std::move(message));
}

// A yente example entity read as the node reads a record: the schema mapped, each value
// cleaned by its property's type (a country's name or alpha-3 code to its code, an ISO datetime
// to its date), properties the node does not know dropped as yente drops them. `echo` is the
// query as understood, in FollowTheMoney's spellings (lowercase countries). 400 naming the query,
// the property and the value when one cannot be read.
struct CleanQuery {
  model::Entity entity;
  json echo;
};

Result<CleanQuery> Clean(const json& example, const std::string& at) {
  if (!example.is_object()) return InvalidArgument(at + ": expected an entity object");
  auto schema_it = example.find("schema");
  if (schema_it == example.end() || !schema_it->is_string()) {
    return InvalidArgument(at + ".schema: missing (Person, Organization, Company or PublicBody)");
  }
  const std::string schema_name = schema_it->get<std::string>();
  const std::optional<model::Schema> schema = ScreenedSchema(schema_name);
  if (!schema) {
    if (IsFollowTheMoneySchema(schema_name)) {
      return InvalidArgument(at + ".schema: " + schema_name +
                             " is not screened by this node (Person, Organization, Company or "
                             "PublicBody)");
    }
    return InvalidArgument("Cannot parse example entity: " + at + ".schema: unknown schema " +
                           schema_name);
  }
  CleanQuery out;
  out.entity.schema = *schema;
  out.echo = {{"id", nullptr}, {"schema", schema_name}, {"properties", json::object()}};
  if (auto id = example.find("id"); id != example.end() && !id->is_null()) {
    if (!id->is_string()) return InvalidArgument(at + ".id: expected text");
    out.entity.id = id->get<std::string>();
    out.echo["id"] = out.entity.id;
  }
  auto properties = example.find("properties");
  if (properties == example.end() || properties->is_null()) return out;
  if (!properties->is_object()) return InvalidArgument(at + ".properties: expected an object");
  for (const auto& [name, given] : properties->items()) {
    std::string where = at;
    where += ".properties.";
    where += name;
    const model::PropertySpec* spec = model::FindProperty(name);
    if (spec == nullptr || !model::AllowedOn(*spec, *schema)) continue;  // as yente: dropped
    std::vector<json> items;
    if (given.is_array()) {
      items.assign(given.begin(), given.end());
    } else if (given.is_string()) {
      items.push_back(given);
    } else if (!given.is_null()) {
      return InvalidArgument(where + ": expected text or a list");
    }
    std::vector<std::string> values, echoed;
    for (size_t i = 0; i < items.size(); ++i) {
      const json& item = items[i];
      const std::string item_at = where + "[" + std::to_string(i) + "]";
      std::string value;
      if (item.is_string()) {
        value = item.get<std::string>();
      } else if (item.is_number() || item.is_boolean()) {
        value = item.dump();  // yente coerces numbers to text
      } else if (item.is_null()) {
        continue;
      } else {
        return InvalidArgument(item_at + ": expected text");
      }
      if (value.empty()) continue;
      std::string shown = value;
      if (spec->type == model::PropertyType::kCountry) {
        const std::optional<std::string> code = text::CountryCodeOf(value);
        if (!code) return Unreadable(item_at, value, "is not a country");
        value = *code;
        shown = LowerAscii(*code);
      } else if (spec->type == model::PropertyType::kDate ||
                 spec->type == model::PropertyType::kFullDate) {
        // A datetime counts as its day, as yente compares dates by prefix.
        static const std::regex kIsoDateTime(
            R"(^(\d{4}(-\d{2}(-\d{2})?)?)(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?)?$)");
        std::smatch m;
        if (!std::regex_match(value, m, kIsoDateTime) ||
            !model::PartialDate::Parse(m[1].str()).ok()) {
          return Unreadable(item_at, value, "is not an ISO 8601 date");
        }
        value = m[1].str();
        shown = value;
      }
      values.push_back(std::move(value));
      echoed.push_back(std::move(shown));
    }
    if (values.empty()) continue;
    out.entity.Set(name, std::move(values));
    out.echo["properties"][name] = echoed;
  }
  return out;
}

// "BE/police" as a dataset name (yente's are slugs): "be_police".
std::string DatasetOf(const std::string& agency) {
  std::string out;
  for (char c : LowerAscii(agency)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// A record's FollowTheMoney properties only (the register's own stay on the node), countries
// in lowercase as FollowTheMoney writes them.
json FtmProperties(const model::Entity& entity) {
  json out = json::object();
  for (const auto& [name, values] : entity.properties) {
    if (!model::IsFollowTheMoneyProperty(name)) continue;
    const model::PropertySpec* spec = model::FindProperty(name);
    json list = json::array();
    for (const std::string& v : values) {
      list.push_back(spec != nullptr && spec->type == model::PropertyType::kCountry ? LowerAscii(v)
                                                                                    : v);
    }
    out[name] = list;
  }
  return out;
}

// yente's explanations: one FeatureResult per compared field of the model's explanation
// ("name=exact(1.000)+17.9 birthDate=null ... prior-11.3 => 0.98"), and the probability.
json Explanations(const service::ScreenHit& hit) {
  json out = json::object();
  if (hit.full) {
    size_t start = 0;
    const std::string& text = hit.explanation;
    while (start < text.size()) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      const std::string token = text.substr(start, end - start);
      start = end + 1;
      const size_t eq = token.find('=');
      if (eq == std::string::npos || eq == 0 || token.compare(eq + 1, 4, "null") == 0) continue;
      if (token == "=>" || token.starts_with("=>")) continue;
      const std::string field = token.substr(0, eq);
      double score = 1;
      if (const size_t open = token.find('(', eq); open != std::string::npos) {
        score = std::strtod(token.c_str() + open + 1, nullptr);
      } else if (token.find("different", eq) != std::string::npos) {
        score = 0;
      }
      out[field] = {
          {"detail", token}, {"score", score}, {"query", nullptr}, {"candidate", nullptr}};
    }
  }
  out["entente_match_probability"] = {
      {"detail", hit.full ? hit.explanation : "hit/no-hit: known to the owner, ask it"},
      {"score", hit.score},
      {"query", nullptr},
      {"candidate", nullptr}};
  return out;
}

// A yente EntityResponse of a record (hit/no-hit answers: the reference to quote and the owner
// to ask, nothing else).
json EntityResponse(const std::string& id, bool full, const model::Entity& entity,
                    const std::string& caption, const std::string& owner_agency) {
  return {{"id", id},
          {"caption", full ? caption : "known to " + owner_agency + ": ask the owner"},
          {"schema", full ? std::string(model::SchemaName(entity.schema)) : "Thing"},
          {"properties", full ? FtmProperties(entity) : json::object()},
          {"datasets", json::array({DatasetOf(owner_agency)})},
          {"referents", json::array()},
          {"target", true},
          {"first_seen", nullptr},
          {"last_seen", nullptr},
          {"last_change", nullptr}};
}

}  // namespace

void AddYenteRoutes(ApiServer& server) {
  // The justification comes from X-Justification or the `justification` query parameter (a
  // client's configured URL).
  server.AddRoute(
      "POST", "/match/{dataset}",
      RouteSpec().Requires(policy::Action::kScreen).JustificationInQuery(), [&server](Call& call) {
        const std::string& dataset = call.params.at(0);
        if (dataset != "default" && dataset != "entente") {
          return ErrorReply(
              NotFound("No such dataset: " + dataset + " (this node serves \"default\")"));
        }
        const std::string algorithm = LowerAscii(call.Query("algorithm"));
        if (!algorithm.empty() && algorithm != "best" && algorithm != kAlgorithm) {
          return Refuse("Invalid algorithm: " + call.Query("algorithm") + " (this node has " +
                        std::string(kAlgorithm) + ", also named best)");
        }
        // What the node has no use for is refused, not ignored.
        for (const char* unsupported : {"topics", "changed_since"}) {
          if (!call.request.QueryParams(unsupported).empty()) {
            return Refuse(std::string(unsupported) +
                          ": not supported by this node (its register has no topics and no "
                          "change dates to filter on)");
          }
        }
        Result<double> threshold = Number(call.Query("threshold"), "threshold", kDefaultThreshold);
        if (!threshold.ok()) return ErrorReply(threshold.status());
        // yente 5: cutoff defaults to the threshold, and never exceeds it.
        Result<double> cutoff = Number(call.Query("cutoff"), "cutoff", *threshold);
        if (!cutoff.ok()) return ErrorReply(cutoff.status());
        const double effective_cutoff = std::min(*cutoff, *threshold);
        size_t limit = kDefaultLimit;
        if (const std::string text = call.Query("limit"); !text.empty()) {
          char* end = nullptr;
          const long value = std::strtol(text.c_str(), &end, 10);
          if (*end != '\0' || value < 0 || value > static_cast<long>(kMaxLimit)) {
            return Refuse("limit: expected a whole number from 0 to " + std::to_string(kMaxLimit));
          }
          limit = static_cast<size_t>(value);
        }
        const std::vector<std::string> excluded_ids =
            call.request.QueryParams("exclude_entity_ids");
        if (excluded_ids.size() > kMaxExcluded) {
          return Refuse("exclude_entity_ids: at most " + std::to_string(kMaxExcluded) + " ids");
        }
        const std::set<std::string> excluded(excluded_ids.begin(), excluded_ids.end());
        const std::vector<std::string> include = call.request.QueryParams("include_dataset");
        const std::set<std::string> exclude_datasets = [&] {
          auto v = call.request.QueryParams("exclude_dataset");
          return std::set<std::string>(v.begin(), v.end());
        }();
        const std::set<std::string> exclude_schemas = [&] {
          auto v = call.request.QueryParams("exclude_schema");
          return std::set<std::string>(v.begin(), v.end());
        }();

        Result<json> parsed = ParseJson(call.Body(), "body");
        if (!parsed.ok()) return ErrorReply(parsed.status());
        json& body = *parsed;
        if (!body.is_object() || !body.contains("queries") || !body["queries"].is_object()) {
          return Refuse("queries: expected an object of named entities");
        }
        for (const char* key : {"config", "weights"}) {
          auto it = body.find(key);
          if (it == body.end() || it->is_null() || (it->is_object() && it->empty())) continue;
          const std::string first =
              it->is_object() ? it->begin().key() : std::string("(not an object)");
          return Refuse(
              std::string(key == std::string("config") ? "Invalid configuration parameter: "
                                                       : "Invalid weight: ") +
              first + " for algorithm " + std::string(kAlgorithm) + " (it takes no " + key + ")");
        }
        const json& queries = body["queries"];
        if (queries.size() > kMaxBatch) {
          return Refuse("Too many queries in one batch (limit: " + std::to_string(kMaxBatch) + ")");
        }
        if (queries.empty()) return Refuse("No queries provided.");
        // Every query is read before any is screened: one bad query refuses the batch.
        std::vector<std::pair<std::string, CleanQuery>> cleaned;
        for (const auto& [key, example] : queries.items()) {
          Result<CleanQuery> query = Clean(example, "queries." + key);
          if (!query.ok()) return ErrorReply(query.status());
          cleaned.emplace_back(key, std::move(query).value());
        }

        Reply reply;
        reply.body = {{"responses", json::object()}, {"limit", limit}};
        for (auto& [key, query] : cleaned) {
          service::ScreenRequest request;
          request.query = query.entity;
          request.threshold = *threshold;
          request.limit = std::min(kMaxLimit, std::max(kCandidateWindow, limit) + excluded.size());
          request.search = true;
          Result<std::vector<service::ScreenHit>> hits =
              server.deps().subjects->Screen(call.caller, request);
          if (!hits.ok()) return ErrorReply(hits.status());
          json results = json::array();
          size_t matches = 0;
          for (const service::ScreenHit& hit : *hits) {
            if (excluded.contains(hit.subject_id)) continue;
            const std::string dataset_name = DatasetOf(hit.owner_agency);
            if (!include.empty() &&
                std::find(include.begin(), include.end(), dataset_name) == include.end()) {
              continue;
            }
            if (exclude_datasets.contains(dataset_name)) continue;
            json result =
                EntityResponse(hit.subject_id, hit.full, hit.entity, hit.caption, hit.owner_agency);
            if (exclude_schemas.contains(result["schema"].get<std::string>())) continue;
            const bool match = hit.score >= *threshold;
            matches += match ? 1 : 0;
            if (hit.score <= effective_cutoff || results.size() >= limit) continue;
            result["score"] = hit.score;
            result["match"] = match;
            result["explanations"] = Explanations(hit);
            results.push_back(std::move(result));
          }
          reply.body["responses"][key] = {{"status", 200},
                                          {"results", std::move(results)},
                                          {"total", {{"value", matches}, {"relation", "eq"}}},
                                          {"query", std::move(query.echo)}};
        }
        reply.headers.emplace_back("x-batch-size", std::to_string(cleaned.size()));
        return reply;
      });

  // One record, as yente's EntityResponse: the same rules, justification and audit as
  // GET /api/v1/subjects/{id}. `nested` is accepted; links stay ids.
  server.AddRoute(
      "GET", "/entities/{id}", RouteSpec().JustificationInQuery(), [&server](Call& call) {
        Result<service::SubjectView> view =
            server.deps().subjects->GetSubject(call.caller, call.params.at(0));
        if (!view.ok()) {
          Reply reply = ErrorReply(view.status());
          if (reply.status == 404) reply.body["detail"] = "No such entity!";
          return reply;
        }
        const store::Subject& s = view->subject;
        const std::string_view name = s.entity.First("name");
        Reply reply;
        reply.body = EntityResponse(s.entity.id, true, s.entity,
                                    std::string(name.empty() ? s.entity.id : name), s.owner_agency);
        return reply;
      });
}

}  // namespace entente::api
