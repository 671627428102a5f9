#pragma once
// The backends the behavioural suite runs against, and record builders shared by the test files.
#include <sqlcipher/sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <pqxx/pqxx>

#include "server/storage/storage.hpp"
#include "tests/support/postgres_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::server::test {

inline SecretBytes test_key(std::uint8_t fill = 0x5A) {
    Bytes key(32);
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(fill + i);
    return SecretBytes(key);
}

// A directory for one test, removed afterwards.
using TempDir = cccd::testing::TempDir;

// Runs SQL straight on an SQLite/SQLCipher file, past the Storage API; throws when SQLite refuses.
inline void raw_sqlite(const std::string& path, const std::optional<SecretBytes>& key, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    std::string statements = key ? "PRAGMA key = \"x'" + to_hex(key->view()) + "'\";" + sql : sql;
    char* message = nullptr;
    const int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("sqlite refused: " + text);
}

struct SqlCipherBackend {
    static constexpr const char* kName = "sqlcipher";
    TempDir dir;
    std::string path = dir.path() + "/population.db";
    StorageConfig config() const { return {StorageKind::SqlCipher, path, test_key(), 4}; }
    void raw(const std::string& sql) const { raw_sqlite(path, test_key(), sql); }
};

struct PlainSqliteBackend {
    static constexpr const char* kName = "sqlite";
    TempDir dir;
    std::string path = dir.path() + "/population.db";
    StorageConfig config() const { return {StorageKind::PlainSqlite, path, {}, 4}; }
    void raw(const std::string& sql) const { raw_sqlite(path, std::nullopt, sql); }
};

struct PostgresBackend {
    static constexpr const char* kName = "postgres";
    std::string conninfo = cccd::test::PostgresServer::shared().create_database();
    StorageConfig config() const { return {StorageKind::Postgres, conninfo, {}, 4}; }
    void raw(const std::string& sql) const {
        pqxx::connection connection(conninfo);
        pqxx::work work(connection);
        work.exec(sql);
        work.commit();
    }
};

// A citizen with every field set; `index` makes the personal ID (079 + 9 digits).
inline Citizen make_citizen(int index, const std::string& full_name = "Nguyễn Văn An") {
    char id[16];
    std::snprintf(id, sizeof id, "079%09d", index);
    Citizen c;
    c.person.personal_id = id;
    c.person.full_name = full_name;
    c.person.date_of_birth = "01/02/1990";
    c.person.sex = "Nam";
    c.person.nationality = "Việt Nam";
    c.person.ethnicity = "Kinh";
    c.person.religion = "Không";
    c.person.place_of_origin = "Xã Tân Phú, Huyện Châu Thành, Tỉnh Bến Tre";
    c.person.place_of_residence = "12 Đường Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh";
    c.person.identifying_features = "Nốt ruồi cách 2 cm trên đầu lông mày trái";
    c.person.date_of_issue = "10/05/2021";
    c.person.date_of_expiry = "01/02/2030";
    c.person.father_name = "Nguyễn Văn Bình";
    c.person.mother_name = "Trần Thị Cúc";
    if (index % 2 == 0) c.person.spouse_name = "Lê Thị Dung";
    if (index % 3 == 0) c.person.old_id = "025123456";
    if (index % 4 == 0) c.person.cancelled_ids = {"079090000001", "001090000002"};
    c.sex = 'M';
    c.date_of_birth = "1990-02-01";
    c.province_code = "079";
    if (index % 5 == 0) c.photo_jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, static_cast<std::uint8_t>(index)};
    c.updated_at = "2024-01-02T03:04:05Z";
    return c;
}

inline Card make_card(const std::string& card_number, const std::string& personal_id) {
    Card card;
    card.card_number = card_number;
    card.document_number = personal_id.substr(3);  // the MRZ document number: the last 9 digits of the ID
    card.personal_id = personal_id;
    card.card_profile = "cc-2024";
    card.chip_serial = {0x01, 0x02, 0x03, 0x04};
    card.status = CardStatus::Personalizing;
    card.sod_digest = Bytes(32, 0xAB);
    card.active_auth_public_key = {0x30, 0x59, 0x00};
    card.chip_auth_public_key = {0x30, 0x59, 0x01};
    card.ds_certificate = {0x30, 0x82, 0x01, 0x00};
    card.date_of_issue = "2024-01-02";
    card.date_of_expiry = "2039-01-02";
    card.station_id = "HCM-Q1-01";
    card.officer_id = "nguyenvana";
    card.updated_at = "2024-01-02T03:04:05Z";
    return card;
}

inline AuditEntry make_audit(std::uint64_t sequence) {
    AuditEntry e;
    e.sequence = sequence;
    e.time = "2024-01-02T03:04:05Z";
    e.actor = "officer:nguyenvana@station:HCM-Q1-01";
    e.action = "card.activate";
    e.subject = "079000000001";
    e.outcome = "ok";
    e.detail = "entry " + std::to_string(sequence);
    e.previous_hash = Bytes(32, static_cast<std::uint8_t>(sequence - 1));
    e.hash = Bytes(32, static_cast<std::uint8_t>(sequence));
    return e;
}

}  // namespace cccd::server::test
