// The hit/no-hit routes (hit_routes.cc, and "partners": true on POST /api/v1/screen) over HTTP:
// a node BE whose partner FR has sent its encoded index, and which has published its own.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/api_testing.h"
#include "api/server.h"
#include "common/time_format.h"
#include "federation/index_update.h"
#include "federation/outbox.h"
#include "federation/testing.h"
#include "http/client.h"
#include "service/hits.h"
#include "store/test_backends.h"

namespace entente::api {
namespace {

using nlohmann::json;

policy::Principal User(const char* id, const char* agency, policy::Role role) {
  return testing::User(id, agency, role, policy::AccessTier::kConsultAndFeed);
}

model::Entity Person(const std::string& id, const std::string& name, const std::string& birth) {
  model::Entity e;
  e.id = id;
  e.Set("name", {name});
  e.Set("birthDate", {birth});
  e.Set("ownerAgency", {"BE/intelligence"});
  e.Set("handlingCode", {"H0"});
  e.Set("category", {"terrorism_convict"});
  return e;
}

class HitRoutesTest : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  void SetUp() override {
    auto store = store::OpenTestStore(GetParam(), clock_, &dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    keys_ = federation::testing::MakeKeys("BE");
    policy::SharingRules rules;
    rules.mode = policy::SharingMode::kPlaintext;
    rules.categories = {model::Category::kTerrorismConvict};
    rules.max_handling_code = model::HandlingCode::kH1;
    ASSERT_TRUE(
        store_
            ->Write([&](store::WriteTxn& t) -> Status {
              ENTENTE_RETURN_IF_ERROR(t.partners().Put(
                  federation::testing::PartnerOf(federation::testing::MakeKeys("FR"), rules)));
              return t.subjects().Put(Person("BE-1", "Karim Benali", "1991-07-14")).status();
            })
            .ok());
    key_ = federation::NewEncodingKey(1);
    encoder_ = std::make_unique<pprl::Encoder>(key_);
    // FR's index: one person, as FR's node would send it.
    federation::IndexUpdate update;
    update.key_version = key_.version;
    update.generation = 1;
    update.sequence = 1;
    update.reset = true;
    update.complete = true;
    update.upserts = {{federation::NewIndexReference(), "FR/intelligence",
                       encoder_->Encode(Person("FR-9", "Youssef El Khattabi", "1988-02-03"))}};
    fr_reference_ = update.upserts[0].reference;
    federation::Message m;
    m.id = federation::NewMessageId();
    m.index_update = federation::SerializeIndexUpdate(update);
    ASSERT_TRUE(store_
                    ->Write([&](store::WriteTxn& t) {
                      return service::ApplyIndexUpdate(t, m, "FR", clock_.NowMicros());
                    })
                    .ok());
    indexes_ = std::make_unique<service::PartnerIndexes>(key_);
    ASSERT_TRUE(indexes_->Refresh(*store_).ok());

    auto index = service::LiveIndex::Open(*store_, {});
    ASSERT_TRUE(index.ok());
    index_ = std::move(index).value();
    register_ = std::make_unique<service::Register>(*store_, *index_, clock_);
    exchange_ = {&keys_, &clock_, {}};
    hnh_ = {exchange_, encoder_.get()};
    users_["police"] = User("u-police", "BE/police", policy::Role::kAnalyst);
    users_["intel"] = User("u-intel", "BE/intelligence", policy::Role::kAnalyst);
    users_["admin"] = User("u-admin", "BE/administration", policy::Role::kAdministrator);
    ApiDeps deps;
    deps.subjects = register_.get();
    deps.index = index_.get();
    deps.store = store_.get();
    deps.clock = &clock_;
    deps.node_country = "BE";
    deps.exchange = &exchange_;
    deps.hit_no_hit = &hnh_;
    deps.partner_indexes = indexes_.get();
    deps.authenticate = testing::TokensOf(&users_);
    auto server = testing::StartTestServer(deps);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    client_ =
        std::make_unique<http::Client>(http::ClientOptions::Plain("127.0.0.1", server_->port()));
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    register_.reset();
    index_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::pair<int, json> Call(const char* method, const std::string& path, const char* token,
                            const json& body = nullptr) {
    std::vector<http::Header> h = {
        {"Authorization", std::string("Bearer ") + token},
        {"X-Justification", "case 2026/117: check of a returning suspect"}};
    auto res = std::string(method) == "GET"
                   ? client_->Get(path, h)
                   : client_->Send("POST", path, h, body.is_null() ? "" : body.dump());
    if (!res.ok()) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  FakeClock clock_{1'790'000'000'000'000};
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  federation::NodeKeys keys_;
  pprl::EncodingKey key_;
  std::unique_ptr<pprl::Encoder> encoder_;
  std::unique_ptr<service::PartnerIndexes> indexes_;
  std::string fr_reference_;
  std::unique_ptr<service::LiveIndex> index_;
  std::unique_ptr<service::Register> register_;
  service::ExchangeContext exchange_;
  service::HitNoHitContext hnh_;
  testing::TestUsers users_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<http::Client> client_;
};

// Screening with partners: the register's hits as before, a partner's hit as country, reference,
// agency to ask and score; then the hit is listed and followed up once.
TEST_P(HitRoutesTest, ScreeningWithPartnersAndFollowingAHitUp) {
  const json query = {
      {"schema", "Person"},
      {"properties", {{"name", {"EL KHATTABI Youcef"}}, {"birthDate", {"1988-02-03"}}}}};
  auto [status, body] =
      Call("POST", "/api/v1/screen", "police", {{"query", query}, {"partners", true}});
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_TRUE(body["hits"].empty());
  ASSERT_EQ(body["partner_hits"].size(), 1u) << body.dump();
  const json hit = body["partner_hits"][0];
  EXPECT_EQ(hit["country"], "FR");
  EXPECT_EQ(hit["reference"], fr_reference_);
  EXPECT_EQ(hit["owner"], "FR/intelligence");
  EXPECT_GT(hit["score"].get<double>(), 0.5);
  EXPECT_TRUE(body["partners_unavailable"].empty());
  EXPECT_EQ(hit.dump().find("Khattabi"), std::string::npos);

  std::tie(status, body) =
      Call("POST", "/api/v1/screen", "police", {{"query", query}, {"partners", "yes"}});
  EXPECT_EQ(status, 400) << body.dump();

  std::tie(status, body) = Call("GET", "/api/v1/hits", "police");
  ASSERT_EQ(status, 200);
  ASSERT_EQ(body["hits"].size(), 1u);
  EXPECT_EQ(body["hits"][0]["hit_id"], hit["hit_id"]);
  std::tie(status, body) = Call("GET", "/api/v1/hits?direction=sideways", "police");
  EXPECT_EQ(status, 400);

  const std::string path = "/api/v1/hits/" + hit["hit_id"].get<std::string>() + "/follow-up";
  std::tie(status, body) = Call("POST", path, "police", {{"body", "Core data, please."}});
  ASSERT_EQ(status, 201) << body.dump();
  auto sent = store_->messages().Get(body["id"].get<std::string>(), store::MessageDirection::kOut);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->type, "request");
  EXPECT_NE(sent->document.find(fr_reference_), std::string::npos);
  std::tie(status, body) = Call("POST", path, "police");
  EXPECT_EQ(status, 409) << body.dump();
}

// A partner's follow-up request on this node: listed with its deadline, decided once.
TEST_P(HitRoutesTest, FollowUpsAreListedAndDecided) {
  auto [status, body] = Call("POST", "/api/v1/federation/indexes/publish", "police");
  EXPECT_EQ(status, 403);
  std::tie(status, body) = Call("POST", "/api/v1/federation/indexes/publish", "admin");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["partners"].size(), 1u);
  EXPECT_EQ(body["partners"][0]["entries"], 1);
  auto published = store_->indexes().ListPublished("FR");
  ASSERT_TRUE(published.ok());
  ASSERT_EQ(published->size(), 1u);

  // FR's request quoting BE's reference, as the inbox stores it.
  federation::Message request =
      federation::testing::MakeMessage("FR/police", "BE/intelligence", clock_.NowMicros());
  request.type = federation::MessageType::kRequest;
  request.deadline = "2026-09-23";
  request.subjects = {{(*published)[0].reference, "BE/intelligence"}};
  request.hit_id = federation::NewHitId();
  ASSERT_TRUE(store_
                  ->Write([&](store::WriteTxn& t) -> Status {
                    ENTENTE_RETURN_IF_ERROR(t.messages()
                                                .Insert(federation::StoredFromMessage(
                                                    request, store::MessageDirection::kIn,
                                                    federation::MessageToJson(request).dump()))
                                                .status());
                    return service::RecordFollowUps(t, request, "FR", clock_.NowMicros());
                  })
                  .ok());

  std::tie(status, body) = Call("GET", "/api/v1/follow-ups", "intel");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["follow_ups"].size(), 1u);
  const json f = body["follow_ups"][0];
  EXPECT_EQ(f["state"], "pending");
  EXPECT_EQ(f["subject_id"], "BE-1");
  // Times are ISO 8601 (to the millisecond): due 48 hours after reception.
  const Result<int64_t> due = ParseIsoTime(f["due_at"].get<std::string>(), "due_at");
  const Result<int64_t> received = ParseIsoTime(f["received_at"].get<std::string>(), "received_at");
  ASSERT_TRUE(due.ok() && received.ok()) << f;
  EXPECT_NEAR(static_cast<double>(*due - *received),
              static_cast<double>(service::kFollowUpDueMicros), 1000.0);

  const std::string path = "/api/v1/follow-ups/" + request.id + "/decision";
  std::tie(status, body) = Call("POST", path, "intel", {{"decision", "maybe"}, {"reason", "x"}});
  EXPECT_EQ(status, 400);
  std::tie(status, body) = Call("POST", path, "intel", {{"decision", "release"}});
  EXPECT_EQ(status, 400);
  std::tie(status, body) =
      Call("POST", path, "intel", {{"decision", "release"}, {"reason", "core identity data"}});
  ASSERT_EQ(status, 201) << body.dump();
  auto reply = store_->messages().Get(body["id"].get<std::string>(), store::MessageDirection::kOut);
  ASSERT_TRUE(reply.ok());
  EXPECT_NE(reply->document.find("Karim Benali"), std::string::npos);
  std::tie(status, body) =
      Call("POST", path, "intel", {{"decision", "refuse"}, {"reason", "second thoughts"}});
  EXPECT_EQ(status, 409);
  std::tie(status, body) = Call("GET", "/api/v1/follow-ups", "intel");
  EXPECT_EQ(body["follow_ups"][0]["state"], "answered");
  EXPECT_EQ(body["follow_ups"][0]["decision"], "released");

  std::tie(status, body) = Call("GET", "/api/v1/federation/indexes", "admin");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["partners"].size(), 1u);
  EXPECT_EQ(body["partners"][0]["published"]["entries"], 1);
  EXPECT_EQ(body["partners"][0]["received"]["entries"], 1);
  EXPECT_EQ(body["partners"][0]["received"]["usable"], true);
  EXPECT_EQ(Call("GET", "/api/v1/federation/indexes", "intel").first, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, HitRoutesTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         [](const ::testing::TestParamInfo<store::TestBackend>& backend) {
                           return std::string(store::TestBackendName(backend.param));
                         });

}  // namespace
}  // namespace entente::api
