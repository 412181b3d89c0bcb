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
    reply.text = server.metrics().Render(
        {{"indexed_subjects", static_cast<double>(server.deps().index->size())},
         {"index_change_seq", static_cast<double>(server.deps().index->seq())}});
    return reply;
  });
  server.AddRoute("GET", "/api/v1/openapi.json", false, [](Call&) {
    Reply reply;
    reply.body = OpenApiDocument();
    return reply;
  });
}

}  // namespace entente::api
