// The four-country scenario, end to end: `entente demo` runs four real nodes (BE, FR, ES, MA) on
// localhost over mutual TLS; the scenario drives them only through their HTTPS API, as the
// services' analysts would (through the console or their own clients), with the tokens in the
// demo's demo.json. Each step waits for what crosses the federation, within a bound.
// One process for the suite (ctest label `e2e`): the tests run in order on the same four nodes.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "support/openapi_check.h"

namespace entente {
namespace {

using json = nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "YYYY-MM-DD" `days` from today (UTC).
std::string DayFromToday(int days) {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(24) * days;
  const std::chrono::year_month_day ymd(std::chrono::floor<std::chrono::days>(now));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

struct Answer {
  int status = 0;
  json body;
};

// One node as its users reach it: its API over HTTPS, trusting its own certificate.
class Node {
 public:
  Node(const std::string& country, const json& description)
      : country_(country),
        tokens_(description["tokens"]),
        client_(http::ClientOptions::Tls("127.0.0.1", description["api_port"].get<int>(),
                                         ReadFile(description["certificate"]))) {}

  // `user`: administrator, analyst, youth or supervisor.
  Answer Call(const std::string& method, const std::string& target, const std::string& user,
              const json& body = nullptr) {
    auto response = client_.Send(
        method, target,
        {{"Authorization", "Bearer " + tokens_[user].get<std::string>()},
         {"X-Justification", "four-country exercise on synthetic data (" + country_ + ")"},
         {"X-Case-Reference", "E2E-2026-001"}},
        body.is_null() ? std::string() : body.dump());
    Answer answer;
    if (!response.ok()) {
      ADD_FAILURE() << country_ << " " << method << " " << target << ": "
                    << response.status().message();
      return answer;
    }
    answer.status = response->status;
    answer.body = json::parse(response->body, nullptr, false);
    // Every success answer agrees with the OpenAPI document the node serves.
    if (document_.is_null()) {
      auto doc = client_.Get("/api/v1/openapi.json");
      if (doc.ok()) document_ = json::parse(doc->body, nullptr, false);
    }
    for (const std::string& problem : ::entente::testing::ResponseProblems(
             document_, method, target, answer.status, answer.body)) {
      ADD_FAILURE() << country_ << ": the answer disagrees with the OpenAPI document: " << problem;
    }
    return answer;
  }
  Answer Get(const std::string& target, const std::string& user) {
    return Call("GET", target, user);
  }
  Answer Post(const std::string& target, const std::string& user, const json& body) {
    return Call("POST", target, user, body);
  }
  // Makes `token` usable as `user` in later calls.
  void AddToken(const std::string& user, const std::string& token) { tokens_[user] = token; }

 private:
  std::string country_;
  json tokens_;
  http::Client client_;
  json document_;
};

// Polls `ready` every 100 ms for up to `seconds`.
bool Eventually(const std::function<bool()>& ready, int seconds = 30) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// A subject as a service's analyst writes it.
json Subject(const std::string& id, const std::string& name, const std::string& birth_date,
             const std::string& owner, const std::vector<std::string>& categories,
             const std::string& handling = "H0") {
  return {{"id", id},
          {"schema", "Person"},
          {"properties",
           {{"name", {name}},
            {"birthDate", {birth_date}},
            {"gender", {"male"}},
            {"nationality", {owner.substr(0, 2)}},
            {"ownerAgency", {owner}},
            {"handlingCode", {handling}},
            {"category", categories}}}};
}

class FourCountryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = (std::filesystem::temp_directory_path() / ("entente-e2e-" + std::to_string(getpid())))
                .string();
    std::filesystem::remove_all(root_);
    pid_ = fork();
    if (pid_ == 0) {
      const std::string log = root_ + ".log";
      if (freopen(log.c_str(), "w", stdout) == nullptr || dup2(fileno(stdout), 2) < 0) _exit(126);
      execl(ENTENTE_BIN, ENTENTE_BIN, "demo", "--dir", root_.c_str(), "--persons", "600",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    const std::string description = root_ + "/demo.json";
    if (!Eventually([&] { return std::filesystem::exists(description); }, 120)) {
      FAIL() << "entente demo wrote no demo.json: " << ReadFile(root_ + ".log");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // written whole (renamed)
    const json nodes = json::parse(ReadFile(description))["nodes"];
    for (const char* cc : {"BE", "FR", "ES", "MA"}) {
      nodes_[cc] = std::make_unique<Node>(cc, nodes[cc]);
    }
  }
  static void TearDownTestSuite() {
    nodes_.clear();
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(root_ + ".log");
    }
    std::filesystem::remove_all(root_);
    std::filesystem::remove(root_ + ".log");
  }
  static Node& N(const std::string& cc) { return *nodes_.at(cc); }
  // Whether `cc` holds the received message `id` (read by `user`).
  static bool Holds(const std::string& cc, const std::string& id, const std::string& user) {
    return N(cc).Get("/api/v1/messages/" + id, user).status == 200;
  }

  static std::string root_;
  static pid_t pid_;
  static std::map<std::string, std::unique_ptr<Node>> nodes_;
};

std::string FourCountryTest::root_;
pid_t FourCountryTest::pid_ = -1;
std::map<std::string, std::unique_ptr<Node>> FourCountryTest::nodes_;

TEST_F(FourCountryTest, BelgiumAsksFranceAboutAReturneeAndTheCaseHoldsTheReply) {
  Answer created = N("BE").Post("/api/v1/subjects", "analyst",
                                Subject("BE-E2E-1", "Rachid Ait Belkacem", "1989-04-12",
                                        "BE/intelligence", {"returnee", "terrorism_convict"}));
  ASSERT_EQ(created.status, 201) << created.body;
  Answer sent = N("BE").Post("/api/v1/messages", "analyst",
                             {{"type", "request"},
                              {"recipients", {"FR/intelligence"}},
                              {"deadline", DayFromToday(5)},
                              {"priority", "urgent"},
                              {"subject_ids", {"BE-E2E-1"}},
                              {"include_records", true},
                              {"body", "Travel to Syria in 2014-2015 suspected. Any record?"}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string request = sent.body["id"];
  const std::string case_id = sent.body["case_id"];
  ASSERT_TRUE(Eventually([&] { return Holds("FR", request, "analyst"); }))
      << "FR did not receive the request";
  // FR reads it, with the record (an EU partner, under its sharing rules), and replies.
  Answer read = N("FR").Get("/api/v1/messages/" + request, "analyst");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["message"]["entities"].size(), 1u) << read.body;
  Answer reply = N("FR").Post("/api/v1/messages", "analyst",
                              {{"type", "reply"},
                               {"in_reply_to", request},
                               {"recipients", {"BE/intelligence"}},
                               {"body", "Entry at Istanbul airport recorded; nothing else."}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  const std::string reply_id = reply.body["id"];
  ASSERT_TRUE(Eventually([&] { return Holds("BE", reply_id, "analyst"); }));
  Answer thread = N("BE").Get("/api/v1/cases/" + case_id, "analyst");
  ASSERT_EQ(thread.status, 200) << thread.body;
  EXPECT_EQ(thread.body["messages"].size(), 2u) << thread.body;
}

TEST_F(FourCountryTest, SpainTellsMoroccoOfASubjectByReferenceOnly) {
  Answer created = N("ES").Post(
      "/api/v1/subjects", "analyst",
      Subject("ES-E2E-1", "Youssef Benali Amrani", "1993-08-30", "ES/intelligence", {"returnee"}));
  ASSERT_EQ(created.status, 201) << created.body;
  Answer sent = N("ES").Post("/api/v1/messages", "analyst",
                             {{"type", "spontaneous"},
                              {"recipients", {"MA/intelligence"}},
                              {"subject_ids", {"ES-E2E-1"}},
                              {"include_records", true},
                              {"body", "May transit through Tangier; ask us for details."}});
  // A third country under hit/no-hit: the record itself may not go.
  EXPECT_NE(sent.status, 201) << "a record was sent to a hit/no-hit partner: " << sent.body;
  sent = N("ES").Post("/api/v1/messages", "analyst",
                      {{"type", "spontaneous"},
                       {"recipients", {"MA/intelligence"}},
                       {"subject_ids", {"ES-E2E-1"}},
                       {"body", "May transit through Tangier; ask us for details."}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string id = sent.body["id"];
  ASSERT_TRUE(Eventually([&] { return Holds("MA", id, "analyst"); }));
  Answer read = N("MA").Get("/api/v1/messages/" + id, "analyst");
  EXPECT_TRUE(read.body["message"]["entities"].empty()) << read.body;
  EXPECT_EQ(read.body["message"]["subjects"].size(), 1u) << read.body;
}

TEST_F(FourCountryTest, BelgiumNotifiesFranceOfAReleaseAndFranceAcknowledges) {
  const std::string release = DayFromToday(30);
  json prisoner = Subject("BE-E2E-2", "Samir Haddouchi", "1984-01-20", "BE/intelligence",
                          {"terrorism_convict", "radicalised_prisoner"});
  prisoner["properties"]["nationality"] = {"BE", "FR"};
  prisoner["properties"]["establishment"] = {"Prison de Haren"};
  prisoner["properties"]["plannedRelease"] = {release};
  prisoner["properties"]["sentenceEnd"] = {DayFromToday(400)};
  Answer created = N("BE").Post("/api/v1/subjects", "analyst", prisoner);
  ASSERT_EQ(created.status, 201) << created.body;
  // The node's notice job tells FR by itself.
  std::string notice;
  ASSERT_TRUE(Eventually([&] {
    Answer notices = N("BE").Get("/api/v1/release-notices", "analyst");
    for (const json& n : notices.body.value("notices", json::array())) {
      if (n["subject_id"] == "BE-E2E-2" && n["partner"] == "FR") notice = n["message_id"];
    }
    return !notice.empty();
  })) << "BE sent no release notice to FR";
  ASSERT_TRUE(Eventually([&] { return Holds("FR", notice, "analyst"); }));
  Answer ack =
      N("FR").Post("/api/v1/messages/" + notice + "/acknowledge", "analyst", json::object());
  ASSERT_EQ(ack.status, 201) << ack.body;
  EXPECT_TRUE(Eventually([&] {
    Answer notices = N("BE").Get("/api/v1/release-notices", "analyst");
    for (const json& n : notices.body.value("notices", json::array())) {
      if (n["message_id"] == notice && n["acknowledged_at"].is_string()) return true;
    }
    return false;
  })) << "BE did not see the acknowledgement";
}

TEST_F(FourCountryTest, AMinorsConsultationReachesOnlyDesignatedUsers) {
  Answer created = N("BE").Post("/api/v1/subjects", "youth",
                                Subject("BE-E2E-3", "Adam Demo-Minor", DayFromToday(-13 * 365),
                                        "BE/youth_protection", {"returning_minor"}, "H2"));
  ASSERT_EQ(created.status, 201) << created.body;
  Answer sent = N("BE").Post("/api/v1/messages", "youth",
                             {{"type", "consultation"},
                              {"recipients", {"FR/youth_protection", "ES/judicial"}},
                              {"deadline", DayFromToday(10)},
                              {"subject_ids", {"BE-E2E-3"}},
                              {"body", "Repatriation planned; relatives in Lille and Ceuta."}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string id = sent.body["id"];
  ASSERT_TRUE(Eventually([&] { return Holds("FR", id, "youth"); }));
  // An undesignated supervisor at FR does not see it.
  EXPECT_NE(N("FR").Get("/api/v1/messages/" + id, "supervisor").status, 200);
  // Nor may BE's undesignated supervisor read the minor's record.
  EXPECT_NE(N("BE").Get("/api/v1/subjects/BE-E2E-3", "supervisor").status, 200);
}

TEST_F(FourCountryTest, MoroccoFindsWhomToAskAndBelgiumRefusesTheFollowUpWithReasons) {
  Answer created = N("BE").Post("/api/v1/subjects", "analyst",
                                Subject("BE-E2E-4", "Majid Al Samarrai", "1990-02-17",
                                        "BE/intelligence", {"foreign_terrorist_fighter"}));
  ASSERT_EQ(created.status, 201) << created.body;
  // The name as Morocco's service writes it: surname first, in capitals. BE's job publishes its
  // encoded index to MA by itself; MA screens until it holds the new subject.
  const json query = {
      {"query",
       {{"schema", "Person"},
        {"properties",
         {{"name", {"AL SAMARRAI Majid"}}, {"birthDate", {"1990-02-17"}}, {"gender", {"male"}}}}}},
      {"partners", true}};
  std::string hit;
  ASSERT_TRUE(Eventually(
      [&] {
        Answer screened = N("MA").Post("/api/v1/screen", "analyst", query);
        for (const json& h : screened.body.value("partner_hits", json::array())) {
          if (h["country"] == "BE") {
            EXPECT_EQ(h["owner"], "BE/intelligence");
            EXPECT_TRUE(h["reference"].get<std::string>().starts_with("ref-")) << h;
            hit = h["hit_id"];
          }
        }
        return !hit.empty();
      },
      60))
      << "MA's screening never found the BE subject in BE's index";
  // BE is told which of its subjects was hit, by whom.
  ASSERT_TRUE(Eventually([&] {
    Answer in = N("BE").Get("/api/v1/hits?direction=in", "analyst");
    for (const json& h : in.body.value("hits", json::array())) {
      if (h["hit_id"] == hit) return h["subject_id"] == "BE-E2E-4";
    }
    return false;
  })) << "BE was not told of MA's hit";
  Answer follow = N("MA").Post("/api/v1/hits/" + hit + "/follow-up", "analyst",
                               {{"body", "Person stopped at the border; core data please."}});
  ASSERT_EQ(follow.status, 201) << follow.body;
  const std::string request = follow.body["id"];
  ASSERT_TRUE(Eventually([&] {
    Answer pending = N("BE").Get("/api/v1/follow-ups?pending=true", "analyst");
    for (const json& f : pending.body.value("follow_ups", json::array())) {
      if (f["message_id"] == request) return true;
    }
    return false;
  }));
  // Morocco is a hit/no-hit partner: the record may not be released.
  Answer release = N("BE").Post("/api/v1/follow-ups/" + request + "/decision", "analyst",
                                {{"decision", "release"}, {"reason", "core data"}});
  EXPECT_NE(release.status / 100, 2) << release.body;
  Answer refuse = N("BE").Post(
      "/api/v1/follow-ups/" + request + "/decision", "analyst",
      {{"decision", "refuse"},
       {"reason", "the agreement with Morocco covers hit/no-hit only; ask the liaison officer"}});
  ASSERT_EQ(refuse.status, 201) << refuse.body;
  const std::string answer = refuse.body["id"];
  EXPECT_TRUE(Eventually([&] { return Holds("MA", answer, "analyst"); }));
}

// The entities of message `id` as `cc`'s analyst reads them, by id.
std::map<std::string, json> EntitiesOf(Node& node, const std::string& id) {
  std::map<std::string, json> out;
  const Answer read = node.Get("/api/v1/messages/" + id, "analyst");
  if (read.status != 200 || !read.body.is_object() || !read.body["message"].is_object()) return out;
  for (const json& e : read.body["message"].value("entities", json::array())) out[e["id"]] = e;
  return out;
}

// Data-subject rights carried to partners (LED Art. 16): BE sent three records to FR and ES,
// then corrects one, restricts one and erases one (four eyes); both recipients are sent signed
// notices, apply them to the copies they hold, and their receipts come back.
TEST_F(FourCountryTest, ACorrectionARestrictionAndAnErasureReachBothRecipients) {
  for (const auto& [id, name] :
       {std::pair{"BE-E2E-R1", "Anouar Belkacem"}, std::pair{"BE-E2E-R2", "Rachid Ouazzani"},
        std::pair{"BE-E2E-R3", "Tarik Mansouri"}}) {
    Answer created = N("BE").Post(
        "/api/v1/subjects", "analyst",
        Subject(id, name, "1991-04-12", "BE/intelligence", {"foreign_terrorist_fighter"}));
    ASSERT_EQ(created.status, 201) << created.body;
  }
  Answer sent = N("BE").Post("/api/v1/messages", "analyst",
                             {{"type", "spontaneous"},
                              {"recipients", {"FR/intelligence", "ES/intelligence"}},
                              {"subject_ids", {"BE-E2E-R1", "BE-E2E-R2", "BE-E2E-R3"}},
                              {"include_records", true},
                              {"body", "Three returnees seen together in Molenbeek."}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string id = sent.body["id"];
  for (const char* cc : {"FR", "ES"}) {
    ASSERT_TRUE(Eventually([&] { return EntitiesOf(N(cc), id).size() == 3; })) << cc;
  }

  // The corrections: a name, a restriction, an erasure asked and confirmed by two supervisors.
  json corrected = Subject("BE-E2E-R1", "Anouar Belkacemi", "1991-04-12", "BE/intelligence",
                           {"foreign_terrorist_fighter"});
  Answer put = N("BE").Call("PUT", "/api/v1/subjects/BE-E2E-R1", "analyst", corrected);
  ASSERT_EQ(put.status, 200) << put.body;
  Answer restricted = N("BE").Post("/api/v1/subjects/BE-E2E-R2/restrict", "supervisor",
                                   {{"reason", "court order 2026/91"}});
  ASSERT_EQ(restricted.status, 200) << restricted.body;
  Answer second = N("BE").Post("/api/v1/users", "administrator",
                               {{"agency", "BE/intelligence"},
                                {"role", "supervisor"},
                                {"tier", "consult_and_feed"},
                                {"name", "Second supervisor"}});
  ASSERT_EQ(second.status, 201) << second.body;
  N("BE").AddToken("second supervisor", second.body["token"]);
  const json reason = {{"reason", "unlawfully processed: erasure ordered"}};
  ASSERT_EQ(N("BE").Post("/api/v1/subjects/BE-E2E-R3/erase", "supervisor", reason).status, 202);
  Answer erased = N("BE").Post("/api/v1/subjects/BE-E2E-R3/erase", "second supervisor", reason);
  ASSERT_EQ(erased.status, 200) << erased.body;

  // Applied by both recipients to the copy they hold.
  for (const char* cc : {"FR", "ES"}) {
    std::map<std::string, json> held;
    const bool applied = Eventually([&] {
      held = EntitiesOf(N(cc), id);
      return held.size() == 2 && held.contains("BE-E2E-R1") &&
             held["BE-E2E-R1"]["properties"]["name"][0] == "Anouar Belkacemi" &&
             held.contains("BE-E2E-R2") && !held["BE-E2E-R2"]["properties"].contains("name");
    });
    EXPECT_TRUE(applied) << cc << " holds " << json(held).dump();
    EXPECT_FALSE(held.contains("BE-E2E-R3")) << cc << ": the erased record is gone";
  }
  // Receipts: every notice delivered to both, as for any message.
  EXPECT_TRUE(Eventually([&] {
    Answer outbox = N("BE").Get("/api/v1/federation/outbox", "administrator");
    int delivered_to = 0;
    for (const json& q : outbox.body.value("queues", json::array())) {
      if (q["state"] == "pending" && q["count"].get<int>() > 0) return false;
      delivered_to +=
          q["state"] == "delivered" && (q["recipient"] == "FR" || q["recipient"] == "ES");
    }
    return delivered_to == 2 && outbox.body["failed"].empty();
  })) << N("BE").Get("/api/v1/federation/outbox", "administrator").body;
}

TEST_F(FourCountryTest, StatisticsCountTheExchangesPerCountryPair) {
  Answer stats = N("BE").Get("/api/v1/stats", "supervisor");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_GE(stats.body["messages"].get<int64_t>(), 5) << stats.body;
  bool be_to_fr = false;
  for (const json& e : stats.body["exchanges"]) {
    be_to_fr = be_to_fr || (e["from"] == "BE" && e["to"] == "FR" && e["type"] == "request");
  }
  EXPECT_TRUE(be_to_fr) << stats.body;
}

// Every audit entry of `action` in `cc`'s log, read by its auditor, page by page.
std::vector<json> AuditEntries(Node& node, const std::string& action) {
  std::vector<json> out;
  std::string after = "0";
  while (true) {
    Answer page =
        node.Get("/api/v1/audit?action=" + action + "&limit=1000&after=" + after, "auditor");
    EXPECT_EQ(page.status, 200) << page.body;
    if (page.status != 200) return out;
    for (const json& e : page.body["entries"]) out.push_back(e);
    if (page.body.value("remaining", 0) == 0) return out;
    after = std::to_string(page.body["next_after"].get<int64_t>());
  }
}

// Hit/no-hit answered by the owner (issue 22): Morocco, a third country, is in owner_answers
// with Belgium, France in encoded_index. MA finds a BE subject written another way and learns
// only the reference and the agency; BE's log holds MA's check with its justification; BE never
// sent MA an index; a sweep of birth dates is flagged; with a limit of 1,000 checks a day, the
// 1,001st is refused with 429. Last in the suite: the limit stays.
TEST_F(FourCountryTest, BelgiumAnswersMoroccosChecksLogsThemAndLimitsThem) {
  Answer partners = N("BE").Get("/api/v1/partners", "administrator");
  ASSERT_EQ(partners.status, 200) << partners.body;
  json ma_rules;
  for (const json& p : partners.body["partners"]) {
    if (p["country"] == "MA") ma_rules = p["rules"];
    if (p["country"] == "FR") {
      EXPECT_EQ(p["rules"]["hit_no_hit"], "encoded_index");
    }
  }
  ASSERT_EQ(ma_rules["hit_no_hit"], "owner_answers") << partners.body;

  Answer created = N("BE").Post("/api/v1/subjects", "analyst",
                                Subject("BE-E2E-6", "Abdelkader Ouchikh", "1986-05-22",
                                        "BE/intelligence", {"foreign_terrorist_fighter"}));
  ASSERT_EQ(created.status, 201) << created.body;
  auto screen = [](const std::string& name, const std::string& birth) {
    return json{
        {"query",
         {{"schema", "Person"},
          {"properties", {{"name", {name}}, {"birthDate", {birth}}, {"gender", {"male"}}}}}},
        {"partners", true}};
  };
  json hit;
  ASSERT_TRUE(Eventually(
      [&] {
        Answer screened =
            N("MA").Post("/api/v1/screen", "analyst", screen("OUCHIKH Abdelkader", "1986-05-22"));
        for (const json& h : screened.body.value("partner_hits", json::array())) {
          if (h["country"] == "BE") hit = h;
        }
        return hit.is_object();
      },
      60))
      << "BE never answered MA's check with its subject";
  // The reference and whom to ask: nothing of the record.
  for (const auto& [key, value] : hit.items()) {
    EXPECT_TRUE(key == "country" || key == "reference" || key == "owner" || key == "score" ||
                key == "hit_id")
        << key;
  }
  EXPECT_EQ(hit["owner"], "BE/intelligence");
  EXPECT_TRUE(hit["reference"].get<std::string>().starts_with("ref-"));

  // BE's log holds the check, its justification and case reference, and the subject it returned.
  Answer logged = N("BE").Get("/api/v1/audit?action=answer_check&subject=BE-E2E-6", "auditor");
  ASSERT_EQ(logged.status, 200) << logged.body;
  ASSERT_FALSE(logged.body["entries"].empty()) << logged.body;
  const json& entry = logged.body["entries"].back();
  EXPECT_EQ(entry["justification"], "four-country exercise on synthetic data (MA)");
  EXPECT_EQ(entry["on_behalf_of"], "E2E-2026-001");
  EXPECT_EQ(entry["actor_agency"], "MA/intelligence");
  EXPECT_EQ(entry["details"]["outcome"], "answered");
  EXPECT_EQ(entry["details"]["hits"][0]["reference"], hit["reference"]);

  // No index ever left BE for MA; FR, in encoded_index, received BE's.
  int to_ma = 0, to_fr = 0;
  for (const json& e : AuditEntries(N("BE"), "send_message")) {
    const std::string details = e["details"].dump();
    if (details.find("index_update") == std::string::npos) continue;
    to_ma += details.find("MA/node") != std::string::npos ? 1 : 0;
    to_fr += details.find("FR/node") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(to_ma, 0);
  EXPECT_GT(to_fr, 0);

  // A sweep of birth dates around the name is flagged for the oversight body.
  for (int day = 1; day <= 28; ++day) {
    const std::string birth = std::string("1986-02-") + (day < 10 ? "0" : "") + std::to_string(day);
    ASSERT_EQ(N("MA").Post("/api/v1/screen", "analyst", screen("OUCHIKH Abdelkader", birth)).status,
              200);
  }
  bool flagged = false;
  for (const json& e : AuditEntries(N("BE"), "answer_check")) {
    flagged =
        flagged || e["details"].value("flags", json::array()).dump().find("birth_date_sweep") !=
                       std::string::npos;
  }
  EXPECT_TRUE(flagged);

  // BE's administrator sets MA's limit to 1,000 checks a day (and the minute's out of the way).
  ma_rules["checks_per_day"] = 1000;
  ma_rules["checks_per_minute"] = 100000;
  Answer set = N("BE").Call("PUT", "/api/v1/partners/MA/rules", "administrator", ma_rules);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.body["rules"]["checks_per_day"], 1000);
  std::string refusal;
  for (int i = 0; i < 1100 && refusal.empty(); ++i) {
    Answer screened =
        N("MA").Post("/api/v1/screen", "analyst", screen("Lotfi Zarhouni", "1977-03-09"));
    ASSERT_EQ(screened.status, 200) << screened.body;
    for (const json& u : screened.body.value("partners_unavailable", json::array())) {
      if (u.get<std::string>().starts_with("BE:")) refusal = u;
    }
  }
  EXPECT_NE(refusal.find("HTTP 429"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("checks_per_day"), std::string::npos) << refusal;
  // Exactly 1,000 checks were answered today before the refusal.
  int64_t answered = 0, refused = 0;
  for (const json& e : AuditEntries(N("BE"), "answer_check")) {
    if (e["details"]["partner"] != "MA") continue;
    if (e["details"]["outcome"] == "answered") answered += e["details"]["queries"].get<int64_t>();
    if (e["details"]["outcome"] == "refused: checks_per_day") ++refused;
  }
  EXPECT_EQ(answered, 1000);
  EXPECT_EQ(refused, 1);
}

}  // namespace
}  // namespace entente
