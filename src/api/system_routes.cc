#include "api/server.h"

namespace entente::api {

void AddSystemRoutes(ApiServer& server) {
  // Liveness, answered on the event loop without touching the store: a node whose workers are
  // all busy still says it is alive.
  server.AddRoute("GET", "/healthz", RouteSpec::Public().Immediate(), [&server](Call&) {
    Reply reply;
    reply.body = {{"status", "ok"},
                  {"country", server.deps().node_country},
                  {"store", std::string(server.deps().store->backend())},
                  {"schema_version", server.schema_version()},
                  {"indexed_subjects", server.deps().index->size()}};
    return reply;
  });
  // Prometheus: with an administrator's or auditor's token here, or without one on the
  // loopback listener of --metrics-listen.
  server.AddRoute("GET", "/metrics", RouteSpec().Admits(MayReadMetrics), [&server](Call&) {
    Reply reply;
    reply.content_type = "text/plain; version=0.0.4";
    reply.text = server.RenderMetrics();
    return reply;
  });
  server.AddRoute("GET", "/api/v1/openapi.json", RouteSpec::Public(), [](Call&) {
    Reply reply;
    reply.body = OpenApiDocument();
    return reply;
  });
}

}  // namespace entente::api
