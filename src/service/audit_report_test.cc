#include "service/audit_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace entente::service {
namespace {

store::AuditEntry Entry(int64_t seq, std::string actor, std::string agency, std::string action,
                        std::string subject, std::string details) {
  store::AuditEntry e;
  e.seq = seq;
  e.at = seq * 1'000'000;
  e.record = {std::move(actor),   std::move(agency), std::move(action),
              std::move(subject), "weekly review",   "",
              std::move(details)};
  return e;
}

// A seeded history: two analysts of two agencies consulting, a refusal twice, a message to two
// partners naming two subjects (two entries of one message), a spontaneous message with
// references only, an erasure asked and confirmed, and one by the retention sweep.
std::vector<store::AuditEntry> History() {
  return {
      Entry(1, "u-ana", "BE/police", "read_subject", "BE-1", R"({"outcome":"allowed"})"),
      Entry(2, "u-ana", "BE/police", "screen", "",
            R"({"hits":[{"subject":"BE-1"}],"outcome":"allowed"})"),
      Entry(3, "u-ana", "BE/police", "screen", "", R"({"hits":[],"outcome":"allowed"})"),
      Entry(4, "u-bob", "BE/intelligence", "read_subject", "BE-2",
            R"({"outcome":"refused: need_to_know"})"),
      Entry(5, "u-bob", "BE/intelligence", "read_subject", "BE-2",
            R"({"outcome":"refused: need_to_know"})"),
      Entry(6, "u-bob", "BE/intelligence", "write_subject", "BE-3", R"({"outcome":"allowed"})"),
      Entry(7, "u-bob", "BE/intelligence", "send_message", "BE-1",
            R"({"outcome":"sent","message_id":"m1","type":"spontaneous","content":"records",)"
            R"("recipients":["FR/police","ES/police"],"legal_basis":{"kind":"treaty",)"
            R"("reference":"Prüm"}})"),
      Entry(8, "u-bob", "BE/intelligence", "send_message", "BE-2",
            R"({"outcome":"sent","message_id":"m1","type":"spontaneous","content":"records",)"
            R"("recipients":["FR/police","ES/police"],"legal_basis":{"kind":"treaty",)"
            R"("reference":"Prüm"}})"),
      Entry(9, "u-bob", "BE/intelligence", "send_message", "",
            R"({"outcome":"sent","message_id":"m2","type":"request","content":"references",)"
            R"("recipients":["FR/police"],"legal_basis":{"kind":"treaty","reference":"Prüm"}})"),
      Entry(10, "u-sup1", "BE/police", "erase_subject", "BE-9",
            R"({"operation":"request_erasure","reason":"court order","outcome":"allowed"})"),
      Entry(11, "u-sup2", "BE/police", "erase_subject", "BE-9",
            R"({"operation":"erase","reason":"confirmed","requested_by":"u-sup1",)"
            R"("outcome":"allowed"})"),
      Entry(12, "system:retention", "BE/administration", "erase_subject", "BE-7",
            R"({"rule":"retention","state":"erased","outcome":"allowed"})"),
      Entry(13, "u-ana", "BE/police", "read_audit_log", "", R"({"outcome":"refused: role"})"),
  };
}

TEST(AuditReportTest, AnswersAnInspectorsQuestionsFromASeededHistory) {
  AuditReportBuilder builder;
  for (const store::AuditEntry& e : History()) builder.Add(e);
  const AuditReport report = builder.Build(0, 14'000'000, {{"u-ana", "Ana Claes"}});
  EXPECT_EQ(report.entries, 13);

  // Consultations per user and agency (reads of personal data allowed; writes apart).
  ASSERT_EQ(report.users.size(), 5U);
  const UserActivity* ana = nullptr;
  const UserActivity* bob = nullptr;
  for (const UserActivity& u : report.users) {
    if (u.actor == "u-ana") ana = &u;
    if (u.actor == "u-bob") bob = &u;
  }
  ASSERT_NE(ana, nullptr);
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(ana->name, "Ana Claes");
  EXPECT_EQ(ana->consultations.at("screen"), 2);
  EXPECT_EQ(ana->consultations.at("read_subject"), 1);
  EXPECT_EQ(ana->refused, 1);
  EXPECT_TRUE(bob->consultations.empty());
  EXPECT_EQ(bob->changes, 1);
  EXPECT_EQ(bob->refused, 2);
  EXPECT_EQ(report.agencies.at("BE/police"), std::make_pair(int64_t{3}, int64_t{1}));
  EXPECT_EQ(report.agencies.at("BE/intelligence"), std::make_pair(int64_t{0}, int64_t{2}));

  // Refusals, most frequent first, with their rule.
  ASSERT_EQ(report.refusals.size(), 2U);
  EXPECT_EQ(report.refusals[0].actor, "u-bob");
  EXPECT_EQ(report.refusals[0].rule, "need_to_know");
  EXPECT_EQ(report.refusals[0].count, 2);
  EXPECT_EQ(report.refusals[1].rule, "role");

  // Transfers per partner and legal basis: messages counted once, whatever the entries.
  ASSERT_EQ(report.transfers.size(), 2U);
  EXPECT_EQ(report.transfers[0].recipient, "ES/police");
  EXPECT_EQ(report.transfers[0].messages.at("spontaneous"), 1);
  EXPECT_EQ(report.transfers[0].subjects, 2);
  EXPECT_EQ(report.transfers[1].recipient, "FR/police");
  EXPECT_EQ(report.transfers[1].legal_basis, "treaty: Prüm");
  EXPECT_EQ(report.transfers[1].messages.at("spontaneous"), 1);
  EXPECT_EQ(report.transfers[1].messages.at("request"), 1);
  EXPECT_EQ(report.transfers[1].with_records, 1);

  // Erasures: asked, confirmed (naming who asked), by the retention sweep.
  ASSERT_EQ(report.erasures.size(), 3U);
  EXPECT_EQ(report.erasures[0].operation, "request_erasure");
  EXPECT_EQ(report.erasures[1].operation, "erase");
  EXPECT_EQ(report.erasures[1].requested_by, "u-sup1");
  EXPECT_EQ(report.erasures[2].operation, "retention");
  EXPECT_EQ(report.erasures[2].subject_id, "BE-7");
}

TEST(AuditReportTest, UnreadableDetailsCountAsEntriesOnly) {
  AuditReportBuilder builder;
  builder.Add(Entry(1, "u-x", "BE/police", "read_subject", "BE-1", "not json"));
  builder.Add(Entry(2, "u-x", "BE/police", "send_message", "BE-1", R"({"outcome":"sent"})"));
  const AuditReport report = builder.Build(0, 1, {});
  EXPECT_EQ(report.entries, 2);
  ASSERT_EQ(report.users.size(), 1U);
  EXPECT_TRUE(report.users[0].consultations.empty());
  EXPECT_TRUE(report.transfers.empty());
}

}  // namespace
}  // namespace entente::service
