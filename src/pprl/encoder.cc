#include "pprl/encoder.h"

#include <sodium.h>

#include <algorithm>
#include <span>
#include <string>

#include "common/check.h"
#include "match/phone.h"
#include "pprl/keyed_hash.h"

namespace entente::pprl {
namespace {

using internal::KeyedHash;

// Calls `emit` with each bigram of `text` padded with '_' at both ends ("ali" -> _a al li i_).
template <typename Emit>
void ForEachBigram(std::string_view text, Emit&& emit) {
  if (text.empty()) return;
  const std::string padded = "_" + std::string(text) + "_";
  for (size_t i = 0; i + 2 <= padded.size(); ++i) emit(std::string_view(padded).substr(i, 2));
}

std::string TwoDigits(int n) {
  return {static_cast<char>('0' + n / 10 % 10), static_cast<char>('0' + n % 10)};
}

}  // namespace

std::string_view EncodedFieldName(EncodedField field) {
  switch (field) {
    case EncodedField::kNameToken:
      return "name.token";
    case EncodedField::kNameBigram:
      return "name.bigram";
    case EncodedField::kNamePhonetic:
      return "name.phonetic";
    case EncodedField::kNameSkeleton:
      return "name.skeleton";
    case EncodedField::kBirthYear:
      return "birth.year";
    case EncodedField::kBirthMonth:
      return "birth.month";
    case EncodedField::kBirthDate:
      return "birth.date";
    case EncodedField::kBirthDayMonth:
      return "birth.daymonth";
    case EncodedField::kGender:
      return "gender";
    case EncodedField::kNationality:
      return "nationality";
    case EncodedField::kDocument:
      return "document";
    case EncodedField::kPhone:
      return "phone";
    case EncodedField::kCountry:
      return "country";
  }
  return "unknown";
}

CodeRange FieldRange(EncodedField field) {
  switch (field) {
    case EncodedField::kNameToken:
    case EncodedField::kNameBigram:
    case EncodedField::kNamePhonetic:
    case EncodedField::kNameSkeleton:
      return CodeRange::kName;
    case EncodedField::kBirthYear:
    case EncodedField::kBirthMonth:
    case EncodedField::kBirthDate:
    case EncodedField::kBirthDayMonth:
      return CodeRange::kBirth;
    case EncodedField::kGender:
    case EncodedField::kNationality:
    case EncodedField::kCountry:
      return CodeRange::kTraits;
    case EncodedField::kDocument:
    case EncodedField::kPhone:
      return CodeRange::kIdentifier;
  }
  return CodeRange::kName;
}

FieldSpan SpanOf(EncodedField field) {
  const CodeRange range = FieldRange(field);
  if (range == CodeRange::kTraits) {
    const size_t first = RangeFirstBit(range);
    return field == EncodedField::kCountry
               ? FieldSpan{first + kTraitsCountryOffset, RangeBits(range) - kTraitsCountryOffset}
               : FieldSpan{first, kTraitsCountryOffset};
  }
  return {RangeFirstBit(range), RangeBits(range)};
}

std::string ConsonantSkeleton(std::string_view spelling) {
  std::string out;
  for (char c : spelling) {
    if (c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u') out += c;
  }
  return out;
}

Encoder::Encoder(const EncodingKey& key, const FieldWeights& weights)
    : key_version_(key.version), weights_(weights) {
  // Idempotent and thread-safe: selects libsodium's implementations once per process.
  ENTENTE_CHECK(sodium_init() >= 0);
  for (uint8_t bits : weights_.bits) ENTENTE_CHECK(bits <= kMaxFieldBits);
  for (size_t f = 0; f < kEncodedFieldCount; ++f) {
    KeyedHash(key.secret,
              internal::DomainLabel(EncodedFieldName(static_cast<EncodedField>(f)), key.version),
              field_keys_[f]);
  }
  // Fisher-Yates over the positions of each span (a range, or a part of the traits range),
  // driven by a keyed BLAKE2b stream.
  for (size_t i = 0; i < kCodeBits; ++i) permutation_[i] = static_cast<uint16_t>(i);
  std::array<uint8_t, 64> block{};
  size_t used = block.size();
  uint64_t counter = 0;
  const std::array<FieldSpan, kRangeCount + 1> spans = {
      SpanOf(EncodedField::kNameToken), SpanOf(EncodedField::kBirthYear),
      SpanOf(EncodedField::kGender), SpanOf(EncodedField::kCountry),
      SpanOf(EncodedField::kDocument)};
  for (const FieldSpan& span : spans) {
    const size_t first = span.first;
    for (size_t i = 0; i < span.bits; ++i) permutation_[first + i] = static_cast<uint16_t>(i);
    for (size_t i = span.bits - 1; i > 0; --i) {
      if (used + 4 > block.size()) {
        KeyedHash(
            key.secret,
            internal::DomainLabel("permutation", key.version) + "/" + std::to_string(counter++),
            block);
        used = 0;
      }
      const uint32_t rand = static_cast<uint32_t>(block[used]) |
                            static_cast<uint32_t>(block[used + 1]) << 8 |
                            static_cast<uint32_t>(block[used + 2]) << 16 |
                            static_cast<uint32_t>(block[used + 3]) << 24;
      used += 4;
      // Lemire's reduction; the bias over at most 512 choices is below 2^-22.
      const auto j = static_cast<size_t>((static_cast<uint64_t>(rand) * (i + 1)) >> 32);
      std::swap(permutation_[first + i], permutation_[first + j]);
    }
  }
}

void Encoder::AddValue(EncodedField field, std::string_view value, BloomCode& code) const {
  const size_t k = weights_.of(field);
  if (k == 0 || value.empty()) return;
  const FieldSpan span = SpanOf(field);
  const size_t first = span.first;
  const size_t bits = span.bits;
  // Sixteen bits of the digest a position (BLAKE2b gives 16 to 64 bytes: at most 32
  // positions), reduced to the span: 2^16 is a multiple of 512, 256 and 64, and the bias
  // towards the first 64 of the 192 birth positions is 2^-10 of a position's probability (of
  // the 40 and 24 traits positions, below 2^-10 too).
  std::array<uint8_t, 64> digest{};
  const size_t bytes = std::max<size_t>(16, 2 * k);
  KeyedHash(field_keys_[static_cast<size_t>(field)], value,
            std::span<uint8_t>(digest.data(), bytes));
  for (size_t i = 0; i < k; ++i) {
    const size_t slice = static_cast<size_t>(digest[2 * i]) | static_cast<size_t>(digest[2 * i + 1])
                                                                  << 8;
    code.Set(first + permutation_[first + slice % bits]);
  }
}

BloomCode Encoder::EncodeIdentity(const match::Identity& identity) const {
  BloomCode code;
  // Kunyas and nicknames (weak_names) are shared by many people: left out, as blocking does.
  for (const match::NameForm& form : identity.names) {
    for (size_t i = 0; i < form.size(); ++i) {
      const std::string_view spelling = form.spelling(i);
      const std::string_view stripped = form.stripped(i);
      AddValue(EncodedField::kNameToken, spelling, code);
      AddValue(EncodedField::kNameToken, stripped, code);
      // Bigrams of the form without particle: "El Amrani" and "Amrani" then share them all,
      // and the packed form still counts through the token itself.
      const std::string_view base = stripped.empty() ? spelling : stripped;
      ForEachBigram(base, [&](std::string_view bigram) {
        AddValue(EncodedField::kNameBigram, bigram, code);
      });
      ForEachBigram(ConsonantSkeleton(base), [&](std::string_view bigram) {
        AddValue(EncodedField::kNameSkeleton, bigram, code);
      });
      for (match::KeyHash key : form.keys(i)) {
        const char bytes[4] = {static_cast<char>(key), static_cast<char>(key >> 8),
                               static_cast<char>(key >> 16), static_cast<char>(key >> 24)};
        AddValue(EncodedField::kNamePhonetic, std::string_view(bytes, 4), code);
      }
    }
  }
  for (const model::PartialDate& birth : identity.births) {
    AddBirth(birth.year(), birth.month(), birth.day(), code);
  }
  if (identity.gender != 0) {
    AddValue(EncodedField::kGender, std::string_view(&identity.gender, 1), code);
  }
  for (uint16_t nationality : identity.nationalities) {
    const char letters[2] = {static_cast<char>(nationality >> 8),
                             static_cast<char>(nationality & 0xFF)};
    AddValue(EncodedField::kNationality, std::string_view(letters, 2), code);
  }
  for (uint16_t country : identity.countries) {
    if (country == 0) break;
    const char letters[2] = {static_cast<char>(country >> 8), static_cast<char>(country & 0xFF)};
    AddValue(EncodedField::kCountry, std::string_view(letters, 2), code);
  }
  for (const match::Document& document : identity.documents) {
    AddValue(EncodedField::kDocument, document.number, code);
  }
  for (const std::string& phone : identity.phones) {
    AddValue(EncodedField::kPhone, match::PhoneKey(phone), code);
  }
  return code;
}

void Encoder::AddBirth(int year_number, int month, int day, BloomCode& code) const {
  const std::string year = std::to_string(year_number);
  AddValue(EncodedField::kBirthYear, year, code);
  // 1 January is the usual placeholder for an unknown day and month (as the plaintext
  // comparison treats it): encoded as the year only, so that it meets the real date of the
  // same year as a partial date does instead of as a different one.
  if (month == 1 && day == 1) return;
  if (month != 0) AddValue(EncodedField::kBirthMonth, year + "-" + TwoDigits(month), code);
  if (day != 0) {
    AddValue(EncodedField::kBirthDate, year + "-" + TwoDigits(month) + "-" + TwoDigits(day), code);
    const int low = std::min(day, month);
    const int high = std::max(day, month);
    AddValue(EncodedField::kBirthDayMonth, TwoDigits(low) + "/" + TwoDigits(high), code);
  }
}

BloomCode Encoder::Encode(const model::Entity& entity) const {
  return EncodeIdentity(match::CompileIdentity(entity));
}

QueryCode Encoder::EncodeQuery(const model::Entity& entity) const {
  return EncodeQueryIdentity(match::CompileIdentity(entity));
}

QueryCode Encoder::EncodeQueryIdentity(const match::Identity& identity) const {
  QueryCode query(EncodeIdentity(identity));
  std::array<BloomCode, kBirthVariantCount> readings{};
  for (const model::PartialDate& birth : identity.births) {
    const int day = birth.day();
    const int month = birth.month();
    if (day == 0 || (day == 1 && month == 1)) continue;
    // Only a real date reads otherwise: the swapped one must exist too (a 13th or later has no
    // month to swap with). A year-off 29 February is written as such, as a partner's typo would.
    if (day <= 12 && day != month) {
      AddBirth(birth.year(), day, month, readings[static_cast<size_t>(BirthVariant::kSwapped)]);
    }
    BloomCode& off = readings[static_cast<size_t>(BirthVariant::kYearOff)];
    AddBirth(birth.year() - 1, month, day, off);
    AddBirth(birth.year() + 1, month, day, off);
  }
  constexpr auto kBirth = static_cast<size_t>(CodeRange::kBirth);
  for (size_t v = 0; v < kBirthVariantCount; ++v) {
    for (size_t w = 0; w < BirthVariants::kWords; ++w) {
      query.birth.words[v][w] = readings[v].words[kRangeWordBegin[kBirth] + w];
    }
    query.birth.popcounts[v] = RangePopcounts(readings[v])[kBirth];
  }
  return query;
}

}  // namespace entente::pprl
