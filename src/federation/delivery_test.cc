// Outbox to inbox between two nodes of one process (LocalNetwork), with a fake clock.
#include "federation/delivery.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "federation/inbox.h"
#include "federation/local_transport.h"
#include "federation/outbox.h"
#include "federation/testing.h"
#include "store/test_backends.h"

namespace entente::federation {
namespace {

constexpr int64_t kStart = 1'790'000'000'000'000;
constexpr int64_t kSecond = 1'000'000;

struct TestNode {
  NodeKeys keys;
  std::string temp_dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Inbox> inbox;
};

// Fails the transport's answer after the recipient stored the batch: the receipts are lost.
class LosingTransport final : public Transport {
 public:
  explicit LosingTransport(Transport& inner) : inner_(inner) {}
  Result<std::vector<DeliveryOutcome>> Deliver(const store::Partner& partner,
                                               const std::vector<std::string>& envelopes) override {
    auto outcomes = inner_.Deliver(partner, envelopes);
    if (lose_next_) {
      lose_next_ = false;
      return IoError("connection reset while reading the answer");
    }
    return outcomes;
  }
  bool lose_next_ = false;

 private:
  Transport& inner_;
};

class DeliveryTest : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  void SetUp() override {
    clock_.Set(kStart);
    for (TestNode* node : {&be_, &fr_}) {
      auto opened = store::OpenTestStore(GetParam(), clock_, &node->temp_dir);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      node->store = std::move(opened).value();
    }
    be_.keys = testing::MakeKeys("BE");
    fr_.keys = testing::MakeKeys("FR");
    ASSERT_TRUE(be_.store
                    ->Write([&](store::WriteTxn& t) {
                      return t.partners().Put(testing::PartnerOf(fr_.keys));
                    })
                    .ok());
    ASSERT_TRUE(fr_.store
                    ->Write([&](store::WriteTxn& t) {
                      return t.partners().Put(testing::PartnerOf(be_.keys));
                    })
                    .ok());
    for (TestNode* node : {&be_, &fr_}) {
      node->inbox = std::make_unique<Inbox>(*node->store, node->keys, clock_);
      network_.Attach(node->keys.country, node->inbox.get());
    }
  }
  void TearDown() override {
    for (TestNode* node : {&be_, &fr_}) {
      node->store.reset();
      if (!node->temp_dir.empty()) std::filesystem::remove_all(node->temp_dir);
    }
  }

  // Posts `n` messages of one case from BE to FR; returns their ids in order.
  std::vector<std::string> Post(int n) {
    std::vector<std::string> ids;
    const std::string case_id = NewCaseId();
    Status status = be_.store->Write([&](store::WriteTxn& t) -> Status {
      for (int i = 0; i < n; ++i) {
        Message m = testing::MakeMessage("BE/police", "FR/police", clock_.NowMicros(), case_id);
        ENTENTE_RETURN_IF_ERROR(PostMessage(t, m, be_.keys, clock_.NowMicros()).status());
        ids.push_back(m.id);
      }
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return ids;
  }

  std::vector<std::string> Received() {
    store::MessageQuery q;
    q.direction = store::MessageDirection::kIn;
    q.limit = 10000;
    std::vector<std::string> ids;
    const auto messages = fr_.store->messages().List(q);
    EXPECT_TRUE(messages.ok());
    for (const store::StoredMessage& m : *messages) ids.push_back(m.id);
    return ids;
  }

  std::vector<store::OutboxEntry> Outbox(std::optional<store::OutboxState> state) {
    store::OutboxQuery q;
    q.state = state;
    q.limit = 10000;
    return *be_.store->outbox().List(q);
  }

  FakeClock clock_;
  TestNode be_, fr_;
  LocalNetwork network_;
};

TEST_P(DeliveryTest, MessagesArriveOnceInOrderWithReceipts) {
  const std::vector<std::string> ids = Post(150);  // more than two batches
  Deliverer deliverer(*be_.store, be_.keys, network_, clock_);
  int delivered = 0;
  for (int pass = 0; pass < 5; ++pass) delivered += deliverer.RunOnce()->delivered;
  EXPECT_EQ(delivered, 150);
  EXPECT_EQ(Received(), ids);
  for (const store::OutboxEntry& e : Outbox(std::nullopt)) {
    EXPECT_EQ(e.state, store::OutboxState::kDelivered);
    EXPECT_TRUE(VerifyReceipt(e.receipt, e.message_id, "BE", "FR", fr_.keys.sign_public).ok());
  }
  // The stored message is the document the sender signed.
  auto in = fr_.store->messages().Get(ids[0], store::MessageDirection::kIn);
  auto out = be_.store->messages().Get(ids[0], store::MessageDirection::kOut);
  ASSERT_TRUE(in.ok() && out.ok());
  EXPECT_EQ(in->document, out->document);
}

TEST_P(DeliveryTest, ANodeDownForMinutesGetsEverythingWhenItComesBack) {
  Deliverer deliverer(*be_.store, be_.keys, network_, clock_);
  network_.SetDown("FR", true);
  std::vector<std::string> ids = Post(3);
  EXPECT_EQ(deliverer.RunOnce()->failed_attempts, 3);
  // Not due again before its back-off.
  EXPECT_EQ(deliverer.RunOnce()->failed_attempts, 0);
  // Ten minutes down, a pass every 5 seconds, more messages meanwhile.
  int attempts = 1;
  for (int t = 0; t < 120; ++t) {
    clock_.Advance(5 * kSecond);
    if (t == 60) {
      for (const std::string& id : Post(2)) ids.push_back(id);
    }
    if (deliverer.RunOnce()->failed_attempts > 0) ++attempts;
  }
  // Back-off: 1, 2, 4, ... 60 s, then every 60 s: about 15 attempts in 10 minutes, not 120.
  EXPECT_GE(attempts, 10);
  EXPECT_LE(attempts, 20);
  const auto pending = Outbox(store::OutboxState::kPending);
  ASSERT_EQ(pending.size(), 5u);
  EXPECT_EQ(pending[0].last_error, "node FR cannot be reached");
  EXPECT_TRUE(Received().empty());

  network_.SetDown("FR", false);
  clock_.Advance(61 * kSecond);
  EXPECT_EQ(deliverer.RunOnce()->delivered, 5);
  EXPECT_EQ(Received(), ids);
}

TEST_P(DeliveryTest, ALostReceiptMakesADuplicateNotASecondMessage) {
  LosingTransport losing(network_);
  Deliverer deliverer(*be_.store, be_.keys, losing, clock_);
  const std::vector<std::string> ids = Post(2);
  losing.lose_next_ = true;
  EXPECT_EQ(deliverer.RunOnce()->failed_attempts, 2);
  EXPECT_EQ(Received(), ids);  // FR has them, BE does not know
  clock_.Advance(2 * kSecond);
  EXPECT_EQ(deliverer.RunOnce()->delivered, 2);
  EXPECT_EQ(Received(), ids);  // still once each
  for (const store::OutboxEntry& e : Outbox(std::nullopt)) {
    EXPECT_NE(e.receipt.find("\"duplicate\""), std::string::npos);
  }
}

TEST_P(DeliveryTest, RefusedForGoodSurfacesAndCanBeRequeued) {
  // FR does not know BE any more: every envelope is refused for good.
  ASSERT_TRUE(fr_.store->Write([](store::WriteTxn& t) { return t.partners().Delete("BE"); }).ok());
  Deliverer deliverer(*be_.store, be_.keys, network_, clock_);
  Post(1);
  EXPECT_EQ(deliverer.RunOnce()->given_up, 1);
  const auto failed = Outbox(store::OutboxState::kFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].last_error, "BE is not a registered partner of FR");
  // Registered again, requeued by an administrator, delivered.
  ASSERT_TRUE(fr_.store
                  ->Write([&](store::WriteTxn& t) {
                    return t.partners().Put(testing::PartnerOf(be_.keys));
                  })
                  .ok());
  ASSERT_TRUE(be_.store
                  ->Write([&](store::WriteTxn& t) {
                    return t.outbox().Requeue(failed[0].seq, clock_.NowMicros());
                  })
                  .ok());
  EXPECT_EQ(deliverer.RunOnce()->delivered, 1);
}

TEST_P(DeliveryTest, ReplayedEnvelopesAreRefusedOrIgnored) {
  const std::vector<std::string> ids = Post(1);
  const store::OutboxEntry entry = Outbox(std::nullopt)[0];
  const std::string envelope =
      MakeEnvelope(entry.message_id, "FR", entry.envelope, be_.keys, clock_.NowMicros());
  auto first = fr_.inbox->Accept("BE", {envelope});
  ASSERT_TRUE(first[0].delivered) << first[0].error;
  // Replayed at once: acknowledged as a duplicate, stored once.
  auto again = fr_.inbox->Accept("BE", {envelope});
  ASSERT_TRUE(again[0].delivered);
  EXPECT_NE(again[0].receipt.find("\"duplicate\""), std::string::npos);
  // Replayed an hour later: stale, refused.
  clock_.Advance(3600 * kSecond);
  auto late = fr_.inbox->Accept("BE", {envelope});
  EXPECT_FALSE(late[0].delivered);
  EXPECT_TRUE(late[0].error.starts_with("stale envelope"));
  // Presented by another partner's connection: refused.
  auto misdirected = fr_.inbox->Accept("ES", {envelope});
  EXPECT_FALSE(misdirected[0].delivered);
  EXPECT_TRUE(misdirected[0].permanent);
  EXPECT_EQ(Received(), ids);
}

TEST_P(DeliveryTest, PostingToAnUnknownCountryKeepsNothing) {
  Status status = be_.store->Write([&](store::WriteTxn& t) -> Status {
    Message m = testing::MakeMessage("BE/police", "MA/police", clock_.NowMicros());
    return PostMessage(t, m, be_.keys, clock_.NowMicros()).status();
  });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Outbox(std::nullopt).empty());
  store::MessageQuery q;
  EXPECT_TRUE(be_.store->messages().List(q)->empty());
}

TEST_P(DeliveryTest, TheWorkerDeliversWhenWoken) {
  Deliverer deliverer(*be_.store, be_.keys, network_, clock_);
  deliverer.Start();
  const std::vector<std::string> ids = Post(10);
  deliverer.Wake();
  for (int i = 0; i < 500 && Received().size() < ids.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  deliverer.Stop();
  EXPECT_EQ(Received(), ids);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         [](const ::testing::TestParamInfo<store::TestBackend>& backend) {
                           return std::string(store::TestBackendName(backend.param));
                         });

}  // namespace
}  // namespace entente::federation
