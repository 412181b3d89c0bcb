#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace entente::federation {

// The node's cryptography on libsodium: base64, random ids, Ed25519 signatures and X25519
// sealed boxes. Keys travel as base64 (standard alphabet, padded), secrets as raw bytes.

std::string Base64Encode(std::string_view bytes);
// InvalidArgument naming `what` when `text` is not base64.
Result<std::string> Base64Decode(std::string_view text, std::string_view what);
// `bytes` random bytes as lowercase hex.
std::string RandomHex(size_t bytes);

// Ed25519 over `data`; the signature is base64. secret_key is libsodium's 64-byte secret key.
std::string Sign(std::string_view data, std::string_view secret_key);
bool VerifySignature(std::string_view data, std::string_view signature_base64,
                     std::string_view public_key);

// An anonymous sealed box (crypto_box_seal) for the holder of `public_key` (X25519), and its
// opening with the key pair; InvalidArgument if it cannot be opened.
std::string Seal(std::string_view plaintext, std::string_view public_key);
Result<std::string> Unseal(std::string_view sealed, std::string_view public_key,
                           std::string_view secret_key);

// BLAKE2b-256 of `data`, lowercase hex.
std::string Digest(std::string_view data);

}  // namespace entente::federation
