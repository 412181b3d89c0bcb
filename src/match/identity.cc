#include "match/identity.h"

#include <algorithm>

#include "match/national_number.h"
#include "match/phone.h"
#include "text/fold.h"
#include "text/name_tokens.h"
#include "text/phonetic.h"

namespace entente::match {
namespace {

void AddUnique(std::vector<std::string>& keys, std::string key) {
  if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) {
    keys.push_back(std::move(key));
  }
}

// Adds the form of `name` unless it is empty or already there; false when it is empty (nothing
// of the name could be read).
bool AddName(std::vector<NameForm>& names, std::string_view name, bool kunya = false,
             bool organization = false, bool acronym = false) {
  NameForm form = organization ? CompileOrganizationName(name) : CompileName(name);
  if (form.empty()) return false;
  form.set_kunya(kunya);
  form.set_acronym(acronym);
  // A nom de guerre is an Arabic name in whatever Latin spelling its source heard (Zubayr,
  // Zobair): its vowels are as little to be relied on as in Arabic script.
  if (kunya) form.set_unvowelled(true);
  for (const auto& existing : names) {
    if (existing.SameTokens(form) && existing.kunya() == kunya && existing.acronym() == acronym) {
      return true;
    }
  }
  names.push_back(std::move(form));
  return true;
}

bool HasText(std::string_view value) {
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; });
}

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

bool IsKunya(std::string_view alias) {
  const std::string folded = text::FoldName(alias);
  const std::string_view first = std::string_view(folded).substr(0, folded.find(' '));
  for (std::string_view kunya : {"abu", "abou", "aboe", "abo", "umm", "oum", "om", "ummu"}) {
    if (first == kunya && first.size() < folded.size()) return true;
  }
  return false;
}

namespace {

NameForm FormOf(std::string_view name, const text::NameTokens& tokens) {
  NameForm form;
  form.set_unvowelled(text::DetectScript(name) == text::Script::kArabic);
  std::vector<std::string> keys;
  for (size_t i = 0; i < tokens.tokens.size(); ++i) {
    const std::string& token = tokens.tokens[i];
    keys.clear();
    for (auto& k : text::PhoneticKeys(token)) AddUnique(keys, std::move(k));
    if (!tokens.stripped[i].empty()) {
      for (auto& k : text::PhoneticKeys(tokens.stripped[i])) AddUnique(keys, std::move(k));
    }
    form.AddToken(
        text::SpellingKey(token),
        tokens.stripped[i].empty() ? std::string() : text::SpellingKey(tokens.stripped[i]), keys);
  }
  return form;
}

}  // namespace

NameForm CompileName(std::string_view name) { return FormOf(name, text::TokenizeName(name)); }

NameForm CompileOrganizationName(std::string_view name) {
  return FormOf(name, text::TokenizeOrganizationName(name));
}

std::string Acronym(std::string_view name) {
  const text::NameTokens tokens = text::TokenizeOrganizationName(name);
  if (tokens.tokens.size() < 3) return "";
  std::string out;
  for (size_t i = 0; i < tokens.tokens.size(); ++i) {
    // A packed article ("alnour") stands for its word's initial: "an" of "Al Nour" is "n".
    out += tokens.stripped[i].empty() ? tokens.tokens[i][0] : tokens.stripped[i][0];
  }
  return out;
}

KeyHash HashPhoneticKey(std::string_view key) {
  uint32_t h = 2166136261U;  // FNV-1a
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619U;
  }
  return (h & ~KeyHash{0xF}) | static_cast<KeyHash>(std::min<size_t>(key.size(), 15));
}

void NameForm::AddToken(std::string_view spelling, std::string_view stripped,
                        const std::vector<std::string>& phonetic_keys) {
  spelling = spelling.substr(0, 255);
  stripped = stripped.substr(0, 255);
  if (token_count_ == 255 || text_bytes_ + spelling.size() + stripped.size() > 0xFFFF) return;
  // Unpack, append, repack: a name has a handful of tokens and is compiled once.
  std::vector<KeyHash> keys(words_.begin(), words_.begin() + key_count_);
  std::vector<uint32_t> tokens(
      words_.begin() + key_count_,
      words_.begin() + key_count_ + static_cast<std::ptrdiff_t>(token_count_ * kTokenWords));
  std::string text(Text(0, text_bytes_));
  const auto spelling_at = static_cast<uint32_t>(text.size());
  text += spelling;
  const auto stripped_at = static_cast<uint32_t>(text.size());
  text += stripped;
  const auto key_at = static_cast<uint32_t>(keys.size());
  for (const auto& k : phonetic_keys) {
    if (keys.size() >= 255) break;
    keys.push_back(HashPhoneticKey(k));
  }
  const auto key_count = static_cast<uint32_t>(keys.size()) - key_at;
  uint32_t prefix = 0;
  if (!phonetic_keys.empty() && phonetic_keys[0].size() >= 2) {
    prefix = (static_cast<uint32_t>(static_cast<unsigned char>(phonetic_keys[0][0])) << 8) |
             static_cast<unsigned char>(phonetic_keys[0][1]);
  }
  tokens.push_back(spelling_at | static_cast<uint32_t>(spelling.size()) << 16 |
                   static_cast<uint32_t>(stripped.size()) << 24);
  tokens.push_back(stripped_at | key_at << 16 | key_count << 24);
  if (text::HoldsGlide(spelling) || text::HoldsGlide(stripped)) prefix |= kGlideBit;
  tokens.push_back(prefix);

  token_count_ = static_cast<uint8_t>(token_count_ + 1);
  key_count_ = static_cast<uint8_t>(keys.size());
  text_bytes_ = static_cast<uint16_t>(text.size());
  words_.assign(keys.begin(), keys.end());
  words_.insert(words_.end(), tokens.begin(), tokens.end());
  const size_t text_at = words_.size();
  words_.resize(text_at + (text.size() + 3) / 4, 0);
  std::copy(text.begin(), text.end(), reinterpret_cast<char*>(words_.data() + text_at));
  words_.shrink_to_fit();
}

bool NameForm::SameTokens(const NameForm& other) const {
  if (size() != other.size()) return false;
  for (size_t i = 0; i < size(); ++i) {
    if (spelling(i) != other.spelling(i)) return false;
  }
  return true;
}

size_t NameForm::MemoryBytes() const {
  return sizeof(NameForm) + words_.capacity() * sizeof(KeyHash);
}

std::string NormalizeDocument(std::string_view document) {
  std::string out;
  for (char c : document) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) out += c;
    if (c >= 'a' && c <= 'z') out += Upper(c);
  }
  return out;
}

uint16_t PackCountry(std::string_view code) {
  if (code.size() != 2) return 0;
  return static_cast<uint16_t>((Upper(code[0]) << 8) | Upper(code[1]));
}

Identity CompileIdentity(const model::Entity& entity) {
  Identity identity;
  identity.id = entity.id;
  bool unreadable = false;
  const bool organization = entity.schema == model::Schema::kOrganization;
  identity.organization = organization;
  for (const char* property : {"name", "alias", "previousName"}) {
    const bool is_name = std::string_view(property) == "name";
    for (const auto& value : entity.Values(property)) {
      if (organization) {
        // Legal forms and joining words aside; a name of three words or more is also known by
        // its initials ("Islamic Relief Worldwide", IRW).
        if (!AddName(identity.names, value, false, true) && HasText(value)) unreadable = true;
        const std::string acronym = Acronym(value);
        if (!acronym.empty()) AddName(identity.names, acronym, false, true, true);
        continue;
      }
      if (IsKunya(value)) {
        AddName(identity.weak_names, value, true);
        // A kunya given as a name is the name others know the person by: kept among the names,
        // compared with other kunyas there (an alias one is a nom de guerre only).
        if (is_name) AddName(identity.names, value, true);
        continue;
      }
      if (!AddName(identity.names, value) && HasText(value)) unreadable = true;
      if (text::DetectScript(value) == text::Script::kArabic) identity.arabic_script = true;
    }
  }
  // firstName + lastName make a name of their own when given (they may be the only name).
  const auto& firsts = entity.Values("firstName");
  const auto& lasts = entity.Values("lastName");
  if (!firsts.empty() || !lasts.empty()) {
    std::string composed;
    for (const auto& f : firsts) composed += f + " ";
    for (const auto& m : entity.Values("middleName")) composed += m + " ";
    for (const auto& l : lasts) composed += l + " ";
    if (!AddName(identity.names, composed) && HasText(composed)) unreadable = true;
  }
  for (const auto& value : entity.Values("weakAlias")) {
    AddName(identity.weak_names, value, IsKunya(value));
  }
  identity.unreadable_name = unreadable && identity.names.empty();
  for (const auto& value : entity.Values("birthDate")) {
    auto date = model::PartialDate::Parse(value);
    if (date.ok()) identity.births.push_back(*date);
  }
  const std::string_view gender = entity.First("gender");
  identity.gender = gender == "male"     ? 'm'
                    : gender == "female" ? 'f'
                    : gender == "other"  ? 'o'
                                         : '\0';
  for (const char* property : {"nationality", "citizenship"}) {
    for (const auto& value : entity.Values(property)) {
      const uint16_t packed = PackCountry(value);
      if (packed != 0 && std::find(identity.nationalities.begin(), identity.nationalities.end(),
                                   packed) == identity.nationalities.end()) {
        identity.nationalities.push_back(packed);
      }
    }
  }
  size_t countries = 0;
  for (const auto& value : entity.Values("country")) {
    const uint16_t packed = PackCountry(value);
    const auto end = identity.countries.begin() + static_cast<std::ptrdiff_t>(countries);
    if (packed != 0 && countries < identity.countries.size() &&
        std::find(identity.countries.begin(), end, packed) == end) {
      identity.countries[countries++] = packed;
    }
  }
  for (const auto& [property, kind] : {std::pair{"passportNumber", DocumentKind::kPassport},
                                       std::pair{"idNumber", DocumentKind::kIdentity}}) {
    for (const auto& value : entity.Values(property)) {
      Document document{NormalizeDocument(value), kind};
      if (document.number.size() >= 5 &&
          std::find(identity.documents.begin(), identity.documents.end(), document) ==
              identity.documents.end()) {
        identity.documents.push_back(std::move(document));
      }
    }
  }
  // A Belgian national number carries its holder's birth date, and it and a French NIR the
  // gender (national_number.h): read when the record does not say.
  if (identity.births.empty() || identity.gender == 0) {
    for (const Document& document : identity.documents) {
      if (document.kind != DocumentKind::kIdentity) continue;
      const NationalNumberReading reading = ReadNationalNumber(document.number);
      if (identity.births.empty() && reading.birth) {
        identity.births.push_back(*reading.birth);
        identity.from_number |= Identity::kBirthFromNumber;
      }
      if (identity.gender == 0 && reading.gender != 0) {
        identity.gender = reading.gender;
        identity.from_number |= Identity::kGenderFromNumber;
      }
    }
  }
  // A national form is read with the country the record says the person lives in; not with a
  // nationality (a Moroccan living in Brussels has a Belgian number): a number whose country is
  // unknown keeps its national digits, which meet the number in any country.
  const std::string_view region = entity.First("country");
  for (const auto& value : entity.Values("phone")) {
    AddUnique(identity.phones, NormalizePhone(value, region));
  }
  for (const auto& value : entity.Values("address")) {
    std::vector<std::string> tokens;
    const std::string folded = text::FoldName(value);
    size_t start = 0;
    while (start < folded.size()) {
      size_t end = folded.find(' ', start);
      if (end == std::string::npos) end = folded.size();
      if (end > start) tokens.push_back(folded.substr(start, end - start));
      start = end + 1;
    }
    if (!tokens.empty()) identity.addresses.push_back(std::move(tokens));
  }
  for (const auto& value : entity.Values("email")) {
    std::string lower;
    for (char c : value) lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    AddUnique(identity.emails, std::move(lower));
  }
  return identity;
}

}  // namespace entente::match
