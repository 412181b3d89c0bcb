#pragma once
// Three partner nodes of one process (BE, FR, MA) over federation::LocalNetwork, on one
// backend: the fixture of the exchange and hit/no-hit tests.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "federation/delivery.h"
#include "federation/local_transport.h"
#include "federation/partner.h"
#include "federation/testing.h"
#include "service/exchange.h"
#include "service/reception.h"
#include "service/use_case_testing.h"
#include "store/test_backends.h"

namespace entente::service::testing {

struct Node {
  std::string country;
  federation::NodeKeys keys;
  std::string dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<federation::Inbox> inbox;
  std::unique_ptr<federation::Deliverer> deliverer;
  ExchangeContext exchange;
};

inline policy::SharingRules Rules(policy::LegalBasis basis, policy::SharingMode mode,
                                  int notice_days, bool minors) {
  policy::SharingRules r;
  r.categories = {model::Category::kTerrorismConvict, model::Category::kForeignTerroristFighter,
                  model::Category::kReturningMinor, model::Category::kRadicalisedPrisoner};
  r.mode = mode;
  r.max_handling_code = model::HandlingCode::kH1;
  r.legal_basis = basis;
  if (basis != policy::LegalBasis::kEuPartner)
    r.legal_basis_reference = "Agreement of 2026 (synthetic)";
  r.release_notice_days = notice_days;
  r.minors_consultations = minors;
  return r;
}

class ExchangeFixture : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  void SetUp() override {
    for (const char* cc : {"BE", "FR", "MA"}) {
      Node& n = nodes_[cc];
      n.country = cc;
      n.keys = federation::testing::MakeKeys(cc);
      auto store = store::OpenTestStore(GetParam(), clock_, &n.dir);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      n.store = std::move(store).value();
      n.inbox = std::make_unique<federation::Inbox>(*n.store, n.keys, clock_, ReceptionHook());
      network_.Attach(cc, n.inbox.get());
      n.deliverer = std::make_unique<federation::Deliverer>(*n.store, n.keys, network_, clock_);
      n.exchange = {&n.keys, &clock_, {}};
    }
    // Everyone knows everyone: EU partners in plaintext; Morocco, a third country, by
    // agreement, hit/no-hit only, without minors' consultations.
    for (auto& [cc, n] : nodes_) {
      for (auto& [other, other_node] : nodes_) {
        if (cc == other) continue;
        const federation::NodeKeys& other_keys = other_node.keys;
        const bool third = other == "MA" || cc == "MA";
        policy::SharingRules rules = third ? Rules(policy::LegalBasis::kAppropriateSafeguards,
                                                   policy::SharingMode::kHitNoHitOnly, 30, false)
                                           : Rules(policy::LegalBasis::kEuPartner,
                                                   policy::SharingMode::kPlaintext, 60, true);
        ASSERT_TRUE(n.store
                        ->Write([&](store::WriteTxn& t) {
                          return t.partners().Put(
                              federation::testing::PartnerOf(other_keys, rules));
                        })
                        .ok());
      }
    }
  }
  void TearDown() override {
    for (auto& [cc, n] : nodes_) {
      n.deliverer.reset();
      n.store.reset();
      if (!n.dir.empty()) std::filesystem::remove_all(n.dir);
    }
  }

  // Runs delivery passes on every node until nothing moves.
  void DeliverAll() {
    for (int round = 0; round < 10; ++round) {
      int moved = 0;
      for (auto& [cc, n] : nodes_) moved += n.deliverer->RunOnce()->delivered;
      if (moved == 0) return;
    }
  }

  Caller CallerOf(const std::string& country, const std::string& role, const std::string& kind,
                  const std::string& designations = "") {
    Caller c = MakeCaller(role, country + "/" + kind, designations);
    c.context.node_country = country;
    return c;
  }

  void Put(const std::string& country, const model::Entity& e) {
    ASSERT_TRUE(nodes_[country]
                    .store->Write([&](store::WriteTxn& t) { return t.subjects().Put(e).status(); })
                    .ok());
  }

  int CountAudit(const std::string& country, const std::string& action,
                 const std::string& fragment) {
    store::AuditQuery q;
    q.limit = 100000;
    int n = 0;
    const auto entries = nodes_[country].store->audit().Read(q);
    EXPECT_TRUE(entries.ok());
    for (const auto& e : *entries) {
      if (e.record.action == action && e.record.details_json.find(fragment) != std::string::npos) {
        ++n;
      }
    }
    return n;
  }

  FakeClock clock_{MicrosOfDay(TestToday())};
  federation::LocalNetwork network_;
  std::map<std::string, Node> nodes_;
};

}  // namespace entente::service::testing
