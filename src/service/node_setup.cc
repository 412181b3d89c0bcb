#include "service/node_setup.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/json.h"
#include "model/country.h"
#include "service/auth.h"

namespace entente::service {
namespace {

namespace fs = std::filesystem;

constexpr long kCertificateDays = 825;  // the CA/Browser Forum's former maximum
constexpr int kSerialBits = 159;        // positive and at most 20 bytes (RFC 5280)

struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ExtensionFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};

Status OpenSslError(std::string_view what) {
  const unsigned long code = ERR_get_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return Internal("TLS certificate: " + std::string(what) + ": " + text);
}

std::string Base64(const unsigned char* bytes, size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::strlen(text.c_str()));
  return text;
}

// The paths this call created, removed in reverse order if it fails.
class CreatedPaths {
 public:
  void Add(std::string path) { paths_.push_back(std::move(path)); }
  void RemoveAll() {
    for (auto it = paths_.rbegin(); it != paths_.rend(); ++it) {
      std::error_code ignored;
      fs::remove_all(*it, ignored);
    }
    paths_.clear();
  }

 private:
  std::vector<std::string> paths_;
};

// Creates `path` with `mode`, refusing to replace an existing file (O_EXCL), and writes `content`.
Status WriteNewFile(const std::string& path, std::string_view content, mode_t mode,
                    CreatedPaths* created) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    const int error = errno;
    if (error == EEXIST) return AlreadyExists(path + ": already exists; not overwritten");
    return IoError(path + ": cannot create: " + std::strerror(error));
  }
  created->Add(path);
  Status status;
  // The mode given to open is filtered by the umask; set it exactly.
  if (::fchmod(fd, mode) != 0) status = IoError(path + ": chmod: " + std::strerror(errno));
  size_t done = 0;
  while (status.ok() && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status = IoError(path + ": cannot write: " + std::strerror(errno));
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (status.ok() && ::fsync(fd) != 0) status = IoError(path + ": fsync: " + std::strerror(errno));
  if (::close(fd) != 0 && status.ok()) status = IoError(path + ": close: " + std::strerror(errno));
  return status;
}

// Creates `dir` with `mode` unless it exists; records it if this call created it.
Status MakeDirectory(const std::string& dir, CreatedPaths* created, mode_t mode = 0700) {
  if (::mkdir(dir.c_str(), mode) == 0) {
    created->Add(dir);
    if (::chmod(dir.c_str(), mode) != 0) {
      return IoError(dir + ": chmod: " + std::strerror(errno));
    }
    return Status::Ok();
  }
  if (errno == EEXIST && fs::is_directory(dir)) return Status::Ok();
  return IoError(dir + ": cannot create directory: " + std::strerror(errno));
}

Status RefuseExisting(const NodePaths& paths, bool sqlite_in_dir) {
  std::vector<std::string> taken = {paths.config,  paths.admin_token, paths.signing_key,
                                    paths.box_key, paths.public_keys, paths.tls_cert,
                                    paths.tls_key};
  if (sqlite_in_dir) taken.push_back(paths.database);
  for (const std::string& path : taken) {
    std::error_code error;
    if (fs::exists(fs::symlink_status(path, error))) {
      return AlreadyExists(paths.dir + ": a node is already here (" + path +
                           " exists); entente never overwrites a node's keys, token or database");
    }
  }
  return Status::Ok();
}

Status WriteNodeKeys(const NodePaths& paths, const std::string& country, NodeSummary* summary,
                     CreatedPaths* created) {
  unsigned char sign_public[crypto_sign_PUBLICKEYBYTES];
  unsigned char sign_secret[crypto_sign_SECRETKEYBYTES];
  unsigned char box_public[crypto_box_PUBLICKEYBYTES];
  unsigned char box_secret[crypto_box_SECRETKEYBYTES];
  crypto_sign_keypair(sign_public, sign_secret);
  crypto_box_keypair(box_public, box_secret);
  std::string sign_text = Base64(sign_secret, sizeof sign_secret) + "\n";
  std::string box_text = Base64(box_secret, sizeof box_secret) + "\n";
  sodium_memzero(sign_secret, sizeof sign_secret);
  sodium_memzero(box_secret, sizeof box_secret);
  Status status = WriteNewFile(paths.signing_key, sign_text, 0600, created);
  if (status.ok()) status = WriteNewFile(paths.box_key, box_text, 0600, created);
  sodium_memzero(sign_text.data(), sign_text.size());
  sodium_memzero(box_text.data(), box_text.size());
  ENTENTE_RETURN_IF_ERROR(status);
  summary->signing_public_key = Base64(sign_public, sizeof sign_public);
  summary->box_public_key = Base64(box_public, sizeof box_public);
  const nlohmann::json public_keys = {{"country", country},
                                      {"signing_public_key", summary->signing_public_key},
                                      {"signing_algorithm", "Ed25519"},
                                      {"box_public_key", summary->box_public_key},
                                      {"box_algorithm", "X25519"}};
  return WriteNewFile(paths.public_keys, DumpJson(public_keys, 2) + "\n", 0644, created);
}

Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtensionFree> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (ext == nullptr || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpenSslError(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
  }
  return Status::Ok();
}

Status WriteCertificate(const NodePaths& paths, const std::string& country, const Clock& clock,
                        NodeSummary* summary, CreatedPaths* created) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  if (key == nullptr) return OpenSslError("EC P-256 key");
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (cert == nullptr || X509_set_version(cert.get(), 2) != 1) return OpenSslError("X509_new");
  std::unique_ptr<BIGNUM, BnFree> serial(BN_new());
  if (serial == nullptr || BN_rand(serial.get(), kSerialBits, BN_RAND_TOP_ONE, 0) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return OpenSslError("serial number");
  }
  std::string serial_text;
  if (char* hex = BN_bn2hex(serial.get()); hex != nullptr) {
    serial_text.assign(hex, std::min<size_t>(std::strlen(hex), 16));
    OPENSSL_free(hex);
  }
  const time_t now = static_cast<time_t>(clock.NowMicros() / 1'000'000);
  if (ASN1_TIME_adj(X509_getm_notBefore(cert.get()), now, 0, 0) == nullptr ||
      ASN1_TIME_adj(X509_getm_notAfter(cert.get()), now, static_cast<int>(kCertificateDays), 0) ==
          nullptr) {
    return OpenSslError("validity");
  }
  std::string common_name = "entente-";
  for (char c : country) {
    common_name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("Entente"), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) != 1 ||
      // Each certificate of a node has a name of its own: while a rotation is under way a
      // partner trusts two of them, and TLS finds the one to check by its name.
      X509_NAME_add_entry_by_txt(name, "serialNumber", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(serial_text.c_str()), -1,
                                 -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
    return OpenSslError("subject");
  }
  ENTENTE_RETURN_IF_ERROR(AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  ENTENTE_RETURN_IF_ERROR(
      AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement"));
  ENTENTE_RETURN_IF_ERROR(AddExtension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth"));
  ENTENTE_RETURN_IF_ERROR(
      AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"));
  ENTENTE_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) return OpenSslError("signing");

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (X509_digest(cert.get(), EVP_sha256(), digest, &digest_size) != 1) {
    return OpenSslError("fingerprint");
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned int i = 0; i < digest_size; ++i) {
    if (i > 0) summary->tls_fingerprint += ':';
    summary->tls_fingerprint += kHex[digest[i] >> 4];
    summary->tls_fingerprint += kHex[digest[i] & 0xF];
  }

  auto pem = [](auto write) -> Result<std::string> {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (bio == nullptr || write(bio.get()) != 1) return OpenSslError("PEM encoding");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    std::string text(data, static_cast<size_t>(size));
    OPENSSL_cleanse(data, static_cast<size_t>(size));
    return text;
  };
  ENTENTE_ASSIGN_OR_RETURN(std::string key_pem, pem([&](BIO* bio) {
                             return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0,
                                                             nullptr, nullptr);
                           }));
  ENTENTE_ASSIGN_OR_RETURN(std::string cert_pem,
                           pem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); }));
  const Status written = WriteNewFile(paths.tls_key, key_pem, 0600, created);
  OPENSSL_cleanse(key_pem.data(), key_pem.size());
  ENTENTE_RETURN_IF_ERROR(written);
  return WriteNewFile(paths.tls_cert, cert_pem, 0644, created);
}

Status CreateNode(const NodePaths& paths, const std::string& country, const InitOptions& options,
                  const Clock& clock, NodeSummary* summary, CreatedPaths* created) {
  NodeConfig& config = summary->config;
  config.country = country;
  config.store = options.store.empty() ? "register.db" : options.store;
  if (!options.listen.empty()) config.listen = options.listen;
  if (!options.federation_listen.empty()) config.federation_listen = options.federation_listen;
  config.federation_url = options.federation_url;
  const bool postgres =
      config.store.starts_with("postgresql://") || config.store.starts_with("postgres://");
  const bool sqlite_in_dir = config.store == "register.db";
  if (!postgres && !sqlite_in_dir) {
    return InvalidArgument("store: expected a postgresql:// URL (or nothing, for register.db in " +
                           paths.dir + "), got \"" + config.store + "\"");
  }

  // Missing parents are created as `mkdir -p` would (0755), the node directory itself 0700.
  std::vector<std::string> missing;
  for (fs::path parent = fs::path(paths.dir).parent_path();
       !parent.empty() && parent != parent.root_path() && !fs::exists(parent);
       parent = parent.parent_path()) {
    missing.push_back(parent.string());
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    ENTENTE_RETURN_IF_ERROR(MakeDirectory(*it, created, 0755));
  }
  ENTENTE_RETURN_IF_ERROR(MakeDirectory(paths.dir, created));
  ENTENTE_RETURN_IF_ERROR(RefuseExisting(paths, sqlite_in_dir));
  ENTENTE_RETURN_IF_ERROR(MakeDirectory(paths.dir + "/keys", created));
  ENTENTE_RETURN_IF_ERROR(MakeDirectory(paths.dir + "/tls", created));
  ENTENTE_RETURN_IF_ERROR(WriteNodeKeys(paths, country, summary, created));
  ENTENTE_RETURN_IF_ERROR(WriteCertificate(paths, country, clock, summary, created));

  if (sqlite_in_dir) {
    // An empty file is an empty SQLite database: creating it first fixes its mode (SQLite gives
    // its -wal and -shm files the same), since the register holds personal data.
    ENTENTE_RETURN_IF_ERROR(WriteNewFile(paths.database, "", 0600, created));
    created->Add(paths.database + "-wal");
    created->Add(paths.database + "-shm");
  }
  {
    ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                             OpenNodeStore(paths, config, clock));
    summary->store_backend = std::string(store->backend());
    ENTENTE_RETURN_IF_ERROR(
        store->Write([&](store::WriteTxn& txn) { return txn.config().Set("country", country); }));
    ENTENTE_ASSIGN_OR_RETURN(IssuedUser admin,
                             AddFirstAdministrator(*store, country + "/administration"));
    summary->admin_user_id = admin.user_id;
    summary->admin_token = admin.token;
  }
  ENTENTE_RETURN_IF_ERROR(
      WriteNewFile(paths.admin_token, summary->admin_token + "\n", 0600, created));
  // node.json last: its presence is what marks a directory as a node.
  created->Add(paths.config);
  ENTENTE_RETURN_IF_ERROR(SaveNodeConfig(paths, config));
  if (::chmod(paths.config.c_str(), 0600) != 0) {
    return IoError(paths.config + ": chmod: " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

Result<GeneratedKeys> WriteNewNodeKeys(const NodePaths& paths, std::string_view country,
                                       const Clock& clock) {
  ENTENTE_CHECK(sodium_init() >= 0);
  NodeSummary summary;
  CreatedPaths created;
  const std::string code(country);
  Status status = MakeDirectory(paths.dir, &created);
  if (status.ok()) status = MakeDirectory(paths.dir + "/keys", &created);
  if (status.ok()) status = MakeDirectory(paths.dir + "/tls", &created);
  if (status.ok()) status = WriteNodeKeys(paths, code, &summary, &created);
  if (status.ok()) status = WriteCertificate(paths, code, clock, &summary, &created);
  if (!status.ok()) {
    created.RemoveAll();
    return status;
  }
  return GeneratedKeys{summary.signing_public_key, summary.box_public_key, summary.tls_fingerprint};
}

Result<NodeSummary> InitNode(const NodePaths& paths, std::string_view country,
                             const InitOptions& options, const Clock& clock) {
  ENTENTE_CHECK(sodium_init() >= 0);
  std::string code(country);
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!model::IsCountryCode(code)) {
    return InvalidArgument("--country: \"" + std::string(country) +
                           "\" is not an ISO 3166-1 alpha-2 code");
  }
  NodeSummary summary;
  CreatedPaths created;
  const Status status = CreateNode(paths, code, options, clock, &summary, &created);
  if (!status.ok()) {
    created.RemoveAll();
    return status;
  }
  return summary;
}

}  // namespace entente::service
