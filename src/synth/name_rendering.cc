#include "synth/name_rendering.h"

#include <array>

#include "synth/latin_text.h"

namespace entente::synth {
namespace {

constexpr size_t kBE = 0;
constexpr size_t kFR = 1;
constexpr size_t kES = 2;
constexpr size_t kMA = 3;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

ParticleStyle PickParticleStyle(std::string_view surname, size_t partner, Convention c, Rng& rng) {
  constexpr std::array<ParticleStyle, 4> kStyles = {
      ParticleStyle::kDetached, ParticleStyle::kAttached, ParticleStyle::kHyphenated,
      ParticleStyle::kDropped};
  if (surname.starts_with("bU+")) {
    return rng.Chance(0.9) ? ParticleStyle::kAttached : ParticleStyle::kDetached;
  }
  if (c == Convention::kEnglish) return kStyles[PickWeighted(rng, std::array{0.4, 0.0, 0.5, 0.1})];
  switch (partner) {
    case kES:  // Spanish records often drop the article: Mohamed Amrani
      return kStyles[PickWeighted(rng, std::array{0.3, 0.15, 0.05, 0.5})];
    case kMA:
      return kStyles[PickWeighted(rng, std::array{0.6, 0.3, 0.0, 0.1})];
    case kFR:
      return kStyles[PickWeighted(rng, std::array{0.6, 0.2, 0.1, 0.1})];
    default:
      return kStyles[PickWeighted(rng, std::array{0.55, 0.25, 0.1, 0.1})];
  }
}

CompoundStyle PickCompoundStyle(Convention c, Rng& rng) {
  constexpr std::array<CompoundStyle, 4> kStyles = {CompoundStyle::kPacked, CompoundStyle::kSplit,
                                                    CompoundStyle::kHyphenated,
                                                    CompoundStyle::kArticle};
  if (c == Convention::kEnglish) return kStyles[PickWeighted(rng, std::array{0.3, 0.3, 0.0, 0.4})];
  return kStyles[PickWeighted(rng, std::array{0.6, 0.25, 0.1, 0.05})];
}

bool IsParticleStored(std::string_view stored) {
  return stored.find('+') != std::string_view::npos || stored.find('~') != std::string_view::npos;
}

std::string LatinSurname(std::string_view stored, Rng& rng) {
  if (!IsParticleStored(stored)) return std::string(stored);
  const bool attached_usually = stored.find('~') != std::string_view::npos;
  const double u = rng.Uniform();
  ParticleStyle style;
  if (u < 0.03) {
    style = ParticleStyle::kDropped;
  } else if (u < 0.13) {
    style = ParticleStyle::kHyphenated;
  } else if (u < 0.33) {
    style = attached_usually ? ParticleStyle::kDetached : ParticleStyle::kAttached;
  } else {
    style = attached_usually ? ParticleStyle::kAttached : ParticleStyle::kDetached;
  }
  return RenderParticleSurname(stored, style);
}

// Whether the partner's administration writes in the language of `origin` (then diacritics
// are usually kept).
bool SameLanguage(Origin origin, size_t partner) {
  switch (origin) {
    case Origin::kFrench:
    case Origin::kWalloon:
      return partner == kFR || partner == kBE;
    case Origin::kFlemish:
    case Origin::kDutch:
      return partner == kBE;
    case Origin::kSpanish:
      return partner == kES;
    default:
      return false;
  }
}

struct LatinParts {
  std::string given;
  std::string surname;
};

LatinParts RenderLatinParts(const PersonName& name, size_t partner, Convention c, Rng& rng) {
  LatinParts out;
  if (IsArabicOrigin(name.origin)) {
    Spelling spelling;
    spelling.particle = PickParticleStyle(name.surname, partner, c, rng);
    spelling.compound = PickCompoundStyle(c, rng);
    out.given = Romanize(name.given, c, spelling, &rng);
    if (!name.second_given.empty() && rng.Chance(0.75)) {
      out.given += " " + Romanize(name.second_given, c, spelling, &rng);
    }
    out.surname = Romanize(name.surname, c, spelling, &rng);
    return out;
  }
  switch (name.origin) {
    case Origin::kTurkish: {
      out.given = std::string(name.given);
      if (!name.second_given.empty() && rng.Chance(0.6))
        out.given += " " + std::string(name.second_given);
      out.surname = std::string(name.surname);
      const double strip = partner == kMA ? 0.8 : 0.45;
      if (rng.Chance(0.08)) {
        // The German route: ö -> oe, ü -> ue.
        for (std::string* s : {&out.given, &out.surname}) {
          std::string r;
          for (size_t i = 0; i < s->size(); ++i) {
            const std::string_view rest = std::string_view(*s).substr(i);
            if (rest.starts_with("\u00f6")) {
              r += "oe";
              ++i;
            } else if (rest.starts_with("\u00fc")) {
              r += "ue";
              ++i;
            } else if (rest.starts_with("\u00d6")) {
              r += "Oe";
              ++i;
            } else if (rest.starts_with("\u00dc")) {
              r += "Ue";
              ++i;
            } else
              r += (*s)[i];
          }
          *s = StripDiacritics(r);
        }
      } else if (rng.Chance(strip)) {
        out.given = StripDiacritics(out.given);
        out.surname = StripDiacritics(out.surname);
      }
      return out;
    }
    case Origin::kChechen: {
      out.given = ChechenVariant(name.given, c, &rng);
      std::string surname(name.surname);
      if (name.sex == Sex::kFemale) surname += 'a';  // Kadyrova, Musayeva
      out.surname = ChechenVariant(surname, c, &rng);
      return out;
    }
    default:
      break;
  }
  // Belgian, French, Spanish, Dutch.
  out.given = std::string(name.given);
  if (out.given.find('-') != std::string::npos && rng.Chance(0.2)) {
    for (char& ch : out.given) ch = ch == '-' ? ' ' : ch;  // Jean Pierre
  }
  out.surname = LatinSurname(name.surname, rng);
  if (!name.second_surname.empty()) {
    const double u = rng.Uniform();
    const std::string second = LatinSurname(name.second_surname, rng);
    if (partner == kES ? u < 0.85 : u < 0.45) {
      out.surname += " " + second;
    } else if (partner != kES && u < 0.55) {
      out.surname += "-" + second;
    }
  }
  const double strip = SameLanguage(name.origin, partner) ? 0.05 : 0.35;
  if (rng.Chance(strip)) {
    out.given = StripDiacritics(out.given);
    out.surname = StripDiacritics(out.surname);
  }
  return out;
}

std::string Upper(std::string_view text, bool strip) {
  return strip ? UppercaseLatin(StripDiacritics(text)) : UppercaseLatin(text);
}

std::string ArabicGiven(const PersonName& name) {
  std::string out = ToArabicScript(name.given);
  if (!name.second_given.empty()) out += " " + ToArabicScript(name.second_given);
  return out;
}

struct Route {
  std::string_view from;
  std::string_view to;
  bool word_start = false;  // only at the start of a word
};

// Rules of each route, longest patterns first; applied in one left-to-right pass.
constexpr Route kFrenchRoute[] = {{"dzh", "dj"}, {"zh", "j"},  {"kh", "kh"}, {"ch", "tch"},
                                  {"yu", "iou"}, {"ya", "ia"}, {"u", "ou"},  {"y", "i"}};
constexpr Route kGermanRoute[] = {{"dzh", "dsch"},  {"zh", "sch"}, {"kh", "ch"}, {"ch", "tsch"},
                                  {"z", "s", true}, {"v", "w"},    {"yu", "ju"}, {"ya", "ja"}};
constexpr Route kSpanishRoute[] = {{"dzh", "dj"}, {"kh", "j"}, {"zh", "y"}};
constexpr Route kEnglishRoute[] = {{"ayev", "aev"}, {"y", "i"}};

bool IsVowelChar(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

}  // namespace

Convention PickConvention(size_t partner, Rng& rng) {
  switch (partner) {
    case kBE: {
      constexpr std::array<Convention, 3> kConventions = {Convention::kFrench, Convention::kDutch,
                                                          Convention::kEnglish};
      return kConventions[PickWeighted(rng, std::array{0.6, 0.3, 0.1})];
    }
    case kFR:
      return rng.Chance(0.9) ? Convention::kFrench : Convention::kEnglish;
    case kES: {
      constexpr std::array<Convention, 3> kConventions = {
          Convention::kSpanish, Convention::kEnglish, Convention::kFrench};
      return kConventions[PickWeighted(rng, std::array{0.85, 0.1, 0.05})];
    }
    default:
      return Convention::kFrench;
  }
}

RenderedName RenderName(const PersonName& name, size_t partner, double typo_chance, Rng& rng) {
  RenderedName out;
  out.convention = PickConvention(partner, rng);
  LatinParts parts = RenderLatinParts(name, partner, out.convention, rng);
  if (rng.Chance(typo_chance)) {
    std::string& target = rng.Chance(0.5) ? parts.given : parts.surname;
    target = ApplyTypo(target, rng);
  }
  if (partner == kMA) {
    // Moroccan records: capitals, surname first, accents dropped; Arabic script for names of
    // Arabic origin, with the Latin form as an alias.
    const std::string latin = Upper(parts.surname + " " + parts.given, true);
    out.first_name = Upper(parts.given, true);
    out.last_name = Upper(parts.surname, true);
    if (IsArabicOrigin(name.origin)) {
      out.arabic_first = ArabicGiven(name);
      out.arabic_last = ToArabicScript(name.surname);
      out.name = out.arabic_first + " " + out.arabic_last;
      out.latin_alias = latin;
    } else {
      out.name = latin;
    }
    return out;
  }
  const double u = rng.Uniform();
  const std::string& g = parts.given;
  const std::string& s = parts.surname;
  const bool strip = partner == kFR && rng.Chance(0.5);
  std::string shown_given = g;
  std::string shown_surname = s;
  std::string full;
  if (partner == kFR) {
    if (u < 0.68) {
      shown_surname = Upper(s, strip);
      full = shown_surname + " " + g;
    } else if (u < 0.8) {
      full = s + ", " + g;
    } else if (u < 0.95) {
      full = g + " " + s;
    } else {
      shown_surname = Upper(s, strip);
      shown_given = Upper(g, strip);
      full = shown_surname + " " + shown_given;
    }
  } else if (partner == kES) {
    if (u < 0.8) {
      full = g + " " + s;
    } else if (u < 0.9) {
      full = s + ", " + g;
    } else {
      shown_given = Upper(g, false);
      shown_surname = Upper(s, false);
      full = shown_given + " " + shown_surname;
    }
  } else {
    if (u < 0.65) {
      full = g + " " + s;
    } else if (u < 0.8) {
      shown_surname = Upper(s, false);
      full = g + " " + shown_surname;
    } else if (u < 0.92) {
      full = s + ", " + g;
    } else {
      shown_surname = Upper(s, false);
      full = shown_surname + " " + g;
    }
  }
  out.name = std::move(full);
  out.first_name = std::move(shown_given);
  out.last_name = std::move(shown_surname);
  return out;
}

std::string RenderLatinName(const PersonName& name, Convention convention, Rng& rng) {
  const size_t partner = convention == Convention::kSpanish ? kES
                         : convention == Convention::kDutch ? kBE
                                                            : kFR;
  LatinParts parts = RenderLatinParts(name, partner, convention, rng);
  return parts.given + " " + parts.surname;
}

std::string RenderKunya(std::string_view child, const Nisba& nisba, Sex sex, Convention convention,
                        Rng& rng) {
  const bool en = convention == Convention::kEnglish;
  Spelling spelling;
  spelling.compound = en ? CompoundStyle::kSplit : CompoundStyle::kPacked;
  std::string kunya = std::string(sex == Sex::kMale ? "abU+" : "umm+") + std::string(child);
  std::string out = Romanize(kunya, convention, spelling, &rng);
  spelling.particle = en ? ParticleStyle::kHyphenated : ParticleStyle::kDetached;
  std::string tail =
      Romanize(sex == Sex::kMale ? nisba.masculine : nisba.feminine, convention, spelling, &rng);
  if (en && tail.starts_with("Al-")) tail[0] = 'a';  // Abu Musab al-Baljiki
  return out + " " + tail;
}

std::string ChechenVariant(std::string_view name, Convention convention, Rng* variation) {
  std::span<const Route> routes;
  double chance = 0.6;
  switch (convention) {
    case Convention::kFrench:
      routes = kFrenchRoute;
      break;
    case Convention::kDutch:
      routes = kGermanRoute;
      break;
    case Convention::kSpanish:
      routes = kSpanishRoute;
      break;
    case Convention::kEnglish:
      routes = kEnglishRoute;
      chance = 0.3;
      break;
  }
  // Whether this record follows the route at all; otherwise it keeps the English form.
  if (variation != nullptr && !variation->Chance(convention == Convention::kEnglish ? 1.0 : 0.6)) {
    return std::string(name);
  }
  const std::string lower = LowercaseLatin(name);
  std::string out;
  out.reserve(lower.size() + 4);
  for (size_t i = 0; i < lower.size();) {
    const bool word_start = i == 0 || lower[i - 1] == '-';
    bool matched = false;
    for (const Route& r : routes) {
      if (r.word_start && !word_start) continue;
      if (std::string_view(lower).substr(i).starts_with(r.from)) {
        if (variation == nullptr || variation->Chance(chance)) {
          out += r.to;
          i += r.from.size();
          matched = true;
        }
        break;
      }
    }
    if (matched) continue;
    // French doubles an s between vowels (Moussaiev).
    if (convention == Convention::kFrench && lower[i] == 's' && i > 0 && i + 1 < lower.size() &&
        IsVowelChar(lower[i - 1]) && IsVowelChar(lower[i + 1])) {
      out += "ss";
    } else {
      out += lower[i];
    }
    ++i;
  }
  return TitleCaseLatin(out);
}

std::string RenderParticleSurname(std::string_view stored, ParticleStyle style) {
  std::string out;
  const size_t last = stored.find_last_of("+~");
  if (last == std::string_view::npos) return std::string(stored);
  switch (style) {
    case ParticleStyle::kDropped:
      return std::string(stored.substr(last + 1));
    case ParticleStyle::kAttached: {
      for (char c : stored) {
        if (c != '+' && c != '~') out += c;
      }
      return CapitalizeFirst(LowercaseLatin(out));
    }
    case ParticleStyle::kHyphenated: {
      for (char c : stored) out += c == '+' || c == '~' ? ' ' : c;
      return TitleCaseLatin(out);
    }
    case ParticleStyle::kDetached:
      for (char c : stored) out += c == '+' || c == '~' ? ' ' : c;
      return out;
  }
  return out;
}

std::string ApplyTypo(std::string_view text, Rng& rng) {
  std::string out(text);
  // Positions of ASCII letters; an edit there keeps any multi-byte letter intact.
  std::array<size_t, 64> letters{};
  size_t count = 0;
  for (size_t i = 0; i < out.size() && count < letters.size(); ++i) {
    if (IsAsciiLetter(out[i])) letters[count++] = i;
  }
  if (count < 2) return out;
  // Not the first letter: people rarely get that wrong, and it keeps capitals in place.
  const size_t pick = letters[1 + rng.Below(count - 1)];
  const bool upper = out[pick] >= 'A' && out[pick] <= 'Z';
  switch (rng.Below(3)) {
    case 0: {
      char c = static_cast<char>('a' + rng.Below(26));
      if (upper) c = static_cast<char>(c - 'a' + 'A');
      if (c == out[pick])
        c = c == 'z' || c == 'Z' ? static_cast<char>(c - 1) : static_cast<char>(c + 1);
      out[pick] = c;
      break;
    }
    case 1:
      if (pick + 1 < out.size() && IsAsciiLetter(out[pick + 1]) && out[pick] != out[pick + 1]) {
        std::swap(out[pick], out[pick + 1]);
        break;
      }
      [[fallthrough]];
    default:
      if (count > 3) {
        out.erase(pick, 1);
      } else {
        out[pick] = out[pick] == 'e' ? 'a' : 'e';
      }
      break;
  }
  return out;
}

std::string NameSkeleton(const PersonName& name) {
  auto skeleton = [](std::string_view raw, std::string& out) {
    const std::string folded = StripDiacritics(raw);
    char last = 0;
    for (char c : folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c < 'a' || c > 'z' || IsVowelChar(c)) continue;
      if (c == last) continue;
      out += c;
      last = c;
    }
  };
  // Without the particles records may drop: the article (Amrani for El Amrani) and the
  // particles of Latin names (Smet for De Smet).
  std::string_view surname = name.surname;
  if (IsArabicOrigin(name.origin)) {
    if (surname.starts_with("al+")) surname.remove_prefix(3);
  } else if (const size_t last = surname.find_last_of("+~"); last != std::string_view::npos) {
    surname.remove_prefix(last + 1);
  }
  std::string out;
  skeleton(name.given, out);
  out += '|';
  skeleton(surname, out);
  return out;
}

}  // namespace entente::synth
