#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/metrics.h"
#include "common/clock.h"
#include "common/result.h"
#include "policy/principal.h"
#include "service/access.h"
#include "service/exchange.h"
#include "service/hit_no_hit.h"
#include "service/live_index.h"
#include "service/register.h"
#include "store/store.h"

namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace entente::api {

// Establishes who presents a bearer token (Unauthenticated when nobody does).
using AuthenticateFn = std::function<Result<policy::Principal>(std::string_view token)>;

// What the routes call. Pointers to objects that outlive the server; never owned.
struct ApiDeps {
  service::Register* subjects = nullptr;
  service::LiveIndex* index = nullptr;
  store::Store* store = nullptr;
  const Clock* clock = nullptr;
  AuthenticateFn authenticate;
  std::string node_country;
  // The exchange with partners; null when the node has no federation keys.
  const service::ExchangeContext* exchange = nullptr;
  // Hit/no-hit between partners; null without an encoding key.
  const service::HitNoHitContext* hit_no_hit = nullptr;
  service::PartnerIndexes* partner_indexes = nullptr;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8443;  // 0: any free port (see ApiServer::port)
  // Both set: HTTPS. Neither: plain HTTP, allowed only on a loopback address.
  std::string tls_cert;
  std::string tls_key;
  int threads = 64;  // connections served at once
};

// One route as served and as the OpenAPI document names it.
struct RouteInfo {
  std::string method;  // "GET", "POST", ...
  std::string path;    // OpenAPI form: "/api/v1/subjects/{id}"
};

// An HTTP request as the routes see it: the path parameters, the body, the headers they read,
// and, for authenticated routes, the caller (principal and request context).
struct Call {
  const httplib::Request& request;
  std::vector<std::string> params;  // the {parameters} of the path, in order
  service::Caller caller;
  std::string Header(const char* name) const;
  std::string Query(const char* name) const;  // "" when absent
  const std::string& Body() const;
};

// An answer: a status and a JSON body, or another content type.
struct Reply {
  int status = 200;
  nlohmann::json body;
  std::string text;  // sent instead of body when content_type is not JSON
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

// Turns a failed Status into the error reply (http_error.h).
Reply ErrorReply(const Status& status);

// The node's HTTP API (REST JSON under /api/v1, the yente-compatible /match/{dataset}, /healthz,
// /metrics and the OpenAPI document). Each route parses, calls one service and renders.
class ApiServer {
 public:
  using Handler = std::function<Reply(Call&)>;

  // Refuses plain HTTP on a non-loopback host and a TLS pair that cannot be read.
  static Result<std::unique_ptr<ApiServer>> Create(ApiDeps deps, ServerOptions options);
  ~ApiServer();

  // Binds and serves on a background thread; returns once listening. IoError if the address
  // cannot be bound.
  Status Start();
  // Stops serving and joins the thread (also done by the destructor).
  void Stop();
  int port() const { return port_; }
  bool tls() const { return !options_.tls_cert.empty(); }
  const std::vector<RouteInfo>& routes() const { return routes_; }
  const ApiDeps& deps() const { return deps_; }
  const Metrics& metrics() const { return metrics_; }

  // Registers a route; `path` in OpenAPI form. `authenticated` routes resolve the bearer token
  // first and answer 401 without one.
  void AddRoute(const std::string& method, const std::string& path, bool authenticated,
                Handler handler);

 private:
  ApiServer(ApiDeps deps, ServerOptions options);
  void Serve(const httplib::Request& request, void* response, const RouteInfo& route,
             bool authenticated, const Handler& handler);

  ApiDeps deps_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::vector<RouteInfo> routes_;
  Metrics metrics_;
};

// Route groups, one file each.
void AddSystemRoutes(ApiServer& server);    // /healthz, /metrics, /api/v1/openapi.json
void AddSubjectRoutes(ApiServer& server);   // /api/v1/subjects
void AddScreenRoutes(ApiServer& server);    // /api/v1/screen, /match/{dataset}
void AddAuditRoutes(ApiServer& server);     // /api/v1/audit
void AddRadarRoutes(ApiServer& server);     // /api/v1/radar
void AddNetworkRoutes(ApiServer& server);   // /api/v1/network, /api/v1/cross-border-links
void AddExchangeRoutes(ApiServer& server);  // /api/v1/messages, cases, stats, outbox, partners
void AddHitRoutes(ApiServer& server);       // /api/v1/hits, follow-ups, federation/indexes

// The OpenAPI 3 document of the routes.
nlohmann::json OpenApiDocument();

}  // namespace entente::api
