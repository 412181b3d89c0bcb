#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace entente::text {

// A name as the comparators see it: folded tokens (FoldName), honorifics dropped, detached
// particles and compound prefixes packed onto the token they belong to ("el amrani" ->
// "elamrani", "van der berg" -> "vanderberg", "abdel kader" / "abd al qadir" -> "abdelkader" /
// "abdalqadir"), and for each token the form without its leading particle or article
// ("elamrani" -> "amrani", "benali" -> "ali", "essaid" -> "said"), so that a record that drops
// the particle still lines up. Token order is kept but not relied on.
struct NameTokens {
  std::vector<std::string> tokens;    // packed forms
  std::vector<std::string> stripped;  // same size: the form without the leading particle, or ""
  bool surname_first = false;         // "EL AMRANI Mohamed" or "El Amrani, Mohamed" was seen
};

// Parses a name as written in any script. Pure and thread-safe.
NameTokens TokenizeName(std::string_view utf8);

// An organisation's name as the comparators see it: as TokenizeName, but runs of single letters
// joined ("S.A.R.L." -> "sarl", "I.R.W." -> "irw"), then legal forms (SA, SARL, SPRL, ASBL, NV,
// BV, BVBA, VZW, SL, SLU, Ltd, LLC, Inc, GmbH...) and joining words (the, of, and, et, de, van,
// y...) dropped, unless nothing else would be left. Pure and thread-safe.
NameTokens TokenizeOrganizationName(std::string_view utf8);
// Whether `token` (folded) is a legal form of a company or an association.
bool IsLegalForm(std::string_view token);

// Whether `token` (folded) is a particle that attaches to the next token.
bool IsParticle(std::string_view token);
// Whether `token` (folded) is an honorific or title that is not part of a name.
bool IsHonorific(std::string_view token);

// The form of a folded, packed token without its leading particle or assimilated article, or ""
// when it has none (or too little would be left).
std::string StripParticle(std::string_view token);

}  // namespace entente::text
