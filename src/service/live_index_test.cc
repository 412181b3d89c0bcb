#include "service/live_index.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "store/test_backends.h"

namespace entente::service {
namespace {

model::Entity Person(const std::string& id, const std::string& name, const std::string& birth) {
  model::Entity e;
  e.id = id;
  e.Set("name", {name});
  e.Set("birthDate", {birth});
  e.Set("ownerAgency", {"BE/intelligence"});
  return e;
}

class LiveIndexTest : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  void SetUp() override {
    auto store = store::OpenTestStore(GetParam(), clock_, &dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(Put(Person("s1", "Mohamed El Amrani", "1990-03-14")).ok());
    ASSERT_TRUE(Put(Person("s2", "Sophie Gerard", "1985-07-02")).ok());
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  Status Put(const model::Entity& e) {
    return store_->Write([&](store::WriteTxn& txn) { return txn.subjects().Put(e).status(); });
  }
  static std::vector<std::string> Ids(const std::vector<LiveHit>& hits) {
    std::vector<std::string> ids;
    for (const auto& h : hits) ids.push_back(h.subject_id);
    return ids;
  }

  FakeClock clock_{1'790'000'000'000'000};
  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_P(LiveIndexTest, FindsSubjectsStoredBeforeItOpened) {
  auto index = LiveIndex::Open(*store_, {});
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ((*index)->size(), 2U);
  const auto hits = (*index)->Screen(Person("q", "EL AMRANI Mohammed", "1990-03-14"), {});
  ASSERT_EQ(Ids(hits), std::vector<std::string>{"s1"});
  EXPECT_GT(hits[0].probability, 0.9);
  EXPECT_NE(hits[0].explanation.find("birthDate=exact"), std::string::npos);
}

TEST_P(LiveIndexTest, FollowsCreatesUpdatesAndDeletesWithoutRestart) {
  auto opened = LiveIndex::Open(*store_, {});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  LiveIndex& index = **opened;
  const model::Entity query = Person("q", "Youssef El Khattabi", "1992-01-20");
  EXPECT_TRUE(index.Screen(query, {}).empty());

  ASSERT_TRUE(Put(Person("s3", "EL KHATTABI Youcef", "1992-01-20")).ok());
  EXPECT_TRUE(index.Screen(query, {}).empty()) << "not caught up yet";
  ASSERT_TRUE(index.CatchUp().ok());
  EXPECT_EQ(Ids(index.Screen(query, {})), std::vector<std::string>{"s3"});
  EXPECT_EQ(index.size(), 3U);

  // An update that changes the name: the old name no longer finds the subject.
  ASSERT_TRUE(Put(Person("s1", "Karim Idrissi", "1990-03-14")).ok());
  ASSERT_TRUE(index.CatchUp().ok());
  EXPECT_TRUE(index.Screen(Person("q", "Mohamed El Amrani", "1990-03-14"), {}).empty());
  EXPECT_EQ(Ids(index.Screen(Person("q", "IDRISSI Karim", "1990-03-14"), {})),
            std::vector<std::string>{"s1"});

  ASSERT_TRUE(store_->Write([](store::WriteTxn& txn) { return txn.subjects().Delete("s3"); }).ok());
  ASSERT_TRUE(index.CatchUp().ok());
  EXPECT_TRUE(index.Screen(query, {}).empty());
  EXPECT_EQ(index.size(), 2U);
}

TEST_P(LiveIndexTest, NeverScreensRestrictedOrErasedSubjects) {
  auto opened = LiveIndex::Open(*store_, {});
  ASSERT_TRUE(opened.ok());
  LiveIndex& index = **opened;
  const model::Entity query = Person("q", "Sophie Gérard", "1985-07-02");
  ASSERT_EQ(Ids(index.Screen(query, {})), std::vector<std::string>{"s2"});
  ASSERT_TRUE(store_
                  ->Write([](store::WriteTxn& txn) {
                    return txn.subjects().SetState("s2", store::SubjectState::kRestricted);
                  })
                  .ok());
  ASSERT_TRUE(index.CatchUp().ok());
  EXPECT_TRUE(index.Screen(query, {}).empty());
  ASSERT_TRUE(store_->Write([](store::WriteTxn& txn) { return txn.subjects().Erase("s2"); }).ok());
  ASSERT_TRUE(index.CatchUp().ok());
  EXPECT_TRUE(index.Screen(query, {}).empty());
}

TEST_P(LiveIndexTest, RebuildsTheBaseWhenTheOverlayGrows) {
  LiveIndexOptions options;
  options.rebuild_after = 5;
  auto opened = LiveIndex::Open(*store_, options);
  ASSERT_TRUE(opened.ok());
  LiveIndex& index = **opened;
  const std::vector<std::string> names = {"Amina Tahiri", "Bram Peeters",   "Carmen Ortega",
                                          "Driss Benali", "Elise Lambert",  "Farid Ouazzani",
                                          "Greet Maes",   "Hugo Navarro",   "Ilham Cherkaoui",
                                          "Jan Willems",  "Khadija Alaoui", "Lucas Moreau"};
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(
        Put(Person("n" + std::to_string(i), names[i], "19" + std::to_string(60 + i) + "-05-17"))
            .ok());
    ASSERT_TRUE(index.CatchUp().ok());
  }
  EXPECT_EQ(index.size(), 14U);
  EXPECT_EQ(Ids(index.Screen(Person("q", "ORTEGA Carmen", "1962-05-17"), {})),
            std::vector<std::string>{"n2"});
  EXPECT_EQ(Ids(index.Screen(Person("q", "Lucas Moreau", "1971-05-17"), {})),
            std::vector<std::string>{"n11"});
  auto last = store_->subjects().LastChangeSeq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(index.seq(), *last);
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveIndexTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         [](const auto& param_info) {
                           return std::string(store::TestBackendName(param_info.param));
                         });

}  // namespace
}  // namespace entente::service
