#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "model/entity_json.h"
#include "model/validation.h"
#include "service/subject_history.h"

namespace entente::api {
using model::EntityFromJson;
using model::EntityToJson;
namespace {

Result<nlohmann::json> ParseBody(const Call& call) { return ParseJson(call.Body(), "body"); }

nlohmann::json SubjectJson(const service::SubjectView& view) {
  const store::Subject& s = view.subject;
  nlohmann::json out = EntityToJson(s.entity);
  out["version"] = s.version;
  out["state"] = s.state == store::SubjectState::kActive       ? "active"
                 : s.state == store::SubjectState::kRestricted ? "restricted"
                                                               : "erased";
  out["created_at"] = TimeJson(s.created_at);
  out["updated_at"] = TimeJson(s.updated_at);
  if (view.not_for_judicial_use) {
    out["handling_notice"] =
        "H1: not to be used in judicial proceedings without the provider's permission";
  }
  if (!view.restriction.empty()) out["handling_restriction"] = view.restriction;
  return out;
}

nlohmann::json HistoryJson(const service::SubjectHistory& history) {
  nlohmann::json out = {{"changes", nlohmann::json::array()},
                        {"disclosures", nlohmann::json::array()},
                        {"truncated", history.truncated}};
  for (const service::SubjectChange& c : history.changes) {
    nlohmann::json change = {{"at", TimeJson(c.at)},
                             {"actor", c.actor},
                             {"agency", c.agency},
                             {"operation", c.operation}};
    if (c.operation == "update") {
      change["from_version"] = c.from_version;
      change["changed"] = c.changed;
    }
    if (!c.reason.empty()) change["reason"] = c.reason;
    out["changes"].push_back(std::move(change));
  }
  for (const service::SubjectDisclosure& d : history.disclosures) {
    nlohmann::json disclosure = {{"at", TimeJson(d.at)},      {"actor", d.actor},
                                 {"agency", d.agency},        {"kind", d.kind},
                                 {"content", d.content},      {"recipients", d.recipients},
                                 {"message_id", d.message_id}};
    if (!d.message_type.empty()) disclosure["message_type"] = d.message_type;
    if (!d.case_id.empty()) disclosure["case_id"] = d.case_id;
    out["disclosures"].push_back(std::move(disclosure));
  }
  return out;
}

}  // namespace

void AddSubjectRoutes(ApiServer& server) {
  // The checks of POST and PUT without storing anything: every problem, by field, so that a
  // form can show each beside its field ({"valid": bool, "problems": [...]}).
  server.AddRoute("POST", "/api/v1/subjects/validate",
                  RouteSpec().Requires(policy::Action::kWriteSubject), [&server](Call& call) {
                    Result<nlohmann::json> body = ParseBody(call);
                    if (!body.ok()) return ErrorReply(body.status());
                    Result<model::Entity> entity = EntityFromJson(*body, "body");
                    if (!entity.ok()) return ErrorReply(entity.status());
                    // A new subject's id is the node's to give (as POST does): any valid one.
                    if (entity->id.empty()) entity->id = server.deps().node_country + "-new";
                    Reply reply;
                    reply.body = {{"valid", true}, {"problems", nlohmann::json::array()}};
                    for (const model::FieldProblem& p : model::ValidateEntity(*entity)) {
                      reply.body["valid"] = false;
                      nlohmann::json problem = {{"field", p.field}, {"message", p.message}};
                      if (p.value_index >= 0) problem["index"] = p.value_index;
                      reply.body["problems"].push_back(std::move(problem));
                    }
                    return reply;
                  });
  // Who changed the record, what and when; to whom it was disclosed.
  server.AddRoute("GET", "/api/v1/subjects/{id}/history", RouteSpec(), [&server](Call& call) {
    Result<service::SubjectHistory> history =
        service::ReadSubjectHistory(*server.deps().store, call.caller, call.params.at(0));
    if (!history.ok()) return ErrorReply(history.status());
    Reply reply;
    reply.body = HistoryJson(*history);
    return reply;
  });
  server.AddRoute("POST", "/api/v1/subjects", RouteSpec().Requires(policy::Action::kWriteSubject),
                  [&server](Call& call) {
                    Result<nlohmann::json> body = ParseBody(call);
                    if (!body.ok()) return ErrorReply(body.status());
                    Result<model::Entity> entity = EntityFromJson(*body, "body");
                    if (!entity.ok()) return ErrorReply(entity.status());
                    Result<std::string> id =
                        server.deps().subjects->CreateSubject(call.caller, *entity);
                    if (!id.ok()) return ErrorReply(id.status());
                    Reply reply;
                    reply.status = 201;
                    reply.body = {{"id", *id}, {"version", 1}};
                    reply.headers.emplace_back("Location", "/api/v1/subjects/" + *id);
                    return reply;
                  });
  server.AddRoute("GET", "/api/v1/subjects/{id}", RouteSpec(), [&server](Call& call) {
    Result<service::SubjectView> view =
        server.deps().subjects->GetSubject(call.caller, call.params.at(0));
    if (!view.ok()) return ErrorReply(view.status());
    Reply reply;
    reply.body = SubjectJson(*view);
    reply.headers.emplace_back("ETag", "\"" + std::to_string(view->subject.version) + "\"");
    return reply;
  });
  server.AddRoute(
      "PUT", "/api/v1/subjects/{id}", RouteSpec().Requires(policy::Action::kWriteSubject),
      [&server](Call& call) {
        Result<nlohmann::json> body = ParseBody(call);
        if (!body.ok()) return ErrorReply(body.status());
        Result<model::Entity> entity = EntityFromJson(*body, "body");
        if (!entity.ok()) return ErrorReply(entity.status());
        if (!entity->id.empty() && entity->id != call.params.at(0)) {
          return ErrorReply(InvalidArgument("body.id: differs from the id in the path"));
        }
        entity->id = call.params.at(0);
        // If-Match: "<version>" makes the update conditional (412 when it has changed).
        int64_t expected = store::kAnyVersion;
        std::string match = call.Header("If-Match");
        if (!match.empty()) {
          if (match.size() >= 2 && match.front() == '"' && match.back() == '"') {
            match = match.substr(1, match.size() - 2);
          }
          char* end = nullptr;
          expected = std::strtoll(match.c_str(), &end, 10);
          if (match.empty() || *end != '\0' || expected <= 0) {
            return ErrorReply(InvalidArgument("If-Match: expected a version such as \"3\""));
          }
        }
        Result<int64_t> version =
            server.deps().subjects->UpdateSubject(call.caller, *entity, expected);
        if (!version.ok()) {
          Reply refused = ErrorReply(version.status());
          // A stale If-Match is the precondition of RFC 9110 failing: 412, not a conflict.
          if (expected != store::kAnyVersion &&
              version.status().code() == StatusCode::kFailedPrecondition &&
              version.status().message().starts_with("version conflict")) {
            refused.status = 412;
            refused.body["error"]["status"] = 412;
          }
          return refused;
        }
        Reply reply;
        reply.body = {{"id", entity->id}, {"version", *version}};
        return reply;
      });
  // A supervisor's decision to restrict or erase a subject, with its reason: {"reason": text}.
  for (const bool erase : {false, true}) {
    server.AddRoute(
        "POST", erase ? "/api/v1/subjects/{id}/erase" : "/api/v1/subjects/{id}/restrict",
        RouteSpec()
            .Body(kSmallBodyLimit)
            .Requires(erase ? policy::Action::kEraseSubject : policy::Action::kRestrictSubject),
        [&server, erase](Call& call) {
          Result<nlohmann::json> body = ParseBody(call);
          if (!body.ok()) return ErrorReply(body.status());
          if (!body->is_object() || !body->contains("reason") || !(*body)["reason"].is_string()) {
            return ErrorReply(InvalidArgument("body: expected {\"reason\": text}"));
          }
          const Result<service::StateChange> change = server.deps().subjects->SetSubjectState(
              call.caller, call.params.at(0),
              erase ? store::SubjectState::kErased : store::SubjectState::kRestricted,
              (*body)["reason"].get<std::string>());
          if (!change.ok()) return ErrorReply(change.status());
          Reply reply;
          if (*change == service::StateChange::kErasureRequested) {
            // Four eyes: accepted, applied when a second supervisor confirms it.
            reply.status = 202;
            reply.body = {{"id", call.params.at(0)},
                          {"state", "erasure_requested"},
                          {"confirm_within_days", service::kErasureRequestDays}};
            return reply;
          }
          reply.body = {{"id", call.params.at(0)}, {"state", erase ? "erased" : "restricted"}};
          return reply;
        });
  }
  // Withdraws a pending erasure request: {"reason": text}.
  server.AddRoute(
      "POST", "/api/v1/subjects/{id}/erase/withdraw",
      RouteSpec().Body(kSmallBodyLimit).Requires(policy::Action::kEraseSubject),
      [&server](Call& call) {
        Result<nlohmann::json> body = ParseBody(call);
        if (!body.ok()) return ErrorReply(body.status());
        if (!body->is_object() || !body->contains("reason") || !(*body)["reason"].is_string()) {
          return ErrorReply(InvalidArgument("body: expected {\"reason\": text}"));
        }
        const Status status = server.deps().subjects->WithdrawErasure(
            call.caller, call.params.at(0), (*body)["reason"].get<std::string>());
        if (!status.ok()) return ErrorReply(status);
        Reply reply;
        reply.body = {{"id", call.params.at(0)}, {"state", "erasure_withdrawn"}};
        return reply;
      });
}

}  // namespace entente::api
