#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "service/radar.h"

namespace entente::api {
namespace {

nlohmann::json TaskJson(const store::ChecklistTask& t, bool overdue,
                        const std::vector<store::TaskComment>& comments = {}) {
  nlohmann::json out = {{"id", t.id},
                        {"subject_id", t.subject_id},
                        {"event_date", t.event_date},
                        {"task", t.task},
                        {"owner_agency", t.owner_agency},
                        {"status", std::string(store::TaskStatusCode(t.status))},
                        {"due_date", t.due_date},
                        {"overdue", overdue},
                        {"assignee", t.assignee},
                        {"comments", nlohmann::json::array()}};
  for (const store::TaskComment& c : comments) {
    out["comments"].push_back(
        {{"at", TimeJson(c.at)}, {"author", c.author}, {"agency", c.agency}, {"text", c.text}});
  }
  return out;
}

nlohmann::json EntryJson(const service::RadarEntry& e) {
  nlohmann::json out = {{"subject_id", e.event.subject_id},
                        {"kind", e.event.kind},
                        {"start_date", e.event.start_date},
                        {"end_date", e.event.end_date},
                        {"withheld", e.withheld}};
  if (e.withheld) {
    out["withheld_rule"] = e.withheld_rule;
    return out;
  }
  out["establishment"] = e.event.establishment;
  out["name"] = e.name;
  out["owner_agency"] = e.owner_agency;
  out["threat_level"] = e.threat_level;
  out["categories"] = e.categories;
  out["overdue_tasks"] = e.overdue_tasks;
  if (e.not_for_judicial_use) {
    out["handling_notice"] =
        "H1: not to be used in judicial proceedings without the provider's permission";
  }
  if (!e.restriction.empty()) out["handling_restriction"] = e.restriction;
  out["checklist"] = nlohmann::json::array();
  for (const auto& t : e.checklist) {
    out["checklist"].push_back(TaskJson(t.task, t.overdue, t.comments));
  }
  return out;
}

// {"status": open|in_progress|done|cancelled, "assignee": text, "comment": text}, any of them.
Result<service::TaskChange> TaskChangeFromJson(const nlohmann::json& body) {
  if (!body.is_object()) {
    return InvalidArgument("body: expected {\"status\", \"assignee\", \"comment\"} (any of them)");
  }
  service::TaskChange change;
  for (const auto& [key, value] : body.items()) {
    if (key != "status" && key != "assignee" && key != "comment") {
      return InvalidArgument("body." + key + ": unknown field (status, assignee, comment)");
    }
    if (!value.is_string()) return InvalidArgument("body." + key + ": expected a string");
  }
  if (body.contains("status")) {
    change.status = store::ParseTaskStatus(body["status"].get<std::string>());
    if (!change.status) {
      return InvalidArgument("body.status: expected open, in_progress, done or cancelled");
    }
  }
  if (body.contains("assignee")) change.assignee = body["assignee"].get<std::string>();
  if (body.contains("comment")) change.comment = body["comment"].get<std::string>();
  return change;
}

}  // namespace

void AddRadarRoutes(ApiServer& server) {
  // Releases and leaves between `from` and `to` (default: today and `days` later, 90).
  server.AddRoute("GET", "/api/v1/radar", RouteSpec(), [&server](Call& call) {
    const model::PartialDate& today = call.caller.context.today;
    std::string from = call.Query("from");
    std::string to = call.Query("to");
    if (from.empty()) from = today.ToString();
    if (to.empty()) {
      const std::string days_text = call.Query("days");
      char* end = nullptr;
      const long days = days_text.empty() ? 90 : std::strtol(days_text.c_str(), &end, 10);
      if (!days_text.empty() && (*end != '\0' || days < 0 || days > 3660)) {
        return ErrorReply(InvalidArgument("days: expected a whole number from 0 to 3660"));
      }
      Result<model::PartialDate> start = model::PartialDate::Parse(from);
      if (!start.ok()) return ErrorReply(InvalidArgument("from: " + start.status().message()));
      to = model::PartialDate::FromEpochDays(start->ToEpochDays() + days).ToString();
    }
    Result<service::Radar> radar = service::ReadRadar(*server.deps().store, call.caller, from, to);
    if (!radar.ok()) return ErrorReply(radar.status());
    Reply reply;
    reply.body = {{"from", radar->from},
                  {"to", radar->to},
                  {"left_out", radar->left_out},
                  {"overdue_tasks", radar->overdue_tasks},
                  {"entries", nlohmann::json::array()}};
    for (const auto& e : radar->entries) reply.body["entries"].push_back(EntryJson(e));
    return reply;
  });
  // The standard release-preparation checklist of one event, created once.
  server.AddRoute("POST", "/api/v1/radar/checklists",
                  RouteSpec().Body(kSmallBodyLimit).Requires(policy::Action::kManageChecklistTask),
                  [&server](Call& call) {
                    Result<nlohmann::json> parsed = ParseJson(call.Body(), "body");
                    if (!parsed.ok()) return ErrorReply(parsed.status());
                    nlohmann::json& body = *parsed;
                    if (body.is_discarded() || !body.is_object() || !body.contains("subject_id") ||
                        !body["subject_id"].is_string() || !body.contains("event_date") ||
                        !body["event_date"].is_string()) {
                      return ErrorReply(InvalidArgument(
                          "body: expected {\"subject_id\": text, \"event_date\": YYYY-MM-DD}"));
                    }
                    Result<std::vector<store::ChecklistTask>> tasks = service::PrepareChecklist(
                        *server.deps().store, call.caller, body["subject_id"].get<std::string>(),
                        body["event_date"].get<std::string>());
                    if (!tasks.ok()) return ErrorReply(tasks.status());
                    Reply reply;
                    reply.status = 201;
                    reply.body = {{"tasks", nlohmann::json::array()}};
                    const std::string today = call.caller.context.today.ToString();
                    for (const auto& t : *tasks) {
                      reply.body["tasks"].push_back(TaskJson(t, service::IsOverdue(t, today)));
                    }
                    return reply;
                  });
  server.AddRoute("PUT", "/api/v1/radar/tasks/{id}",
                  RouteSpec().Body(kSmallBodyLimit).Requires(policy::Action::kManageChecklistTask),
                  [&server](Call& call) {
                    char* end = nullptr;
                    const long long id = std::strtoll(call.params.at(0).c_str(), &end, 10);
                    if (*end != '\0' || id <= 0)
                      return ErrorReply(InvalidArgument("id: expected a task number"));
                    Result<nlohmann::json> parsed = ParseJson(call.Body(), "body");
                    if (!parsed.ok()) return ErrorReply(parsed.status());
                    Result<service::TaskChange> change = TaskChangeFromJson(*parsed);
                    if (!change.ok()) return ErrorReply(change.status());
                    Result<service::RadarTask> task =
                        service::ChangeTask(*server.deps().store, call.caller, id, *change);
                    if (!task.ok()) return ErrorReply(task.status());
                    Reply reply;
                    reply.body = TaskJson(task->task, task->overdue, task->comments);
                    return reply;
                  });
}

}  // namespace entente::api
