#pragma once
// One SQL connection, whatever the database: parameters and rows as values, statements written once
// with numbered parameters. Two drivers implement it: SQLCipher (db/sqlcipher.hpp, the embedded
// default, also the station's offline queue) and PostgreSQL (db/postgres/postgres.hpp, scale-out). The
// server's storage (server/storage) builds its transactions, pool and migrations on top.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.hpp"
#include "db/errors.hpp"

namespace cccd::db {

struct Null {
    friend bool operator==(Null, Null) = default;
};
using Value = std::variant<Null, std::int64_t, std::string, Bytes>;

// One result row; the accessors convert NULL to the empty value of the type (StorageError for a
// column of another type).
class Row {
public:
    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
    std::string text(std::size_t column) const;
    std::optional<std::string> optional_text(std::size_t column) const;
    std::int64_t integer(std::size_t column) const;
    Bytes bytes(std::size_t column) const;
    bool is_null(std::size_t column) const;

private:
    std::vector<Value> values_;
};

// A statement written once with numbered parameters ?1, ?2, ... (SQLite syntax; the PostgreSQL
// driver turns them into $1, $2, ...). Statements are static objects: drivers cache by address.
struct Statement {
    const char* name;  // names the statement in error messages (never parameter values)
    const char* text;
};

class Connection {
public:
    virtual ~Connection() = default;
    virtual void begin(bool read_only) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    virtual std::vector<Row> query(const Statement& statement, std::span<const Value> parameters) = 0;
    // Rows changed by an INSERT/UPDATE/DELETE.
    virtual std::uint64_t execute(const Statement& statement, std::span<const Value> parameters) = 0;
    // Several statements without parameters (migrations).
    virtual void execute_script(std::string_view script) = 0;
    // False after the connection broke: a pool drops it instead of using it again.
    virtual bool usable() const noexcept { return true; }
    // Bulk import on (true) and off (false). SQLite: a large page cache for the duration, because
    // indexes that receive random keys would at scale otherwise miss the cache (and with SQLCipher
    // decrypt a page) on nearly every row.
    virtual void bulk_load(bool /*on*/) {}
};

}  // namespace cccd::db
