#include "match/fs_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "match/identity.h"

namespace entente::match {
namespace {

constexpr double kFloor = 1e-12;

std::string Format(const char* format, double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

void SetLevels(FsModel& model, Field f, std::initializer_list<double> m,
               std::initializer_list<double> u) {
  auto& mm = model.m[static_cast<size_t>(f)];
  auto& uu = model.u[static_cast<size_t>(f)];
  size_t i = 1;
  for (double v : m) mm[i++] = v;
  i = 1;
  for (double v : u) uu[i++] = v;
}

}  // namespace

double FsModel::LevelWeight(Field f, int level) const {
  if (level <= 0) return 0;
  const auto fi = static_cast<size_t>(f);
  const auto li = static_cast<size_t>(level);
  return std::log2(std::max(m[fi][li], kFloor) / std::max(u[fi][li], kFloor));
}

double PriorLog2Odds(double rate, double listed) {
  const double r = std::clamp(rate, kFloor, kMaxQueryMatchRate);
  return std::log2(std::max(r / std::max(1.0, listed), kFloor)) - std::log2(1 - r);
}

double FsModel::PriorBits() const { return PriorLog2Odds(query_match_rate, listed_records); }

double FsModel::MatchWeight(const Comparison& c) const {
  double w = PriorBits();
  for (int f = 0; f < kFieldCount; ++f)
    w += LevelWeight(static_cast<Field>(f), c.levels[static_cast<size_t>(f)]);
  const int name_level = c.level(Field::kName);
  if (name_level >= 1 && name_level <= frequency_max_name_level) {
    w += std::clamp(c.name_frequency_bits, frequency_min_bits, frequency_max_bits);
  }
  if (c.level(Field::kWeakAlias) == 1) {
    w += std::clamp(c.weak_frequency_bits, frequency_min_bits, frequency_max_bits);
  }
  return w - c.competition_bits;
}

double FsModel::MatchProbability(const Comparison& c) const {
  return 1.0 / (1.0 + std::exp2(-MatchWeight(c)));
}

std::string FsModel::Explain(const Comparison& c) const {
  std::string out;
  for (int f = 0; f < kFieldCount; ++f) {
    const auto field = static_cast<Field>(f);
    const int level = c.levels[static_cast<size_t>(f)];
    if (!out.empty()) out += ' ';
    out += FieldName(field);
    out += '=';
    out += LevelName(field, level);
    if (field == Field::kName) out += Format("(%.3f)", c.name_similarity);
    if (level > 0) out += Format("%+.1f", LevelWeight(field, level));
    if ((field == Field::kBirthDate && (c.from_number & Identity::kBirthFromNumber) != 0) ||
        (field == Field::kGender && (c.from_number & Identity::kGenderFromNumber) != 0)) {
      out += " (read from an identity number)";
    }
    if (field == Field::kName && level >= 1 && level <= frequency_max_name_level &&
        c.name_frequency_bits != 0) {
      out += Format(" frequency%+.1f",
                    std::clamp(c.name_frequency_bits, frequency_min_bits, frequency_max_bits));
    }
    if (field == Field::kWeakAlias && level == 1 && c.weak_frequency_bits != 0) {
      out += Format(" frequency%+.1f",
                    std::clamp(c.weak_frequency_bits, frequency_min_bits, frequency_max_bits));
    }
  }
  if (c.competition_bits != 0) out += Format(" others%+.1f", -c.competition_bits);
  out += Format(" prior%+.1f", PriorBits());
  out += Format(" => %.4f", MatchProbability(c));
  return out;
}

std::string FsModel::ToJson() const {
  nlohmann::json j;
  j["query_match_rate"] = query_match_rate;
  j["frequency"] = {{"max_name_level", frequency_max_name_level},
                    {"min_bits", frequency_min_bits},
                    {"max_bits", frequency_max_bits}};
  for (int f = 0; f < kFieldCount; ++f) {
    const auto field = static_cast<Field>(f);
    nlohmann::json levels = nlohmann::json::object();
    for (int l = 1; l < LevelCount(field); ++l) {
      levels[std::string(LevelName(field, l))] = {
          {"m", m[static_cast<size_t>(f)][static_cast<size_t>(l)]},
          {"u", u[static_cast<size_t>(f)][static_cast<size_t>(l)]}};
    }
    j["fields"][std::string(FieldName(field))] = levels;
  }
  return j.dump(2);
}

namespace {
// Fields and levels are added as matching learns to read more: a model written before them
// lacks them, and is refitted rather than guessed at.
constexpr char kOlderModel[] =
    " (a model written by an older version of entente: fit it again with `entente train`)";
}  // namespace

Result<FsModel> FsModel::FromJson(std::string_view text) {
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, "model"));
  FsModel model;
  try {
    model.query_match_rate = j.at("query_match_rate").get<double>();
    if (!(model.query_match_rate > 0 && model.query_match_rate <= 1)) {
      return InvalidArgument("model: query_match_rate: expected a share in (0, 1]");
    }
    if (j.contains("frequency")) {
      const auto& f = j["frequency"];
      model.frequency_max_name_level = f.value("max_name_level", model.frequency_max_name_level);
      model.frequency_min_bits = f.value("min_bits", model.frequency_min_bits);
      model.frequency_max_bits = f.value("max_bits", model.frequency_max_bits);
    }
    for (int f = 0; f < kFieldCount; ++f) {
      const auto field = static_cast<Field>(f);
      const std::string field_name(FieldName(field));
      if (!j.at("fields").contains(field_name)) {
        return InvalidArgument("model: fields." + field_name + ": missing" + kOlderModel);
      }
      const auto& levels = j["fields"][field_name];
      for (int l = 1; l < LevelCount(field); ++l) {
        const std::string level_name(LevelName(field, l));
        std::string where = "model: fields.";
        where += field_name;
        where += '.';
        where += level_name;
        if (!levels.contains(level_name)) return InvalidArgument(where + ": missing" + kOlderModel);
        const double mv = levels[level_name].at("m").get<double>();
        const double uv = levels[level_name].at("u").get<double>();
        if (!(mv >= 0 && mv <= 1 && uv >= 0 && uv <= 1)) {
          return InvalidArgument(where + ": m and u must be probabilities");
        }
        model.m[static_cast<size_t>(f)][static_cast<size_t>(l)] = mv;
        model.u[static_cast<size_t>(f)][static_cast<size_t>(l)] = uv;
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("model: ") + e.what());
  }
  return model;
}

FsModel DefaultModel() {
  // m: how often one person's two records fall into each level. Set from what is known of
  // partner records (transliteration, typos, partial and placeholder dates, several documents
  // per person), checked against the level distribution of the true pairs of a synthetic
  // training population (seed 99, never a test seed) and kept away from 0 and 1, because real
  // records are messier than any generator. u: for two different people; overwritten by
  // EstimateU on the watchlist at hand, the exact-name u by the index's name frequencies.
  FsModel model;
  // One query in ten is of a listed person; the rest are checks of people not listed.
  model.query_match_rate = 0.1;
  //                       exact very_close close similar weak different
  SetLevels(model, Field::kName, {0.50, 0.13, 0.20, 0.09, 0.05, 0.03},
            {2e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.989});
  // Birth dates: the keystroke and calendar levels (one_edit, within_month) take their m from
  // what hand-copied dates show (a digit in 40 to 50 copies, a day off at a month's end), their u
  // from dates spread over fifty years (a date has some fifteen one-edit neighbours among 18,000).
  //   exact partial_month partial_year swapped jan1 year+-1 one_edit same_ym within_month
  //   same_year near_year different
  SetLevels(model, Field::kBirthDate,
            {0.67, 0.07, 0.13, 0.015, 0.02, 0.02, 0.025, 0.008, 0.005, 0.01, 0.01, 0.017},
            {8e-5, 1.2e-4, 4e-3, 8e-5, 7e-4, 1.5e-4, 6e-4, 1.5e-3, 1.5e-3, 1.8e-2, 4e-2, 0.93327});
  SetLevels(model, Field::kGender, {0.97, 0.03}, {0.5, 0.5});
  SetLevels(model, Field::kNationality, {0.92, 0.08}, {0.25, 0.75});
  // Documents (comparison.h): an identity number is a person's for life, so two that differ
  // are one person's only through an error (a number entered wrong, another person's, a second
  // nationality's); a passport is renewed every five to ten years.
  //                                 exact one_typo different
  SetLevels(model, Field::kDocument, {0.82, 0.10, 0.08}, {1e-7, 1e-6, 0.999998});
  SetLevels(model, Field::kPassport, {0.75, 0.08, 0.17}, {1e-7, 1e-6, 0.999998});
  SetLevels(model, Field::kPhone, {0.60, 0.40}, {1e-7, 0.9999999});
  SetLevels(model, Field::kAddress, {0.60, 0.25, 0.15}, {1e-4, 5e-3, 0.9949});
  SetLevels(model, Field::kEmail, {0.55, 0.20, 0.25}, {1e-7, 1e-4, 0.9999});
  SetLevels(model, Field::kWeakAlias, {0.7, 0.3}, {0.05, 0.95});
  // Country of residence: people move, and registers lag, so one person's two records disagree
  // now and then (the training population's never do: m is kept well away from 1).
  SetLevels(model, Field::kCountry, {0.92, 0.08}, {0.3, 0.7});
  return model;
}

}  // namespace entente::match
