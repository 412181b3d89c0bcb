// Replays the yente 5.5 conformance fixtures of tests/data/yente (their README gives the
// assertion language) against a node's /match/{dataset} and /entities/{id}: each fixture's
// synthetic seed loaded through the node's own API, its request sent, its expectations checked.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/api_testing.h"
#include "api/server.h"
#include "common/clock.h"
#include "http/client.h"
#include "http/message.h"
#include "service/live_index.h"
#include "service/register.h"
#include "store/test_backends.h"

namespace entente::api {
namespace {

using nlohmann::json;
using testing::TokensOf;
using testing::User;

const std::string kDir = std::string(ENTENTE_TEST_DATA_DIR) + "/yente";
constexpr const char* kToken = "analyst-token";
constexpr const char* kWhy = "yente conformance fixtures (synthetic)";

// A query parameter's text, percent-encoded (RFC 3986 unreserved characters kept).
std::string Encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// {{name}} replaced by ctx[name] in every string of `value`.
json Substitute(const json& value, const std::map<std::string, std::string>& ctx) {
  if (value.is_string()) {
    std::string text = value;
    for (const auto& [key, replacement] : ctx) {
      const std::string marker = "{{" + key + "}}";
      for (size_t at = text.find(marker); at != std::string::npos;
           at = text.find(marker, at + replacement.size())) {
        text.replace(at, marker.size(), replacement);
      }
    }
    return text;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const json& v : value) out.push_back(Substitute(v, ctx));
    return out;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items()) out[k] = Substitute(v, ctx);
    return out;
  }
  return value;
}

// The (location, value) pairs a dotted path with `*` reaches.
std::vector<std::pair<std::string, const json*>> Select(const json& doc, const std::string& path) {
  std::vector<std::pair<std::string, const json*>> nodes = {{"", &doc}};
  if (path.empty()) return nodes;
  std::stringstream segments(path);
  std::string seg;
  while (std::getline(segments, seg, '.')) {
    std::vector<std::pair<std::string, const json*>> next;
    for (const auto& [loc, node] : nodes) {
      if (seg == "*") {
        if (node->is_object()) {
          for (const auto& [k, v] : node->items()) next.emplace_back(loc + "." + k, &v);
        } else if (node->is_array()) {
          for (size_t i = 0; i < node->size(); ++i) {
            next.emplace_back(loc + "." + std::to_string(i), &(*node)[i]);
          }
        }
      } else if (node->is_object() && node->contains(seg)) {
        next.emplace_back(loc + "." + seg, &(*node)[seg]);
      } else if (node->is_array() && !seg.empty() &&
                 seg.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(seg) < node->size()) {
        next.emplace_back(loc + "." + seg, &(*node)[std::stoul(seg)]);
      }
    }
    nodes = std::move(next);
  }
  return nodes;
}

bool IsType(const json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer") return v.is_number_integer();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  ADD_FAILURE() << "unknown type " << type;
  return false;
}

bool Contains(const json& v, const json& c) {
  if (v.is_array()) return std::find(v.begin(), v.end(), c) != v.end();
  if (v.is_string()) {
    const std::string needle = c.is_string() ? c.get<std::string>() : c.dump();
    return v.get<std::string>().find(needle) != std::string::npos;
  }
  return false;
}

std::vector<std::string> CheckValue(const json& a, const std::string& loc, const json& v) {
  std::vector<std::string> f;
  auto bad = [&](const std::string& what) {
    f.push_back((loc.empty() ? "<root>" : loc) + ": " + what + " (got " + v.dump().substr(0, 160) +
                ")");
  };
  if (a.contains("type")) {
    const json types = a["type"].is_array() ? a["type"] : json::array({a["type"]});
    bool any = false;
    for (const json& t : types) any |= IsType(v, t);
    if (!any) {
      bad("type not " + types.dump());
      return f;
    }
  }
  if (a.contains("equals") && v != a["equals"]) bad("not equal to " + a["equals"].dump());
  if (a.contains("one_of") && !Contains(a["one_of"], v)) bad("not one of " + a["one_of"].dump());
  if (a.contains("not_in") && Contains(a["not_in"], v)) bad("in " + a["not_in"].dump());
  if (a.contains("min") && !(v.is_number() && v.get<double>() >= a["min"].get<double>())) {
    bad("not >= " + a["min"].dump());
  }
  if (a.contains("max") && !(v.is_number() && v.get<double>() <= a["max"].get<double>())) {
    bad("not <= " + a["max"].dump());
  }
  if (a.contains("min_length") &&
      !(v.is_string() && v.get<std::string>().size() >= a["min_length"].get<size_t>())) {
    bad("shorter than " + a["min_length"].dump());
  }
  if (a.contains("min_items") && !(v.is_array() && v.size() >= a["min_items"].get<size_t>())) {
    bad("fewer items than " + a["min_items"].dump());
  }
  if (a.contains("max_items") && !(v.is_array() && v.size() <= a["max_items"].get<size_t>())) {
    bad("more items than " + a["max_items"].dump());
  }
  if (a.contains("min_keys") && !(v.is_object() && v.size() >= a["min_keys"].get<size_t>())) {
    bad("fewer keys than " + a["min_keys"].dump());
  }
  if (a.contains("max_keys") && !(v.is_object() && v.size() <= a["max_keys"].get<size_t>())) {
    bad("more keys than " + a["max_keys"].dump());
  }
  if (a.contains("keys")) {
    std::set<std::string> want, got;
    for (const json& k : a["keys"]) want.insert(k);
    if (v.is_object()) {
      for (const auto& [k, x] : v.items()) got.insert(k);
    }
    if (!v.is_object() || want != got) bad("keys not exactly " + a["keys"].dump());
  }
  if (a.contains("has_keys")) {
    for (const json& k : a["has_keys"]) {
      if (!v.is_object() || !v.contains(k.get<std::string>())) bad("missing key " + k.dump());
    }
  }
  if (a.contains("lacks_keys")) {
    for (const json& k : a["lacks_keys"]) {
      if (v.is_object() && v.contains(k.get<std::string>())) bad("has key " + k.dump());
    }
  }
  if (a.contains("values_type") && v.is_object()) {
    for (const auto& [k, x] : v.items()) {
      if (!IsType(x, a["values_type"])) bad("value of " + k + " not " + a["values_type"].dump());
    }
  }
  if (a.contains("starts_with") &&
      !(v.is_string() && v.get<std::string>().starts_with(a["starts_with"].get<std::string>()))) {
    bad("does not start with " + a["starts_with"].dump());
  }
  if (a.contains("matches") &&
      !(v.is_string() &&
        std::regex_search(v.get<std::string>(), std::regex(a["matches"].get<std::string>())))) {
    bad("does not match " + a["matches"].dump());
  }
  if (a.contains("contains") && !Contains(v, a["contains"])) {
    bad("does not contain " + a["contains"].dump());
  }
  if (a.contains("contains_any")) {
    bool any = false;
    for (const json& c : a["contains_any"]) any |= Contains(v, c);
    if (!any) bad("contains none of " + a["contains_any"].dump());
  }
  if (a.value("iso_seconds_or_null", false)) {
    static const std::regex kIso(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$)");
    if (!(v.is_null() || (v.is_string() && std::regex_match(v.get<std::string>(), kIso)))) {
      bad("not null nor YYYY-MM-DDTHH:MM:SS");
    }
  }
  if (a.contains("sorted_desc") && v.is_array()) {
    const std::string field = a["sorted_desc"];
    double previous = 2;
    for (const json& x : v) {
      if (!x.is_object() || !x.contains(field) || !x[field].is_number() ||
          x[field].get<double>() > previous) {
        bad("not sorted by " + field + " descending");
        break;
      }
      previous = x[field].get<double>();
    }
  }
  return f;
}

std::vector<std::string> RunCheck(const json& a, const json& body) {
  std::vector<std::string> f;
  const std::string check = a["check"];
  for (const auto& [loc, response] : Select(body, a["responses"])) {
    if (!response->is_object()) continue;
    std::vector<const json*> results;
    if (response->contains("results") && (*response)["results"].is_array()) {
      for (const json& r : (*response)["results"]) {
        if (r.is_object()) results.push_back(&r);
      }
    }
    if (check == "match_vs_threshold") {
      const double threshold = a["threshold"];
      for (size_t i = 0; i < results.size(); ++i) {
        const json& r = *results[i];
        if (r.contains("score") && r["score"].is_number() && r.contains("match") &&
            r["match"].is_boolean() &&
            r["match"].get<bool>() != (r["score"].get<double>() >= threshold)) {
          f.push_back(loc + ".results." + std::to_string(i) + ": match against the threshold");
        }
      }
    } else if (check == "scores_above_cutoff") {
      const double cutoff = a["cutoff"];
      for (size_t i = 0; i < results.size(); ++i) {
        const json& r = *results[i];
        if (r.contains("score") && r["score"].is_number() &&
            !(r["score"].get<double>() > cutoff - 1e-9)) {
          f.push_back(loc + ".results." + std::to_string(i) + ": score not above the cutoff");
        }
      }
    } else if (check == "total_counts_matches") {
      if (!response->contains("total") || !(*response)["total"].is_object() ||
          !(*response)["total"].value("value", json()).is_number_integer()) {
        continue;
      }
      const int64_t total = (*response)["total"]["value"];
      int64_t matches = 0;
      for (const json* r : results) matches += r->value("match", false) ? 1 : 0;
      if (total < matches) f.push_back(loc + ".total.value below the matching results");
      if (results.size() < a["limit"].get<size_t>() && total != matches) {
        f.push_back(loc + ".total.value " + std::to_string(total) +
                    " != " + std::to_string(matches) + " matches (every result returned)");
      }
    } else {
      f.push_back("unknown check " + check);
    }
  }
  return f;
}

void Expand(const json& asserts, const json& common, std::vector<json>* out) {
  for (const json& a : asserts) {
    if (a.contains("include")) {
      Expand(common[a["include"].get<std::string>()], common, out);
    } else {
      out->push_back(a);
    }
  }
}

std::vector<std::string> CheckBranch(const json& branch, int status, const json& body,
                                     const json& common, const json& extra) {
  if (!Contains(branch["status"], status)) {
    return {"status " + std::to_string(status) + " not in " + branch["status"].dump()};
  }
  std::vector<json> asserts;
  Expand(branch["assert"], common, &asserts);
  Expand(extra, common, &asserts);
  std::vector<std::string> f;
  for (const json& a : asserts) {
    if (a.contains("when_status")) {
      const json ws =
          a["when_status"].is_array() ? a["when_status"] : json::array({a["when_status"]});
      if (!Contains(ws, status)) continue;
    }
    if (a.contains("check")) {
      for (std::string& x : RunCheck(a, body)) f.push_back(std::move(x));
      continue;
    }
    const std::string path = a["path"];
    const auto hits = Select(body, path);
    if (a.contains("present") && !a["present"].get<bool>()) {
      if (!hits.empty()) f.push_back(path + ": present but must not be");
      continue;
    }
    if (hits.empty() &&
        (a.value("present", false) || path.empty() || path.find('*') == std::string::npos)) {
      if (!a.contains("not_in") && !a.contains("lacks_keys")) f.push_back(path + ": missing");
      continue;
    }
    for (const auto& [loc, v] : hits) {
      for (std::string& x : CheckValue(a, loc, *v)) f.push_back(std::move(x));
    }
  }
  return f;
}

// The failures of the answer (status, body) against the fixture; none when it conforms.
std::vector<std::string> Check(const json& fixture, int status, const json& body,
                               const json& common, bool seeded) {
  const json extra = seeded ? fixture.value("expect_seeded", json::array()) : json::array();
  const json& expect = fixture["expect"];
  const json branches = expect.contains("any_of") ? expect["any_of"] : json::array({expect});
  std::vector<std::string> all;
  for (size_t i = 0; i < branches.size(); ++i) {
    std::vector<std::string> f = CheckBranch(branches[i], status, body, common, extra);
    if (f.empty()) return {};
    for (const std::string& x : f) all.push_back("branch " + std::to_string(i) + ": " + x);
  }
  return all;
}

std::vector<std::string> FixtureFiles() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 2 && std::isdigit(static_cast<unsigned char>(name[0])) &&
        name.ends_with(".json")) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class YenteConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto store = store::OpenTestStore(store::TestBackend::kSqlite, clock_, &dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto index = service::LiveIndex::Open(*store_, {});
    ASSERT_TRUE(index.ok());
    index_ = std::move(index).value();
    register_ = std::make_unique<service::Register>(*store_, *index_, clock_);
    users_[kToken] =
        User("u-analyst", "BE/police", policy::Role::kAnalyst, policy::AccessTier::kConsultAndFeed);
    ApiDeps deps;
    deps.subjects = register_.get();
    deps.index = index_.get();
    deps.store = store_.get();
    deps.clock = &clock_;
    deps.node_country = "BE";
    deps.authenticate = TokensOf(&users_);
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

  FakeClock clock_{1'790'000'000'000'000};  // 2026-09-21
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::LiveIndex> index_;
  std::unique_ptr<service::Register> register_;
  testing::TestUsers users_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<http::Client> client_;
};

TEST_P(YenteConformanceTest, TheNodeAnswersAsYenteDoes) {
  const json common = ReadJson(kDir + "/common.json");
  json fixture = ReadJson(kDir + "/" + GetParam());
  std::map<std::string, std::string> ctx = {{"token", kToken}, {"justification", kWhy}};
  // The seed, through the node's own API (its model needs an owner agency).
  for (const json& seed : fixture.value("seed", json::array())) {
    json entity = seed["entity"];
    entity["properties"]["ownerAgency"] = {"BE/police"};
    if (!entity["properties"].contains("handlingCode")) {
      entity["properties"]["handlingCode"] = {"H0"};
    }
    auto created = client_->Post(
        "/api/v1/subjects", entity.dump(),
        {{"Authorization", std::string("Bearer ") + kToken}, {"X-Justification", kWhy}});
    ASSERT_TRUE(created.ok());
    ASSERT_EQ(created->status, 201) << created->body;
    ctx["seed." + seed["key"].get<std::string>() + ".id"] =
        json::parse(created->body)["id"].get<std::string>();
  }
  fixture = Substitute(fixture, ctx);
  const json& request = fixture["request"];
  std::string target = request["path"];
  std::string separator = "?";
  for (const json& pair : request.value("query", json::array())) {
    target +=
        separator + Encode(pair[0].get<std::string>()) + "=" + Encode(pair[1].get<std::string>());
    separator = "&";
  }
  std::vector<http::Header> headers;
  const json request_headers = request.value("headers", json::object());
  for (const auto& [name, value] : request_headers.items()) {
    headers.push_back({name, value.get<std::string>()});
  }
  const std::string body = request.contains("body") ? request["body"].dump() : "";
  auto answer = client_->Send(request["method"].get<std::string>(), target, headers, body);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const json parsed = json::parse(answer->body, nullptr, false);
  const std::vector<std::string> failures =
      Check(fixture, answer->status, parsed, common, fixture.contains("seed"));
  std::string report;
  for (const std::string& f : failures) report += "\n  " + f;
  EXPECT_TRUE(failures.empty()) << fixture.value("id", "") << " (" << GetParam() << "): HTTP "
                                << answer->status << report << "\n"
                                << answer->body.substr(0, 2000);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, YenteConformanceTest, ::testing::ValuesIn(FixtureFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param.substr(0, param.param.size() - 5);
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace entente::api
