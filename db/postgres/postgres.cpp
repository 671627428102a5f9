// The PostgreSQL driver over libpqxx 6: prepared statements per connection, SERIALIZABLE read-write
// transactions, COPY, and the mapping of SQLSTATEs onto db's errors.
#include "db/postgres/postgres.hpp"

#include <array>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <pqxx/pqxx>

namespace cccd::db::pg {

// One statement parameter in libpq's text format (bytea as "\x<hex>"), or NULL.
struct Param {
    bool null = false;
    std::string text;
};

}  // namespace cccd::db::pg

namespace pqxx {
template <>
struct string_traits<cccd::db::pg::Param> {
    static constexpr const char* name() noexcept { return "cccd::db::pg::Param"; }
    static constexpr bool has_null() noexcept { return true; }
    static bool is_null(const cccd::db::pg::Param& p) { return p.null; }
    static cccd::db::pg::Param null() { return {true, {}}; }
    static void from_string(const char text[], cccd::db::pg::Param& p) { p = {false, text}; }
    static std::string to_string(const cccd::db::pg::Param& p) { return p.text; }
};
}  // namespace pqxx

namespace cccd::db {

namespace {

using pg::Param;

constexpr pqxx::oid kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;

Param to_param(const Value& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) return {false, std::to_string(*i)};
    if (const auto* s = std::get_if<std::string>(&value)) return {false, *s};
    if (const auto* b = std::get_if<Bytes>(&value)) return {false, "\\x" + to_hex(*b)};
    return {true, {}};
}

// libpqxx 6 streams only rows whose width is known at compile time (tuples); rows here are as wide as
// the caller's columns, so each width up to kMaxCopyColumns gets its own writer, picked at run time.
constexpr std::size_t kMaxCopyColumns = 64;
using RowWriter = void (*)(pqxx::stream_to&, const std::vector<Param>&);

template <std::size_t... Index>
void write_row(pqxx::stream_to& stream, const std::vector<Param>& row, std::index_sequence<Index...>) {
    stream << std::make_tuple(row[Index]...);
}

template <std::size_t... Width>
constexpr std::array<RowWriter, sizeof...(Width)> row_writers(std::index_sequence<Width...>) {
    return {[](pqxx::stream_to& stream, const std::vector<Param>& row) {
        write_row(stream, row, std::make_index_sequence<Width + 1>());
    }...};
}

// "?1, ?2" (the shared statement syntax) -> "$1, $2".
std::string postgres_text(const char* text) {
    std::string out(text);
    for (char& ch : out) {
        if (ch == '?') ch = '$';
    }
    return out;
}

class PqxxConnection final : public PostgresConnection {
public:
    explicit PqxxConnection(const std::string& connection) {
        try {
            connection_ = std::make_unique<pqxx::connection>(connection);
        } catch (const pqxx::broken_connection& e) {
            throw StorageError("storage: cannot connect to PostgreSQL: " + first_line(e.what()));
        } catch (const std::exception& e) {
            throw StorageError("storage: cannot connect to PostgreSQL: " + first_line(e.what()));
        }
    }

    ~PqxxConnection() override {
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

    std::vector<Row> query(const Statement& statement, std::span<const Value> parameters) override {
        std::vector<Row> rows;
        guarded(statement.name, [&] {
            const pqxx::result result = run(statement, parameters);
            rows.reserve(result.size());
            for (const auto& row : result) {
                std::vector<Value> values;
                values.reserve(row.size());
                for (pqxx::row::size_type c = 0; c < row.size(); ++c) {
                    values.push_back(value(row[c], result.column_type(c)));
                }
                rows.emplace_back(std::move(values));
            }
        });
        return rows;
    }

    std::uint64_t execute(const Statement& statement, std::span<const Value> parameters) override {
        std::uint64_t changed = 0;
        guarded(statement.name, [&] { changed = run(statement, parameters).affected_rows(); });
        return changed;
    }

    void execute_script(std::string_view script) override {
        guarded("running a schema statement", [&] { transaction_->exec(std::string(script)); });
    }

    bool usable() const noexcept override { return !broken_ && connection_ && connection_->is_open(); }

    void copy_into(std::string_view table, std::span<const std::string> columns,
                   const std::function<bool(std::vector<Value>&)>& next_row) override {
        guarded("bulk import", [&] {
            pqxx::stream_to stream(*transaction_, std::string(table), std::vector<std::string>(columns.begin(), columns.end()));
            static constexpr auto kWriters = row_writers(std::make_index_sequence<kMaxCopyColumns>());
            if (columns.empty() || columns.size() > kMaxCopyColumns) {
                throw InvalidArgument("storage: a COPY takes 1 to " + std::to_string(kMaxCopyColumns) + " columns");
            }
            const RowWriter write = kWriters[columns.size() - 1];
            std::vector<Value> row;
            std::vector<Param> line;
            while (next_row(row)) {
                if (row.size() != columns.size()) throw InvalidArgument("storage: a COPY row has the wrong width");
                line.clear();
                for (const Value& value : row) line.push_back(to_param(value));
                write(stream, line);
                row.clear();
            }
            stream.complete();
        });
    }

private:
    static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }
    // "ERROR:  <message>\nCONTEXT: ..." -> "<message>".
    static std::string rule_message(const std::string& text) {
        std::string line = first_line(text);
        constexpr std::string_view kError = "ERROR:  ";
        if (line.starts_with(kError)) line.erase(0, kError.size());
        return line;
    }

    pqxx::result run(const Statement& statement, std::span<const Value> parameters) {
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

    static Value value(const pqxx::field& field, pqxx::oid type) {
        if (field.is_null()) return Null{};
        if (type == kByteaOid) {
            const pqxx::binarystring binary(field);
            return Bytes(binary.data(), binary.data() + binary.size());
        }
        if (type == kInt8Oid || type == kInt2Oid || type == kInt4Oid) return field.as<std::int64_t>();
        return std::string(field.c_str(), field.size());
    }

    // Runs a libpqxx call and turns what it throws into db's errors. PostgreSQL's messages can
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
            // SQLSTATE class CC is this project's own: the schema's triggers raise it with a message
            // of their author's (never a value), so its first line may be passed on.
            if (state.starts_with("CC")) throw SchemaRuleError(context + rule_message(e.what()), state);
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

std::unique_ptr<PostgresConnection> open_postgres(const std::string& connection) {
    return std::make_unique<PqxxConnection>(connection);
}

}  // namespace cccd::db
