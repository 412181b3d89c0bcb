#include <libpq-fe.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "store/sql_connection.h"

namespace entente::store {
namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string TrimmedError(const char* text) {
  std::string message = text != nullptr ? text : "unknown error";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const override { return PQstatus(conn_) == CONNECTION_OK; }

  Status Execute(std::string_view script) override {
    const std::string text(script);
    PgResult result(PQexec(conn_, text.c_str()));
    return Check(result.get(), "executing script");
  }

  Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto name = Prepare(sql, static_cast<int>(params.size()));
    if (!name.ok()) return name.status();
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        texts[i] = std::to_string(*n);
        values[i] = texts[i].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        values[i] = text->c_str();
      }
    }
    PgResult result(PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()),
                                   values.data(), nullptr, nullptr, 0));
    ENTENTE_RETURN_IF_ERROR(Check(result.get(), "running a statement"));
    SqlRows out;
    const int rows = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    for (int c = 0; c < columns; ++c) out.columns.emplace_back(PQfname(result.get(), c));
    out.rows.resize(rows);
    for (int r = 0; r < rows; ++r) {
      auto& row = out.rows[r];
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c) != 0) {
          row.emplace_back();
        } else {
          row.emplace_back(
              std::string(PQgetvalue(result.get(), r, c), PQgetlength(result.get(), r, c)));
        }
      }
    }
    return out;
  }

 private:
  Result<std::string> Prepare(std::string_view sql, int params) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    std::string name = "entente_" + std::to_string(statements_.size());
    const std::string text(sql);
    PgResult result(PQprepare(conn_, name.c_str(), text.c_str(), params, nullptr));
    ENTENTE_RETURN_IF_ERROR(Check(result.get(), "preparing a statement"));
    statements_.emplace(text, name);
    return name;
  }

  Status Check(PGresult* result, std::string_view what) const {
    const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
    std::string message =
        "postgresql: " + std::string(what) + ": " +
        TrimmedError(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    if (PQstatus(conn_) != CONNECTION_OK) return IoError(std::move(message));
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state != nullptr ? state : "";
    if (code == "23505") return AlreadyExists(std::move(message));
    if (code == "23503") return FailedPrecondition(std::move(message));
    // Deadlock or serialization failure: the transaction lost a race and may be retried.
    if (code == "40P01" || code == "40001") {
      return FailedPrecondition("transaction conflict, retry: " + message);
    }
    if (code.starts_with("08")) return IoError(std::move(message));
    return Internal(std::move(message));
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> statements_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    Status status = IoError("postgresql: cannot connect: " +
                            TrimmedError(conn != nullptr ? PQerrorMessage(conn) : nullptr));
    PQfinish(conn);
    return status;
  }
  auto connection = std::make_unique<PostgresConnection>(conn);
  // Warnings such as "relation already exists, skipping" are not for the user.
  ENTENTE_RETURN_IF_ERROR(connection->Execute("SET client_min_messages = warning"));
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace entente::store
