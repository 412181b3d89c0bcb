#include "federation/keys.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/json.h"
#include "federation/crypto.h"
#include "model/country.h"

namespace entente::federation {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::string> ReadKey(const std::string& path, size_t size) {
  ENTENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  ENTENTE_ASSIGN_OR_RETURN(std::string key, Base64Decode(text, path));
  if (key.size() != size) {
    return InvalidArgument(path + ": expected a key of " + std::to_string(size) + " bytes");
  }
  return key;
}

}  // namespace

Result<NodeKeys> LoadNodeKeys(std::string_view country, const std::string& sign_key_path,
                              const std::string& box_key_path, const std::string& tls_cert_path,
                              const std::string& tls_key_path) {
  if (sodium_init() < 0) return Internal("libsodium cannot be initialised");
  NodeKeys keys;
  keys.country = std::string(country);
  ENTENTE_ASSIGN_OR_RETURN(keys.sign_secret, ReadKey(sign_key_path, crypto_sign_SECRETKEYBYTES));
  ENTENTE_ASSIGN_OR_RETURN(keys.box_secret, ReadKey(box_key_path, crypto_box_SECRETKEYBYTES));
  keys.sign_public.resize(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(keys.sign_public.data()),
                               reinterpret_cast<const unsigned char*>(keys.sign_secret.data()));
  keys.box_public.resize(crypto_box_PUBLICKEYBYTES);
  crypto_scalarmult_base(reinterpret_cast<unsigned char*>(keys.box_public.data()),
                         reinterpret_cast<const unsigned char*>(keys.box_secret.data()));
  keys.tls_cert_path = tls_cert_path;
  keys.tls_key_path = tls_key_path;
  ENTENTE_ASSIGN_OR_RETURN(keys.tls_certificate, ReadFile(tls_cert_path));
  ENTENTE_RETURN_IF_ERROR(CertificateFingerprint(keys.tls_certificate).status());
  return keys;
}

Result<std::string> CertificateFingerprint(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Internal("OpenSSL: cannot allocate");
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return InvalidArgument("not a PEM certificate");
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  if (length <= 0) return Internal("OpenSSL: cannot encode the certificate");
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return DerFingerprint(bytes);
}

std::string DerFingerprint(std::string_view der) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(der.data(), der.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    if (i > 0) out += ':';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string PublicKeysToJson(const PublicKeys& keys) {
  const nlohmann::json json = {{"country", keys.country},
                               {"url", keys.url},
                               {"signing_public_key", keys.sign_public_key},
                               {"signing_algorithm", "Ed25519"},
                               {"box_public_key", keys.box_public_key},
                               {"box_algorithm", "X25519"},
                               {"tls_certificate", keys.tls_certificate},
                               {"tls_fingerprint", keys.tls_fingerprint}};
  return DumpJson(json, 2) + "\n";
}

Result<PublicKeys> ParsePublicKeys(std::string_view text, std::string_view file) {
  const std::string where(file);
  nlohmann::json json = ParseJsonOrDiscarded(text);
  if (json.is_discarded() || !json.is_object()) {
    return InvalidArgument(where + ": not a JSON object");
  }
  auto field = [&](const char* name, std::string* out) -> Status {
    auto it = json.find(name);
    if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) {
      return InvalidArgument(where + ": " + name + ": expected text");
    }
    *out = it->get<std::string>();
    return Status::Ok();
  };
  PublicKeys keys;
  ENTENTE_RETURN_IF_ERROR(field("country", &keys.country));
  if (!model::IsCountryCode(keys.country)) {
    return InvalidArgument(where + ": country: " + keys.country + " is not an ISO 3166-1 code");
  }
  if (json.contains("url")) ENTENTE_RETURN_IF_ERROR(field("url", &keys.url));
  ENTENTE_RETURN_IF_ERROR(field("signing_public_key", &keys.sign_public_key));
  ENTENTE_RETURN_IF_ERROR(field("box_public_key", &keys.box_public_key));
  ENTENTE_RETURN_IF_ERROR(field("tls_certificate", &keys.tls_certificate));
  auto sign = Base64Decode(keys.sign_public_key, where + ": signing_public_key");
  if (!sign.ok() || sign->size() != crypto_sign_PUBLICKEYBYTES) {
    return InvalidArgument(where + ": signing_public_key: expected a base64 Ed25519 key");
  }
  auto box = Base64Decode(keys.box_public_key, where + ": box_public_key");
  if (!box.ok() || box->size() != crypto_box_PUBLICKEYBYTES) {
    return InvalidArgument(where + ": box_public_key: expected a base64 X25519 key");
  }
  auto fingerprint = CertificateFingerprint(keys.tls_certificate);
  if (!fingerprint.ok()) {
    return InvalidArgument(where + ": tls_certificate: " + fingerprint.status().message());
  }
  keys.tls_fingerprint = *fingerprint;
  if (json.contains("tls_fingerprint") && json["tls_fingerprint"] != keys.tls_fingerprint) {
    return InvalidArgument(where + ": tls_fingerprint: does not match tls_certificate");
  }
  return keys;
}

}  // namespace entente::federation
