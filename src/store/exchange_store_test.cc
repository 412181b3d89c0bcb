// The federation's tables (exchange_records.h) on both backends.
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

class ExchangeStoreTest : public ::testing::TestWithParam<TestBackend> {
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

  static Partner MakePartner(const std::string& country, const std::string& fingerprint) {
    Partner p;
    p.country = country;
    p.url = "https://127.0.0.1:9443";
    p.sign_public_key = "sign-" + country;
    p.box_public_key = "box-" + country;
    p.tls_certificate = "-----BEGIN CERTIFICATE-----\n...";
    p.tls_fingerprint = fingerprint;
    p.rules_json = R"({"mode":"plaintext"})";
    return p;
  }

  static StoredMessage MakeMessage(const std::string& id, MessageDirection direction,
                                   const std::string& case_id, const std::string& type,
                                   const std::string& in_reply_to = "",
                                   const std::string& deadline = "") {
    StoredMessage m;
    m.id = id;
    m.direction = direction;
    m.case_id = case_id;
    m.type = type;
    m.sender = "BE/police";
    m.recipients = "FR/police,ES/police";
    m.in_reply_to = in_reply_to;
    m.priority = "routine";
    m.deadline = deadline;
    m.handling_code = "H0";
    m.created_at = kStart - 5;
    m.document = R"({"id":")" + id + R"("})";
    return m;
  }

  FakeClock clock_;
  std::string temp_dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(ExchangeStoreTest, PartnersAreKeptReplacedAndFoundByFingerprint) {
  ASSERT_TRUE(W([](WriteTxn& t) { return t.partners().Put(MakePartner("FR", "aa:bb")); }).ok());
  clock_.Advance(10);
  Partner updated = MakePartner("FR", "aa:cc");
  updated.url = "https://fr.example:9443";
  updated.key_rotation_json = R"({"previous":{"until":1}})";
  ASSERT_TRUE(W([&](WriteTxn& t) { return t.partners().Put(updated); }).ok());
  ASSERT_TRUE(W([](WriteTxn& t) { return t.partners().Put(MakePartner("ES", "ee:ff")); }).ok());

  auto fr = store_->partners().Get("FR");
  ASSERT_TRUE(fr.ok()) << fr.status().ToString();
  EXPECT_EQ(fr->url, "https://fr.example:9443");
  EXPECT_EQ(fr->key_rotation_json, updated.key_rotation_json);
  EXPECT_EQ(fr->created_at, kStart);
  EXPECT_EQ(fr->updated_at, kStart + 10);
  EXPECT_EQ(store_->partners().FindByFingerprint("aa:cc")->country, "FR");
  EXPECT_EQ(store_->partners().FindByFingerprint("aa:bb").status().code(), StatusCode::kNotFound);
  auto all = store_->partners().List();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].country, "ES");
  // Two partners cannot present the same certificate.
  EXPECT_EQ(W([](WriteTxn& t) { return t.partners().Put(MakePartner("MA", "ee:ff")); }).code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(W([](WriteTxn& t) { return t.partners().Delete("ES"); }).ok());
  EXPECT_EQ(store_->partners().Get("ES").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(W([](WriteTxn& t) { return t.partners().Delete("ES"); }).code(), StatusCode::kNotFound);
}

TEST_P(ExchangeStoreTest, TheInboxAcceptsAMessageOnce) {
  const StoredMessage in = MakeMessage("m1", MessageDirection::kIn, "c1", "request");
  int64_t seq = 0;
  ASSERT_TRUE(W([&](WriteTxn& t) -> Status {
                ENTENTE_ASSIGN_OR_RETURN(seq, t.messages().Insert(in));
                return Status::Ok();
              }).ok());
  EXPECT_GT(seq, 0);
  EXPECT_EQ(W([&](WriteTxn& t) { return t.messages().Insert(in).status(); }).code(),
            StatusCode::kAlreadyExists);
  // The same id in the other direction is another record (a node may keep what it sent).
  EXPECT_TRUE(W([&](WriteTxn& t) {
                return t.messages()
                    .Insert(MakeMessage("m1", MessageDirection::kOut, "c1", "request"))
                    .status();
              }).ok());
  auto got = store_->messages().Get("m1", MessageDirection::kIn);
  ASSERT_TRUE(got.ok());
  StoredMessage expected = in;
  expected.seq = seq;
  expected.stored_at = kStart;
  EXPECT_EQ(*got, expected);
}

TEST_P(ExchangeStoreTest, CasesAndUnansweredRequests) {
  ASSERT_TRUE(W([&](WriteTxn& t) -> Status {
                ENTENTE_RETURN_IF_ERROR(t.messages()
                                            .Insert(MakeMessage("r1", MessageDirection::kOut, "c1",
                                                                "request", "", "2026-10-01"))
                                            .status());
                ENTENTE_RETURN_IF_ERROR(t.messages()
                                            .Insert(MakeMessage("r2", MessageDirection::kOut, "c2",
                                                                "request", "", "2026-10-01"))
                                            .status());
                StoredMessage minors = MakeMessage("k1", MessageDirection::kIn, "c3",
                                                   "consultation", "", "2026-12-01");
                minors.minors = true;
                return t.messages().Insert(minors).status();
              }).ok());
  clock_.Advance(100);
  ASSERT_TRUE(W([&](WriteTxn& t) {
                return t.messages()
                    .Insert(MakeMessage("a1", MessageDirection::kIn, "c1", "reply", "r1"))
                    .status();
              }).ok());
  auto overdue = store_->messages().UnansweredBefore("2026-10-02", {"request", "consultation"});
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].id, "r2");
  EXPECT_EQ(store_->messages().UnansweredBefore("2026-12-02", {"consultation"})->size(), 1u);
  EXPECT_EQ(store_->messages().UnansweredBefore("2026-12-02", {})->size(), 0u);

  auto cases = store_->messages().Cases(10);
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  ASSERT_EQ(cases->size(), 3u);
  EXPECT_EQ((*cases)[0], (CaseSummary{"c1", 2, kStart, kStart + 100, false, "request"}));
  const auto minors = std::find_if(cases->begin(), cases->end(),
                                   [](const CaseSummary& c) { return c.case_id == "c3"; });
  ASSERT_NE(minors, cases->end());
  EXPECT_TRUE(minors->minors);

  MessageQuery thread;
  thread.case_id = "c1";
  auto messages = store_->messages().List(thread);
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[1].in_reply_to, "r1");
  MessageQuery replies;
  replies.in_reply_to = "r1";
  replies.direction = MessageDirection::kIn;
  EXPECT_EQ(store_->messages().List(replies)->size(), 1u);
}

TEST_P(ExchangeStoreTest, OutboxEntriesMoveThroughTheirStates) {
  std::vector<int64_t> seqs;
  ASSERT_TRUE(W([&](WriteTxn& t) -> Status {
                for (const char* id : {"m1", "m2", "m3"}) {
                  OutboxEntry e;
                  e.message_id = id;
                  e.recipient = "FR";
                  e.envelope = std::string("envelope of ") + id;
                  e.next_attempt_at = kStart;
                  ENTENTE_ASSIGN_OR_RETURN(int64_t seq, t.outbox().Enqueue(e));
                  seqs.push_back(seq);
                }
                OutboxEntry es;
                es.message_id = "m1";
                es.recipient = "ES";
                es.envelope = "envelope of m1 for ES";
                return t.outbox().Enqueue(es).status();
              }).ok());
  ASSERT_EQ(seqs.size(), 3u);
  EXPECT_LT(seqs[0], seqs[1]);
  OutboxEntry again;
  again.message_id = "m1";
  again.recipient = "FR";
  EXPECT_EQ(W([&](WriteTxn& t) { return t.outbox().Enqueue(again).status(); }).code(),
            StatusCode::kAlreadyExists);

  ASSERT_TRUE(W([&](WriteTxn& t) {
                return t.outbox().MarkDelivered(seqs[0], "receipt 1", kStart + 7);
              }).ok());
  EXPECT_EQ(
      W([&](WriteTxn& t) { return t.outbox().MarkDelivered(seqs[0], "again", kStart + 8); }).code(),
      StatusCode::kFailedPrecondition);
  ASSERT_TRUE(W([&](WriteTxn& t) {
                return t.outbox().MarkAttemptFailed(seqs[1], "connection refused", kStart + 1000,
                                                    false);
              }).ok());
  ASSERT_TRUE(W([&](WriteTxn& t) {
                return t.outbox().MarkAttemptFailed(seqs[2], "refused: bad signature", kStart,
                                                    true);
              }).ok());

  OutboxQuery pending;
  pending.state = OutboxState::kPending;
  pending.recipient = "FR";
  auto queue = store_->outbox().List(pending);
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].seq, seqs[1]);
  EXPECT_EQ((*queue)[0].attempts, 1);
  EXPECT_EQ((*queue)[0].next_attempt_at, kStart + 1000);
  EXPECT_EQ((*queue)[0].last_error, "connection refused");

  OutboxQuery all;
  all.recipient = "FR";
  auto entries = store_->outbox().List(all);
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].state, OutboxState::kDelivered);
  EXPECT_EQ((*entries)[0].receipt, "receipt 1");
  EXPECT_EQ((*entries)[0].delivered_at, kStart + 7);
  EXPECT_EQ((*entries)[2].state, OutboxState::kFailed);

  auto counts = store_->outbox().Count();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->size(), 4u);  // ES pending; FR pending, delivered, failed

  EXPECT_EQ(W([&](WriteTxn& t) { return t.outbox().Requeue(seqs[1], kStart); }).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(W([&](WriteTxn& t) { return t.outbox().Requeue(seqs[2], kStart + 5); }).ok());
  EXPECT_EQ(store_->outbox().List(pending)->size(), 2u);
  EXPECT_EQ(W([&](WriteTxn& t) { return t.outbox().Requeue(999999, kStart); }).code(),
            StatusCode::kNotFound);
}

TEST_P(ExchangeStoreTest, AReleaseNoticeGoesOnceAndIsAcknowledgedOnce) {
  ReleaseNotice n{"S1", "planned_release", "2026-12-01", "FR", "msg-1", "case-1", kStart, 0, ""};
  ASSERT_TRUE(W([&](WriteTxn& t) { return t.notices().Put(n); }).ok());
  ReleaseNotice dup = n;
  dup.message_id = "msg-2";
  EXPECT_EQ(W([&](WriteTxn& t) { return t.notices().Put(dup); }).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->notices().List(true, 10)->size(), 1u);
  EXPECT_EQ(*store_->notices().CountUnacknowledged(), 1);
  ASSERT_TRUE(W([&](WriteTxn& t) {
                return t.notices().Acknowledge("msg-1", kStart + 50, "FR/police");
              }).ok());
  ASSERT_TRUE(W([&](WriteTxn& t) {
                return t.notices().Acknowledge("msg-1", kStart + 90, "FR/intelligence");
              }).ok());
  auto got = store_->notices().Get("S1", "planned_release", "2026-12-01", "FR");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->acknowledged_at, kStart + 50);
  EXPECT_EQ(got->acknowledged_by, "FR/police");
  EXPECT_EQ(store_->notices().List(true, 10)->size(), 0u);
  EXPECT_EQ(*store_->notices().CountUnacknowledged(), 0);
  EXPECT_EQ(store_->notices().List(false, 10)->size(), 1u);
  EXPECT_EQ(W([&](WriteTxn& t) { return t.notices().Acknowledge("nope", kStart, "x"); }).code(),
            StatusCode::kNotFound);
}

TEST_P(ExchangeStoreTest, AFailedTransactionKeepsNeitherMessageNorOutboxEntry) {
  Status status = W([&](WriteTxn& t) -> Status {
    ENTENTE_RETURN_IF_ERROR(
        t.messages().Insert(MakeMessage("m9", MessageDirection::kOut, "c9", "alert")).status());
    OutboxEntry e;
    e.message_id = "m9";
    e.recipient = "FR";
    e.envelope = "x";
    ENTENTE_RETURN_IF_ERROR(t.outbox().Enqueue(e).status());
    return Internal("the change that caused it failed");
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(store_->messages().Get("m9", MessageDirection::kOut).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->outbox().List({})->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ExchangeStoreTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         [](const ::testing::TestParamInfo<TestBackend>& backend) {
                           return std::string(TestBackendName(backend.param));
                         });

}  // namespace
}  // namespace entente::store
