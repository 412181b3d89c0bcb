#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/metrics.h"
#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"
#include "http/server.h"
#include "policy/principal.h"
#include "service/access.h"
#include "service/auth.h"
#include "service/exchange.h"
#include "service/hit_no_hit.h"
#include "service/live_index.h"
#include "service/partner_indexes.h"
#include "service/register.h"
#include "store/store.h"

namespace entente::api {

// Establishes who presents a bearer token (Unauthenticated when nobody does).
using AuthenticateFn = std::function<Result<policy::Principal>(std::string_view token)>;
// Establishes who holds a browser session (the cookie's value).
using AuthenticateSessionFn =
    std::function<Result<service::SessionCaller>(std::string_view session_id)>;

// What the routes call. Pointers to objects that outlive the server; never owned.
struct ApiDeps {
  service::Register* subjects = nullptr;
  service::LiveIndex* index = nullptr;
  store::Store* store = nullptr;
  const Clock* clock = nullptr;
  AuthenticateFn authenticate;
  // Browser sessions (the web console); empty: only bearer tokens are accepted.
  AuthenticateSessionFn authenticate_session;
  std::string node_country;
  // The exchange with partners; null when the node has no federation keys.
  const service::ExchangeContext* exchange = nullptr;
  // Hit/no-hit between partners; null without an encoding key.
  const service::HitNoHitContext* hit_no_hit = nullptr;
  service::PartnerIndexes* partner_indexes = nullptr;
  // Whether this process runs the node's background jobs (replicas: one of them does); empty
  // when the process runs none.
  std::function<bool()> jobs_leader;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8443;  // 0: any free port (see ApiServer::port)
  // Both set: HTTPS. Neither: plain HTTP, allowed only on a loopback address.
  std::string tls_cert;
  std::string tls_key;
  int threads = 16;  // workers running requests (connections are held by the event loop)
  // Failed authentications from one address within a minute before it is answered 429 without
  // checking its tokens, until the minute has passed.
  int max_auth_failures_per_minute = 20;
  // GET /metrics without a token: only when served on this separate listener (HOST:PORT, plain
  // HTTP on loopback for a local Prometheus); on the API's port it needs an administrator's or
  // auditor's token. "" for none.
  std::string metrics_listen;
  // Log one line per request (method, route, status, duration, request id) at info level.
  bool access_log = true;
  // The web console's built files (index.html, app.js, app.css...), served at / and its pages;
  // "" for none (the console's pages then answer 503 saying how to build it).
  std::string console_dir;
};

// One route as served and as the OpenAPI document names it.
struct RouteInfo {
  std::string method;  // "GET", "POST", ...
  std::string path;    // OpenAPI form: "/api/v1/subjects/{id}"
};

// An HTTP request as the routes see it: the path parameters, the body, the headers they read,
// and, for authenticated routes, the caller (principal and request context).
struct Call {
  const http::Request& request;
  std::vector<std::string> params;  // the {parameters} of the path, decoded, in order
  service::Caller caller;
  // For a caller signed in through the console: its session id (the cookie's) and CSRF token.
  std::string session_id;
  std::string csrf_token;
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

// The cookie that carries a console session's id (service::OpenUserSession).
inline constexpr std::string_view kSessionCookie = "entente_session";
// The value of cookie `name` in a Cookie header; "" when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// Turns a failed Status into the error reply (http_error.h).
Reply ErrorReply(const Status& status);

// A time as the API gives every time: ISO 8601 in UTC to the millisecond
// ("2026-12-07T06:25:21.123Z"); null when not set (0).
nlohmann::json TimeJson(int64_t micros);

// The largest request body of a route that takes one, unless the route says otherwise: a
// subject, a screening query, a yente batch.
inline constexpr size_t kDefaultBodyLimit = size_t{1} << 20;
// Routes whose body is a few fields (a decision, a task's status).
inline constexpr size_t kSmallBodyLimit = size_t{64} << 10;
// A message to partners, attachments included (base64).
inline constexpr size_t kMessageBodyLimit = size_t{16} << 20;

// How a route is admitted, before its body is read.
struct RouteSpec {
  // Resolves the bearer token first; 401 without a valid one.
  bool authenticated = true;
  // Bytes of request body the route accepts (0: none; a longer body is 413, never read).
  size_t body_limit = 0;
  // What the caller alone must be allowed (policy::AuthorizeCaller) before the body is read; a
  // refusal is audited. Empty: the route's service decides, after the body.
  std::optional<policy::Action> action;
  // Any other check of the caller alone before the body is read (the exchange's); not ok
  // refuses. Runs after `action`.
  std::function<Status(const service::Caller&)> admit;
  // The justification may come from the `justification` query parameter (yente clients, whose
  // URL is configured once) when the header is absent.
  bool justification_in_query = false;
  // Answered on the event loop as soon as the header is read, without a worker: must not block
  // (/healthz, so that a node whose workers are all busy still says it is alive).
  bool immediate = false;

  // A route anyone may call, without a token.
  static RouteSpec Public() {
    RouteSpec spec;
    spec.authenticated = false;
    return spec;
  }
  RouteSpec& Requires(policy::Action required) {
    action = required;
    return *this;
  }
  RouteSpec& Admits(std::function<Status(const service::Caller&)> check) {
    admit = std::move(check);
    return *this;
  }
  RouteSpec& Body(size_t limit) {
    body_limit = limit;
    return *this;
  }
  RouteSpec& JustificationInQuery() {
    justification_in_query = true;
    return *this;
  }
  RouteSpec& Immediate() {
    immediate = true;
    return *this;
  }
};

// The node's HTTP API (REST JSON under /api/v1, the yente-compatible /match/{dataset}, /healthz,
// /metrics and the OpenAPI document) on the event-driven http::Server. Each route parses, calls
// one service and renders. A request is answered in three steps: its route from the header (404
// and 405 at once, and /healthz), its caller (token, throttled per address; then the route's
// permission, audited when refused) on a worker, and only then its body, within the route's limit.
class ApiServer {
 public:
  using Handler = std::function<Reply(Call&)>;

  // Refuses plain HTTP on a non-loopback host and a TLS pair that cannot be read.
  static Result<std::unique_ptr<ApiServer>> Create(ApiDeps deps, ServerOptions options);
  ~ApiServer();

  // Binds and serves on background threads; returns once listening. IoError if the address
  // cannot be bound (a port another process holds included).
  Status Start();
  // Stops serving, lets running requests finish and joins the threads (also done by the
  // destructor).
  void Stop();
  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }
  bool tls() const { return !options_.tls_cert.empty(); }
  const std::vector<RouteInfo>& routes() const { return routes_; }
  const ApiDeps& deps() const { return deps_; }
  const Metrics& metrics() const { return metrics_; }
  int64_t schema_version() const { return schema_version_; }

  // Registers a route; `path` in OpenAPI form.
  void AddRoute(const std::string& method, const std::string& path, RouteSpec spec,
                Handler handler);

  // The exposition text of /metrics.
  std::string RenderMetrics() const;

  // The throttle of failed authentications, for routes that check a token themselves (sign-in):
  // the refusal while `peer` must wait, and the record of a failure.
  std::optional<Reply> AuthThrottled(const std::string& peer) const;
  void AuthFailed(const std::string& peer);

 private:
  struct ConsoleFile {
    std::string content;
    std::string content_type;
  };
  // Loads the console's files from options_.console_dir.
  void LoadConsole();
  // The console's answer to a GET of `path` outside the API: a file, or index.html for one of
  // its pages; nullopt when the path is neither.
  std::optional<http::Response> ConsoleAnswer(const http::Request& head) const;
  std::map<std::string, ConsoleFile> console_;
  struct Registered {
    RouteInfo info;
    std::vector<std::string> segments;  // "{}" for a parameter
    RouteSpec spec;
    Handler handler;
  };
  struct AuthThrottle;
  struct Pending;

  ApiServer(ApiDeps deps, ServerOptions options);
  http::Route RouteOf(const http::Request& head);
  http::Route Plan(const Registered& route, std::vector<std::string> params);
  std::optional<Reply> Admit(const Registered& route, const http::Request& head, Call* call);

  ApiDeps deps_;
  ServerOptions options_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::Server> metrics_server_;
  int port_ = 0;
  int metrics_port_ = 0;
  std::vector<RouteInfo> routes_;
  std::vector<Registered> registered_;
  std::unique_ptr<AuthThrottle> throttle_;
  Metrics metrics_;
  int64_t schema_version_ = 0;  // read at Create: /healthz answers without the store
};

// RouteSpec::admit checks shared by several routes.
// A user of this node's exchange with partners (policy::AuthorizeExchange).
Status MayExchange(const service::Caller& caller);
// /metrics on the API's port: an administrator or auditor of this node.
Status MayReadMetrics(const service::Caller& caller);

// Route groups, one file each.
void AddSystemRoutes(ApiServer& server);    // /healthz, /metrics, /api/v1/openapi.json
void AddSubjectRoutes(ApiServer& server);   // /api/v1/subjects
void AddScreenRoutes(ApiServer& server);    // /api/v1/screen
void AddYenteRoutes(ApiServer& server);     // yente's /match/{dataset}, /entities/{id}
void AddAuditRoutes(ApiServer& server);     // /api/v1/audit
void AddRadarRoutes(ApiServer& server);     // /api/v1/radar
void AddNetworkRoutes(ApiServer& server);   // /api/v1/network, /api/v1/cross-border-links
void AddExchangeRoutes(ApiServer& server);  // /api/v1/messages, cases, stats, outbox, partners
void AddHitRoutes(ApiServer& server);       // /api/v1/hits, follow-ups, federation/indexes
void AddUserRoutes(ApiServer& server);      // /api/v1/users
void AddSessionRoutes(ApiServer& server);   // /api/v1/session (the console's sign-in)

// The OpenAPI 3 document of the routes.
nlohmann::json OpenApiDocument();

}  // namespace entente::api
