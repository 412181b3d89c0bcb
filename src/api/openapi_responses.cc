// The schemas of the success responses that openapi.cc describes only as "an object": each
// written from the JSON its route builds (the *_routes.cc files and the service and store structs
// they serialise), with every key, its type, null where the route can send null, the fixed
// vocabularies, and the keys always present as `required`.
#include <initializer_list>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace entente::api {

// Adds typed schemas for the success responses of the routes that openapi.cc leaves as a bare
// object; called at the end of OpenApiDocument().
void AddResponseSchemas(nlohmann::json& doc);

namespace {

using nlohmann::json;

json Ref(const char* name) { return {{"$ref", std::string("#/components/schemas/") + name}}; }

json WithDescription(json schema, const char* description) {
  if (description != nullptr) schema["description"] = description;
  return schema;
}

json String(const char* description = nullptr) {
  return WithDescription({{"type", "string"}}, description);
}
json Integer(const char* description = nullptr) {
  return WithDescription({{"type", "integer"}}, description);
}
json Number(const char* description = nullptr) {
  return WithDescription({{"type", "number"}}, description);
}
json Boolean(const char* description = nullptr) {
  return WithDescription({{"type", "boolean"}}, description);
}

// Every time of the API: ISO 8601 in UTC to the millisecond, null when not set (TimeJson).
json Time(const char* description = nullptr) {
  return WithDescription({{"type", "string"}, {"format", "date-time"}, {"nullable", true}},
                         description);
}

// A string from a fixed vocabulary.
json OneOf(std::initializer_list<const char*> values, const char* description = nullptr) {
  json out = {{"type", "string"}, {"enum", json::array()}};
  for (const char* value : values) out["enum"].push_back(value);
  return WithDescription(std::move(out), description);
}

json ArrayOf(json items, const char* description = nullptr) {
  return WithDescription({{"type", "array"}, {"items", std::move(items)}}, description);
}

// An object whose properties are all always present, but those named in `optional`.
json Object(json properties, std::initializer_list<const char*> optional = {},
            const char* description = nullptr) {
  json required = json::array();
  for (auto it = properties.begin(); it != properties.end(); ++it) {
    bool is_optional = false;
    for (const char* name : optional) is_optional = is_optional || it.key() == name;
    if (!is_optional) required.push_back(it.key());
  }
  json out = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) out["required"] = std::move(required);
  return WithDescription(std::move(out), description);
}

// Sets the JSON schema of one documented response, keeping its description. An operation the
// document does not have is left alone (no half-described operation is created).
void SetResponse(json& doc, const char* path, const char* method, const char* code,
                 const json& schema) {
  json& paths = doc["paths"];
  const auto operations = paths.find(path);
  if (operations == paths.end()) return;
  const auto operation = operations->find(method);
  if (operation == operations->end()) return;
  json& response = (*operation)["responses"][code];
  if (!response.contains("description")) response["description"] = "ok";
  response["content"]["application/json"]["schema"] = schema;
}

}  // namespace

void AddResponseSchemas(nlohmann::json& doc) {
  json& schemas = doc["components"]["schemas"];

  // Vocabularies several schemas share.
  const json message_type =
      OneOf({"request", "reply", "spontaneous", "alert", "hit_notification", "release_notice",
             "consultation", "acknowledgement", "index_update", "record_notice", "key_rotation"});
  const json priority = OneOf({"routine", "urgent", "immediate"});
  const json handling_code = OneOf({"H0", "H1", "H2", "H3"});
  const json event_kind = OneOf({"planned_release", "sentence_end", "leave"});
  const json agency = String("CC/kind of an agency");

  // System: /healthz and /readyz (its 503 has the same shape).
  schemas["Health"] = Object({{"status", OneOf({"ok"})},
                              {"country", String("the node's country")},
                              {"store", OneOf({"sqlite", "postgresql"})},
                              {"schema_version", Integer()},
                              {"indexed_subjects", Integer()}});
  schemas["Readiness"] = Object(
      {{"status", OneOf({"ready", "not_ready"})},
       {"checks",
        Object({{"store", String("ok, or unreachable: and why")},
                {"migrations", String("ok, or the schema version found and the one needed; absent "
                                      "when the store is unreachable")},
                {"index", OneOf({"ok", "not loaded"})}},
               {"migrations"})},
       {"indexed_subjects", Integer()},
       {"index_lag", Integer("changes of the register not yet in the index")},
       {"jobs",
        OneOf({"leader", "standby"}, "whether this replica runs the node's background jobs")}},
      {"index_lag", "jobs"});

  // The audit log's hash chain.
  schemas["AuditVerification"] =
      Object({{"entries", Integer("entries checked")},
              {"intact", Boolean()},
              {"first_broken_seq", Integer("the first entry at fault (only when not intact)")},
              {"reason", String("what is wrong with it (only when not intact)")}},
             {"first_broken_seq", "reason"});

  // Messages and cases.
  schemas["FederationMessage"] = Object(
      {{"v", {{"type", "integer"}, {"enum", json::array({1})}}},
       {"id", String()},
       {"type", message_type},
       {"case_id", String()},
       {"in_reply_to", String("\"\" when it answers none")},
       {"sender", agency},
       {"recipients", ArrayOf(agency)},
       {"priority", priority},
       {"deadline", String("YYYY-MM-DD, \"\" for none")},
       {"created_at", Integer("microseconds since the epoch, the sender's clock")},
       {"handling_code", handling_code},
       {"handling_restriction", String()},
       {"source_reliability", String("A, B, C, X or \"\"")},
       {"information_accuracy", String("1 to 4, or \"\"")},
       {"not_for_judicial_use", Boolean()},
       {"minors", Boolean()},
       {"subjects", ArrayOf(Object({{"ref", String()}, {"owner", agency}}))},
       {"entities", ArrayOf(Ref("Entity"), "records sent in full (those still visible)")},
       {"body", String()},
       {"attachments",
        ArrayOf(
            Object({{"name", String()}, {"media_type", String()}, {"data", String("base64")}}))},
       {"legal_basis", Object({{"kind", String()}, {"reference", String()}})},
       {"event_kind", String("a release notice's event, else \"\"")},
       {"event_date", String()},
       {"hit", Object({{"id", String()}, {"score", Number()}}, {},
                      "a hit notification's or follow-up request's hit")},
       {"index_update", String("an index update's codes, base64")},
       {"notice", OneOf({"correction", "restriction", "erasure"}, "a record notice's kind")}},
      {"hit", "index_update", "notice"}, "A message as signed by its sender (docs/federation.md)");
  schemas["MessageView"] =
      Object({{"id", String()},
              {"direction", OneOf({"out", "in"})},
              {"case_id", String()},
              {"type", message_type},
              {"sender", agency},
              {"recipients", String("CC/kind values joined by ','")},
              {"in_reply_to", String("\"\" when it answers none")},
              {"priority", priority},
              {"deadline", String("YYYY-MM-DD, \"\" for none")},
              {"handling_code", handling_code},
              {"minors", Boolean()},
              {"created_at", Time("the message's own time (the sender's clock)")},
              {"stored_at", Time("when this node stored it")},
              {"message", Ref("FederationMessage")}},
             {}, "A message this node sent or received, and the message itself");
  schemas["MessageSent"] = Object({{"id", String()},
                                   {"case_id", String()},
                                   {"countries", ArrayOf(String(), "where it was queued")},
                                   {"not_for_judicial_use", Boolean()},
                                   {"handling_restriction", String()}});
  schemas["MessageRef"] =
      Object({{"id", String("the message sent")}, {"case_id", String()}}, {}, "A message sent");
  schemas["CaseListing"] = Object(
      {{"case_id", String()},
       {"messages", Integer()},
       {"first_at", Time()},
       {"last_at", Time()},
       {"minors", Boolean()},
       {"opened_by", message_type},
       {"overdue", ArrayOf(String(), "ids of answers owed or awaited past their deadline")}});
  schemas["CaseList"] = Object({{"cases", ArrayOf(Ref("CaseListing"))}});
  schemas["CaseThread"] =
      Object({{"case_id", String()}, {"messages", ArrayOf(Ref("MessageView"))}});

  // Statistics and release notices.
  schemas["ExchangeStats"] =
      Object({{"messages", Integer()},
              {"hit_notifications_sent", Integer()},
              {"hit_notifications_received", Integer()},
              {"exchanges", ArrayOf(Object({{"from", String("sender country")},
                                            {"to", String("recipient country")},
                                            {"month", String("YYYY-MM")},
                                            {"type", message_type},
                                            {"count", Integer()}}))},
              {"response_times", ArrayOf(Object({{"asker", String("country")},
                                                 {"answerer", String("country")},
                                                 {"answered", Integer()},
                                                 {"median_hours", Number()},
                                                 {"p90_hours", Number()},
                                                 {"max_hours", Number()}}))}});
  schemas["ReleaseNotice"] = Object({{"subject_id", String()},
                                     {"event_kind", event_kind},
                                     {"event_date", String()},
                                     {"partner", String("country")},
                                     {"message_id", String()},
                                     {"case_id", String()},
                                     {"sent_at", Time()},
                                     {"acknowledged_at", Time("null until acknowledged")},
                                     {"acknowledged_by", String("CC/kind, \"\" until then")}});
  schemas["ReleaseNoticeList"] = Object({{"notices", ArrayOf(Ref("ReleaseNotice"))}});

  // The outbox and the partner registry.
  schemas["OutboxQueue"] = Object({{"recipient", String("partner country")},
                                   {"state", OneOf({"pending", "delivered", "failed"})},
                                   {"count", Integer()},
                                   {"oldest_created_at", Time()},
                                   {"stalled", Boolean()}});
  schemas["OutboxFailure"] = Object({{"seq", Integer()},
                                     {"message_id", String()},
                                     {"recipient", String("partner country")},
                                     {"attempts", Integer()},
                                     {"last_error", String()},
                                     {"created_at", Time()}});
  schemas["Outbox"] =
      Object({{"queues", ArrayOf(Ref("OutboxQueue"))}, {"failed", ArrayOf(Ref("OutboxFailure"))}});
  schemas["OutboxRequeued"] = Object({{"requeued", Integer("the entry's seq")}});
  schemas["SharingRules"] = Object(
      {{"categories",
        ArrayOf(OneOf({"foreign_terrorist_fighter", "returnee", "returning_minor",
                       "homegrown_terrorist_fighter", "hate_propagandist",
                       "potentially_violent_extremist", "terrorism_convict", "radicalised_prisoner",
                       "weapons_trafficking", "drugs_trafficking"}))},
       {"mode", OneOf({"plaintext", "hit_no_hit"})},
       {"max_handling_code", handling_code},
       {"legal_basis",
        OneOf({"eu_partner", "adequacy_decision", "appropriate_safeguards", "derogation"})},
       {"legal_basis_reference", String()},
       {"onward_transfer_needs_authorisation", Boolean()},
       {"release_notice_days", Integer()},
       {"minors_consultations", Boolean()},
       {"hit_no_hit", OneOf({"encoded_index", "owner_answers"})},
       {"checks_per_day", Integer()},
       {"checks_per_minute", Integer()},
       {"check_batch_size", Integer()}},
      {"categories", "mode", "max_handling_code", "legal_basis", "legal_basis_reference",
       "onward_transfer_needs_authorisation", "release_notice_days", "minors_consultations",
       "hit_no_hit", "checks_per_day", "checks_per_minute", "check_batch_size"},
      "What the node may send to the partner, as stored");
  schemas["Partner"] = Object({{"country", String()},
                               {"url", String()},
                               {"tls_fingerprint", String()},
                               {"rules", Ref("SharingRules")}});
  schemas["PartnerList"] = Object({{"partners", ArrayOf(Ref("Partner"))}});

  // Hit/no-hit: hits, follow-up requests, encoded indexes.
  schemas["HitRecord"] = Object(
      {{"hit_id", String()},
       {"country", String("the other country")},
       {"reference", String("the owner's opaque reference")},
       {"owner", agency},
       {"agency", String("CC/kind of the screening agency")},
       {"score", Number()},
       {"at", Time()},
       {"notification_id", String("the hit notification message")},
       {"subject_id", String("direction in only: the subject of this register")},
       {"followup_id", String("direction out only: the follow-up request sent, \"\" until then")}},
      {"subject_id", "followup_id"});
  schemas["HitList"] = Object({{"hits", ArrayOf(Ref("HitRecord"))}});
  schemas["FollowUp"] =
      Object({{"message_id", String("the request received")},
              {"state", OneOf({"pending", "overdue", "answered", "answered_late"})},
              {"partner", String("country")},
              {"requester", agency},
              {"reference", String()},
              {"subject_id", String()},
              {"hit_id", String()},
              {"received_at", Time()},
              {"due_at", Time()},
              {"decision", OneOf({"", "released", "refused"}, "\"\" while pending")},
              {"decided_by", String()},
              {"decided_at", Time()},
              {"reason", String()},
              {"reply_id", String("the reply that carried the decision")}});
  schemas["FollowUpList"] = Object({{"follow_ups", ArrayOf(Ref("FollowUp"))}});
  schemas["PartnerIndexOverview"] = Object(
      {{"partner", String("country")},
       {"hit_no_hit", OneOf({"encoded_index", "owner_answers"})},
       {"checks_today", Object({{"answered", Integer("checks answered since midnight UTC")},
                                {"refused", Integer("requests refused past a limit (429)")},
                                {"flagged", Integer("requests flagged as a possible enumeration")}},
                               {"answered", "refused", "flagged"},
                               "owner_answers: the partner's checks of this register today")},
       {"published", Object({{"key_version", Integer()},
                             {"generation", Integer()},
                             {"updates", Integer()},
                             {"entries", Integer()},
                             {"change_seq", Integer()},
                             {"published_at", Time()}},
                            {}, "the index this node publishes to the partner, when any")},
       {"received", Object({{"key_version", Integer()},
                            {"generation", Integer("the active generation")},
                            {"receiving_generation", Integer()},
                            {"updates", Integer()},
                            {"entries", Integer()},
                            {"error", String()},
                            {"updated_at", Time()},
                            {"usable", Boolean()},
                            {"problem", String()}},
                           {}, "the index received from the partner, when any")}},
      {"partner", "hit_no_hit", "checks_today"});
  schemas["IndexOverview"] = Object({{"partners", ArrayOf(Ref("PartnerIndexOverview"))}});
  schemas["IndexPublishReport"] =
      Object({{"partners",
               ArrayOf(Object({{"partner", String("country")},
                               {"owner_answers",
                                Boolean("checks are answered here: no index is sent, only kept")},
                               {"full", Boolean("a new generation was sent")},
                               {"generation", Integer()},
                               {"updates", Integer()},
                               {"upserts", Integer()},
                               {"removals", Integer()},
                               {"entries", Integer()},
                               {"withheld", Integer()}}))}});

  // Network analysis.
  schemas["Network"] = Object(
      {{"nodes", ArrayOf(Object({{"id", String()},
                                 {"hops", Integer()},
                                 {"country", String()},
                                 {"in_register", Boolean()},
                                 {"name", String("\"\" outside the register")}}))},
       {"links", ArrayOf(Object({{"src", String()}, {"dst", String()}, {"type", String()}}))},
       {"withheld", Integer("subjects left out: the caller may not read them")},
       {"truncated", Boolean()}});
  schemas["CrossBorderLinks"] =
      Object({{"links", ArrayOf(Object({{"src", String()},
                                        {"dst", String()},
                                        {"type", String()},
                                        {"country", String("the source subject's country")},
                                        {"other_country", String()},
                                        {"other_in_register", Boolean()}}))},
              {"withheld", Integer()},
              {"truncated", Boolean()}});

  // The release radar and its checklists.
  schemas["ChecklistTask"] =
      Object({{"id", Integer()},
              {"subject_id", String()},
              {"event_date", String()},
              {"task", String()},
              {"owner_agency", agency},
              {"status", OneOf({"open", "in_progress", "done", "cancelled"})},
              {"due_date", String("YYYY-MM-DD")},
              {"overdue", Boolean()},
              {"assignee", String("who does it, in words; \"\" for nobody yet")},
              {"comments", ArrayOf(Object({{"at", Time()},
                                           {"author", String("user id")},
                                           {"agency", agency},
                                           {"text", String()}}),
                                   "oldest first")}});
  schemas["ChecklistTasks"] = Object({{"tasks", ArrayOf(Ref("ChecklistTask"))}});
  schemas["RadarEntry"] = Object(
      {{"subject_id", String()},
       {"kind", event_kind},
       {"start_date", String()},
       {"end_date", String()},
       {"withheld", Boolean()},
       {"withheld_rule", String("only when withheld")},
       {"establishment", String()},
       {"name", String()},
       {"owner_agency", String()},
       {"threat_level", String()},
       {"categories", ArrayOf(String())},
       {"overdue_tasks", Integer()},
       {"handling_notice", String("H1 only")},
       {"handling_restriction", String("H3 only")},
       {"checklist", ArrayOf(Ref("ChecklistTask"))}},
      {"withheld_rule", "establishment", "name", "owner_agency", "threat_level", "categories",
       "overdue_tasks", "handling_notice", "handling_restriction", "checklist"},
      "A release or leave; a withheld one has only the event, its subject and withheld_rule, "
      "the others everything but withheld_rule");
  schemas["Radar"] = Object({{"from", String()},
                             {"to", String()},
                             {"left_out", Integer("restricted and erased subjects")},
                             {"overdue_tasks", Integer()},
                             {"entries", ArrayOf(Ref("RadarEntry"))}});

  // Users.
  schemas["User"] = Object({{"id", String()},
                            {"name", String()},
                            {"agency", agency},
                            {"role", String()},
                            {"tier", String()},
                            {"designations", String("names separated by ','")},
                            {"created_at", Time()},
                            {"expires_at", Time("null: never")},
                            {"state", OneOf({"active", "disabled", "expired"})}},
                           {}, "A user of the node; never its token");
  schemas["UserList"] = Object({{"users", ArrayOf(Ref("User"))}});
  schemas["Session"] =
      Object({{"user", Object({{"id", String()},
                               {"name", String()},
                               {"agency", agency},
                               {"role", String()},
                               {"tier", String()},
                               {"designations", ArrayOf(String())}})},
              {"node_country", String()},
              {"expires_at", Time()},
              {"csrf_token", String("a signed-in session's; sent back as X-CSRF-Token")}},
             {"csrf_token"}, "Who is signed in");
  schemas["UserState"] = Object({{"id", String()}, {"state", OneOf({"active", "disabled"})}});

  const struct {
    const char* path;
    const char* method;
    const char* code;
    const char* schema;
  } responses[] = {
      {"/healthz", "get", "200", "Health"},
      {"/readyz", "get", "200", "Readiness"},
      {"/readyz", "get", "503", "Readiness"},
      {"/api/v1/audit/verify", "get", "200", "AuditVerification"},
      {"/api/v1/cases", "get", "200", "CaseList"},
      {"/api/v1/cases/{id}", "get", "200", "CaseThread"},
      {"/api/v1/cross-border-links", "get", "200", "CrossBorderLinks"},
      {"/api/v1/federation/indexes", "get", "200", "IndexOverview"},
      {"/api/v1/federation/indexes/publish", "post", "200", "IndexPublishReport"},
      {"/api/v1/federation/outbox", "get", "200", "Outbox"},
      {"/api/v1/federation/outbox/{seq}/requeue", "post", "200", "OutboxRequeued"},
      {"/api/v1/follow-ups", "get", "200", "FollowUpList"},
      {"/api/v1/follow-ups/{id}/decision", "post", "201", "MessageRef"},
      {"/api/v1/hits", "get", "200", "HitList"},
      {"/api/v1/hits/{id}/follow-up", "post", "201", "MessageRef"},
      {"/api/v1/messages", "post", "201", "MessageSent"},
      {"/api/v1/messages/{id}", "get", "200", "MessageView"},
      {"/api/v1/messages/{id}/acknowledge", "post", "201", "MessageRef"},
      {"/api/v1/network/{id}", "get", "200", "Network"},
      {"/api/v1/network/{id}/group", "get", "200", "Network"},
      {"/api/v1/network/{id}/path/{other}", "get", "200", "Network"},
      {"/api/v1/partners", "get", "200", "PartnerList"},
      {"/api/v1/partners/{country}/rules", "put", "200", "Partner"},
      {"/api/v1/radar", "get", "200", "Radar"},
      {"/api/v1/radar/checklists", "post", "201", "ChecklistTasks"},
      {"/api/v1/radar/tasks/{id}", "put", "200", "ChecklistTask"},
      {"/api/v1/release-notices", "get", "200", "ReleaseNoticeList"},
      {"/api/v1/stats", "get", "200", "ExchangeStats"},
      {"/api/v1/users", "get", "200", "UserList"},
      {"/api/v1/users/{id}/disable", "post", "200", "UserState"},
      {"/api/v1/users/{id}/enable", "post", "200", "UserState"},
  };
  for (const auto& r : responses) SetResponse(doc, r.path, r.method, r.code, Ref(r.schema));
  // This document itself: its top-level keys (their contents are the OpenAPI specification's).
  const json object = {{"type", "object"}};
  SetResponse(doc, "/api/v1/openapi.json", "get", "200",
              Object({{"openapi", OneOf({"3.0.3"})},
                      {"info", object},
                      {"servers", ArrayOf(object)},
                      {"security", ArrayOf(object)},
                      {"paths", object},
                      {"components", object}},
                     {}, "an OpenAPI 3.0.3 document"));
}

}  // namespace entente::api
