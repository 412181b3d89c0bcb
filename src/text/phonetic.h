#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace entente::text {

// Keys for a folded token (lowercase ASCII, see FoldName) that agree across the French, Dutch,
// Spanish and English ways of writing the same name, and with Arabic script once transliterated.

// The consonant skeleton in sound classes; vowels, h, and the glides w and y dropped except
// at the start of a token or (w, ou) between vowels; doubled letters merged:
//   kh ch sh sj sch tch j dj dzj g(e,i,y)    -> X      (kh/j/ch, ch/sh/sj, dj/j)
//   k q c(hard) ck g gh ch(r,l)              -> K      (q/k/c)
//   s z c(soft) ts tz -> S;  x -> KS;  t d th dh -> T;  b p -> B;  f ph v -> F;
//   l m n r -> themselves
//   initial y, w, ou -> Y, W, W;  w, ou between vowels -> W
// "Youssef", "Yusuf", "يوسف" -> "YSF" (Dutch "Joesoef" through PhoneticKeys); "Khattabi",
// "Jatabi", "الخطابي" -> "XTB"; "Mohamed", "Mohammed", "Muhammad", "محمد" -> "MMT";
// "Oualid", "Walid" -> "WLT"; "Hamdaoui" -> "MTW", not "Hamdi" -> "MT".
std::string PhoneticKey(std::string_view token);

// PhoneticKey and its variants for the ambiguous j: the consonant of "Jamal" (Spanish writes
// it y, "Yamal"), the y of Dutch "Joesoef" and "Boutajjeb", and, at the start, the h or kh of
// Spanish "Jamri" (Hamri). At most 3, without duplicates.
std::vector<std::string> PhoneticKeys(std::string_view token);

// The spelling with the conventions of each language mapped to one (ou/oe/oo -> u, sh/sj/sch/
// ch -> sh, dj/dzj -> j, ph -> f, q/ck/hard c -> k, ee/ie -> i, y between consonants -> i,
// doubled letters single), vowels kept: what Jaro-Winkler compares.
std::string SpellingKey(std::string_view token);

// Whether a spelling holds a letter that one orthography writes for another's sound: j, y or kh
// (GlideReading).
bool HoldsGlide(std::string_view spelling);

// A spelling (a SpellingKey: dj already j, doubled letters single) with j, y and kh read as one
// sound, doubled letters merged again: Dutch writes j for y ("Jahja", Yahya; "Joenas", Yunes),
// Spanish y for the j of French ("Yamal", Djamal; "Hayy", Hadj) and j for kh ("Jalid", Khalid).
// Writes at most `out.size()` letters and returns how many.
size_t GlideReading(std::string_view spelling, std::span<char> out);

}  // namespace entente::text
