// The exchange with partners: messages, cases, acknowledgements, release notices, the outbox,
// partners and statistics (docs/federation.md).
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "common/time_format.h"
#include "federation/crypto.h"
#include "federation/delivery.h"
#include "federation/message.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "service/exchange.h"
#include "service/exchange_stats.h"
#include "service/release_notices.h"

namespace entente::api {
namespace {

Status FieldError(const std::string& field, const std::string& message) {
  return InvalidArgument("body." + field + ": " + message);
}

Result<service::MessageDraft> DraftFromJson(const nlohmann::json& body) {
  if (!body.is_object()) return InvalidArgument("body: expected a JSON object");
  service::MessageDraft d;
  auto text = [&](const char* name, std::string* out) -> Status {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return Status::Ok();
    if (!it->is_string()) return FieldError(name, "expected text");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  auto boolean = [&](const char* name, bool* out) -> Status {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return Status::Ok();
    if (!it->is_boolean()) return FieldError(name, "expected true or false");
    *out = it->get<bool>();
    return Status::Ok();
  };
  auto list = [&](const char* name, std::vector<std::string>* out) -> Status {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return Status::Ok();
    if (!it->is_array()) return FieldError(name, "expected an array of text");
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return FieldError(std::string(name) + "[" + std::to_string(i) + "]", "expected text");
      }
      out->push_back((*it)[i].get<std::string>());
    }
    return Status::Ok();
  };
  std::string type = "spontaneous", priority = "routine", handling = "H0";
  ENTENTE_RETURN_IF_ERROR(text("type", &type));
  auto parsed_type = federation::ParseMessageType(type);
  if (!parsed_type) return FieldError("type", "unknown message type " + type);
  d.type = *parsed_type;
  ENTENTE_RETURN_IF_ERROR(text("case_id", &d.case_id));
  ENTENTE_RETURN_IF_ERROR(text("in_reply_to", &d.in_reply_to));
  ENTENTE_RETURN_IF_ERROR(list("recipients", &d.recipients));
  ENTENTE_RETURN_IF_ERROR(text("priority", &priority));
  auto parsed_priority = federation::ParsePriority(priority);
  if (!parsed_priority) return FieldError("priority", "expected routine, urgent or immediate");
  d.priority = *parsed_priority;
  ENTENTE_RETURN_IF_ERROR(text("deadline", &d.deadline));
  ENTENTE_RETURN_IF_ERROR(list("subject_ids", &d.subject_ids));
  ENTENTE_RETURN_IF_ERROR(boolean("include_records", &d.include_records));
  ENTENTE_RETURN_IF_ERROR(boolean("provider_permission", &d.provider_permission));
  ENTENTE_RETURN_IF_ERROR(boolean("originator_authorised", &d.originator_authorised));
  ENTENTE_RETURN_IF_ERROR(text("handling_code", &handling));
  auto code = model::ParseHandlingCode(handling);
  if (!code) return FieldError("handling_code", "expected H0, H1, H2 or H3");
  d.handling_code = *code;
  ENTENTE_RETURN_IF_ERROR(text("handling_restriction", &d.handling_restriction));
  ENTENTE_RETURN_IF_ERROR(text("source_reliability", &d.source_reliability));
  ENTENTE_RETURN_IF_ERROR(text("information_accuracy", &d.information_accuracy));
  ENTENTE_RETURN_IF_ERROR(boolean("minors", &d.minors));
  ENTENTE_RETURN_IF_ERROR(text("body", &d.body));
  if (auto it = body.find("attachments"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return FieldError("attachments", "expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const nlohmann::json& a = (*it)[i];
      const std::string field = "attachments[" + std::to_string(i) + "]";
      if (!a.is_object() || !a.value("name", nlohmann::json()).is_string() ||
          !a.value("media_type", nlohmann::json()).is_string() ||
          !a.value("data", nlohmann::json()).is_string()) {
        return FieldError(field, "expected {name, media_type, data (base64)}");
      }
      ENTENTE_ASSIGN_OR_RETURN(
          std::string data,
          federation::Base64Decode(a["data"].get<std::string>(), "body." + field + ".data"));
      d.attachments.push_back({a["name"], a["media_type"], std::move(data)});
    }
  }
  return d;
}

nlohmann::json StoredJson(const store::StoredMessage& m) {
  return {{"id", m.id},
          {"direction", m.direction == store::MessageDirection::kOut ? "out" : "in"},
          {"case_id", m.case_id},
          {"type", m.type},
          {"sender", m.sender},
          {"recipients", m.recipients},
          {"in_reply_to", m.in_reply_to},
          {"priority", m.priority},
          {"deadline", m.deadline},
          {"handling_code", m.handling_code},
          {"minors", m.minors},
          {"created_at", TimeJson(m.created_at)},
          {"stored_at", TimeJson(m.stored_at)}};
}

nlohmann::json ViewJson(const service::MessageView& view) {
  nlohmann::json out = StoredJson(view.stored);
  out["message"] = federation::MessageToJson(view.message);
  return out;
}

Reply NoFederation() {
  return ErrorReply(FailedPrecondition("this node has no federation keys (entente node init)"));
}

int LimitOf(const Call& call, int fallback) {
  const std::string text = call.Query("limit");
  if (text.empty()) return fallback;
  const long value = std::strtol(text.c_str(), nullptr, 10);
  return value > 0 && value <= 10000 ? static_cast<int>(value) : fallback;
}

}  // namespace

void AddExchangeRoutes(ApiServer& server) {
  server.AddRoute("POST", "/api/v1/messages",
                  RouteSpec().Body(kMessageBodyLimit).Admits(MayExchange), [&server](Call& call) {
                    const service::ExchangeContext* exchange = server.deps().exchange;
                    if (exchange == nullptr) return NoFederation();
                    Result<nlohmann::json> body = ParseJson(call.Body(), "body");
                    if (!body.ok()) return ErrorReply(body.status());
                    Result<service::MessageDraft> draft = DraftFromJson(*body);
                    if (!draft.ok()) return ErrorReply(draft.status());
                    Result<service::SentMessage> sent =
                        service::SendMessage(*server.deps().store, *exchange, call.caller, *draft);
                    if (!sent.ok()) return ErrorReply(sent.status());
                    Reply reply;
                    reply.status = 201;
                    reply.headers.emplace_back("Location", "/api/v1/messages/" + sent->id);
                    reply.body = {{"id", sent->id},
                                  {"case_id", sent->case_id},
                                  {"countries", sent->countries},
                                  {"not_for_judicial_use", sent->not_for_judicial_use},
                                  {"handling_restriction", sent->restriction_to_show}};
                    return reply;
                  });
  server.AddRoute("GET", "/api/v1/messages/{id}", RouteSpec(), [&server](Call& call) {
    Result<service::MessageView> view =
        service::ReadMessage(*server.deps().store, call.caller, call.params[0]);
    if (!view.ok()) return ErrorReply(view.status());
    Reply reply;
    reply.body = ViewJson(*view);
    return reply;
  });
  server.AddRoute("POST", "/api/v1/messages/{id}/acknowledge",
                  RouteSpec().Body(kSmallBodyLimit).Admits(MayExchange), [&server](Call& call) {
                    const service::ExchangeContext* exchange = server.deps().exchange;
                    if (exchange == nullptr) return NoFederation();
                    Result<service::SentMessage> sent = service::Acknowledge(
                        *server.deps().store, *exchange, call.caller, call.params[0]);
                    if (!sent.ok()) return ErrorReply(sent.status());
                    Reply reply;
                    reply.status = 201;
                    reply.body = {{"id", sent->id}, {"case_id", sent->case_id}};
                    return reply;
                  });
  server.AddRoute("GET", "/api/v1/cases", RouteSpec(), [&server](Call& call) {
    Result<std::vector<service::CaseListing>> cases =
        service::ListCases(*server.deps().store, call.caller, LimitOf(call, 100));
    if (!cases.ok()) return ErrorReply(cases.status());
    Reply reply;
    reply.body = {{"cases", nlohmann::json::array()}};
    for (const service::CaseListing& c : *cases) {
      reply.body["cases"].push_back({{"case_id", c.summary.case_id},
                                     {"messages", c.summary.messages},
                                     {"first_at", TimeJson(c.summary.first_at)},
                                     {"last_at", TimeJson(c.summary.last_at)},
                                     {"minors", c.summary.minors},
                                     {"opened_by", c.summary.first_type},
                                     {"overdue", c.overdue_message_ids}});
    }
    return reply;
  });
  server.AddRoute("GET", "/api/v1/cases/{id}", RouteSpec(), [&server](Call& call) {
    Result<std::vector<service::MessageView>> thread =
        service::ReadCase(*server.deps().store, call.caller, call.params[0]);
    if (!thread.ok()) return ErrorReply(thread.status());
    Reply reply;
    reply.body = {{"case_id", call.params[0]}, {"messages", nlohmann::json::array()}};
    for (const service::MessageView& v : *thread) reply.body["messages"].push_back(ViewJson(v));
    return reply;
  });
  server.AddRoute("GET", "/api/v1/stats", RouteSpec(), [&server](Call& call) {
    // Counts only: no personal data, but a user of this node's exchange (or an auditor).
    const policy::Decision who =
        policy::AuthorizeExchangeListing(call.caller.principal, call.caller.context);
    if (!who.allowed && call.caller.principal.role != policy::Role::kAuditor) {
      return ErrorReply(who.ToStatus());
    }
    // The window, ISO 8601 times or dates ("2026-12-01"), either end open when absent.
    int64_t from = 0, to = 0;
    for (auto [name, value] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
      const std::string text = call.Query(name);
      if (text.empty()) continue;
      Result<int64_t> parsed = ParseIsoTime(text, name);
      if (!parsed.ok()) return ErrorReply(parsed.status());
      *value = *parsed;
    }
    Result<service::ExchangeStats> stats =
        service::ComputeExchangeStats(*server.deps().store, from, to);
    if (!stats.ok()) return ErrorReply(stats.status());
    Reply reply;
    reply.body = {{"messages", stats->messages},
                  {"hit_notifications_sent", stats->hit_notifications_sent},
                  {"hit_notifications_received", stats->hit_notifications_received},
                  {"exchanges", nlohmann::json::array()},
                  {"response_times", nlohmann::json::array()}};
    for (const auto& c : stats->counts) {
      reply.body["exchanges"].push_back({{"from", c.from},
                                         {"to", c.to},
                                         {"month", c.month},
                                         {"type", c.type},
                                         {"count", c.count}});
    }
    for (const auto& r : stats->response_times) {
      reply.body["response_times"].push_back({{"asker", r.asker},
                                              {"answerer", r.answerer},
                                              {"answered", r.answered},
                                              {"median_hours", r.median_hours},
                                              {"p90_hours", r.p90_hours},
                                              {"max_hours", r.max_hours}});
    }
    return reply;
  });
  server.AddRoute("GET", "/api/v1/release-notices", RouteSpec(), [&server](Call& call) {
    // The notices' bookkeeping (subjects' ids, dates, partners): a user of the exchange.
    const policy::Decision who =
        policy::AuthorizeExchangeListing(call.caller.principal, call.caller.context);
    if (!who.allowed) return ErrorReply(who.ToStatus());
    Result<std::vector<store::ReleaseNotice>> notices = server.deps().store->notices().List(
        call.Query("unacknowledged") == "true", LimitOf(call, 1000));
    if (!notices.ok()) return ErrorReply(notices.status());
    Reply reply;
    reply.body = {{"notices", nlohmann::json::array()}};
    for (const auto& n : *notices) {
      reply.body["notices"].push_back({{"subject_id", n.subject_id},
                                       {"event_kind", n.event_kind},
                                       {"event_date", n.event_date},
                                       {"partner", n.partner},
                                       {"message_id", n.message_id},
                                       {"case_id", n.case_id},
                                       {"sent_at", TimeJson(n.sent_at)},
                                       {"acknowledged_at", TimeJson(n.acknowledged_at)},
                                       {"acknowledged_by", n.acknowledged_by}});
    }
    return reply;
  });
  server.AddRoute("GET", "/api/v1/federation/outbox", RouteSpec(), [&server](Call& call) {
    if (Status s = service::CheckNodeAdministration(call.caller); !s.ok()) return ErrorReply(s);
    Result<std::vector<store::OutboxCount>> counts = server.deps().store->outbox().Count();
    if (!counts.ok()) return ErrorReply(counts.status());
    store::OutboxQuery failed;
    failed.state = store::OutboxState::kFailed;
    failed.limit = LimitOf(call, 100);
    Result<std::vector<store::OutboxEntry>> entries = server.deps().store->outbox().List(failed);
    if (!entries.ok()) return ErrorReply(entries.status());
    Reply reply;
    reply.body = {{"queues", nlohmann::json::array()}, {"failed", nlohmann::json::array()}};
    const int64_t now = server.deps().clock->NowMicros();
    for (const auto& c : *counts) {
      // A queue whose oldest pending entry waits for long: the partner is down or refuses.
      const bool stalled = c.state == store::OutboxState::kPending &&
                           now - c.oldest_created_at > federation::kUndeliveredAfterMicros;
      reply.body["queues"].push_back({{"recipient", c.recipient},
                                      {"state", store::OutboxStateName(c.state)},
                                      {"count", c.count},
                                      {"oldest_created_at", TimeJson(c.oldest_created_at)},
                                      {"stalled", stalled}});
    }
    for (const auto& e : *entries) {
      reply.body["failed"].push_back({{"seq", e.seq},
                                      {"message_id", e.message_id},
                                      {"recipient", e.recipient},
                                      {"attempts", e.attempts},
                                      {"last_error", e.last_error},
                                      {"created_at", TimeJson(e.created_at)}});
    }
    return reply;
  });
  server.AddRoute("POST", "/api/v1/federation/outbox/{seq}/requeue",
                  RouteSpec().Body(kSmallBodyLimit).Admits(service::CheckNodeAdministration),
                  [&server](Call& call) {
                    const int64_t seq = std::strtoll(call.params[0].c_str(), nullptr, 10);
                    service::ExchangeContext exchange{nullptr, server.deps().clock, {}};
                    if (server.deps().exchange != nullptr) exchange = *server.deps().exchange;
                    const Status status = service::RequeueOutboxEntry(*server.deps().store,
                                                                      exchange, call.caller, seq);
                    if (!status.ok()) return ErrorReply(status);
                    Reply reply;
                    reply.body = {{"requeued", seq}};
                    return reply;
                  });
  server.AddRoute("GET", "/api/v1/partners", RouteSpec(), [&server](Call& call) {
    if (Status s = service::CheckNodeAdministration(call.caller); !s.ok()) return ErrorReply(s);
    Result<std::vector<store::Partner>> partners = server.deps().store->partners().List();
    if (!partners.ok()) return ErrorReply(partners.status());
    Reply reply;
    reply.body = {{"partners", nlohmann::json::array()}};
    for (const auto& p : *partners) {
      reply.body["partners"].push_back({{"country", p.country},
                                        {"url", p.url},
                                        {"tls_fingerprint", p.tls_fingerprint},
                                        {"rules", nlohmann::json::parse(p.rules_json)}});
    }
    return reply;
  });
  // A partner's sharing rules, replaced as a whole (absent fields take their defaults).
  server.AddRoute(
      "PUT", "/api/v1/partners/{country}/rules",
      RouteSpec().Body(kSmallBodyLimit).Admits(service::CheckNodeAdministration),
      [&server](Call& call) {
        Result<store::Partner> partner = server.deps().store->partners().Get(call.params.at(0));
        if (!partner.ok()) return ErrorReply(partner.status());
        Result<nlohmann::json> parsed = ParseJson(call.Body(), "body");
        if (!parsed.ok()) return ErrorReply(parsed.status());
        Result<policy::SharingRules> rules = federation::SharingRulesFromJson(*parsed, "body");
        if (!rules.ok()) return ErrorReply(rules.status());
        partner->rules_json = DumpJson(federation::SharingRulesToJson(*rules));
        if (Status s = service::RegisterPartner(*server.deps().store, call.caller, *partner);
            !s.ok()) {
          return ErrorReply(s);
        }
        Reply reply;
        reply.body = {{"country", partner->country},
                      {"url", partner->url},
                      {"tls_fingerprint", partner->tls_fingerprint},
                      {"rules", federation::SharingRulesToJson(*rules)}};
        return reply;
      });
}

}  // namespace entente::api
