#include "match/evaluation.h"

namespace entente::match {
namespace {

bool IsUpperLatin(unsigned char c) { return (c >= 'A' && c <= 'Z'); }

// score.py: ^[A-Z\u00c0-\u00de' -]{3,} [A-Z][a-z], or a comma anywhere.
bool SurnameFirst(std::string_view name) {
  if (name.find(',') != std::string_view::npos) return true;
  size_t i = 0, run = 0;
  while (i < name.size()) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (IsUpperLatin(c) || c == '\'' || c == ' ' || c == '-') {
      ++run;
      ++i;
    } else if (c == 0xC3 && i + 1 < name.size() &&
               static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(name[i + 1]) <= 0x9E) {
      ++run;  // U+00C0..U+00DE
      i += 2;
    } else {
      break;
    }
    // The regex backtracks: any split point where " [A-Z][a-z]" follows a run of 3+ works.
    if (run >= 4 && name[i - 1] == ' ' && i + 1 < name.size() &&
        IsUpperLatin(static_cast<unsigned char>(name[i])) && name[i + 1] >= 'a' &&
        name[i + 1] <= 'z') {
      return true;
    }
  }
  return false;
}

}  // namespace

double Prf::precision() const {
  return predicted == 0 ? 0.0
                        : static_cast<double>(true_positives) / static_cast<double>(predicted);
}
double Prf::recall() const {
  return truth == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(truth);
}
double Prf::f1() const {
  const double p = precision(), r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

std::string_view SliceName(Slice slice) {
  switch (slice) {
    case Slice::kAll:
      return "all";
    case Slice::kArabicScript:
      return "arabic-script";
    case Slice::kNoBirthDate:
      return "no-birthdate";
    case Slice::kPartialDate:
      return "partial-date";
    case Slice::kSurnameFirst:
      return "surname-first";
  }
  return "";
}

std::array<bool, kSliceCount> SlicesOf(const model::Entity& query) {
  std::array<bool, kSliceCount> out{};
  out[static_cast<size_t>(Slice::kAll)] = true;
  const std::string_view name = query.First("name");
  const std::string_view birth = query.First("birthDate");
  for (size_t i = 0; i + 1 < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == 0xD8 || c == 0xD9 || c == 0xDA || c == 0xDB) {  // U+0600..U+06FF
      out[static_cast<size_t>(Slice::kArabicScript)] = true;
      break;
    }
  }
  out[static_cast<size_t>(Slice::kNoBirthDate)] = birth.empty();
  out[static_cast<size_t>(Slice::kPartialDate)] = !birth.empty() && birth.size() < 10;
  out[static_cast<size_t>(Slice::kSurnameFirst)] = SurnameFirst(name);
  return out;
}

void PairSet::Add(std::string_view query_id, std::string_view match_id) {
  std::string key(query_id);
  key += '\x1f';
  key += match_id;
  pairs_.insert(std::move(key));
}

bool PairSet::Contains(std::string_view query_id, std::string_view match_id) const {
  std::string key(query_id);
  key += '\x1f';
  key += match_id;
  return pairs_.count(key) > 0;
}

std::array<Prf, kSliceCount> Evaluate(
    const PairSet& truth, const PairSet& predicted,
    const std::unordered_map<std::string, std::array<bool, kSliceCount>>& slices) {
  std::array<Prf, kSliceCount> out{};
  auto slices_of = [&](std::string_view query) {
    std::array<bool, kSliceCount> s{};
    s[0] = true;
    auto it = slices.find(std::string(query));
    if (it != slices.end()) s = it->second;
    return s;
  };
  truth.ForEach([&](std::string_view q, std::string_view) {
    const auto s = slices_of(q);
    for (int i = 0; i < kSliceCount; ++i)
      out[static_cast<size_t>(i)].truth += s[static_cast<size_t>(i)];
  });
  predicted.ForEach([&](std::string_view q, std::string_view m) {
    const auto s = slices_of(q);
    const bool hit = truth.Contains(q, m);
    for (int i = 0; i < kSliceCount; ++i) {
      if (!s[static_cast<size_t>(i)]) continue;
      ++out[static_cast<size_t>(i)].predicted;
      out[static_cast<size_t>(i)].true_positives += hit;
    }
  });
  return out;
}

namespace {

// Union-find over record positions, with path halving.
class Components {
 public:
  explicit Components(size_t n) : parent_(n) {
    for (size_t i = 0; i < n; ++i) parent_[i] = i;
  }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Join(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

// The component of every id, as the index of its root.
std::vector<size_t> ClusterOf(const PairSet& pairs,
                              const std::unordered_map<std::string_view, size_t>& position) {
  Components components(position.size());
  pairs.ForEach([&](std::string_view a, std::string_view b) {
    const auto x = position.find(a);
    const auto y = position.find(b);
    if (x != position.end() && y != position.end()) components.Join(x->second, y->second);
  });
  std::vector<size_t> out(position.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = components.Find(i);
  return out;
}

}  // namespace

ClusterScores EvaluateClusters(const PairSet& truth, const PairSet& predicted,
                               const std::vector<std::string>& ids) {
  std::unordered_map<std::string_view, size_t> position;
  for (const std::string& id : ids) position.emplace(id, position.size());
  const std::vector<size_t> true_of = ClusterOf(truth, position);
  const std::vector<size_t> predicted_of = ClusterOf(predicted, position);
  const size_t n = position.size();
  // Sizes of true clusters, predicted clusters and their intersections.
  std::unordered_map<size_t, int64_t> true_size;
  std::unordered_map<size_t, int64_t> predicted_size;
  std::unordered_map<uint64_t, int64_t> both_size;
  for (size_t i = 0; i < n; ++i) {
    ++true_size[true_of[i]];
    ++predicted_size[predicted_of[i]];
    ++both_size[static_cast<uint64_t>(true_of[i]) * n + predicted_of[i]];
  }
  ClusterScores scores;
  scores.true_clusters = static_cast<int64_t>(true_size.size());
  scores.predicted_clusters = static_cast<int64_t>(predicted_size.size());
  auto pairs_in = [](int64_t k) { return k * (k - 1) / 2; };
  for (const auto& [root, size] : true_size) scores.pairs.truth += pairs_in(size);
  for (const auto& [root, size] : predicted_size) scores.pairs.predicted += pairs_in(size);
  for (const auto& [key, size] : both_size) {
    scores.pairs.true_positives += pairs_in(size);
    const size_t t = key / n;
    const size_t p = key % n;
    if (size == true_size[t] && size == predicted_size[p]) ++scores.exact;
  }
  return scores;
}

}  // namespace entente::match
