#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace entente::http {

// One header line as received or to send. Names compare without regard to case.
struct Header {
  std::string name;
  std::string value;
};

// A request as the application sees it. The server fills the head (method to peer certificate)
// when the header is read, and `body` only once the route has admitted the request.
struct Request {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // as sent: "/api/v1/subjects/S1?x=y"
  std::string path;    // the target before '?', still percent-encoded
  std::string query;   // the target after '?', still percent-encoded ("" when none)
  std::vector<Header> headers;
  std::string body;
  std::string peer;  // the client's address, without port ("127.0.0.1", "::1")
  // The client certificate (DER) a mutual-TLS connection presented; "" otherwise.
  std::string peer_certificate_der;
  std::string id;  // the request id the server assigned (also sent back in X-Request-Id)

  // The first header of that name (any case), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
  // The first header of that name, or "".
  std::string HeaderValue(std::string_view name) const;
  // The first query parameter of that name, percent-decoded ("+" as space); nullopt when absent
  // or when its encoding is broken.
  std::optional<std::string> QueryParam(std::string_view name) const;
  // Every value of a repeated query parameter, in order (a=1&a=2); values that are not valid
  // percent-encoding are skipped.
  std::vector<std::string> QueryParams(std::string_view name) const;
};

// An answer. `body` is sent as is with `content_type`.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<Header> headers;
};

// ASCII case-insensitive equality (header names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Decodes %XX escapes (and '+' as a space when `plus_is_space`). nullopt for a '%' not followed
// by two hex digits. The result may hold any byte, including invalid UTF-8 and NUL: callers
// validate what they accept.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// The reason phrase of a status code ("Not Found"); "Unknown" for codes it does not know.
std::string_view ReasonPhrase(int status);

}  // namespace entente::http
