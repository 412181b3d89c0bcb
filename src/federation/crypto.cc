#include "federation/crypto.h"

#include <sodium.h>

#include <cstring>
#include <string>

#include "common/check.h"

namespace entente::federation {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

void InitSodium() { ENTENTE_CHECK(sodium_init() >= 0); }

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), Bytes(bytes), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::strlen(text.c_str()));
  return text;
}

Result<std::string> Base64Decode(std::string_view text, std::string_view what) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), "\n\r ", &size, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return InvalidArgument(std::string(what) + ": not base64");
  }
  out.resize(size);
  return out;
}

std::string RandomHex(size_t bytes) {
  InitSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return Hex(Bytes(raw), raw.size());
}

std::string Sign(std::string_view data, std::string_view secret_key) {
  InitSodium();
  ENTENTE_CHECK(secret_key.size() == crypto_sign_SECRETKEYBYTES);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, Bytes(data), data.size(), Bytes(secret_key));
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(signature), sizeof signature));
}

bool VerifySignature(std::string_view data, std::string_view signature_base64,
                     std::string_view public_key) {
  InitSodium();
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) return false;
  auto signature = Base64Decode(signature_base64, "signature");
  if (!signature.ok() || signature->size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(Bytes(*signature), Bytes(data), data.size(),
                                     Bytes(public_key)) == 0;
}

std::string Seal(std::string_view plaintext, std::string_view public_key) {
  InitSodium();
  ENTENTE_CHECK(public_key.size() == crypto_box_PUBLICKEYBYTES);
  std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()), Bytes(plaintext),
                  plaintext.size(), Bytes(public_key));
  return sealed;
}

Result<std::string> Unseal(std::string_view sealed, std::string_view public_key,
                           std::string_view secret_key) {
  InitSodium();
  if (sealed.size() < crypto_box_SEALBYTES || public_key.size() != crypto_box_PUBLICKEYBYTES ||
      secret_key.size() != crypto_box_SECRETKEYBYTES) {
    return InvalidArgument("sealed box: too short or bad key");
  }
  std::string plain(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), Bytes(sealed),
                           sealed.size(), Bytes(public_key), Bytes(secret_key)) != 0) {
    return InvalidArgument("sealed box: cannot be opened with this node's key");
  }
  return plain;
}

std::string Digest(std::string_view data) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, Bytes(data), data.size(), nullptr, 0);
  return Hex(hash, sizeof hash);
}

}  // namespace entente::federation
