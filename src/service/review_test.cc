#include "service/review.h"

#include <gtest/gtest.h>

#include "service/use_case_testing.h"

namespace entente::service {
namespace {

using testing::MakeCaller;
using testing::UseCaseTest;

class ReviewTest : public UseCaseTest {
 protected:
  void SetUp() override {
    UseCaseTest::SetUp();
    model::Entity overdue = testing::Subject("R1", "Mohamed El Amrani", "BE/police");
    overdue.Set("reviewDate", {"2026-01-01"});
    Put(overdue);
    model::Entity due = testing::Subject("R2", "Sophie Gerard", "BE/intelligence");
    due.Set("reviewDate", {"2026-07-01"});
    Put(due);
    model::Entity later = testing::Subject("R3", "Karim Idrissi", "BE/police");
    later.Set("reviewDate", {"2028-01-01"});
    later.Set("modifiedAt", {"2026-05-01"});
    Put(later);
    model::Entity minor = testing::Subject("R4", "Younes B.", "BE/police", "2011-02-02");
    minor.Set("reviewDate", {"2026-02-01"});
    Put(minor);
    model::Entity expired = testing::Subject("X1", "Jan Peeters", "BE/police");
    expired.Set("reviewDate", {"2025-01-01"});
    expired.Set("retentionDate", {"2026-01-31"});
    Put(expired);
    model::Entity other = testing::Subject("X2", "Ahmed Alaoui", "BE/intelligence");
    other.Set("reviewDate", {"2025-01-01"});
    other.Set("retentionDate", {"2026-03-31"});
    Put(other);
    model::Entity kept = testing::Subject("X3", "Luc Martin", "BE/police");
    kept.Set("reviewDate", {"2026-06-01"});
    kept.Set("retentionDate", {"2030-01-01"});
    kept.Set("modifiedAt", {"2026-05-01"});
    Put(kept);
  }
  // Runs the node's sweep on `day`, with the store's clock on that day too.
  SweepReport SystemSweep(const model::PartialDate& day) {
    clock_.Set(testing::MicrosOfDay(day));
    auto report = RunSystemRetentionSweep(*store_, "BE", day, "admin-1");
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : SweepReport{};
  }
  store::SubjectState StateOf(const std::string& id) {
    auto subject = store_->subjects().Get(id);
    EXPECT_TRUE(subject.ok()) << id;
    return subject.ok() ? subject->state : store::SubjectState::kActive;
  }
};

TEST_P(ReviewTest, ListsDueAndOverdueReviewsOverdueFirst) {
  auto items =
      ListOverdueReviews(*store_, MakeCaller("analyst", "BE/police"), testing::TestToday());
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  std::vector<std::string> ids;
  for (const auto& item : *items) ids.push_back(item.subject_id);
  // X1, X2 (2025-01-01) and R1 overdue; R2 due within 30 days; R3 not due; R4 a minor.
  EXPECT_EQ(ids, (std::vector<std::string>{"X1", "X2", "R1", "X3", "R2"}));
  EXPECT_EQ((*items)[2].state, policy::ReviewState::kOverdue);
  EXPECT_EQ((*items)[2].deadline, "2026-01-01");
  EXPECT_EQ((*items)[4].state, policy::ReviewState::kDue);
  EXPECT_EQ(CountAudit("read_subject", "review_list", "R1"), 1);
  EXPECT_EQ(CountAudit("read_subject", "review_list", "R4"), 0);

  auto designated = ListOverdueReviews(*store_, MakeCaller("analyst", "BE/police", "minors"),
                                       testing::TestToday());
  ASSERT_TRUE(designated.ok());
  EXPECT_EQ(designated->size(), 6U);

  EXPECT_EQ(ListOverdueReviews(*store_, MakeCaller("administrator", "BE/administration"),
                               testing::TestToday())
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(CountAudit("read_subject", "refused: role"), 1);
}

TEST_P(ReviewTest, SweepRestrictsThenErasesAfterTheGracePeriodAndIsIdempotent) {
  const SweepReport first = SystemSweep(testing::TestToday());
  ASSERT_EQ(first.actions.size(), 2U);
  EXPECT_EQ(first.actions[0].subject_id, "X1");
  EXPECT_EQ(first.actions[0].action, policy::RetentionAction::kRestrict);
  EXPECT_EQ(StateOf("X1"), store::SubjectState::kRestricted);
  EXPECT_EQ(StateOf("X2"), store::SubjectState::kRestricted);
  EXPECT_EQ(StateOf("X3"), store::SubjectState::kActive);
  EXPECT_TRUE(SystemSweep(testing::TestToday()).actions.empty()) << "idempotent";

  // 90 days after the restriction (2026-06-15), not before.
  EXPECT_TRUE(SystemSweep(model::PartialDate::Day(2026, 9, 12)).actions.empty());
  const SweepReport erase = SystemSweep(model::PartialDate::Day(2026, 9, 13));
  ASSERT_EQ(erase.actions.size(), 2U);
  EXPECT_EQ(erase.actions[0].action, policy::RetentionAction::kErase);
  EXPECT_EQ(StateOf("X1"), store::SubjectState::kErased);
  EXPECT_TRUE(SystemSweep(model::PartialDate::Day(2026, 9, 13)).actions.empty());
  EXPECT_TRUE(SystemSweep(model::PartialDate::Day(2027, 1, 1)).actions.empty());

  // The erasure log names the subject, the rule and the date.
  const auto entries = Audit("X1");
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].record.action, "restrict_subject");
  EXPECT_EQ(entries[1].record.action, "erase_subject");
  EXPECT_EQ(entries[1].record.actor, kSweepActor);
  EXPECT_EQ(entries[1].record.subject_id, "X1");
  EXPECT_EQ(entries[1].record.on_behalf_of, "admin-1");
  EXPECT_NE(entries[1].record.details_json.find("\"rule\":\"retention\""), std::string::npos);
  EXPECT_NE(entries[1].record.details_json.find("\"date\":\"2026-09-13\""), std::string::npos);
  EXPECT_NE(entries[1].record.details_json.find("\"retention_date\":\"2026-01-31\""),
            std::string::npos);
  auto chain = store_->VerifyAuditChain();
  ASSERT_TRUE(chain.ok());
  EXPECT_FALSE(chain->first_broken_seq.has_value());
}

TEST_P(ReviewTest, ASupervisorSweepsOnlyItsAgencysSubjects) {
  auto report =
      RunRetentionSweep(*store_, MakeCaller("supervisor", "BE/police"), testing::TestToday());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->actions.size(), 1U);
  EXPECT_EQ(report->actions[0].subject_id, "X1");
  EXPECT_EQ(report->refused, 1);
  EXPECT_EQ(StateOf("X2"), store::SubjectState::kActive);
  EXPECT_EQ(CountAudit("restrict_subject", "refused: owner_agency", "X2"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
