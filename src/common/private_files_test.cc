#include "common/private_files.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace entente {
namespace {

TEST(PrivateFilesTest, WrittenAloneAndReadWhole) {
  const std::string dir = ::testing::TempDir() + "entente-private-files";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(MakePrivateDirectory(dir + "/keys").ok());
  const std::string path = dir + "/keys/secret.json";
  const std::string content("{\"key\": \"\0\xff binary\"}", 21);
  ASSERT_TRUE(WritePrivateFile(path, content).ok());
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  Result<std::string> read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, content);
  Result<std::string> missing = ReadWholeFile(dir + "/keys/none.json");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("none.json"), std::string::npos);
  EXPECT_EQ(ReadWholeFile(dir + "/keys").status().code(), StatusCode::kIoError)
      << "a directory is not a file";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace entente
