#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/federation_server.h"
#include "api/server.h"
#include "common/clock.h"
#include "common/result.h"
#include "federation/delivery.h"
#include "federation/https_transport.h"
#include "federation/inbox.h"
#include "service/audit_anchor.h"
#include "service/auth.h"
#include "service/exchange.h"
#include "service/hit_no_hit.h"
#include "service/live_index.h"
#include "service/node.h"
#include "service/register.h"

namespace entente::cli {

// How to run a node (`entente serve`, and each node of `entente demo`).
struct RuntimeOptions {
  std::string dir;
  std::string listen;             // "" for node.json's
  std::string federation_listen;  // "" for node.json's
  std::string store;              // "" for node.json's
  std::string tls_cert;           // "" for the node's tls/cert.pem
  std::string tls_key;
  bool no_tls = false;
  int threads = 16;            // workers running requests
  std::string metrics_listen;  // "" for none: /metrics then needs a token
  // How often partners are notified of coming releases and leaves (0: never).
  int64_t notice_interval_micros = 3600LL * 1'000'000;
  // How often partners' encoded indexes are brought up to date (0: never), and how often the
  // indexes partners sent are reloaded when they changed (hit/no-hit, needs an encoding key).
  int64_t publish_interval_micros = 60LL * 1'000'000;
  int64_t partner_index_refresh_micros = 2LL * 1'000'000;
  federation::DeliveryOptions delivery;
};

// A running node: its API, and, when it has federation keys, its federation endpoint (mutual
// TLS), its inbox, the delivery of its outbox over HTTPS, and the release-notice sweep.
class NodeRuntime {
 public:
  static Result<std::unique_ptr<NodeRuntime>> Start(const RuntimeOptions& options,
                                                    const Clock& clock = SystemClock());
  ~NodeRuntime();
  void Stop();
  // Stops delivering and closes the connections to partners (a partner's endpoint then stops
  // without waiting for them to time out).
  void StopDelivery();

  const service::NodeConfig& config() const { return config_; }
  const service::NodePaths& paths() const { return paths_; }
  store::Store& store() { return *store_; }
  int api_port() const { return api_ ? api_->port() : 0; }
  bool api_tls() const { return api_ && api_->tls(); }
  int federation_port() const { return federation_ ? federation_->port() : 0; }
  size_t subjects_screened() const { return index_ ? index_->size() : 0; }
  const service::ExchangeContext* exchange() const { return keys_ ? &exchange_ : nullptr; }
  federation::Deliverer* deliverer() { return deliverer_.get(); }
  // Hit/no-hit: null without federation keys or an encoding key.
  const service::HitNoHitContext* hit_no_hit() const { return encoder_ ? &hit_no_hit_ : nullptr; }
  service::PartnerIndexes* partner_indexes() { return partner_indexes_.get(); }
  // Publishes to partners and reloads their indexes now (what the maintenance loop does on its
  // schedule).
  void SyncIndexes();

 private:
  explicit NodeRuntime(const Clock& clock, const std::string& dir) : clock_(clock), paths_(dir) {}
  // Release notices every `notice_interval_micros` (0: never) and audit anchors every
  // kAnchorIntervalMicros, until Stop.
  void MaintenanceLoop(const RuntimeOptions& options);
  void Anchor();
  static constexpr int64_t kAnchorIntervalMicros = 600LL * 1'000'000;
  // How often index updates done with are pruned (service::PruneIndexUpdates).
  static constexpr int64_t kPruneIntervalMicros = 3600LL * 1'000'000;

  const Clock& clock_;
  service::NodePaths paths_;
  service::NodeConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::LiveIndex> index_;
  std::unique_ptr<service::Register> register_;
  std::unique_ptr<service::Authenticator> authenticator_;
  std::unique_ptr<federation::NodeKeys> keys_;
  service::ExchangeContext exchange_;
  std::unique_ptr<federation::Inbox> inbox_;
  std::unique_ptr<pprl::Encoder> encoder_;
  std::unique_ptr<service::PartnerIndexes> partner_indexes_;
  service::HitNoHitContext hit_no_hit_;
  std::mutex sync_mutex_;  // one SyncIndexes at a time
  std::unique_ptr<federation::HttpsTransport> transport_;
  std::mutex delivery_mutex_;  // guards deliverer_ against Wake during StopDelivery
  std::unique_ptr<federation::Deliverer> deliverer_;
  std::unique_ptr<api::FederationServer> federation_;
  std::unique_ptr<api::ApiServer> api_;
  std::mutex notice_mutex_;
  std::condition_variable notice_wake_;
  bool stopping_ = false;
  std::thread notices_;
};

// "HOST:PORT" split; InvalidArgument naming `flag` otherwise.
Status SplitHostPort(const std::string& text, const std::string& flag, std::string* host,
                     int* port);

}  // namespace entente::cli
