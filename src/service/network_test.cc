#include "service/network.h"

#include <gtest/gtest.h>

#include "service/use_case_testing.h"

namespace entente::service {
namespace {

using testing::MakeCaller;
using testing::UseCaseTest;

std::vector<std::string> Ids(const Network& network) {
  std::vector<std::string> ids;
  for (const auto& node : network.nodes) ids.push_back(node.id);
  return ids;
}

// BE-1 -associate-> BE-2 -family-> BE-3 <-cell_mate- BE-4 ; BE-1 -travel-> FR-0000009 (another
// register); BE-2 -associate-> BE-5 (a minor); BE-6 -communication-> BE-7 owned by FR/police
// (a partner's record kept here); BE-8 alone.
class NetworkTest : public UseCaseTest {
 protected:
  void SetUp() override {
    UseCaseTest::SetUp();
    Put(Linked("BE-1", "Mohamed El Amrani", {"associate:BE-2", "travel:FR-0000009"}));
    Put(Linked("BE-2", "Sophie Gerard", {"family:BE-3", "associate:BE-5"}));
    Put(Linked("BE-3", "Karim Idrissi", {}));
    Put(Linked("BE-4", "Jan Peeters", {"cell_mate:BE-3"}));
    model::Entity minor = Linked("BE-5", "Younes B.", {});
    minor.Set("birthDate", {"2011-02-02"});
    Put(minor);
    Put(Linked("BE-6", "Youssef El Khattabi", {"communication:BE-7"}));
    Put(testing::Subject("BE-7", "Jean Dupont", "FR/police"));
    Put(Linked("BE-8", "Ahmed Alaoui", {}));
  }
  static model::Entity Linked(const std::string& id, const std::string& name,
                              std::vector<std::string> links) {
    model::Entity e = testing::Subject(id, name);
    if (!links.empty()) e.Set("link", std::move(links));
    return e;
  }
  Caller analyst_ = MakeCaller("analyst", "BE/police");
};

TEST_P(NetworkTest, NeighboursByDepthWithHopsAndTypes) {
  auto one = Neighbours(*store_, analyst_, "BE-1", 1);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(Ids(*one), (std::vector<std::string>{"BE-1", "BE-2", "FR-0000009"}));
  EXPECT_EQ(one->nodes[1].hops, 1);
  EXPECT_FALSE(one->nodes[2].in_register);
  EXPECT_EQ(one->nodes[2].country, "FR");
  EXPECT_EQ(one->links[0], (NetworkLink{"BE-1", "BE-2", "associate"}));

  auto two = Neighbours(*store_, analyst_, "BE-1", 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(Ids(*two), (std::vector<std::string>{"BE-1", "BE-2", "FR-0000009", "BE-3"}));
  EXPECT_EQ(two->nodes[3].hops, 2);
  EXPECT_EQ(two->withheld, 1) << "the minor BE-5 is left out";
  EXPECT_EQ(CountAudit("read_network", "refused: minor_designation", "BE-5"), 1);
  EXPECT_EQ(CountAudit("read_network", "\"outcome\":\"allowed\"", "BE-3"), 1);

  auto three = Neighbours(*store_, analyst_, "BE-1", 3);
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->nodes.back().id, "BE-4") << "reached against the direction of its link";

  EXPECT_EQ(Neighbours(*store_, analyst_, "BE-1", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Neighbours(*store_, analyst_, "BE-404", 1).status().code(), StatusCode::kNotFound);
}

TEST_P(NetworkTest, AMinorIsNotMappedWithoutTheDesignation) {
  EXPECT_EQ(Neighbours(*store_, analyst_, "BE-5", 1).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(CountAudit("read_network", "refused: minor_designation", "BE-5"), 1);
  auto designated = Neighbours(*store_, MakeCaller("analyst", "BE/police", "minors"), "BE-2", 1);
  ASSERT_TRUE(designated.ok());
  EXPECT_EQ(designated->withheld, 0);
  EXPECT_EQ(designated->nodes.size(), 4U);
}

TEST_P(NetworkTest, ShortestPathFollowsLinksBothWays) {
  auto path = ShortestPath(*store_, analyst_, "BE-1", "BE-4");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(Ids(*path), (std::vector<std::string>{"BE-1", "BE-2", "BE-3", "BE-4"}));
  ASSERT_EQ(path->links.size(), 3U);
  EXPECT_EQ(path->links[2], (NetworkLink{"BE-4", "BE-3", "cell_mate"}));
  EXPECT_EQ(path->nodes[3].hops, 3);
  EXPECT_EQ(ShortestPath(*store_, analyst_, "BE-1", "BE-8").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ShortestPath(*store_, analyst_, "BE-1", "BE-5").status().code(), StatusCode::kNotFound)
      << "a path through a subject the caller may not see is not found";
}

TEST_P(NetworkTest, GroupsAreConnectedComponents) {
  auto group = ConnectedGroup(*store_, analyst_, "BE-4");
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(group->nodes.size(), 5U);  // BE-1..4 and FR-0000009; BE-5 withheld
  auto groups = Groups(*store_, analyst_);
  ASSERT_TRUE(groups.ok()) << groups.status().ToString();
  ASSERT_EQ(groups->groups.size(), 2U);
  EXPECT_EQ(groups->groups[0].nodes.size(), 5U);
  EXPECT_EQ(Ids(groups->groups[1]), (std::vector<std::string>{"BE-6", "BE-7"}));
  EXPECT_EQ(groups->withheld, 1);
}

TEST_P(NetworkTest, CrossBorderLinksByCountryOrIdPrefix) {
  auto cross = CrossBorderLinks(*store_, analyst_);
  ASSERT_TRUE(cross.ok()) << cross.status().ToString();
  ASSERT_EQ(cross->links.size(), 2U);
  EXPECT_EQ(cross->links[0].link.src, "BE-1");
  EXPECT_EQ(cross->links[0].link.dst, "FR-0000009");
  EXPECT_EQ(cross->links[0].other_country, "FR");
  EXPECT_FALSE(cross->links[0].other_in_register);
  EXPECT_EQ(cross->links[1].link.src, "BE-6");
  EXPECT_EQ(cross->links[1].other_country, "FR");
  EXPECT_TRUE(cross->links[1].other_in_register);
  EXPECT_EQ(CountryOfIdPrefix("FR-0000009"), "FR");
  EXPECT_EQ(CountryOfIdPrefix("W0000001"), "");
  EXPECT_EQ(CountryOfIdPrefix("fr-1"), "");
}

TEST_P(NetworkTest, AnAuditorMayNotMapNetworks) {
  EXPECT_EQ(Groups(*store_, MakeCaller("auditor", "BE/judicial")).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(CountAudit("read_network", "refused: role"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, NetworkTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
