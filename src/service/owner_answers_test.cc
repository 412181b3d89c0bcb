// Hit/no-hit checks answered by the owner (service/owner_answers.h): BE answers MA's checks
// and sends MA no index; limits, enumeration flags, batches, the switch from an encoded index,
// and what each side records; three nodes of one process on each backend. The checks go through
// LocalChecks, which hands the signed request body to the owner's CheckResponder as its
// federation endpoint does (api/federation_server.cc; over mutual TLS in the e2e test).
#include "service/owner_answers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "federation/index_update.h"
#include "service/exchange_testing.h"
#include "service/hits.h"
#include "service/index_publish.h"
#include "service/partner_indexes.h"
#include "service/partner_screening.h"

namespace entente::service {
namespace {

using testing::ExchangeFixture;
using testing::Subject;

model::Entity Listed(const std::string& id, const std::string& name, const std::string& birth) {
  model::Entity e = Subject(id, name, "BE/intelligence", birth);
  e.Set("category", {"terrorism_convict"});
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

// Carries checks between the nodes of one process: the owner's responder gets the body and
// the sender's country, as from the client certificate.
class LocalChecks final : public federation::CheckChannel {
 public:
  LocalChecks(std::string from, std::map<std::string, std::unique_ptr<CheckResponder>>* owners)
      : from_(std::move(from)), owners_(owners) {}
  Result<federation::CheckReply> SendCheck(const store::Partner& partner,
                                           std::string_view body) override {
    ++requests;
    auto it = owners_->find(partner.country);
    if (it == owners_->end()) return IoError(partner.country + " cannot be reached");
    const CheckResponse r = it->second->Respond(from_, body);
    return federation::CheckReply{r.http_status, r.body, r.retry_after_seconds};
  }
  int requests = 0;

 private:
  std::string from_;
  std::map<std::string, std::unique_ptr<CheckResponder>>* owners_;
};

class OwnerAnswersTest : public ExchangeFixture {
 protected:
  void SetUp() override {
    ExchangeFixture::SetUp();
    key_ = federation::NewEncodingKey(1);
    encoder_ = std::make_unique<pprl::Encoder>(key_);
    for (auto& [cc, n] : nodes_) {
      channels_[cc] = std::make_unique<LocalChecks>(cc, &responders_);
      hnh_[cc] = {n.exchange, encoder_.get(), channels_[cc].get()};
      indexes_[cc] = std::make_unique<PartnerIndexes>(key_);
      owner_indexes_[cc] = std::make_unique<OwnerIndexes>(key_, *encoder_, cc);
      responders_[cc] = std::make_unique<CheckResponder>(*n.store, hnh_[cc], *owner_indexes_[cc]);
    }
    // BE and MA agree on checks answered by the owner, both ways.
    SetRules("BE", "MA", [](policy::SharingRules&) {});
    SetRules("MA", "BE", [](policy::SharingRules&) {});
    Put("BE", Listed("BE-1", "Youssef El Khattabi", "1988-02-03"));
    Put("BE", Listed("BE-2", "Mohamed El Amrani", "1979-11-20"));
    Put("BE", Listed("BE-3", "Karim Benali", "1991-07-14"));
  }

  // `owner`'s rules for `partner`: MA's agreement (owner_answers), changed by `change`.
  template <typename F>
  void SetRules(const std::string& owner, const std::string& partner, F change) {
    policy::SharingRules rules = testing::Rules(policy::LegalBasis::kAppropriateSafeguards,
                                                policy::SharingMode::kHitNoHitOnly, 30, false);
    rules.hit_no_hit = policy::HitNoHitDelivery::kOwnerAnswers;
    if (partner != "MA" && owner != "MA") {
      rules =
          testing::Rules(policy::LegalBasis::kEuPartner, policy::SharingMode::kPlaintext, 60, true);
    }
    change(rules);
    clock_.Advance(1000);
    ASSERT_TRUE(nodes_[owner]
                    .store
                    ->Write([&](store::WriteTxn& t) {
                      return t.partners().Put(
                          federation::testing::PartnerOf(nodes_[partner].keys, rules));
                    })
                    .ok());
  }

  std::vector<PublishReport> Publish(const std::string& cc) {
    clock_.Advance(1000);
    auto reports = PublishIndexes(*nodes_[cc].store, hnh_[cc]);
    EXPECT_TRUE(reports.ok()) << reports.status().ToString();
    DeliverAll();
    for (auto& [other, idx] : indexes_) EXPECT_TRUE(idx->Refresh(*nodes_[other].store).ok());
    for (auto& [other, idx] : owner_indexes_) {
      EXPECT_TRUE(idx->Refresh(*nodes_[other].store).ok());
    }
    return reports.ok() ? *reports : std::vector<PublishReport>{};
  }

  Result<PartnerCheck> Check(const std::string& cc, const model::Entity& query) {
    return CheckPartnerIndexes(*nodes_[cc].store, hnh_[cc], *indexes_[cc],
                               CallerOf(cc, "analyst", "police"), query);
  }

  // BE's audit entries of MA's checks, oldest first.
  std::vector<nlohmann::json> ChecksAudited() {
    store::AuditQuery q;
    q.action = "answer_check";
    q.limit = 100000;
    std::vector<nlohmann::json> out;
    auto entries = nodes_["BE"].store->audit().Read(q);
    EXPECT_TRUE(entries.ok());
    for (const store::AuditEntry& e : *entries) {
      nlohmann::json d = nlohmann::json::parse(e.record.details_json);
      d["_actor"] = e.record.actor;
      d["_justification"] = e.record.justification;
      d["_case"] = e.record.on_behalf_of;
      out.push_back(std::move(d));
    }
    return out;
  }

  int IndexUpdatesFor(const std::string& owner, const std::string& partner) {
    return CountAudit(owner, "send_message",
                      "\"partner\":\"" + partner + "\"");  // index updates audit their partner
  }

  pprl::EncodingKey key_;
  std::unique_ptr<pprl::Encoder> encoder_;
  std::map<std::string, std::unique_ptr<LocalChecks>> channels_;
  std::map<std::string, HitNoHitContext> hnh_;
  std::map<std::string, std::unique_ptr<PartnerIndexes>> indexes_;
  std::map<std::string, std::unique_ptr<OwnerIndexes>> owner_indexes_;
  std::map<std::string, std::unique_ptr<CheckResponder>> responders_;
};

// MA finds a BE subject written another way and learns only the reference and whom to ask; BE
// sent MA no index, keeps MA's check in its audit with the justification, and records the hit
// for the follow-up, which then works as with an encoded index.
TEST_P(OwnerAnswersTest, TheOwnerAnswersAndSendsNoIndex) {
  const std::vector<PublishReport> reports = Publish("BE");
  for (const PublishReport& r : reports) {
    if (r.partner != "MA") continue;
    EXPECT_TRUE(r.owner_answers);
    EXPECT_EQ(r.updates, 0);
    EXPECT_EQ(r.entries, 3);
  }
  EXPECT_EQ(IndexUpdatesFor("BE", "MA"), 0);
  EXPECT_GT(IndexUpdatesFor("BE", "FR"), 0);  // FR, an EU partner, still receives the index
  EXPECT_EQ(nodes_["MA"].store->indexes().GetPartnerIndex("BE").status().code(),
            StatusCode::kNotFound);

  auto check = Check("MA", Query("EL AMRANI Mohammed", "1979-11-20"));
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  ASSERT_EQ(check->hits.size(), 1u) << nlohmann::json(check->unavailable).dump();
  const PartnerHit& hit = check->hits[0];
  EXPECT_EQ(hit.country, "BE");
  EXPECT_TRUE(federation::IsIndexReference(hit.reference));
  EXPECT_EQ(hit.owner, "BE/intelligence");
  EXPECT_GE(hit.score, 0.5);
  EXPECT_EQ(channels_["MA"]->requests, 1);

  const std::vector<nlohmann::json> audited = ChecksAudited();
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0]["partner"], "MA");
  EXPECT_EQ(audited[0]["outcome"], "answered");
  EXPECT_EQ(audited[0]["_actor"], "partner:MA/police");
  EXPECT_FALSE(audited[0]["_justification"].get<std::string>().empty());
  ASSERT_EQ(audited[0]["hits"].size(), 1u);
  EXPECT_EQ(audited[0]["hits"][0]["subject"], "BE-2");
  EXPECT_EQ(audited[0]["hits"][0]["reference"], hit.reference);
  EXPECT_EQ(audited[0].dump().find("\"code"), std::string::npos);  // never the query's codes
  // The audit finds the check by the subject it returned.
  store::AuditQuery by_subject;
  by_subject.subject_id = "BE-2";
  by_subject.action = "answer_check";
  EXPECT_EQ(*nodes_["BE"].store->audit().Count(by_subject), 1);

  auto incoming = ListHits(*nodes_["BE"].store, CallerOf("BE", "analyst", "intelligence"),
                           store::HitDirection::kIn, 10);
  ASSERT_TRUE(incoming.ok()) << incoming.status().ToString();
  ASSERT_EQ(incoming->size(), 1u);
  EXPECT_EQ((*incoming)[0].subject_id, "BE-2");
  EXPECT_EQ((*incoming)[0].id, hit.hit_id);
  EXPECT_EQ((*incoming)[0].agency, "MA/police");

  // No hit notification travels: the owner knows already.
  EXPECT_EQ(CountAudit("MA", "send_message", "hit_notification"), 0);
  // The follow-up quotes the reference, and the owner finds its subject.
  auto followup = RequestFollowUp(*nodes_["MA"].store, nodes_["MA"].exchange,
                                  CallerOf("MA", "analyst", "police"), hit.hit_id,
                                  "Please share the core data of this person.");
  ASSERT_TRUE(followup.ok()) << followup.status().ToString();
  DeliverAll();
  auto followups = ListFollowUps(*nodes_["BE"].store, CallerOf("BE", "analyst", "intelligence"),
                                 clock_.NowMicros(), true, 10);
  ASSERT_TRUE(followups.ok()) << followups.status().ToString();
  ASSERT_EQ(followups->size(), 1u);
  EXPECT_EQ((*followups)[0].followup.subject_id, "BE-2");

  // A name nobody carries: no hit, still audited.
  auto none = Check("MA", Query("Jonas Vermeulen", "1966-01-30"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->hits.empty());
  ASSERT_EQ(ChecksAudited().size(), 2u);
  EXPECT_EQ(ChecksAudited()[1]["results"][0], "no_hit");
}

TEST_P(OwnerAnswersTest, PastItsDailyLimitAPartnerIsRefusedWithWhenToRetry) {
  SetRules("BE", "MA", [](policy::SharingRules& r) { r.checks_per_day = 4; });
  Publish("BE");
  for (int i = 0; i < 4; ++i) {
    auto check = Check("MA", Query("Karim Benali", "1991-07-14"));
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(check->hits.size(), 1u) << i;
  }
  auto refused = Check("MA", Query("Karim Benali", "1991-07-14"));
  ASSERT_TRUE(refused.ok());
  EXPECT_TRUE(refused->hits.empty());
  ASSERT_EQ(refused->unavailable.size(), 1u);
  EXPECT_NE(refused->unavailable[0].find("HTTP 429"), std::string::npos);
  EXPECT_NE(refused->unavailable[0].find("checks_per_day"), std::string::npos);
  const std::vector<nlohmann::json> audited = ChecksAudited();
  ASSERT_EQ(audited.size(), 5u);
  EXPECT_EQ(audited[4]["outcome"], "refused: checks_per_day");
  EXPECT_GT(audited[4]["retry_after_seconds"].get<int64_t>(), 0);
  EXPECT_EQ(responders_["BE"]->limiter().Refusals().at("MA"), 1);
  // BE's administrators see it: the day's checks per partner.
  auto overview = DescribeIndexes(*nodes_["BE"].store, nullptr, clock_.NowMicros());
  ASSERT_TRUE(overview.ok()) << overview.status().ToString();
  for (const IndexOverview& o : *overview) {
    if (o.partner == "MA") {
      EXPECT_EQ(o.hit_no_hit, "owner_answers");
      EXPECT_EQ(o.checks_answered_today, 4);
      EXPECT_EQ(o.checks_refused_today, 1);
    } else {
      EXPECT_EQ(o.hit_no_hit, "encoded_index");
      EXPECT_EQ(o.checks_answered_today, 0);
    }
  }

  // A restart does not reset the day: the count is read back from the audit log.
  responders_["BE"] =
      std::make_unique<CheckResponder>(*nodes_["BE"].store, hnh_["BE"], *owner_indexes_["BE"]);
  auto after_restart = Check("MA", Query("Karim Benali", "1991-07-14"));
  ASSERT_TRUE(after_restart.ok());
  EXPECT_TRUE(after_restart->hits.empty());
  // The next day, checks are answered again.
  clock_.Advance(int64_t{24} * 3600 * 1'000'000);
  auto next_day = Check("MA", Query("Karim Benali", "1991-07-14"));
  ASSERT_TRUE(next_day.ok());
  EXPECT_EQ(next_day->hits.size(), 1u);
}

TEST_P(OwnerAnswersTest, PastItsMinuteLimitAPartnerWaitsForTheMinuteToPass) {
  SetRules("BE", "MA", [](policy::SharingRules& r) { r.checks_per_minute = 3; });
  Publish("BE");
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(1'000'000);
    EXPECT_TRUE(Check("MA", Query("Karim Benali", "1991-07-14"))->unavailable.empty());
  }
  auto refused = Check("MA", Query("Karim Benali", "1991-07-14"));
  ASSERT_EQ(refused->unavailable.size(), 1u);
  EXPECT_NE(refused->unavailable[0].find("checks_per_minute"), std::string::npos);
  clock_.Advance(59'000'000);  // the first check is now a minute old
  EXPECT_TRUE(Check("MA", Query("Karim Benali", "1991-07-14"))->unavailable.empty());
}

TEST_P(OwnerAnswersTest, ASweepOfBirthDatesIsFlaggedForTheOversightBody) {
  Publish("BE");
  constexpr int kDays = 31;
  for (int day = 1; day <= kDays; ++day) {
    const std::string date = "1979-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    ASSERT_TRUE(Check("MA", Query("Mohamed El Amrani", date)).ok());
  }
  const std::vector<nlohmann::json> audited = ChecksAudited();
  ASSERT_EQ(audited.size(), static_cast<size_t>(kDays));
  EXPECT_TRUE(audited[0]["flags"].empty());
  EXPECT_EQ(audited.back()["flags"], nlohmann::json({"birth_date_sweep"}));
  // A query is flagged once kSweepThreshold earlier ones resemble it: at most the last
  // kDays - kSweepThreshold (two dates may, by chance of the keyed hashes, look alike).
  auto activity = ChecksSince(nodes_["BE"].store->audit(), 0);
  ASSERT_TRUE(activity.ok());
  EXPECT_GE(activity->at("MA").flagged, 1);
  EXPECT_LE(activity->at("MA").flagged, kDays - EnumerationWatch::kSweepThreshold);
  // Ordinary checks of different people raise nothing.
  const std::vector<std::pair<std::string, std::string>> people = {
      {"Jonas Vermeulen", "1966-01-30"},
      {"Sofia Marquez", "1990-04-12"},
      {"Pierre Lambert", "1982-09-03"}};
  for (const auto& [name, birth] : people) ASSERT_TRUE(Check("MA", Query(name, birth)).ok());
  EXPECT_TRUE(ChecksAudited().back()["flags"].empty());
}

TEST_P(OwnerAnswersTest, ManyQueriesGoInBatchesOfTheOwnersSize) {
  SetRules("BE", "MA", [](policy::SharingRules& r) { r.check_batch_size = 3; });
  Publish("BE");
  std::vector<pprl::QueryCode> queries;
  for (int i = 0; i < 7; ++i) {
    queries.push_back(encoder_->EncodeQuery(
        i == 5 ? Query("Youssef El Khattabi", "1988-02-03")
               : Query("Nobody " + std::to_string(i),
                       "195" + std::to_string(i) + "-06-1" + std::to_string(i))));
  }
  policy::RequestContext context;
  context.justification = "screening of a passenger list (synthetic)";
  auto answered = AskOwners(*nodes_["MA"].store, hnh_["MA"], "MA/police", context, queries);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  ASSERT_EQ(answered->size(), 1u);
  const OwnerAnswered& be = answered->front();
  EXPECT_EQ(be.problem, "");
  ASSERT_EQ(be.results.size(), 7u);
  EXPECT_EQ(be.results[5].size(), 1u);
  EXPECT_TRUE(be.results[0].empty());
  // MA's own setting for BE (100) is more than BE takes: the first request is refused (413)
  // with BE's size, then three requests of at most three.
  EXPECT_EQ(channels_["MA"]->requests, 4);
  const std::vector<nlohmann::json> audited = ChecksAudited();
  ASSERT_EQ(audited.size(), 3u);
  EXPECT_EQ(audited[2]["queries"], 1);
}

TEST_P(OwnerAnswersTest, APartnerThatHeldTheIndexHasItWithdrawn) {
  // FR first receives BE's index, then BE and FR agree on checks answered by the owner.
  Publish("BE");
  ASSERT_EQ(nodes_["FR"].store->indexes().GetPartnerIndex("BE")->entries, 3);
  SetRules("BE", "FR",
           [](policy::SharingRules& r) { r.hit_no_hit = policy::HitNoHitDelivery::kOwnerAnswers; });
  SetRules("FR", "BE",
           [](policy::SharingRules& r) { r.hit_no_hit = policy::HitNoHitDelivery::kOwnerAnswers; });
  const std::vector<PublishReport> reports = Publish("BE");
  for (const PublishReport& r : reports) {
    if (r.partner == "FR") {
      EXPECT_EQ(r.updates, 1);  // the withdrawal
    }
  }
  EXPECT_EQ(nodes_["FR"].store->indexes().GetPartnerIndex("BE")->entries, 0);
  // FR's checks now go to BE.
  auto check = Check("FR", Query("Youssef El Khattabi", "1988-02-03"));
  ASSERT_TRUE(check.ok());
  ASSERT_EQ(check->hits.size(), 1u);
  EXPECT_EQ(channels_["FR"]->requests, 1);
  // Publishing again sends FR nothing more.
  for (const PublishReport& r : Publish("BE")) {
    if (r.partner == "FR") {
      EXPECT_EQ(r.updates, 0);
    }
  }
}

TEST_P(OwnerAnswersTest, AnOwnerAnswersOnlyWhatItAgreedTo) {
  Publish("BE");
  // FR thinks BE answers its checks; BE sends FR its index instead, and says so.
  SetRules("FR", "BE",
           [](policy::SharingRules& r) { r.hit_no_hit = policy::HitNoHitDelivery::kOwnerAnswers; });
  auto check = Check("FR", Query("Youssef El Khattabi", "1988-02-03"));
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->hits.empty());
  ASSERT_FALSE(check->unavailable.empty());
  EXPECT_NE(check->unavailable.back().find("HTTP 409"), std::string::npos);

  // Hostile bodies: garbage, a replay, a batch over the size.
  CheckResponder& be = *responders_["BE"];
  EXPECT_EQ(be.Respond("MA", "{").http_status, 400);
  federation::CheckRequest request;
  request.id = federation::NewCheckId();
  request.from = "MA";
  request.to = "BE";
  request.sent_at = clock_.NowMicros();
  request.agency = "MA/police";
  request.justification = "checking a name from a seized phone (synthetic)";
  request.key_version = encoder_->key_version();
  request.queries = {encoder_->EncodeQuery(Query("Karim Benali", "1991-07-14"))};
  const std::string body = federation::SignCheckRequest(request, nodes_["MA"].keys);
  EXPECT_EQ(be.Respond("MA", body).http_status, 200);
  EXPECT_EQ(be.Respond("MA", body).http_status, 400);  // the same request again
  EXPECT_EQ(be.Respond("ES", body).http_status, 403);  // not a partner
  request.id = federation::NewCheckId();
  request.queries.assign(101, request.queries[0]);
  EXPECT_EQ(be.Respond("MA", federation::SignCheckRequest(request, nodes_["MA"].keys)).http_status,
            413);
  // A restricted subject is not told of, even before the next publication.
  ASSERT_TRUE(nodes_["BE"]
                  .store
                  ->Write([](store::WriteTxn& t) {
                    return t.subjects().SetState("BE-3", store::SubjectState::kRestricted);
                  })
                  .ok());
  auto restricted = Check("MA", Query("Karim Benali", "1991-07-14"));
  ASSERT_TRUE(restricted.ok());
  EXPECT_TRUE(restricted->hits.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OwnerAnswersTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
