#include "text/name_tokens.h"

#include <algorithm>
#include <array>
#include <span>

#include "text/fold.h"

namespace entente::text {
namespace {

// Particles that belong to the next token: Arabic articles and kin words, Berber, Dutch,
// French, Spanish, Portuguese, German.
constexpr std::array<std::string_view, 27> kParticles = {
    "el",  "al",   "ul", "ben", "bin", "ibn", "abu", "abou", "bou",
    "ait", "ould", "ag", "van", "de",  "den", "der", "le",   "la",
    "du",  "da",   "di", "del", "dos", "das", "von", "ter",  "ten"};

// Given-name prefixes meaning "servant of", packed with what follows ("abdel kader").
constexpr std::array<std::string_view, 9> kAbdPrefixes = {
    "abd", "abdel", "abdal", "abdul", "abdoul", "abdou", "abdu", "abdl", "bd"};

constexpr std::array<std::string_view, 22> kHonorifics = {
    "mr",    "mrs",    "ms",     "mme",    "mlle",  "m",    "dr",   "sr",
    "sra",   "sheikh", "cheikh", "shaykh", "sheik", "hadj", "hajj", "haj",
    "hadji", "hajji",  "sayyid", "imam",   "sir",   "herr"};

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

std::vector<std::string> SplitSpaces(std::string_view folded) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) out.emplace_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// "EL AMRANI Mohamed": an all-capitals run of two or more letters before a capitalised word.
bool LooksSurnameFirst(std::string_view utf8) {
  if (utf8.find(',') != std::string_view::npos) return true;
  size_t i = 0;
  bool seen_upper_word = false;
  while (i < utf8.size()) {
    while (i < utf8.size() && utf8[i] == ' ') ++i;
    size_t end = utf8.find(' ', i);
    if (end == std::string_view::npos) end = utf8.size();
    const std::string_view word = utf8.substr(i, end - i);
    i = end;
    if (word.empty()) continue;
    int upper = 0, lower = 0;
    for (char c : word) {
      if (c >= 'A' && c <= 'Z') ++upper;
      if (c >= 'a' && c <= 'z') ++lower;
    }
    if (upper >= 2 && lower == 0) {
      seen_upper_word = true;
    } else if (lower > 0) {
      return seen_upper_word;
    }
  }
  return false;
}

}  // namespace

bool IsParticle(std::string_view token) {
  return std::find(kParticles.begin(), kParticles.end(), token) != kParticles.end();
}

bool IsHonorific(std::string_view token) {
  return std::find(kHonorifics.begin(), kHonorifics.end(), token) != kHonorifics.end();
}

std::string StripParticle(std::string_view token) {
  constexpr size_t kMinRest = 3;
  // "Servant of" compounds: abdelkader, abd al qadir (packed), abderrahmane, bdalkadr (Arabic
  // script, the ayn gone) -> kader, qadir, rahmane, kadr: what tells two of them apart.
  for (std::string_view abd : {"abd", "bd"}) {
    if (!StartsWith(token, abd)) continue;
    std::string_view rest = token.substr(abd.size());
    for (std::string_view article : {"oul", "el", "al", "ul", "il", "ou", "u"}) {
      if (StartsWith(rest, article) && rest.size() >= article.size() + kMinRest) {
        rest.remove_prefix(article.size());
        break;
      }
    }
    // The article assimilated to a sun letter: abd-er-rahmane, abd-es-salam.
    if (rest.size() >= 2 + kMinRest && IsVowel(rest[0]) && rest[1] == rest[2] &&
        !IsVowel(rest[1])) {
      rest.remove_prefix(2);
    }
    if (rest.size() >= kMinRest && rest.size() < token.size()) return std::string(rest);
  }
  // Packed particles, longest first so that "abou" wins over "ab...".
  static constexpr std::array<std::string_view, 17> kPacked = {
      "ould", "abou", "vander", "vanden", "van", "ben", "bin", "ibn", "abu",
      "bou",  "ait",  "el",     "al",     "ul",  "de",  "le",  "la"};
  for (std::string_view p : kPacked) {
    if (StartsWith(token, p) && token.size() >= p.size() + kMinRest) {
      std::string_view rest = token.substr(p.size());
      // An article assimilated to a sun letter doubles it: "ettazi" -> "tazi".
      return std::string(rest);
    }
  }
  // Assimilated article without its l: "essaid" (as-Sa'id), "ennaji", "ettaoufik".
  if (token.size() >= 2 + 1 + kMinRest && IsVowel(token[0]) && token[1] == token[2] &&
      !IsVowel(token[1])) {
    return std::string(token.substr(2));
  }
  return "";
}

NameTokens TokenizeName(std::string_view utf8) {
  NameTokens out;
  out.surname_first = LooksSurnameFirst(utf8);
  std::vector<std::string> raw = SplitSpaces(FoldName(utf8));
  // Honorifics lead a name ("Sheikh Abu Musab", "Mr Karim Ould Abbas"); elsewhere the same
  // word may be a family name ("Abdellah El Hadji").
  size_t leading = 0;
  while (leading < raw.size() && raw.size() - leading > 2 && IsHonorific(raw[leading])) ++leading;
  raw.erase(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(leading));
  std::string pending;  // particles waiting for their token
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string& t = raw[i];
    const bool last = i + 1 == raw.size();
    const bool abd = std::find(kAbdPrefixes.begin(), kAbdPrefixes.end(), t) != kAbdPrefixes.end();
    if (!last && (IsParticle(t) || abd)) {
      pending += t;
      continue;
    }
    out.tokens.push_back(pending + t);
    pending.clear();
  }
  if (!pending.empty()) out.tokens.push_back(pending);
  out.stripped.reserve(out.tokens.size());
  for (const auto& t : out.tokens) out.stripped.push_back(StripParticle(t));
  return out;
}

namespace {

// Legal forms of France, Belgium, the Netherlands, Spain, Morocco, Germany and the English-
// speaking world, folded (dots and spaces gone), sorted.
constexpr std::array<std::string_view, 52> kLegalForms = {
    "ab",      "ag",   "asbl",        "bv",  "bvba",         "co",  "comm",    "commv",
    "company", "corp", "corporation", "cv",  "cvba",         "eg",  "ets",     "eurl",
    "ev",      "gie",  "gmbh",        "inc", "incorporated", "kg",  "limited", "limitada",
    "llc",     "llp",  "lp",          "ltd", "nv",           "oy",  "plc",     "sa",
    "sal",     "sarl", "sarlau",      "sas", "sasu",         "sc",  "sca",     "scop",
    "scrl",    "scs",  "sl",          "sll", "slu",          "snc", "spa",     "sprl",
    "srl",     "vof",  "vzw",         "zrt",
};
// Words that join the words of a name and tell nothing apart.
constexpr std::array<std::string_view, 16> kJoiningWords = {"and", "de",  "der", "des", "du", "en",
                                                            "et",  "for", "het", "la",  "le", "les",
                                                            "of",  "the", "van", "y"};

bool Contains(std::span<const std::string_view> sorted, std::string_view token) {
  return std::binary_search(sorted.begin(), sorted.end(), token);
}

}  // namespace

bool IsLegalForm(std::string_view token) { return Contains(kLegalForms, token); }

NameTokens TokenizeOrganizationName(std::string_view utf8) {
  std::vector<std::string> raw = SplitSpaces(FoldName(utf8));
  std::vector<std::string> joined;
  for (size_t i = 0; i < raw.size();) {
    if (raw[i].size() == 1) {
      std::string letters;
      while (i < raw.size() && raw[i].size() == 1) letters += raw[i++];
      joined.push_back(std::move(letters));
    } else {
      joined.push_back(std::move(raw[i++]));
    }
  }
  std::vector<std::string> kept;
  for (auto& t : joined) {
    if (!IsLegalForm(t) && !Contains(kJoiningWords, t)) kept.push_back(t);
  }
  if (kept.empty()) kept = std::move(joined);
  NameTokens out;
  // Particles pack as in a person's name: "Al Nour" and "Alnour" are one word.
  std::string pending;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i + 1 < kept.size() && IsParticle(kept[i])) {
      pending += kept[i];
      continue;
    }
    out.tokens.push_back(pending + kept[i]);
    pending.clear();
  }
  out.stripped.reserve(out.tokens.size());
  for (const auto& t : out.tokens) out.stripped.push_back(StripParticle(t));
  return out;
}

}  // namespace entente::text
