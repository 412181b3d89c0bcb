#include "api/server.h"

#include <httplib.h>

#include <chrono>
#include <regex>

#include "api/http_error.h"
#include "policy/subject_facts.h"

namespace entente::api {
namespace {

bool IsLoopback(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// "/api/v1/subjects/{id}" -> "/api/v1/subjects/([^/]+)".
std::string PathRegex(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      out += "([^/]+)";
      i = path.find('}', i);
      continue;
    }
    if (std::string_view(".+*?()[]^$|\\").find(path[i]) != std::string_view::npos) out += '\\';
    out += path[i];
  }
  return out;
}

std::string BearerToken(const httplib::Request& request) {
  const std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    return "";
  }
  return header.substr(kBearer.size());
}

}  // namespace

std::string Call::Header(const char* name) const { return request.get_header_value(name); }
const std::string& Call::Body() const { return request.body; }
std::string Call::Query(const char* name) const {
  return request.has_param(name) ? request.get_param_value(name) : "";
}

Reply ErrorReply(const Status& status) {
  Reply reply;
  reply.status = HttpStatusOf(status);
  reply.body = ErrorJson(status);
  if (reply.status == 401) reply.headers.emplace_back("WWW-Authenticate", "Bearer");
  return reply;
}

ApiServer::ApiServer(ApiDeps deps, ServerOptions options)
    : deps_(std::move(deps)), options_(std::move(options)) {}

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
  if (server->tls()) {
    auto tls = std::make_unique<httplib::SSLServer>(server->options_.tls_cert.c_str(),
                                                    server->options_.tls_key.c_str());
    if (!tls->is_valid()) {
      return InvalidArgument("cannot use the TLS certificate " + server->options_.tls_cert +
                             " with key " + server->options_.tls_key);
    }
    server->server_ = std::move(tls);
  } else {
    server->server_ = std::make_unique<httplib::Server>();
  }
  const int threads = std::max(2, server->options_.threads);
  server->server_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server->server_->set_payload_max_length(16 << 20);
  server->server_->set_tcp_nodelay(true);
  server->server_->set_keep_alive_max_count(100000);
  server->server_->set_keep_alive_timeout(30);
  AddSystemRoutes(*server);
  AddSubjectRoutes(*server);
  AddScreenRoutes(*server);
  AddAuditRoutes(*server);
  AddRadarRoutes(*server);
  AddNetworkRoutes(*server);
  AddExchangeRoutes(*server);
  AddHitRoutes(*server);
  server->server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const Status status =
        res.status == 404 ? NotFound("no such route") : InvalidArgument("bad request");
    res.set_content(ErrorJson(status).dump(), "application/json");
  });
  return server;
}

void ApiServer::AddRoute(const std::string& method, const std::string& path, bool authenticated,
                         Handler handler) {
  routes_.push_back({method, path});
  const RouteInfo route = routes_.back();
  auto serve = [this, route, authenticated, handler = std::move(handler)](
                   const httplib::Request& req, httplib::Response& res) {
    Serve(req, &res, route, authenticated, handler);
  };
  const std::string pattern = PathRegex(path);
  if (method == "GET") {
    server_->Get(pattern, serve);
  } else if (method == "POST") {
    server_->Post(pattern, serve);
  } else if (method == "PUT") {
    server_->Put(pattern, serve);
  } else if (method == "DELETE") {
    server_->Delete(pattern, serve);
  } else {
    ENTENTE_CHECK(false && "unsupported method");
  }
}

void ApiServer::Serve(const httplib::Request& request, void* response_ptr, const RouteInfo& route,
                      bool authenticated, const Handler& handler) {
  auto& response = *static_cast<httplib::Response*>(response_ptr);
  const int64_t start = deps_.clock->MonotonicMicros();
  Call call{request, {}, {}};
  for (size_t i = 1; i < request.matches.size(); ++i) call.params.push_back(request.matches[i]);
  Reply reply;
  bool ready = true;
  if (authenticated) {
    const std::string token = BearerToken(request);
    Result<policy::Principal> principal =
        token.empty() ? Result<policy::Principal>(Status(
                            StatusCode::kUnauthenticated,
                            "who you are is not established: send Authorization: Bearer <token>"))
                      : deps_.authenticate(token);
    if (!principal.ok()) {
      reply = ErrorReply(principal.status());
      ready = false;
    } else {
      call.caller.principal = std::move(principal).value();
      call.caller.context.node_country = deps_.node_country;
      call.caller.context.today = policy::DayOfMicros(deps_.clock->NowMicros());
      call.caller.context.justification = request.get_header_value("X-Justification");
      call.caller.context.case_reference = request.get_header_value("X-Case-Reference");
    }
  }
  if (ready) reply = handler(call);
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  if (reply.content_type == "application/json") {
    if (!reply.body.is_null()) response.set_content(reply.body.dump(), "application/json");
  } else {
    response.set_content(reply.text, reply.content_type.c_str());
  }
  const double seconds = static_cast<double>(deps_.clock->MonotonicMicros() - start) / 1e6;
  metrics_.Record(route.method + " " + route.path, reply.status, seconds);
}

Status ApiServer::Start() {
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) return IoError("cannot bind " + options_.host);
  } else {
    if (!server_->bind_to_port(options_.host, options_.port)) {
      return IoError("cannot bind " + options_.host + ":" + std::to_string(options_.port) +
                     " (in use, or not an address of this machine)");
    }
    port_ = options_.port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void ApiServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace entente::api
