// Hit/no-hit between partner nodes (service/hit_no_hit.h): indexes published and applied
// through the federation, screening against them, hit notifications, follow-ups and decisions;
// three nodes of one process over federation::LocalNetwork, on each backend.
#include "service/hit_no_hit.h"
#include "service/hits.h"
#include "service/index_publish.h"
#include "service/partner_indexes.h"
#include "service/partner_screening.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "federation/index_update.h"
#include "service/exchange_testing.h"

namespace entente::service {
namespace {

using federation::MessageType;
using testing::ExchangeFixture;
using testing::Subject;

constexpr int64_t kHour = int64_t{3600} * 1'000'000;

model::Entity Listed(const std::string& id, const std::string& name, const std::string& birth,
                     const std::string& category = "terrorism_convict") {
  model::Entity e = Subject(id, name, "BE/intelligence", birth);
  e.Set("category", {category});
  e.Set("nationality", {"MA"});
  e.Set("gender", {"male"});
  return e;
}

model::Entity Query(const std::string& name, const std::string& birth) {
  model::Entity e;
  e.id = "q";
  e.Set("name", {name});
  e.Set("birthDate", {birth});
  e.Set("nationality", {"MA"});
  e.Set("gender", {"male"});
  return e;
}

class HitNoHitTest : public ExchangeFixture {
 protected:
  void SetUp() override {
    ExchangeFixture::SetUp();
    key_ = federation::NewEncodingKey(1);
    encoder_ = std::make_unique<pprl::Encoder>(key_);
    for (auto& [cc, n] : nodes_) {
      hnh_[cc] = {n.exchange, encoder_.get()};
      indexes_[cc] = std::make_unique<PartnerIndexes>(key_);
    }
    Put("BE", Listed("BE-1", "Youssef El Khattabi", "1988-02-03"));
    Put("BE", Listed("BE-2", "Mohamed El Amrani", "1979-11-20"));
    Put("BE", Listed("BE-3", "Karim Benali", "1991-07-14"));
    // Kept out of every index: a minor, a restricted subject, a category not shared.
    Put("BE", Listed("BE-4", "Ilyas Ouazzani", "2012-03-01", "returning_minor"));
    Put("BE", Listed("BE-5", "Samir Haddouchi", "1985-01-09"));
    ASSERT_TRUE(nodes_["BE"]
                    .store
                    ->Write([](store::WriteTxn& t) {
                      return t.subjects().SetState("BE-5", store::SubjectState::kRestricted);
                    })
                    .ok());
    Put("BE", Listed("BE-6", "Nabil Zerouali", "1990-10-10", "drugs_trafficking"));
  }

  std::vector<PublishReport> Publish(const std::string& cc, bool full = false) {
    PublishOptions options;
    options.full = full;
    options.entries_per_update = 2;  // several updates a generation
    auto reports = PublishIndexes(*nodes_[cc].store, hnh_[cc], options);
    EXPECT_TRUE(reports.ok()) << reports.status().ToString();
    DeliverAll();
    for (auto& [other, idx] : indexes_) EXPECT_TRUE(idx->Refresh(*nodes_[other].store).ok());
    return reports.ok() ? *reports : std::vector<PublishReport>{};
  }

  static const PublishReport& ReportFor(const std::vector<PublishReport>& reports,
                                        const std::string& partner) {
    for (const PublishReport& r : reports) {
      if (r.partner == partner) return r;
    }
    ADD_FAILURE() << "no report for " << partner;
    return reports.front();
  }

  Result<PartnerCheck> Check(const std::string& cc, const model::Entity& query) {
    return CheckPartnerIndexes(*nodes_[cc].store, hnh_[cc], *indexes_[cc],
                               CallerOf(cc, "analyst", "police"), query);
  }

  pprl::EncodingKey key_;
  std::unique_ptr<pprl::Encoder> encoder_;
  std::map<std::string, HitNoHitContext> hnh_;
  std::map<std::string, std::unique_ptr<PartnerIndexes>> indexes_;
};

// The owner's index reaches each partner as its rules allow; a partner's screening finds the
// person under another spelling and learns only the country, a reference, whom to ask and a
// score; the owner is told which of its subjects was hit, by whom.
TEST_P(HitNoHitTest, APartnerFindsWhomToAskAndTheOwnerIsTold) {
  const std::vector<PublishReport> reports = Publish("BE");
  const PublishReport& fr = ReportFor(reports, "FR");
  EXPECT_TRUE(fr.full);
  EXPECT_EQ(fr.entries, 3);
  EXPECT_EQ(fr.withheld, 3);  // the minor, the restricted subject, the drug trafficker
  EXPECT_EQ(fr.updates, 2);   // three entries, two a message
  EXPECT_EQ(ReportFor(reports, "MA").entries, 3);  // hit/no-hit only: references are allowed
  EXPECT_EQ(CountAudit("BE", "send_message", "\"partner\":\"FR\",\"recipients\""), 2);

  const auto state = nodes_["FR"].store->indexes().GetPartnerIndex("BE");
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->active_generation, 1);
  EXPECT_EQ(state->entries, 3);
  EXPECT_TRUE(state->error.empty());
  ASSERT_EQ(indexes_["FR"]->Describe().size(), 1u);
  EXPECT_TRUE(indexes_["FR"]->Describe()[0].usable);

  auto check = Check("FR", Query("EL KHATTABI Youcef", "1988-02-03"));
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  ASSERT_EQ(check->hits.size(), 1u);
  const PartnerHit hit = check->hits[0];
  EXPECT_EQ(hit.country, "BE");
  EXPECT_TRUE(federation::IsIndexReference(hit.reference)) << hit.reference;
  EXPECT_EQ(hit.owner, "BE/intelligence");
  EXPECT_GT(hit.score, 0.5);
  // The reference is BE's bookkeeping, not its register id.
  EXPECT_EQ(nodes_["BE"].store->indexes().FindPublished("FR", hit.reference)->subject_id, "BE-1");
  EXPECT_EQ(CountAudit("FR", "screen_partners", hit.reference), 1);

  // The minor and the restricted subject are unknown to partners.
  EXPECT_TRUE(Check("FR", Query("Ilyas Ouazzani", "2012-03-01"))->hits.empty());
  EXPECT_TRUE(Check("FR", Query("Samir Haddouchi", "1985-01-09"))->hits.empty());
  EXPECT_TRUE(Check("FR", Query("Pierre Dupont", "1970-01-01"))->hits.empty());

  DeliverAll();
  auto incoming = ListHits(*nodes_["BE"].store, CallerOf("BE", "analyst", "intelligence"),
                           store::HitDirection::kIn, 10);
  ASSERT_TRUE(incoming.ok()) << incoming.status().ToString();
  ASSERT_EQ(incoming->size(), 1u);
  EXPECT_EQ((*incoming)[0].subject_id, "BE-1");
  EXPECT_EQ((*incoming)[0].partner, "FR");
  EXPECT_EQ((*incoming)[0].agency, "FR/police");
  EXPECT_EQ((*incoming)[0].id, hit.hit_id);
  // The notification carries the reference, never the query.
  auto notification = nodes_["BE"].store->messages().Get((*incoming)[0].notification_id,
                                                         store::MessageDirection::kIn);
  ASSERT_TRUE(notification.ok());
  EXPECT_EQ(notification->document.find("Khattabi"), std::string::npos);
  EXPECT_EQ(notification->document.find("KHATTABI"), std::string::npos);

  auto outgoing = ListHits(*nodes_["FR"].store, CallerOf("FR", "analyst", "police"),
                           store::HitDirection::kOut, 10);
  ASSERT_EQ(outgoing->size(), 1u);
  EXPECT_EQ((*outgoing)[0].subject_id, "");
  // Another agency of FR does not see FR/police's hits.
  EXPECT_TRUE(ListHits(*nodes_["FR"].store, CallerOf("FR", "analyst", "judicial"),
                       store::HitDirection::kOut, 10)
                  ->empty());
}

// After the first generation, only what changed travels, and the partner's index follows.
TEST_P(HitNoHitTest, DeltasFollowTheRegister) {
  Publish("BE");
  EXPECT_TRUE(ReportFor(Publish("BE"), "FR").updates == 0);  // nothing changed

  Put("BE", Listed("BE-7", "Abdelkader Moussaoui", "1983-05-05"));
  ASSERT_TRUE(nodes_["BE"]
                  .store->Write([](store::WriteTxn& t) { return t.subjects().Delete("BE-3"); })
                  .ok());
  model::Entity renamed = Listed("BE-2", "Mohamed El Amrani", "1979-11-21");  // corrected
  Put("BE", renamed);
  const PublishReport fr = ReportFor(Publish("BE"), "FR");
  EXPECT_FALSE(fr.full);
  EXPECT_EQ(fr.upserts, 2);
  EXPECT_EQ(fr.removals, 1);
  EXPECT_EQ(fr.entries, 3);
  EXPECT_EQ(nodes_["FR"].store->indexes().GetPartnerIndex("BE")->entries, 3);
  EXPECT_EQ(fr.updates, 2);  // three changes, two a message
  EXPECT_EQ(nodes_["FR"].store->indexes().GetPartnerIndex("BE")->sequence, 4);

  EXPECT_EQ(Check("FR", Query("Abdelkader Moussaoui", "1983-05-05"))->hits.size(), 1u);
  EXPECT_TRUE(Check("FR", Query("Karim Benali", "1991-07-14"))->hits.empty());

  // A subject restricted later is withdrawn.
  ASSERT_TRUE(nodes_["BE"]
                  .store
                  ->Write([](store::WriteTxn& t) {
                    return t.subjects().SetState("BE-7", store::SubjectState::kRestricted);
                  })
                  .ok());
  EXPECT_EQ(ReportFor(Publish("BE"), "FR").removals, 1);
  EXPECT_TRUE(Check("FR", Query("Abdelkader Moussaoui", "1983-05-05"))->hits.empty());
}

// Index updates lose their bulk a week after they were applied (the partner) or delivered (the
// owner); what they did stays.
TEST_P(HitNoHitTest, IndexUpdatesArePrunedAfterAWeek) {
  Publish("BE");
  const int64_t now = clock_.NowMicros();
  EXPECT_EQ(*PruneIndexUpdates(*nodes_["FR"].store, now), 0);
  clock_.Advance(kIndexUpdateKeptMicros + kHour);
  EXPECT_EQ(*PruneIndexUpdates(*nodes_["FR"].store, clock_.NowMicros()), 2);  // from BE
  EXPECT_EQ(*PruneIndexUpdates(*nodes_["BE"].store, clock_.NowMicros()), 4);  // to FR and MA
  EXPECT_EQ(nodes_["FR"].store->indexes().GetPartnerIndex("BE")->entries, 3);
  ASSERT_TRUE(indexes_["FR"]->Refresh(*nodes_["FR"].store).ok());
  EXPECT_EQ(Check("FR", Query("Youssef El Khattabi", "1988-02-03"))->hits.size(), 1u);
}

// A new generation replaces the old only once complete; an update out of order stops the
// deltas until the next generation; an index under another key version is not used.
TEST_P(HitNoHitTest, GenerationsGapsAndKeyVersions) {
  Publish("BE");
  store::Store& fr = *nodes_["FR"].store;
  // The first part of a new generation arrives: screening keeps the complete one.
  federation::IndexUpdate partial;
  partial.key_version = key_.version;
  partial.generation = 2;
  partial.sequence = 1;
  partial.reset = true;
  federation::Message m;
  m.id = federation::NewMessageId();
  m.index_update = federation::SerializeIndexUpdate(partial);
  ASSERT_TRUE(fr.Write([&](store::WriteTxn& t) { return ApplyIndexUpdate(t, m, "BE", 1); }).ok());
  ASSERT_TRUE(indexes_["FR"]->Refresh(fr).ok());
  EXPECT_EQ(fr.indexes().GetPartnerIndex("BE")->active_generation, 1);
  EXPECT_EQ(Check("FR", Query("Youssef El Khattabi", "1988-02-03"))->hits.size(), 1u);

  // A gap: update 3 of generation 2 after update 1.
  partial.sequence = 3;
  partial.reset = false;
  m.index_update = federation::SerializeIndexUpdate(partial);
  ASSERT_TRUE(fr.Write([&](store::WriteTxn& t) { return ApplyIndexUpdate(t, m, "BE", 2); }).ok());
  EXPECT_NE(fr.indexes().GetPartnerIndex("BE")->error.find("expected generation 2 update 2"),
            std::string::npos);
  ASSERT_TRUE(indexes_["FR"]->Refresh(fr).ok());
  EXPECT_NE(indexes_["FR"]->Describe()[0].problem.find("expected generation 2"), std::string::npos);

  // The owner sends a full generation: in order again.
  const PublishReport again = ReportFor(Publish("BE", /*full=*/true), "FR");
  EXPECT_TRUE(again.full);
  EXPECT_EQ(again.generation, 2);
  EXPECT_TRUE(fr.indexes().GetPartnerIndex("BE")->error.empty());
  EXPECT_EQ(fr.indexes().GetPartnerIndex("BE")->active_generation, 2);
  EXPECT_EQ(fr.indexes().GetPartnerIndex("BE")->entries, 3);
  EXPECT_EQ(Check("FR", Query("Youssef El Khattabi", "1988-02-03"))->hits.size(), 1u);

  // BE lost its bookkeeping and starts again at generation 1: FR drops what it held (nothing
  // is mixed with the new generation) and uses the new one once complete.
  partial.generation = 1;
  partial.sequence = 1;
  partial.reset = true;
  partial.complete = false;
  partial.upserts = {{federation::NewIndexReference(), "BE/police",
                      encoder_->Encode(Query("Karim Benali", "1991-07-14"))}};
  m.id = federation::NewMessageId();
  m.index_update = federation::SerializeIndexUpdate(partial);
  ASSERT_TRUE(fr.Write([&](store::WriteTxn& t) { return ApplyIndexUpdate(t, m, "BE", 3); }).ok());
  EXPECT_EQ(fr.indexes().GetPartnerIndex("BE")->active_generation, 0);
  partial.sequence = 2;
  partial.reset = false;
  partial.complete = true;
  partial.upserts.clear();
  m.id = federation::NewMessageId();
  m.index_update = federation::SerializeIndexUpdate(partial);
  ASSERT_TRUE(fr.Write([&](store::WriteTxn& t) { return ApplyIndexUpdate(t, m, "BE", 4); }).ok());
  EXPECT_EQ(fr.indexes().GetPartnerIndex("BE")->active_generation, 1);
  EXPECT_EQ(fr.indexes().GetPartnerIndex("BE")->entries, 1);
  ASSERT_TRUE(indexes_["FR"]->Refresh(fr).ok());
  EXPECT_TRUE(Check("FR", Query("Youssef El Khattabi", "1988-02-03"))->hits.empty());
  EXPECT_EQ(Check("FR", Query("Karim Benali", "1991-07-14"))->hits.size(), 1u);

  // FR moves to key version 2 before BE: BE's index is not compared.
  PartnerIndexes rotated(federation::NewEncodingKey(2));
  ASSERT_TRUE(rotated.Refresh(fr).ok());
  EXPECT_TRUE(rotated.Snapshot().empty());
  EXPECT_NE(rotated.Describe()[0].problem.find("key version 1"), std::string::npos);
}

// The screening agency follows a hit up; the owner has 48 hours; the decision is recorded and
// the rules still decide what a release may carry.
TEST_P(HitNoHitTest, FollowUpsAreDecidedAndTheirDeadlineTracked) {
  Publish("BE");
  auto fr_check = Check("FR", Query("Mohamed Amrani", "1979-11-20"));
  ASSERT_TRUE(fr_check.ok());
  ASSERT_EQ(fr_check->hits.size(), 1u) << "the encoded score did not reach the threshold";
  auto ma_check = Check("MA", Query("Mohammed El Amrani", "1979-11-20"));
  ASSERT_EQ(ma_check->hits.size(), 1u);
  DeliverAll();

  const Caller fr_police = CallerOf("FR", "analyst", "police");
  auto sent = RequestFollowUp(*nodes_["FR"].store, nodes_["FR"].exchange, fr_police,
                              fr_check->hits[0].hit_id, "");
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(RequestFollowUp(*nodes_["FR"].store, nodes_["FR"].exchange, fr_police,
                            fr_check->hits[0].hit_id, "")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(nodes_["FR"]
                .store->hits()
                .Get(fr_check->hits[0].hit_id, store::HitDirection::kOut)
                ->followup_id,
            sent->id);
  auto ma_sent = RequestFollowUp(*nodes_["MA"].store, nodes_["MA"].exchange,
                                 CallerOf("MA", "analyst", "police"), ma_check->hits[0].hit_id,
                                 "Subject stopped at the border of Tangier-Med.");
  ASSERT_TRUE(ma_sent.ok()) << ma_sent.status().ToString();
  DeliverAll();

  store::Store& be = *nodes_["BE"].store;
  const Caller be_intel = CallerOf("BE", "analyst", "intelligence");
  const int64_t received = clock_.NowMicros();
  auto listed = ListFollowUps(be, be_intel, received, false, 10);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  for (const FollowUpView& v : *listed) {
    EXPECT_EQ(v.state, FollowUpState::kPending);
    EXPECT_EQ(v.followup.subject_id, "BE-2");
    EXPECT_EQ(v.followup.due_at - v.followup.received_at, kFollowUpDueMicros);
  }
  // Another agency of BE is not a party to the requests.
  EXPECT_TRUE(ListFollowUps(be, CallerOf("BE", "analyst", "police"), received, false, 10)->empty());
  // Past 48 hours, an undecided request is overdue.
  clock_.Advance(49 * kHour);
  listed = ListFollowUps(be, be_intel, clock_.NowMicros(), true, 10);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].state, FollowUpState::kOverdue);

  // France (EU, plaintext): the record is released.
  auto released = DecideFollowUp(be, nodes_["BE"].exchange, be_intel, sent->id,
                                 FollowUpDecision::kRelease, "core identity data, article 7");
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(DecideFollowUp(be, nodes_["BE"].exchange, be_intel, sent->id, FollowUpDecision::kRefuse,
                           "changed my mind")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  const store::FollowUp decided = *be.hits().GetFollowUp(sent->id);
  EXPECT_EQ(decided.decision, "released");
  EXPECT_EQ(decided.reply_id, released->id);
  EXPECT_EQ(CountAudit("BE", "decide_followup", "\"outcome\":\"released\""), 1);

  // Morocco (hit/no-hit only): a record may not go; the refusal records nothing; a refusal
  // with reasons does.
  auto not_allowed = DecideFollowUp(be, nodes_["BE"].exchange, be_intel, ma_sent->id,
                                    FollowUpDecision::kRelease, "core identity data");
  EXPECT_FALSE(not_allowed.ok());
  EXPECT_TRUE(be.hits().GetFollowUp(ma_sent->id)->decision.empty());
  auto refused = DecideFollowUp(be, nodes_["BE"].exchange, be_intel, ma_sent->id,
                                FollowUpDecision::kRefuse, "hit/no-hit only under the agreement");
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  DeliverAll();

  listed = ListFollowUps(be, be_intel, clock_.NowMicros(), false, 10);
  for (const FollowUpView& v : *listed) EXPECT_EQ(v.state, FollowUpState::kAnsweredLate);

  // France receives the record, Morocco the refusal without it.
  auto fr_reply = nodes_["FR"].store->messages().Get(released->id, store::MessageDirection::kIn);
  ASSERT_TRUE(fr_reply.ok());
  EXPECT_NE(fr_reply->document.find("Mohamed El Amrani"), std::string::npos);
  auto ma_reply = nodes_["MA"].store->messages().Get(refused->id, store::MessageDirection::kIn);
  ASSERT_TRUE(ma_reply.ok());
  EXPECT_EQ(ma_reply->document.find("Mohamed El Amrani"), std::string::npos);
}

TEST_P(HitNoHitTest, NothingWithoutAKeyOrAJustification) {
  HitNoHitContext none = hnh_["BE"];
  none.encoder = nullptr;
  EXPECT_EQ(PublishIndexes(*nodes_["BE"].store, none).status().code(),
            StatusCode::kFailedPrecondition);
  Publish("BE");
  Caller unjustified = CallerOf("FR", "analyst", "police");
  unjustified.context.justification.clear();
  auto check = CheckPartnerIndexes(*nodes_["FR"].store, hnh_["FR"], *indexes_["FR"], unjustified,
                                   Query("Youssef El Khattabi", "1988-02-03"));
  EXPECT_EQ(check.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(CountAudit("FR", "screen_partners", "\"outcome\":\"refused\""), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, HitNoHitTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
