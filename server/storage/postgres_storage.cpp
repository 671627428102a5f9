// The scale-out backend: the pool and migrations of SqlStorage over db's PostgreSQL connections, bulk
// import through COPY, and the service role's grants.
#include "server/storage/postgres_storage.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <pqxx/pqxx>

#include "db/postgres/postgres.hpp"

namespace cccd::server {

namespace {

// The citizen columns in the order SqlTransaction::put_citizen binds them.
const std::array<std::string, 25> kCitizenColumns{
    "personal_id", "full_name", "name_key", "dg13_date_of_birth", "dg13_sex", "nationality", "ethnicity",
    "religion", "place_of_origin", "place_of_residence", "identifying_features", "dg13_date_of_issue",
    "dg13_date_of_expiry", "father_name", "mother_name", "spouse_name", "old_id", "card_serial", "sex",
    "date_of_birth", "province_code", "photo_jpeg", "status", "updated_at", "cancelled_ids"};

std::string joined(const std::array<std::string, 25>& columns, const char* prefix = "") {
    std::string out;
    for (const auto& column : columns) {
        if (!out.empty()) out += ", ";
        out += prefix + column;
    }
    return out;
}

}  // namespace

void grant_postgres_service_role(const std::string& owner_connection, std::string_view service_role) {
    const bool valid = !service_role.empty() && service_role.size() <= 63 &&
                       (std::islower(static_cast<unsigned char>(service_role.front())) != 0 || service_role.front() == '_') &&
                       std::all_of(service_role.begin(), service_role.end(), [](char c) {
                           return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '_';
                       });
    if (!valid)
        throw InvalidArgument("database_service_role must be a PostgreSQL role name of a-z, 0-9 and _ (at most 63), "
                              "starting with a letter or _");
    const std::string role(service_role);
    try {
        pqxx::connection connection(owner_connection);
        pqxx::work work(connection);
        const std::string quoted = work.quote_name(role);
        const pqxx::result owner = work.exec("SELECT tableowner, current_user FROM pg_tables "
                                             "WHERE schemaname = current_schema() AND tablename = 'audit_log'");
        if (owner.empty())
            throw InvalidArgument("storage: the database has no audit_log table yet: run the migrations as its owner first");
        if (owner[0][0].as<std::string>() != owner[0][1].as<std::string>())
            throw InvalidArgument("storage: the owner connection's role does not own the tables: connect as their owner");
        if (owner[0][0].as<std::string>() == role)
            throw InvalidArgument("storage: the service role must not be the owner of the tables (" + role +
                                  " owns them): the append-only triggers do not bind an owner");
        const pqxx::result existing =
            work.exec("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = " + work.quote(role));
        if (existing.empty()) {
            work.exec("CREATE ROLE " + quoted + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
        } else if (existing[0][0].as<bool>()) {
            throw InvalidArgument("storage: the service role " + role +
                                  " is a superuser or bypasses row security: nothing in the database binds it");
        }
        // Start from nothing on every table and sequence, then grant what the service uses.
        const std::string schema = work.quote_name(work.exec("SELECT current_schema()")[0][0].as<std::string>());
        work.exec("REVOKE ALL ON ALL TABLES IN SCHEMA " + schema + " FROM " + quoted);
        work.exec("REVOKE ALL ON ALL SEQUENCES IN SCHEMA " + schema + " FROM " + quoted);
        work.exec("GRANT USAGE ON SCHEMA " + schema + " TO " + quoted);
        work.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + quoted);
        work.exec("REVOKE UPDATE, DELETE ON audit_log, audit_checkpoints FROM " + quoted);
        work.exec("REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM " + quoted);
        work.exec("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + quoted);
        work.commit();
    } catch (const InvalidArgument&) {
        throw;
    } catch (const pqxx::sql_error& e) {
        throw StorageError("storage: setting up the service role " + role + ": PostgreSQL refused it (SQLSTATE " +
                           e.sqlstate() + (e.sqlstate() == "42501" ? ": the owner connection lacks the privilege, e.g. CREATEROLE" : "") + ")");
    } catch (const std::exception& e) {
        const std::string text = e.what();
        throw StorageError("storage: setting up the service role " + role + ": " + text.substr(0, text.find('\n')));
    }
}

PostgresStorage::PostgresStorage(std::string connection, std::size_t pool_size)
    : SqlStorage(sql::Dialect::Postgres, pool_size), connection_(std::move(connection)) {
    adopt(connect());
    migrate();
}

PostgresStorage::~PostgresStorage() = default;

std::unique_ptr<db::Connection> PostgresStorage::connect() { return db::open_postgres(connection_); }

// One batch through COPY into a temporary table, then one upsert from it.
void PostgresStorage::import_batch(db::Connection& connection, std::span<const Citizen> batch) {
    auto& postgres = static_cast<db::PostgresConnection&>(connection);
    postgres.execute_script("SET LOCAL client_min_messages = warning");
    postgres.execute_script("CREATE TEMP TABLE IF NOT EXISTS citizens_import (LIKE citizens, ord BIGINT) ON COMMIT DELETE ROWS");
    std::vector<std::string> columns(kCitizenColumns.begin(), kCitizenColumns.end());
    columns.emplace_back("ord");
    std::size_t next = 0;
    postgres.copy_into("citizens_import", columns, [&](std::vector<db::Value>& row) {
        if (next == batch.size()) return false;
        const auto values = sql::citizen_row(batch[next]);
        row.assign(values.begin(), values.end());
        row.emplace_back(static_cast<std::int64_t>(next++));
        return true;
    });
    // A personal ID twice in one batch: the later row wins, as it would row by row.
    std::string update;
    for (std::size_t i = 1; i < kCitizenColumns.size(); ++i) {
        if (!update.empty()) update += ", ";
        update += kCitizenColumns[i] + " = EXCLUDED." + kCitizenColumns[i];
    }
    postgres.execute_script("INSERT INTO citizens (" + joined(kCitizenColumns) + ") SELECT DISTINCT ON (personal_id) " +
                            joined(kCitizenColumns) + " FROM citizens_import ORDER BY personal_id, ord DESC " +
                            "ON CONFLICT (personal_id) DO UPDATE SET " + update);
}

}  // namespace cccd::server
