#include "api/federation_server.h"

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "federation/check.h"
#include "federation/https_transport.h"
#include "federation/keys.h"
#include "federation/partner.h"

namespace entente::api {
namespace {

http::Response Refusal(int status, const std::string& message) {
  http::Response response;
  response.status = status;
  response.body = DumpJson(nlohmann::json{{"error", message}});
  return response;
}

}  // namespace

FederationServer::FederationServer(store::Store& store, federation::Inbox& inbox, Options options)
    : store_(store), inbox_(inbox), options_(std::move(options)) {}

FederationServer::~FederationServer() { Stop(); }

Result<std::unique_ptr<FederationServer>> FederationServer::Create(store::Store& store,
                                                                   federation::Inbox& inbox,
                                                                   Options options) {
  std::unique_ptr<FederationServer> server(new FederationServer(store, inbox, std::move(options)));
  http::ServerOptions http_options;
  http_options.host = server->options_.host;
  http_options.port = server->options_.port;
  http_options.tls_cert_path = server->options_.tls_cert;
  http_options.tls_key_path = server->options_.tls_key;
  http_options.require_client_certificate = true;
  http_options.workers = std::max(2, server->options_.threads);
  // Partners are few and known: a handful of connections each is plenty.
  http_options.max_connections = 512;
  http_options.max_connections_per_source = 64;
  FederationServer* self = server.get();
  auto created = http::Server::Create(
      http_options, [self](const http::Request& head) { return self->RouteOf(head); });
  if (!created.ok()) {
    return InvalidArgument("federation endpoint: " + created.status().message());
  }
  server->server_ = std::move(created).value();
  return server;
}

http::Route FederationServer::RouteOf(const http::Request& head) {
  http::Route route;
  const bool check = head.path == federation::kCheckPath && options_.checks != nullptr;
  if (head.path != federation::kInboxPath && !check) {
    route.answer = Refusal(404, "no such route");
    return route;
  }
  if (head.method != "POST") {
    route.answer = Refusal(405, "use POST");
    route.answer->headers.push_back({"Allow", "POST"});
    return route;
  }
  route.body_limit = check ? federation::kMaxCheckBodyBytes : options_.body_limit;
  // The sender is known from its certificate before a byte of its body is read.
  auto sender = std::make_shared<std::string>();
  route.admit = [this, sender](const http::Request& request) -> std::optional<http::Response> {
    const std::string fingerprint = request.peer_certificate_der.empty()
                                        ? std::string()
                                        : federation::DerFingerprint(request.peer_certificate_der);
    const Clock& clock = options_.clock != nullptr ? *options_.clock : SystemClock();
    auto partner =
        federation::FindPartnerByCertificate(store_.partners(), fingerprint, clock.NowMicros());
    if (!partner.ok()) {
      return Refusal(403,
                     "the client certificate " + fingerprint + " is not a registered partner's");
    }
    *sender = partner->country;
    return std::nullopt;
  };
  if (check) {
    route.handle = [this, sender](http::Request& request) {
      const service::CheckResponse answer = options_.checks->Respond(*sender, request.body);
      http::Response response;
      response.status = answer.http_status;
      response.body = answer.body;
      if (answer.retry_after_seconds > 0) {
        response.headers.push_back({"Retry-After", std::to_string(answer.retry_after_seconds)});
      }
      return response;
    };
    return route;
  }
  route.handle = [this, sender](http::Request& request) {
    Result<nlohmann::json> body = ParseJson(request.body, "body");
    if (!body.ok()) return Refusal(400, body.status().message());
    if (!body->is_object() || !body->contains("envelopes") || !(*body)["envelopes"].is_array()) {
      return Refusal(400, "expected {\"envelopes\": [...]}");
    }
    std::vector<std::string> envelopes;
    for (const nlohmann::json& e : (*body)["envelopes"]) {
      envelopes.push_back(e.is_string() ? e.get<std::string>() : DumpJson(e));
    }
    const auto outcomes = inbox_.Accept(*sender, envelopes);
    http::Response response;
    response.body = federation::OutcomesToJson(outcomes);
    return response;
  };
  return route;
}

Status FederationServer::Start() {
  if (Status status = server_->Start(); !status.ok()) {
    return IoError("federation endpoint: " + status.message());
  }
  port_ = server_->port();
  return Status::Ok();
}

void FederationServer::Stop() {
  if (server_) server_->Stop();
}

}  // namespace entente::api
