// The exchange between partner nodes (service/exchange.h, release_notices.h, exchange_stats.h):
// three nodes of one process over federation::LocalNetwork, on each backend.
#include "service/exchange.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "federation/delivery.h"
#include "federation/local_transport.h"
#include "federation/partner.h"
#include "federation/testing.h"
#include "service/exchange_stats.h"
#include "service/exchange_testing.h"
#include "service/release_notices.h"
#include "service/use_case_testing.h"

namespace entente::service {
namespace {

using federation::MessageType;
using testing::MakeCaller;
using testing::MicrosOfDay;
using testing::Subject;
using testing::TestToday;

using testing::ExchangeFixture;
using ExchangeTest = ExchangeFixture;

model::Entity Convict(const std::string& id, const std::string& name) {
  model::Entity e = Subject(id, name, "BE/intelligence", "1988-02-03");
  e.Set("category", {"terrorism_convict"});
  e.Set("nationality", {"BE", "FR"});
  return e;
}

TEST_P(ExchangeTest, ARequestAndItsReplyMakeOneCase) {
  Put("BE", Convict("BE-1", "Youssef El Khattabi"));
  MessageDraft draft;
  draft.type = MessageType::kRequest;
  draft.recipients = {"FR/intelligence"};
  draft.deadline = "2026-06-25";
  draft.subject_ids = {"BE-1"};
  draft.include_records = true;
  draft.body = "Known travel to Syria in 2015? Please share what you hold.";
  auto sent = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange,
                          CallerOf("BE", "analyst", "intelligence"), draft);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->countries, std::vector<std::string>{"FR"});
  EXPECT_EQ(CountAudit("BE", "send_message", sent->id), 1);
  DeliverAll();

  // FR's intelligence service reads it; FR's police is not a party.
  const Caller fr = CallerOf("FR", "analyst", "intelligence");
  auto read = ReadMessage(*nodes_["FR"].store, fr, sent->id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->message.entities.size(), 1u);
  EXPECT_EQ(read->message.entities[0].Values("name")[0], "Youssef El Khattabi");
  EXPECT_EQ(read->message.legal_basis.kind, "eu_partner");
  EXPECT_EQ(ReadMessage(*nodes_["FR"].store, CallerOf("FR", "analyst", "police"), sent->id)
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(CountAudit("FR", "receive_message", sent->id), 1);
  EXPECT_EQ(CountAudit("FR", "read_message", sent->id), 2);  // FR/police's attempt too
  EXPECT_EQ(CountAudit("FR", "read_message", "not_a_party"), 1);

  // Past the deadline, BE awaits and FR owes an answer.
  EXPECT_EQ(OverdueAnswers(*nodes_["BE"].store, "2026-06-26")->size(), 1u);
  EXPECT_EQ(OverdueAnswers(*nodes_["FR"].store, "2026-06-26")->size(), 1u);
  clock_.Advance(3 * 3'600'000'000LL);
  MessageDraft reply;
  reply.type = MessageType::kReply;
  reply.in_reply_to = sent->id;
  reply.recipients = {"BE/intelligence"};
  reply.body = "Entry in Turkey on 2015-03-02 recorded.";
  auto answered = SendMessage(*nodes_["FR"].store, nodes_["FR"].exchange, fr, reply);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  EXPECT_EQ(answered->case_id, sent->case_id);
  DeliverAll();
  EXPECT_TRUE(OverdueAnswers(*nodes_["BE"].store, "2026-06-26")->empty());
  auto thread =
      ReadCase(*nodes_["BE"].store, CallerOf("BE", "analyst", "intelligence"), sent->case_id);
  ASSERT_TRUE(thread.ok()) << thread.status().ToString();
  ASSERT_EQ(thread->size(), 2u);
  EXPECT_EQ((*thread)[1].message.body, "Entry in Turkey on 2015-03-02 recorded.");

  auto stats = ComputeExchangeStats(*nodes_["BE"].store, 0, 0);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->counts.size(), 2u);
  EXPECT_EQ(stats->counts[0], (ExchangeCount{"BE", "FR", "2026-06", "request", 1}));
  EXPECT_EQ(stats->counts[1], (ExchangeCount{"FR", "BE", "2026-06", "reply", 1}));
  ASSERT_EQ(stats->response_times.size(), 1u);
  EXPECT_NEAR(stats->response_times[0].median_hours, 3.0, 1e-6);
}

TEST_P(ExchangeTest, SharingRulesDecideWhatLeaves) {
  model::Entity h2 = Convict("BE-2", "Karim Benali");
  h2.Set("handlingCode", {"H2"});
  Put("BE", h2);
  model::Entity drugs = Subject("BE-3", "Piet Janssens");
  drugs.Set("category", {"drugs_trafficking"});
  Put("BE", drugs);
  Put("BE", Convict("BE-4", "Samir Ouali"));
  const Caller be = CallerOf("BE", "analyst", "intelligence");
  MessageDraft draft;
  draft.recipients = {"FR/police"};
  draft.include_records = true;
  draft.body = "For information.";

  draft.subject_ids = {"BE-2"};  // H2 without the provider's permission
  auto refused = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, be, draft);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  draft.provider_permission = true;
  EXPECT_TRUE(SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, be, draft).ok());

  draft.provider_permission = false;
  draft.subject_ids = {"BE-3"};  // drugs are not in FR's shared categories here
  refused = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, be, draft);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("BE-3 to FR"), std::string::npos);

  // Morocco gets references only, never the record.
  draft.recipients = {"MA/police"};
  draft.subject_ids = {"BE-4"};
  refused = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, be, draft);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  draft.include_records = false;
  auto reference = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, be, draft);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  DeliverAll();
  auto at_ma = ReadMessage(*nodes_["MA"].store, CallerOf("MA", "analyst", "police"), reference->id);
  ASSERT_TRUE(at_ma.ok()) << at_ma.status().ToString();
  EXPECT_TRUE(at_ma->message.entities.empty());
  EXPECT_EQ(at_ma->message.subjects[0].ref, "BE-4");
  EXPECT_EQ(at_ma->message.legal_basis.kind, "appropriate_safeguards");

  // Refusals are audited with their rule; nothing was queued for them.
  EXPECT_EQ(CountAudit("BE", "send_message", "\"refused\""), 3);
  store::OutboxQuery all;
  all.limit = 100;
  EXPECT_EQ(nodes_["BE"].store->outbox().List(all)->size(), 2u);
  // A malformed recipient is named.
  draft.recipients = {"FR/police", "fr/police"};
  refused = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, be, draft);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "recipients[1]: write the agency as FR/police");
  // An unknown country, and an unjustified request.
  draft.recipients = {"ES/police"};
  EXPECT_EQ(SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, be, draft).status().code(),
            StatusCode::kFailedPrecondition);
  Caller unjustified = be;
  unjustified.context.justification = "";
  draft.recipients = {"FR/police"};
  EXPECT_EQ(
      SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, unjustified, draft).status().code(),
      StatusCode::kInvalidArgument);
}

TEST_P(ExchangeTest, MinorsConsultationsAreForDesignatedUsersAndWillingPartners) {
  model::Entity minor = Subject("BE-9", "Adam Mansouri", "BE/youth_protection", "2011-01-01");
  minor.Set("category", {"returning_minor"});
  Put("BE", minor);
  MessageDraft draft;
  draft.type = MessageType::kConsultation;
  draft.recipients = {"FR/youth_protection", "FR/judicial"};
  draft.deadline = "2026-06-30";
  draft.subject_ids = {"BE-9"};
  draft.body = "Return from a camp in north-east Syria planned; coordination of care?";
  auto refused = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange,
                             CallerOf("BE", "analyst", "youth_protection"), draft);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);  // not designated
  const Caller designated = CallerOf("BE", "analyst", "youth_protection", "minors");
  auto sent = SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, designated, draft);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  draft.include_records = true;  // a minor's record never leaves
  EXPECT_FALSE(SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, designated, draft).ok());
  draft.include_records = false;
  draft.recipients = {"MA/youth_protection"};  // Morocco takes no part in these consultations
  EXPECT_EQ(
      SendMessage(*nodes_["BE"].store, nodes_["BE"].exchange, designated, draft).status().code(),
      StatusCode::kPermissionDenied);
  DeliverAll();
  // At FR: the case is invisible to undesignated users, readable by designated ones.
  auto cases = ListCases(*nodes_["FR"].store, CallerOf("FR", "analyst", "judicial"), 10);
  ASSERT_TRUE(cases.ok());
  EXPECT_TRUE(cases->empty());
  cases = ListCases(*nodes_["FR"].store, CallerOf("FR", "analyst", "judicial", "minors"), 10);
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_TRUE((*cases)[0].summary.minors);
  EXPECT_EQ(ReadMessage(*nodes_["FR"].store, CallerOf("FR", "analyst", "judicial"), sent->id)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      ReadMessage(*nodes_["FR"].store, CallerOf("FR", "analyst", "judicial", "minors"), sent->id)
          .ok());
}

TEST_P(ExchangeTest, AReleaseNoticeGoesOnceAndItsAcknowledgementIsTracked) {
  model::Entity prisoner = Convict("BE-7", "Mehdi Azzouzi");
  prisoner.Set("plannedRelease", {"2026-07-20"});  // 35 days ahead
  prisoner.Set("establishment", {"Prison de Haren"});
  Put("BE", prisoner);
  model::Entity far = Convict("BE-8", "Omar Tahiri");
  far.Set("plannedRelease", {"2026-12-01"});  // beyond every notice period
  Put("BE", far);

  auto sweep = SendReleaseNotices(*nodes_["BE"].store, nodes_["BE"].exchange, TestToday());
  ASSERT_TRUE(sweep.ok()) << sweep.status().ToString();
  EXPECT_EQ(sweep->sent, 1);  // FR (60 days, nationality FR); not MA (30 days, not linked)
  sweep = SendReleaseNotices(*nodes_["BE"].store, nodes_["BE"].exchange, TestToday());
  EXPECT_EQ(sweep->sent, 0);
  EXPECT_EQ(sweep->already_sent, 1);
  DeliverAll();

  store::MessageQuery q;
  q.type = "release_notice";
  auto at_fr = nodes_["FR"].store->messages().List(q);
  ASSERT_EQ(at_fr->size(), 1u);
  const std::string notice_id = (*at_fr)[0].id;
  EXPECT_EQ(UnacknowledgedNotices(*nodes_["BE"].store)->size(), 1u);
  auto ack = Acknowledge(*nodes_["FR"].store, nodes_["FR"].exchange,
                         CallerOf("FR", "analyst", "intelligence"), notice_id);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  DeliverAll();
  EXPECT_TRUE(UnacknowledgedNotices(*nodes_["BE"].store)->empty());
  auto notice = nodes_["BE"].store->notices().Get("BE-7", "planned_release", "2026-07-20", "FR");
  ASSERT_TRUE(notice.ok());
  EXPECT_EQ(notice->acknowledged_by, "FR/intelligence");
  EXPECT_EQ(CountAudit("BE", "send_message", "release_notice"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExchangeTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
