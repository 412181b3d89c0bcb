#include "api/server.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <unordered_map>

#include "api/http_error.h"
#include "common/json.h"
#include "common/mutex.h"
#include "common/time_format.h"
#include "common/utf8.h"
#include "policy/sharing.h"
#include "policy/subject_facts.h"
#include "service/owner_answers.h"

namespace entente::api {
namespace {

bool IsLoopback(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// The token of `Authorization: Bearer <token>`, or of `ApiKey <token>` (the scheme yente's
// clients, nomenklatura among them, send); "" for anything else.
std::string BearerToken(const http::Request& request) {
  const std::string* header = request.FindHeader("Authorization");
  if (header == nullptr) return "";
  for (std::string_view scheme : {"Bearer ", "ApiKey "}) {
    if (header->size() > scheme.size() &&
        http::EqualsIgnoreCase(std::string_view(*header).substr(0, scheme.size()), scheme)) {
      return header->substr(scheme.size());
    }
  }
  return "";
}

http::Response ToResponse(const Reply& reply) {
  http::Response response;
  response.status = reply.status;
  response.content_type = reply.content_type;
  for (const auto& [name, value] : reply.headers) response.headers.push_back({name, value});
  if (reply.content_type == "application/json") {
    // Invalid UTF-8 that reached a reply is replaced, never thrown on.
    if (!reply.body.is_null()) {
      response.body = reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  } else {
    response.body = reply.text;
  }
  response.headers.push_back({"Cache-Control", "no-store"});
  response.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return response;
}

// A successful JSON answer to a GET carries an entity tag (its route's own, such as a subject's
// version, or a digest of the body), and a request whose If-None-Match names it is answered 304
// without the body: a poller (the console's inbox) learns cheaply that nothing changed. The read
// itself was decided and audited as any other.
void ApplyEntityTag(const http::Request& request, http::Response& response) {
  if (request.method != "GET" || response.status != 200 ||
      response.content_type != "application/json") {
    return;
  }
  std::string tag;
  for (const http::Header& h : response.headers) {
    if (http::EqualsIgnoreCase(h.name, "ETag")) tag = h.value;
  }
  if (tag.empty()) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(response.body.data(), response.body.size(), digest, &size, EVP_sha256(),
                   nullptr) != 1) {
      return;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    tag = "\"";
    for (unsigned int i = 0; i < 16 && i < size; ++i) {
      tag += kHex[digest[i] >> 4];
      tag += kHex[digest[i] & 0xF];
    }
    tag += '"';
    response.headers.push_back({"ETag", tag});
  }
  const std::string* wanted = request.FindHeader("If-None-Match");
  if (wanted == nullptr) return;
  // A list of tags, or "*"; weak tags compare as strong ones for GET (RFC 9110 13.1.2).
  std::string_view list = *wanted;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view one = list.substr(0, comma);
    while (!one.empty() && (one.front() == ' ' || one.front() == '\t')) one.remove_prefix(1);
    while (!one.empty() && (one.back() == ' ' || one.back() == '\t')) one.remove_suffix(1);
    if (one.starts_with("W/")) one.remove_prefix(2);
    if (one == "*" || one == tag) {
      response.status = 304;
      response.body.clear();
      return;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

// Failed authentications per source address in the current minute: past the limit the address is
// answered 429 without its token being checked (no Argon2id work) until the minute is over.
struct ApiServer::AuthThrottle {
  static constexpr int64_t kWindowMicros = 60'000'000;
  static constexpr size_t kMaxSources = 100'000;

  struct Window {
    int64_t start = 0;
    int failures = 0;
  };

  // Microseconds until `source` may try again; 0 when it may now.
  int64_t RetryAfter(const std::string& source, int64_t now, int limit) {
    MutexLock lock(&mutex);
    auto it = windows.find(source);
    if (it == windows.end()) return 0;
    if (now - it->second.start >= kWindowMicros) {
      windows.erase(it);
      return 0;
    }
    return it->second.failures >= limit ? it->second.start + kWindowMicros - now : 0;
  }

  void Failed(const std::string& source, int64_t now) {
    MutexLock lock(&mutex);
    if (windows.size() >= kMaxSources) {
      // Many sources at once: forget those whose minute is over, or, failing that, all.
      for (auto it = windows.begin(); it != windows.end();) {
        it = now - it->second.start >= kWindowMicros ? windows.erase(it) : std::next(it);
      }
      if (windows.size() >= kMaxSources) windows.clear();
    }
    Window& window = windows[source];
    if (window.failures == 0 || now - window.start >= kWindowMicros) {
      window.start = now;
      window.failures = 0;
    }
    ++window.failures;
  }

  Mutex mutex;
  std::unordered_map<std::string, Window> windows GUARDED_BY(mutex);
};

Status MayExchange(const service::Caller& caller) {
  return policy::AuthorizeExchange(caller.principal, caller.context, false).ToStatus();
}

Status MayReadMetrics(const service::Caller& caller) {
  const policy::Role role = caller.principal.role;
  if (caller.principal.agency.country != caller.context.node_country ||
      (role != policy::Role::kAdministrator && role != policy::Role::kAuditor)) {
    return PermissionDenied(
        "the node's metrics are for its administrators and auditors (or serve them on "
        "--metrics-listen)");
  }
  return Status::Ok();
}

std::string Call::Header(const char* name) const { return request.HeaderValue(name); }
const std::string& Call::Body() const { return request.body; }
std::string Call::Query(const char* name) const { return request.QueryParam(name).value_or(""); }

nlohmann::json TimeJson(int64_t micros) {
  if (micros == 0) return nullptr;
  return FormatIsoTime(micros, /*millis=*/true);
}

Reply ErrorReply(const Status& status) {
  Reply reply;
  reply.status = HttpStatusOf(status);
  reply.body = ErrorJson(status);
  // The message again under `detail`, where FastAPI services (yente) put it, for their clients.
  reply.body["detail"] = reply.body["error"]["message"];
  if (reply.status == 401) reply.headers.emplace_back("WWW-Authenticate", "Bearer");
  return reply;
}

ApiServer::ApiServer(ApiDeps deps, ServerOptions options)
    : deps_(std::move(deps)),
      options_(std::move(options)),
      throttle_(std::make_unique<AuthThrottle>()) {}

ApiServer::~ApiServer() { Stop(); }

Result<std::unique_ptr<ApiServer>> ApiServer::Create(ApiDeps deps, ServerOptions options) {
  ENTENTE_CHECK(deps.subjects != nullptr && deps.index != nullptr && deps.store != nullptr &&
                deps.clock != nullptr && deps.authenticate);
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return InvalidArgument("TLS needs both a certificate and its key");
  }
  if (options.tls_cert.empty() && !IsLoopback(options.host)) {
    return InvalidArgument("--listen " + options.host +
                           ": plain HTTP is served only on loopback; give a TLS certificate");
  }
  std::unique_ptr<ApiServer> server(new ApiServer(std::move(deps), std::move(options)));
  ENTENTE_ASSIGN_OR_RETURN(server->schema_version_, server->deps_.store->SchemaVersion());
  AddSystemRoutes(*server);
  AddSubjectRoutes(*server);
  AddScreenRoutes(*server);
  AddYenteRoutes(*server);
  AddAuditRoutes(*server);
  AddRadarRoutes(*server);
  AddNetworkRoutes(*server);
  AddExchangeRoutes(*server);
  AddHitRoutes(*server);
  AddUserRoutes(*server);
  AddSessionRoutes(*server);
  server->LoadConsole();

  ApiServer* self = server.get();
  http::ServerOptions http_options;
  http_options.host = server->options_.host;
  http_options.port = server->options_.port;
  http_options.tls_cert_path = server->options_.tls_cert;
  http_options.tls_key_path = server->options_.tls_key;
  http_options.workers = std::max(2, server->options_.threads);
  http_options.on_served = [self](const http::Served& served) {
    if (!self->options_.access_log) return;
    const http::Request& r = *served.request;
    // The route's pattern, not the path: paths hold subjects' ids, which stay out of the logs.
    spdlog::info("{} {} {} {:.1f} ms request {} from {}", r.method,
                 served.route.empty() ? std::string_view("(no route)") : served.route,
                 served.status, served.seconds * 1e3, r.id, r.peer);
  };
  ENTENTE_ASSIGN_OR_RETURN(server->server_,
                           http::Server::Create(http_options, [self](const http::Request& head) {
                             return self->RouteOf(head);
                           }));
  if (!server->options_.metrics_listen.empty()) {
    const std::string& listen = server->options_.metrics_listen;
    const size_t colon = listen.rfind(':');
    http::ServerOptions metrics_options;
    metrics_options.host = listen.substr(0, colon);
    metrics_options.port = colon == std::string::npos ? 0 : std::atoi(listen.c_str() + colon + 1);
    metrics_options.workers = 1;
    metrics_options.io_threads = 1;
    if (colon == std::string::npos || !IsLoopback(metrics_options.host)) {
      return InvalidArgument("--metrics-listen " + listen +
                             ": expected a loopback HOST:PORT (it serves without a token)");
    }
    ENTENTE_ASSIGN_OR_RETURN(
        server->metrics_server_,
        http::Server::Create(metrics_options, [self](const http::Request& head) {
          http::Route route;
          if (head.path != "/metrics" || head.method != "GET") {
            route.answer = ToResponse(ErrorReply(NotFound("this listener serves GET /metrics")));
            return route;
          }
          route.handle = [self](http::Request&) {
            Reply reply;
            reply.content_type = "text/plain; version=0.0.4";
            reply.text = self->RenderMetrics();
            return ToResponse(reply);
          };
          return route;
        }));
  }
  return server;
}

void ApiServer::AddRoute(const std::string& method, const std::string& path, RouteSpec spec,
                         Handler handler) {
  routes_.push_back({method, path});
  Registered route;
  route.info = routes_.back();
  for (std::string segment : Segments(path)) {
    if (!segment.empty() && segment.front() == '{') segment = "{}";
    route.segments.push_back(std::move(segment));
  }
  if (spec.body_limit == 0 && (method == "POST" || method == "PUT")) {
    spec.body_limit = kDefaultBodyLimit;
  }
  route.spec = std::move(spec);
  route.handler = std::move(handler);
  registered_.push_back(std::move(route));
}

// On the event loop: the route of the request, or the answer when there is none.
http::Route ApiServer::RouteOf(const http::Request& head) {
  const std::vector<std::string> segments = Segments(head.path);
  std::vector<std::string> allowed;
  for (const Registered& route : registered_) {
    if (route.segments.size() != segments.size()) continue;
    bool same = true;
    for (size_t i = 0; i < segments.size() && same; ++i) {
      same = route.segments[i] == "{}" ? !segments[i].empty() : route.segments[i] == segments[i];
    }
    if (!same) continue;
    if (route.info.method != head.method) {
      allowed.push_back(route.info.method);
      continue;
    }
    std::vector<std::string> params;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i] != "{}") continue;
      std::optional<std::string> value = http::PercentDecode(segments[i], false);
      if (!value || FindInvalidUtf8(*value) || value->find('\0') != std::string::npos) {
        http::Route refused;
        refused.answer = ToResponse(ErrorReply(
            InvalidArgument("path: segment " + std::to_string(i + 1) +
                            " is not valid percent-encoded UTF-8 text (" + route.info.path + ")")));
        return refused;
      }
      params.push_back(std::move(*value));
    }
    return Plan(route, std::move(params));
  }
  http::Route missing;
  if (allowed.empty()) {
    if (std::optional<http::Response> page = ConsoleAnswer(head)) {
      missing.name = "console";
      missing.answer = std::move(*page);
      return missing;
    }
  }
  if (!allowed.empty()) {
    std::string allow;
    for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
    Reply reply =
        ErrorReply(Status(StatusCode::kInvalidArgument, "method " + SanitizeUtf8(head.method) +
                                                            " is not allowed here; use " + allow));
    reply.status = 405;
    reply.body["error"]["status"] = 405;
    reply.headers.emplace_back("Allow", allow);
    missing.answer = ToResponse(reply);
    return missing;
  }
  missing.answer = ToResponse(ErrorReply(NotFound("no such route")));
  return missing;
}

// One request between its two steps: admission fills the caller, the handler answers.
struct ApiServer::Pending {
  explicit Pending(const http::Request& request) : call{request, {}, {}, {}, {}} {}
  Call call;
};

http::Route ApiServer::Plan(const Registered& route, std::vector<std::string> params) {
  http::Route plan;
  plan.name = route.info.path;
  plan.body_limit = route.spec.body_limit;
  const Registered* r = &route;
  if (route.spec.immediate) {
    http::Request empty;
    Call call{empty, std::move(params), {}, {}, {}};
    const Reply reply = route.handler(call);
    metrics_.Record(route.info.method, route.info.path, reply.status, 0);
    plan.answer = ToResponse(reply);
    return plan;
  }
  auto pending = std::make_shared<std::optional<Pending>>();
  plan.admit = [this, r, pending, params = std::move(params)](
                   const http::Request& head) mutable -> std::optional<http::Response> {
    pending->emplace(head);
    (*pending)->call.params = std::move(params);
    const int64_t start = deps_.clock->MonotonicMicros();
    std::optional<Reply> refusal = Admit(*r, head, &(*pending)->call);
    if (!refusal) return std::nullopt;
    const double seconds = static_cast<double>(deps_.clock->MonotonicMicros() - start) / 1e6;
    metrics_.Record(r->info.method, r->info.path, refusal->status, seconds);
    return ToResponse(*refusal);
  };
  plan.handle = [this, r, pending](http::Request& request) {
    // The same request admission saw, its body now read.
    Call& call = (*pending)->call;
    const int64_t start = deps_.clock->MonotonicMicros();
    Reply reply;
    try {
      reply = r->handler(call);
    } catch (const nlohmann::json::exception& e) {
      // A value of an unexpected type that a route read without checking: the caller's input
      // was wrong (4xx), and the route has a bug to fix (logged).
      spdlog::warn("request {} {} {}: unchecked JSON value: {}", request.id, request.method,
                   r->info.path, e.what());
      reply = ErrorReply(InvalidArgument("body: a value has the wrong type"));
    }
    if (reply.status >= 500) {
      spdlog::error("request {} {} {} answered {}: {}", request.id, request.method, r->info.path,
                    reply.status, DumpJson(reply.body));
      reply.body["error"]["request_id"] = request.id;
    }
    const double seconds = static_cast<double>(deps_.clock->MonotonicMicros() - start) / 1e6;
    metrics_.Record(r->info.method, r->info.path, reply.status, seconds);
    http::Response response = ToResponse(reply);
    ApplyEntityTag(request, response);
    return response;
  };
  return plan;
}

// Who calls, and whether they may use the route at all: nullopt to go on to the body, else the
// refusal.
std::optional<Reply> ApiServer::Admit(const Registered& route, const http::Request& head,
                                      Call* call) {
  if (!route.spec.authenticated) return std::nullopt;
  const int64_t now = deps_.clock->MonotonicMicros();
  if (const int64_t wait =
          throttle_->RetryAfter(head.peer, now, options_.max_auth_failures_per_minute);
      wait > 0) {
    Reply reply =
        ErrorReply(Status(StatusCode::kResourceExhausted, "too many failed authentications from " +
                                                              head.peer + "; try again later"));
    reply.headers.emplace_back("Retry-After", std::to_string((wait + 999'999) / 1'000'000));
    return reply;
  }
  const std::string token = BearerToken(head);
  const std::string session =
      token.empty() ? CookieValue(head.HeaderValue("Cookie"), kSessionCookie) : std::string();
  Result<policy::Principal> principal =
      Status(StatusCode::kUnauthenticated,
             "who you are is not established: send Authorization: Bearer <token>, or sign in");
  if (!token.empty()) {
    principal = deps_.authenticate(token);
  } else if (!session.empty() && deps_.authenticate_session) {
    Result<service::SessionCaller> signed_in = deps_.authenticate_session(session);
    if (signed_in.ok()) {
      // A change made with the session's cookie carries its CSRF token: a page of another site
      // can make the browser send the cookie, never the token.
      const bool safe = head.method == "GET" || head.method == "HEAD";
      if (!safe && head.HeaderValue("X-CSRF-Token") != signed_in->csrf_token) {
        return ErrorReply(Status(StatusCode::kPermissionDenied,
                                 "a change made in a signed-in session must carry its "
                                 "X-CSRF-Token"));
      }
      call->session_id = session;
      call->csrf_token = signed_in->csrf_token;
      principal = std::move(signed_in->principal);
    } else {
      principal = signed_in.status();
    }
  }
  if (!principal.ok()) {
    if (principal.status().code() == StatusCode::kUnauthenticated &&
        (!token.empty() || !session.empty())) {
      throttle_->Failed(head.peer, now);
    }
    return ErrorReply(principal.status());
  }
  service::Caller& caller = call->caller;
  caller.principal = std::move(principal).value();
  caller.context.node_country = deps_.node_country;
  caller.context.today = policy::DayOfMicros(deps_.clock->NowMicros());
  caller.context.justification = head.HeaderValue("X-Justification");
  caller.context.justification_field = "X-Justification";
  if (caller.context.justification.empty() && route.spec.justification_in_query) {
    caller.context.justification = head.QueryParam("justification").value_or("");
  }
  caller.context.case_reference = head.HeaderValue("X-Case-Reference");
  if (route.spec.action) {
    const Status admitted = service::AdmitCaller(*deps_.store, caller, *route.spec.action);
    if (!admitted.ok()) return ErrorReply(admitted);
  }
  if (route.spec.admit) {
    const Status admitted = route.spec.admit(caller);
    if (!admitted.ok()) return ErrorReply(admitted);
  }
  return std::nullopt;
}

std::optional<Reply> ApiServer::AuthThrottled(const std::string& peer) const {
  const int64_t wait = throttle_->RetryAfter(peer, deps_.clock->MonotonicMicros(),
                                             options_.max_auth_failures_per_minute);
  if (wait <= 0) return std::nullopt;
  Reply reply =
      ErrorReply(Status(StatusCode::kResourceExhausted,
                        "too many failed authentications from " + peer + "; try again later"));
  reply.headers.emplace_back("Retry-After", std::to_string((wait + 999'999) / 1'000'000));
  return reply;
}

void ApiServer::AuthFailed(const std::string& peer) {
  throttle_->Failed(peer, deps_.clock->MonotonicMicros());
}

std::string ApiServer::RenderMetrics() const {
  std::vector<MetricFamily> families = {{"entente_indexed_subjects",
                                         "Subjects in the screening index.",
                                         "gauge",
                                         {{"", static_cast<double>(deps_.index->size())}}},
                                        {"entente_index_change_seq",
                                         "The last change of the register the index has applied.",
                                         "gauge",
                                         {{"", static_cast<double>(deps_.index->seq())}}}};
  if (server_ != nullptr) {
    const http::ServerStats stats = server_->stats();
    families.push_back({"entente_http_connections_open",
                        "Connections open now.",
                        "gauge",
                        {{"", static_cast<double>(stats.connections_open)}}});
    families.push_back({"entente_http_connections_evicted_total",
                        "Connections closed to make room (limits reached).",
                        "counter",
                        {{"", static_cast<double>(stats.connections_evicted)}}});
    families.push_back({"entente_http_connections_timed_out_total",
                        "Connections closed for a header or body too slow to come.",
                        "counter",
                        {{"", static_cast<double>(stats.connections_timed_out)}}});
    families.push_back({"entente_http_requests_refused_busy_total",
                        "Requests refused with 503 because the queue was full.",
                        "counter",
                        {{"", static_cast<double>(stats.requests_refused_busy)}}});
  }
  const int64_t now = deps_.clock->NowMicros();
  // The outbox per partner and state, and how long its oldest pending entry has waited.
  if (auto counts = deps_.store->outbox().Count(); counts.ok()) {
    MetricFamily entries{
        "entente_outbox_entries", "Outbox entries by partner and state.", "gauge", {}};
    MetricFamily oldest{"entente_outbox_oldest_pending_seconds",
                        "Age of the oldest message waiting for delivery to a partner.",
                        "gauge",
                        {}};
    for (const store::OutboxCount& c : *counts) {
      entries.samples.push_back({"recipient=\"" + LabelValue(c.recipient) + "\",state=\"" +
                                     std::string(store::OutboxStateName(c.state)) + "\"",
                                 static_cast<double>(c.count)});
      if (c.state == store::OutboxState::kPending) {
        oldest.samples.push_back({"recipient=\"" + LabelValue(c.recipient) + "\"",
                                  static_cast<double>(now - c.oldest_created_at) / 1e6});
      }
    }
    families.push_back(std::move(entries));
    families.push_back(std::move(oldest));
  }
  // What waits on people: partners' follow-up requests past their 48 hours, release notices
  // that no partner has acknowledged.
  if (const Result<int64_t> overdue = deps_.store->hits().CountOverdueFollowUps(now);
      overdue.ok()) {
    families.push_back({"entente_followups_overdue",
                        "Partners' follow-up requests of a hit still undecided past their "
                        "48-hour deadline.",
                        "gauge",
                        {{"", static_cast<double>(*overdue)}}});
  }
  if (const Result<int64_t> notices = deps_.store->notices().CountUnacknowledged(); notices.ok()) {
    families.push_back({"entente_release_notices_unacknowledged",
                        "Release notices sent that their partner has not acknowledged.",
                        "gauge",
                        {{"", static_cast<double>(*notices)}}});
  }
  // Partners' checks of this register today (owner_answers): answered, refused past a limit,
  // flagged as a possible enumeration. An alert on refused or flagged calls an administrator.
  if (const auto checks =
          service::ChecksSince(deps_.store->audit(), now / kMicrosPerDay * kMicrosPerDay);
      checks.ok() && !checks->empty()) {
    MetricFamily today{"entente_partner_checks_today",
                       "Partners' hit/no-hit checks of this register since midnight UTC: "
                       "answered (queries), refused past a limit and flagged as a possible "
                       "enumeration (requests).",
                       "gauge",
                       {}};
    for (const auto& [partner, a] : *checks) {
      for (const auto& [outcome, value] :
           {std::pair{"answered", a.answered}, std::pair{"refused", a.refused},
            std::pair{"flagged", a.flagged}}) {
        today.samples.push_back(
            {"partner=\"" + LabelValue(partner) + "\",outcome=\"" + std::string(outcome) + "\"",
             static_cast<double>(value)});
      }
    }
    families.push_back(std::move(today));
  }
  if (deps_.jobs_leader) {
    families.push_back({"entente_jobs_leader",
                        "1 on the replica that runs the node's background jobs (delivery, sweeps, "
                        "notices, index publication, anchoring), 0 on the others.",
                        "gauge",
                        {{"", deps_.jobs_leader() ? 1.0 : 0.0}}});
  }
  for (MetricFamily& family : ProcessMetrics()) families.push_back(std::move(family));
  return metrics_.Render(families);
}

Status ApiServer::Start() {
  ENTENTE_RETURN_IF_ERROR(server_->Start());
  port_ = server_->port();
  if (metrics_server_ != nullptr) {
    if (Status s = metrics_server_->Start(); !s.ok()) {
      server_->Stop();
      return s;
    }
    metrics_port_ = metrics_server_->port();
  }
  return Status::Ok();
}

void ApiServer::Stop() {
  if (metrics_server_) metrics_server_->Stop();
  if (server_) server_->Stop();
}

}  // namespace entente::api
