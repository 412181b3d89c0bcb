// Signed anchors of the audit log catch what the hash chain alone cannot: a tail rewritten with
// recomputed hashes, or cut off.
#include "service/audit_anchor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "federation/testing.h"
#include "store/audit_chain.h"
#include "store/sql_connection.h"

namespace entente::service {
namespace {

class AuditAnchorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/entente-anchor-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    auto store = store::OpenStore(dir_ + "/register.db", clock_);
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    keys_ = federation::testing::MakeKeys("BE");
    anchors_ = dir_ + "/audit/anchors.jsonl";
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      store::AuditRecord r;
      r.actor = "alice";
      r.action = "read_subject";
      r.justification = "entry " + std::to_string(i);
      ASSERT_TRUE(store_->Write([&](store::WriteTxn& t) { return t.audit().Append(r); }).ok());
      clock_.Advance(1000);
    }
  }
  AnchorVerification Verify() {
    auto v = VerifyAuditAnchors(*store_, "BE", keys_.sign_public, anchors_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AnchorVerification{};
  }
  // Raw SQL below the Store, as a database administrator could.
  std::unique_ptr<store::SqlConnection> Raw() {
    auto raw = store::OpenSqliteConnection(dir_ + "/register.db");
    EXPECT_TRUE(raw.ok());
    EXPECT_TRUE((*raw)
                    ->Execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER "
                              "audit_log_no_delete;")
                    .ok());
    return std::move(raw).value();
  }

  FakeClock clock_{1'790'000'000'000'000};
  std::string dir_;
  std::string anchors_;
  std::unique_ptr<store::Store> store_;
  federation::NodeKeys keys_;
};

TEST_F(AuditAnchorTest, AnchorsHoldOnAnUntouchedLog) {
  EXPECT_FALSE(AnchorAuditLog(*store_, keys_, clock_, anchors_)->has_value());  // empty log
  Append(5);
  auto first = AnchorAuditLog(*store_, keys_, clock_, anchors_);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->seq, 5);
  EXPECT_FALSE(AnchorAuditLog(*store_, keys_, clock_, anchors_)->has_value());  // same head
  Append(3);
  ASSERT_TRUE(AnchorAuditLog(*store_, keys_, clock_, anchors_)->has_value());
  const AnchorVerification v = Verify();
  EXPECT_EQ(v.anchors, 2);
  EXPECT_EQ(v.latest_seq, 8);
  EXPECT_EQ(v.problem, "");
  EXPECT_EQ(std::filesystem::status(anchors_).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
}

TEST_F(AuditAnchorTest, ARewrittenTailWithRecomputedHashesIsCaught) {
  Append(6);
  ASSERT_TRUE(AnchorAuditLog(*store_, keys_, clock_, anchors_)->has_value());
  // Rewrite entry 3's justification and recompute the chain from there: the chain verifies.
  auto raw = Raw();
  store::AuditQuery all;
  all.limit = 100;
  std::vector<store::AuditEntry> entries = *store_->audit().Read(all);
  entries[2].record.justification = "nothing to see";
  std::string prev = entries[1].hash;
  for (size_t i = 2; i < entries.size(); ++i) {
    entries[i].prev_hash = prev;
    entries[i].hash = store::ComputeAuditHash(entries[i]);
    prev = entries[i].hash;
    ASSERT_TRUE(raw->Query("UPDATE audit_log SET justification = $1, prev_hash = $2, hash = $3 "
                           "WHERE seq = $4",
                           {entries[i].record.justification, entries[i].prev_hash, entries[i].hash,
                            entries[i].seq})
                    .ok());
  }
  auto chain = store_->VerifyAuditChain();
  ASSERT_TRUE(chain.ok());
  EXPECT_FALSE(chain->first_broken_seq.has_value());  // the chain alone is fooled
  EXPECT_EQ(Verify().problem,
            "entry 6 differs from its signed anchor (the log was rewritten up to it)");
}

TEST_F(AuditAnchorTest, ACutTailIsCaught) {
  Append(4);
  ASSERT_TRUE(AnchorAuditLog(*store_, keys_, clock_, anchors_)->has_value());
  ASSERT_TRUE(Raw()->Query("DELETE FROM audit_log WHERE seq > 2", {}).ok());
  EXPECT_FALSE(store_->VerifyAuditChain()->first_broken_seq.has_value());
  EXPECT_EQ(Verify().problem,
            "entry 4 was anchored but is no longer in the log (its tail was cut)");
}

TEST_F(AuditAnchorTest, ForgedAndMalformedAnchorsAreRefused) {
  Append(2);
  const federation::NodeKeys other = federation::testing::MakeKeys("BE");
  ASSERT_TRUE(AnchorAuditLog(*store_, other, clock_, anchors_)->has_value());
  EXPECT_NE(Verify().problem.find("is not signed by this node's key"), std::string::npos);
  std::ofstream(anchors_, std::ios::app) << "{not json\n";
  auto v = VerifyAuditAnchors(*store_, "BE", keys_.sign_public, anchors_);
  EXPECT_EQ(v.status().message(), anchors_ + ":2: not an audit anchor");
}

}  // namespace
}  // namespace entente::service
