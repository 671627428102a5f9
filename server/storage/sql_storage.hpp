#pragma once
// What both backends share: the pool, the retry loop, the migrations, and every Transaction operation
// written once over db's connection interface, which the two drivers (db/) implement. Internal to
// server/storage.
#include <array>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "db/connection.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::sql {

// The connection, its values and rows are db's (db/connection.hpp); named here so the storage code reads
// as it did when they lived in it.
using db::Connection;
using db::Null;
using db::Row;
using db::Statement;
using db::Value;

// A numbered migration; `script` is the dialect's own DDL.
struct Migration {
    std::uint32_t version;
    const char* name;
    const char* sqlite_script;
    const char* postgres_script;
};
std::span<const Migration> migrations();

enum class Dialect { Sqlite, Postgres };

// A citizen's 25 column values in table order (personal_id first, name_key folded from the name,
// cancelled_ids last, comma-separated).
std::array<Value, 25> citizen_row(const Citizen& citizen);

// Every Transaction operation, over one connection inside an open transaction.
class SqlTransaction final : public Transaction {
public:
    SqlTransaction(Connection& connection, Dialect dialect) : db_(connection), dialect_(dialect) {}

    void put_citizen(const Citizen& citizen) override;
    std::optional<Citizen> get_citizen(std::string_view personal_id) override;
    std::vector<Citizen> search_citizens_by_name(std::string_view query, std::size_t limit) override;
    std::uint64_t count_citizens() override;

    std::string allocate_card_number() override;
    void put_card(const Card& card) override;
    std::optional<Card> get_card(std::string_view card_number) override;
    std::vector<Card> cards_by_document_number(std::string_view document_number) override;
    std::vector<Card> cards_of(std::string_view personal_id) override;
    void update_card_status(std::string_view card_number, CardStatus expected, CardStatus next,
                            std::string_view updated_at) override;

    void put_enrollment(const Enrollment& enrollment) override;
    std::optional<Enrollment> get_enrollment(std::string_view id) override;
    std::vector<Enrollment> enrollments_of(std::string_view personal_id) override;
    std::vector<Enrollment> enrollments_with_status(EnrollmentStatus status, std::size_t limit) override;
    void update_enrollment_status(std::string_view id, EnrollmentStatus expected, EnrollmentStatus next) override;

    void put_officer(const Officer& officer) override;
    std::optional<Officer> get_officer(std::string_view id) override;
    std::vector<Officer> list_officers() override;
    void put_station(const Station& station) override;
    std::optional<Station> get_station(std::string_view id) override;
    std::optional<Station> station_by_certificate(std::string_view certificate_sha256_hex) override;
    std::vector<Station> list_stations() override;

    void put_relying_party(const RelyingPartyRecord& party) override;
    std::optional<RelyingPartyRecord> get_relying_party(std::string_view id) override;
    std::optional<RelyingPartyRecord> relying_party_by_certificate(std::string_view certificate_sha256_hex) override;
    std::vector<RelyingPartyRecord> list_relying_parties() override;

    void append_audit(const AuditEntry& entry) override;
    std::optional<AuditEntry> last_audit() override;
    std::vector<AuditEntry> audit_range(std::uint64_t first, std::uint64_t last) override;
    void append_checkpoint(const AuditCheckpoint& checkpoint) override;
    std::optional<AuditCheckpoint> last_checkpoint() override;
    std::vector<AuditCheckpoint> checkpoints_from(std::uint64_t first_sequence) override;

    std::optional<IdempotencyRecord> get_idempotency(std::string_view actor, std::string_view key) override;
    void put_idempotency(const IdempotencyRecord& record) override;
    std::uint64_t purge_idempotency_before(std::string_view instant) override;

    // The highest migration recorded in schema_migrations.
    std::uint32_t schema_version();

private:
    Connection& db_;
    Dialect dialect_;
};

// The pool, the retry loop and the migrations; a backend supplies connect().
class SqlStorage : public Storage {
public:
    void import_citizens(std::span<const Citizen> citizens, std::size_t batch_size) override;

protected:
    SqlStorage(Dialect dialect, std::size_t pool_size);
    // Called by the backend's constructor once its first connection works: applies missing migrations.
    void migrate();
    // Puts an already-open connection into the pool (the one the constructor checked the key with).
    void adopt(std::unique_ptr<Connection> connection);
    virtual std::unique_ptr<Connection> connect() = 0;
    // A backend may replace the per-row import of one batch (PostgreSQL uses COPY).
    virtual void import_batch(Connection& connection, std::span<const Citizen> batch);
    void run(Mode mode, const std::function<void(Transaction&)>& work) override;

    Dialect dialect() const noexcept { return dialect_; }

private:
    class Lease;
    std::unique_ptr<Connection> acquire();
    void release(std::unique_ptr<Connection> connection);
    void run_on(Connection& connection, bool read_only, const std::function<void(Connection&)>& work);

    Dialect dialect_;
    std::size_t pool_size_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;  // connections in existence (idle or leased)
};

}  // namespace cccd::server::sql
