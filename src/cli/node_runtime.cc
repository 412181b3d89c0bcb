#include "cli/node_runtime.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "service/reception.h"

namespace entente::cli {

Status SplitHostPort(const std::string& text, const std::string& flag, std::string* host,
                     int* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument(flag + " " + text + ": expected HOST:PORT");
  }
  *host = text.substr(0, colon);
  char* end = nullptr;
  const long value = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || value < 0 || value > 65535 || colon + 1 == text.size()) {
    return InvalidArgument(flag + " " + text + ": the port must be 0 to 65535");
  }
  *port = static_cast<int>(value);
  return Status::Ok();
}

NodeRuntime::Federation::Federation(store::Store& store, federation::NodeKeys node_keys,
                                    const Clock& clock, const federation::DeliveryOptions& delivery)
    : keys(std::move(node_keys)),
      inbox(store, keys, clock, service::ReceptionHook()),
      transport(keys),
      deliverer(store, keys, transport, clock, delivery),
      exchange{&keys, &clock, [this] { deliverer.Wake(); }} {}

NodeRuntime::HitNoHit::HitNoHit(const pprl::EncodingKey& key,
                                const service::ExchangeContext& exchange,
                                federation::CheckChannel& checks, store::Store& store)
    : encoder(key),
      indexes(key),
      owner_indexes(key, encoder, exchange.keys->country),
      context{exchange, &encoder, &checks},
      responder(store, context, owner_indexes) {}

Result<std::unique_ptr<NodeRuntime>> NodeRuntime::Start(const RuntimeOptions& options,
                                                        const Clock& clock) {
  std::unique_ptr<NodeRuntime> node(new NodeRuntime(options.dir));
  ENTENTE_ASSIGN_OR_RETURN(node->config_, service::LoadNodeConfig(node->paths_));
  std::string host;
  int port = 0;
  ENTENTE_RETURN_IF_ERROR(SplitHostPort(
      options.listen.empty() ? node->config_.listen : options.listen, "--listen", &host, &port));
  ENTENTE_ASSIGN_OR_RETURN(
      node->store_, service::OpenNodeStore(node->paths_, node->config_, clock, options.store));
  service::LiveIndexOptions index_options;
  index_options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  index_options.clock = &clock;
  // The screening index of the whole register: seconds for a large one, so it is said.
  spdlog::info("building the screening index of the register of {}...", node->config_.country);
  const int64_t index_start = clock.MonotonicMicros();
  ENTENTE_ASSIGN_OR_RETURN(node->index_, service::LiveIndex::Open(*node->store_, index_options));
  spdlog::info("screening index built: {} subjects in {:.1f} s", node->index_->size(),
               static_cast<double>(clock.MonotonicMicros() - index_start) / 1e6);
  node->register_ = std::make_unique<service::Register>(*node->store_, *node->index_, clock);
  node->authenticator_ = std::make_unique<service::Authenticator>(*node->store_, clock);
  node::JobOptions job_options;
  job_options.notices = std::chrono::microseconds(options.notice_interval_micros);
  job_options.publish = std::chrono::microseconds(options.publish_interval_micros);
  job_options.refresh = std::chrono::microseconds(options.partner_index_refresh_micros);
  job_options.leader_check = std::chrono::microseconds(options.leader_check_micros);
  // Replicas over one store: the background jobs run on the one that holds the lead.
  node->jobs_ = std::make_unique<node::Jobs>(
      *node->store_, clock, node->config_.country, job_options,
      store::NewLeadership(service::NodeStoreLocation(node->paths_, node->config_, options.store)));

  // The federation, when the node has its keys and certificate.
  const bool has_keys = std::filesystem::exists(node->paths_.signing_key) &&
                        std::filesystem::exists(node->paths_.tls_cert);
  if (has_keys) {
    ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                             service::LoadNodeKeys(node->paths_, node->config_));
    Federation& fed =
        node->federation_.emplace(*node->store_, std::move(keys), clock, options.delivery);
    // Hit/no-hit, when the federation's encoding key is installed.
    auto key = service::LoadEncodingKey(node->paths_);
    if (key.ok()) {
      HitNoHit& hnh = node->hit_no_hit_.emplace(*key, fed.exchange, fed.transport, *node->store_);
      if (Status loaded = hnh.indexes.Refresh(*node->store_); !loaded.ok()) {
        spdlog::warn("partner indexes: {}", loaded.ToString());
      }
      if (Status loaded = hnh.owner_indexes.Refresh(*node->store_); !loaded.ok()) {
        spdlog::warn("indexes for checks answered here: {}", loaded.ToString());
      }
      node->jobs_->AddHitNoHit(hnh.context, hnh.indexes, &hnh.owner_indexes);
    } else if (key.status().code() != StatusCode::kNotFound) {
      return key.status();
    }
    api::FederationServer::Options server;
    ENTENTE_RETURN_IF_ERROR(SplitHostPort(options.federation_listen.empty()
                                              ? node->config_.federation_listen
                                              : options.federation_listen,
                                          "--federation-listen", &server.host, &server.port));
    server.tls_cert = node->paths_.tls_cert;
    server.tls_key = node->paths_.tls_key;
    server.checks = node->hit_no_hit_ ? &node->hit_no_hit_->responder : nullptr;
    ENTENTE_ASSIGN_OR_RETURN(fed.server,
                             api::FederationServer::Create(*node->store_, fed.inbox, server));
    ENTENTE_RETURN_IF_ERROR(fed.server->Start());
    node->jobs_->AddDelivery(fed.deliverer);  // started with the lead
    node->jobs_->AddAuditAnchoring(fed.keys, node->paths_.audit_anchors);
    node->register_->EnableRecordNotices(&fed.keys);
    node->jobs_->AddReleaseNotices(fed.exchange);
  }

  api::ApiDeps deps;
  deps.subjects = node->register_.get();
  deps.index = node->index_.get();
  deps.store = node->store_.get();
  deps.clock = &clock;
  deps.node_country = node->config_.country;
  service::Authenticator* authenticator = node->authenticator_.get();
  deps.authenticate = [authenticator](std::string_view token) {
    return authenticator->Authenticate(token);
  };
  deps.authenticate_session = [authenticator](std::string_view session_id) {
    return authenticator->AuthenticateSession(session_id);
  };
  deps.exchange = node->exchange();
  deps.hit_no_hit = node->hit_no_hit();
  deps.partner_indexes = node->partner_indexes();
  node::Jobs* jobs = node->jobs_.get();
  deps.jobs_leader = [jobs] { return jobs->leading(); };
  api::ServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.threads = options.threads;
  server_options.metrics_listen = options.metrics_listen;
  server_options.console_dir = options.console_dir;
  if (!options.no_tls) {
    server_options.tls_cert = options.tls_cert.empty() ? node->paths_.tls_cert : options.tls_cert;
    server_options.tls_key = options.tls_key.empty() ? node->paths_.tls_key : options.tls_key;
    if (options.tls_cert.empty() && !std::filesystem::exists(server_options.tls_cert)) {
      server_options.tls_cert.clear();
      server_options.tls_key.clear();
    }
  }
  ENTENTE_ASSIGN_OR_RETURN(node->api_, api::ApiServer::Create(std::move(deps), server_options));
  ENTENTE_RETURN_IF_ERROR(node->api_->Start());
  node->jobs_->Start();
  return node;
}

void NodeRuntime::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (jobs_) jobs_->Stop();  // anchors the log's head as it stands
  if (api_) api_->Stop();
  StopDelivery();
  if (federation_ && federation_->server) federation_->server->Stop();
}

void NodeRuntime::StopDelivery() {
  if (!federation_) return;
  federation_->deliverer.Stop();
  federation_->transport.Close();
}

NodeRuntime::~NodeRuntime() { Stop(); }

}  // namespace entente::cli
