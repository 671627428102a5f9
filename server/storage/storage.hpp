#pragma once
// The population database behind cccd-server: one interface, two backends chosen by configuration.
//   SqlCipherStorage  embedded, encrypted file (the default); also a plain-SQLite mode for benchmarks
//   PostgresStorage   scale-out, through libpqxx
// Every operation runs inside a Transaction, so a write, its idempotency record and its audit entry
// commit together or not at all. The schema is created and migrated on open. See docs/server-storage.md.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "db/errors.hpp"
#include "server/model/model.hpp"

namespace cccd::server {

// ---- errors: messages name records by identifier only, never by personal data or key ----

// What the database itself refuses or fails at (db/errors.hpp): StorageError, the root of both;
// WrongKeyError; BusyError (busy through every retry: nothing committed, the caller may try later);
// CommitOutcomeUnknownError (never retried here: the caller checks what landed before it writes
// again); ConstraintError; ConflictError (a unique key taken: an idempotency key, a station
// certificate, an audit sequence number).
using db::BusyError;
using db::CommitOutcomeUnknownError;
using db::ConflictError;
using db::ConstraintError;
using db::StorageError;
using db::WrongKeyError;

// An update names a record that does not exist.
class NotFoundError : public StorageError {
public:
    using StorageError::StorageError;
};

// Compare-and-set lost: the record's status is no longer the one the caller saw.
class StaleStateError : public ConflictError {
public:
    using ConflictError::ConflictError;
};

// An audit entry or checkpoint that does not continue the log (a gap, a repeat, out of order).
class AuditSequenceError : public ConflictError {
public:
    using ConflictError::ConflictError;
};

// ---- records that only the store has ----

// What the API answered to one (actor, idempotency key), so a retried request gets the same answer.
struct IdempotencyRecord {
    std::string actor;
    std::string key;
    Bytes request_hash;           // SHA-256 of the request, to refuse the same key with another body
    int response_status = 0;      // HTTP status
    std::string response_body;    // as sent
    std::string created_at;       // instant
    friend bool operator==(const IdempotencyRecord&, const IdempotencyRecord&) = default;
};

// A relying party of the authentication API (a bank, a public service), known by the SHA-256 of its
// mutual-TLS client certificate. The auth side turns it into auth::RelyingParty.
struct RelyingPartyRecord {
    std::string id;                       // "bank-01": 1..64 of a-z A-Z 0-9 . _ -
    std::string name;                     // for people: consent screens, the audit viewer
    std::string scopes;                   // space-separated: "name date_of_birth age_over_18"
    std::string certificate_sha256;       // 64 hex digits; stored lower-case
    std::uint32_t rate_limit_per_minute = 60;
    bool active = true;
    friend bool operator==(const RelyingPartyRecord&, const RelyingPartyRecord&) = default;
};

// ---- configuration ----

enum class StorageKind {
    SqlCipher,    // encrypted SQLite file, 32-byte key (the default)
    PlainSqlite,  // the same code without a key: benchmarks and comparisons only, never real data
    Postgres,     // PostgreSQL through libpqxx
};
std::string_view to_string(StorageKind kind);
// "sqlcipher", "sqlite", "postgres"
std::optional<StorageKind> storage_kind_from(std::string_view text);

struct StorageConfig {
    StorageKind kind = StorageKind::SqlCipher;
    // SqlCipher/PlainSqlite: the database file path. Postgres: a libpq connection string
    // ("host=127.0.0.1 port=5432 dbname=cccd user=cccd").
    std::string location;
    // SqlCipher only: exactly 32 bytes, resolved by the caller from a key file or the environment.
    SecretBytes key;
    // Connections kept open (each serves one transaction at a time).
    std::size_t pool_size = 4;
};

// ---- the operations ----

// One unit of work. Obtained only inside Storage::transaction / Storage::read; never kept after.
class Transaction {
public:
    virtual ~Transaction() = default;

    // Citizens. put inserts or replaces every field; name search matches the start of the folded
    // name (fold_name: no diacritics, lower case), ordered by that key, at most `limit` results.
    virtual void put_citizen(const Citizen& citizen) = 0;
    virtual std::optional<Citizen> get_citizen(std::string_view personal_id) = 0;
    virtual std::vector<Citizen> search_citizens_by_name(std::string_view query, std::size_t limit) = 0;
    virtual std::uint64_t count_citizens() = 0;

    // Cards, keyed by card number: 16 digits from a sequence that never hands a number out twice (on
    // PostgreSQL not even after a rollback; on SQLite a rolled-back allocation was never seen outside
    // the rolled-back work). The MRZ document number repeats on a citizen's renewals: it is an index.
    // put inserts or replaces; the citizen must exist (ConstraintError).
    virtual std::string allocate_card_number() = 0;
    virtual void put_card(const Card& card) = 0;
    virtual std::optional<Card> get_card(std::string_view card_number) = 0;
    virtual std::vector<Card> cards_of(std::string_view personal_id) = 0;  // by card number
    virtual std::vector<Card> cards_by_document_number(std::string_view document_number) = 0;
    // Sets the status only if it is still `expected`: StaleStateError otherwise, NotFoundError if no card.
    virtual void update_card_status(std::string_view card_number, CardStatus expected, CardStatus next,
                                    std::string_view updated_at) = 0;

    // Enrollments.
    virtual void put_enrollment(const Enrollment& enrollment) = 0;
    virtual std::optional<Enrollment> get_enrollment(std::string_view id) = 0;
    virtual std::vector<Enrollment> enrollments_of(std::string_view personal_id) = 0;  // by created_at
    virtual std::vector<Enrollment> enrollments_with_status(EnrollmentStatus status, std::size_t limit) = 0;
    virtual void update_enrollment_status(std::string_view id, EnrollmentStatus expected, EnrollmentStatus next) = 0;

    // Officers and stations. A station is found by its certificate's SHA-256 in either hex case.
    virtual void put_officer(const Officer& officer) = 0;
    virtual std::optional<Officer> get_officer(std::string_view id) = 0;
    virtual std::vector<Officer> list_officers() = 0;
    virtual void put_station(const Station& station) = 0;  // ConflictError if another station has the certificate
    virtual std::optional<Station> get_station(std::string_view id) = 0;
    virtual std::optional<Station> station_by_certificate(std::string_view certificate_sha256_hex) = 0;
    virtual std::vector<Station> list_stations() = 0;

    // Relying parties. put inserts or replaces (the certificate hex is stored lower-case; ConflictError
    // if another party has the certificate, InvalidArgument for a certificate that is not 64 hex
    // digits); by_certificate accepts either hex case.
    virtual void put_relying_party(const RelyingPartyRecord& party) = 0;
    virtual std::optional<RelyingPartyRecord> get_relying_party(std::string_view id) = 0;
    virtual std::optional<RelyingPartyRecord> relying_party_by_certificate(std::string_view certificate_sha256_hex) = 0;
    virtual std::vector<RelyingPartyRecord> list_relying_parties() = 0;  // by id

    // The audit log, append-only. An entry must carry sequence = last + 1 (1 for the first), else
    // AuditSequenceError; the hashes are stored as given (the chain is the security module's job).
    // A checkpoint must name an existing entry after the last checkpoint.
    virtual void append_audit(const AuditEntry& entry) = 0;
    virtual std::optional<AuditEntry> last_audit() = 0;
    virtual std::vector<AuditEntry> audit_range(std::uint64_t first, std::uint64_t last) = 0;  // inclusive
    virtual void append_checkpoint(const AuditCheckpoint& checkpoint) = 0;
    virtual std::optional<AuditCheckpoint> last_checkpoint() = 0;
    virtual std::vector<AuditCheckpoint> checkpoints_from(std::uint64_t first_sequence) = 0;

    // Idempotency records: put refuses an (actor, key) already recorded with ConflictError.
    virtual std::optional<IdempotencyRecord> get_idempotency(std::string_view actor, std::string_view key) = 0;
    virtual void put_idempotency(const IdempotencyRecord& record) = 0;
    virtual std::uint64_t purge_idempotency_before(std::string_view instant) = 0;  // how many removed
};

class Storage {
public:
    virtual ~Storage() = default;
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    virtual StorageKind kind() const noexcept = 0;

    // Runs `work` in one read-write transaction and returns what it returns: committed when it returns,
    // rolled back when it throws (the exception passes through). On a busy database or a serialization
    // failure the whole of `work` runs again (a few times, with back-off), so it must not have effects
    // outside the Transaction. Thread-safe; do not nest.
    template <typename Work>
    auto transaction(Work&& work) -> std::invoke_result_t<Work&, Transaction&> {
        return run_returning(Mode::ReadWrite, work);
    }
    // The same for reads: a consistent snapshot, no write lock taken.
    template <typename Work>
    auto read(Work&& work) -> std::invoke_result_t<Work&, Transaction&> {
        return run_returning(Mode::ReadOnly, work);
    }

    // Inserts or replaces many citizens fast: one transaction per batch, prepared statements (COPY on
    // PostgreSQL). A batch is all or nothing; batches before a failing one stay committed.
    virtual void import_citizens(std::span<const Citizen> citizens, std::size_t batch_size = 10'000) = 0;

    // The highest migration applied (equals latest_schema_version() after open).
    std::uint32_t schema_version();
    static std::uint32_t latest_schema_version() noexcept;

    // Shorthands, each its own transaction.
    std::optional<Citizen> get_citizen(std::string_view personal_id);
    std::uint64_t count_citizens();
    std::string allocate_card_number();

protected:
    Storage() = default;
    enum class Mode { ReadWrite, ReadOnly };
    virtual void run(Mode mode, const std::function<void(Transaction&)>& work) = 0;

private:
    template <typename Work>
    auto run_returning(Mode mode, Work& work) -> std::invoke_result_t<Work&, Transaction&> {
        using Result = std::invoke_result_t<Work&, Transaction&>;
        if constexpr (std::is_void_v<Result>) {
            run(mode, [&](Transaction& t) { work(t); });
        } else {
            std::optional<Result> result;
            run(mode, [&](Transaction& t) { result.emplace(work(t)); });
            return std::move(*result);
        }
    }
};

// Opens (creating if needed) and migrates the configured store. InvalidArgument for a bad config,
// WrongKeyError for a key that does not open the file, StorageError when the database is unreachable.
std::unique_ptr<Storage> open_storage(const StorageConfig& config);

// PostgreSQL: the role the service runs as, set up by the owner of the tables (the role that ran the
// migrations), connected with `owner_connection`. Creates `service_role` (LOGIN, no other attribute)
// when missing and grants it what the service needs and nothing more: SELECT, INSERT, UPDATE, DELETE on
// the register's tables, only SELECT and INSERT on audit_log and audit_checkpoints, SELECT on
// schema_migrations, the card number sequence; never ownership, TRUNCATE, TRIGGER or REFERENCES. Not
// owning the tables, it can neither change the audit tables nor drop or disable their triggers. Run
// again after every migration (new tables); running it twice changes nothing. Its password (or
// certificate) is the cluster's business: pg_hba.conf, ALTER ROLE ... PASSWORD.
// InvalidArgument for a name that is not [a-z_][a-z0-9_]* (at most 63) or for a role that is a
// superuser, may bypass row security, or is the owner itself; StorageError when PostgreSQL refuses
// (creating a role needs CREATEROLE).
void grant_postgres_service_role(const std::string& owner_connection, std::string_view service_role);

// The search key of a name: Vietnamese diacritics removed (precomposed or combining), Đ -> d, ASCII
// lower case, every run of other characters one space, trimmed. "  Nguyễn Văn Đức " -> "nguyen van duc".
std::string fold_name(std::string_view utf8_name);

}  // namespace cccd::server
