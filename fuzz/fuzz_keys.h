#pragma once

// Fixed keys for the federation fuzzers: the same on every run, so that the seed corpus (made
// with them) opens and its mutations reach the parsers behind the cryptography.

#include <sodium.h>

#include <string>

#include "federation/keys.h"

namespace entente::fuzz {

inline federation::NodeKeys FixedKeys(const std::string& country, unsigned char seed_byte) {
  if (sodium_init() < 0) __builtin_trap();
  unsigned char seed[crypto_sign_SEEDBYTES];
  for (auto& b : seed) b = seed_byte;
  unsigned char sp[crypto_sign_PUBLICKEYBYTES], ss[crypto_sign_SECRETKEYBYTES];
  unsigned char bp[crypto_box_PUBLICKEYBYTES], bs[crypto_box_SECRETKEYBYTES];
  crypto_sign_seed_keypair(sp, ss, seed);
  crypto_box_seed_keypair(bp, bs, seed);
  federation::NodeKeys k;
  k.country = country;
  k.sign_public.assign(reinterpret_cast<char*>(sp), sizeof sp);
  k.sign_secret.assign(reinterpret_cast<char*>(ss), sizeof ss);
  k.box_public.assign(reinterpret_cast<char*>(bp), sizeof bp);
  k.box_secret.assign(reinterpret_cast<char*>(bs), sizeof bs);
  return k;
}

// The time the seed envelopes were made at (their skew check passes at this time).
inline constexpr int64_t kFuzzNow = 1'790'000'000'000'000;

}  // namespace entente::fuzz
