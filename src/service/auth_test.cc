#include "service/auth.h"

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <algorithm>
#include <atomic>
#include <thread>

#include "common/clock.h"
#include "policy/subject_facts.h"
#include "store/test_backends.h"

namespace entente::service {
namespace {

constexpr int64_t kStart = 1'790'000'000'000'000;  // 2026-09-21
constexpr int64_t kTtl = 60'000'000;

class AuthTest : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  void SetUp() override {
    auto store = store::OpenTestStore(GetParam(), clock_, &dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto admin = AddFirstAdministrator(*store_, "BE/administration");
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    admin_ = *admin;
    authenticator_ = std::make_unique<Authenticator>(*store_, clock_, kTtl);
  }
  void TearDown() override {
    authenticator_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  Caller As(const policy::Principal& principal) const {
    Caller caller;
    caller.principal = principal;
    caller.context.node_country = "BE";
    caller.context.today = policy::DayOfMicros(clock_.NowMicros());
    return caller;
  }
  Result<IssuedUser> Add(const NewUser& user) {
    return AddUser(*store_, As(admin_.principal), user, clock_);
  }

  FakeClock clock_{kStart};
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  IssuedUser admin_;
  std::unique_ptr<Authenticator> authenticator_;
};

TEST_P(AuthTest, IssuedTokenHasTheDocumentedShapeAndIsStoredHashed) {
  auto issued = Add({"be/intelligence", "analyst", "consult_and_feed", "minors"});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  const std::string& token = issued->token;
  ASSERT_EQ(token.rfind("ent_" + issued->user_id + "_", 0), 0u) << token;
  EXPECT_EQ(token.size(), 4 + issued->user_id.size() + 1 + kTokenSecretChars);
  EXPECT_EQ(issued->user_id.size(), 10u);  // u-<8 hex>
  auto stored = store_->users().Get(issued->user_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->agency, "BE/intelligence");
  EXPECT_EQ(stored->tier, "consult_and_feed");
  EXPECT_EQ(stored->designations, "minors");
  EXPECT_EQ(stored->token_hash.rfind("$argon2id$", 0), 0u) << stored->token_hash;
  EXPECT_EQ(stored->token_hash.find(token.substr(token.size() - kTokenSecretChars)),
            std::string::npos);
}

TEST_P(AuthTest, AuthenticatesAnIssuedToken) {
  auto issued = Add({"BE/police", "supervisor", "", ""});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  auto principal = authenticator_->Authenticate(issued->token);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->user_id, issued->user_id);
  EXPECT_EQ(principal->role, policy::Role::kSupervisor);
  EXPECT_EQ(principal->agency.ToString(), "BE/police");
  EXPECT_EQ(principal->tier, policy::kDefaultTier);
  auto admin = authenticator_->Authenticate(admin_.token);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  EXPECT_EQ(admin->role, policy::Role::kAdministrator);
}

TEST_P(AuthTest, WrongUnknownAndMalformedTokensAreRefusedAlike) {
  auto issued = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(issued.ok());
  std::string wrong_secret = issued->token;
  wrong_secret.back() = wrong_secret.back() == 'A' ? 'B' : 'A';
  std::string unknown_user = issued->token;
  unknown_user.replace(4, issued->user_id.size(), "u-00000000");
  const std::string cases[] = {wrong_secret,
                               unknown_user,
                               "",
                               "Bearer " + issued->token,
                               "ent_" + issued->user_id,
                               issued->token + "x",
                               "ent__" + issued->token.substr(issued->token.size() - 43),
                               issued->token.substr(0, issued->token.size() - 1) + "!"};
  std::string message;
  for (const std::string& token : cases) {
    auto principal = authenticator_->Authenticate(token);
    ASSERT_FALSE(principal.ok()) << token;
    EXPECT_EQ(principal.status().code(), StatusCode::kUnauthenticated) << token;
    if (message.empty()) message = principal.status().message();
    EXPECT_EQ(principal.status().message(), message) << token;
    EXPECT_EQ(principal.status().message().find(issued->user_id), std::string::npos);
  }
  // The wrong secret and the unknown user both cost one Argon2 verification (the time of a
  // refusal does not tell whether the id exists); malformed tokens fail before any hash.
  EXPECT_EQ(authenticator_->slow_verifications(), 2);
}

TEST_P(AuthTest, AVerifiedTokenIsNotHashedAgainWhileInUse) {
  auto issued = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(authenticator_->Authenticate(issued->token).ok());
  EXPECT_EQ(authenticator_->slow_verifications(), 1);
  for (int i = 0; i < 20; ++i) {
    clock_.Advance(kTtl / 2);
    ASSERT_TRUE(authenticator_->Authenticate(issued->token).ok());
  }
  EXPECT_EQ(authenticator_->slow_verifications(), 1);
  // Unused for longer than the TTL, it is forgotten and checked again.
  clock_.Advance(kTtl);
  ASSERT_TRUE(authenticator_->Authenticate(issued->token).ok());
  EXPECT_EQ(authenticator_->slow_verifications(), 2);
  // A wrong token is never remembered: every attempt pays the hash.
  std::string wrong = issued->token;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(authenticator_->Authenticate(wrong).ok());
  EXPECT_FALSE(authenticator_->Authenticate(wrong).ok());
  EXPECT_EQ(authenticator_->slow_verifications(), 4);
}

TEST_P(AuthTest, ManyRequestsWithOneNewTokenHashItOncePerSlot) {
  auto issued = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(issued.ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] { ok += authenticator_->Authenticate(issued->token).ok() ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16);
  // Those that waited for a slot found the token verified: at most one hash per slot.
  EXPECT_GE(authenticator_->slow_verifications(), 1);
  EXPECT_LE(authenticator_->slow_verifications(),
            std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 64));
}

TEST_P(AuthTest, ADisabledUserIsRefusedAtTheNextRequestAndAnEnabledOneServedAgain) {
  auto issued = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(authenticator_->Authenticate(issued->token).ok());
  ASSERT_TRUE(SetUserEnabled(*store_, As(admin_.principal), issued->user_id, false).ok());
  auto refused = authenticator_->Authenticate(issued->token);  // no clock advance at all
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("disabled"), std::string::npos)
      << refused.status().message();
  ASSERT_TRUE(SetUserEnabled(*store_, As(admin_.principal), issued->user_id, true).ok());
  EXPECT_TRUE(authenticator_->Authenticate(issued->token).ok());
  // Both changes audited, by the administrator, naming the user.
  auto entries = store_->audit().Read({});
  ASSERT_TRUE(entries.ok());
  int changes = 0;
  for (const auto& e : *entries) {
    if (e.record.details_json.find("able_user") != std::string::npos) {
      ++changes;
      EXPECT_EQ(e.record.actor, admin_.user_id);
      EXPECT_NE(e.record.details_json.find(issued->user_id), std::string::npos);
    }
  }
  EXPECT_EQ(changes, 2);
}

TEST_P(AuthTest, OnlyAnotherAdministratorDisablesAUser) {
  auto analyst = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(analyst.ok());
  EXPECT_EQ(SetUserEnabled(*store_, As(analyst->principal), admin_.user_id, false).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(SetUserEnabled(*store_, As(admin_.principal), admin_.user_id, false).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(SetUserEnabled(*store_, As(admin_.principal), "u-00000000", false).code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(authenticator_->Authenticate(admin_.token).ok());
}

TEST_P(AuthTest, ATokenExpiresOnItsDayAndSaysSo) {
  NewUser user{"BE/police", "analyst", "", ""};
  user.expires_in_days = 2;
  auto issued = AddUser(*store_, As(admin_.principal), user, clock_);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->expires_at, kStart + 2 * 86'400'000'000LL);
  clock_.Advance(2 * 86'400'000'000LL - 1);
  EXPECT_TRUE(authenticator_->Authenticate(issued->token).ok());
  clock_.Advance(1);
  auto expired = authenticator_->Authenticate(issued->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
  // The default is 90 days; 0 never expires; past ten years is refused.
  auto default_user = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(default_user.ok());
  EXPECT_EQ(store_->users().Get(default_user->user_id)->expires_at,
            clock_.NowMicros() + 90 * 86'400'000'000LL);
  user.expires_in_days = 0;
  EXPECT_EQ(AddUser(*store_, As(admin_.principal), user, clock_)->expires_at, 0);
  user.expires_in_days = 4000;
  EXPECT_EQ(AddUser(*store_, As(admin_.principal), user, clock_).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(AuthTest, ARotatedTokenReplacesTheOldOneAtOnce) {
  auto issued = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(authenticator_->Authenticate(issued->token).ok());
  auto rotated = RotateToken(*store_, As(admin_.principal), issued->user_id, 30, clock_);
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_NE(rotated->token, issued->token);
  EXPECT_EQ(rotated->user_id, issued->user_id);
  EXPECT_EQ(authenticator_->Authenticate(issued->token).status().code(),
            StatusCode::kUnauthenticated);
  auto principal = authenticator_->Authenticate(rotated->token);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->user_id, issued->user_id);
  EXPECT_EQ(RotateToken(*store_, As(issued->principal), admin_.user_id, 30, clock_).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_P(AuthTest, UsersHaveDisplayNames) {
  NewUser user{"BE/police", "analyst", "", ""};
  user.name = "Inspecteur Éric Dubois";
  auto issued = Add(user);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(store_->users().Get(issued->user_id)->name, "Inspecteur Éric Dubois");
  user.name = std::string("bad \xff name");
  EXPECT_EQ(Add(user).status().code(), StatusCode::kInvalidArgument);
  user.name = std::string(101, 'a');
  EXPECT_EQ(Add(user).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(AuthTest, AddUserIsAuditedAndOnlyForAdministrators) {
  auto analyst = Add({"BE/police", "analyst", "", ""});
  ASSERT_TRUE(analyst.ok());
  auto refused = AddUser(*store_, As(analyst->principal), {"BE/police", "analyst", "", ""});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  auto entries = store_->audit().Read({});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);  // node-init's admin, the analyst, the refusal
  EXPECT_EQ(entries->at(0).record.actor, "node-init");
  EXPECT_EQ(entries->at(1).record.actor, admin_.user_id);
  EXPECT_EQ(entries->at(1).record.action, "manage_users");
  EXPECT_NE(entries->at(1).record.details_json.find(analyst->user_id), std::string::npos);
  EXPECT_NE(entries->at(1).record.details_json.find("\"outcome\":\"allowed\""), std::string::npos);
  EXPECT_EQ(entries->at(2).record.actor, analyst->user_id);
  EXPECT_NE(entries->at(2).record.details_json.find("refused"), std::string::npos);
  EXPECT_EQ(store_->users().List()->size(), 2u);
  EXPECT_FALSE(store_->VerifyAuditChain()->first_broken_seq.has_value());
}

TEST_P(AuthTest, BadFieldsAreRefusedByNameAndNothingIsWritten) {
  auto bad_role = Add({"BE/police", "janitor", "", ""});
  ASSERT_FALSE(bad_role.ok());
  EXPECT_EQ(bad_role.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_role.status().message().find("role"), std::string::npos);
  auto bad_agency = Add({"BE", "analyst", "", ""});
  EXPECT_EQ(bad_agency.status().code(), StatusCode::kInvalidArgument);
  auto bad_designation = Add({"BE/police", "analyst", "", "adults"});
  EXPECT_EQ(bad_designation.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->users().List()->size(), 1u);
}

TEST_P(AuthTest, FirstAdministratorOnlyOnce) {
  auto second = AddFirstAdministrator(*store_, "BE/administration");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
}

TEST(TokenTest, ParsesIdAndSecretWhateverTheSecretHolds) {
  std::string id, secret;
  const std::string key = "ab_cd-ef" + std::string(35, 'Z');
  ASSERT_TRUE(ParseToken("ent_u-0a1b2c3d_" + key, &id, &secret).ok());
  EXPECT_EQ(id, "u-0a1b2c3d");
  EXPECT_EQ(secret, key);
  EXPECT_FALSE(ParseToken("ent_U-0A_" + key, &id, &secret).ok());
  EXPECT_FALSE(ParseToken("ent_u-1_" + key.substr(1), &id, &secret).ok());
  EXPECT_FALSE(ParseToken("tok_u-1_" + key, &id, &secret).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         [](const ::testing::TestParamInfo<store::TestBackend>& backend) {
                           return std::string(store::TestBackendName(backend.param));
                         });

}  // namespace
}  // namespace entente::service
