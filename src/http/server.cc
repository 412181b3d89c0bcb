#include "http/server.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/resource.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <thread>
#include <unordered_map>

#include "common/mutex.h"
#include "http/worker_pool.h"

namespace entente::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr size_t kLingerBytes = 2 << 20;            // read and dropped after a refusal, at most
constexpr std::chrono::milliseconds kLinger{2000};  // and for at most this long

// A JSON error body in the API's shape ({"error": {...}}), for what the server answers itself.
Response ErrorResponse(int status, std::string_view code, std::string_view message) {
  Response response;
  response.status = status;
  std::string body = "{\"error\":{\"status\":" + std::to_string(status) + ",\"code\":\"";
  body += code;
  body += "\",\"message\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') body += '\\';
    body += c;
  }
  body += "\"}}";
  response.body = std::move(body);
  return response;
}

std::string PeerCertificateDer(SSL* ssl) {
  X509* peer = SSL_get1_peer_certificate(ssl);
  if (peer == nullptr) return "";
  unsigned char* der = nullptr;
  const int length = i2d_X509(peer, &der);
  X509_free(peer);
  if (length <= 0) return "";
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return bytes;
}

std::string AddressOf(const tcp::endpoint& endpoint) {
  asio::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

// Lets the process hold as many sockets as it is allowed to (the soft limit is often 1,024).
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

// What every connection shares with the server: options, router, workers, limits, counters.
struct Server::Impl {
  class SessionBase;
  template <class Stream>
  class Session;

  ServerOptions options;
  Router router;
  // The connections, oldest first, in all and by source address; counters. Declared before the
  // event loop: connections still queued in it unregister themselves when it is destroyed.
  mutable Mutex mutex;
  uint64_t next_serial GUARDED_BY(mutex) = 0;
  std::map<uint64_t, std::weak_ptr<SessionBase>> sessions GUARDED_BY(mutex);
  std::unordered_map<std::string, std::map<uint64_t, std::weak_ptr<SessionBase>>> by_source
      GUARDED_BY(mutex);
  ServerStats counters GUARDED_BY(mutex);

  std::optional<asio::ssl::context> ssl;  // outlives the connections' streams
  asio::io_context ioc;
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  std::optional<asio::steady_timer> accept_retry;
  std::vector<std::thread> io_threads;
  std::unique_ptr<WorkerPool> workers;
  std::atomic<bool> stopping{false};
  bool stopped = false;
  int port = 0;
  uint64_t id_prefix = 0;
  std::atomic<uint64_t> next_request{0};
  std::atomic<int64_t> writes_in_flight{0};

  std::string NextRequestId() {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%08llx%08llx",
                  static_cast<unsigned long long>(id_prefix & 0xffffffffULL),
                  static_cast<unsigned long long>(next_request.fetch_add(1) & 0xffffffffULL));
    return buffer;
  }
  void Count(int64_t ServerStats::*field, int64_t delta = 1) {
    MutexLock lock(&mutex);
    counters.*field += delta;
  }
  void Accept();
  void OnAccept(const boost::system::error_code& ec, tcp::socket socket);
  // Registers a new connection; false when no room can be made (then it is closed unserved).
  bool Register(const std::shared_ptr<SessionBase>& session);
  // The oldest connection of `list` (one of the maps below) still waiting for a header, taken
  // out of the books into *evicted; false when there is none.
  bool TakeOldestWaiting(std::map<uint64_t, std::weak_ptr<SessionBase>>& list,
                         std::vector<std::shared_ptr<SessionBase>>* evicted)
      EXCLUSIVE_LOCKS_REQUIRED(mutex);
  void Unregister(const SessionBase& session);
};

// A connection, whatever its stream. Only `waiting` and `Evict` are used off its strand.
class Server::Impl::SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  SessionBase(Impl& server, std::string source) : server_(server), source_(std::move(source)) {}
  virtual ~SessionBase() { server_.Unregister(*this); }
  SessionBase(const SessionBase&) = delete;
  SessionBase& operator=(const SessionBase&) = delete;

  // Closes the connection from any thread (on its strand).
  virtual void Evict() = 0;
  // Closes the socket now; only when no I/O thread runs (Stop).
  virtual void CloseNow() = 0;
  virtual void Start() = 0;

  const std::string& source() const { return source_; }
  uint64_t serial = 0;
  // True while the connection waits for a request's header (or its TLS handshake): such a
  // connection may be closed to make room for another.
  std::atomic<bool> waiting{true};

 protected:
  Impl& server_;
  const std::string source_;
};

template <class Stream>
class Server::Impl::Session final : public SessionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(Impl& server, std::string source, tcp::socket&& socket)
      : SessionBase(server, std::move(source)), stream_(MakeStream(server, std::move(socket))) {}

  void Start() override {
    if constexpr (kTls) {
      Lowest().expires_after(server_.options.handshake_timeout);
      stream_.async_handshake(
          asio::ssl::stream_base::server,
          [self = Self()](const boost::system::error_code& ec) { self->OnHandshake(ec); });
    } else {
      ReadHeader();
    }
  }

  void Evict() override {
    asio::post(stream_.get_executor(), [self = Self()] { self->Close(); });
  }

  void CloseNow() override { Close(); }

 private:
  static Stream MakeStream(Impl& server, tcp::socket&& socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *server.ssl);
    } else {
      return Stream(std::move(socket));
    }
  }
  std::shared_ptr<Session> Self() {
    return std::static_pointer_cast<Session>(this->shared_from_this());
  }
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Close() {
    boost::system::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().socket().close(ignored);
  }

  void OnHandshake(const boost::system::error_code& ec) {
    if (ec) return Close();
    if constexpr (kTls) peer_certificate_ = PeerCertificateDer(stream_.native_handle());
    ReadHeader();
  }

  void ReadHeader() {
    if (server_.stopping) return Close();
    waiting = true;
    request_ = Request();
    started_ = Clock::now();
    head_.emplace();
    head_->header_limit(static_cast<uint32_t>(server_.options.max_header_bytes));
    // The route's limit applies once it is known (OnHeader); none while reading the header.
    head_->body_limit(std::numeric_limits<std::uint64_t>::max());
    Lowest().expires_after(server_.options.header_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *head_,
        [self = Self()](const boost::system::error_code& ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(const boost::system::error_code& ec) {
    waiting = false;
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      return Refuse(ErrorResponse(431, "INVALID_ARGUMENT",
                                  "request header larger than " +
                                      std::to_string(server_.options.max_header_bytes) + " bytes"));
    }
    if (ec == beast::error::timeout) {
      server_.Count(&ServerStats::connections_timed_out);
      return Close();
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::ssl::error::stream_truncated) {
      return Close();
    }
    if (ec)
      return Refuse(ErrorResponse(400, "INVALID_ARGUMENT", "malformed request: " + ec.message()));
    started_ = Clock::now();
    const auto& message = head_->get();
    version_ = message.version();
    request_.id = server_.NextRequestId();
    request_.method = std::string(message.method_string());
    request_.target = std::string(message.target());
    const size_t question = request_.target.find('?');
    request_.path = request_.target.substr(0, question);
    if (question != std::string::npos) request_.query = request_.target.substr(question + 1);
    request_.peer = source_;
    request_.peer_certificate_der = peer_certificate_;
    size_t fields = 0;
    for (const auto& field : message) {
      if (++fields > server_.options.max_header_fields) {
        return Refuse(ErrorResponse(
            431, "INVALID_ARGUMENT",
            "more than " + std::to_string(server_.options.max_header_fields) + " header fields"));
      }
      request_.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    if (request_.target.size() > server_.options.max_target_bytes) {
      return Refuse(ErrorResponse(414, "INVALID_ARGUMENT", "request target too long"));
    }
    keep_alive_ = message.keep_alive();
    const auto declared = head_->content_length();
    body_pending_ = head_->chunked() || (declared && *declared > 0);
    try {
      route_ = server_.router(request_);
    } catch (const std::exception& e) {
      return Refuse(Internal(e.what()));
    }
    if (route_.answer) return Respond(std::move(*route_.answer));
    if (body_pending_ && route_.body_limit == 0) {
      return Refuse(ErrorResponse(413, "INVALID_ARGUMENT", "this route takes no request body"));
    }
    if (declared && *declared > route_.body_limit) {
      return Refuse(ErrorResponse(413, "INVALID_ARGUMENT",
                                  "request body of " + std::to_string(*declared) +
                                      " bytes; this route takes at most " +
                                      std::to_string(route_.body_limit)));
    }
    if (!route_.admit) return ContinueToBody();
    RunOnWorker([self = Self()] {
      std::optional<Response> refusal;
      try {
        refusal = self->route_.admit(self->request_);
      } catch (const std::exception& e) {
        refusal = self->Internal(e.what());
      }
      asio::post(self->stream_.get_executor(), [self, refusal = std::move(refusal)]() mutable {
        if (refusal) return self->Refuse(std::move(*refusal));
        self->ContinueToBody();
      });
    });
  }

  void ContinueToBody() {
    const std::string* expect = request_.FindHeader("Expect");
    if (body_pending_ && expect != nullptr && EqualsIgnoreCase(*expect, "100-continue")) {
      interim_.emplace(bhttp::status::continue_, version_);
      Lowest().expires_after(server_.options.write_timeout);
      bhttp::async_write(stream_, *interim_,
                         [self = Self()](const boost::system::error_code& ec, size_t) {
                           if (ec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    body_.emplace(std::move(*head_));
    body_->body_limit(route_.body_limit);
    if (body_->is_done()) return OnBody({});
    Lowest().expires_after(server_.options.body_timeout);
    bhttp::async_read(
        stream_, buffer_, *body_,
        [self = Self()](const boost::system::error_code& ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(const boost::system::error_code& ec) {
    if (ec == bhttp::error::body_limit) {
      return Refuse(ErrorResponse(
          413, "INVALID_ARGUMENT",
          "request body longer than " + std::to_string(route_.body_limit) + " bytes"));
    }
    if (ec == beast::error::timeout) {
      server_.Count(&ServerStats::connections_timed_out);
      return Close();
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec)
      return Refuse(ErrorResponse(400, "INVALID_ARGUMENT", "malformed body: " + ec.message()));
    body_pending_ = false;
    request_.body = std::move(body_->get().body());
    body_.reset();
    head_.reset();
    RunOnWorker([self = Self()] {
      Response response;
      try {
        response = self->route_.handle(self->request_);
      } catch (const std::exception& e) {
        response = self->Internal(e.what());
      }
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Respond(std::move(response));
      });
    });
  }

  // Runs `task` on a worker, or answers 503 at once when every worker is busy.
  void RunOnWorker(std::function<void()> task) {
    if (server_.workers->TryPost(std::move(task))) return;
    server_.Count(&ServerStats::requests_refused_busy);
    Response busy = ErrorResponse(503, "RESOURCE_EXHAUSTED", "the node is busy; retry shortly");
    busy.headers.push_back({"Retry-After", "1"});
    Refuse(std::move(busy));
  }

  Response Internal(const char* what) {
    std::fprintf(stderr, "entente: request %s %s %s failed: %s\n", request_.id.c_str(),
                 request_.method.c_str(), request_.path.c_str(), what);
    return ErrorResponse(
        500, "INTERNAL",
        "internal error; quote request id " + request_.id + " to the administrator");
  }

  // Answers and closes the connection (reading, and dropping, what the client still sends).
  void Refuse(Response response) {
    keep_alive_ = false;
    Respond(std::move(response));
  }

  void Respond(Response response) {
    if (body_pending_) keep_alive_ = false;  // a body we did not read: the stream is lost
    ++served_;
    if (served_ >= server_.options.max_requests_per_connection || server_.stopping) {
      keep_alive_ = false;
    }
    out_.emplace(static_cast<bhttp::status>(response.status), version_);
    out_->set(bhttp::field::content_type, response.content_type);
    if (!request_.id.empty()) out_->set("X-Request-Id", request_.id);
    for (const Header& header : response.headers) out_->insert(header.name, header.value);
    out_->body() = std::move(response.body);
    out_->keep_alive(keep_alive_);
    out_->prepare_payload();
    status_ = response.status;
    ++server_.writes_in_flight;
    Lowest().expires_after(server_.options.write_timeout);
    bhttp::async_write(stream_, *out_,
                       [self = Self()](const boost::system::error_code& ec, size_t bytes) {
                         self->OnWritten(ec, bytes);
                       });
  }

  void OnWritten(const boost::system::error_code& ec, size_t bytes) {
    --server_.writes_in_flight;
    server_.Count(&ServerStats::requests_served);
    if (server_.options.on_served) {
      Served served;
      served.request = &request_;
      served.route = route_.name;
      served.status = status_;
      served.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
      served.response_bytes = bytes;
      server_.options.on_served(served);
    }
    out_.reset();
    if (ec) return Close();
    if (keep_alive_) {
      body_.reset();
      return ReadHeader();
    }
    Linger();
  }

  // Half-closes and drops what the client still sends, for a while, so that it reads the answer
  // rather than a reset; then closes.
  void Linger() {
    boost::system::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    linger_deadline_ = Clock::now() + kLinger;
    Drain();
  }

  void Drain() {
    if (lingered_ >= kLingerBytes || Clock::now() >= linger_deadline_) return Close();
    Lowest().expires_at(linger_deadline_);
    Lowest().async_read_some(asio::buffer(scratch_),
                             [self = Self()](const boost::system::error_code& ec, size_t bytes) {
                               if (ec) return self->Close();
                               self->lingered_ += bytes;
                               self->Drain();
                             });
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::optional<bhttp::response<bhttp::empty_body>> interim_;
  std::optional<bhttp::response<bhttp::string_body>> out_;
  std::string peer_certificate_;
  Request request_;
  Route route_;
  Clock::time_point started_;
  Clock::time_point linger_deadline_;
  size_t lingered_ = 0;
  std::array<char, 16384> scratch_{};
  size_t served_ = 0;
  int status_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool body_pending_ = false;
};

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc),
                        [this](const boost::system::error_code& ec, tcp::socket socket) {
                          OnAccept(ec, std::move(socket));
                        });
}

void Server::Impl::OnAccept(const boost::system::error_code& ec, tcp::socket socket) {
  if (stopping || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of descriptors (or another transient failure): wait a little instead of spinning.
    accept_retry.emplace(acceptor.get_executor(), std::chrono::milliseconds(50));
    accept_retry->async_wait([this](const boost::system::error_code& wait) {
      if (!wait && !stopping) Accept();
    });
    return;
  }
  boost::system::error_code endpoint_error;
  const tcp::endpoint remote = socket.remote_endpoint(endpoint_error);
  if (!endpoint_error) {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::shared_ptr<SessionBase> session;
    if (ssl) {
      session = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, AddressOf(remote), std::move(socket));
    } else {
      session =
          std::make_shared<Session<beast::tcp_stream>>(*this, AddressOf(remote), std::move(socket));
    }
    if (Register(session)) {
      session->Start();
    } else {
      session->CloseNow();
    }
  }
  Accept();
}

bool Server::Impl::Register(const std::shared_ptr<SessionBase>& session) {
  std::vector<std::shared_ptr<SessionBase>> evicted;
  bool admitted = true;
  {
    MutexLock lock(&mutex);
    auto& from_source = by_source[session->source()];
    if (from_source.size() >= options.max_connections_per_source) {
      admitted = TakeOldestWaiting(from_source, &evicted);
    }
    if (admitted && sessions.size() >= options.max_connections) {
      admitted = TakeOldestWaiting(sessions, &evicted);
    }
    if (admitted) {
      session->serial = ++next_serial;
      sessions.emplace(session->serial, session);
      by_source[session->source()].emplace(session->serial, session);
      ++counters.connections_accepted;
      ++counters.connections_open;
    } else if (from_source.empty()) {
      by_source.erase(session->source());
    }
  }
  for (const auto& old : evicted) old->Evict();
  return admitted;
}

bool Server::Impl::TakeOldestWaiting(std::map<uint64_t, std::weak_ptr<SessionBase>>& list,
                                     std::vector<std::shared_ptr<SessionBase>>* evicted) {
  for (auto& [serial, weak] : list) {
    std::shared_ptr<SessionBase> old = weak.lock();
    if (old == nullptr || !old->waiting) continue;
    const uint64_t id = serial;  // `serial` goes with the entry
    sessions.erase(id);
    by_source[old->source()].erase(id);
    evicted->push_back(std::move(old));
    ++counters.connections_evicted;
    return true;
  }
  return false;
}

void Server::Impl::Unregister(const SessionBase& session) {
  if (session.serial == 0) return;
  MutexLock lock(&mutex);
  --counters.connections_open;
  sessions.erase(session.serial);
  auto it = by_source.find(session.source());
  if (it == by_source.end()) return;
  it->second.erase(session.serial);
  if (it->second.empty()) by_source.erase(it);
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, Router router) {
  if (options.tls_cert_path.empty() != options.tls_key_path.empty()) {
    return InvalidArgument("TLS needs both a certificate and its key");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->router = std::move(router);
  if (!impl->options.tls_cert_path.empty()) {
    impl->ssl.emplace(asio::ssl::context::tls_server);
    asio::ssl::context& context = *impl->ssl;
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    boost::system::error_code ec;
    context.use_certificate_chain_file(impl->options.tls_cert_path, ec);
    if (!ec) context.use_private_key_file(impl->options.tls_key_path, asio::ssl::context::pem, ec);
    if (ec) {
      return InvalidArgument("cannot use the TLS certificate " + impl->options.tls_cert_path +
                             " with key " + impl->options.tls_key_path + ": " + ec.message());
    }
    if (impl->options.require_client_certificate) {
      // Any certificate completes the handshake; the application pins it per request (its list
      // of trusted certificates changes while the server runs).
      context.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
      context.set_verify_callback([](bool, asio::ssl::verify_context&) { return true; });
    }
  }
  std::random_device random;
  impl->id_prefix = (uint64_t{random()} << 32) ^ random();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Start() {
  Impl& s = *impl_;
  RaiseOpenFileLimit();
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(
      s.options.host == "localhost" ? std::string("127.0.0.1") : s.options.host, ec);
  if (ec) return InvalidArgument("listen address " + s.options.host + ": not an IP address");
  const tcp::endpoint endpoint(address, static_cast<uint16_t>(s.options.port));
  const std::string where = s.options.host + ":" + std::to_string(s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  // SO_REUSEADDR lets a restarted node bind while old connections linger in TIME_WAIT; unlike
  // SO_REUSEPORT it never lets two listening sockets share the port.
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    return IoError("cannot listen on " + where + ": " + ec.message() +
                   (ec == asio::error::address_in_use ? " (another process holds the port)" : ""));
  }
  s.port = s.acceptor.local_endpoint().port();
  s.workers = std::make_unique<WorkerPool>(s.options.workers, s.options.max_queued);
  s.Accept();
  const int threads = std::max(1, s.options.io_threads);
  for (int i = 0; i < threads; ++i) {
    s.io_threads.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "entente: HTTP event loop: %s\n", e.what());
        }
      }
    });
  }
  return Status::Ok();
}

void Server::Stop() {
  Impl& s = *impl_;
  if (s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  if (s.workers == nullptr) return;  // never started
  asio::post(s.acceptor.get_executor(), [&s] {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    if (s.accept_retry) s.accept_retry->cancel();
  });
  // Requests already admitted finish; their answers get a moment to leave.
  s.workers->Shutdown();
  for (int i = 0; i < 100 && s.writes_in_flight > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  s.ioc.stop();
  for (std::thread& thread : s.io_threads) thread.join();
  std::vector<std::shared_ptr<Impl::SessionBase>> open;
  {
    MutexLock lock(&s.mutex);
    for (auto& [serial, weak] : s.sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->CloseNow();
  boost::system::error_code ignored;
  s.acceptor.close(ignored);
}

int Server::port() const { return impl_->port; }
bool Server::tls() const { return impl_->ssl.has_value(); }

ServerStats Server::stats() const {
  MutexLock lock(&impl_->mutex);
  return impl_->counters;
}

}  // namespace entente::http
