#include "text/phonetic.h"

#include <algorithm>

namespace entente::text {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

char At(std::string_view s, size_t i) { return i < s.size() ? s[i] : '\0'; }

bool Next(std::string_view s, size_t i, std::string_view what) {
  return s.substr(i, what.size()) == what;
}

}  // namespace

std::string PhoneticKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  // A vowel (or h) between two equal consonants keeps them apart ("mohamed" has two m's).
  bool vowel_since_emit = false;
  auto emit = [&](char k) {
    if (vowel_since_emit || out.empty() || out.back() != k) out += k;
    vowel_since_emit = false;
  };
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const char n = At(s, i + 1);
    const bool soft = n == 'e' || n == 'i' || n == 'y';
    if (Next(s, i, "tsch")) {
      emit('X');
      i += 4;
    } else if (Next(s, i, "sch") || Next(s, i, "dzj") || Next(s, i, "tch")) {
      emit('X');
      i += 3;
    } else if ((c == 'c' && n == 'h' && (At(s, i + 2) == 'r' || At(s, i + 2) == 'l')) ||
               (c == 'g' && n == 'u' && (At(s, i + 2) == 'e' || At(s, i + 2) == 'i')) ||
               Next(s, i, "gh") || Next(s, i, "ck")) {
      // A Greek ch is a k ("christa", "chloe"); the u of "guelmim" only keeps the g hard.
      emit('K');
      i += 2;
    } else if (Next(s, i, "kh") || Next(s, i, "ch") || Next(s, i, "sh") || Next(s, i, "sj") ||
               Next(s, i, "dj")) {
      emit('X');
      i += 2;
    } else if (c == 'j' && i > 0 && s[i - 1] == 'i') {  // NOLINT(bugprone-branch-clone)
      // Dutch ij is a vowel; tested before j is taken as a consonant.
      vowel_since_emit = true;
      ++i;
    } else if (c == 'j' || (c == 'g' && soft)) {
      emit('X');
      ++i;
    } else if (c == 'x') {
      emit('K');
      emit('S');
      ++i;
    } else if (c == 'k' || c == 'q' || c == 'g' || (c == 'c' && !soft)) {
      emit('K');
      ++i;
    } else if (Next(s, i, "ts") || Next(s, i, "tz")) {
      emit('S');
      i += 2;
    } else if (c == 's' || c == 'z' || c == 'c') {
      emit('S');
      ++i;
    } else if (Next(s, i, "th") || Next(s, i, "dh")) {
      emit('T');
      i += 2;
    } else if (c == 't' || c == 'd') {
      emit('T');
      ++i;
    } else if (c == 'p' && n == 'h') {
      emit('F');
      i += 2;
    } else if (c == 'b' || c == 'p') {
      emit('B');
      ++i;
    } else if (c == 'f' || c == 'v') {
      emit('F');
      ++i;
    } else if (c == 'l' || c == 'm' || c == 'n' || c == 'r') {
      emit(static_cast<char>(c - 'a' + 'A'));
      ++i;
    } else if (i == 0 && (c == 'y' || c == 'w' || (c == 'i' && IsVowel(n))) && IsVowel(n)) {
      // An initial glide is a consonant: Younes is not Anas; French "Iouri", "Iakoub" too.
      emit(c == 'w' ? 'W' : 'Y');
      ++i;
    } else if (i == 0 && c == 'o' && n == 'u' && IsVowel(At(s, i + 2))) {
      emit('W');  // French "Oualid" is "Walid"
      i += 2;
    } else if ((c == 'w' || (c == 'o' && n == 'u')) && i > 0 && IsVowel(s[i - 1]) &&
               IsVowel(At(s, i + (c == 'w' ? 1 : 2)))) {
      emit('W');  // between vowels too: Hamdaoui is not Hamdi
      i += c == 'w' ? 1 : 2;
    } else if (IsVowel(c) || c == 'y' || c == 'w' || c == 'h') {
      // Vowels and the glides w and y elsewhere (written ou, oe, u, i, ie... by one
      // convention or another, and often absent from Arabic script) are dropped; h too.
      vowel_since_emit = true;
      ++i;
    } else {
      emit(c);  // digits
      ++i;
    }
  }
  return out;
}

std::vector<std::string> PhoneticKeys(std::string_view token) {
  std::vector<std::string> keys;
  auto add = [&keys](const std::string& spelling) {
    std::string key = PhoneticKey(spelling);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  };
  add(std::string(token));
  // j is read three ways: the consonant of French "Jamal" (Spanish writes it y: "Yamal"), the
  // y of Dutch "Joesoef" and "Boutajjeb", and the h or kh of Spanish "Jamri" (Hamri), "Jalid".
  if (token.find('j') != std::string_view::npos ||
      (token.size() > 1 && token[0] == 'y' && IsVowel(token[1]))) {
    std::string as_y(token), as_h(token);
    for (char& c : as_y) {
      if (c == 'j') c = 'y';
    }
    if (token[0] == 'y') as_y[0] = 'j';  // Spanish "Yamal"
    add(as_y);
    if (token[0] == 'j') {
      as_h[0] = 'h';
      add(as_h);
    }
  }
  return keys;
}

std::string SpellingKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  auto put = [&out](std::string_view x) {
    for (char c : x) {
      if (out.empty() || out.back() != c) out += c;
    }
  };
  while (i < s.size()) {
    const char c = s[i];
    const char n = At(s, i + 1);
    if (Next(s, i, "sch")) {
      put("sh");
      i += 3;
    } else if (Next(s, i, "dzj")) {
      put("j");
      i += 3;
    } else if (Next(s, i, "ou") || Next(s, i, "oe") || Next(s, i, "oo")) {
      put("u");
      i += 2;
    } else if (Next(s, i, "ch") || Next(s, i, "sj")) {
      put("sh");
      i += 2;
    } else if (Next(s, i, "dj")) {
      put("j");
      i += 2;
    } else if (Next(s, i, "ph")) {
      put("f");
      i += 2;
    } else if (Next(s, i, "ck")) {
      put("k");
      i += 2;
    } else if (Next(s, i, "ee") || Next(s, i, "ie")) {
      put("i");
      i += 2;
    } else if (c == 'q') {
      put("k");
      ++i;
    } else if (c == 'c') {
      put(n == 'e' || n == 'i' ? "s" : "k");
      ++i;
    } else if (c == 'y' && i > 0 && !IsVowel(n) && !IsVowel(s[i - 1])) {
      put("i");
      ++i;
    } else if (c == 'w') {
      put("w");
      ++i;
    } else {
      put(std::string_view(&s[i], 1));
      ++i;
    }
  }
  return out;
}

bool HoldsGlide(std::string_view s) {
  return s.find_first_of("jy") != std::string_view::npos || s.find("kh") != std::string_view::npos;
}

size_t GlideReading(std::string_view s, std::span<char> out) {
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < out.size(); ++i) {
    char c = s[i];
    if (c == 'k' && i + 1 < s.size() && s[i + 1] == 'h') {
      c = 'j';
      ++i;
    } else if (c == 'y') {
      c = 'j';
    }
    if (n > 0 && out[n - 1] == c) continue;
    out[n++] = c;
  }
  return n;
}

}  // namespace entente::text
