#pragma once

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
// particle ("" when none), and the phonetic keys of both. Stored compactly (one string for
// all the text, 10 bytes a token, 4 a key): a watchlist holds millions. A value type.
class NameForm {
 public:
  size_t size() const { return tokens_.size(); }
  bool empty() const { return tokens_.empty(); }
  std::string_view spelling(size_t i) const {
    return std::string_view(text_).substr(tokens_[i].spelling_at, tokens_[i].spelling_length);
  }
  std::string_view stripped(size_t i) const {
    return std::string_view(text_).substr(tokens_[i].stripped_at, tokens_[i].stripped_length);
  }
  std::span<const KeyHash> keys(size_t i) const {
    return std::span<const KeyHash>(keys_).subspan(tokens_[i].key_at, tokens_[i].key_count);
  }
  // The first two sound classes of the token's primary phonetic key, packed (0 when shorter).
  uint16_t key_prefix(size_t i) const { return tokens_[i].key_prefix; }
  // Written in Arabic script: short vowels absent.
  bool unvowelled() const { return unvowelled_; }
  void set_unvowelled(bool unvowelled) { unvowelled_ = unvowelled; }

  // Appends a token (spellings longer than 255 bytes are cut; at most 255 keys in all).
  void AddToken(std::string_view spelling, std::string_view stripped,
                const std::vector<std::string>& phonetic_keys);
  bool SameTokens(const NameForm& other) const;
  size_t MemoryBytes() const;

 private:
  struct Token {
    uint16_t spelling_at;
    uint8_t spelling_length;
    uint8_t stripped_length;
    uint16_t stripped_at;
    uint8_t key_at;
    uint8_t key_count;
    uint16_t key_prefix;
  };
  std::string text_;
  std::vector<Token> tokens_;
  std::vector<KeyHash> keys_;
  bool unvowelled_ = false;
};

// What the comparators read of an entity, computed once per record. A plain value type.
struct Identity {
  std::string id;
  std::vector<NameForm> names;  // name, alias, firstName + lastName...; no duplicates
  // Noms de guerre (kunyas such as "Abu Talha al-Baljiki") and nicknames: many people share
  // them, so they are compared on their own and never block.
  std::vector<NameForm> weak_names;
  std::vector<model::PartialDate> births;  // valid birth dates
  char gender = 0;                         // 'm', 'f', 'o' or 0 when unknown
  std::vector<uint16_t> nationalities;     // two letters packed, citizenship included
  std::vector<std::string> documents;      // idNumber, passportNumber: uppercase letters and digits
  std::vector<std::string> phones;         // the last 9 digits
  std::vector<std::vector<std::string>> addresses;  // folded tokens of each address
  std::vector<std::string> emails;                  // lowercase
  bool arabic_script = false;                       // a name was written in Arabic script
};

// Builds the comparison view of an entity. Values that do not parse (a bad date) are left out:
// validation is the reader's job. Pure and thread-safe.
Identity CompileIdentity(const model::Entity& entity);

// A name form from one written name (exposed for tests and the compare command).
NameForm CompileName(std::string_view name);

// Whether an alias is a kunya or nom de guerre ("Abu Musab al-Baljiki", "Umm Usamah").
bool IsKunya(std::string_view alias);

// "EM 123-456" -> "EM123456".
std::string NormalizeDocument(std::string_view document);
// "+32 (0)470 12.34.56" -> "470123456": the last 9 digits, enough to tell numbers apart whatever
// the national or international form; "" when there are fewer than 6 digits.
std::string NormalizePhone(std::string_view phone);

uint16_t PackCountry(std::string_view code);

}  // namespace entente::match
