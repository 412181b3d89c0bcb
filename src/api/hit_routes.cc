// Hit/no-hit between partners (docs/hit-no-hit.md): hits both ways, follow-up requests and
// their decisions, and the encoded indexes published and received. Screening against partners'
// indexes is POST /api/v1/screen with "partners": true (screen_routes.cc).
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "service/hit_no_hit.h"
#include "service/hits.h"
#include "service/index_publish.h"
#include "service/partner_indexes.h"

namespace entente::api {
namespace {

Reply NoHitNoHit() {
  return ErrorReply(FailedPrecondition(
      "hit/no-hit is off on this node: it needs federation keys and the federation's encoding "
      "key (entente node encoding-key)"));
}

int LimitOf(const Call& call, int fallback) {
  const std::string text = call.Query("limit");
  if (text.empty()) return fallback;
  const long value = std::strtol(text.c_str(), nullptr, 10);
  return value > 0 && value <= 10000 ? static_cast<int>(value) : fallback;
}

// The JSON body, {} when empty; InvalidArgument when it is not an object.
Result<nlohmann::json> BodyObject(const Call& call) {
  if (call.Body().empty()) return nlohmann::json::object();
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json body, ParseJson(call.Body(), "body"));
  if (!body.is_object()) return InvalidArgument("body: expected a JSON object");
  return body;
}

Result<std::string> TextField(const nlohmann::json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return InvalidArgument(std::string("body.") + name + ": missing");
    return std::string();
  }
  if (!it->is_string()) return InvalidArgument(std::string("body.") + name + ": expected text");
  return it->get<std::string>();
}

nlohmann::json HitJson(const store::HitRecord& h) {
  nlohmann::json out = {{"hit_id", h.id},           {"country", h.partner},
                        {"reference", h.reference}, {"owner", h.owner},
                        {"agency", h.agency},       {"score", h.score},
                        {"at", TimeJson(h.at)},     {"notification_id", h.notification_id}};
  if (h.direction == store::HitDirection::kIn) {
    out["subject_id"] = h.subject_id;
  } else {
    out["followup_id"] = h.followup_id;
  }
  return out;
}

}  // namespace

void AddHitRoutes(ApiServer& server) {
  server.AddRoute("GET", "/api/v1/hits", RouteSpec(), [&server](Call& call) {
    const std::string direction = call.Query("direction");
    if (!direction.empty() && direction != "in" && direction != "out") {
      return ErrorReply(InvalidArgument("direction: expected in or out"));
    }
    Result<std::vector<store::HitRecord>> hits =
        service::ListHits(*server.deps().store, call.caller,
                          direction == "in" ? store::HitDirection::kIn : store::HitDirection::kOut,
                          LimitOf(call, 100));
    if (!hits.ok()) return ErrorReply(hits.status());
    Reply reply;
    reply.body = {{"hits", nlohmann::json::array()}};
    for (const store::HitRecord& h : *hits) reply.body["hits"].push_back(HitJson(h));
    return reply;
  });
  server.AddRoute("POST", "/api/v1/hits/{id}/follow-up",
                  RouteSpec().Body(kSmallBodyLimit).Admits(MayExchange), [&server](Call& call) {
                    const service::ExchangeContext* exchange = server.deps().exchange;
                    if (exchange == nullptr) return NoHitNoHit();
                    Result<nlohmann::json> body = BodyObject(call);
                    if (!body.ok()) return ErrorReply(body.status());
                    Result<std::string> text = TextField(*body, "body", false);
                    if (!text.ok()) return ErrorReply(text.status());
                    Result<service::SentMessage> sent = service::RequestFollowUp(
                        *server.deps().store, *exchange, call.caller, call.params[0], *text);
                    if (!sent.ok()) return ErrorReply(sent.status());
                    Reply reply;
                    reply.status = 201;
                    reply.body = {{"id", sent->id}, {"case_id", sent->case_id}};
                    return reply;
                  });
  server.AddRoute("GET", "/api/v1/follow-ups", RouteSpec(), [&server](Call& call) {
    Result<std::vector<service::FollowUpView>> listed =
        service::ListFollowUps(*server.deps().store, call.caller, server.deps().clock->NowMicros(),
                               call.Query("pending") == "true", LimitOf(call, 100));
    if (!listed.ok()) return ErrorReply(listed.status());
    Reply reply;
    reply.body = {{"follow_ups", nlohmann::json::array()}};
    for (const service::FollowUpView& v : *listed) {
      const store::FollowUp& f = v.followup;
      reply.body["follow_ups"].push_back({{"message_id", f.message_id},
                                          {"state", service::FollowUpStateName(v.state)},
                                          {"partner", f.partner},
                                          {"requester", f.requester},
                                          {"reference", f.reference},
                                          {"subject_id", f.subject_id},
                                          {"hit_id", f.hit_id},
                                          {"received_at", TimeJson(f.received_at)},
                                          {"due_at", TimeJson(f.due_at)},
                                          {"decision", f.decision},
                                          {"decided_by", f.decided_by},
                                          {"decided_at", TimeJson(f.decided_at)},
                                          {"reason", f.reason},
                                          {"reply_id", f.reply_id}});
    }
    return reply;
  });
  server.AddRoute(
      "POST", "/api/v1/follow-ups/{id}/decision",
      RouteSpec().Body(kSmallBodyLimit).Admits(MayExchange), [&server](Call& call) {
        const service::ExchangeContext* exchange = server.deps().exchange;
        if (exchange == nullptr) return NoHitNoHit();
        Result<nlohmann::json> body = BodyObject(call);
        if (!body.ok()) return ErrorReply(body.status());
        Result<std::string> decision = TextField(*body, "decision", true);
        if (!decision.ok()) return ErrorReply(decision.status());
        if (*decision != "release" && *decision != "refuse") {
          return ErrorReply(InvalidArgument("body.decision: expected release or refuse"));
        }
        Result<std::string> reason = TextField(*body, "reason", true);
        if (!reason.ok()) return ErrorReply(reason.status());
        Result<service::SentMessage> sent =
            service::DecideFollowUp(*server.deps().store, *exchange, call.caller, call.params[0],
                                    *decision == "release" ? service::FollowUpDecision::kRelease
                                                           : service::FollowUpDecision::kRefuse,
                                    *reason);
        if (!sent.ok()) return ErrorReply(sent.status());
        Reply reply;
        reply.status = 201;
        reply.body = {{"id", sent->id}, {"case_id", sent->case_id}};
        return reply;
      });
  server.AddRoute("GET", "/api/v1/federation/indexes", RouteSpec(), [&server](Call& call) {
    if (Status s = service::CheckNodeAdministration(call.caller); !s.ok()) return ErrorReply(s);
    Result<std::vector<service::IndexOverview>> overview = service::DescribeIndexes(
        *server.deps().store, server.deps().partner_indexes, server.deps().clock->NowMicros());
    if (!overview.ok()) return ErrorReply(overview.status());
    Reply reply;
    reply.body = {{"partners", nlohmann::json::array()}};
    for (const service::IndexOverview& o : *overview) {
      nlohmann::json entry = {{"partner", o.partner},
                              {"hit_no_hit", o.hit_no_hit},
                              {"checks_today",
                               {{"answered", o.checks_answered_today},
                                {"refused", o.checks_refused_today},
                                {"flagged", o.checks_flagged_today}}}};
      if (o.published) {
        entry["published"] = {{"key_version", o.published->key_version},
                              {"generation", o.published->generation},
                              {"updates", o.published->sequence},
                              {"entries", o.published->entries},
                              {"change_seq", o.published->change_seq},
                              {"published_at", TimeJson(o.published->published_at)}};
      }
      if (o.received) {
        entry["received"] = {{"key_version", o.received->active_key_version},
                             {"generation", o.received->active_generation},
                             {"receiving_generation", o.received->generation},
                             {"updates", o.received->sequence},
                             {"entries", o.received->entries},
                             {"error", o.received->error},
                             {"updated_at", TimeJson(o.received->updated_at)},
                             {"usable", o.usable},
                             {"problem", o.problem}};
      }
      reply.body["partners"].push_back(std::move(entry));
    }
    return reply;
  });
  server.AddRoute("POST", "/api/v1/federation/indexes/publish",
                  RouteSpec().Body(kSmallBodyLimit).Admits(service::CheckNodeAdministration),
                  [&server](Call& call) {
                    if (Status s = service::CheckNodeAdministration(call.caller); !s.ok())
                      return ErrorReply(s);
                    const service::HitNoHitContext* hnh = server.deps().hit_no_hit;
                    if (hnh == nullptr) return NoHitNoHit();
                    Result<nlohmann::json> body = BodyObject(call);
                    if (!body.ok()) return ErrorReply(body.status());
                    service::PublishOptions options;
                    if (auto full = body->find("full"); full != body->end() && !full->is_null()) {
                      if (!full->is_boolean()) {
                        return ErrorReply(InvalidArgument("body.full: expected true or false"));
                      }
                      options.full = full->get<bool>();
                    }
                    Result<std::vector<service::PublishReport>> reports =
                        service::PublishIndexes(*server.deps().store, *hnh, options);
                    if (!reports.ok()) return ErrorReply(reports.status());
                    Reply reply;
                    reply.body = {{"partners", nlohmann::json::array()}};
                    for (const service::PublishReport& r : *reports) {
                      reply.body["partners"].push_back({{"partner", r.partner},
                                                        {"owner_answers", r.owner_answers},
                                                        {"full", r.full},
                                                        {"generation", r.generation},
                                                        {"updates", r.updates},
                                                        {"upserts", r.upserts},
                                                        {"removals", r.removals},
                                                        {"entries", r.entries},
                                                        {"withheld", r.withheld}});
                    }
                    return reply;
                  });
}

}  // namespace entente::api
