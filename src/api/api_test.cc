#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api_testing.h"
#include "api/server.h"
#include "common/time_format.h"
#include "http/client.h"
#include "store/test_backends.h"
#include "support/openapi_check.h"

namespace entente::api {
namespace {

using nlohmann::json;

using testing::User;

class ApiTest : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  void SetUp() override {
    auto store = store::OpenTestStore(GetParam(), clock_, &dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto index = service::LiveIndex::Open(*store_, {});
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(index).value();
    register_ = std::make_unique<service::Register>(*store_, *index_, clock_);
    users_["analyst-token"] =
        User("u-analyst", "BE/police", policy::Role::kAnalyst, policy::AccessTier::kConsultAndFeed);
    users_["reader-token"] =
        User("u-reader", "BE/intelligence", policy::Role::kAnalyst, policy::AccessTier::kConsult);
    users_["auditor-token"] = User("u-auditor", "BE/administration", policy::Role::kAuditor,
                                   policy::AccessTier::kConsult);
    users_["partner-token"] =
        User("u-fr", "FR/intelligence", policy::Role::kAnalyst, policy::AccessTier::kConsult);
    users_["supervisor-token"] =
        User("u-sup1", "BE/police", policy::Role::kSupervisor, policy::AccessTier::kConsultAndFeed);
    users_["second-supervisor-token"] =
        User("u-sup2", "BE/police", policy::Role::kSupervisor, policy::AccessTier::kConsultAndFeed);
    ApiDeps deps;
    deps.subjects = register_.get();
    deps.index = index_.get();
    deps.store = store_.get();
    deps.clock = &clock_;
    deps.node_country = "BE";
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

  std::vector<http::Header> Headers(const char* token, const char* justification = kWhy) {
    std::vector<http::Header> h;
    if (token != nullptr) h.push_back({"Authorization", std::string("Bearer ") + token});
    if (justification != nullptr) h.push_back({"X-Justification", justification});
    return h;
  }
  std::pair<int, json> Post(const std::string& path, const json& body, const char* token,
                            const char* justification = kWhy) {
    return Send("POST", path, body.dump(), token, justification);
  }
  std::pair<int, json> Get(const std::string& path, const char* token,
                           const char* justification = kWhy) {
    return Send("GET", path, "", token, justification);
  }
  // Every success answer is checked against the schema the OpenAPI document declares for it.
  std::pair<int, json> Send(const std::string& method, const std::string& path,
                            const std::string& body, const char* token, const char* justification) {
    auto res = client_->Send(method, path, Headers(token, justification), body);
    if (!res.ok()) return {0, json()};
    json parsed = json::parse(res->body, nullptr, false);
    if (document_.is_null()) {
      auto doc = client_->Get("/api/v1/openapi.json");
      if (doc.ok()) document_ = json::parse(doc->body, nullptr, false);
    }
    for (const std::string& problem :
         ::entente::testing::ResponseProblems(document_, method, path, res->status, parsed)) {
      ADD_FAILURE() << "the answer disagrees with the OpenAPI document: " << problem;
    }
    return {res->status, std::move(parsed)};
  }
  json document_;
  static json Person(const char* name, const char* birth) {
    return {{"schema", "Person"},
            {"properties",
             {{"name", {name}},
              {"birthDate", {birth}},
              {"ownerAgency", {"BE/police"}},
              {"handlingCode", {"H0"}}}}};
  }

  static constexpr const char* kWhy = "case 2026/117: check of a returning suspect";
  FakeClock clock_{1'790'000'000'000'000};  // 2026-09-21
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::LiveIndex> index_;
  std::unique_ptr<service::Register> register_;
  testing::TestUsers users_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<http::Client> client_;
};

// An outbox entry waiting for delivery.
store::OutboxEntry PendingEntry(std::string message_id, std::string recipient,
                                std::string envelope) {
  store::OutboxEntry e;
  e.message_id = std::move(message_id);
  e.recipient = std::move(recipient);
  e.envelope = std::move(envelope);
  return e;
}

TEST_P(ApiTest, HealthNeedsNoTokenAndMetricsAnAdministratorsOrAuditors) {
  auto [status, body] = Get("/healthz", nullptr, nullptr);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["country"], "BE");
  // The register's size is not for anyone who can reach the port.
  EXPECT_EQ(Get("/metrics", nullptr, nullptr).first, 401);
  EXPECT_EQ(Get("/metrics", "analyst-token", nullptr).first, 403);
  auto res = client_->Get("/metrics", Headers("auditor-token", nullptr));
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("entente_http_requests_total{method=\"GET\",route=\"/healthz\","
                           "status=\"200\"} 1"),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("entente_indexed_subjects 0"), std::string::npos);
  // The outbox per partner and state.
  ASSERT_TRUE(store_
                  ->Write([](store::WriteTxn& t) {
                    return t.outbox().Enqueue(PendingEntry("msg-1", "FR", "sealed")).status();
                  })
                  .ok());
  res = client_->Get("/metrics", Headers("auditor-token", nullptr));
  ASSERT_TRUE(res.ok());
  EXPECT_NE(res->body.find("# TYPE entente_outbox_entries gauge\n"
                           "entente_outbox_entries{recipient=\"FR\",state=\"pending\"} 1"),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("entente_outbox_oldest_pending_seconds{recipient=\"FR\"}"),
            std::string::npos);
}

TEST_P(ApiTest, CreatesReadsAndUpdatesASubject) {
  auto [created, body] =
      Post("/api/v1/subjects", Person("Mohamed El Amrani", "1990-03-14"), "analyst-token");
  ASSERT_EQ(created, 201) << body.dump();
  const std::string id = body["id"];
  EXPECT_EQ(id.rfind("BE-", 0), 0U);

  auto [read, subject] = Get("/api/v1/subjects/" + id, "reader-token");
  ASSERT_EQ(read, 200) << subject.dump();
  EXPECT_EQ(subject["properties"]["name"][0], "Mohamed El Amrani");
  EXPECT_EQ(subject["version"], 1);

  json changed = Person("Mohamed El Amrani", "1990-03-15");
  auto res = client_->Send(
      "PUT", ("/api/v1/subjects/" + id).c_str(),
      [&] {
        auto h = Headers("analyst-token");
        h.push_back({"If-Match", "\"1\""});
        return h;
      }(),
      changed.dump());
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 200) << res->body;
  // The same precondition again: the subject is at version 2 now.
  res = client_->Send(
      "PUT", ("/api/v1/subjects/" + id).c_str(),
      [&] {
        auto h = Headers("analyst-token");
        h.push_back({"If-Match", "\"1\""});
        return h;
      }(),
      changed.dump());
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 412) << res->body;
  EXPECT_NE(res->body.find("version conflict"), std::string::npos) << res->body;
  // Without If-Match, the update applies to whatever version is stored.
  res = client_->Send("PUT", ("/api/v1/subjects/" + id).c_str(), Headers("analyst-token"),
                      changed.dump());
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_P(ApiTest, TellsWhoYouAreFromWhatYouMay) {
  const json person = Person("Sophie Gerard", "1985-07-02");
  auto [anonymous, e1] = Post("/api/v1/subjects", person, nullptr);
  EXPECT_EQ(anonymous, 401);
  EXPECT_EQ(e1["error"]["code"], "UNAUTHENTICATED");
  auto [forged, e2] = Post("/api/v1/subjects", person, "forged-token");
  EXPECT_EQ(forged, 401);
  auto [reader, e3] = Post("/api/v1/subjects", person, "reader-token");
  EXPECT_EQ(reader, 403) << e3.dump();
  EXPECT_EQ(e3["error"]["code"], "PERMISSION_DENIED");
  auto [unjustified, e4] = Post("/api/v1/subjects", person, "analyst-token", nullptr);
  EXPECT_EQ(unjustified, 403) << e4.dump();
  EXPECT_NE(e4["error"]["message"].get<std::string>().find("justification"), std::string::npos);
  auto count = store_->subjects().Count();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
}

TEST_P(ApiTest, BadInputNamesTheField) {
  auto [status, body] =
      Post("/api/v1/subjects", Person("Karim Idrissi", "1990-02-30"), "analyst-token");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["field"], "birthDate[0]") << body.dump();
  json wrong = {{"schema", "Person"},
                {"properties", {{"name", json::array({json::object({{"first", "x"}})})}}}};
  std::tie(status, body) = Post("/api/v1/subjects", wrong, "analyst-token");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["field"], "body.properties.name[0]") << body.dump();
  auto res = client_->Send("POST", "/api/v1/subjects", Headers("analyst-token"), "{not json");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 400);
  std::tie(status, body) = Get("/api/v1/subjects/BE-nothing", "reader-token");
  EXPECT_EQ(status, 404);
}

TEST_P(ApiTest, ScreensWritesAtOnceAndPartnersGetHitNoHit) {
  auto [created, body] =
      Post("/api/v1/subjects", Person("Youssef El Khattabi", "1992-01-20"), "analyst-token");
  ASSERT_EQ(created, 201);
  const json query = {{"query", Person("EL KHATTABI Youcef", "1992-01-20")}};
  auto [status, hits] = Post("/api/v1/screen", query, "reader-token");
  ASSERT_EQ(status, 200) << hits.dump();
  ASSERT_EQ(hits["hits"].size(), 1U);
  EXPECT_EQ(hits["hits"][0]["answer"], "full");
  EXPECT_EQ(hits["hits"][0]["subject_id"], body["id"]);
  EXPECT_GT(hits["hits"][0]["score"].get<double>(), 0.9);
  EXPECT_NE(hits["hits"][0]["explanation"].get<std::string>().find("birthDate=exact"),
            std::string::npos);

  std::tie(status, hits) = Post("/api/v1/screen", query, "partner-token");
  ASSERT_EQ(status, 200) << hits.dump();
  ASSERT_EQ(hits["hits"].size(), 1U);
  EXPECT_EQ(hits["hits"][0]["answer"], "hit_no_hit");
  EXPECT_FALSE(hits["hits"][0].contains("entity"));
  EXPECT_FALSE(hits["hits"][0].contains("caption"));
  EXPECT_EQ(hits["hits"][0]["owner_agency"], "BE/police");
}

// A name alone (another spelling of a listed person's) finds that person through both
// screening routes: ranked candidates with their score and explanation, "match" marking those
// at the threshold (which a name alone reaches in a register this small, and may not in a large
// one: ScreenerTest.ANameAloneIsRanked). "mode": "screen" keeps the matches only, and a
// partner's hit/no-hit answer never names a candidate below the threshold.
TEST_P(ApiTest, ANameAloneFindsItsBearerRanked) {
  for (const auto& [name, birth] :
       {std::pair{"Youssef El Khattabi", "1992-01-20"},
        std::pair{"Yassine El Khattabi", "1990-05-05"}, std::pair{"Sophie Gerard", "1985-07-02"},
        std::pair{"Karim Benali", "1979-11-30"}}) {
    ASSERT_EQ(Post("/api/v1/subjects", Person(name, birth), "analyst-token").first, 201);
  }
  const json name_only = {{"schema", "Person"}, {"properties", {{"name", {"EL KHATTABI Youcef"}}}}};
  auto [status, body] = Post("/api/v1/screen", {{"query", name_only}}, "reader-token");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_GE(body["hits"].size(), 1U) << body.dump();
  EXPECT_EQ(body["hits"][0]["caption"], "Youssef El Khattabi") << body.dump();
  EXPECT_EQ(body["hits"][0]["match"], true);
  EXPECT_NE(body["hits"][0]["explanation"].get<std::string>().find("name="), std::string::npos);
  for (size_t i = 1; i < body["hits"].size(); ++i) {
    EXPECT_LE(body["hits"][i]["score"].get<double>(), body["hits"][i - 1]["score"].get<double>());
    EXPECT_NE(body["hits"][i]["caption"], "Karim Benali") << "no evidence for: not listed";
  }
  // Past the threshold: still listed, not a match.
  const double score = body["hits"][0]["score"].get<double>();
  const double above = score + (1 - score) / 2;
  std::tie(status, body) =
      Post("/api/v1/screen", {{"query", name_only}, {"threshold", above}}, "reader-token");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_GE(body["hits"].size(), 1U) << body.dump();
  EXPECT_EQ(body["hits"][0]["caption"], "Youssef El Khattabi");
  EXPECT_EQ(body["hits"][0]["match"], false);
  std::tie(status, body) =
      Post("/api/v1/screen", {{"query", name_only}, {"threshold", above}, {"mode", "screen"}},
           "reader-token");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_TRUE(body["hits"].empty()) << body.dump();
  std::tie(status, body) =
      Post("/api/v1/screen", {{"query", name_only}, {"threshold", above}}, "partner-token");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_TRUE(body["hits"].empty()) << "hit/no-hit names matches only: " << body.dump();
  std::tie(status, body) =
      Post("/api/v1/screen", {{"query", name_only}, {"mode", "all"}}, "reader-token");
  EXPECT_EQ(status, 400);

  // yente 5: only matches unless a lower cutoff asks for the candidates below the threshold.
  const json request = {{"queries", {{"q", name_only}}}};
  std::tie(status, body) =
      Post("/match/default?threshold=" + std::to_string(above), request, "reader-token");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_TRUE(body["responses"]["q"]["results"].empty()) << body.dump();
  EXPECT_EQ(body["responses"]["q"]["total"]["value"], 0);
  std::tie(status, body) =
      Post("/match/default?cutoff=0&threshold=" + std::to_string(above), request, "reader-token");
  ASSERT_EQ(status, 200) << body.dump();
  const json& results = body["responses"]["q"]["results"];
  ASSERT_GE(results.size(), 1U) << body.dump();
  EXPECT_EQ(results[0]["caption"], "Youssef El Khattabi");
  EXPECT_EQ(results[0]["match"], false);
  EXPECT_EQ(body["responses"]["q"]["total"]["value"], 0) << "total counts matches";
  std::tie(status, body) = Post("/match/default", request, "reader-token");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_FALSE(body["responses"]["q"]["results"].empty()) << body.dump();
  EXPECT_EQ(body["responses"]["q"]["results"][0]["match"], true);
}

// The search's filters keep the register's subjects that pass every one, ranked as before; a bad
// filter names its field; a partner's hit/no-hit answers are never filtered (their presence
// would tell what the filter asked), so a filtered search gives a partner nothing.
TEST_P(ApiTest, FiltersKeepOnlyTheSubjectsThatPass) {
  json held = Person("Youssef El Khattabi", "1992-01-20");
  held["properties"]["nationality"] = {"ma"};
  held["properties"]["category"] = {"terrorism_convict"};
  held["properties"]["establishment"] = {"Prison de Haren"};
  held["properties"]["plannedRelease"] = {"2027-01-15"};
  held["properties"]["handlingCode"] = {"H2"};
  auto [created, first] = Post("/api/v1/subjects", held, "analyst-token");
  ASSERT_EQ(created, 201) << first.dump();
  json released = Person("Youssef El Khatabi", "1992-01-21");
  released["properties"]["nationality"] = {"be"};
  released["properties"]["category"] = {"returnee"};
  released["properties"]["establishment"] = {"Prison de Lantin"};
  released["properties"]["plannedRelease"] = {"2026-01-15"};  // before today (2026-09-21)
  auto [created2, second] = Post("/api/v1/subjects", released, "analyst-token");
  ASSERT_EQ(created2, 201) << second.dump();
  const json name_only = {{"schema", "Person"},
                          {"properties", {{"name", {"Youssef El Khattabi"}}}}};
  const auto found = [&](const json& filters, const char* token = "reader-token") {
    auto [status, body] =
        Post("/api/v1/screen", {{"query", name_only}, {"filters", filters}}, token);
    EXPECT_EQ(status, 200) << body.dump();
    std::set<std::string> ids;
    for (const json& hit : body["hits"]) ids.insert(hit["subject_id"].get<std::string>());
    return ids;
  };
  const std::string a = first["id"], b = second["id"];
  EXPECT_EQ(found(json::object()), (std::set<std::string>{a, b}));
  EXPECT_EQ(found({{"custody", "held"}}), std::set<std::string>{a});
  EXPECT_EQ(found({{"custody", "not_held"}}), std::set<std::string>{b});
  EXPECT_EQ(found({{"nationality", "BE"}}), std::set<std::string>{b});
  EXPECT_EQ(found({{"category", "terrorism_convict"}}), std::set<std::string>{a});
  EXPECT_EQ(found({{"owner_agency", "BE/intelligence"}}), std::set<std::string>{});
  EXPECT_EQ(found({{"owner_agency", "be/police"}}), (std::set<std::string>{a, b}));
  EXPECT_EQ(found({{"owner_agency", "BE"}}), (std::set<std::string>{a, b}));
  EXPECT_EQ(found({{"owner_agency", "FR"}}), std::set<std::string>{});
  EXPECT_EQ(found({{"handling_code", "H2"}, {"nationality", "ma"}}), std::set<std::string>{a});
  EXPECT_EQ(found({{"handling_code", "H0"}}), std::set<std::string>{b});
  EXPECT_EQ(found({{"custody", "held"}}, "partner-token"), std::set<std::string>{});
  for (const auto& [filters, field] :
       {std::pair{json{{"custody", "sometimes"}}, "body.filters.custody"},
        std::pair{json{{"colour", "red"}}, "body.filters.colour"},
        std::pair{json{{"nationality", 32}}, "body.filters.nationality"},
        std::pair{json{{"category", "knitting"}}, "body.filters.category"},
        std::pair{json::array(), "body.filters"}}) {
    auto [status, body] =
        Post("/api/v1/screen", {{"query", name_only}, {"filters", filters}}, "reader-token");
    EXPECT_EQ(status, 400) << body.dump();
    EXPECT_EQ(body["error"]["field"], field) << body.dump();
  }
  // The audit keeps the filters with what was searched.
  store::AuditQuery screens;
  screens.action = "screen";
  screens.limit = 1000;
  const auto entries = store_->audit().Read(screens);
  ASSERT_TRUE(entries.ok());
  bool audited = false;
  for (const auto& e : *entries) {
    audited = audited ||
              e.record.details_json.find("\"filters\":{\"custody\":\"held\"}") != std::string::npos;
  }
  EXPECT_TRUE(audited);
}

// A poller asks with If-None-Match and is told 304, without the body, while nothing changed: a
// subject by its version, any other answer by a digest of its body.
TEST_P(ApiTest, AnUnchangedAnswerIsNotSentAgain) {
  auto [created, body] =
      Post("/api/v1/subjects", Person("Mohamed El Amrani", "1990-03-14"), "analyst-token");
  ASSERT_EQ(created, 201) << body.dump();
  const std::string path = "/api/v1/subjects/" + body["id"].get<std::string>();
  const auto get = [&](const std::string& target, const std::string& tag) {
    auto h = Headers("reader-token");
    if (!tag.empty()) h.push_back({"If-None-Match", tag});
    auto res = client_->Send("GET", target, h, "");
    EXPECT_TRUE(res.ok());
    std::string etag;
    for (const http::Header& header : res->headers) {
      if (http::EqualsIgnoreCase(header.name, "ETag")) etag = header.value;
    }
    return std::tuple{res->status, etag, res->body};
  };
  auto [first, tag, text] = get(path, "");
  EXPECT_EQ(first, 200);
  EXPECT_EQ(tag, "\"1\"");
  auto [again, same, empty] = get(path, tag);
  EXPECT_EQ(again, 304);
  EXPECT_EQ(same, tag);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(std::get<0>(get(path, "\"7\", W/\"1\"")), 304) << "a list, and a weak tag";
  ASSERT_EQ(client_
                ->Send("PUT", path, Headers("analyst-token"),
                       Person("Mohamed El Amrani", "1990-03-15").dump())
                ->status,
            200);
  EXPECT_EQ(std::get<0>(get(path, tag)), 200) << "changed: the new version is sent";

  auto [doc, doc_tag, doc_text] = get("/api/v1/openapi.json", "");
  EXPECT_EQ(doc, 200);
  ASSERT_EQ(doc_tag.size(), 34U) << doc_tag;  // a quoted 128-bit digest
  EXPECT_EQ(std::get<0>(get("/api/v1/openapi.json", doc_tag)), 304);
  EXPECT_EQ(std::get<0>(get("/api/v1/openapi.json", "\"0\"")), 200);
  // Refusals are never 304.
  auto res = client_->Send("GET", path, {{"If-None-Match", "*"}}, "");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 401);
}

// A form checks a subject as POST would, every problem by field, and nothing is stored.
TEST_P(ApiTest, ValidatesASubjectWithoutStoringIt) {
  json person = Person("Karim Idrissi", "1990-02-30");
  person["properties"]["handlingCode"] = {"H3"};
  auto [status, body] = Post("/api/v1/subjects/validate", person, "analyst-token");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["valid"], false);
  std::set<std::string> fields;
  for (const json& p : body["problems"]) fields.insert(p["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"birthDate", "handlingRestriction"})) << body.dump();
  std::tie(status, body) =
      Post("/api/v1/subjects/validate", Person("Karim Idrissi", "1990-02-03"), "analyst-token");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["valid"], true);
  EXPECT_TRUE(body["problems"].empty());
  EXPECT_EQ(Post("/api/v1/subjects/validate", person, "reader-token").first, 403);
  auto count = store_->subjects().Count();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
}

// The card's history: who created and changed the record, which properties each change touched,
// a restriction with its reason; reading it is a justified, audited read of the subject.
TEST_P(ApiTest, TheHistoryNamesWhoChangedWhatAndWhen) {
  auto [created, body] =
      Post("/api/v1/subjects", Person("Mohamed El Amrani", "1990-03-14"), "analyst-token");
  ASSERT_EQ(created, 201) << body.dump();
  const std::string id = body["id"];
  clock_.Advance(60'000'000);
  json changed = Person("Mohamed El Amrani", "1990-03-15");
  changed["properties"]["alias"] = {"Mo Amrani"};
  auto res = client_->Send(
      "PUT", "/api/v1/subjects/" + id,
      [&] {
        auto h = Headers("supervisor-token");
        h.push_back({"If-Match", "\"1\""});
        return h;
      }(),
      changed.dump());
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->status, 200) << res->body;
  clock_.Advance(60'000'000);
  ASSERT_EQ(Post("/api/v1/subjects/" + id + "/restrict", {{"reason", "accuracy contested"}},
                 "supervisor-token")
                .first,
            200);

  auto [status, history] = Get("/api/v1/subjects/" + id + "/history", "supervisor-token");
  ASSERT_EQ(status, 200) << history.dump();
  ASSERT_EQ(history["changes"].size(), 3U) << history.dump();
  EXPECT_EQ(history["changes"][0]["operation"], "create");
  EXPECT_EQ(history["changes"][0]["actor"], "u-analyst");
  EXPECT_EQ(history["changes"][1]["operation"], "update");
  EXPECT_EQ(history["changes"][1]["actor"], "u-sup1");
  EXPECT_EQ(history["changes"][1]["agency"], "BE/police");
  EXPECT_EQ(history["changes"][1]["from_version"], 1);
  EXPECT_EQ(history["changes"][1]["changed"], json({"alias", "birthDate"}));
  EXPECT_EQ(history["changes"][2]["operation"], "restrict");
  EXPECT_EQ(history["changes"][2]["reason"], "accuracy contested");
  EXPECT_LT(history["changes"][0]["at"].get<std::string>(),
            history["changes"][1]["at"].get<std::string>());
  EXPECT_TRUE(history["disclosures"].empty());
  EXPECT_EQ(history["truncated"], false);
  // A read of the subject: justified, audited, and for those who may read it.
  EXPECT_EQ(Get("/api/v1/subjects/" + id + "/history", "supervisor-token", nullptr).first, 403);
  EXPECT_EQ(Get("/api/v1/subjects/" + id + "/history", "reader-token").first, 403)
      << "a restricted subject is read by no one but its owner's supervisors";
  EXPECT_EQ(Get("/api/v1/subjects/BE-nothing/history", "supervisor-token").first, 404);
  store::AuditQuery reads;
  reads.subject_id = id;
  reads.action = "read_subject";
  const auto entries = store_->audit().Read(reads);
  ASSERT_TRUE(entries.ok());
  bool audited = false;
  for (const auto& e : *entries) {
    audited =
        audited || e.record.details_json.find("\"operation\":\"history\"") != std::string::npos;
  }
  EXPECT_TRUE(audited);
}

TEST_P(ApiTest, AnswersInYentesShape) {
  ASSERT_EQ(Post("/api/v1/subjects", Person("Sophie Gerard", "1985-07-02"), "analyst-token").first,
            201);
  const json request = {
      {"queries",
       {{"q1",
         {{"schema", "Person"},
          {"properties", {{"name", "GERARD Sophie"}, {"birthDate", "1985-07-02"}}}}},
        {"q2", {{"schema", "Person"}, {"properties", {{"name", {"Nobody Known"}}}}}}}}};
  auto [status, body] = Post("/match/default?limit=3", request, "reader-token");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["limit"], 3);
  const json& q1 = body["responses"]["q1"];
  EXPECT_EQ(q1["status"], 200);
  ASSERT_EQ(q1["results"].size(), 1U);
  EXPECT_EQ(q1["results"][0]["caption"], "Sophie Gerard");
  EXPECT_EQ(q1["results"][0]["match"], true);
  EXPECT_EQ(q1["total"]["value"], 1);
  EXPECT_EQ(q1["query"]["properties"]["name"], json::array({"GERARD Sophie"}));
  EXPECT_EQ(q1["query"]["id"], nullptr);
  // FollowTheMoney's properties only; the owner as a dataset name; yente's explanations.
  const json& result = q1["results"][0];
  EXPECT_EQ(result["datasets"], json::array({"be_police"}));
  EXPECT_FALSE(result["properties"].contains("handlingCode")) << result.dump();
  EXPECT_FALSE(result["properties"].contains("ownerAgency")) << result.dump();
  EXPECT_EQ(result["properties"]["birthDate"], json::array({"1985-07-02"}));
  EXPECT_TRUE(result["explanations"]["name"]["score"].is_number()) << result.dump();
  EXPECT_TRUE(result["explanations"]["birthDate"]["score"].is_number()) << result.dump();
  EXPECT_FALSE(body.contains("matcher"));
  EXPECT_TRUE(body["responses"]["q2"]["results"].empty());
  std::tie(status, body) = Post("/match/other", request, "reader-token");
  EXPECT_EQ(status, 404);
}

TEST_P(ApiTest, AuditorsReadAndVerifyTheLog) {
  auto [created, body] =
      Post("/api/v1/subjects", Person("Bram Peeters", "1979-11-02"), "analyst-token");
  ASSERT_EQ(created, 201);
  const std::string id = body["id"];
  ASSERT_EQ(Get("/api/v1/subjects/" + id, "reader-token").first, 200);
  EXPECT_EQ(Get("/api/v1/subjects/" + id, "auditor-token").first, 403);
  EXPECT_EQ(Get("/api/v1/audit", "reader-token").first, 403);

  auto [status, log] = Get("/api/v1/audit?subject=" + id, "auditor-token", nullptr);
  ASSERT_EQ(status, 200) << log.dump();
  std::vector<std::string> seen;
  for (const auto& e : log["entries"]) {
    seen.push_back(e["actor"].get<std::string>() + " " + e["action"].get<std::string>() + " " +
                   e["details"]["outcome"].get<std::string>());
    EXPECT_EQ(e["justification"], kWhy);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"u-analyst write_subject allowed",
                                            "u-reader read_subject allowed",
                                            "u-auditor read_subject refused: role"}));
  std::tie(status, body) = Get("/api/v1/audit/verify", "auditor-token", nullptr);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(body["intact"], true);
  EXPECT_GE(body["entries"].get<int>(), 5);
}

// "Who looked for X?": a screening's audit entry records what was searched, as submitted (cut
// to a bounded size), beside the subjects it disclosed.
TEST_P(ApiTest, TheAuditRecordsWhatWasSearched) {
  ASSERT_EQ(
      Post("/api/v1/subjects", Person("Youssef El Khattabi", "1992-01-20"), "analyst-token").first,
      201);
  json query = Person("EL KHATTABI Youcef", "1992-01-20");
  query["properties"]["alias"] = {std::string(300, 'x')};
  ASSERT_EQ(Post("/api/v1/screen", {{"query", query}}, "reader-token").first, 200);
  auto [status, log] = Get("/api/v1/audit?limit=1000", "auditor-token", nullptr);
  ASSERT_EQ(status, 200) << log.dump();
  const json* screening = nullptr;
  for (const auto& e : log["entries"]) {
    if (e["action"] == "screen" && e["actor"] == "u-reader") screening = &e;
  }
  ASSERT_NE(screening, nullptr) << log.dump();
  const json& details = (*screening)["details"];
  EXPECT_EQ(details["query"]["name"][0], "EL KHATTABI Youcef") << details.dump();
  EXPECT_EQ(details["query"]["birthDate"][0], "1992-01-20");
  EXPECT_EQ(details["query"]["alias"][0].get<std::string>().size(), 200U) << "cut";
  EXPECT_EQ(details["mode"], "search");
  ASSERT_FALSE(details["hits"].empty());
}

// "Every disclosure of S": an auditor finds the screenings that returned a subject by that
// subject, and narrows the log by action, outcome and time, told how many entries remain.
TEST_P(ApiTest, TheAuditFindsEveryDisclosureOfASubjectAndFilters) {
  auto [created, body] =
      Post("/api/v1/subjects", Person("Youssef El Khattabi", "1992-01-20"), "analyst-token");
  ASSERT_EQ(created, 201);
  const std::string id = body["id"];
  clock_.Advance(3'600'000'000);  // an hour later
  const std::string later = FormatIsoTime(clock_.NowMicros());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Post("/api/v1/screen", {{"query", Person("EL KHATTABI Youcef", "1992-01-20")}},
                   "reader-token")
                  .first,
              200);
  }
  auto [status, log] = Get("/api/v1/audit?subject=" + id, "auditor-token", nullptr);
  ASSERT_EQ(status, 200) << log.dump();
  int screenings = 0;
  for (const auto& e : log["entries"]) screenings += e["action"] == "screen" ? 1 : 0;
  EXPECT_EQ(screenings, 3) << log.dump();
  EXPECT_EQ(log["remaining"], 0);
  // Filters, and paging that says how many remain.
  std::tie(status, log) =
      Get("/api/v1/audit?action=screen&outcome=allowed&limit=2", "auditor-token", nullptr);
  ASSERT_EQ(status, 200) << log.dump();
  ASSERT_EQ(log["entries"].size(), 2U);
  EXPECT_EQ(log["remaining"], 1);
  EXPECT_EQ(log["next_after"], log["entries"][1]["seq"]);
  std::tie(status, log) = Get("/api/v1/audit?to=" + later, "auditor-token", nullptr);
  ASSERT_EQ(status, 200) << log.dump();
  ASSERT_FALSE(log["entries"].empty());
  for (const auto& e : log["entries"]) EXPECT_NE(e["action"], "screen") << "before the hour";
  std::tie(status, log) = Get("/api/v1/audit?from=" + later + "&subject=" + id + "&outcome=allowed",
                              "auditor-token", nullptr);
  ASSERT_EQ(status, 200) << log.dump();
  EXPECT_EQ(log["entries"].size(), 3U) << log.dump();
  // A time without its zone is refused, naming the parameter.
  std::tie(status, log) = Get("/api/v1/audit?from=2026-12-01T10:00:00", "auditor-token", nullptr);
  EXPECT_EQ(status, 400);
  EXPECT_NE(log.dump().find("from"), std::string::npos) << log.dump();
}

// Erasure takes four eyes: a supervisor asks (202), the same one cannot confirm (409), a second
// supervisor of the owner agency confirms, and the subject is gone; each step is audited.
TEST_P(ApiTest, ErasureIsConfirmedByASecondSupervisor) {
  auto [created, body] =
      Post("/api/v1/subjects", Person("Bram Peeters", "1979-11-02"), "analyst-token");
  ASSERT_EQ(created, 201);
  const std::string id = body["id"];
  const json reason = {{"reason", "court order 2026/77"}};
  auto [status, answer] = Post("/api/v1/subjects/" + id + "/erase", reason, "supervisor-token");
  ASSERT_EQ(status, 202) << answer.dump();
  EXPECT_EQ(answer["state"], "erasure_requested");
  EXPECT_EQ(Get("/api/v1/subjects/" + id, "reader-token").first, 200) << "not erased yet";
  std::tie(status, answer) = Post("/api/v1/subjects/" + id + "/erase", reason, "supervisor-token");
  EXPECT_EQ(status, 409) << answer.dump();
  EXPECT_EQ(Post("/api/v1/subjects/" + id + "/erase", reason, "analyst-token").first, 403);
  std::tie(status, answer) =
      Post("/api/v1/subjects/" + id + "/erase", reason, "second-supervisor-token");
  ASSERT_EQ(status, 200) << answer.dump();
  EXPECT_EQ(answer["state"], "erased");
  EXPECT_EQ(Get("/api/v1/subjects/" + id, "reader-token").first, 404);
  // A request not confirmed within the week lapses: the next call asks anew.
  std::tie(created, body) =
      Post("/api/v1/subjects", Person("Anna Claes", "1980-01-02"), "analyst-token");
  const std::string other = body["id"];
  ASSERT_EQ(Post("/api/v1/subjects/" + other + "/erase", reason, "supervisor-token").first, 202);
  clock_.Advance((service::kErasureRequestDays * 24 + 1) * 3'600'000'000);
  EXPECT_EQ(Post("/api/v1/subjects/" + other + "/erase", reason, "second-supervisor-token").first,
            202);
  EXPECT_EQ(Post("/api/v1/subjects/" + other + "/erase/withdraw", reason, "supervisor-token").first,
            200);
  EXPECT_EQ(Post("/api/v1/subjects/" + other + "/erase/withdraw", reason, "supervisor-token").first,
            404);

  auto [logged, log] = Get("/api/v1/audit?action=erase_subject", "auditor-token", nullptr);
  ASSERT_EQ(logged, 200);
  std::vector<std::string> steps;
  for (const auto& e : log["entries"]) {
    steps.push_back(e["actor"].get<std::string>() + " " +
                    e["details"].value("operation", std::string()) + " " +
                    e["details"]["outcome"].get<std::string>());
  }
  EXPECT_EQ(steps, (std::vector<std::string>{
                       "u-sup1 request_erasure allowed", "u-analyst  refused: role",
                       "u-sup2 erase allowed", "u-sup1 request_erasure allowed",
                       "u-sup2 request_erasure allowed", "u-sup1 withdraw_erasure allowed"}))
      << log.dump();
}

TEST_P(ApiTest, OpenApiDocumentNamesEveryRouteAndNoOther) {
  auto [status, doc] = Get("/api/v1/openapi.json", nullptr, nullptr);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_FALSE(doc["servers"].empty());
  std::set<std::string> documented, served, operation_ids;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper;
      for (char c : method) upper += static_cast<char>(std::toupper(c));
      documented.insert(upper + " " + path);
      EXPECT_TRUE(operation.contains("responses")) << path;
      // Every operation has an id of its own.
      ASSERT_TRUE(operation.contains("operationId")) << upper << " " << path;
      EXPECT_TRUE(operation_ids.insert(operation["operationId"].get<std::string>()).second)
          << operation["operationId"];
      // Every JSON success answer has a typed schema, not a bare object.
      for (const auto& [code, response] : operation["responses"].items()) {
        if (code[0] != '2' || !response.contains("content") ||
            !response["content"].contains("application/json")) {
          continue;
        }
        const json& schema = response["content"]["application/json"]["schema"];
        EXPECT_TRUE(schema.contains("$ref") || schema.contains("properties") ||
                    schema.contains("items") || schema.contains("additionalProperties"))
            << upper << " " << path << " " << code << ": " << schema.dump();
      }
    }
  }
  EXPECT_TRUE(operation_ids.contains("getApiV1SubjectsById")) << "the naming rule";
  for (const auto& route : server_->routes()) served.insert(route.method + " " + route.path);
  EXPECT_EQ(documented, served);
  // docs/api.md's table names every route too.
  std::ifstream file(std::string(ENTENTE_TEST_DATA_DIR) + "/../../docs/api.md");
  std::stringstream text;
  text << file.rdbuf();
  ASSERT_FALSE(text.str().empty());
  for (const std::string& route : served) {
    EXPECT_NE(text.str().find("`" + route + "`"), std::string::npos)
        << route << " is not in docs/api.md";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         [](const auto& param_info) {
                           return std::string(store::TestBackendName(param_info.param));
                         });

}  // namespace
}  // namespace entente::api
