#pragma once
// The PostgreSQL driver (libpqxx): read-write transactions are SERIALIZABLE (a serialization failure
// or deadlock is a BusyError, for the caller's retry), read-only ones REPEATABLE READ; a connection
// broken during COMMIT is a CommitOutcomeUnknownError. SQLSTATEs of class CC are this project's own
// schema rules (SchemaRuleError). Its own library, so what needs only SQLCipher does not link libpqxx.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"

namespace cccd::db {

class PostgresConnection : public Connection {
public:
    // COPY ... FROM STDIN into `table` inside the open transaction: next_row fills one row (in the
    // order of `columns`) and returns true, or returns false when there are no more.
    virtual void copy_into(std::string_view table, std::span<const std::string> columns,
                           const std::function<bool(std::vector<Value>&)>& next_row) = 0;
};

// connection: a libpq connection string. StorageError when the server cannot be reached.
std::unique_ptr<PostgresConnection> open_postgres(const std::string& connection);

}  // namespace cccd::db
