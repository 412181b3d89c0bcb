#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "model/entity_json.h"
#include "service/partner_screening.h"

namespace entente::api {
using model::EntityFromJson;
using model::EntityToJson;
namespace {

// A number in [0, 1] from a query parameter or a JSON field; `fallback` when absent.
Result<double> Probability(const std::string& text, const char* name, double fallback) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(value >= 0 && value <= 1)) {
    return InvalidArgument(std::string(name) + ": expected a number between 0 and 1");
  }
  return value;
}

Result<size_t> Limit(const std::string& text, size_t fallback) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || value < 1 || value > 500) {
    return InvalidArgument("limit: expected a whole number from 1 to 500");
  }
  return static_cast<size_t>(value);
}

nlohmann::json HitJson(const service::ScreenHit& hit) {
  nlohmann::json out = {{"answer", hit.full ? "full" : "hit_no_hit"},
                        {"subject_id", hit.subject_id},
                        {"owner_agency", hit.owner_agency},
                        {"score", hit.score},
                        {"match", hit.match}};
  if (hit.full) {
    out["caption"] = hit.caption;
    out["explanation"] = hit.explanation;
    out["entity"] = EntityToJson(hit.entity);
  }
  return out;
}

// body.filters: {"category", "owner_agency", "nationality", "custody", "handling_code"}, each a
// string, every one optional.
Result<model::SubjectFilter> FilterFromJson(const nlohmann::json& filters) {
  constexpr std::string_view kPrefix = "body.filters";
  if (!filters.is_object()) return InvalidArgument("body.filters: expected an object");
  model::SubjectFilter filter;
  std::string custody;
  const std::pair<const char*, std::string*> fields[] = {{"category", &filter.category},
                                                         {"owner_agency", &filter.owner_agency},
                                                         {"nationality", &filter.nationality},
                                                         {"custody", &custody},
                                                         {"handling_code", &filter.handling_code}};
  for (const auto& [key, value] : filters.items()) {
    std::string* target = nullptr;
    for (const auto& [name, field] : fields) {
      if (key == name) target = field;
    }
    if (target == nullptr) {
      return InvalidArgument("body.filters." + key +
                             ": unknown filter (category, owner_agency, nationality, custody, "
                             "handling_code)");
    }
    if (!value.is_string()) return InvalidArgument("body.filters." + key + ": expected a string");
    *target = value.get<std::string>();
  }
  ENTENTE_ASSIGN_OR_RETURN(filter.custody,
                           model::ParseCustodyFilter(custody, "body.filters.custody"));
  return model::MakeSubjectFilter(std::move(filter), kPrefix);
}

}  // namespace

void AddScreenRoutes(ApiServer& server) {
  server.AddRoute(
      "POST", "/api/v1/screen", RouteSpec().Requires(policy::Action::kScreen),
      [&server](Call& call) {
        Result<nlohmann::json> parsed = ParseJson(call.Body(), "body");
        if (!parsed.ok()) return ErrorReply(parsed.status());
        nlohmann::json& body = *parsed;
        if (body.is_discarded() || !body.is_object()) {
          return ErrorReply(
              InvalidArgument("body: expected a JSON object with a \"query\" entity"));
        }
        if (!body.contains("query")) return ErrorReply(InvalidArgument("body.query: missing"));
        Result<model::Entity> query = EntityFromJson(body["query"], "body.query");
        if (!query.ok()) return ErrorReply(query.status());
        service::ScreenRequest request;
        request.query = std::move(query).value();
        if (body.contains("threshold")) {
          if (!body["threshold"].is_number()) {
            return ErrorReply(InvalidArgument("body.threshold: expected a number"));
          }
          Result<double> t = Probability(std::to_string(body["threshold"].get<double>()),
                                         "body.threshold", match::kDefaultThreshold);
          if (!t.ok()) return ErrorReply(t.status());
          request.threshold = *t;
        }
        if (body.contains("limit")) {
          if (!body["limit"].is_number_integer()) {
            return ErrorReply(InvalidArgument("body.limit: expected a whole number"));
          }
          Result<size_t> limit = Limit(std::to_string(body["limit"].get<int64_t>()), 10);
          if (!limit.ok()) return ErrorReply(InvalidArgument("body." + limit.status().message()));
          request.limit = *limit;
        }
        // One record typed by a user is a search: the best candidates, ranked, "match" marking
        // those at or above the threshold. "mode": "screen" keeps only those.
        request.search = true;
        if (body.contains("mode")) {
          const nlohmann::json& mode = body["mode"];
          if (!mode.is_string() || (mode != "search" && mode != "screen")) {
            return ErrorReply(InvalidArgument("body.mode: expected \"search\" or \"screen\""));
          }
          request.search = mode == "search";
        }
        if (body.contains("filters")) {
          Result<model::SubjectFilter> filter = FilterFromJson(body["filters"]);
          if (!filter.ok()) return ErrorReply(filter.status());
          request.filter = std::move(filter).value();
        }
        // Partners' encoded indexes as well (hit/no-hit): "partners": true.
        bool partners = false;
        double partner_threshold = 0;  // the encoded default
        if (body.contains("partners")) {
          if (!body["partners"].is_boolean()) {
            return ErrorReply(InvalidArgument("body.partners: expected true or false"));
          }
          partners = body["partners"].get<bool>();
        }
        if (body.contains("partner_threshold")) {
          if (!body["partner_threshold"].is_number() ||
              body["partner_threshold"].get<double>() < 0 ||
              body["partner_threshold"].get<double>() > 1) {
            return ErrorReply(
                InvalidArgument("body.partner_threshold: expected a number between 0 and 1"));
          }
          partner_threshold = body["partner_threshold"].get<double>();
        }
        const service::HitNoHitContext* hnh = server.deps().hit_no_hit;
        if (partners && (hnh == nullptr || server.deps().partner_indexes == nullptr)) {
          return ErrorReply(FailedPrecondition(
              "body.partners: hit/no-hit is off on this node (it needs federation keys and the "
              "federation's encoding key)"));
        }
        Result<std::vector<service::ScreenHit>> hits =
            server.deps().subjects->Screen(call.caller, request);
        if (!hits.ok()) return ErrorReply(hits.status());
        Reply reply;
        reply.body = {{"hits", nlohmann::json::array()}};
        for (const auto& hit : *hits) reply.body["hits"].push_back(HitJson(hit));
        if (partners) {
          Result<service::PartnerCheck> check = service::CheckPartnerIndexes(
              *server.deps().store, *hnh, *server.deps().partner_indexes, call.caller,
              request.query, partner_threshold, request.limit);
          if (!check.ok()) return ErrorReply(check.status());
          reply.body["partner_hits"] = nlohmann::json::array();
          for (const service::PartnerHit& h : check->hits) {
            reply.body["partner_hits"].push_back({{"hit_id", h.hit_id},
                                                  {"country", h.country},
                                                  {"reference", h.reference},
                                                  {"owner", h.owner},
                                                  {"score", h.score}});
          }
          reply.body["partners_unavailable"] = check->unavailable;
        }
        return reply;
      });
}

}  // namespace entente::api
