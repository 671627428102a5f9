#pragma once
// The scale-out backend: PostgreSQL through libpqxx. Read-write transactions are SERIALIZABLE and are
// retried on serialization failures; bulk import uses COPY.
#include <string>

#include "server/storage/sql_storage.hpp"

namespace cccd::server {

class PostgresStorage final : public sql::SqlStorage {
public:
    // connection: a libpq connection string. StorageError when the server cannot be reached.
    explicit PostgresStorage(std::string connection, std::size_t pool_size = 4);
    ~PostgresStorage() override;

    StorageKind kind() const noexcept override { return StorageKind::Postgres; }

private:
    std::unique_ptr<db::Connection> connect() override;
    void import_batch(db::Connection& connection, std::span<const Citizen> batch) override;

    std::string connection_;
};

}  // namespace cccd::server
