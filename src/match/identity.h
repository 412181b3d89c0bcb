#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/entity.h"

namespace entente::match {

// One way of writing a person's name, ready for comparison: per token, its spelling key
// (text::SpellingKey of the packed token), the spelling key of the form without its leading
// particle ("" when none), and the phonetic keys of both.
struct NameForm {
  std::vector<std::string> spellings;
  std::vector<std::string> stripped;
  std::vector<std::vector<std::string>> keys;  // per token: phonetic keys, stripped form's included
  int total_length = 0;                        // sum of the spelling lengths
  bool unvowelled = false;                     // written in Arabic script: short vowels absent
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
