#include <cctype>

#include <nlohmann/json.hpp>

#include "api/server.h"

namespace entente::api {

// openapi_responses.cc: the typed success responses of the routes that give objects.
void AddResponseSchemas(nlohmann::json& doc);

namespace {

using nlohmann::json;

json Ref(const char* schema) { return {{"$ref", std::string("#/components/schemas/") + schema}}; }

json JsonContent(const json& schema) { return {{"application/json", {{"schema", schema}}}}; }

json Responses(std::initializer_list<std::pair<const char*, json>> ok) {
  json out = json::object();
  for (const auto& [code, response] : ok) out[code] = response;
  for (const char* code : {"400", "401", "403", "404", "409"}) {
    if (!out.contains(code)) {
      out[code] = {{"description", "error"}, {"content", JsonContent(Ref("Error"))}};
    }
  }
  return out;
}

json Ok(const char* description, const json& schema) {
  return {{"description", description}, {"content", JsonContent(schema)}};
}

const json kJustification = {
    {"name", "X-Justification"},
    {"in", "header"},
    {"required", true},
    {"description", "Why the data is needed (at least 10 characters); logged with the access"},
    {"schema", {{"type", "string"}}}};
const json kCaseReference = {
    {"name", "X-Case-Reference"},
    {"in", "header"},
    {"required", false},
    {"description", "The case the access serves (a file or procedure number); logged with it"},
    {"schema", {{"type", "string"}}}};

// Every time of the API: ISO 8601 in UTC to the millisecond, null when not set.
const json kTime = {{"type", "string"}, {"format", "date-time"}, {"nullable", true}};

json PathParam(const char* name) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}};
}
json QueryParam(const char* name, const char* type, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"description", description},
          {"schema", {{"type", type}}}};
}

}  // namespace

json OpenApiDocument() {
  json doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {{"title", "Entente node API"},
                 {"version", "1"},
                 {"description",
                  "A national node's register, screening and audit log. Every read of personal "
                  "data needs a bearer token and an X-Justification header, and is logged."}};
  doc["security"] =
      json::array({{{"bearerAuth", json::array()}}, {{"sessionCookie", json::array()}}});
  json& schemas = doc["components"]["schemas"];
  doc["components"]["securitySchemes"]["bearerAuth"] = {{"type", "http"}, {"scheme", "bearer"}};
  doc["components"]["securitySchemes"]["sessionCookie"] = {
      {"type", "apiKey"},
      {"in", "cookie"},
      {"name", "entente_session"},
      {"description",
       "The web console's session (POST /api/v1/session); a change made with it carries the "
       "session's X-CSRF-Token header"}};
  schemas["Error"] = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"status", "code", "message"}},
          {"properties",
           {{"status", {{"type", "integer"}}},
            {"code", {{"type", "string"}, {"example", "PERMISSION_DENIED"}}},
            {"message", {{"type", "string"}}},
            {"field", {{"type", "string"}, {"example", "body.properties.birthDate[0]"}}}}}}},
        {"detail",
         {{"type", "string"},
          {"description", "error.message again, where yente's (FastAPI's) clients read it"}}}}}};
  json values = {{"oneOf", json::array({{{"type", "string"}},
                                        {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
  json entity_properties = {{"id", {{"type", "string"}}},
                            {"schema", {{"type", "string"}, {"enum", {"Person", "Organization"}}}},
                            {"properties", {{"type", "object"}, {"additionalProperties", values}}}};
  schemas["Entity"] = {{"type", "object"},
                       {"description", "A FollowTheMoney entity"},
                       {"required", {"properties"}},
                       {"properties", entity_properties}};
  schemas["Subject"] = {
      {"allOf",
       {Ref("Entity"),
        {{"type", "object"},
         {"properties",
          {{"version", {{"type", "integer"}}},
           {"state", {{"type", "string"}, {"enum", {"active", "restricted", "erased"}}}},
           {"created_at", kTime},
           {"updated_at", kTime},
           {"handling_notice", {{"type", "string"}}},
           {"handling_restriction", {{"type", "string"}}}}}}}}};
  schemas["Created"] = {
      {"type", "object"},
      {"properties", {{"id", {{"type", "string"}}}, {"version", {{"type", "integer"}}}}}};
  schemas["ScreenRequest"] = {
      {"type", "object"},
      {"required", {"query"}},
      {"properties",
       {{"query", Ref("Entity")},
        {"threshold",
         {{"type", "number"},
          {"minimum", 0},
          {"maximum", 1},
          {"description", "the score at which a hit is a match (0.5)"}}},
        {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}}},
        {"mode",
         {{"type", "string"},
          {"enum", {"search", "screen"}},
          {"description",
           "search (the default): the best candidates, ranked, each marked match or not; "
           "screen: the matches only"}}},
        {"partners",
         {{"type", "boolean"},
          {"description",
           "also check partners' encoded indexes (hit/no-hit; docs/hit-no-hit.md)"}}},
        {"partner_threshold", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"filters", Ref("SubjectFilter")}}}};
  schemas["SubjectFilter"] = {
      {"type", "object"},
      {"description",
       "Keep only the register's subjects that pass every filter given (full answers only: a "
       "hit/no-hit answer is never filtered; partners' answers are not)"},
      {"additionalProperties", false},
      {"properties",
       {{"category", {{"type", "string"}, {"description", "a category code (returnee)"}}},
        {"owner_agency",
         {{"type", "string"}, {"description", "a country (BE) or an agency (BE/police)"}}},
        {"nationality",
         {{"type", "string"}, {"description", "a country code, nationality or citizenship"}}},
        {"custody",
         {{"type", "string"},
          {"enum", {"held", "not_held"}},
          {"description", "held: an establishment and no release before today"}}},
        {"handling_code",
         {{"type", "string"},
          {"enum", {"H0", "H1", "H2", "H3"}},
          {"description", "a record without one is H0"}}}}}};
  schemas["Validation"] = {
      {"type", "object"},
      {"required", {"valid", "problems"}},
      {"properties",
       {{"valid", {{"type", "boolean"}}},
        {"problems",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"field", "message"}},
            {"properties",
             {{"field", {{"type", "string"}, {"description", "a property, or id or schema"}}},
              {"index", {{"type", "integer"}, {"description", "which value of the property"}}},
              {"message", {{"type", "string"}}}}}}}}}}}};
  schemas["SubjectHistory"] = {
      {"type", "object"},
      {"required", {"changes", "disclosures", "truncated"}},
      {"properties",
       {{"changes",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"at", "actor", "agency", "operation"}},
            {"properties",
             {{"at", {{"type", "string"}, {"format", "date-time"}}},
              {"actor", {{"type", "string"}}},
              {"agency", {{"type", "string"}}},
              {"operation",
               {{"type", "string"},
                {"enum",
                 {"create", "update", "restrict", "request_erasure", "erase",
                  "withdraw_erasure"}}}},
              {"from_version", {{"type", "integer"}}},
              {"changed", {{"type", "array"}, {"items", {{"type", "string"}}}}},
              {"reason", {{"type", "string"}}}}}}}}},
        {"disclosures",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"at", "actor", "agency", "kind", "content", "recipients"}},
            {"properties",
             {{"at", {{"type", "string"}, {"format", "date-time"}}},
              {"actor", {{"type", "string"}}},
              {"agency", {{"type", "string"}}},
              {"kind", {{"type", "string"}, {"enum", {"message", "followup"}}}},
              {"message_type", {{"type", "string"}}},
              {"content",
               {{"type", "string"},
                {"description",
                 "records or references (a message); released or refused (a follow-up)"}}},
              {"recipients", {{"type", "array"}, {"items", {{"type", "string"}}}}},
              {"message_id", {{"type", "string"}}},
              {"case_id", {{"type", "string"}}}}}}}}},
        {"truncated",
         {{"type", "boolean"}, {"description", "more than 500 entries of a kind: the oldest"}}}}}};
  schemas["PartnerHit"] = {
      {"type", "object"},
      {"description", "A hit in a partner's encoded index: no personal data"},
      {"properties",
       {{"hit_id", {{"type", "string"}}},
        {"country", {{"type", "string"}}},
        {"reference", {{"type", "string"}, {"description", "the owner's opaque reference"}}},
        {"owner", {{"type", "string"}, {"description", "the agency to ask, CC/kind"}}},
        {"score", {{"type", "number"}}}}}};
  schemas["Hit"] = {
      {"type", "object"},
      {"required", {"answer", "subject_id", "owner_agency", "score"}},
      {"properties",
       {{"answer", {{"type", "string"}, {"enum", {"full", "hit_no_hit"}}}},
        {"subject_id", {{"type", "string"}}},
        {"owner_agency", {{"type", "string"}}},
        {"score",
         {{"type", "number"},
          {"description",
           "the probability that this subject is the person sought "
           "(docs/matching.md)"}}},
        {"match",
         {{"type", "boolean"}, {"description", "the score reaches the request's threshold"}}},
        {"caption", {{"type", "string"}}},
        {"explanation", {{"type", "string"}}},
        {"entity", Ref("Entity")}}}};
  schemas["ScreenResponse"] = {
      {"type", "object"},
      {"properties",
       {{"hits", {{"type", "array"}, {"items", Ref("Hit")}}},
        {"partner_hits", {{"type", "array"}, {"items", Ref("PartnerHit")}}},
        {"partners_unavailable", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
  schemas["MatchRequest"] = {
      {"type", "object"},
      {"required", {"queries"}},
      {"properties",
       {{"queries",
         {{"type", "object"},
          {"description",
           "1 to 100 example entities by key (schema Person, Organization, "
           "Company or PublicBody)"},
          {"additionalProperties", Ref("Entity")}}},
        {"weights", {{"type", "object"}, {"description", "refused unless empty"}}},
        {"config", {{"type", "object"}, {"description", "refused unless empty"}}}}}};
  const json string_lists = {
      {"type", "object"},
      {"additionalProperties", {{"type", "array"}, {"items", {{"type", "string"}}}}}};
  const json nullable_time = {{"type", "string"}, {"nullable", true}};
  const json entity_response_properties = {
      {"id", {{"type", "string"}}},
      {"caption", {{"type", "string"}}},
      {"schema", {{"type", "string"}}},
      {"properties", string_lists},
      {"datasets", {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"referents", {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"target", {{"type", "boolean"}}},
      {"first_seen", nullable_time},
      {"last_seen", nullable_time},
      {"last_change", nullable_time}};
  schemas["EntityResponse"] = {{"type", "object"},
                               {"description", "yente's EntityResponse"},
                               {"properties", entity_response_properties}};
  json scored = entity_response_properties;
  scored["score"] = {{"type", "number"}};
  scored["match"] = {{"type", "boolean"}};
  scored["explanations"] = {{"type", "object"},
                            {"additionalProperties",
                             {{"type", "object"},
                              {"properties",
                               {{"detail", {{"type", "string"}, {"nullable", true}}},
                                {"score", {{"type", "number"}}},
                                {"query", {{"type", "string"}, {"nullable", true}}},
                                {"candidate", {{"type", "string"}, {"nullable", true}}}}}}}};
  schemas["ScoredEntityResponse"] = {{"type", "object"}, {"properties", scored}};
  schemas["MatchResponse"] = {
      {"type", "object"},
      {"properties",
       {{"responses",
         {{"type", "object"},
          {"additionalProperties",
           {{"type", "object"},
            {"properties",
             {{"status", {{"type", "integer"}}},
              {"results", {{"type", "array"}, {"items", Ref("ScoredEntityResponse")}}},
              {"total",
               {{"type", "object"},
                {"properties",
                 {{"value", {{"type", "integer"}, {"description", "matches, before the limit"}}},
                  {"relation", {{"type", "string"}, {"enum", {"eq"}}}}}}}},
              {"query",
               {{"type", "object"},
                {"description", "the query as the node read it"},
                {"properties",
                 {{"id", {{"type", "string"}, {"nullable", true}}},
                  {"schema", {{"type", "string"}}},
                  {"properties", string_lists}}}}}}}}}}},
        {"limit", {{"type", "integer"}}}}}};
  schemas["AuditEntry"] = {{"type", "object"},
                           {"properties",
                            {{"seq", {{"type", "integer"}}},
                             {"at", kTime},
                             {"actor", {{"type", "string"}}},
                             {"actor_agency", {{"type", "string"}}},
                             {"action", {{"type", "string"}}},
                             {"subject_id", {{"type", "string"}}},
                             {"justification", {{"type", "string"}}},
                             {"on_behalf_of", {{"type", "string"}}},
                             {"details", {{"type", "object"}}},
                             {"prev_hash", {{"type", "string"}}},
                             {"hash", {{"type", "string"}}}}}};

  json& paths = doc["paths"];
  const json open = json::array();  // no security
  paths["/healthz"]["get"] = {{"summary", "Liveness (answered without touching the store)"},
                              {"security", open},
                              {"responses", {{"200", Ok("ok", {{"type", "object"}})}}}};
  paths["/metrics"]["get"] = {
      {"summary",
       "Prometheus metrics: an administrator's or auditor's token (or the token-free loopback "
       "listener of serve --metrics-listen)"},
      {"responses",
       {{"200",
         {{"description", "text exposition format"},
          {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}},
        {"401",
         {{"description", "no token, or not a valid one"}, {"content", JsonContent(Ref("Error"))}}},
        {"403",
         {{"description", "neither an administrator nor an auditor"},
          {"content", JsonContent(Ref("Error"))}}}}}};
  paths["/readyz"]["get"] = {
      {"summary",
       "Readiness: the store answers, its schema is current, the index is loaded (503 naming what "
       "is not)"},
      {"security", open},
      {"responses",
       {{"200", Ok("ready", {{"type", "object"}})},
        {"503", {{"description", "not ready"}, {"content", JsonContent({{"type", "object"}})}}}}}};
  paths["/api/v1/openapi.json"]["get"] = {{"summary", "This document"},
                                          {"security", open},
                                          {"responses", {{"200", Ok("ok", {{"type", "object"}})}}}};
  paths["/api/v1/subjects"]["post"] = {
      {"summary", "Create a subject"},
      {"parameters", {kJustification, kCaseReference}},
      {"requestBody", {{"required", true}, {"content", JsonContent(Ref("Entity"))}}},
      {"responses", Responses({{"201", Ok("created", Ref("Created"))}})}};
  paths["/api/v1/subjects/{id}"]["get"] = {
      {"summary", "Read a subject"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the subject", Ref("Subject"))}})}};
  paths["/api/v1/subjects/{id}/history"]["get"] = {
      {"summary",
       "Who changed a subject, what and when; to whom it was disclosed (a read of the subject)"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the history", Ref("SubjectHistory"))}})}};
  paths["/api/v1/subjects/validate"]["post"] = {
      {"summary", "Check a subject as POST and PUT do, storing nothing: every problem by field"},
      {"parameters", {kJustification, kCaseReference}},
      {"requestBody", {{"required", true}, {"content", JsonContent(Ref("Entity"))}}},
      {"responses", Responses({{"200", Ok("the problems", Ref("Validation"))}})}};
  paths["/api/v1/subjects/{id}"]["put"] = {
      {"summary", "Replace a subject (If-Match: \"version\" for a conditional update)"},
      {"parameters",
       {PathParam("id"),
        kJustification,
        kCaseReference,
        {{"name", "If-Match"}, {"in", "header"}, {"schema", {{"type", "string"}}}}}},
      {"requestBody", {{"required", true}, {"content", JsonContent(Ref("Entity"))}}},
      {"responses", Responses({{"200", Ok("updated", Ref("Created"))},
                               {"412",
                                {{"description", "the subject changed since the If-Match version"},
                                 {"content", JsonContent(Ref("Error"))}}}})}};
  const json reason_body = {
      {"required", true},
      {"content", JsonContent({{"type", "object"},
                               {"required", {"reason"}},
                               {"properties", {{"reason", {{"type", "string"}}}}}})}};
  const json state_reply = {
      {"type", "object"},
      {"properties",
       {{"id", {{"type", "string"}}},
        {"state",
         {{"type", "string"},
          {"enum", {"restricted", "erased", "erasure_requested", "erasure_withdrawn"}}}},
        {"confirm_within_days", {{"type", "integer"}}}}}};
  paths["/api/v1/subjects/{id}/restrict"]["post"] = {
      {"summary", "Restrict a subject (kept, read and screened by no one)"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"requestBody", reason_body},
      {"responses", Responses({{"200", Ok("restricted", state_reply)}})}};
  paths["/api/v1/subjects/{id}/erase"]["post"] = {
      {"summary",
       "Ask for or confirm the erasure of a subject (four eyes: a second supervisor of its owner "
       "agency confirms within 7 days; only its id and schema remain)"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"requestBody", reason_body},
      {"responses", Responses({{"200", Ok("erased (confirmed)", state_reply)},
                               {"202", Ok("requested, waiting for confirmation", state_reply)}})}};
  paths["/api/v1/subjects/{id}/erase/withdraw"]["post"] = {
      {"summary", "Withdraw a pending erasure request"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"requestBody", reason_body},
      {"responses", Responses({{"200", Ok("withdrawn", state_reply)}})}};
  paths["/api/v1/screen"]["post"] = {
      {"summary", "Screen one record against the register"},
      {"parameters", {kJustification, kCaseReference}},
      {"requestBody", {{"required", true}, {"content", JsonContent(Ref("ScreenRequest"))}}},
      {"responses", Responses({{"200", Ok("candidates, best first, each marked match or not",
                                          Ref("ScreenResponse"))}})}};
  paths["/match/{dataset}"]["post"] = {
      {"summary", "OpenSanctions yente-compatible matching (yente 5.5)"},
      {"parameters",
       {PathParam("dataset"), QueryParam("threshold", "number", "match=true at or above (0.7)"),
        QueryParam("cutoff", "number",
                   "results above min(cutoff, threshold); defaults to the threshold"),
        QueryParam("limit", "integer", "results per query (5, 0 to 500)"),
        QueryParam("algorithm", "string", "best or entente-fs; any other is refused"),
        QueryParam("exclude_entity_ids", "string", "repeated: ids never returned (at most 50)"),
        QueryParam("include_dataset", "string", "repeated: only these owner datasets (be_police)"),
        QueryParam("exclude_dataset", "string", "repeated: not these owner datasets"),
        QueryParam("exclude_schema", "string", "repeated: not these schemas"),
        QueryParam("fuzzy", "boolean", "accepted and ignored, as yente 5 does"),
        QueryParam("topics", "string", "refused: the register has no topics"),
        QueryParam("changed_since", "string", "refused"),
        QueryParam("justification", "string", "when X-Justification is not sent"), kCaseReference}},
      {"requestBody", {{"required", true}, {"content", JsonContent(Ref("MatchRequest"))}}},
      {"responses", Responses({{"200", Ok("per query", Ref("MatchResponse"))}})}};
  paths["/entities/{id}"]["get"] = {
      {"summary", "One record as yente's EntityResponse (the rules and audit of a subject read)"},
      {"parameters",
       {PathParam("id"), kJustification, kCaseReference,
        QueryParam("nested", "boolean", "accepted; links stay ids"),
        QueryParam("justification", "string", "when X-Justification is not sent")}},
      {"responses", Responses({{"200", Ok("the record", Ref("EntityResponse"))}})}};
  paths["/api/v1/audit"]["get"] = {
      {"summary", "Read the audit log (auditors)"},
      {"parameters",
       {QueryParam("actor", "string", "entries of this user"),
        QueryParam("subject", "string",
                   "entries about this subject and those that disclosed it (screening hits)"),
        QueryParam("action", "string", "entries of this action (screen, read_subject...)"),
        QueryParam("outcome", "string",
                   "entries with this outcome (allowed, refused, sent...; 'refused' finds every "
                   "refusal)"),
        QueryParam("from", "string",
                   "entries at or after this time (ISO 8601 with zone, or a date)"),
        QueryParam("to", "string", "entries before this time (ISO 8601 with zone, or a date)"),
        QueryParam("after", "integer", "entries after this seq"),
        QueryParam("limit", "integer", "at most this many (100, at most 1000)")}},
      {"responses",
       Responses({{"200", Ok("entries in seq order",
                             {{"type", "object"},
                              {"properties",
                               {{"entries", {{"type", "array"}, {"items", Ref("AuditEntry")}}},
                                {"remaining", {{"type", "integer"}}},
                                {"next_after", {{"type", "integer"}}}}}})}})}};
  paths["/api/v1/audit/verify"]["get"] = {
      {"summary", "Verify the audit log's hash chain (auditors)"},
      {"responses", Responses({{"200", Ok("the verdict", {{"type", "object"}})}})}};
  const json justified = {kJustification, kCaseReference};
  const json object = {{"type", "object"}};
  paths["/api/v1/radar"]["get"] = {
      {"summary", "Releases and leaves in a window, with their checklists"},
      {"parameters",
       {kJustification, kCaseReference, QueryParam("from", "string", "YYYY-MM-DD (today)"),
        QueryParam("to", "string", "YYYY-MM-DD (from + days)"),
        QueryParam("days", "integer", "window length when `to` is absent (90)")}},
      {"responses", Responses({{"200", Ok("the radar", object)}})}};
  paths["/api/v1/radar/checklists"]["post"] = {
      {"summary", "Create the standard release-preparation checklist of one event (once)"},
      {"parameters", justified},
      {"requestBody",
       {{"required", true},
        {"content", JsonContent({{"type", "object"},
                                 {"required", {"subject_id", "event_date"}},
                                 {"properties",
                                  {{"subject_id", {{"type", "string"}}},
                                   {"event_date", {{"type", "string"}}}}}})}}},
      {"responses", Responses({{"201", Ok("the tasks", object)}})}};
  paths["/api/v1/radar/tasks/{id}"]["put"] = {
      {"summary", "Change a checklist task: its status, its assignee, a comment added"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"requestBody",
       {{"required", true},
        {"content",
         JsonContent(
             {{"type", "object"},
              {"minProperties", 1},
              {"additionalProperties", false},
              {"properties",
               {{"status",
                 {{"type", "string"}, {"enum", {"open", "in_progress", "done", "cancelled"}}}},
                {"assignee",
                 {{"type", "string"},
                  {"maxLength", 120},
                  {"description", "who does it, in words; \"\" for nobody"}}},
                {"comment",
                 {{"type", "string"},
                  {"maxLength", 2000},
                  {"description", "added to the task's comments, signed and dated"}}}}}})}}},
      {"responses", Responses({{"200", Ok("the task", object)}})}};
  paths["/api/v1/network/{id}"]["get"] = {
      {"summary", "Subjects within `depth` links of one"},
      {"parameters",
       {PathParam("id"), kJustification, kCaseReference,
        QueryParam("depth", "integer", "1 to 6 (2)")}},
      {"responses", Responses({{"200", Ok("nodes and links", object)}})}};
  paths["/api/v1/network/{id}/path/{other}"]["get"] = {
      {"summary", "A shortest chain of links between two subjects"},
      {"parameters", {PathParam("id"), PathParam("other"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the path", object)}})}};
  paths["/api/v1/network/{id}/group"]["get"] = {
      {"summary", "Every subject connected to one"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the group", object)}})}};
  paths["/api/v1/cross-border-links"]["get"] = {
      {"summary", "Links whose two ends are in different countries"},
      {"parameters", justified},
      {"responses", Responses({{"200", Ok("the links", object)}})}};
  schemas["MessageDraft"] = {
      {"type", "object"},
      {"required", {"recipients"}},
      {"description", "A message to partners; docs/federation.md"},
      {"properties",
       {{"type",
         {{"type", "string"},
          {"enum",
           {"request", "reply", "spontaneous", "alert", "release_notice", "consultation",
            "acknowledgement"}}}},
        {"case_id", {{"type", "string"}}},
        {"in_reply_to", {{"type", "string"}}},
        {"recipients", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"priority", {{"type", "string"}, {"enum", {"routine", "urgent", "immediate"}}}},
        {"deadline", {{"type", "string"}, {"format", "date"}}},
        {"subject_ids", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"include_records", {{"type", "boolean"}}},
        {"provider_permission", {{"type", "boolean"}}},
        {"originator_authorised", {{"type", "boolean"}}},
        {"handling_code", {{"type", "string"}, {"enum", {"H0", "H1", "H2", "H3"}}}},
        {"handling_restriction", {{"type", "string"}}},
        {"source_reliability", {{"type", "string"}}},
        {"information_accuracy", {{"type", "string"}}},
        {"minors", {{"type", "boolean"}}},
        {"body", {{"type", "string"}}},
        {"attachments", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
  paths["/api/v1/messages"]["post"] = {
      {"summary", "Send a message to partner agencies (under the sharing rules; audited)"},
      {"parameters", justified},
      {"requestBody",
       {{"required", true},
        {"content", {{"application/json", {{"schema", Ref("MessageDraft")}}}}}}},
      {"responses", Responses({{"201", Ok("the message id and case", object)}})}};
  paths["/api/v1/messages/{id}"]["get"] = {
      {"summary", "A message the caller's agency sent or received"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the message", object)}})}};
  paths["/api/v1/messages/{id}/acknowledge"]["post"] = {
      {"summary", "Acknowledge a received release notice or alert"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"responses", Responses({{"201", Ok("the acknowledgement sent", object)}})}};
  paths["/api/v1/cases"]["get"] = {
      {"summary", "The node's cases, with answers overdue"},
      {"parameters", {QueryParam("limit", "integer", "1 to 10000 (100)")}},
      {"responses", Responses({{"200", Ok("the cases", object)}})}};
  paths["/api/v1/cases/{id}"]["get"] = {
      {"summary", "The messages of a case the caller's agency is a party to"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the thread", object)}})}};
  paths["/api/v1/stats"]["get"] = {
      {"summary", "Exchanges per country pair, month and type; response times; hits"},
      {"parameters",
       {QueryParam("from", "string", "from (ISO 8601 time or date, e.g. 2026-12-01)"),
        QueryParam("to", "string", "to, excluded (ISO 8601 time or date)")}},
      {"responses", Responses({{"200", Ok("the statistics", object)}})}};
  paths["/api/v1/release-notices"]["get"] = {
      {"summary", "Release notices sent to partners and their acknowledgement"},
      {"parameters", {QueryParam("unacknowledged", "boolean", "only those not acknowledged")}},
      {"responses", Responses({{"200", Ok("the notices", object)}})}};
  paths["/api/v1/federation/outbox"]["get"] = {
      {"summary", "Delivery queues per partner, and messages refused for good"},
      {"responses", Responses({{"200", Ok("the outbox", object)}})}};
  paths["/api/v1/federation/outbox/{seq}/requeue"]["post"] = {
      {"summary", "Put a failed message back in its partner's queue"},
      {"parameters", {PathParam("seq")}},
      {"responses", Responses({{"200", Ok("requeued", object)}})}};
  paths["/api/v1/partners"]["get"] = {
      {"summary", "The partner registry"},
      {"responses", Responses({{"200", Ok("the partners", object)}})}};
  paths["/api/v1/partners/{country}/rules"]["put"] = {
      {"summary",
       "Replace a partner's sharing rules (administrators; absent fields take their defaults, "
       "hit_no_hit by the legal basis)"},
      {"parameters", {PathParam("country")}},
      {"requestBody",
       {{"required", true},
        {"content", JsonContent({{"$ref", "#/components/schemas/SharingRules"}})}}},
      {"responses", Responses({{"200", Ok("the partner as now registered", object)}})}};
  paths["/api/v1/hits"]["get"] = {
      {"summary", "Hits in partners' indexes (out: found by your agency) or on this register (in)"},
      {"parameters",
       {QueryParam("direction", "string", "out (default) or in"),
        QueryParam("limit", "integer", "1 to 10000 (100)"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the hits, most recent first", object)}})}};
  paths["/api/v1/hits/{id}/follow-up"]["post"] = {
      {"summary", "Ask the owner of a hit for what it may release (due within 48 hours)"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"requestBody",
       {{"required", false},
        {"content",
         JsonContent({{"type", "object"}, {"properties", {{"body", {{"type", "string"}}}}}})}}},
      {"responses", Responses({{"201", Ok("the request sent", object)}})}};
  paths["/api/v1/follow-ups"]["get"] = {
      {"summary", "Partners' follow-up requests to this node and their 48-hour deadline"},
      {"parameters",
       {QueryParam("pending", "boolean", "only those not decided"),
        QueryParam("limit", "integer", "1 to 10000 (100)"), kJustification, kCaseReference}},
      {"responses", Responses({{"200", Ok("the requests", object)}})}};
  paths["/api/v1/follow-ups/{id}/decision"]["post"] = {
      {"summary",
       "Decide a follow-up request: release the record (under the sharing rules) or "
       "refuse, with reasons"},
      {"parameters", {PathParam("id"), kJustification, kCaseReference}},
      {"requestBody",
       {{"required", true},
        {"content",
         JsonContent({{"type", "object"},
                      {"required", {"decision", "reason"}},
                      {"properties",
                       {{"decision", {{"type", "string"}, {"enum", {"release", "refuse"}}}},
                        {"reason", {{"type", "string"}}}}}})}}},
      {"responses", Responses({{"201", Ok("the reply sent", object)}})}};
  paths["/api/v1/federation/indexes"]["get"] = {
      {"summary", "Encoded indexes published to partners and received from them"},
      {"responses", Responses({{"200", Ok("the indexes", object)}})}};
  paths["/api/v1/federation/indexes/publish"]["post"] = {
      {"summary", "Bring partners' encoded indexes up to date now (full: a new generation)"},
      {"requestBody",
       {{"required", false},
        {"content",
         JsonContent({{"type", "object"}, {"properties", {{"full", {{"type", "boolean"}}}}}})}}},
      {"responses", Responses({{"200", Ok("per partner", object)}})}};
  const json user_fields = {{"type", "object"},
                            {"properties",
                             {{"agency", {{"type", "string"}, {"example", "BE/intelligence"}}},
                              {"role", {{"type", "string"}, {"example", "analyst"}}},
                              {"tier", {{"type", "string"}, {"example", "consult"}}},
                              {"designations", {{"type", "string"}, {"example", "minors"}}},
                              {"name", {{"type", "string"}}},
                              {"expires_in_days", {{"type", "integer"}, {"example", 90}}}}}};
  const json issued = {{"type", "object"},
                       {"properties",
                        {{"id", {{"type", "string"}}},
                         {"token", {{"type", "string"}, {"description", "shown only once"}}},
                         {"expires_at", kTime}}}};
  paths["/api/v1/users"]["get"] = {
      {"summary", "The node's users (administrators)"},
      {"responses", Responses({{"200", Ok("the users; never their tokens", object)}})}};
  paths["/api/v1/users"]["post"] = {
      {"summary", "Add a user; its bearer token is in the answer, and only there"},
      {"requestBody", {{"required", true}, {"content", JsonContent(user_fields)}}},
      {"responses", Responses({{"201", Ok("the new user and its token", issued)}})}};
  paths["/api/v1/users/{id}/disable"]["post"] = {
      {"summary", "Refuse a user from their next request on"},
      {"parameters", {PathParam("id")}},
      {"responses", Responses({{"200", Ok("disabled", object)}})}};
  paths["/api/v1/users/{id}/enable"]["post"] = {
      {"summary", "Let a disabled user in again"},
      {"parameters", {PathParam("id")}},
      {"responses", Responses({{"200", Ok("enabled", object)}})}};
  paths["/api/v1/users/{id}/rotate"]["post"] = {
      {"summary", "Issue a user a new token; the old one stops working at once"},
      {"parameters", {PathParam("id")}},
      {"requestBody",
       {{"required", false},
        {"content", JsonContent({{"type", "object"},
                                 {"properties", {{"expires_in_days", {{"type", "integer"}}}}}})}}},
      {"responses", Responses({{"200", Ok("the new token", issued)}})}};
  paths["/api/v1/session"]["post"] = {
      {"summary",
       "Sign in (the web console): a token exchanged for a session cookie (HttpOnly, Secure, "
       "SameSite=Strict) that ends after 8 hours or at sign-out"},
      {"security", json::array()},
      {"requestBody",
       {{"required", true},
        {"content", JsonContent({{"type", "object"},
                                 {"required", {"token"}},
                                 {"properties", {{"token", {{"type", "string"}}}}}})}}},
      {"responses", Responses({{"201", Ok("the session (Set-Cookie)", Ref("Session"))}})}};
  paths["/api/v1/session"]["get"] = {
      {"summary", "Who is signed in, and the session's CSRF token"},
      {"responses", Responses({{"200", Ok("the caller", Ref("Session"))}})}};
  paths["/api/v1/session"]["delete"] = {
      {"summary", "Sign out: the session ends at once"},
      {"responses",
       Responses({{"200", Ok("ended", {{"type", "object"},
                                       {"properties", {{"state", {{"type", "string"}}}}}})}})}};
  // Every operation named (for client generators and linters): the method and the path's
  // segments in camel case, a parameter as By<Name> ("getApiV1SubjectsById").
  for (auto& [path, operations] : paths.items()) {
    for (auto& [method, operation] : operations.items()) {
      if (operation.contains("operationId")) continue;
      std::string id = method;
      bool upper = true;
      for (const char c : path) {
        if (c == '/' || c == '-' || c == '_' || c == '.' || c == '}') {
          upper = true;
        } else if (c == '{') {
          id += "By";
          upper = true;
        } else {
          id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
          upper = false;
        }
      }
      operation["operationId"] = id;
    }
  }
  doc["servers"] = json::array({{{"url", "/"},
                                 {"description",
                                  "the node itself (entente serve --listen; HTTPS unless --no-tls "
                                  "on loopback)"}}});
  AddResponseSchemas(doc);
  return doc;
}

}  // namespace entente::api
