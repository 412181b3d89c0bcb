// The hit/no-hit tables (hit_records.h) on both backends.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/store.h"
#include "store/test_backends.h"

namespace entente::store {
namespace {

constexpr int64_t kStart = 1'790'000'000'000'000;
constexpr int64_t kHour = 3'600'000'000;

class HitStoreTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override {
    clock_.Set(kStart);
    auto opened = OpenTestStore(GetParam(), clock_, &temp_dir_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_);
  }

  Status W(const std::function<Status(WriteTxn&)>& fn) { return store_->Write(fn); }

  FakeClock clock_;
  std::string temp_dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(HitStoreTest, PublicationAndPublishedEntries) {
  EXPECT_EQ(store_->indexes().GetPublication("FR").status().code(), StatusCode::kNotFound);
  const IndexPublication p{"FR", 2, 1, 3, 40, 2, kStart};
  const PublishedEntry a{"FR", "BE-1", "ref-a", "d1"}, b{"FR", "BE-2", "ref-b", "d2"};
  ASSERT_TRUE(
      W([&](WriteTxn& txn) -> Status {
        ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPublication(p));
        ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPublished(b));
        ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPublished(a));
        return txn.indexes().PutPublished({"MA", "BE-1", "ref-a", "d1"});  // another partner
      }).ok());
  EXPECT_EQ(*store_->indexes().GetPublication("FR"), p);
  EXPECT_EQ(*store_->indexes().ListPublished("FR"), (std::vector<PublishedEntry>{a, b}));
  EXPECT_EQ(*store_->indexes().FindPublished("FR", "ref-b"), b);
  EXPECT_EQ(store_->indexes().FindPublished("ES", "ref-b").status().code(), StatusCode::kNotFound);

  // A changed record keeps its reference; a reference is one subject's per partner.
  ASSERT_TRUE(W([&](WriteTxn& txn) {
                return txn.indexes().PutPublished({"FR", "BE-1", "ref-a", "d9"});
              }).ok());
  EXPECT_EQ(store_->indexes().FindPublished("FR", "ref-a")->digest, "d9");
  EXPECT_EQ(W([&](WriteTxn& txn) {
              return txn.indexes().PutPublished({"FR", "BE-3", "ref-a", "d3"});
            }).code(),
            StatusCode::kAlreadyExists);

  ASSERT_TRUE(W([&](WriteTxn& txn) { return txn.indexes().DeletePublished("FR", "BE-2"); }).ok());
  EXPECT_EQ(W([&](WriteTxn& txn) { return txn.indexes().DeletePublished("FR", "BE-2"); }).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(W([&](WriteTxn& txn) { return txn.indexes().DeleteAllPublished("FR"); }).ok());
  EXPECT_TRUE(store_->indexes().ListPublished("FR")->empty());
  EXPECT_EQ(store_->indexes().ListPublished("MA")->size(), 1u);
}

TEST_P(HitStoreTest, PartnerIndexGenerations) {
  EXPECT_EQ(store_->indexes().GetPartnerIndex("BE").status().code(), StatusCode::kNotFound);
  PartnerIndexState state{"BE", 1, 2, 1, 1, 1, 0, "", kStart};
  ASSERT_TRUE(W([&](WriteTxn& txn) -> Status {
                ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPartnerIndex(state));
                for (int i = 0; i < 5; ++i) {
                  ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPartnerEntry(
                      "BE", 1, {"ref-old" + std::to_string(i), "BE/police", "code"}));
                }
                for (int i = 0; i < 3; ++i) {
                  ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPartnerEntry(
                      "BE", 2, {"ref-" + std::to_string(i), "BE/police", "c" + std::to_string(i)}));
                }
                // Replaced, not added.
                ENTENTE_RETURN_IF_ERROR(
                    txn.indexes().PutPartnerEntry("BE", 2, {"ref-1", "BE/intelligence", "new"}));
                ENTENTE_ASSIGN_OR_RETURN(int64_t n, txn.indexes().CountPartnerEntries("BE", 2));
                if (n != 3) return Internal("expected 3 entries, got " + std::to_string(n));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(*store_->indexes().GetPartnerIndex("BE"), state);
  EXPECT_EQ(store_->indexes().ListPartnerIndexes()->size(), 1u);

  // Paged by reference.
  auto page = store_->indexes().ListPartnerEntries("BE", 2, "", 2);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[1], (PartnerIndexEntry{"ref-1", "BE/intelligence", "new"}));
  page = store_->indexes().ListPartnerEntries("BE", 2, "ref-1", 2);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].reference, "ref-2");

  ASSERT_TRUE(
      W([&](WriteTxn& txn) { return txn.indexes().DeletePartnerEntry("BE", 2, "ref-0"); }).ok());
  EXPECT_EQ(
      W([&](WriteTxn& txn) { return txn.indexes().DeletePartnerEntry("BE", 2, "ref-0"); }).code(),
      StatusCode::kNotFound);
  // The new generation complete: the old one goes.
  ASSERT_TRUE(
      W([&](WriteTxn& txn) { return txn.indexes().DeletePartnerEntriesExcept("BE", 2); }).ok());
  EXPECT_TRUE(store_->indexes().ListPartnerEntries("BE", 1, "", 100)->empty());
  EXPECT_EQ(store_->indexes().ListPartnerEntries("BE", 2, "", 100)->size(), 2u);
}

TEST_P(HitStoreTest, HitsBothWays) {
  HitRecord out{"hit-1", HitDirection::kOut, "BE",   "ref-a",  "", "BE/intelligence", "FR/police",
                "alice", 0.912345,           kStart, "msg-n1", ""};
  HitRecord in = out;
  in.direction = HitDirection::kIn;
  in.subject_id = "BE-1";
  in.actor = "";
  HitRecord later = out;
  later.id = "hit-2";
  later.at = kStart + kHour;
  ASSERT_TRUE(W([&](WriteTxn& txn) -> Status {
                ENTENTE_RETURN_IF_ERROR(txn.hits().Insert(out));
                ENTENTE_RETURN_IF_ERROR(txn.hits().Insert(in));  // same id, other direction
                return txn.hits().Insert(later);
              }).ok());
  EXPECT_EQ(W([&](WriteTxn& txn) { return txn.hits().Insert(out); }).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(*store_->hits().Get("hit-1", HitDirection::kIn), in);
  auto listed = store_->hits().List(HitDirection::kOut, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "hit-2");  // most recent first
  EXPECT_DOUBLE_EQ((*listed)[1].score, 0.912345);

  ASSERT_TRUE(W([&](WriteTxn& txn) { return txn.hits().SetFollowUp("hit-1", "msg-f"); }).ok());
  EXPECT_EQ(store_->hits().Get("hit-1", HitDirection::kOut)->followup_id, "msg-f");
  EXPECT_EQ(store_->hits().Get("hit-1", HitDirection::kIn)->followup_id, "");
  EXPECT_EQ(W([&](WriteTxn& txn) { return txn.hits().SetFollowUp("hit-9", "msg-f"); }).code(),
            StatusCode::kNotFound);
}

TEST_P(HitStoreTest, FollowUpsAreDecidedOnce) {
  FollowUp f{"msg-r1", "FR", "FR/police", "ref-a", "BE-1", "hit-1", kStart, kStart + 48 * kHour,
             "",       "",   0,           "",      ""};
  FollowUp g = f;
  g.message_id = "msg-r2";
  g.received_at = kStart + kHour;
  ASSERT_TRUE(W([&](WriteTxn& txn) -> Status {
                ENTENTE_RETURN_IF_ERROR(txn.hits().InsertFollowUp(g));
                return txn.hits().InsertFollowUp(f);
              }).ok());
  EXPECT_EQ(W([&](WriteTxn& txn) { return txn.hits().InsertFollowUp(f); }).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(*store_->hits().GetFollowUp("msg-r1"), f);
  FollowUp decided = f;
  decided.decision = "released";
  decided.decided_by = "bob";
  decided.decided_at = kStart + 2 * kHour;
  decided.reason = "core data";
  decided.reply_id = "msg-reply";
  ASSERT_TRUE(W([&](WriteTxn& txn) { return txn.hits().DecideFollowUp(decided); }).ok());
  EXPECT_EQ(*store_->hits().GetFollowUp("msg-r1"), decided);
  FollowUp again = decided;
  again.decision = "refused";
  const Status twice = W([&](WriteTxn& txn) { return txn.hits().DecideFollowUp(again); });
  EXPECT_EQ(twice.code(), StatusCode::kFailedPrecondition) << twice.ToString();
  EXPECT_NE(twice.message().find("already decided (released)"), std::string::npos);
  FollowUp missing = decided;
  missing.message_id = "msg-none";
  EXPECT_EQ(W([&](WriteTxn& txn) { return txn.hits().DecideFollowUp(missing); }).code(),
            StatusCode::kNotFound);

  EXPECT_EQ(store_->hits().ListFollowUps(false, 10)->size(), 2u);
  EXPECT_EQ(*store_->hits().CountOverdueFollowUps(kStart + 47 * kHour), 0);
  EXPECT_EQ(*store_->hits().CountOverdueFollowUps(kStart + 50 * kHour), 1) << "one decided";
  auto pending = store_->hits().ListFollowUps(true, 10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].message_id, "msg-r2");
}

// Index updates done with lose their bulk; pending ones and other messages keep theirs.
TEST_P(HitStoreTest, IndexUpdatesArePrunedOnceDoneWith) {
  auto message = [](const std::string& id, MessageDirection direction, const std::string& type) {
    StoredMessage m;
    m.id = id;
    m.direction = direction;
    m.case_id = "case-" + id;
    m.type = type;
    m.sender = "BE/node";
    m.recipients = "FR/node";
    m.priority = "routine";
    m.created_at = kStart;
    m.document = "{\"bulk\": \"" + std::string(1000, 'x') + "\"}";
    return m;
  };
  int64_t delivered = 0;
  ASSERT_TRUE(W([&](WriteTxn& txn) -> Status {
                for (const StoredMessage& m :
                     {message("sent-delivered", MessageDirection::kOut, "index_update"),
                      message("sent-pending", MessageDirection::kOut, "index_update"),
                      message("received", MessageDirection::kIn, "index_update"),
                      message("request", MessageDirection::kIn, "request")}) {
                  ENTENTE_RETURN_IF_ERROR(txn.messages().Insert(m).status());
                }
                OutboxEntry e;
                e.recipient = "FR";
                e.envelope = "sealed";
                e.next_attempt_at = kStart;
                e.message_id = "sent-delivered";
                ENTENTE_ASSIGN_OR_RETURN(delivered, txn.outbox().Enqueue(e));
                ENTENTE_RETURN_IF_ERROR(txn.outbox().MarkDelivered(delivered, "receipt", kStart));
                e.message_id = "sent-pending";
                return txn.outbox().Enqueue(e).status();
              }).ok());
  // Nothing is old enough yet.
  int64_t pruned = -1;
  ASSERT_TRUE(W([&](WriteTxn& txn) -> Status {
                ENTENTE_ASSIGN_OR_RETURN(pruned, txn.messages().PruneIndexUpdates(kStart - kHour));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(pruned, 0);
  clock_.Set(kStart + 48 * kHour);
  ASSERT_TRUE(W([&](WriteTxn& txn) -> Status {
                ENTENTE_ASSIGN_OR_RETURN(pruned,
                                         txn.messages().PruneIndexUpdates(kStart + 24 * kHour));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(pruned, 2);
  EXPECT_EQ(store_->messages().Get("sent-delivered", MessageDirection::kOut)->document, "");
  EXPECT_EQ(store_->messages().Get("received", MessageDirection::kIn)->document, "");
  EXPECT_NE(store_->messages().Get("sent-pending", MessageDirection::kOut)->document, "");
  EXPECT_NE(store_->messages().Get("request", MessageDirection::kIn)->document, "");
  const auto outbox = store_->outbox().List(OutboxQuery());
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 2u);
  for (const OutboxEntry& e : *outbox) {
    EXPECT_EQ(e.envelope.empty(), e.seq == delivered) << e.message_id;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, HitStoreTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         [](const ::testing::TestParamInfo<TestBackend>& backend) {
                           return std::string(TestBackendName(backend.param));
                         });

}  // namespace
}  // namespace entente::store
