#pragma once

#include <string>
#include <string_view>

namespace entente::model {

// Whether `code` is an ISO 3166-1 alpha-2 code (the 249 officially assigned ones, plus XK,
// Kosovo, as EU institutions use it). Either case is accepted, as FollowTheMoney writes
// lowercase and registers uppercase.
bool IsCountryCode(std::string_view code);

// The uppercase form of a two-letter code ("be" -> "BE"); other input is returned unchanged.
std::string CanonicalCountry(std::string_view code);

}  // namespace entente::model
