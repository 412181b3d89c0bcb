#include "common/log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace entente {
namespace {

TEST(LogTest, JsonLinesAreValidJsonWithTheMessageEscaped) {
  const auto formatter = MakeJsonLineFormatter();
  const std::string text = "quote \" backslash \\ newline \n tab \t bell \x07 Ren\xc3\xa9";
  spdlog::details::log_msg msg(spdlog::source_loc{}, "entente", spdlog::level::warn, text);
  spdlog::memory_buf_t buffer;
  formatter->format(msg, buffer);
  const std::string line(buffer.data(), buffer.size());
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
  const auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json.at("msg").get<std::string>(), text);
  EXPECT_EQ(json.at("level").get<std::string>(), "warning");
  EXPECT_EQ(json.at("ts").get<std::string>().back(), 'Z');
}

}  // namespace
}  // namespace entente
