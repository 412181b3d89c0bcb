#include "match/blocking_keys.h"

#include <algorithm>
#include <string_view>

#include "match/candidate_index.h"
#include "match/phone.h"

namespace entente::match {
namespace {

using model::PartialDate;

// Key families, mixed into the hash so that families never collide by construction.
enum Family : uint64_t {
  kPair = 1,
  kTokenDay = 2,        // token + full date
  kTokenYear = 3,       // token + year, every identity with a birth year
  kTokenMonth = 4,      // token + year-month, every identity with a birth month
  kTokenYearOnly = 5,   // token + year, identities whose date is a year only
  kTokenMonthOnly = 6,  // token + year-month, identities whose date stops at the month
  kSingleToken = 7,
  kDocument = 8,
  kPhone = 9,
  kEmail = 10,
  kDocumentDeletion = 11,  // a document number with one character left out
  kPrefixPair = 12,        // the first two sound classes of two tokens: a typo further on
  kShortTokenDay = 13,     // a token of one sound class + full date
  kWeakPair = 14,          // two tokens of a nom de guerre ("Abu Hamza al-Belgiki")
  kShortPair = 15,         // two tokens of a name whose every token is of one sound class
  kShortName = 16,         // such a name's tokens, all of them, by spelling
};

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  h *= 0xFF51AFD7ED558CCDULL;
  return h ^ (h >> 33);
}

uint64_t HashString(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

uint64_t DateCode(int year, int month, int day) {
  return static_cast<uint64_t>(year) * 10000 + static_cast<uint64_t>(month) * 100 +
         static_cast<uint64_t>(day);
}

struct TokenKey {
  uint64_t hash;
  bool short_key;  // one sound class: used only in pairs with a longer key
};

// The phonetic keys of all tokens of a name form, hashed; one vector per token.
std::vector<std::vector<TokenKey>> TokenHashes(const NameForm& form) {
  std::vector<std::vector<TokenKey>> out;
  for (size_t t = 0; t < form.size(); ++t) {
    std::vector<TokenKey> hashes;
    for (KeyHash k : form.keys(t)) {
      if (KeyLength(k) > 0) hashes.push_back({Mix(kPair * 31, k), KeyLength(k) < 2});
    }
    out.push_back(std::move(hashes));
  }
  return out;
}

// Also collects the hashes of the tokens' keys: of two sound classes or more in `token_hashes`
// (blocked on with a birth year), of one class in `short_hashes` (with a full date only: Ali,
// Isa, Kaya, Ayub with a year would gather thousands at 1M, with a day a few).
void AddNameKeys(const Identity& identity, std::vector<uint64_t>& out,
                 std::vector<uint64_t>* token_hashes, std::vector<uint64_t>* short_hashes) {
  for (const auto& form : identity.names) {
    const auto tokens = TokenHashes(form);
    for (size_t i = 0; i < tokens.size(); ++i) {
      for (const TokenKey& a : tokens[i]) {
        // A key of one class (one consonant) says too little to block on alone.
        (a.short_key ? short_hashes : token_hashes)->push_back(a.hash);
        for (size_t j = i + 1; j < tokens.size(); ++j) {
          for (const TokenKey& b : tokens[j]) {
            if (a.hash == b.hash || (a.short_key && b.short_key)) continue;
            out.push_back(Mix(Mix(kPair, std::min(a.hash, b.hash)), std::max(a.hash, b.hash)));
          }
        }
      }
    }
    // A name whose every token is of one sound class (Korean, Chinese, Vietnamese names: Ri Jae
    // Il, Choe Hwi) has no pair of longer keys: its tokens pair among themselves, and the whole
    // name, by spelling, is a key of its own.
    const bool all_short = std::all_of(tokens.begin(), tokens.end(), [](const auto& keys) {
      return std::all_of(keys.begin(), keys.end(), [](const TokenKey& k) { return k.short_key; });
    });
    if (all_short && form.size() >= 2) {
      out.push_back(Mix(kShortName, NameFrequencyKey(form)));
      for (size_t i = 0; i < tokens.size(); ++i) {
        for (size_t j = i + 1; j < tokens.size(); ++j) {
          for (const TokenKey& a : tokens[i]) {
            for (const TokenKey& b : tokens[j]) {
              if (a.hash == b.hash) continue;
              out.push_back(
                  Mix(Mix(kShortPair, std::min(a.hash, b.hash)), std::max(a.hash, b.hash)));
            }
          }
        }
      }
    }
    if (tokens.size() == 1) {
      for (const TokenKey& a : tokens[0]) {
        if (!a.short_key) out.push_back(Mix(kSingleToken, a.hash));
      }
    }
    // A typo past the second sound class of a token still meets: the primary keys' first two
    // classes, in pairs.
    for (size_t i = 0; i < form.size(); ++i) {
      const uint64_t a = form.key_prefix(i);
      if (a == 0) continue;
      for (size_t j = i + 1; j < form.size(); ++j) {
        const uint64_t b = form.key_prefix(j);
        if (b == 0) continue;
        out.push_back(Mix(Mix(kPrefixPair, std::min(a, b)), std::max(a, b)));
      }
    }
  }
  // Noms de guerre block in pairs of tokens only: "Abu Hamza" alone is many people's.
  for (const auto& form : identity.weak_names) {
    const auto tokens = TokenHashes(form);
    for (size_t i = 0; i < tokens.size(); ++i) {
      for (size_t j = i + 1; j < tokens.size(); ++j) {
        for (const TokenKey& a : tokens[i]) {
          for (const TokenKey& b : tokens[j]) {
            if (a.hash == b.hash) continue;
            out.push_back(Mix(Mix(kWeakPair, std::min(a.hash, b.hash)), std::max(a.hash, b.hash)));
          }
        }
      }
    }
  }
  for (auto* hashes : {token_hashes, short_hashes}) {
    std::sort(hashes->begin(), hashes->end());
    hashes->erase(std::unique(hashes->begin(), hashes->end()), hashes->end());
  }
}

void AddIdentifierKeys(const Identity& identity, std::vector<uint64_t>& out) {
  for (const auto& [d, kind] : identity.documents) {
    out.push_back(Mix(kDocument, HashString(d)));
    // Two numbers one typo apart share a deletion (a substitution at the same place, or the
    // shorter one with nothing left out of it).
    out.push_back(Mix(kDocumentDeletion, HashString(d)));
    if (d.size() >= 6) {
      for (size_t i = 0; i < d.size(); ++i) {
        out.push_back(Mix(kDocumentDeletion, HashString(d.substr(0, i) + d.substr(i + 1))));
      }
    }
  }
  for (const auto& e : identity.emails) out.push_back(Mix(kEmail, HashString(e)));
  for (const auto& p : identity.phones) {
    if (!p.empty()) out.push_back(Mix(kPhone, HashString(PhoneKey(p))));
  }
}

void SortUnique(std::vector<uint64_t>& keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

uint64_t TokenDate(Family family, uint64_t token, uint64_t date) {
  return Mix(Mix(family, token), date);
}

}  // namespace

std::vector<uint64_t> IndexKeys(const Identity& identity) {
  std::vector<uint64_t> out;
  std::vector<uint64_t> tokens, short_tokens;
  AddNameKeys(identity, out, &tokens, &short_tokens);
  AddIdentifierKeys(identity, out);
  for (const auto& birth : identity.births) {
    const int y = birth.year(), m = birth.month(), d = birth.day();
    if (birth.precision() == PartialDate::Precision::kDay) {
      for (uint64_t t : short_tokens)
        out.push_back(TokenDate(kShortTokenDay, t, DateCode(y, m, d)));
    }
    for (uint64_t t : tokens) {
      out.push_back(TokenDate(kTokenYear, t, DateCode(y, 0, 0)));
      switch (birth.precision()) {
        case PartialDate::Precision::kDay:
          out.push_back(TokenDate(kTokenDay, t, DateCode(y, m, d)));
          out.push_back(TokenDate(kTokenMonth, t, DateCode(y, m, 0)));
          break;
        case PartialDate::Precision::kMonth:
          out.push_back(TokenDate(kTokenMonth, t, DateCode(y, m, 0)));
          out.push_back(TokenDate(kTokenMonthOnly, t, DateCode(y, m, 0)));
          break;
        case PartialDate::Precision::kYear:
          out.push_back(TokenDate(kTokenYearOnly, t, DateCode(y, 0, 0)));
          break;
      }
    }
  }
  SortUnique(out);
  return out;
}

QueryKeys LookupKeys(const Identity& query) {
  QueryKeys keys;
  std::vector<uint64_t> tokens, short_tokens;
  AddNameKeys(query, keys.narrow, &tokens, &short_tokens);
  AddIdentifierKeys(query, keys.narrow);
  for (const auto& birth : query.births) {
    const int y = birth.year(), m = birth.month(), d = birth.day();
    if (birth.precision() == PartialDate::Precision::kDay) {
      for (uint64_t t : short_tokens) {
        keys.narrow.push_back(TokenDate(kShortTokenDay, t, DateCode(y, m, d)));
      }
    }
    for (uint64_t t : tokens) {
      // Listed with a partial date: their year or month, whatever the query's precision.
      for (int dy = -1; dy <= 1; ++dy) {
        keys.narrow.push_back(TokenDate(kTokenYearOnly, t, DateCode(y + dy, 0, 0)));
      }
      if (m != 0) keys.narrow.push_back(TokenDate(kTokenMonthOnly, t, DateCode(y, m, 0)));
      switch (birth.precision()) {
        case PartialDate::Precision::kDay: {
          keys.narrow.push_back(TokenDate(kTokenDay, t, DateCode(y, m, d)));
          keys.narrow.push_back(TokenDate(kTokenDay, t, DateCode(y - 1, m, d)));
          keys.narrow.push_back(TokenDate(kTokenDay, t, DateCode(y + 1, m, d)));
          if (d <= 12 && d != m) keys.narrow.push_back(TokenDate(kTokenDay, t, DateCode(y, d, m)));
          // A placeholder on either side: the listed 1 January, or the query's.
          keys.narrow.push_back(TokenDate(kTokenDay, t, DateCode(y, 1, 1)));
          if (m == 1 && d == 1) keys.broad.push_back(TokenDate(kTokenYear, t, DateCode(y, 0, 0)));
          break;
        }
        case PartialDate::Precision::kMonth:
          keys.broad.push_back(TokenDate(kTokenMonth, t, DateCode(y, m, 0)));
          break;
        case PartialDate::Precision::kYear:
          for (int dy = -1; dy <= 1; ++dy) {
            keys.broad.push_back(TokenDate(kTokenYear, t, DateCode(y + dy, 0, 0)));
          }
          break;
      }
    }
  }
  SortUnique(keys.narrow);
  SortUnique(keys.broad);
  return keys;
}

}  // namespace entente::match
