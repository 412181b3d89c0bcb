#include <algorithm>

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
  // Readiness, for a load balancer or an orchestrator: the store answers, its schema is the one
  // this program knows, the screening index is loaded. 503 naming what is not ready.
  server.AddRoute("GET", "/readyz", RouteSpec::Public(), [&server](Call&) {
    const ApiDeps& deps = server.deps();
    nlohmann::json checks = nlohmann::json::object();
    bool ready = true;
    const Result<int64_t> schema = deps.store->SchemaVersion();
    checks["store"] = schema.ok() ? "ok" : "unreachable: " + schema.status().message();
    ready = ready && schema.ok();
    if (schema.ok()) {
      const bool current = *schema == store::LatestSchemaVersion();
      checks["migrations"] = current ? "ok"
                                     : "at schema version " + std::to_string(*schema) +
                                           ", this program needs " +
                                           std::to_string(store::LatestSchemaVersion());
      ready = ready && current;
    }
    checks["index"] = deps.index != nullptr ? "ok" : "not loaded";
    ready = ready && deps.index != nullptr;
    Reply reply;
    reply.status = ready ? 200 : 503;
    reply.body = {{"status", ready ? "ready" : "not_ready"},
                  {"checks", checks},
                  {"indexed_subjects", deps.index != nullptr ? deps.index->size() : 0}};
    if (deps.index != nullptr) {
      if (const Result<int64_t> last = deps.store->subjects().LastChangeSeq(); last.ok()) {
        // Changes of the register not yet in the index (it catches up before each screening).
        reply.body["index_lag"] = std::max<int64_t>(0, *last - deps.index->seq());
      }
    }
    // Which replica runs the background jobs; either one is ready to serve.
    if (deps.jobs_leader) reply.body["jobs"] = deps.jobs_leader() ? "leader" : "standby";
    if (!ready) reply.headers.emplace_back("Retry-After", "5");
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
