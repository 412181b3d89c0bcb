#include "service/node_setup.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/auth.h"
#include "store/test_backends.h"

namespace entente::service {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kStart = 1'790'000'000'000'000;  // 2026-09-21

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

class NodeSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/entente-node-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
  }
  void TearDown() override { fs::remove_all(root_); }

  FakeClock clock_{kStart};
  std::string root_;
};

TEST_F(NodeSetupTest, CreatesEveryFileWithItsMode) {
  const NodePaths paths(root_ + "/be");
  auto summary = InitNode(paths, "be", {}, clock_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->config.country, "BE");
  EXPECT_EQ(summary->store_backend, "sqlite");
  EXPECT_EQ(ModeOf(paths.dir), 0700u);
  EXPECT_EQ(ModeOf(paths.dir + "/keys"), 0700u);
  EXPECT_EQ(ModeOf(paths.dir + "/tls"), 0700u);
  for (const std::string& secret : {paths.signing_key, paths.box_key, paths.tls_key,
                                    paths.admin_token, paths.database, paths.config}) {
    EXPECT_EQ(ModeOf(secret), 0600u) << secret;
  }
  EXPECT_TRUE(fs::exists(paths.tls_cert));
  EXPECT_TRUE(fs::exists(paths.public_keys));

  auto config = LoadNodeConfig(paths);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->country, "BE");
  EXPECT_EQ(config->store, "register.db");

  EXPECT_EQ(ReadText(paths.admin_token), summary->admin_token + "\n");
  auto store = OpenNodeStore(paths, *config, clock_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->config().Get("country"), "BE");
  auto admin = (*store)->users().Get(summary->admin_user_id);
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->role, "administrator");
  EXPECT_EQ(admin->agency, "BE/administration");
  Authenticator authenticator(**store, clock_);
  auto principal = authenticator.Authenticate(summary->admin_token);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->role, policy::Role::kAdministrator);
  EXPECT_EQ((*store)->audit().Read({})->size(), 1u);
}

TEST_F(NodeSetupTest, KeysPairUpWithThePublishedPublicKeys) {
  const NodePaths paths(root_ + "/fr");
  auto summary = InitNode(paths, "FR", {}, clock_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const auto published = nlohmann::json::parse(ReadText(paths.public_keys));
  EXPECT_EQ(published["country"], "FR");
  EXPECT_EQ(published["signing_public_key"], summary->signing_public_key);
  EXPECT_EQ(published["box_public_key"], summary->box_public_key);

  auto decode = [](std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    std::string bytes(text.size(), '\0');
    size_t size = 0;
    EXPECT_EQ(
        sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                          text.size(), nullptr, &size, nullptr, sodium_base64_VARIANT_ORIGINAL),
        0);
    bytes.resize(size);
    return bytes;
  };
  const std::string sign_secret = decode(ReadText(paths.signing_key));
  const std::string sign_public = decode(published["signing_public_key"]);
  ASSERT_EQ(sign_secret.size(), crypto_sign_SECRETKEYBYTES);
  ASSERT_EQ(sign_public.size(), crypto_sign_PUBLICKEYBYTES);
  const std::string message = "hello partner";
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), reinterpret_cast<const unsigned char*>(sign_secret.data()));
  EXPECT_EQ(crypto_sign_verify_detached(
                signature, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                reinterpret_cast<const unsigned char*>(sign_public.data())),
            0);

  const std::string box_secret = decode(ReadText(paths.box_key));
  ASSERT_EQ(box_secret.size(), crypto_box_SECRETKEYBYTES);
  unsigned char derived[crypto_box_PUBLICKEYBYTES];
  crypto_scalarmult_base(derived, reinterpret_cast<const unsigned char*>(box_secret.data()));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(derived), sizeof derived),
            decode(published["box_public_key"]));
}

TEST_F(NodeSetupTest, CertificateParsesAndNamesTheNode) {
  const NodePaths paths(root_ + "/es");
  ASSERT_TRUE(InitNode(paths, "ES", {}, clock_).ok());
  FILE* file = std::fopen(paths.tls_cert.c_str(), "r");
  ASSERT_NE(file, nullptr);
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  ASSERT_NE(cert, nullptr);

  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "entente-es");
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(cert, "example.org", 0, 0, nullptr), 1);

  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)),
            1);
  EXPECT_EQ(days, 825);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(cert), kStart / 1'000'000), 0);

  // Self-signed with the key in tls/key.pem.
  file = std::fopen(paths.tls_key.c_str(), "r");
  ASSERT_NE(file, nullptr);
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_check_private_key(cert, key), 1);
  EXPECT_EQ(X509_verify(cert, key), 1);
  EXPECT_EQ(EVP_PKEY_get_base_id(key), EVP_PKEY_EC);
  EVP_PKEY_free(key);
  X509_free(cert);
}

TEST_F(NodeSetupTest, SerialNumbersDiffer) {
  auto serial_of = [](const std::string& path) {
    FILE* file = std::fopen(path.c_str(), "r");
    X509* cert = file == nullptr ? nullptr : PEM_read_X509(file, nullptr, nullptr, nullptr);
    if (file != nullptr) std::fclose(file);
    if (cert == nullptr) return std::string();
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    char* hex = BN_bn2hex(bn);
    std::string out(hex);
    OPENSSL_free(hex);
    BN_free(bn);
    X509_free(cert);
    return out;
  };
  const NodePaths a(root_ + "/a");
  const NodePaths b(root_ + "/b");
  ASSERT_TRUE(InitNode(a, "BE", {}, clock_).ok());
  ASSERT_TRUE(InitNode(b, "BE", {}, clock_).ok());
  const std::string sa = serial_of(a.tls_cert);
  EXPECT_GE(sa.size(), 30u) << sa;
  EXPECT_NE(sa, serial_of(b.tls_cert));
}

TEST_F(NodeSetupTest, RefusesASecondInitAndKeepsTheFirst) {
  const NodePaths paths(root_ + "/be");
  auto first = InitNode(paths, "BE", {}, clock_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string signing_key = ReadText(paths.signing_key);
  const std::string token = ReadText(paths.admin_token);
  auto second = InitNode(paths, "BE", {}, clock_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find("already"), std::string::npos);
  EXPECT_EQ(ReadText(paths.signing_key), signing_key);
  EXPECT_EQ(ReadText(paths.admin_token), token);
  EXPECT_TRUE(fs::exists(paths.database));
  EXPECT_TRUE(LoadNodeConfig(paths).ok());
}

TEST_F(NodeSetupTest, RefusesALeftoverKeyWithoutTouchingIt) {
  const NodePaths paths(root_ + "/be");
  fs::create_directories(paths.dir + "/keys");
  std::ofstream(paths.signing_key) << "precious";
  auto init = InitNode(paths, "BE", {}, clock_);
  ASSERT_FALSE(init.ok());
  EXPECT_EQ(init.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadText(paths.signing_key), "precious");
  EXPECT_FALSE(fs::exists(paths.config));
  EXPECT_FALSE(fs::exists(paths.tls_key));
}

TEST_F(NodeSetupTest, FailureMidwayRemovesWhatItCreated) {
  // A PostgreSQL store that cannot be reached fails after the keys and certificate were written.
  const NodePaths paths(root_ + "/ma");
  InitOptions options;
  options.store = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
  auto init = InitNode(paths, "MA", options, clock_);
  ASSERT_FALSE(init.ok());
  EXPECT_FALSE(fs::exists(paths.dir)) << "left behind: " << paths.dir;

  // In an existing directory, only what the call created goes.
  fs::create_directories(paths.dir);
  std::ofstream(paths.dir + "/notes.txt") << "mine";
  ASSERT_FALSE(InitNode(paths, "MA", options, clock_).ok());
  EXPECT_TRUE(fs::exists(paths.dir + "/notes.txt"));
  EXPECT_FALSE(fs::exists(paths.dir + "/keys"));
  EXPECT_FALSE(fs::exists(paths.dir + "/tls"));
}

TEST_F(NodeSetupTest, CreatesMissingParentsAndRemovesThemOnFailure) {
  ASSERT_TRUE(InitNode(NodePaths(root_ + "/a/b/be"), "BE", {}, clock_).ok());
  EXPECT_EQ(ModeOf(root_ + "/a/b"), 0755u);
  EXPECT_EQ(ModeOf(root_ + "/a/b/be"), 0700u);
  InitOptions unreachable;
  unreachable.store = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
  ASSERT_FALSE(InitNode(NodePaths(root_ + "/c/d/be"), "BE", unreachable, clock_).ok());
  EXPECT_FALSE(fs::exists(root_ + "/c"));
}

TEST_F(NodeSetupTest, RefusesABadCountry) {
  auto init = InitNode(NodePaths(root_ + "/x"), "XX1", {}, clock_);
  EXPECT_EQ(init.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(root_ + "/x"));
}

TEST_F(NodeSetupTest, OnPostgresql) {
  std::string unused;
  auto location = store::FreshTestStoreLocation(store::TestBackend::kPostgres, &unused);
  ASSERT_TRUE(location.ok()) << location.status().ToString();
  const NodePaths paths(root_ + "/pg");
  InitOptions options;
  options.store = *location;
  auto summary = InitNode(paths, "BE", options, clock_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->store_backend, "postgresql");
  EXPECT_FALSE(fs::exists(paths.database));
  // The same database cannot start a second node.
  auto again = InitNode(NodePaths(root_ + "/pg2"), "BE", options, clock_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(fs::exists(root_ + "/pg2"));
}

}  // namespace
}  // namespace entente::service
