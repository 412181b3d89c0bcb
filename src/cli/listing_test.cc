#include "cli/listing.h"

#include <gtest/gtest.h>

#include <sstream>

#include "text/display_width.h"

namespace entente::cli {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

Listing People() {
  Listing listing({{"id"}, {"name", 16}, {"score"}, {"at"}});
  listing.Add({"S-1", "Hélène Lefèvre-Dupont", 0.5, TimeCell(1'796'624'721'000'000)});
  listing.Add({"S-22", "محمد العمراني", 12, TimeCell(0)});
  listing.Add({"S-3", "Ali", 3, TimeCell(1'796'624'721'000'000)});
  return listing;
}

TEST(ListingTest, TableAlignsByDisplayWidthAndCutsWholeCharacters) {
  std::ostringstream out;
  People().Print(out, OutputFormat::kTable);
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 4u);
  // Names padded to 16 columns (not bytes: é and Arabic letters take two bytes and one column);
  // the long one cut to 15 and "…"; numbers right-aligned; a time not set shows "-".
  EXPECT_EQ(lines[0], "id    name              score  at");
  EXPECT_EQ(lines[1], "S-1   Hélène Lefèvre-…    0.5  2026-12-07T06:25:21Z");
  EXPECT_EQ(lines[2], "S-22  محمد العمراني        12  -");
  EXPECT_EQ(lines[3], "S-3   Ali                   3  2026-12-07T06:25:21Z");
  for (const std::string& line : lines) {
    EXPECT_EQ(text::DisplayWidth(line.substr(0, line.rfind("  "))),
              text::DisplayWidth(lines[0].substr(0, lines[0].rfind("  "))))
        << line;
  }
}

TEST(ListingTest, CsvHasAHeaderQuotesAndGuardsFormulas) {
  Listing listing({{"id"}, {"note"}});
  listing.Add({"S-1", "=HYPERLINK(\"x\")"});
  listing.Add({"S-2", "a, b"});
  listing.Add({"S-3", nullptr});
  std::ostringstream out;
  listing.Print(out, OutputFormat::kCsv);
  EXPECT_EQ(out.str(), "id,note\nS-1,\"'=HYPERLINK(\"\"x\"\")\"\nS-2,\"a, b\"\nS-3,\n");
}

TEST(ListingTest, JsonKeepsTypesAndColumnOrder) {
  std::ostringstream out;
  People().Print(out, OutputFormat::kJson);
  const auto parsed = nlohmann::json::parse(out.str());
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0]["name"], "Hélène Lefèvre-Dupont");  // never cut
  EXPECT_EQ(parsed[1]["score"], 12);
  EXPECT_TRUE(parsed[1]["at"].is_null());
  EXPECT_EQ(out.str().substr(0, 9), "[\n{\"id\":\"");
  std::ostringstream empty;
  Listing({{"id"}}).Print(empty, OutputFormat::kJson);
  EXPECT_EQ(empty.str(), "[]\n");
}

TEST(ListingTest, ControlCharactersNeverBreakARow) {
  Listing listing({{"id"}, {"note"}});
  listing.Add({"S-1", "two\nlines\x1b[2J"});
  std::ostringstream out;
  listing.Print(out, OutputFormat::kTable);
  EXPECT_EQ(Lines(out.str()).size(), 2u);
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace entente::cli
