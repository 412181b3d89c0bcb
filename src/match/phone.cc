#include "match/phone.h"

#include <algorithm>
#include <array>
#include <string>

namespace entente::match {
namespace {

// ITU-T E.164 country calling codes of the ISO 3166 regions, and the trunk prefix a national
// form dials before the national significant number ("" where the number is dialled whole, as
// in Spain or Italy, whose leading 0 belongs to the number). Sorted by region.
struct Plan {
  std::string_view region;
  std::string_view code;
  std::string_view trunk;
};
constexpr std::array<Plan, 243> kPlans = {{
    {"AD", "376", ""},  {"AE", "971", "0"}, {"AF", "93", "0"},  {"AG", "1", "1"},
    {"AI", "1", "1"},   {"AL", "355", "0"}, {"AM", "374", "0"}, {"AO", "244", ""},
    {"AR", "54", "0"},  {"AS", "1", "1"},   {"AT", "43", "0"},  {"AU", "61", "0"},
    {"AW", "297", ""},  {"AX", "358", "0"}, {"AZ", "994", "0"}, {"BA", "387", "0"},
    {"BB", "1", "1"},   {"BD", "880", "0"}, {"BE", "32", "0"},  {"BF", "226", ""},
    {"BG", "359", "0"}, {"BH", "973", ""},  {"BI", "257", ""},  {"BJ", "229", ""},
    {"BL", "590", "0"}, {"BM", "1", "1"},   {"BN", "673", ""},  {"BO", "591", "0"},
    {"BQ", "599", ""},  {"BR", "55", "0"},  {"BS", "1", "1"},   {"BT", "975", ""},
    {"BW", "267", ""},  {"BY", "375", "8"}, {"BZ", "501", ""},  {"CA", "1", "1"},
    {"CC", "61", "0"},  {"CD", "243", "0"}, {"CF", "236", ""},  {"CG", "242", ""},
    {"CH", "41", "0"},  {"CI", "225", ""},  {"CK", "682", ""},  {"CL", "56", ""},
    {"CM", "237", ""},  {"CN", "86", "0"},  {"CO", "57", "0"},  {"CR", "506", ""},
    {"CU", "53", "0"},  {"CV", "238", ""},  {"CW", "599", "0"}, {"CX", "61", "0"},
    {"CY", "357", ""},  {"CZ", "420", ""},  {"DE", "49", "0"},  {"DJ", "253", ""},
    {"DK", "45", ""},   {"DM", "1", "1"},   {"DO", "1", "1"},   {"DZ", "213", "0"},
    {"EC", "593", "0"}, {"EE", "372", ""},  {"EG", "20", "0"},  {"EH", "212", "0"},
    {"ER", "291", "0"}, {"ES", "34", ""},   {"ET", "251", "0"}, {"FI", "358", "0"},
    {"FJ", "679", ""},  {"FK", "500", ""},  {"FM", "691", ""},  {"FO", "298", ""},
    {"FR", "33", "0"},  {"GA", "241", ""},  {"GB", "44", "0"},  {"GD", "1", "1"},
    {"GE", "995", "0"}, {"GF", "594", "0"}, {"GG", "44", "0"},  {"GH", "233", "0"},
    {"GI", "350", ""},  {"GL", "299", ""},  {"GM", "220", ""},  {"GN", "224", ""},
    {"GP", "590", "0"}, {"GQ", "240", ""},  {"GR", "30", ""},   {"GT", "502", ""},
    {"GU", "1", "1"},   {"GW", "245", ""},  {"GY", "592", ""},  {"HK", "852", ""},
    {"HN", "504", ""},  {"HR", "385", "0"}, {"HT", "509", ""},  {"HU", "36", "06"},
    {"ID", "62", "0"},  {"IE", "353", "0"}, {"IL", "972", "0"}, {"IM", "44", "0"},
    {"IN", "91", "0"},  {"IO", "246", ""},  {"IQ", "964", "0"}, {"IR", "98", "0"},
    {"IS", "354", ""},  {"IT", "39", ""},   {"JE", "44", "0"},  {"JM", "1", "1"},
    {"JO", "962", "0"}, {"JP", "81", "0"},  {"KE", "254", "0"}, {"KG", "996", "0"},
    {"KH", "855", "0"}, {"KI", "686", ""},  {"KM", "269", ""},  {"KN", "1", "1"},
    {"KP", "850", "0"}, {"KR", "82", "0"},  {"KW", "965", ""},  {"KY", "1", "1"},
    {"KZ", "7", "8"},   {"LA", "856", "0"}, {"LB", "961", "0"}, {"LC", "1", "1"},
    {"LI", "423", ""},  {"LK", "94", "0"},  {"LR", "231", "0"}, {"LS", "266", ""},
    {"LT", "370", "8"}, {"LU", "352", ""},  {"LV", "371", ""},  {"LY", "218", "0"},
    {"MA", "212", "0"}, {"MC", "377", "0"}, {"MD", "373", "0"}, {"ME", "382", "0"},
    {"MF", "590", "0"}, {"MG", "261", "0"}, {"MH", "692", "1"}, {"MK", "389", "0"},
    {"ML", "223", ""},  {"MM", "95", "0"},  {"MN", "976", "0"}, {"MO", "853", ""},
    {"MP", "1", "1"},   {"MQ", "596", "0"}, {"MR", "222", ""},  {"MS", "1", "1"},
    {"MT", "356", ""},  {"MU", "230", ""},  {"MV", "960", ""},  {"MW", "265", "0"},
    {"MX", "52", ""},   {"MY", "60", "0"},  {"MZ", "258", ""},  {"NA", "264", "0"},
    {"NC", "687", ""},  {"NE", "227", ""},  {"NF", "672", ""},  {"NG", "234", "0"},
    {"NI", "505", ""},  {"NL", "31", "0"},  {"NO", "47", ""},   {"NP", "977", "0"},
    {"NR", "674", ""},  {"NU", "683", ""},  {"NZ", "64", "0"},  {"OM", "968", ""},
    {"PA", "507", ""},  {"PE", "51", "0"},  {"PF", "689", ""},  {"PG", "675", ""},
    {"PH", "63", "0"},  {"PK", "92", "0"},  {"PL", "48", ""},   {"PM", "508", "0"},
    {"PR", "1", "1"},   {"PS", "970", "0"}, {"PT", "351", ""},  {"PW", "680", ""},
    {"PY", "595", "0"}, {"QA", "974", ""},  {"RE", "262", "0"}, {"RO", "40", "0"},
    {"RS", "381", "0"}, {"RU", "7", "8"},   {"RW", "250", ""},  {"SA", "966", "0"},
    {"SB", "677", ""},  {"SC", "248", ""},  {"SD", "249", "0"}, {"SE", "46", "0"},
    {"SG", "65", ""},   {"SH", "290", ""},  {"SI", "386", "0"}, {"SJ", "47", ""},
    {"SK", "421", "0"}, {"SL", "232", "0"}, {"SM", "378", ""},  {"SN", "221", ""},
    {"SO", "252", "0"}, {"SR", "597", ""},  {"SS", "211", "0"}, {"ST", "239", ""},
    {"SV", "503", ""},  {"SX", "1", "1"},   {"SY", "963", "0"}, {"SZ", "268", ""},
    {"TC", "1", "1"},   {"TD", "235", ""},  {"TG", "228", ""},  {"TH", "66", "0"},
    {"TJ", "992", "8"}, {"TK", "690", ""},  {"TL", "670", ""},  {"TM", "993", "8"},
    {"TN", "216", ""},  {"TO", "676", ""},  {"TR", "90", "0"},  {"TT", "1", "1"},
    {"TV", "688", ""},  {"TW", "886", "0"}, {"TZ", "255", "0"}, {"UA", "380", "0"},
    {"UG", "256", "0"}, {"US", "1", "1"},   {"UY", "598", "0"}, {"UZ", "998", "8"},
    {"VA", "39", ""},   {"VC", "1", "1"},   {"VE", "58", "0"},  {"VG", "1", "1"},
    {"VI", "1", "1"},   {"VN", "84", "0"},  {"VU", "678", ""},  {"WF", "681", ""},
    {"WS", "685", ""},  {"XK", "383", "0"}, {"YE", "967", "0"}, {"YT", "262", "0"},
    {"ZA", "27", "0"},  {"ZM", "260", "0"}, {"ZW", "263", "0"},
}};

constexpr size_t kMinNational = 6;   // shorter numbers do not tell people apart
constexpr size_t kMaxNational = 14;  // E.164: 15 digits with the calling code

const Plan* PlanOfRegion(std::string_view region) {
  if (region.size() != 2) return nullptr;
  const std::array<char, 2> upper = {
      static_cast<char>(region[0] >= 'a' && region[0] <= 'z' ? region[0] - 32 : region[0]),
      static_cast<char>(region[1] >= 'a' && region[1] <= 'z' ? region[1] - 32 : region[1])};
  const std::string_view key(upper.data(), 2);
  const auto it = std::lower_bound(kPlans.begin(), kPlans.end(), key,
                                   [](const Plan& p, std::string_view r) { return p.region < r; });
  return it != kPlans.end() && it->region == key ? &*it : nullptr;
}

// The plan whose calling code starts `digits` (calling codes are prefix-free).
const Plan* PlanOfCode(std::string_view digits) {
  for (size_t n = 1; n <= 3 && n < digits.size(); ++n) {
    for (const Plan& p : kPlans) {
      if (p.code == digits.substr(0, n)) return &p;
    }
  }
  return nullptr;
}

std::string Normalised(std::string_view national, const Plan& plan, bool strip_trunk) {
  if (strip_trunk && !plan.trunk.empty() && national.substr(0, plan.trunk.size()) == plan.trunk &&
      national.size() - plan.trunk.size() >= kMinNational) {
    national.remove_prefix(plan.trunk.size());
  }
  if (national.size() < kMinNational || national.size() > kMaxNational) return "";
  std::string out(national);
  out += '@';
  out += plan.code;
  return out;
}

}  // namespace

std::string NormalizePhone(std::string_view phone, std::string_view region) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() < kMinNational) return "";
  // The international form: "+32 ...", or "00 32 ...", the international prefix of most of
  // Europe and Africa. "+32 (0)470..." writes the trunk prefix too: it is dropped.
  const size_t first = phone.find_first_not_of(" \t(");
  const bool plus = first != std::string_view::npos && phone[first] == '+';
  const bool double_zero = !plus && digits.compare(0, 2, "00") == 0;
  if (plus || double_zero) {
    const std::string_view rest = std::string_view(digits).substr(double_zero ? 2 : 0);
    if (const Plan* plan = PlanOfCode(rest)) {
      std::string out = Normalised(rest.substr(plan->code.size()), *plan, true);
      if (!out.empty()) return out;
    }
  } else if (const Plan* plan = PlanOfRegion(region)) {
    // A national form, read with the record's country.
    std::string out = Normalised(digits, *plan, true);
    if (!out.empty()) return out;
  }
  // Unread (a national form of an unknown country, or no such plan): the digits, a trunk 0
  // dropped, as the national significant number most plans would give.
  if (digits.size() > kMinNational && digits[0] == '0' && digits[1] != '0') digits.erase(0, 1);
  return digits;
}

std::string_view PhoneKey(std::string_view normalized) {
  return normalized.substr(0, normalized.find('@'));
}

bool SamePhone(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (PhoneKey(a) != PhoneKey(b)) return false;
  // The same national number: one side does not know its country, or both know the same one.
  return a.find('@') == std::string_view::npos || b.find('@') == std::string_view::npos;
}

}  // namespace entente::match
