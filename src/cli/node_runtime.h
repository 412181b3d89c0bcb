#pragma once

#include <memory>
#include <optional>
#include <string>

#include "api/federation_server.h"
#include "api/server.h"
#include "common/clock.h"
#include "common/result.h"
#include "federation/delivery.h"
#include "federation/https_transport.h"
#include "federation/inbox.h"
#include "node/jobs.h"
#include "pprl/encoder.h"
#include "service/auth.h"
#include "service/exchange.h"
#include "service/hit_no_hit.h"
#include "service/live_index.h"
#include "service/node.h"
#include "service/owner_answers.h"
#include "service/partner_indexes.h"
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
  std::string console_dir;     // the web console's built files; "" for none
  // How often partners are notified of coming releases and leaves (0: never).
  int64_t notice_interval_micros = 3600LL * 1'000'000;
  // How often partners' encoded indexes are brought up to date (0: never), and how often the
  // indexes partners sent are reloaded when they changed (hit/no-hit, needs an encoding key).
  int64_t publish_interval_micros = 60LL * 1'000'000;
  int64_t partner_index_refresh_micros = 2LL * 1'000'000;
  // Replicas over one store: how often one that does not lead the background jobs tries to.
  int64_t leader_check_micros = 2LL * 1'000'000;
  federation::DeliveryOptions delivery;
};

// A running node: its API, the daily retention sweep, and, when it has federation keys, its
// federation endpoint (mutual TLS), its inbox, the delivery of its outbox over HTTPS, release
// notices, audit anchoring and, with the encoding key, hit/no-hit. The background work runs on
// node::Jobs.
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
  int federation_port() const { return federation_ ? federation_->server->port() : 0; }
  size_t subjects_screened() const { return index_ ? index_->size() : 0; }
  // The exchange with partners: null without federation keys.
  const service::ExchangeContext* exchange() const {
    return federation_ ? &federation_->exchange : nullptr;
  }
  // Hit/no-hit: null without federation keys or an encoding key.
  const service::HitNoHitContext* hit_no_hit() const {
    return hit_no_hit_ ? &hit_no_hit_->context : nullptr;
  }
  service::PartnerIndexes* partner_indexes() {
    return hit_no_hit_ ? &hit_no_hit_->indexes : nullptr;
  }
  // Answers partners' checks (owner_answers): null without hit/no-hit.
  const service::CheckResponder* check_responder() const {
    return hit_no_hit_ ? &hit_no_hit_->responder : nullptr;
  }
  // Publishes to partners and reloads their indexes now (what the jobs do on their schedule).
  void SyncIndexes() { jobs_->SyncIndexes(); }
  // Whether this process runs the node's background jobs (replicas: one of them does).
  bool leading() const { return jobs_ && jobs_->leading(); }

 private:
  // The exchange with partners: present when the node has its federation keys.
  struct Federation {
    Federation(store::Store& store, federation::NodeKeys node_keys, const Clock& clock,
               const federation::DeliveryOptions& delivery);
    federation::NodeKeys keys;
    federation::Inbox inbox;
    federation::HttpsTransport transport;
    federation::Deliverer deliverer;
    service::ExchangeContext exchange;
    std::unique_ptr<api::FederationServer> server;
  };
  // Hit/no-hit: present when the federation's encoding key is installed too.
  struct HitNoHit {
    HitNoHit(const pprl::EncodingKey& key, const service::ExchangeContext& exchange,
             federation::CheckChannel& checks, store::Store& store);
    pprl::Encoder encoder;
    service::PartnerIndexes indexes;
    service::OwnerIndexes owner_indexes;  // partners whose checks are answered here
    service::HitNoHitContext context;
    service::CheckResponder responder;
  };

  explicit NodeRuntime(const std::string& dir) : paths_(dir) {}

  service::NodePaths paths_;
  service::NodeConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::LiveIndex> index_;
  std::unique_ptr<service::Register> register_;
  std::unique_ptr<service::Authenticator> authenticator_;
  std::optional<Federation> federation_;
  std::optional<HitNoHit> hit_no_hit_;
  std::unique_ptr<node::Jobs> jobs_;
  std::unique_ptr<api::ApiServer> api_;
  bool stopped_ = false;
};

// "HOST:PORT" split; InvalidArgument naming `flag` otherwise.
Status SplitHostPort(const std::string& text, const std::string& flag, std::string* host,
                     int* port);

}  // namespace entente::cli
