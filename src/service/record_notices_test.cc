// Data-subject rights carried to partners (record_notices.h): three nodes of one process over
// federation::LocalNetwork, on each backend.

#include "service/record_notices.h"

#include <gtest/gtest.h>

#include <string>

#include "service/exchange_testing.h"
#include "service/register.h"
#include "service/review.h"

namespace entente::service {
namespace {

using federation::MessageType;
using testing::ExchangeFixture;
using testing::Subject;

class RecordNoticesTest : public ExchangeFixture {
 protected:
  // BE sends BE-1 (and BE-2, references only) to FR; returns the message id.
  std::string SendToFrance() {
    model::Entity one = Subject("BE-1", "Youssef El Khattabi");
    one.Set("category", {"terrorism_convict"});
    model::Entity two = Subject("BE-2", "Karim Benali");
    two.Set("category", {"terrorism_convict"});
    Put("BE", one);
    Put("BE", two);
    MessageDraft draft;
    draft.type = MessageType::kSpontaneous;
    draft.recipients = {"FR/intelligence"};
    draft.subject_ids = {"BE-1"};
    draft.include_records = true;
    draft.body = "Seen in Brussels last week.";
    auto sent = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange,
                            CallerOf("BE", "analyst", "intelligence"), draft);
    EXPECT_TRUE(sent.ok()) << sent.status().ToString();
    draft.subject_ids = {"BE-2"};
    draft.include_records = false;
    EXPECT_TRUE(SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange,
                            CallerOf("BE", "analyst", "intelligence"), draft)
                    .ok());
    DeliverAll();
    return sent.ok() ? sent->id : "";
  }
  std::vector<model::Entity> HeldByFrance(const std::string& id) {
    auto read = ReadMessage(*nodes_["FR"].store, CallerOf("FR", "analyst", "intelligence"), id);
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    return read.ok() ? read->message.entities : std::vector<model::Entity>{};
  }
};

TEST_P(RecordNoticesTest, PastRecipientsAreThoseThatReceivedTheRecordInFull) {
  SendToFrance();
  ASSERT_TRUE(nodes_["BE"]
                  .store
                  ->Write([&](store::WriteTxn& txn) -> Status {
                    EXPECT_EQ(*PastRecipients(txn, "BE-1"),
                              std::vector<std::string>{"FR/intelligence"});
                    EXPECT_TRUE(PastRecipients(txn, "BE-2")->empty()) << "a reference only";
                    return Status::Ok();
                  })
                  .ok());
  // The copy FR holds, kept for the review period from its reception.
  auto copies = nodes_["FR"].store->messages().ReceivedCopies("BE", "BE-1");
  ASSERT_TRUE(copies.ok());
  ASSERT_EQ(copies->size(), 1U);
  EXPECT_EQ((*copies)[0].retention_date, "2029-06-15");
  EXPECT_EQ((*copies)[0].state, store::ReceivedState::kActive);
}

TEST_P(RecordNoticesTest, ACorrectionTravelsWithTheRecordAndReplacesTheCopy) {
  const std::string id = SendToFrance();
  Register reg(*nodes_["BE"].store, clock_);
  reg.EnableRecordNotices(&nodes_["BE"].keys);
  model::Entity corrected = nodes_["BE"].store->subjects().Get("BE-1")->entity;
  corrected.Set("name", {"Youssef El Khattaby"});
  ASSERT_TRUE(
      reg.UpdateSubject(CallerOf("BE", "analyst", "intelligence"), corrected, store::kAnyVersion)
          .ok());
  // A record never sent in full notifies no one.
  model::Entity other = nodes_["BE"].store->subjects().Get("BE-2")->entity;
  other.Set("name", {"Karim Benaly"});
  ASSERT_TRUE(
      reg.UpdateSubject(CallerOf("BE", "analyst", "intelligence"), other, store::kAnyVersion).ok());
  EXPECT_EQ(CountAudit("BE", "send_message", "\"type\":\"record_notice\""), 1);
  DeliverAll();
  const auto held = HeldByFrance(id);
  ASSERT_EQ(held.size(), 1U);
  EXPECT_EQ(held[0].Values("name")[0], "Youssef El Khattaby");
  EXPECT_EQ(CountAudit("FR", "apply_record_notice", "\"notice\":\"correction\""), 1);
}

TEST_P(RecordNoticesTest, TheNodesOwnSweepTellsPartnersAndTheirCopiesFollowRetention) {
  const std::string id = SendToFrance();
  // BE-1's retention limit passes: BE's daily sweep restricts it and tells FR, which withholds
  // its copy.
  model::Entity limited = nodes_["BE"].store->subjects().Get("BE-1")->entity;
  limited.Set("retentionDate", {"2026-06-01"});
  Put("BE", limited);
  auto swept = RunSystemRetentionSweep(*nodes_["BE"].store, "BE", testing::TestToday(), "",
                                       {&nodes_["BE"].keys, clock_.NowMicros()});
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  ASSERT_EQ(swept->actions.size(), 1U);
  DeliverAll();
  auto held = HeldByFrance(id);
  ASSERT_EQ(held.size(), 1U);
  EXPECT_TRUE(held[0].Values("name").empty()) << "withheld";
  EXPECT_EQ(held[0].First("notes"), "restricted by its owner: withheld");

  // FR's own retention of what it received: erased the day after its retention date.
  const auto today = [&] { return policy::DayOfMicros(clock_.NowMicros()).ToString(); };
  EXPECT_EQ(*EraseReceivedPastRetention(*nodes_["FR"].store, today()), 0);
  clock_.Advance(int64_t{3 * 366 + 1} * 86'400'000'000);
  EXPECT_EQ(*EraseReceivedPastRetention(*nodes_["FR"].store, today()), 1);
  EXPECT_EQ(*EraseReceivedPastRetention(*nodes_["FR"].store, today()), 0) << "once";
  EXPECT_TRUE(HeldByFrance(id).empty());
  EXPECT_EQ(CountAudit("FR", "erase_received_record", "\"ref\":\"BE-1\""), 1);
  auto stored = nodes_["FR"].store->messages().Get(id, store::MessageDirection::kIn);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->document.find("Youssef"), std::string::npos) << "gone from the document";
}

// A partner's notice reaches only the copies that partner sent: MA cannot erase what BE sent.
TEST_P(RecordNoticesTest, ANoticeChangesOnlyTheCopiesItsSenderSent) {
  const std::string id = SendToFrance();
  federation::Message forged;
  forged.id = federation::NewMessageId();
  forged.type = MessageType::kRecordNotice;
  forged.notice = "erasure";
  forged.sender = "MA/intelligence";
  forged.subjects = {{"BE-1", "BE/intelligence"}};
  ASSERT_TRUE(
      nodes_["FR"]
          .store->Write([&](store::WriteTxn& txn) { return ApplyRecordNotice(txn, forged, "MA"); })
          .ok());
  EXPECT_EQ(HeldByFrance(id).size(), 1U) << "MA never sent BE-1";
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordNoticesTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
