#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.h"
#include "model/entity.h"

namespace entente::match {

// A phonetic key (text::PhoneticKey) as the comparators keep it: a 32-bit hash whose low four
// bits hold the key's length in sound classes (at most 15).
using KeyHash = uint32_t;
KeyHash HashPhoneticKey(std::string_view key);
inline int KeyLength(KeyHash key) { return static_cast<int>(key & 0xF); }

// One way of writing a person's name, ready for comparison: per token, its spelling key
// (text::SpellingKey of the packed token), the spelling key of the form without its leading
// particle ("" when none), and the phonetic keys of both. A watchlist holds millions, so a form
// is one heap block of 32-bit words: the keys, then three words a token, then the text.
// A value type.
class NameForm {
 public:
  size_t size() const { return token_count_; }
  bool empty() const { return token_count_ == 0; }
  std::string_view spelling(size_t i) const {
    const uint32_t w = TokenWord(i, 0);
    return Text(w & 0xFFFF, (w >> 16) & 0xFF);
  }
  std::string_view stripped(size_t i) const {
    return Text(TokenWord(i, 1) & 0xFFFF, TokenWord(i, 0) >> 24);
  }
  std::span<const KeyHash> keys(size_t i) const {
    const uint32_t w = TokenWord(i, 1);
    return std::span<const KeyHash>(words_.data() + ((w >> 16) & 0xFF), w >> 24);
  }
  // The first two sound classes of the token's primary phonetic key, packed (0 when shorter).
  uint16_t key_prefix(size_t i) const { return static_cast<uint16_t>(TokenWord(i, 2)); }
  // Whether the token's spellings hold a j, a y or a kh, which orthographies read differently
  // (text::HoldsGlide, text::GlideReading).
  bool holds_glide(size_t i) const { return (TokenWord(i, 2) & kGlideBit) != 0; }
  // Written in Arabic script: short vowels absent.
  bool unvowelled() const { return unvowelled_; }
  void set_unvowelled(bool unvowelled) { unvowelled_ = unvowelled; }
  // A kunya or nom de guerre (IsKunya): compared with other such names only.
  bool kunya() const { return kunya_; }
  void set_kunya(bool kunya) { kunya_ = kunya; }
  // An organisation's initials (Acronym): compared with names of one word only, never with
  // another's initials.
  bool acronym() const { return acronym_; }
  void set_acronym(bool acronym) { acronym_ = acronym; }

  // Appends a token (spellings longer than 255 bytes are cut; at most 255 keys and 255 tokens
  // in all, and 65,535 bytes of text).
  void AddToken(std::string_view spelling, std::string_view stripped,
                const std::vector<std::string>& phonetic_keys);
  bool SameTokens(const NameForm& other) const;
  size_t MemoryBytes() const;
  // Asks the processor to fetch the form's heap block (a hint; no effect on results).
  void Prefetch() const { __builtin_prefetch(words_.data()); }

 private:
  static constexpr size_t kTokenWords = 3;
  static constexpr uint32_t kGlideBit = 1U << 16;  // in a token's third word, above key_prefix
  uint32_t TokenWord(size_t i, size_t w) const { return words_[key_count_ + i * kTokenWords + w]; }
  std::string_view Text(size_t at, size_t length) const {
    const auto* text =
        reinterpret_cast<const char*>(words_.data() + key_count_ + token_count_ * kTokenWords);
    return {text + at, length};
  }

  // keys (key_count_ words), tokens (kTokenWords each), text (text_bytes_, padded to a word)
  std::vector<KeyHash> words_;
  uint16_t text_bytes_ = 0;
  uint8_t token_count_ = 0;
  uint8_t key_count_ = 0;
  bool unvowelled_ = false;
  bool kunya_ = false;
  bool acronym_ = false;
};

// What a document number is. An identity number (FtM idNumber: national register, identity
// card or social security number) is a person's for life; a passport number changes with each
// passport. Two numbers of the same kind that differ are evidence of two people, the more so
// for identity numbers; numbers of different kinds say nothing when they differ.
enum class DocumentKind : uint8_t { kIdentity, kPassport };
struct Document {
  std::string number;  // uppercase letters and digits (NormalizeDocument)
  DocumentKind kind = DocumentKind::kIdentity;
  bool operator==(const Document&) const = default;
};

// What the comparators read of an entity, computed once per record. A plain value type.
struct Identity {
  std::string id;
  std::vector<NameForm> names;  // name, alias, firstName + lastName...; no duplicates
  // Noms de guerre (kunyas such as "Abu Talha al-Baljiki", wherever written: name, alias,
  // weakAlias) and nicknames: many people share them, so they are compared among themselves
  // (Field::kWeakAlias, weighed by how many listed people bear them) and block only in pairs of
  // tokens. A kunya written as a name stays among `names` too, marked (NameForm::kunya), and is
  // compared there with other kunyas only: a nom de guerre says nothing of a civil name.
  std::vector<NameForm> weak_names;
  std::vector<model::PartialDate> births;  // valid birth dates
  char gender = 0;                         // 'm', 'f', 'o' or 0 when unknown
  std::vector<uint16_t> nationalities;     // two letters packed, citizenship included
  // Countries of residence (FtM "country"), two letters packed, the first four (0: none); held
  // inline: half of all records have one, and a vector's allocation would cost 1M records 50 MB.
  std::array<uint16_t, 4> countries{};
  std::vector<Document> documents;  // idNumber, passportNumber
  std::vector<std::string> phones;  // NormalizePhone (phone.h), with the record's country
  std::vector<std::vector<std::string>> addresses;  // folded tokens of each address
  std::vector<std::string> emails;                  // lowercase
  bool arabic_script = false;                       // a name was written in Arabic script
  bool organization = false;  // an Organization: names compared as organisations' (legal forms)
  // The record names someone but no name could be read (no letter or digit survives folding):
  // compared, it weighs as a different name (CompareNames), never as no name.
  bool unreadable_name = false;
  // What CompileIdentity read from an identity number because the record did not say it
  // (ReadNationalNumber): kBirthFromNumber, kGenderFromNumber. Shown in explanations.
  static constexpr uint8_t kBirthFromNumber = 1;
  static constexpr uint8_t kGenderFromNumber = 2;
  uint8_t from_number = 0;
};

// Builds the comparison view of an entity. Values that do not parse (a bad date) are left out:
// validation is the reader's job. Pure and thread-safe.
Identity CompileIdentity(const model::Entity& entity);

// A name form from one written name (exposed for tests and the compare command).
NameForm CompileName(std::string_view name);
// The same for an organisation's name (text::TokenizeOrganizationName: legal forms dropped).
NameForm CompileOrganizationName(std::string_view name);
// The initials of an organisation's name of three words or more (legal forms and joining words
// left out, an article packed on its word not counted): "Islamic Relief Worldwide" -> "irw";
// "" for shorter names.
std::string Acronym(std::string_view name);

// Whether an alias is a kunya or nom de guerre ("Abu Musab al-Baljiki", "Umm Usamah").
bool IsKunya(std::string_view alias);

// "EM 123-456" -> "EM123456".
std::string NormalizeDocument(std::string_view document);

uint16_t PackCountry(std::string_view code);

}  // namespace entente::match
