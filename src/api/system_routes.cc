#include "api/server.h"

namespace entente::api {

void AddSystemRoutes(ApiServer& server) {
  server.AddRoute("GET", "/healthz", false, [&server](Call&) {
    Reply reply;
    const Result<int64_t> version = server.deps().store->SchemaVersion();
    if (!version.ok()) return ErrorReply(version.status());
    reply.body = {{"status", "ok"},
                  {"country", server.deps().node_country},
                  {"store", std::string(server.deps().store->backend())},
                  {"schema_version", *version},
                  {"indexed_subjects", server.deps().index->size()}};
    return reply;
  });
  server.AddRoute("GET", "/metrics", false, [&server](Call&) {
    Reply reply;
    reply.content_type = "text/plain; version=0.0.4";
    std::map<std::string, double> gauges = {
        {"indexed_subjects", static_cast<double>(server.deps().index->size())},
        {"index_change_seq", static_cast<double>(server.deps().index->seq())}};
    // The outbox per partner and state, and how long its oldest entry has waited.
    if (auto counts = server.deps().store->CountOutbox(); counts.ok()) {
      const int64_t now = server.deps().clock->NowMicros();
      for (const store::OutboxCount& c : *counts) {
        const std::string labels = "{recipient=\"" + c.recipient + "\",state=\"" +
                                   std::string(store::OutboxStateName(c.state)) + "\"}";
        gauges["outbox_entries" + labels] = static_cast<double>(c.count);
        if (c.state == store::OutboxState::kPending) {
          gauges["outbox_oldest_pending_seconds{recipient=\"" + c.recipient + "\"}"] =
              static_cast<double>(now - c.oldest_created_at) / 1e6;
        }
      }
    }
    reply.text = server.metrics().Render(gauges);
    return reply;
  });
  server.AddRoute("GET", "/api/v1/openapi.json", false, [](Call&) {
    Reply reply;
    reply.body = OpenApiDocument();
    return reply;
  });
}

}  // namespace entente::api
