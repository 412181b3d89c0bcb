#include "http/client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace entente::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

}  // namespace

struct Client::Impl {
  explicit Impl(ClientOptions o) : options(std::move(o)) {}

  ClientOptions options;
  asio::io_context ioc;
  std::optional<asio::ssl::context> ssl;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  bool connected = false;
  std::string setup_error;

  beast::tcp_stream& Lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // Runs the event loop until the operation started before completes.
  void Run() {
    ioc.restart();
    ioc.run();
  }

  void Close() {
    if (!connected) return;
    error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().socket().close(ignored);
    connected = false;
    buffer.clear();
  }

  Status Setup() {
    if (!options.tls || ssl) return Status::Ok();
    ssl.emplace(asio::ssl::context::tls_client);
    error_code ec;
    ssl->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
    ssl->set_verify_mode(asio::ssl::verify_peer);
    ssl->add_certificate_authority(asio::buffer(options.trust_pem), ec);
    if (ec) return InvalidArgument("trusted certificate: " + ec.message());
    if (!options.client_cert_path.empty()) {
      ssl->use_certificate_chain_file(options.client_cert_path, ec);
      if (!ec) ssl->use_private_key_file(options.client_key_path, asio::ssl::context::pem, ec);
      if (ec) {
        return InvalidArgument("client certificate " + options.client_cert_path + ": " +
                               ec.message());
      }
    }
    return Status::Ok();
  }

  Status Connect() {
    ENTENTE_RETURN_IF_ERROR(Setup());
    const std::string where = options.host + ":" + std::to_string(options.port);
    tcp::resolver resolver(ioc);
    error_code ec;
    const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec) return IoError(where + ": cannot resolve: " + ec.message());
    buffer.clear();
    if (options.tls) {
      plain.reset();
      secure.emplace(ioc, *ssl);
      const std::string name = options.server_name.empty() ? options.host : options.server_name;
      secure->set_verify_callback(asio::ssl::host_name_verification(name));
      error_code not_an_address;
      (void)asio::ip::make_address(name, not_an_address);
      if (not_an_address) {  // a host name: sent for virtual hosting (SNI)
        SSL_ctrl(secure->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(name.c_str()));
      }
    } else {
      secure.reset();
      plain.emplace(ioc);
    }
    if (!options.source_address.empty()) {
      const auto source = asio::ip::make_address(options.source_address, ec);
      if (ec)
        return InvalidArgument("source address " + options.source_address + ": " + ec.message());
      Lowest().socket().open(source.is_v4() ? tcp::v4() : tcp::v6(), ec);
      if (!ec) Lowest().socket().bind(tcp::endpoint(source, 0), ec);
      if (ec) return IoError("cannot bind " + options.source_address + ": " + ec.message());
    }
    Lowest().expires_after(options.connect_timeout);
    error_code connect_error;
    if (options.source_address.empty()) {
      Lowest().async_connect(endpoints,
                             [&](const error_code& e, const tcp::endpoint&) { connect_error = e; });
    } else {
      // One endpoint: connecting to a range would reopen the socket and lose its bound address.
      Lowest().async_connect(*endpoints.begin(), [&](const error_code& e) { connect_error = e; });
    }
    Run();
    if (connect_error) return IoError(where + ": cannot connect: " + connect_error.message());
    (void)Lowest().socket().set_option(tcp::no_delay(true), ec);
    if (options.tls) {
      error_code handshake_error;
      Lowest().expires_after(options.connect_timeout);
      secure->async_handshake(asio::ssl::stream_base::client,
                              [&](const error_code& e) { handshake_error = e; });
      Run();
      if (handshake_error) {
        std::string reason = where + ": TLS handshake failed: " + handshake_error.message();
        const long verify = SSL_get_verify_result(secure->native_handle());
        if (verify != X509_V_OK) {
          reason +=
              std::string(" (certificate check: ") + X509_verify_cert_error_string(verify) + ")";
        }
        Close();
        connected = false;
        return IoError(reason);
      }
    }
    connected = true;
    return Status::Ok();
  }

  // One exchange on the open connection. `*answered` says whether any byte of an answer came.
  Result<Response> Exchange(const bhttp::request<bhttp::string_body>& request, bool* answered) {
    *answered = false;
    error_code write_error;
    Lowest().expires_after(options.io_timeout);
    auto on_write = [&](const error_code& e, size_t) { write_error = e; };
    if (secure) {
      bhttp::async_write(*secure, request, on_write);
    } else {
      bhttp::async_write(*plain, request, on_write);
    }
    Run();
    if (write_error) return IoError("sending the request: " + write_error.message());
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.max_response_bytes);
    parser.header_limit(64 * 1024);
    error_code read_error;
    Lowest().expires_after(options.io_timeout);
    auto on_read = [&](const error_code& e, size_t) { read_error = e; };
    const size_t before = buffer.size();
    if (secure) {
      bhttp::async_read(*secure, buffer, parser, on_read);
    } else {
      bhttp::async_read(*plain, buffer, parser, on_read);
    }
    Run();
    *answered = parser.got_some() || buffer.size() != before;
    if (read_error) {
      return IoError((read_error == beast::error::timeout
                          ? std::string("no answer in time")
                          : "reading the answer: " + read_error.message()));
    }
    const auto& message = parser.get();
    Response response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      if (beast::iequals(field.name_string(), "Content-Type")) {
        response.content_type = std::string(field.value());
      }
      response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    response.body = parser.release().body();
    if (!message.keep_alive()) Close();
    return response;
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Client::~Client() { impl_->Close(); }

void Client::Close() { impl_->Close(); }

const ClientOptions& Client::options() const { return impl_->options; }

Result<Response> Client::Send(std::string_view method, std::string_view target,
                              const std::vector<Header>& headers, std::string_view body,
                              std::string_view content_type) {
  Impl& s = *impl_;
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(bhttp::field::host, s.options.host + ":" + std::to_string(s.options.port));
  request.keep_alive(true);
  for (const Header& header : headers) request.insert(header.name, header.value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.set(bhttp::field::content_type, content_type);
    request.body() = std::string(body);
  }
  request.prepare_payload();
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = s.connected;
    if (!s.connected) ENTENTE_RETURN_IF_ERROR(s.Connect());
    bool answered = false;
    Result<Response> response = s.Exchange(request, &answered);
    if (response.ok()) return response;
    s.Close();
    // A kept-alive connection the server closed while it was idle: send again on a new one.
    if (!(reused && !answered)) {
      return IoError(s.options.host + ":" + std::to_string(s.options.port) + ": " +
                     response.status().message());
    }
  }
  return IoError("unreachable");
}

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const Header& header : response.headers) {
    if (EqualsIgnoreCase(header.name, name)) return header.value;
  }
  return "";
}

}  // namespace entente::http
