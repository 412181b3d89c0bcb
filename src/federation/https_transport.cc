#include "federation/https_transport.h"

#include <httplib.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/check.h"

namespace entente::federation {

struct HttpsTransport::Connection {
  std::string fingerprint;  // of the certificate the client was made for
  std::string url;
  Mutex mutex;  // one batch at a time on the connection
  std::unique_ptr<httplib::SSLClient> client;
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
    : keys_(keys), options_(options) {
  char dir[] = "/tmp/entente-anchors-XXXXXX";
  ENTENTE_CHECK(mkdtemp(dir) != nullptr);
  anchors_dir_ = dir;
}

HttpsTransport::~HttpsTransport() {
  {
    MutexLock lock(&mutex_);
    connections_.clear();
  }
  std::error_code ignored;
  std::filesystem::remove_all(anchors_dir_, ignored);
}

Result<std::shared_ptr<HttpsTransport::Connection>> HttpsTransport::ConnectionFor(
    const store::Partner& partner) {
  MutexLock lock(&mutex_);
  std::shared_ptr<Connection>& slot = connections_[partner.country];
  if (slot != nullptr && slot->fingerprint == partner.tls_fingerprint && slot->url == partner.url) {
    return slot;
  }
  ENTENTE_ASSIGN_OR_RETURN(HostPort address, ParseUrl(partner.url));
  const std::string anchor = anchors_dir_ + "/" + partner.country + ".pem";
  {
    std::ofstream out(anchor, std::ios::trunc);
    out << partner.tls_certificate;
    if (!out) return IoError(anchor + ": cannot be written");
  }
  auto connection = std::make_shared<Connection>();
  connection->fingerprint = partner.tls_fingerprint;
  connection->url = partner.url;
  connection->client = std::make_unique<httplib::SSLClient>(
      address.host, address.port, keys_.tls_cert_path, keys_.tls_key_path);
  httplib::SSLClient& client = *connection->client;
  if (!client.is_valid()) return IoError("TLS client for " + partner.country + " cannot start");
  client.set_ca_cert_path(anchor);
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(options_.connect_timeout_ms / 1000,
                                time_t{options_.connect_timeout_ms % 1000} * 1000);
  client.set_read_timeout(options_.read_timeout_ms / 1000,
                          time_t{options_.read_timeout_ms % 1000} * 1000);
  client.set_write_timeout(options_.read_timeout_ms / 1000, 0);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  slot = std::move(connection);
  return slot;
}

Result<std::vector<DeliveryOutcome>> HttpsTransport::Deliver(
    const store::Partner& partner, const std::vector<std::string>& envelopes) {
  ENTENTE_ASSIGN_OR_RETURN(std::shared_ptr<Connection> connection, ConnectionFor(partner));
  nlohmann::json body = {{"envelopes", envelopes}};
  MutexLock lock(&connection->mutex);
  httplib::Result result = connection->client->Post(kInboxPath, {{"X-Entente-From", keys_.country}},
                                                    body.dump(), "application/json");
  if (!result) {
    const long verify = connection->client->get_openssl_verify_result();
    std::string reason = httplib::to_string(result.error());
    if (verify != 0) {
      reason += " (certificate check: " + std::string(X509_verify_cert_error_string(verify)) + ")";
    }
    return IoError("partner " + partner.country + " at " + partner.url + ": " + reason);
  }
  if (result->status != 200) {
    return IoError("partner " + partner.country + " answered HTTP " +
                   std::to_string(result->status) + ": " + result->body.substr(0, 300));
  }
  return ParseOutcomes(result->body, envelopes.size());
}

Result<std::vector<DeliveryOutcome>> ParseOutcomes(std::string_view body, size_t count) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
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
      out[i].error = o.value("error", std::string("refused"));
      out[i].permanent = o.value("permanent", false);
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
  return nlohmann::json{{"outcomes", std::move(list)}}.dump();
}

}  // namespace entente::federation
