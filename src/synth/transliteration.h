#pragma once

#include <string>
#include <string_view>

#include "common/random.h"

namespace entente::synth {

// Names of Arabic origin are stored in a phonemic ASCII notation and rendered, per
// administration convention, into Latin letters or into Arabic script.
//
// The notation, one symbol per sound:
//   consonants  b t th j H(ḥ) x(kh) d dh r z s sh S(ṣ) D(ḍ) T(ṭ) Z(ẓ) 3(ʿayn) gh f q k l m n h
//               w y '(hamza); a doubled consonant is a shadda ("muHammed")
//   vowels      a i u short, A I U long, Y final alif maqsura ("muSTafY"), e the reduced
//               Maghrebi vowel ("aHmed", "yUsef"), @ ta marbuta ("fATima@")
//   '+'         joins the parts of one name: article and particles ("al+3amrAnI", "bin+3alI",
//               "bU+zId", "ayt+3alI") and compound given names ("3abd+al+qAder", "nUr+al+dIn").
// Particles: al, bin, bint, ibn, abU, umm, bU, ayt, wuld.

// The spelling habits of an administration when it writes an Arabic name in Latin letters.
enum class Convention {
  kFrench,   // Mohammed, Youssef, Khaled, Aicha, Abdelkader, El Amrani, Djamel, Othmane
  kDutch,    // Mohammed, Joesef, Chaled, Aisja, Abdelkader, El Amrani
  kSpanish,  // Mohammed, Yusef, Jaled, Aicha, Abdelkader, Amrani
  kEnglish,  // Muhammed, Yusef, Khaled, Aisha, Abdulqadir, Al-Amrani
};
std::string_view ConventionName(Convention convention);

// How a particle (el, ben, bou, abou, ait, ould) is joined to the word it precedes.
enum class ParticleStyle {
  kDetached,    // El Amrani, Ben Ali
  kAttached,    // Elamrani, Benali
  kHyphenated,  // El-Amrani, Ben-Ali
  kDropped,     // Amrani (only the article; other particles are then detached)
};

// How a compound given name built on the article is written.
enum class CompoundStyle {
  kPacked,      // Abdelkader, Noureddine, Abderrahmane
  kSplit,       // Abdel Kader, Nour Eddine
  kHyphenated,  // Abdel-Kader, Nour-Eddine
  kArticle,     // Abd el-Kader, Abd al-Qadir, Nour ed-Dine
};

struct Spelling {
  ParticleStyle particle = ParticleStyle::kDetached;
  CompoundStyle compound = CompoundStyle::kPacked;
};

// Whether `phonemic` is well-formed in the notation above (known symbols, no empty part).
bool IsValidPhonemic(std::string_view phonemic);

// Renders a phonemic name in Latin letters, each word capitalised. With `variation` null the
// result is the convention's canonical spelling (first spelling of each sound, shadda written
// as a doubled letter, no assimilation of the article); otherwise sounds take the convention's
// other spellings now and then (Mohamed/Mohammed, Jamal/Djamel, Khaled/Khalid, Aïcha,
// Ettazi), drawing from `variation`. `phonemic` must satisfy IsValidPhonemic.
std::string Romanize(std::string_view phonemic, Convention convention, const Spelling& spelling,
                     Rng* variation);

// Renders a phonemic name in Arabic script: the letters ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف
// ق ك ل م ن ه و ي ة ء (with ى ئ ؤ), the article ال attached, long vowels as letters, short
// vowels and shadda omitted, a word-initial vowel carried by alif. Deterministic.
std::string ToArabicScript(std::string_view phonemic);

}  // namespace entente::synth
