#include "cli/node_runtime.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "policy/subject_facts.h"
#include "service/release_notices.h"

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

Result<std::unique_ptr<NodeRuntime>> NodeRuntime::Start(const RuntimeOptions& options,
                                                        const Clock& clock) {
  std::unique_ptr<NodeRuntime> node(new NodeRuntime(clock, options.dir));
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
  ENTENTE_ASSIGN_OR_RETURN(node->index_, service::LiveIndex::Open(*node->store_, index_options));
  node->register_ = std::make_unique<service::Register>(*node->store_, *node->index_, clock);
  node->authenticator_ = std::make_unique<service::Authenticator>(*node->store_, clock);

  // The federation, when the node has its keys and certificate.
  const bool has_keys = std::filesystem::exists(node->paths_.signing_key) &&
                        std::filesystem::exists(node->paths_.tls_cert);
  if (has_keys) {
    ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                             service::LoadNodeKeys(node->paths_, node->config_));
    node->keys_ = std::make_unique<federation::NodeKeys>(std::move(keys));
    node->inbox_ = std::make_unique<federation::Inbox>(*node->store_, *node->keys_, clock,
                                                       service::ExchangeAcceptHook());
    node->transport_ = std::make_unique<federation::HttpsTransport>(*node->keys_);
    node->deliverer_ = std::make_unique<federation::Deliverer>(
        *node->store_, *node->keys_, *node->transport_, clock, options.delivery);
    NodeRuntime* self = node.get();
    node->exchange_ = {node->keys_.get(), &clock, [self] {
                         std::lock_guard<std::mutex> lock(self->delivery_mutex_);
                         if (self->deliverer_) self->deliverer_->Wake();
                       }};
    api::FederationServer::Options fed;
    ENTENTE_RETURN_IF_ERROR(SplitHostPort(options.federation_listen.empty()
                                              ? node->config_.federation_listen
                                              : options.federation_listen,
                                          "--federation-listen", &fed.host, &fed.port));
    fed.tls_cert = node->paths_.tls_cert;
    fed.tls_key = node->paths_.tls_key;
    ENTENTE_ASSIGN_OR_RETURN(node->federation_,
                             api::FederationServer::Create(*node->store_, *node->inbox_, fed));
    ENTENTE_RETURN_IF_ERROR(node->federation_->Start());
    node->deliverer_->Start();
    // Hit/no-hit, when the federation's encoding key is installed.
    auto key = service::LoadEncodingKey(node->paths_);
    if (key.ok()) {
      node->encoder_ = std::make_unique<pprl::Encoder>(*key);
      node->partner_indexes_ = std::make_unique<service::PartnerIndexes>(*key);
      node->hit_no_hit_ = {node->exchange_, node->encoder_.get()};
      if (Status loaded = node->partner_indexes_->Refresh(*node->store_); !loaded.ok()) {
        spdlog::warn("partner indexes: {}", loaded.ToString());
      }
    } else if (key.status().code() != StatusCode::kNotFound) {
      return key.status();
    }
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
  deps.exchange = node->exchange();
  deps.hit_no_hit = node->hit_no_hit();
  deps.partner_indexes = node->partner_indexes_.get();
  api::ServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.threads = options.threads;
  server_options.metrics_listen = options.metrics_listen;
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
  if (has_keys) {
    NodeRuntime* runtime = node.get();
    node->notices_ = std::thread([runtime, options] { runtime->MaintenanceLoop(options); });
  }
  return node;
}

void NodeRuntime::Anchor() {
  auto anchored = service::AnchorAuditLog(*store_, *keys_, clock_, paths_.audit_anchors);
  if (!anchored.ok()) spdlog::warn("audit anchor: {}", anchored.status().ToString());
}

void NodeRuntime::SyncIndexes() {
  if (!encoder_) return;
  std::lock_guard<std::mutex> lock(sync_mutex_);
  auto published = service::PublishIndexes(*store_, hit_no_hit_);
  if (!published.ok()) {
    spdlog::warn("index publication: {}", published.status().ToString());
  } else {
    for (const service::PublishReport& r : *published) {
      if (r.updates == 0) continue;
      spdlog::info("index for {}: generation {}{}, {} updates, {} codes, {} removed, {} held",
                   r.partner, r.generation, r.full ? " (full)" : "", r.updates, r.upserts,
                   r.removals, r.entries);
    }
  }
  if (Status s = partner_indexes_->Refresh(*store_); !s.ok()) {
    spdlog::warn("partner indexes: {}", s.ToString());
  }
}

void NodeRuntime::MaintenanceLoop(const RuntimeOptions& options) {
  const int64_t notice_interval_micros = options.notice_interval_micros;
  int64_t next_notices = 0;
  int64_t next_anchor = clock_.MonotonicMicros() + kAnchorIntervalMicros;
  int64_t next_publish = 0;
  int64_t next_refresh = 0;
  int64_t next_prune = 0;
  while (true) {
    const int64_t now = clock_.MonotonicMicros();
    if (encoder_ && now >= next_prune) {
      next_prune = now + kPruneIntervalMicros;
      auto pruned = service::PruneIndexUpdates(*store_, clock_.NowMicros());
      if (!pruned.ok()) {
        spdlog::warn("pruning index updates: {}", pruned.status().ToString());
      } else if (*pruned > 0) {
        spdlog::info("pruned {} index updates done with", *pruned);
      }
    }
    if (encoder_ && options.publish_interval_micros > 0 && now >= next_publish) {
      next_publish = now + options.publish_interval_micros;
      next_refresh = now + options.partner_index_refresh_micros;
      SyncIndexes();
    } else if (encoder_ && options.partner_index_refresh_micros > 0 && now >= next_refresh) {
      next_refresh = now + options.partner_index_refresh_micros;
      if (Status s = partner_indexes_->Refresh(*store_); !s.ok()) {
        spdlog::warn("partner indexes: {}", s.ToString());
      }
    }
    if (notice_interval_micros > 0 && now >= next_notices) {
      next_notices = now + notice_interval_micros;
      auto sweep =
          service::SendReleaseNotices(*store_, exchange_, policy::DayOfMicros(clock_.NowMicros()));
      if (!sweep.ok()) {
        spdlog::warn("release notices: {}", sweep.status().ToString());
      } else if (sweep->sent > 0) {
        spdlog::info("release notices: {} sent, {} withheld", sweep->sent, sweep->withheld.size());
      }
    }
    if (now >= next_anchor) {
      next_anchor = now + kAnchorIntervalMicros;
      Anchor();
    }
    std::unique_lock<std::mutex> lock(notice_mutex_);
    if (notice_wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
      return;
    }
  }
}

void NodeRuntime::Stop() {
  {
    std::lock_guard<std::mutex> lock(notice_mutex_);
    stopping_ = true;
  }
  notice_wake_.notify_all();
  const bool was_running = notices_.joinable();
  if (notices_.joinable()) notices_.join();
  if (api_) api_->Stop();
  if (was_running && keys_) Anchor();  // the head as it stands when the node stops
  StopDelivery();
  if (federation_) federation_->Stop();
}

void NodeRuntime::StopDelivery() {
  std::lock_guard<std::mutex> lock(delivery_mutex_);
  if (deliverer_) deliverer_->Stop();
  deliverer_.reset();
  transport_.reset();
}

NodeRuntime::~NodeRuntime() { Stop(); }

}  // namespace entente::cli
