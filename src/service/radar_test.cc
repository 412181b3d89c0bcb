#include "service/radar.h"

#include <gtest/gtest.h>

#include "service/use_case_testing.h"

namespace entente::service {
namespace {

using testing::MakeCaller;
using testing::UseCaseTest;

class RadarTest : public UseCaseTest {
 protected:
  void SetUp() override {
    UseCaseTest::SetUp();
    model::Entity released = testing::Subject("S1", "Mohamed El Amrani", "BE/penitentiary");
    released.Set("plannedRelease", {"2026-08-01"});
    released.Set("establishment", {"Prison de Haren"});
    released.Set("threatLevel", {"3"});
    released.Set("category", {"terrorism_convict", "radicalised_prisoner"});
    Put(released);
    model::Entity leave = testing::Subject("S2", "Sophie Gerard", "BE/penitentiary");
    leave.Set("leave", {"2026-07-10/2026-07-12"});
    leave.Set("handlingCode", {"H1"});
    Put(leave);
    model::Entity minor = testing::Subject("S3", "Younes B.", "BE/youth_protection", "2011-02-02");
    minor.Set("plannedRelease", {"2026-07-20"});
    Put(minor);
    model::Entity later = testing::Subject("S4", "Karim Idrissi", "BE/penitentiary");
    later.Set("plannedRelease", {"2027-03-01"});
    Put(later);
    model::Entity restricted = testing::Subject("S5", "Jan Peeters", "BE/penitentiary");
    restricted.Set("plannedRelease", {"2026-07-01"});
    Put(restricted);
    ASSERT_TRUE(store_
                    ->Write([](store::WriteTxn& txn) {
                      return txn.subjects().SetState("S5", store::SubjectState::kRestricted);
                    })
                    .ok());
  }
  Caller analyst_ = MakeCaller("analyst", "BE/intelligence");
};

TEST_P(RadarTest, ShowsTheWindowWithMinorsHitNoHitAndRestrictedLeftOut) {
  auto radar = ReadRadar(*store_, analyst_, "2026-06-15", "2026-09-13");
  ASSERT_TRUE(radar.ok()) << radar.status().ToString();
  ASSERT_EQ(radar->entries.size(), 3U);
  EXPECT_EQ(radar->entries[0].event.subject_id, "S2");
  EXPECT_EQ(radar->entries[0].event.kind, "leave");
  EXPECT_TRUE(radar->entries[0].not_for_judicial_use);
  EXPECT_EQ(radar->entries[1].event.subject_id, "S3");
  EXPECT_TRUE(radar->entries[1].withheld);
  EXPECT_EQ(radar->entries[1].withheld_rule, "minor_designation");
  EXPECT_TRUE(radar->entries[1].name.empty());
  const RadarEntry& s1 = radar->entries[2];
  EXPECT_EQ(s1.event.subject_id, "S1");
  EXPECT_EQ(s1.event.start_date, "2026-08-01");
  EXPECT_EQ(s1.name, "Mohamed El Amrani");
  EXPECT_EQ(s1.owner_agency, "BE/penitentiary");
  EXPECT_EQ(s1.threat_level, "3");
  EXPECT_EQ(s1.categories, (std::vector<std::string>{"terrorism_convict", "radicalised_prisoner"}));
  EXPECT_EQ(radar->left_out, 1);
  EXPECT_EQ(CountAudit("read_radar", "\"outcome\":\"allowed\"", "S1"), 1);
  EXPECT_EQ(CountAudit("read_radar", "refused: minor_designation", "S3"), 1);
  EXPECT_EQ(CountAudit("read_radar", "refused", "S5"), 1);

  // A user designated for minors sees the minor in full.
  auto designated = ReadRadar(*store_, MakeCaller("analyst", "BE/youth_protection", "minors"),
                              "2026-06-15", "2026-09-13");
  ASSERT_TRUE(designated.ok());
  EXPECT_FALSE(designated->entries[1].withheld);
  EXPECT_EQ(designated->entries[1].name, "Younes B.");
}

TEST_P(RadarTest, RefusesBadWindowsAndUnjustifiedReads) {
  EXPECT_EQ(ReadRadar(*store_, analyst_, "2026-09-01", "2026-06-01").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadRadar(*store_, analyst_, "2026-06", "2026-09-01").status().code(),
            StatusCode::kInvalidArgument);
  Caller unjustified = analyst_;
  unjustified.context.justification = "";
  EXPECT_EQ(ReadRadar(*store_, unjustified, "2026-06-15", "2026-09-13").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(CountAudit("read_radar", "refused: justification"), 1);
}

TEST_P(RadarTest, PreparesTheChecklistOnceAndFlagsOverdueTasks) {
  auto tasks = PrepareChecklist(*store_, analyst_, "S1", "2026-08-01");
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  ASSERT_EQ(tasks->size(), kStandardChecklist.size());
  EXPECT_EQ((*tasks)[0].task, "release file");
  EXPECT_EQ((*tasks)[0].owner_agency, "BE/penitentiary");
  EXPECT_EQ((*tasks)[0].due_date, "2026-06-02");  // 60 days before 2026-08-01
  EXPECT_EQ((*tasks)[6].owner_agency, "BE/police");
  EXPECT_EQ((*tasks)[6].due_date, "2026-07-18");  // 14 days before

  auto again = PrepareChecklist(*store_, analyst_, "S1", "2026-08-01");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), tasks->size());
  for (size_t i = 0; i < tasks->size(); ++i) EXPECT_EQ((*again)[i].id, (*tasks)[i].id);
  EXPECT_EQ(store_->tasks().Of("S1")->size(), kStandardChecklist.size());

  EXPECT_EQ(PrepareChecklist(*store_, analyst_, "S1", "2026-08-02").status().code(),
            StatusCode::kNotFound);

  // On 2026-06-15 the two penitentiary tasks (due 2026-06-02) are overdue.
  auto radar = ReadRadar(*store_, analyst_, "2026-08-01", "2026-08-01");
  ASSERT_TRUE(radar.ok());
  ASSERT_EQ(radar->entries.size(), 1U);
  EXPECT_EQ(radar->entries[0].checklist.size(), kStandardChecklist.size());
  EXPECT_EQ(radar->entries[0].overdue_tasks, 2);
  EXPECT_EQ(radar->overdue_tasks, 2);

  auto done = UpdateTask(*store_, analyst_, (*tasks)[0].id, store::TaskStatus::kDone);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, store::TaskStatus::kDone);
  radar = ReadRadar(*store_, analyst_, "2026-08-01", "2026-08-01");
  ASSERT_TRUE(radar.ok());
  EXPECT_EQ(radar->entries[0].overdue_tasks, 1);
  EXPECT_EQ(CountAudit("manage_checklist_task", "\"to\":\"done\"", "S1"), 1);
  EXPECT_EQ(UpdateTask(*store_, analyst_, 999999, store::TaskStatus::kDone).status().code(),
            StatusCode::kNotFound);
}

TEST_P(RadarTest, AMinorsChecklistNeedsTheDesignation) {
  EXPECT_EQ(PrepareChecklist(*store_, analyst_, "S3", "2026-07-20").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(store_->tasks().Of("S3")->empty());
  EXPECT_EQ(CountAudit("manage_checklist_task", "refused: minor_designation", "S3"), 1);
}

// A task is given to someone and commented on: the radar shows both; the audit says what
// changed but not what the comment said; bad input names its field; the comments go with the
// subject's erasure.
TEST_P(RadarTest, ATaskHasAnAssigneeAndComments) {
  auto tasks = PrepareChecklist(*store_, analyst_, "S1", "2026-08-01");
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  const int64_t id = (*tasks)[0].id;
  auto changed = ChangeTask(*store_, analyst_, id,
                            {.assignee = "Lt. Dupont (penitentiary liaison)",
                             .comment = "Release file requested from the prison registry"});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->task.assignee, "Lt. Dupont (penitentiary liaison)");
  EXPECT_EQ(changed->task.status, store::TaskStatus::kOpen);
  ASSERT_EQ(changed->comments.size(), 1U);
  EXPECT_EQ(changed->comments[0].author, analyst_.principal.user_id);
  EXPECT_EQ(changed->comments[0].agency, "BE/intelligence");
  EXPECT_TRUE(changed->overdue);
  changed =
      ChangeTask(*store_, analyst_, id,
                 {.status = store::TaskStatus::kDone, .comment = "Sent on 2026-06-14\nto FR"});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_FALSE(changed->overdue);
  EXPECT_EQ(changed->task.assignee, "Lt. Dupont (penitentiary liaison)") << "kept";
  ASSERT_EQ(changed->comments.size(), 2U);
  EXPECT_EQ(changed->comments[1].text, "Sent on 2026-06-14\nto FR");

  auto radar = ReadRadar(*store_, analyst_, "2026-08-01", "2026-08-01");
  ASSERT_TRUE(radar.ok());
  ASSERT_FALSE(radar->entries[0].checklist.empty());
  EXPECT_EQ(radar->entries[0].checklist[0].task.assignee, "Lt. Dupont (penitentiary liaison)");
  EXPECT_EQ(radar->entries[0].checklist[0].comments.size(), 2U);
  EXPECT_EQ(CountAudit("manage_checklist_task", "\"comment_added\":true", "S1"), 2);
  EXPECT_EQ(CountAudit("manage_checklist_task", "prison registry", "S1"), 0)
      << "the audit does not copy the comment";

  for (const auto& [change, field] :
       {std::pair{TaskChange{}, "body"}, std::pair{TaskChange{.comment = " \n "}, "comment"},
        std::pair{TaskChange{.assignee = std::string(121, 'a')}, "assignee"},
        std::pair{TaskChange{.assignee = "tab\there"}, "assignee"},
        std::pair{TaskChange{.comment = std::string("bad \xff byte")}, "comment"}}) {
    const Status refused = ChangeTask(*store_, analyst_, id, change).status();
    EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(refused.message().rfind(std::string(field) + ":", 0), 0U) << refused.message();
  }
  EXPECT_EQ(ChangeTask(*store_, analyst_, 999999, {.comment = "x"}).status().code(),
            StatusCode::kNotFound);

  ASSERT_TRUE(store_->Write([](store::WriteTxn& txn) { return txn.subjects().Erase("S1"); }).ok());
  EXPECT_EQ(store_->tasks().Comments(id)->size(), 0U);
}

INSTANTIATE_TEST_SUITE_P(Backends, RadarTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
