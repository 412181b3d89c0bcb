#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "match/identity.h"
#include "model/entity.h"
#include "pprl/bloom_code.h"
#include "pprl/encoding_key.h"

namespace entente::pprl {

// The fields of a record that an encoding holds. Each field has its own subkey (the field
// name is the domain separation), its own number of bits per value (FieldWeights) and its
// range of the code (FieldRange).
enum class EncodedField : uint8_t {
  kNameToken,     // the spelling key of each token, and of its form without particle
  kNameBigram,    // padded letter bigrams of those spelling keys: graded spelling similarity
  kNamePhonetic,  // each phonetic key of each token (match::NameForm::keys)
  kNameSkeleton,  // padded bigrams of the consonant skeleton (vowels dropped): what an
                  // Arabic-script name, written without short vowels, shares with its Latin form
  kBirthYear,
  kBirthMonth,     // year and month, when known
  kBirthDate,      // the full date, when known
  kBirthDayMonth,  // day and month unordered, when known: day and month swapped still meet
  kGender,
  kNationality,
  kDocument,  // each identity or passport number, normalised (match::NormalizeDocument)
  kPhone,     // each phone number's national significant number (match::PhoneKey)
  kCountry,   // each country of residence
};
inline constexpr size_t kEncodedFieldCount = 13;

// "name.token", "name.bigram", ...: the domain-separation label of a field.
std::string_view EncodedFieldName(EncodedField field);

// The range of the code a field's bits go to: names; birth date; gender, nationality and country;
// documents and phones.
CodeRange FieldRange(EncodedField field);
// Where in the code a field's bits go: its range, except in the traits range, where gender and
// nationality take the first 40 bits and the country the last 24 (bloom_code.h).
struct FieldSpan {
  size_t first;  // first bit of the code
  size_t bits;
};
FieldSpan SpanOf(EncodedField field);

// Bits set per value of each field (the number of hash functions). Each group of fields has a
// range of its own, so the weights set the density of a range (about a fifth of its bits for a
// typical record: names of two or three tokens set 80 to 130 of 512 bits, a full birth date 26
// of 192) and, within the birth range, how far apart its Dice bands fall (docs/pprl.md).
struct FieldWeights {
  std::array<uint8_t, kEncodedFieldCount> bits = {
      5,   // name.token
      3,   // name.bigram
      4,   // name.phonetic
      4,   // name.skeleton
      8,   // birth.year
      6,   // birth.month
      8,   // birth.date
      4,   // birth.daymonth
      4,   // gender
      4,   // nationality
      12,  // document
      12,  // phone
      4,   // country
  };
  uint8_t of(EncodedField field) const { return bits[static_cast<size_t>(field)]; }
};
// The largest weight a field may have.
inline constexpr uint8_t kMaxFieldBits = 32;

// Encodes records into keyed 1024-bit Bloom filters (CLK style), from the same normalised
// forms and keys the matching engine compares (match::CompileIdentity), each group of fields
// in its own range of the code (bloom_code.h). A value's k bit positions are 10-bit slices of a
// keyed BLAKE2b digest of the value under the field's subkey (derived from the federation key,
// its version and the field name), reduced to the field's range, then sent through a keyed
// permutation of that range: without the key nothing says where in its range a value lands,
// the same value lands elsewhere in another field, and a new key version moves every bit.
// Immutable after construction; thread-safe.
class Encoder {
 public:
  // Weights above kMaxFieldBits are a programmer error.
  explicit Encoder(const EncodingKey& key, const FieldWeights& weights = FieldWeights());

  uint32_t key_version() const { return key_version_; }
  const FieldWeights& weights() const { return weights_; }

  BloomCode Encode(const model::Entity& entity) const;
  // The same from the comparison view of a record (the caller may have compiled it already).
  BloomCode EncodeIdentity(const match::Identity& identity) const;

  // A query's code with its birth readings (BirthVariants, bloom_code.h): its full dates with
  // day and month swapped (when both are at most 12 and differ), and with the year one before
  // and one after. 1 January placeholders have none, being encoded as the year only.
  QueryCode EncodeQuery(const model::Entity& entity) const;
  QueryCode EncodeQueryIdentity(const match::Identity& identity) const;

  // Sets the bits of one value of one field (exposed for tests of the hardening).
  void AddValue(EncodedField field, std::string_view value, BloomCode& code) const;

 private:
  // Sets the bits of one birth date (day 0: year and month; month 0: year only).
  void AddBirth(int year, int month, int day, BloomCode& code) const;

  uint32_t key_version_;
  FieldWeights weights_;
  std::array<std::array<uint8_t, 32>, kEncodedFieldCount> field_keys_{};
  // Within each span: position i of span s goes to s.first + permutation_[s.first + i].
  std::array<uint16_t, kCodeBits> permutation_{};
};

// The consonant skeleton of a spelling key: its letters without vowels ("mohamed" -> "mhmd",
// "mhmd" -> "mhmd").
std::string ConsonantSkeleton(std::string_view spelling);

}  // namespace entente::pprl
