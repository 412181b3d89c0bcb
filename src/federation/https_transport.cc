#include "federation/https_transport.h"

#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/json.h"
#include "federation/key_rotation.h"
#include "http/client.h"

namespace entente::federation {

struct HttpsTransport::Connection {
  std::string pinned;  // the certificates the client was made to trust
  std::string url;
  Mutex mutex;  // one batch at a time on the connection
  std::unique_ptr<http::Client> client;
};

namespace {

struct HostPort {
  std::string host;
  int port = 443;
};

Result<HostPort> ParseUrl(std::string_view url) {
  if (!url.starts_with("https://"))
    return InvalidArgument("url " + std::string(url) + ": not https");
  std::string rest(url.substr(8));
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  HostPort out;
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos) {
    out.host = rest;
  } else {
    out.host = rest.substr(0, colon);
    try {
      out.port = std::stoi(rest.substr(colon + 1));
    } catch (...) {
      return InvalidArgument("url " + std::string(url) + ": bad port");
    }
  }
  if (out.host.empty()) return InvalidArgument("url " + std::string(url) + ": no host");
  return out;
}

}  // namespace

HttpsTransport::HttpsTransport(const NodeKeys& keys, Options options)
    : keys_(keys), options_(options) {}

HttpsTransport::~HttpsTransport() {
  MutexLock lock(&mutex_);
  connections_.clear();
  idle_checks_.clear();
}

void HttpsTransport::Close() {
  MutexLock lock(&mutex_);
  connections_.clear();
  idle_checks_.clear();
}

Result<std::shared_ptr<HttpsTransport::Connection>> HttpsTransport::ConnectionFor(
    const store::Partner& partner) {
  MutexLock lock(&mutex_);
  std::shared_ptr<Connection>& slot = connections_[partner.country];
  std::string pinned = PinnedCertificates(partner);
  if (slot != nullptr && slot->pinned == pinned && slot->url == partner.url) {
    return slot;
  }
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<http::Client> client, NewClient(partner));
  auto connection = std::make_shared<Connection>();
  connection->pinned = std::move(pinned);
  connection->url = partner.url;
  connection->client = std::move(client);
  slot = std::move(connection);
  return slot;
}

Result<std::unique_ptr<http::Client>> HttpsTransport::NewClient(const store::Partner& partner) {
  ENTENTE_ASSIGN_OR_RETURN(HostPort address, ParseUrl(partner.url));
  http::ClientOptions client;
  client.host = address.host;
  client.port = address.port;
  client.tls = true;
  // The partner's registered certificate is the only trust anchor (pinned), with the one it
  // announced for next while it rotates its keys.
  client.trust_pem = PinnedCertificates(partner);
  client.client_cert_path = keys_.tls_cert_path;
  client.client_key_path = keys_.tls_key_path;
  client.connect_timeout = std::chrono::milliseconds(options_.connect_timeout_ms);
  client.io_timeout = std::chrono::milliseconds(options_.read_timeout_ms);
  client.max_response_bytes = size_t{16} << 20;
  return std::make_unique<http::Client>(std::move(client));
}

Result<CheckReply> HttpsTransport::SendCheck(const store::Partner& partner, std::string_view body) {
  constexpr size_t kIdleChecksKept = 8;
  const std::string pinned = PinnedCertificates(partner);
  std::unique_ptr<http::Client> client;
  {
    MutexLock lock(&mutex_);
    std::vector<IdleCheck>& idle = idle_checks_[partner.country];
    while (!idle.empty() && client == nullptr) {
      IdleCheck last = std::move(idle.back());
      idle.pop_back();
      if (last.pinned == pinned && last.url == partner.url) client = std::move(last.client);
    }
  }
  if (client == nullptr) {
    ENTENTE_ASSIGN_OR_RETURN(client, NewClient(partner));
  }
  Result<http::Response> result =
      client->Post(kCheckPath, body, {{"X-Entente-From", keys_.country}});
  if (!result.ok()) {
    return IoError("partner " + partner.country + " at " + partner.url + ": " +
                   result.status().message());
  }
  CheckReply reply;
  reply.status = result->status;
  reply.body = std::move(result->body);
  if (const std::string retry = http::HeaderOf(*result, "Retry-After"); !retry.empty()) {
    try {
      reply.retry_after_seconds = std::stoll(retry);
    } catch (...) {
      reply.retry_after_seconds = 60;
    }
  }
  MutexLock lock(&mutex_);
  std::vector<IdleCheck>& idle = idle_checks_[partner.country];
  if (idle.size() < kIdleChecksKept) idle.push_back({pinned, partner.url, std::move(client)});
  return reply;
}

Result<std::vector<DeliveryOutcome>> HttpsTransport::Deliver(
    const store::Partner& partner, const std::vector<std::string>& envelopes) {
  ENTENTE_ASSIGN_OR_RETURN(std::shared_ptr<Connection> connection, ConnectionFor(partner));
  nlohmann::json body = {{"envelopes", envelopes}};
  MutexLock lock(&connection->mutex);
  Result<http::Response> result =
      connection->client->Post(kInboxPath, DumpJson(body), {{"X-Entente-From", keys_.country}});
  if (!result.ok()) {
    return IoError("partner " + partner.country + " at " + partner.url + ": " +
                   result.status().message());
  }
  if (result->status != 200) {
    return IoError("partner " + partner.country + " answered HTTP " +
                   std::to_string(result->status) + ": " + result->body.substr(0, 300));
  }
  return ParseOutcomes(result->body, envelopes.size());
}

Result<std::vector<DeliveryOutcome>> ParseOutcomes(std::string_view body, size_t count) {
  nlohmann::json json = ParseJsonOrDiscarded(body);
  if (json.is_discarded() || !json.is_object() || !json.contains("outcomes") ||
      !json["outcomes"].is_array() || json["outcomes"].size() != count) {
    return IoError("inbox answer: expected {\"outcomes\": [...]} with one entry per envelope");
  }
  std::vector<DeliveryOutcome> out(count);
  for (size_t i = 0; i < count; ++i) {
    const nlohmann::json& o = json["outcomes"][i];
    if (!o.is_object()) return IoError("inbox answer: outcome is not an object");
    if (o.contains("receipt") && o["receipt"].is_string()) {
      out[i].delivered = true;
      out[i].receipt = o["receipt"].get<std::string>();
    } else {
      const auto error = o.find("error");
      const auto permanent = o.find("permanent");
      out[i].error = error != o.end() && error->is_string() ? error->get<std::string>() : "refused";
      out[i].permanent = permanent != o.end() && permanent->is_boolean() && permanent->get<bool>();
    }
  }
  return out;
}

std::string OutcomesToJson(const std::vector<DeliveryOutcome>& outcomes) {
  nlohmann::json list = nlohmann::json::array();
  for (const DeliveryOutcome& o : outcomes) {
    if (o.delivered) {
      list.push_back({{"receipt", o.receipt}});
    } else {
      list.push_back({{"error", o.error}, {"permanent", o.permanent}});
    }
  }
  return DumpJson(nlohmann::json{{"outcomes", std::move(list)}});
}

}  // namespace entente::federation
