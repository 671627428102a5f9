// The embedded database's whole-file operations: the online backup (a consistent snapshot while a
// writer goes on committing, encrypted under the same key, never over an existing file) and the
// integrity check (a damaged, cut-short or foreign file, a wrong key).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "server/storage/sqlcipher_file.hpp"
#include "tests/unit/server_storage/storage_backends.hpp"

namespace cccd::server::test {
namespace {

namespace fs = std::filesystem;

Bytes file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

bool contains(const Bytes& haystack, std::string_view needle) {
    const ByteView bytes = view(needle);
    return std::search(haystack.begin(), haystack.end(), bytes.begin(), bytes.end()) != haystack.end();
}

std::vector<std::string> names_in(const fs::path& directory) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

Enrollment make_enrollment(std::uint64_t index) {
    Enrollment e;
    e.id = "enr-" + std::to_string(index);
    e.personal_id = make_citizen(static_cast<int>(index % 100)).person.personal_id;
    e.station_id = "HCM-Q1-01";
    e.officer_id = "nguyenvana";
    e.record_json = R"({"index":)" + std::to_string(index) + "}";
    e.photo_jpeg = Bytes(200, static_cast<std::uint8_t>(index));
    e.created_at = "2026-12-06T03:00:00Z";
    return e;
}

// A database with some weight: 3000 citizens (a few MB, so a backup takes many small steps).
std::unique_ptr<Storage> populated(const std::string& path, std::uint8_t key_fill = 0x5A) {
    auto storage = open_storage({StorageKind::SqlCipher, path, test_key(key_fill), 4});
    std::vector<Citizen> citizens;
    for (int i = 0; i < 3000; ++i) citizens.push_back(make_citizen(i, i == 7 ? "Phạm Thị Hằng Nga" : "Nguyễn Văn An"));
    storage->import_citizens(citizens);
    storage->transaction([](Transaction& t) {
        t.append_audit(make_audit(1));
        t.append_audit(make_audit(2));
    });
    return storage;
}

// Commits one enrollment and its audit entry per transaction until stopped; `committed` counts the
// transactions that returned (acknowledged), in order: enrollment i is the (i+1)-th.
class Writer {
public:
    explicit Writer(Storage& storage) : storage_(storage), thread_([this] { run(); }) {}
    ~Writer() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::uint64_t committed() {
        std::lock_guard lock(mutex_);
        return committed_;
    }
    // Waits (60 s at most: a guard against a hang, not a measurement) until `count` have committed.
    bool wait_for(std::uint64_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(60), [&] { return committed_ >= count || failed_; }) && !failed_;
    }

private:
    void run() {
        try {
            for (std::uint64_t i = 0; !stop_; ++i) {
                storage_.transaction([&](Transaction& t) {
                    t.put_enrollment(make_enrollment(i));
                    const auto last = t.last_audit();
                    t.append_audit(make_audit(last ? last->sequence + 1 : 1));
                });
                std::lock_guard lock(mutex_);
                committed_ = i + 1;
                changed_.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            failed_ = true;
            changed_.notify_all();
        }
    }

    Storage& storage_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t committed_ = 0;
    bool failed_ = false;
    std::thread thread_;
};

TEST(SqlCipherBackup, CopiesTheDatabaseEncryptedUnderTheSameKeyIntoANewPrivateFile) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    auto storage = populated(database);
    fs::create_directory(dir.path() + "/backups");
    const fs::path destination = dir.path() + "/backups/cccd-1.db";

    std::uint64_t steps = 0;
    SqlCipherBackupOptions options;
    options.pages_per_step = 64;
    options.on_step = [&](const SqlCipherBackupProgress& p) {
        ++steps;
        EXPECT_LE(p.pages_copied, p.pages_total);
    };
    const auto report = backup_sqlcipher(database, test_key(), destination, options);

    EXPECT_GT(steps, 10u) << "the copy went in small steps";
    EXPECT_EQ(report.contents.citizens, 3000u);
    EXPECT_EQ(report.contents.audit_entries, 2u);
    EXPECT_EQ(report.contents.schema_version, Storage::latest_schema_version());
    EXPECT_EQ(report.bytes, fs::file_size(destination));
    EXPECT_EQ(report.pages * 1024, report.bytes);

    struct stat info {};
    ASSERT_EQ(::stat(destination.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    // Nothing else beside it: no temporary file, no journal, no write-ahead log.
    EXPECT_EQ(names_in(dir.path() + "/backups"), std::vector<std::string>{"cccd-1.db"});
    // Encrypted: the name the register holds is not in the file.
    const Bytes bytes = file_bytes(destination);
    EXPECT_FALSE(contains(bytes, "Phạm Thị Hằng Nga"));
    EXPECT_FALSE(contains(bytes, "SQLite format 3"));
    // The same key opens it and it holds the same records; another key does not.
    EXPECT_THROW(SqlCipherFile(destination, test_key(0x11), SqlCipherFile::Access::ReadOnly), WrongKeyError);
    storage.reset();
    auto copy = open_storage({StorageKind::SqlCipher, destination.string(), test_key(), 1});
    EXPECT_EQ(copy->count_citizens(), 3000u);
    EXPECT_EQ(copy->get_citizen(make_citizen(7).person.personal_id)->person.full_name, "Phạm Thị Hằng Nga");
}

TEST(SqlCipherBackup, NeverOverwritesAFileAndLeavesNothingWhenRefused) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    populated(database);
    const fs::path destination = dir.path() + "/old-backup.db";
    write_bytes(destination, Bytes{1, 2, 3});
    EXPECT_THROW(backup_sqlcipher(database, test_key(), destination), InvalidArgument);
    EXPECT_EQ(file_bytes(destination), (Bytes{1, 2, 3}));

    // A wrong key, a missing database, a missing directory: refused, and no file is left behind.
    try {
        backup_sqlcipher(database, test_key(0x11), dir.path() + "/b.db");
        FAIL() << "a wrong key made a backup";
    } catch (const WrongKeyError& e) {
        EXPECT_EQ(std::string(e.what()).find(to_hex(test_key(0x11).view())), std::string::npos) << "the key in a message";
    }
    try {
        backup_sqlcipher(dir.path() + "/missing.db", test_key(), dir.path() + "/c.db");
        FAIL() << "a missing database made a backup";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("there is no database at"), std::string::npos) << e.what();
    }
    EXPECT_THROW(backup_sqlcipher(database, test_key(), dir.path() + "/no/such/dir/d.db"), InvalidArgument);
    const auto names = names_in(dir.path());
    EXPECT_EQ(names, (std::vector<std::string>{"old-backup.db", "population.db"}));
}

// A held snapshot leaves writers alone only in WAL mode: a file in rollback-journal mode (a backup
// never opened for service) is refused until it has been opened, which turns WAL on.
TEST(SqlCipherBackup, OnlyAWriteAheadLogDatabaseIsBackedUp) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    populated(database).reset();
    const fs::path first = dir.path() + "/first.db";
    backup_sqlcipher(database, test_key(), first);
    try {
        backup_sqlcipher(first, test_key(), dir.path() + "/second.db");
        FAIL() << "a rollback-journal database was backed up";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("is not in write-ahead-log mode"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(dir.path() + "/second.db"));
    open_storage({StorageKind::SqlCipher, first.string(), test_key(), 1}).reset();
    EXPECT_EQ(backup_sqlcipher(first, test_key(), dir.path() + "/second.db").contents.citizens, 3000u);
}

// The backup is one snapshot: it holds every transaction acknowledged before it began and no part of
// any transaction committed after, while the writer commits on through the copy.
TEST(SqlCipherBackup, IsAConsistentSnapshotWhileAWriterGoesOnCommitting) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    auto storage = populated(database);
    Writer writer(*storage);
    ASSERT_TRUE(writer.wait_for(50));
    const std::uint64_t acknowledged_before = writer.committed();

    std::uint64_t steps = 0;
    std::uint64_t committed_during = 0;
    SqlCipherBackupOptions options;
    options.pages_per_step = 32;
    options.on_step = [&](const SqlCipherBackupProgress& p) {
        // In the first steps, with the snapshot held, the writer must get two more commits through: a
        // backup that blocked writers would hang here (and fail after the guard's 60 s).
        if (++steps <= 3 && p.pages_copied < p.pages_total) {
            const std::uint64_t now = writer.committed();
            EXPECT_TRUE(writer.wait_for(now + 2)) << "the writer was blocked during the backup";
            committed_during += writer.committed() - now;
        }
    };
    const fs::path destination = dir.path() + "/backup.db";
    const auto report = backup_sqlcipher(database, test_key(), destination, options);
    writer.stop();
    const std::uint64_t total = writer.committed();
    ASSERT_GE(steps, 4u);
    EXPECT_GE(committed_during, 6u);

    auto copy = open_storage({StorageKind::SqlCipher, destination.string(), test_key(), 1});
    // Writes are serialized, so the snapshot holds the first `held` enrollments and nothing after.
    const std::uint64_t held = report.contents.enrollments;
    EXPECT_GE(held, acknowledged_before) << "an enrollment acknowledged before the backup began is missing";
    EXPECT_LT(held, total) << "the writer's later commits must not be in the snapshot";
    copy->read([&](Transaction& t) {
        for (std::uint64_t i = 0; i < total; ++i)
            EXPECT_EQ(t.get_enrollment(make_enrollment(i).id).has_value(), i < held) << "enrollment " << i;
        // Each enrollment came with its audit entry in the same transaction: both are there or neither.
        EXPECT_EQ(t.last_audit()->sequence, held + 2);
    });
    EXPECT_EQ(report.contents.audit_entries, held + 2);
}

TEST(SqlCipherFileCheck, AGoodFilePasses) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    populated(database).reset();
    const auto check = check_sqlcipher_file(database, test_key());
    EXPECT_TRUE(check.ok) << check.problem;
    EXPECT_FALSE(check.cipher_version.empty());
    EXPECT_EQ(check.contents.citizens, 3000u);
    EXPECT_EQ(check.contents.audit_entries, 2u);
    EXPECT_EQ(check.contents.schema_version, Storage::latest_schema_version());
    EXPECT_GT(check.pages, 100u);
}

TEST(SqlCipherFileCheck, ADamagedPageIsFoundAndNamed) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    populated(database).reset();
    const fs::path backup = dir.path() + "/backup.db";
    backup_sqlcipher(database, test_key(), backup);

    // Four bytes of one page in the middle changed (a bad sector, a bit flip in transit).
    Bytes bytes = file_bytes(backup);
    const std::size_t middle = (bytes.size() / 1024 / 2) * 1024 + 300;
    for (std::size_t i = 0; i < 4; ++i) bytes[middle + i] ^= 0xFF;
    write_bytes(backup, bytes);
    const auto check = check_sqlcipher_file(backup, test_key());
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.problem.rfind("the integrity check found damage: ", 0), 0u) << check.problem;
    EXPECT_NE(check.problem.find("page"), std::string::npos) << check.problem;
}

TEST(SqlCipherFileCheck, AFileCutShortFails) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    populated(database).reset();
    const fs::path backup = dir.path() + "/backup.db";
    backup_sqlcipher(database, test_key(), backup);
    fs::resize_file(backup, fs::file_size(backup) / 2);
    const auto check = check_sqlcipher_file(backup, test_key());
    EXPECT_FALSE(check.ok);
    EXPECT_FALSE(check.problem.empty());
}

TEST(SqlCipherFileCheck, AWrongKeyAndAForeignFileAreToldApart) {
    TempDir dir;
    const fs::path database = dir.path() + "/population.db";
    populated(database).reset();
    try {
        check_sqlcipher_file(database, test_key(0x11));
        FAIL() << "a wrong key opened the file";
    } catch (const WrongKeyError& e) {
        EXPECT_NE(std::string(e.what()).find("does not open"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find(to_hex(test_key(0x11).view())), std::string::npos) << "the key in a message";
    }
    // An SQLCipher file with the right key but no CCCD schema.
    const fs::path foreign = dir.path() + "/foreign.db";
    raw_sqlite(foreign.string(), test_key(), "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x');");
    const auto check = check_sqlcipher_file(foreign, test_key());
    EXPECT_FALSE(check.ok);
    EXPECT_NE(check.problem.find("not a CCCD database"), std::string::npos) << check.problem;
}

}  // namespace
}  // namespace cccd::server::test
