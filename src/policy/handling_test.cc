#include "policy/handling.h"

#include <gtest/gtest.h>

namespace entente::policy {
namespace {

SubjectFacts WithCode(model::HandlingCode code, std::string restriction = "") {
  SubjectFacts subject;
  subject.id = "S1";
  subject.handling_code = code;
  subject.handling_restriction = std::move(restriction);
  return subject;
}

constexpr Destination kAll[] = {Destination::kWithinNode, Destination::kFile,
                                Destination::kPartner};

TEST(CanForwardTest, H0GoesEverywhereUnmarked) {
  for (const Destination to : kAll) {
    const auto decision = CanForward(WithCode(model::HandlingCode::kH0), to, false);
    EXPECT_TRUE(decision.allowed) << DestinationName(to);
    EXPECT_FALSE(decision.not_for_judicial_use);
    EXPECT_TRUE(decision.restriction_to_show.empty());
    EXPECT_TRUE(decision.ToStatus().ok());
  }
}

TEST(CanForwardTest, H1GoesMarkedNotForJudicialUseUnlessPermitted) {
  for (const Destination to : kAll) {
    const auto marked = CanForward(WithCode(model::HandlingCode::kH1), to, false);
    EXPECT_TRUE(marked.allowed);
    EXPECT_TRUE(marked.not_for_judicial_use) << DestinationName(to);
    const auto permitted = CanForward(WithCode(model::HandlingCode::kH1), to, true);
    EXPECT_TRUE(permitted.allowed);
    EXPECT_FALSE(permitted.not_for_judicial_use);
  }
}

TEST(CanForwardTest, H2StaysInTheNodeWithoutPermission) {
  EXPECT_TRUE(
      CanForward(WithCode(model::HandlingCode::kH2), Destination::kWithinNode, false).allowed);
  for (const Destination to : {Destination::kFile, Destination::kPartner}) {
    const auto refused = CanForward(WithCode(model::HandlingCode::kH2), to, false);
    EXPECT_FALSE(refused.allowed) << DestinationName(to);
    EXPECT_EQ(refused.rule, Rule::kHandlingH2);
    EXPECT_EQ(refused.ToStatus().code(), StatusCode::kPermissionDenied);
    EXPECT_NE(refused.reason.find(DestinationName(to)), std::string::npos) << refused.reason;
    EXPECT_TRUE(CanForward(WithCode(model::HandlingCode::kH2), to, true).allowed);
  }
}

TEST(CanForwardTest, H3NeverWithoutPermissionAndAlwaysShowsItsRestriction) {
  const std::string words = "not to be used for immigration decisions";
  for (const Destination to : kAll) {
    const auto refused = CanForward(WithCode(model::HandlingCode::kH3, words), to, false);
    EXPECT_FALSE(refused.allowed) << DestinationName(to);
    EXPECT_EQ(refused.rule, Rule::kHandlingH3);
    EXPECT_NE(refused.reason.find(words), std::string::npos) << refused.reason;
    const auto permitted = CanForward(WithCode(model::HandlingCode::kH3, words), to, true);
    EXPECT_TRUE(permitted.allowed);
    EXPECT_EQ(permitted.restriction_to_show, words);
  }
  const auto unstated = CanForward(WithCode(model::HandlingCode::kH3), Destination::kFile, true);
  EXPECT_NE(unstated.restriction_to_show.find("ask the provider"), std::string::npos);
}

TEST(CanForwardTest, RecordWithoutHandlingCodeIsTreatedAsH2) {
  SubjectFacts subject;
  EXPECT_EQ(subject.handling_code, kDefaultHandlingCode);
  EXPECT_FALSE(CanForward(subject, Destination::kPartner, false).allowed);
}

TEST(CanForwardTest, DestinationNamesRoundTrip) {
  for (const Destination to : kAll) EXPECT_EQ(*ParseDestination(DestinationName(to)), to);
  const auto bad = ParseDestination("europol");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("within_node"), std::string::npos);
}

}  // namespace
}  // namespace entente::policy
