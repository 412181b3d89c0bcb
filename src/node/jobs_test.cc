#include "node/jobs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "store/test_backends.h"

namespace entente::node {
namespace {

constexpr int64_t kDay = 86'400'000'000LL;
constexpr int64_t kStart = 1'790'000'000'000'000;  // 2026-09-21

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenTestStore(store::TestBackend::kSqlite, clock_, &dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void Put(const std::string& id, const std::string& retention) {
    model::Entity e;
    e.id = id;
    e.Set("name", {"Karim Idrissi"});
    e.Set("ownerAgency", {"BE/police"});
    e.Set("retentionDate", {retention});
    ASSERT_TRUE(
        store_->Write([&](store::WriteTxn& txn) { return txn.subjects().Put(e).status(); }).ok());
  }
  store::SubjectState StateOf(const std::string& id) { return store_->subjects().Get(id)->state; }

  FakeClock clock_{kStart};
  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

// The node's duty: past its retention limit a subject is restricted, by the node itself, once a
// day whatever the restarts.
TEST_F(JobsTest, TheRetentionSweepRunsOnceADay) {
  Put("S1", "2026-09-01");  // past
  Put("S2", "2026-09-22");  // tomorrow
  Jobs jobs(*store_, clock_, "BE");
  EXPECT_TRUE(jobs.SweepRetentionOncePerDay());
  EXPECT_EQ(StateOf("S1"), store::SubjectState::kRestricted);
  EXPECT_EQ(StateOf("S2"), store::SubjectState::kActive);
  EXPECT_FALSE(jobs.SweepRetentionOncePerDay());  // the same day: nothing
  Jobs restarted(*store_, clock_, "BE");
  EXPECT_FALSE(restarted.SweepRetentionOncePerDay());  // a restart does not repeat the day
  clock_.Advance(2 * kDay);
  EXPECT_TRUE(restarted.SweepRetentionOncePerDay());
  EXPECT_EQ(StateOf("S2"), store::SubjectState::kRestricted);
  // Audited as the node's own sweep.
  store::AuditQuery query;
  query.subject_id = "S1";
  auto audit = store_->audit().Read(query);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->back().record.actor, "system:retention");
}

TEST_F(JobsTest, StartedJobsRunTheSweepAndStop) {
  Put("S1", "2026-09-01");
  JobOptions options;
  options.retention_first = std::chrono::microseconds(1000);
  {
    Jobs jobs(*store_, clock_, "BE", options);
    jobs.Start();
    for (int i = 0; i < 500 && StateOf("S1") != store::SubjectState::kRestricted; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    jobs.Stop();
  }
  EXPECT_EQ(StateOf("S1"), store::SubjectState::kRestricted);
}

// Replicas: the jobs run on the process that holds the lead; when it goes, another takes them.
TEST_F(JobsTest, OnlyTheLeaderRunsTheJobsAndAnotherTakesThemOver) {
  Put("S1", "2026-09-01");
  const std::string lock = dir_ + "/replicas";
  JobOptions slow;  // the leader would sweep in five minutes
  slow.leader_check = std::chrono::milliseconds(5);
  auto leader = std::make_unique<Jobs>(*store_, clock_, "BE", slow, store::NewLeadership(lock));
  JobOptions eager = slow;  // the standby would sweep at once
  eager.retention_first = std::chrono::microseconds(1000);
  eager.retention_check = std::chrono::milliseconds(5);
  Jobs standby(*store_, clock_, "BE", eager, store::NewLeadership(lock));
  leader->Start();
  standby.Start();
  EXPECT_TRUE(leader->leading());
  EXPECT_FALSE(standby.leading());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(StateOf("S1"), store::SubjectState::kActive) << "a standby swept";
  EXPECT_FALSE(standby.leading());

  leader.reset();  // stops and gives the lead up, as a process that dies
  for (int i = 0; i < 500 && StateOf("S1") != store::SubjectState::kRestricted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(standby.leading());
  EXPECT_EQ(StateOf("S1"), store::SubjectState::kRestricted);
  standby.Stop();
}

}  // namespace
}  // namespace entente::node
