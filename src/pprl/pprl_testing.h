#pragma once

// Helpers for pprl's tests and benchmarks only. Never included by library code.

#include <cstdint>
#include <string>
#include <string_view>

#include "model/entity.h"
#include "pprl/encoding_key.h"

namespace entente::pprl::testing {

// A key whose secret bytes are derived from `seed` (tests only: a real key is random).
inline EncodingKey TestKey(uint32_t seed) {
  EncodingKey key;
  key.version = seed;
  for (size_t i = 0; i < key.secret.size(); ++i) {
    key.secret[i] = static_cast<uint8_t>(size_t{seed} * 131 + i * 17 + 5);
  }
  return key;
}

// A person with a name and, when not empty, a birth date, gender and nationality.
inline model::Entity Person(std::string_view name, std::string_view birth, std::string_view gender,
                            std::string_view nationality) {
  model::Entity entity;
  entity.id = "P1";
  entity.Add("name", std::string(name));
  if (!birth.empty()) entity.Add("birthDate", std::string(birth));
  if (!gender.empty()) entity.Add("gender", std::string(gender));
  if (!nationality.empty()) entity.Add("nationality", std::string(nationality));
  return entity;
}

}  // namespace entente::pprl::testing
