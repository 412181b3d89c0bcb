#include "service/import_export.h"

#include <sstream>

#include <gtest/gtest.h>

#include <map>

#include "model/entity_format.h"
#include "service/use_case_testing.h"
#include "synth/population.h"

namespace entente::service {
namespace {

using testing::MakeCaller;
using testing::UseCaseTest;

constexpr char kHeader[] = "id,name,birthDate,ownerAgency,handlingCode\n";

class ImportExportTest : public UseCaseTest {
 protected:
  Status Import(const std::string& csv, const Caller& caller, ImportReport* report,
                ImportOptions options = {}) {
    std::istringstream in(csv);
    return ImportSubjects(*store_, caller, in, "people.csv", options, report);
  }
  int64_t Count() {
    auto count = store_->subjects().Count();
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }
  Caller admin_ = MakeCaller("administrator", "BE/administration", "", "consult");
};

TEST_P(ImportExportTest, ImportsEveryRowInOneAuditedTransaction) {
  ImportReport report;
  const std::string csv = std::string(kHeader) +
                          "S1,Mohamed El Amrani,1987-03-14,BE/intelligence,H0\n"
                          "S2,Sophie Gerard,1985-07-02,BE/police,H1\n"
                          "S3,Karim Idrissi,1990-01-02,BE/penitentiary,H2\n";
  const Status status = Import(csv, admin_, &report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(report.records, 3);
  EXPECT_EQ(report.created, 3);
  EXPECT_EQ(report.replaced, 0);
  EXPECT_EQ(report.checksum.size(), 64U);
  EXPECT_EQ(Count(), 3);
  const auto entries = Audit();
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].record.action, "import");
  EXPECT_EQ(entries[0].record.actor, "administrator@BE/administration");
  EXPECT_NE(entries[0].record.details_json.find(report.checksum), std::string::npos);
  EXPECT_NE(entries[0].record.details_json.find("\"records\":3"), std::string::npos);
}

TEST_P(ImportExportTest, ABadRowInTheMiddleLeavesTheStoreEmptyAndIsNamed) {
  ImportReport report;
  const std::string csv = std::string(kHeader) +
                          "S1,Mohamed El Amrani,1987-03-14,BE/intelligence,H0\n"
                          "S2,Sophie Gerard,2019-02-30,BE/police,H0\n"
                          "S3,Jean Dupont,1970-01-01,FR/police,H0\n"
                          "S4,Karim Idrissi,1990-01-02,BE/penitentiary,H2\n";
  const Status status = Import(csv, admin_, &report);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("nothing imported"), std::string::npos) << status.message();
  EXPECT_EQ(Count(), 0);
  EXPECT_EQ(report.problem_count, 2);
  ASSERT_EQ(report.problems.size(), 2U);
  EXPECT_EQ(report.problems[0].line, 3);
  EXPECT_EQ(report.problems[0].field, "birthDate");
  EXPECT_EQ(report.problems[0].ToString().rfind("people.csv:3:", 0), 0U)
      << report.problems[0].ToString();
  EXPECT_EQ(report.problems[1].line, 4);
  EXPECT_EQ(report.problems[1].field, "ownerAgency");
  EXPECT_EQ(report.problems[1].column, 27);
  EXPECT_NE(report.problems[1].message.find("FR/police"), std::string::npos);
  EXPECT_EQ(CountAudit("import", "refused: 2 problems"), 1);
}

TEST_P(ImportExportTest, ReplacesExistingSubjectsOrRefusesThemWithNoReplace) {
  ImportReport report;
  const std::string csv = std::string(kHeader) + "S1,Mohamed El Amrani,1987-03-14,BE/police,H0\n";
  ASSERT_TRUE(Import(csv, admin_, &report).ok());
  const std::string changed = std::string(kHeader) +
                              "S1,Mohamed EL AMRANI,1987-03-14,BE/police,H0\n"
                              "S2,Sophie Gerard,1985-07-02,BE/police,H0\n";
  ASSERT_TRUE(Import(changed, admin_, &report).ok());
  EXPECT_EQ(report.created, 1);
  EXPECT_EQ(report.replaced, 1);
  auto s1 = store_->subjects().Get("S1");
  ASSERT_TRUE(s1.ok());
  EXPECT_EQ(s1->version, 2);
  EXPECT_EQ(s1->entity.First("name"), "Mohamed EL AMRANI");

  const std::string third = std::string(kHeader) +
                            "S3,Karim Idrissi,1990-01-02,BE/police,H0\n"
                            "S1,Mohamed El Amrani,1987-03-14,BE/police,H0\n";
  ImportOptions no_replace;
  no_replace.replace = false;
  const Status refused = Import(third, admin_, &report, no_replace);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument) << refused.ToString();
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_EQ(report.problems[0].line, 3);
  EXPECT_EQ(report.problems[0].field, "id");
  EXPECT_NE(report.problems[0].message.find("--no-replace"), std::string::npos);
  EXPECT_EQ(Count(), 2) << "S3 must not be written";
  EXPECT_EQ(store_->subjects().Get("S1")->version, 2);
}

TEST_P(ImportExportTest, RestrictedSubjectsAreNeverReplaced) {
  Put(testing::Subject("S1", "Mohamed El Amrani", "BE/police"));
  ASSERT_TRUE(store_
                  ->Write([](store::WriteTxn& txn) {
                    return txn.subjects().SetState("S1", store::SubjectState::kRestricted);
                  })
                  .ok());
  ImportReport report;
  const Status status = Import(
      std::string(kHeader) + "S1,Mohamed El Amrani,1987-03-14,BE/police,H0\n", admin_, &report);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_NE(report.problems[0].message.find("restricted"), std::string::npos);
  EXPECT_EQ(store_->subjects().Get("S1")->state, store::SubjectState::kRestricted);
}

TEST_P(ImportExportTest, ASupervisorImportsOnlyItsAgencysRecords) {
  ImportReport report;
  const Caller supervisor = MakeCaller("supervisor", "BE/police");
  const Status status = Import(std::string(kHeader) +
                                   "S1,Mohamed El Amrani,1987-03-14,BE/police,H0\n"
                                   "S2,Sophie Gerard,1985-07-02,BE/intelligence,H0\n",
                               supervisor, &report);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_EQ(report.problems[0].line, 3);
  EXPECT_NE(report.problems[0].message.find("owner_agency"), std::string::npos);
  EXPECT_EQ(Count(), 0);
}

TEST_P(ImportExportTest, AnAnalystIsRefusedAndTheRefusalAudited) {
  ImportReport report;
  const Status status = Import(std::string(kHeader) + "S1,Mohamed,1987-03-14,BE/police,H0\n",
                               MakeCaller("analyst", "BE/police"), &report);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status.ToString();
  EXPECT_EQ(Count(), 0);
  EXPECT_EQ(CountAudit("import", "refused: role"), 1);
}

// The synthetic Belgian register imported and exported again: every subject the policy lets
// out comes back as it went in (H1 marked), and H2/H3 records of other agencies stay in.
TEST_P(ImportExportTest, SynthRegisterRoundTripsThroughImportAndExport) {
  std::ostringstream be;
  auto writer = model::MakeEntityWriter(model::EntityFormat::kCsv, be, synth::WatchlistColumns());
  synth::SynthSinks sinks;
  sinks.registers[0] = writer.get();
  ASSERT_TRUE(synth::WritePopulation({.persons = 600, .queries = 1, .seed = 7}, sinks).ok());

  std::istringstream in(be.str());
  ImportReport imported;
  const Status status = ImportSubjects(*store_, admin_, in, "BE.csv", {}, &imported);
  ASSERT_TRUE(status.ok()) << status.ToString() << " "
                           << (imported.problems.empty() ? "" : imported.problems[0].ToString());
  ASSERT_GT(imported.created, 100);
  EXPECT_EQ(Count(), imported.created);

  const Caller analyst = MakeCaller("analyst", "BE/intelligence");
  std::ostringstream out;
  auto ndjson = model::MakeEntityWriter(model::EntityFormat::kNdjson, out, {});
  ExportReport exported;
  const Status export_status =
      ExportSubjects(*store_, analyst, *ndjson, policy::Destination::kFile, &exported);
  ASSERT_TRUE(export_status.ok()) << export_status.ToString();
  ASSERT_TRUE(ndjson->Finish().ok());
  EXPECT_GT(exported.exported, 0);
  EXPECT_GT(exported.left_out, 0) << "H2 records of other agencies stay in the node";
  EXPECT_EQ(exported.exported + exported.left_out, imported.created);

  std::istringstream back(out.str());
  auto reader = model::MakeEntityReader(model::EntityFormat::kNdjson, back, "export.ndjson");
  model::Record read_record;
  model::Problems problems;
  std::map<std::string, model::Entity> written;
  while (reader->Next(&read_record, &problems) == model::ReadOutcome::kRecord) {
    written[read_record.entity.id] = read_record.entity;
  }
  int64_t read = 0;
  int64_t marked = 0;
  int64_t links_dropped = 0;
  for (const auto& [id, got] : written) {
    ++read;
    auto stored = store_->subjects().Get(got.id);
    ASSERT_TRUE(stored.ok()) << got.id;
    model::Entity expected = stored->entity;
    // Links only to subjects the export carries: the others' ids stay in the node.
    if (expected.Has("link")) {
      std::vector<std::string> links;
      for (const std::string& link : expected.Values("link")) {
        if (written.contains(link.substr(link.find(':') + 1))) {
          links.push_back(link);
        } else {
          ++links_dropped;
        }
      }
      expected.properties.erase("link");
      if (!links.empty()) expected.Set("link", std::move(links));
    }
    const std::string code(expected.First("handlingCode"));
    const std::string owner(expected.First("ownerAgency"));
    const auto& notes = got.Values("notes");
    if (!notes.empty() && notes.back() == kNotForJudicialUseNote) {
      expected.Add("notes", std::string(kNotForJudicialUseNote));
      ++marked;
      EXPECT_EQ(code, "H1");
      EXPECT_NE(owner, "BE/intelligence") << "the owner needs no permission of its own";
    } else {
      EXPECT_TRUE(code != "H1" || owner == "BE/intelligence") << got.id;
    }
    for (const auto& [property, values] : expected.properties) {
      EXPECT_EQ(got.Values(property), values) << got.id << " " << property;
    }
    EXPECT_EQ(got, expected) << got.id;
    EXPECT_TRUE((code != "H2" && code != "H3") || owner == "BE/intelligence")
        << got.id << " " << code << " " << owner;
  }
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(read, exported.exported);
  EXPECT_EQ(marked, exported.not_for_judicial_use);
  EXPECT_EQ(links_dropped, exported.links_left_out);
  EXPECT_EQ(CountAudit("export", "\"destination\":\"file\""), exported.exported + 1);
}

TEST_P(ImportExportTest, ExportRefusesAnAdministratorAndAuditsIt) {
  Put(testing::Subject("S1", "Mohamed El Amrani"));
  std::ostringstream out;
  auto ndjson = model::MakeEntityWriter(model::EntityFormat::kNdjson, out, {});
  ExportReport report;
  const Status status =
      ExportSubjects(*store_, admin_, *ndjson, policy::Destination::kFile, &report);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(out.str().empty());
  EXPECT_EQ(CountAudit("export", "refused: role"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportExportTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace entente::service
