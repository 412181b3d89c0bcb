#include "synth/transliteration.h"

#include <array>
#include <cstdint>

#include "common/check.h"
#include "common/utf8.h"
#include "synth/latin_text.h"

namespace entente::synth {
namespace {

enum class Kind : uint8_t { kConsonant, kShortVowel, kLongVowel, kTaMarbuta };

// One sound of the notation and how each convention spells it. Spellings are '|'-separated,
// the canonical one first.
struct SoundSpec {
  std::string_view symbol;
  Kind kind;
  bool sun;                               // the article assimilates to it (ar-Rahman, an-Nur)
  char32_t arabic;                        // its letter; 0 for short vowels
  std::array<std::string_view, 4> latin;  // French, Dutch, Spanish, English
};

constexpr Kind kC = Kind::kConsonant;
constexpr Kind kV = Kind::kShortVowel;
constexpr Kind kL = Kind::kLongVowel;

// The order gives the sound ids used below.
constexpr std::array<SoundSpec, 37> kSounds = {{
    {"b", kC, false, 0x0628, {"b", "b", "b", "b"}},
    {"t", kC, true, 0x062A, {"t", "t", "t", "t"}},
    {"th", kC, true, 0x062B, {"th|t", "t|th", "t|z", "th|t"}},
    {"j", kC, false, 0x062C, {"dj|j", "dj|j", "y|j", "j"}},
    {"H", kC, false, 0x062D, {"h", "h", "h|j", "h"}},
    {"x", kC, false, 0x062E, {"kh", "ch|kh", "j|kh", "kh"}},
    {"d", kC, true, 0x062F, {"d", "d", "d", "d"}},
    {"dh", kC, true, 0x0630, {"d|dh", "d", "d", "dh|d"}},
    {"r", kC, true, 0x0631, {"r", "r", "r", "r"}},
    {"z", kC, true, 0x0632, {"z", "z", "z", "z"}},
    {"s", kC, true, 0x0633, {"s", "s", "s", "s"}},
    {"sh", kC, true, 0x0634, {"ch", "sj|ch|sh", "ch|x|sh", "sh"}},
    {"S", kC, true, 0x0635, {"s", "s", "s", "s"}},
    {"D", kC, true, 0x0636, {"d", "d", "d", "d"}},
    {"T", kC, true, 0x0637, {"t", "t", "t", "t"}},
    {"Z", kC, true, 0x0638, {"z|d|dh", "z|d", "z|d", "z|dh"}},
    {"3", kC, false, 0x0639, {"", "", "", ""}},
    {"gh", kC, false, 0x063A, {"gh|rh", "gh|g", "g|gh", "gh"}},
    {"f", kC, false, 0x0641, {"f", "f", "f", "f"}},
    {"q", kC, false, 0x0642, {"k|q", "k|q", "k|q", "q|k"}},
    {"k", kC, false, 0x0643, {"k", "k", "k", "k"}},
    {"l", kC, true, 0x0644, {"l", "l", "l", "l"}},
    {"m", kC, false, 0x0645, {"m", "m", "m", "m"}},
    {"n", kC, true, 0x0646, {"n", "n", "n", "n"}},
    {"h", kC, false, 0x0647, {"h", "h", "h", "h"}},
    {"w", kC, false, 0x0648, {"w|ou", "w", "w|u", "w"}},
    {"y", kC, false, 0x064A, {"y|i", "j|y", "y|i", "y"}},
    {"'", kC, false, 0x0621, {"", "", "", ""}},
    {"a", kV, false, 0, {"a", "a", "a", "a"}},
    {"i", kV, false, 0, {"i", "i", "i", "i"}},
    {"u", kV, false, 0, {"o|ou", "oe|o", "u|o", "u|o"}},
    {"e", kV, false, 0, {"e|a", "e|a", "e|a", "e|a"}},
    {"A", kL, false, 0x0627, {"a", "a|aa", "a", "a"}},
    {"I", kL, false, 0x064A, {"i", "i|ie", "i", "i"}},
    {"U", kL, false, 0x0648, {"ou", "oe|ou", "u", "u|ou"}},
    {"Y", kL, false, 0x0649, {"a", "a", "a", "a"}},
    {"@", Kind::kTaMarbuta, false, 0x0629, {"", "", "", "|h"}},
}};

// Sound ids: indexes into kSounds.
constexpr uint8_t kTh = 2;
constexpr uint8_t kDh = 7;
constexpr uint8_t kS = 10;
constexpr uint8_t kSh = 11;
constexpr uint8_t kSs = 12;
constexpr uint8_t kAyn = 16;
constexpr uint8_t kGh = 17;
constexpr uint8_t kN = 23;
constexpr uint8_t kW = 25;
constexpr uint8_t kY = 26;
constexpr uint8_t kHamza = 27;
constexpr uint8_t kA = 28;
constexpr uint8_t kI = 29;
constexpr uint8_t kU = 30;
constexpr uint8_t kLongA = 32;
constexpr uint8_t kLongI = 33;
constexpr uint8_t kLongU = 34;
constexpr uint8_t kNone = 255;

// Diphthongs a+y, a+w before a consonant or at the end of a word.
constexpr std::array<std::string_view, 4> kAy = {"ai|ei|ay", "ai|ei|ej", "ai|ay|ei", "ay|ai|ei"};
constexpr std::array<std::string_view, 4> kAw = {"aou|ao|aw", "aw|auw|ou", "au|aw", "aw|ow"};

// The chance that a sound takes another than its canonical spelling, and that a shadda is
// written with a single letter, by convention.
constexpr double kOtherSpelling = 0.25;
constexpr std::array<double, 4> kSingleGeminate = {0.35, 0.25, 0.4, 0.2};

constexpr size_t kMaxSounds = 48;

struct Sounds {
  std::array<uint8_t, kMaxSounds> id{};
  size_t size = 0;
};

// Sound id of each one-character symbol.
constexpr std::array<uint8_t, 128> kSingleSound = [] {
  std::array<uint8_t, 128> table{};
  for (auto& t : table) t = kNone;
  for (size_t id = 0; id < kSounds.size(); ++id) {
    if (kSounds[id].symbol.size() == 1) {
      table[static_cast<unsigned char>(kSounds[id].symbol[0])] = static_cast<uint8_t>(id);
    }
  }
  return table;
}();

uint8_t SoundOf(std::string_view word, size_t* i) {
  const char c = word[*i];
  if (*i + 1 < word.size() && word[*i + 1] == 'h') {
    uint8_t digraph = kNone;
    switch (c) {
      case 't':
        digraph = kTh;
        break;
      case 'd':
        digraph = kDh;
        break;
      case 's':
        digraph = kSh;
        break;
      case 'g':
        digraph = kGh;
        break;
      default:
        break;
    }
    if (digraph != kNone) {
      *i += 2;
      return digraph;
    }
  }
  ++*i;
  const auto byte = static_cast<unsigned char>(c);
  return byte < kSingleSound.size() ? kSingleSound[byte] : kNone;
}

bool Tokenize(std::string_view word, Sounds* out) {
  out->size = 0;
  if (word.empty()) return false;
  size_t i = 0;
  while (i < word.size()) {
    const uint8_t id = SoundOf(word, &i);
    if (id == kNone || out->size == kMaxSounds) return false;
    out->id[out->size++] = id;
  }
  return true;
}

bool IsVowel(uint8_t id) {
  return id != kNone &&
         (kSounds[id].kind == Kind::kShortVowel || kSounds[id].kind == Kind::kLongVowel);
}
bool IsConsonant(uint8_t id) { return id != kNone && kSounds[id].kind == Kind::kConsonant; }

size_t CountOptions(std::string_view options) {
  size_t n = 1;
  for (char c : options) n += c == '|' ? 1 : 0;
  return n;
}

std::string_view OptionAt(std::string_view options, size_t index) {
  size_t start = 0;
  for (size_t k = 0; k < index; ++k) start = options.find('|', start) + 1;
  const size_t end = options.find('|', start);
  return options.substr(start,
                        end == std::string_view::npos ? std::string_view::npos : end - start);
}

std::string_view Pick(std::string_view options, Rng* rng, double p_other = kOtherSpelling) {
  if (rng == nullptr) return OptionAt(options, 0);
  const size_t n = CountOptions(options);
  if (n == 1 || !rng->Chance(p_other)) return OptionAt(options, 0);
  return OptionAt(options, 1 + rng->Below(n - 1));
}

size_t Index(Convention c) { return static_cast<size_t>(c); }

// Splits "a+b+c" into at most kMaxParts parts.
constexpr size_t kMaxParts = 8;
struct Parts {
  std::array<std::string_view, kMaxParts> part;
  size_t size = 0;
};

bool SplitParts(std::string_view phonemic, Parts* out) {
  out->size = 0;
  size_t start = 0;
  while (true) {
    const size_t plus = phonemic.find('+', start);
    const std::string_view part =
        phonemic.substr(start, plus == std::string_view::npos ? plus : plus - start);
    if (part.empty() || out->size == kMaxParts) return false;
    out->part[out->size++] = part;
    if (plus == std::string_view::npos) return true;
    start = plus + 1;
  }
}

bool IsParticle(std::string_view word) {
  return word == "al" || word == "bin" || word == "bint" || word == "ibn" || word == "abU" ||
         word == "umm" || word == "bU" || word == "ayt" || word == "wuld";
}

// Spellings of particles that the sound rules would not produce (Ben, not Bin).
std::string_view ParticleOptions(std::string_view word, Convention c) {
  const bool en = c == Convention::kEnglish;
  if (word == "al") return en ? "Al|El" : "El|Al";
  if (word == "bin") return en ? "Bin|Ben" : "Ben";
  if (word == "bint") return en ? "Bint" : "Bent|Bint";
  if (word == "ibn") return "Ibn";
  if (word == "ayt") return c == Convention::kFrench ? "Ait|A\u00eft" : "Ait";
  if (word == "wuld") return "Ould";
  if (word == "umm") return en ? "Umm|Um" : c == Convention::kDutch ? "Oum|Oem" : "Oum|Um";
  return {};  // abU, bU: by the sound rules (Abou, Aboe, Abu; Bou, Boe, Bu)
}

class LatinRenderer {
 public:
  LatinRenderer(Convention convention, const Spelling& spelling, Rng* rng)
      : c_(convention), spelling_(spelling), rng_(rng) {}

  std::string RenderParts(const Parts& parts, size_t from) {
    const size_t n = parts.size - from;
    const std::string_view first = parts.part[from];
    if (n == 1) return Word(first);
    if (IsParticle(first)) return Particle(first, parts, from + 1);
    if (n >= 3 && parts.part[from + 1] == "al") {
      std::string out = Compound(first, parts.part[from + 2]);
      if (n > 3) out += " " + RenderParts(parts, from + 3);
      return out;
    }
    // Two statements: the order of the draws from rng_ must not be left to the compiler.
    std::string out = Word(first);
    out += " " + RenderParts(parts, from + 1);
    return out;
  }

  // One word, capitalised.
  std::string Word(std::string_view word) {
    Sounds s;
    ENTENTE_CHECK(Tokenize(word, &s));
    return CapitalizeFirst(Spell(s));
  }

 private:
  std::string Spell(const Sounds& s) {
    const size_t ci = Index(c_);
    std::string out;
    out.reserve(s.size * 2);
    for (size_t k = 0; k < s.size; ++k) {
      const uint8_t id = s.id[k];
      const uint8_t prev = k > 0 ? s.id[k - 1] : kNone;
      const uint8_t next = k + 1 < s.size ? s.id[k + 1] : kNone;
      const uint8_t after = k + 2 < s.size ? s.id[k + 2] : kNone;
      // A diphthong, unless the glide is doubled (Tayyebi is a + yy).
      if (id == kA && (next == kY || next == kW) && (after == kNone || IsConsonant(after)) &&
          after != next) {
        out += Pick((next == kY ? kAy : kAw)[ci], rng_);
        ++k;
        continue;
      }
      if (!IsConsonant(id)) {
        out += Pick(kSounds[id].latin[ci], rng_);
        continue;
      }
      if (id == kAyn || id == kHamza) {
        // French marks the vowel after a dropped ʿayn or hamza with a tréma: Saïd, Aïcha.
        if (c_ == Convention::kFrench && rng_ != nullptr && IsVowel(prev) &&
            (next == kI || next == kLongI) && rng_->Chance(0.3)) {
          out += "\u00ef";
          ++k;
        }
        continue;
      }
      const bool geminate = next == id;
      std::string_view spelled;
      if ((id == kS || id == kSs) && IsVowel(prev) && IsVowel(next)) {
        // French (and sometimes Dutch) double an s between vowels to keep it unvoiced.
        spelled = c_ == Convention::kFrench  ? Pick("ss|s", rng_, 0.2)
                  : c_ == Convention::kDutch ? Pick("s|ss", rng_, 0.3)
                                             : std::string_view("s");
      } else if (id == kY && k == 0) {
        spelled = OptionAt(kSounds[id].latin[ci], 0);
      } else if (id == kN && next == kNone && (prev == kLongA || prev == kLongI) &&
                 c_ == Convention::kFrench) {
        spelled = Pick("ne|n", rng_, 0.2);  // Othmane, Noureddine
      } else {
        spelled = Pick(kSounds[id].latin[ci], rng_);
      }
      out += spelled;
      if (geminate) {
        ++k;
        const bool doubled = rng_ == nullptr || !rng_->Chance(kSingleGeminate[ci]);
        if (doubled && spelled.size() == 1) out += spelled;
      }
    }
    return out;
  }

  std::string Particle(std::string_view particle, const Parts& parts, size_t rest_from) {
    std::string rest = RenderParts(parts, rest_from);
    const std::string_view special = ParticleOptions(particle, c_);
    std::string p = special.empty() ? Word(particle) : std::string(Pick(special, rng_));
    const bool is_article = particle == "al";
    switch (spelling_.particle) {
      case ParticleStyle::kDropped:
        if (is_article) return rest;
        [[fallthrough]];
      case ParticleStyle::kDetached:
        return p + " " + rest;
      case ParticleStyle::kHyphenated:
        return p + "-" + rest;
      case ParticleStyle::kAttached: {
        std::string lowered = LowercaseLatin(rest);
        // "Ettazi", "Essaidi": the article assimilated to a sun letter, French and Dutch.
        if (is_article && rng_ != nullptr && c_ != Convention::kEnglish &&
            c_ != Convention::kSpanish && lowered.size() > 2 && IsSunSpelling(lowered) &&
            rng_->Chance(0.3)) {
          return "E" + lowered.substr(0, 1) + lowered;
        }
        return p + lowered;
      }
    }
    return p + " " + rest;
  }

  static bool IsSunSpelling(std::string_view lowered) {
    const char c = lowered[0];
    const bool sun_letter = c == 't' || c == 'd' || c == 'r' || c == 'z' || c == 's' || c == 'n';
    return sun_letter && lowered[1] != 'h' && lowered[1] != 'j';
  }

  std::string Compound(std::string_view first, std::string_view second) {
    Sounds s2;
    ENTENTE_CHECK(Tokenize(second, &s2));
    const uint8_t head = s2.id[0];
    // Assimilation doubles the sun letter: Abd-er-Rahman, Nour-ed-Dine. Not for digraphs.
    const bool sun = kSounds[head].sun && kSounds[head].symbol.size() == 1;
    const std::string r1 = Word(first);
    const std::string r2 = CapitalizeFirst(Spell(s2));
    const std::string lower2 = LowercaseLatin(r2);
    const bool en = c_ == Convention::kEnglish;
    const std::string link = en ? "u" : "e";
    const std::string article = en ? "al" : "el";
    const std::string joint = sun ? link + lower2.substr(0, 1) : link + "l";
    const bool abd = first == "3abd";
    // Abdallah, Abdellah, Abdullah: the name of God is not written apart.
    if (abd && second == "lah") return r1 + joint + lower2;
    switch (spelling_.compound) {
      case CompoundStyle::kPacked:
        return r1 + joint + lower2;
      case CompoundStyle::kSplit:
        if (abd) return r1 + link + "l " + r2;
        if (sun) return r1 + " " + CapitalizeFirst(joint + lower2);
        return r1 + " " + CapitalizeFirst(article) + " " + r2;
      case CompoundStyle::kHyphenated:
        if (abd) return r1 + link + "l-" + r2;
        if (sun) return r1 + "-" + CapitalizeFirst(joint + lower2);
        return r1 + " " + article + "-" + r2;
      case CompoundStyle::kArticle:
        return r1 + " " + (en || !sun ? article : joint) + "-" + r2;
    }
    return r1 + joint + lower2;
  }

  Convention c_;
  Spelling spelling_;
  Rng* rng_;
};

void AppendArabicWord(std::string& out, std::string_view word) {
  Sounds s;
  ENTENTE_CHECK(Tokenize(word, &s));
  for (size_t k = 0; k < s.size; ++k) {
    const uint8_t id = s.id[k];
    const uint8_t prev = k > 0 ? s.id[k - 1] : kNone;
    const uint8_t next = k + 1 < s.size ? s.id[k + 1] : kNone;
    const SoundSpec& spec = kSounds[id];
    switch (spec.kind) {
      case Kind::kShortVowel:
        if (k == 0) AppendUtf8(out, 0x0627);  // alif carries a word-initial vowel
        break;
      case Kind::kLongVowel:
        if (k == 0 && id != kLongA) AppendUtf8(out, 0x0627);
        AppendUtf8(out, spec.arabic);
        break;
      case Kind::kTaMarbuta:
        AppendUtf8(out, spec.arabic);
        break;
      case Kind::kConsonant:
        if (id == prev) break;  // shadda is not written
        if (id == kHamza) {
          if (k == 0) {
            AppendUtf8(out, 0x0627);
          } else if (next == kI || next == kLongI || prev == kI || prev == kLongI) {
            AppendUtf8(out, 0x0626);  // ئ
          } else if (next == kU || next == kLongU) {
            AppendUtf8(out, 0x0624);  // ؤ
          } else {
            AppendUtf8(out, 0x0621);  // ء
          }
          break;
        }
        AppendUtf8(out, spec.arabic);
        break;
    }
  }
}

void AppendArabicParts(std::string& out, const Parts& parts, size_t from) {
  const size_t n = parts.size - from;
  const std::string_view first = parts.part[from];
  if (n == 1) {
    AppendArabicWord(out, first);
    return;
  }
  if (first == "al") {
    out += "\u0627\u0644";  // ال, written together with its word
    AppendArabicParts(out, parts, from + 1);
    return;
  }
  if (n >= 3 && parts.part[from + 1] == "al" && !IsParticle(first)) {
    AppendArabicWord(out, first);
    out += " \u0627\u0644";
    AppendArabicWord(out, parts.part[from + 2]);
    if (n > 3) {
      out += ' ';
      AppendArabicParts(out, parts, from + 3);
    }
    return;
  }
  AppendArabicWord(out, first);
  if (first != "bU") out += ' ';  // Bou is written with its word: بوزيد
  AppendArabicParts(out, parts, from + 1);
}

}  // namespace

std::string_view ConventionName(Convention convention) {
  switch (convention) {
    case Convention::kFrench:
      return "french";
    case Convention::kDutch:
      return "dutch";
    case Convention::kSpanish:
      return "spanish";
    case Convention::kEnglish:
      return "english";
  }
  return "french";
}

bool IsValidPhonemic(std::string_view phonemic) {
  Parts parts;
  if (!SplitParts(phonemic, &parts)) return false;
  Sounds s;
  for (size_t i = 0; i < parts.size; ++i) {
    if (!Tokenize(parts.part[i], &s)) return false;
  }
  // A particle or the article needs a word after it.
  return !IsParticle(parts.part[parts.size - 1]);
}

std::string Romanize(std::string_view phonemic, Convention convention, const Spelling& spelling,
                     Rng* variation) {
  Parts parts;
  ENTENTE_CHECK(SplitParts(phonemic, &parts));
  LatinRenderer renderer(convention, spelling, variation);
  return renderer.RenderParts(parts, 0);
}

std::string ToArabicScript(std::string_view phonemic) {
  Parts parts;
  ENTENTE_CHECK(SplitParts(phonemic, &parts));
  std::string out;
  out.reserve(phonemic.size() * 2);
  AppendArabicParts(out, parts, 0);
  return out;
}

}  // namespace entente::synth
