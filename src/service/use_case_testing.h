#pragma once

// Test-only helpers of the service use-case tests: a store on each backend, callers of any role,
// and subjects built by hand. Never included by library code.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "model/date.h"
#include "policy/principal.h"
#include "service/access.h"
#include "store/test_backends.h"

namespace entente::service::testing {

// The day every use-case test runs on, and the matching clock time.
inline model::PartialDate TestToday() { return model::PartialDate::Day(2026, 6, 15); }
inline int64_t MicrosOfDay(const model::PartialDate& day) {
  return day.ToEpochDays() * 86'400'000'000LL + 9 * 3'600'000'000LL;
}

// A caller of node BE on TestToday with a justification; `tier` "" gives consult_and_feed.
inline Caller MakeCaller(const std::string& role, const std::string& agency,
                         const std::string& designations = "",
                         const std::string& tier = "consult_and_feed") {
  policy::UserFields user;
  const std::string id = role + "@" + agency;
  user.id = id;
  user.agency = agency;
  user.role = role;
  user.tier = tier;
  user.designations = designations;
  auto principal = policy::BuildPrincipal(user);
  EXPECT_TRUE(principal.ok()) << principal.status().ToString();
  Caller caller;
  if (principal.ok()) caller.principal = *principal;
  caller.context.node_country = "BE";
  caller.context.today = TestToday();
  caller.context.justification = "follow-up of case 2026-118 on returnees";
  return caller;
}

// A person of the register owned by `owner`, handling code H0 unless set otherwise.
inline model::Entity Subject(const std::string& id, const std::string& name,
                             const std::string& owner = "BE/intelligence",
                             const std::string& birth = "1990-05-05") {
  model::Entity e;
  e.id = id;
  e.Set("name", {name});
  e.Set("birthDate", {birth});
  e.Set("ownerAgency", {owner});
  e.Set("handlingCode", {"H0"});
  return e;
}

// A fixture holding an empty store of the backend under test and a FakeClock on TestToday.
class UseCaseTest : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  void SetUp() override {
    auto store = store::OpenTestStore(GetParam(), clock_, &dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void Put(const model::Entity& e) {
    const Status status =
        store_->Write([&](store::WriteTxn& txn) { return txn.subjects().Put(e).status(); });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
  // The audit entries about `subject_id` ("" for all), in order.
  std::vector<store::AuditEntry> Audit(const std::string& subject_id = "") {
    store::AuditQuery query;
    query.subject_id = subject_id;
    query.limit = 100000;
    auto entries = store_->audit().Read(query);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    return entries.ok() ? *entries : std::vector<store::AuditEntry>{};
  }
  // How many audit entries have `action` and a details_json containing `fragment`.
  int CountAudit(const std::string& action, const std::string& fragment,
                 const std::string& subject_id = "") {
    int n = 0;
    for (const auto& entry : Audit(subject_id)) {
      if (entry.record.action == action &&
          entry.record.details_json.find(fragment) != std::string::npos) {
        ++n;
      }
    }
    return n;
  }

  FakeClock clock_{MicrosOfDay(TestToday())};
  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

inline std::string BackendName(const ::testing::TestParamInfo<store::TestBackend>& info) {
  return std::string(store::TestBackendName(info.param));
}

}  // namespace entente::service::testing
