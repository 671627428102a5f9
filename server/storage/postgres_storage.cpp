// The PostgreSQL driver over libpqxx 6: prepared statements per connection, SERIALIZABLE read-write
// transactions, COPY for bulk import, and the mapping of SQLSTATEs onto the storage errors.
#include "server/storage/postgres_storage.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>
#include <utility>

#include <pqxx/pqxx>

namespace cccd::server::pg {

// One statement parameter in libpq's text format (bytea as "\x<hex>"), or NULL.
struct Param {
    bool null = false;
    std::string text;
};

}  // namespace cccd::server::pg

namespace pqxx {
template <>
struct string_traits<cccd::server::pg::Param> {
    static constexpr const char* name() noexcept { return "cccd::server::pg::Param"; }
    static constexpr bool has_null() noexcept { return true; }
    static bool is_null(const cccd::server::pg::Param& p) { return p.null; }
    static cccd::server::pg::Param null() { return {true, {}}; }
    static void from_string(const char text[], cccd::server::pg::Param& p) { p = {false, text}; }
    static std::string to_string(const cccd::server::pg::Param& p) { return p.text; }
};
}  // namespace pqxx

namespace cccd::server {

namespace {

using pg::Param;

constexpr pqxx::oid kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;

Param to_param(const sql::Value& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) return {false, std::to_string(*i)};
    if (const auto* s = std::get_if<std::string>(&value)) return {false, *s};
    if (const auto* b = std::get_if<Bytes>(&value)) return {false, "\\x" + to_hex(*b)};
    return {true, {}};
}

// "?1, ?2" (the shared statement syntax) -> "$1, $2".
std::string postgres_text(const char* text) {
    std::string out(text);
    for (char& ch : out) {
        if (ch == '?') ch = '$';
    }
    return out;
}

// The citizen columns in the order SqlTransaction::put_citizen binds them.
const std::array<std::string, 24> kCitizenColumns{
    "personal_id", "full_name", "name_key", "dg13_date_of_birth", "dg13_sex", "nationality", "ethnicity",
    "religion", "place_of_origin", "place_of_residence", "identifying_features", "dg13_date_of_issue",
    "dg13_date_of_expiry", "father_name", "mother_name", "spouse_name", "old_id", "card_serial", "sex",
    "date_of_birth", "province_code", "photo_jpeg", "status", "updated_at"};

std::string joined(const std::array<std::string, 24>& columns, const char* prefix = "") {
    std::string out;
    for (const auto& column : columns) {
        if (!out.empty()) out += ", ";
        out += prefix + column;
    }
    return out;
}

class PostgresConnection final : public sql::Connection {
public:
    explicit PostgresConnection(const std::string& connection) {
        try {
            connection_ = std::make_unique<pqxx::connection>(connection);
        } catch (const pqxx::broken_connection& e) {
            throw StorageError("storage: cannot connect to PostgreSQL: " + first_line(e.what()));
        } catch (const std::exception& e) {
            throw StorageError("storage: cannot connect to PostgreSQL: " + first_line(e.what()));
        }
    }

    ~PostgresConnection() override {
        transaction_.reset();  // aborts an open transaction before the connection closes
    }

    void begin(bool read_only) override {
        guarded("begin", [&] {
            if (read_only) {
                transaction_ = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(*connection_);
            } else {
                transaction_ = std::make_unique<pqxx::transaction<pqxx::serializable>>(*connection_);
            }
        });
    }

    void commit() override {
        guarded("commit", [&] { transaction_->commit(); }, true);
        transaction_.reset();
    }

    void rollback() noexcept override {
        try {
            transaction_.reset();  // destroying an open pqxx transaction aborts it
        } catch (...) {
            broken_ = true;
        }
    }

    std::vector<sql::Row> query(const sql::Statement& statement, std::span<const sql::Value> parameters) override {
        std::vector<sql::Row> rows;
        guarded(statement.name, [&] {
            const pqxx::result result = run(statement, parameters);
            rows.reserve(result.size());
            for (const auto& row : result) {
                std::vector<sql::Value> values;
                values.reserve(row.size());
                for (pqxx::row::size_type c = 0; c < row.size(); ++c) {
                    values.push_back(value(row[c], result.column_type(c)));
                }
                rows.emplace_back(std::move(values));
            }
        });
        return rows;
    }

    std::uint64_t execute(const sql::Statement& statement, std::span<const sql::Value> parameters) override {
        std::uint64_t changed = 0;
        guarded(statement.name, [&] { changed = run(statement, parameters).affected_rows(); });
        return changed;
    }

    void execute_script(std::string_view script) override {
        guarded("running a schema statement", [&] { transaction_->exec(std::string(script)); });
    }

    bool usable() const noexcept override { return !broken_ && connection_ && connection_->is_open(); }

    // One batch of citizens through COPY into a temporary table, then one upsert from it.
    void copy_citizens(std::span<const Citizen> batch, const std::function<std::array<sql::Value, 24>(const Citizen&)>& row_of) {
        guarded("bulk import", [&] {
            transaction_->exec("SET LOCAL client_min_messages = warning");
            transaction_->exec(
                "CREATE TEMP TABLE IF NOT EXISTS citizens_import (LIKE citizens, ord BIGINT) ON COMMIT DELETE ROWS");
            std::vector<std::string> columns(kCitizenColumns.begin(), kCitizenColumns.end());
            columns.emplace_back("ord");
            {
                pqxx::stream_to stream(*transaction_, "citizens_import", columns);
                std::int64_t ord = 0;
                for (const Citizen& citizen : batch) {
                    const auto values = row_of(citizen);
                    std::array<Param, 25> line;
                    for (std::size_t i = 0; i < values.size(); ++i) line[i] = to_param(values[i]);
                    line[24] = {false, std::to_string(ord++)};
                    stream << line;
                }
                stream.complete();
            }
            // A personal ID twice in one batch: the later row wins, as it would row by row.
            std::string update;
            for (std::size_t i = 1; i < kCitizenColumns.size(); ++i) {
                if (!update.empty()) update += ", ";
                update += kCitizenColumns[i] + " = EXCLUDED." + kCitizenColumns[i];
            }
            transaction_->exec("INSERT INTO citizens (" + joined(kCitizenColumns) + ") SELECT DISTINCT ON (personal_id) " +
                               joined(kCitizenColumns) + " FROM citizens_import ORDER BY personal_id, ord DESC " +
                               "ON CONFLICT (personal_id) DO UPDATE SET " + update);
        });
    }

private:
    static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

    pqxx::result run(const sql::Statement& statement, std::span<const sql::Value> parameters) {
        auto found = prepared_.find(statement.text);
        if (found == prepared_.end()) {
            const std::string name = "s" + std::to_string(prepared_.size() + 1);
            connection_->prepare(name, postgres_text(statement.text));
            found = prepared_.emplace(statement.text, name).first;
        }
        std::vector<Param> params;
        params.reserve(parameters.size());
        for (const auto& v : parameters) params.push_back(to_param(v));
        return transaction_->exec_prepared(found->second, pqxx::prepare::make_dynamic_params(params));
    }

    static sql::Value value(const pqxx::field& field, pqxx::oid type) {
        if (field.is_null()) return sql::Null{};
        if (type == kByteaOid) {
            const pqxx::binarystring binary(field);
            return Bytes(binary.data(), binary.data() + binary.size());
        }
        if (type == kInt8Oid || type == kInt2Oid || type == kInt4Oid) return field.as<std::int64_t>();
        return std::string(field.c_str(), field.size());
    }

    // Runs a libpqxx call and turns what it throws into the storage errors. PostgreSQL's messages can
    // quote values (DETAIL: Key (...)=(...)), so only the SQLSTATE and the step's name go further.
    template <typename Call>
    void guarded(std::string_view step, Call&& call, bool committing = false) {
        const std::string context = "storage: " + std::string(step) + ": ";
        try {
            call();
        } catch (const pqxx::serialization_failure&) {
            throw BusyError(context + "concurrent transactions conflicted");
        } catch (const pqxx::deadlock_detected&) {
            throw BusyError(context + "deadlock");
        } catch (const pqxx::unique_violation&) {
            throw ConflictError(context + "a record with this key already exists");
        } catch (const pqxx::foreign_key_violation&) {
            throw ConstraintError(context + "it refers to a record that does not exist");
        } catch (const pqxx::integrity_constraint_violation&) {
            throw ConstraintError(context + "a constraint refused the value");
        } catch (const pqxx::sql_error& e) {
            const std::string state = e.sqlstate();
            if (state == "CCA01") throw AuditSequenceError(context + "audit sequence must continue the log");
            if (state == "CCA02") throw StorageError(context + "the audit log is append-only");
            if (state == "40001" || state == "40P01") throw BusyError(context + "concurrent transactions conflicted");
            throw StorageError(context + "PostgreSQL refused it (SQLSTATE " + state + ")");
        } catch (const pqxx::in_doubt_error&) {
            broken_ = true;
            throw CommitOutcomeUnknownError(context + "the connection broke during commit; the outcome is unknown");
        } catch (const pqxx::broken_connection&) {
            broken_ = true;
            if (committing) throw CommitOutcomeUnknownError(context + "lost the connection to PostgreSQL during commit; the outcome is unknown");
            throw StorageError(context + "lost the connection to PostgreSQL");
        } catch (const pqxx::failure& e) {
            throw StorageError(context + first_line(e.what()));
        }
    }

    std::unique_ptr<pqxx::connection> connection_;
    std::unique_ptr<pqxx::dbtransaction> transaction_;
    std::unordered_map<const char*, std::string> prepared_;  // statement text -> prepared name
    bool broken_ = false;
};

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

std::unique_ptr<sql::Connection> PostgresStorage::connect() {
    return std::make_unique<PostgresConnection>(connection_);
}

void PostgresStorage::import_batch(sql::Connection& connection, std::span<const Citizen> batch) {
    auto& postgres = static_cast<PostgresConnection&>(connection);
    postgres.copy_citizens(batch, [](const Citizen& citizen) { return sql::citizen_row(citizen); });
}

}  // namespace cccd::server
