#include "api/federation_server.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "federation/https_transport.h"
#include "federation/keys.h"

namespace entente::api {
namespace {

// Any certificate completes the handshake; the route then accepts only registered ones (the
// registry changes while the server runs, so pinning is done per request, not in the TLS
// context's trust store).
int AcceptAnyCertificate(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) { return 1; }

std::string PeerFingerprint(const httplib::Request& request) {
  if (request.ssl == nullptr) return "";
  X509* peer = SSL_get1_peer_certificate(request.ssl);
  if (peer == nullptr) return "";
  unsigned char* der = nullptr;
  const int length = i2d_X509(peer, &der);
  X509_free(peer);
  if (length <= 0) return "";
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return federation::DerFingerprint(bytes);
}

void Refuse(httplib::Response& response, int status, const std::string& message) {
  response.status = status;
  response.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

}  // namespace

FederationServer::FederationServer(store::Store& store, federation::Inbox& inbox, Options options)
    : store_(store), inbox_(inbox), options_(std::move(options)) {}

FederationServer::~FederationServer() { Stop(); }

Result<std::unique_ptr<FederationServer>> FederationServer::Create(store::Store& store,
                                                                   federation::Inbox& inbox,
                                                                   Options options) {
  std::unique_ptr<FederationServer> server(new FederationServer(store, inbox, std::move(options)));
  auto tls = std::make_unique<httplib::SSLServer>(server->options_.tls_cert.c_str(),
                                                  server->options_.tls_key.c_str());
  if (!tls->is_valid()) {
    return InvalidArgument("federation endpoint: cannot use the TLS certificate " +
                           server->options_.tls_cert);
  }
  SSL_CTX_set_verify(tls->ssl_context(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     AcceptAnyCertificate);
  const int threads = std::max(2, server->options_.threads);
  tls->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  tls->set_payload_max_length(64 << 20);
  tls->set_tcp_nodelay(true);
  tls->set_keep_alive_max_count(1000000);
  tls->set_keep_alive_timeout(5);
  FederationServer* self = server.get();
  tls->Post(federation::kInboxPath, [self](const httplib::Request& req, httplib::Response& res) {
    const std::string fingerprint = PeerFingerprint(req);
    auto partner = self->store_.FindPartnerByFingerprint(fingerprint);
    if (!partner.ok()) {
      Refuse(res, 403, "the client certificate " + fingerprint + " is not a registered partner's");
      return;
    }
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("envelopes") ||
        !body["envelopes"].is_array()) {
      Refuse(res, 400, "expected {\"envelopes\": [...]}");
      return;
    }
    std::vector<std::string> envelopes;
    for (const nlohmann::json& e : body["envelopes"]) {
      envelopes.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    }
    const auto outcomes = self->inbox_.Accept(partner->country, envelopes);
    res.set_content(federation::OutcomesToJson(outcomes), "application/json");
  });
  server->server_ = std::move(tls);
  return server;
}

Status FederationServer::Start() {
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) return IoError("federation endpoint: cannot bind " + options_.host);
  } else {
    if (!server_->bind_to_port(options_.host, options_.port)) {
      return IoError("federation endpoint: cannot bind " + options_.host + ":" +
                     std::to_string(options_.port) + " (in use?)");
    }
    port_ = options_.port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void FederationServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace entente::api
