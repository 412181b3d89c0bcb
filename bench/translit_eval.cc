// Latin <-> Arabic-script name matching on tests/data/public/translit/wd_arabic.tsv (64,973
// Wikidata name tokens beside their Arabic spelling). Prints how often the two spellings of a
// token share a phonetic key, and how often a random other pair does (the false-agreement
// rate), overall and weighted by the count column.
// Usage: translit_eval [PATH]

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/random.h"
#include "text/fold.h"
#include "text/name_tokens.h"
#include "text/phonetic.h"

namespace {

struct Pair {
  std::string latin;
  std::string arabic;
  long count = 1;
};

bool ShareKey(const std::string& a, const std::string& b) {
  using entente::text::PhoneticKeys;
  using entente::text::StripParticle;
  std::vector<std::string> ka = PhoneticKeys(a), kb = PhoneticKeys(b);
  for (const std::string& s : {StripParticle(a)}) {
    if (!s.empty()) {
      for (auto& k : PhoneticKeys(s)) ka.push_back(k);
    }
  }
  for (const std::string& s : {StripParticle(b)}) {
    if (!s.empty()) {
      for (auto& k : PhoneticKeys(s)) kb.push_back(k);
    }
  }
  for (const auto& x : ka) {
    for (const auto& y : kb) {
      if (x == y && !x.empty()) return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : ENTENTE_PUBLIC_DATA_DIR "/translit/wd_arabic.tsv";
  std::ifstream in(path);
  if (!in) {
    std::cerr << "translit_eval: cannot open " << path << "\n";
    return 1;
  }
  std::vector<Pair> pairs;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    Pair p;
    std::string arabic_spaced, count;
    if (!std::getline(cells, p.latin, '\t') || !std::getline(cells, arabic_spaced, '\t')) continue;
    std::getline(cells, count, '\t');
    for (char c : arabic_spaced) {
      if (c != ' ') p.arabic += c;
    }
    p.count = count.empty() ? 1 : std::stol(count);
    pairs.push_back(std::move(p));
  }
  long agree = 0, weighted_agree = 0, weight = 0, false_agree = 0;
  entente::Rng rng(42);
  std::vector<std::string> latin_folded, arabic_folded;
  for (const auto& p : pairs) {
    latin_folded.push_back(entente::text::FoldName(p.latin));
    arabic_folded.push_back(entente::text::FoldName(p.arabic));
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    const bool same = ShareKey(latin_folded[i], arabic_folded[i]);
    agree += same;
    weighted_agree += same ? pairs[i].count : 0;
    weight += pairs[i].count;
    const size_t j = rng.Below(pairs.size());
    if (pairs[j].latin != pairs[i].latin)
      false_agree += ShareKey(latin_folded[i], arabic_folded[j]);
  }
  std::printf("translit: %zu Latin/Arabic token pairs from %s\n", pairs.size(), path.c_str());
  std::printf(
      "translit: phonetic key shared by the two spellings: %.2f%% of pairs, %.2f%% weighted by "
      "count\n",
      100.0 * static_cast<double>(agree) / static_cast<double>(pairs.size()),
      100.0 * static_cast<double>(weighted_agree) / static_cast<double>(weight));
  std::printf("translit: phonetic key shared by random non-pairs: %.2f%%\n",
              100.0 * static_cast<double>(false_agree) / static_cast<double>(pairs.size()));
  return 0;
}
