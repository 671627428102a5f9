// admin backup, backup verify and restore on SQLCipher files in a temp dir: a backup that restores
// (taken while a writer enrolls, restored elsewhere, every acknowledged enrollment there and the audit
// chain verifying), and the refusals: a damaged backup, a wrong key, an untrusted audit key, a
// rewritten audit entry, a non-empty data directory, PostgreSQL.
#include "server/admin/backup.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include <pqxx/pqxx>

#include "base/clock.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/admin/installation.hpp"
#include "server/audit/audit_log.hpp"
#include "tests/support/postgres_fixture.hpp"
#include "tests/unit/server_admin/admin_test_support.hpp"

namespace cccd::server::admin::test {
namespace {

namespace fs = std::filesystem;

unsigned permissions_of(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return 0;
    return static_cast<unsigned>(info.st_mode) & 0777u;
}

Bytes file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::size_t entries_in(const fs::path& directory) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(directory)) ++count;
    return count;
}

Enrollment enrollment(std::uint64_t index) {
    Enrollment e;
    e.id = "enr-" + std::to_string(index);
    e.personal_id = "079" + std::to_string(100000000 + index);
    e.station_id = "HCM-Q1-01";
    e.officer_id = "nguyenvana";
    e.record_json = R"({"index":)" + std::to_string(index) + "}";
    e.photo_jpeg = Bytes(300, static_cast<std::uint8_t>(index));
    e.created_at = utc_now();
    return e;
}

class Backups : public ::testing::Test {
protected:
    void SetUp() override {
        config.audit_checkpoint_log = dir.file("checkpoints.jsonl");
        config.audit_checkpoint_entries = 10;
        config.audit_checkpoint_seconds = 300;
        init_installation(config, security::password_from(kPassphrase), kActor, kFastKdf);  // checkpoint at 1
        signing_key.emplace(crypto::read_ed25519_key_file(config.audit_signing_key_file, security::password_from(kPassphrase)));
        // The copy of the public key kept off the host.
        public_key_file = dir.file("audit-public.txt");
        std::ofstream(public_key_file) << to_hex(signing_key->public_key()) << "\n";
        storage = open_configured_storage(config);
        checkpointer = std::make_unique<AuditCheckpointer>(*storage, *signing_key, config.audit_checkpoint_entries,
                                                           std::chrono::seconds(config.audit_checkpoint_seconds));
        checkpointer->on_checkpoint([this](const AuditCheckpoint& made) { append_checkpoint_log(config.audit_checkpoint_log, made); });
        fs::create_directory(dir.file("backups"));
        fs::create_directory(dir.file("scratch"));
    }

    // As the API enrolls: the enrollment and its audit entry in one transaction, then a checkpoint when due.
    void enroll(std::uint64_t index) {
        storage->transaction([&](Transaction& t) {
            t.put_enrollment(enrollment(index));
            append_audit(t, {utc_now(), "officer:nguyenvana@station:HCM-Q1-01", "enrollment.submit", "enr-" + std::to_string(index), "ok", ""});
        });
        checkpointer->maybe_checkpoint();
    }

    // What the operator brings: the public key and the checkpoint log kept off the host.
    BackupExpectations expectations() const {
        BackupExpectations expected;
        expected.trusted_keys = trusted_audit_keys({public_key_file});
        expected.audit.published = read_checkpoint_log(config.audit_checkpoint_log);
        expected.audit.checkpoint_interval = std::chrono::seconds(config.audit_checkpoint_seconds);
        expected.audit.checkpoint_entries = config.audit_checkpoint_entries;
        return expected;
    }

    SecretBytes database_key() const { return load_database_key(config.database_key_file); }

    fs::path backup_with(std::uint64_t enrollments, const std::string& name = "cccd-1.db") {
        for (std::uint64_t i = 0; i < enrollments; ++i) enroll(i);
        checkpointer->checkpoint_now();
        const fs::path file = dir.file("backups/" + name);
        take_backup(config, file);
        return file;
    }

    TempDir dir;
    http::ServerConfig config = installation_config(dir);
    std::optional<crypto::Ed25519KeyPair> signing_key;
    std::string public_key_file;
    std::unique_ptr<Storage> storage;
    std::unique_ptr<AuditCheckpointer> checkpointer;
};

TEST_F(Backups, ABackupVerifiesAndRestoresIntoAMissingDataDirectory) {
    const fs::path backup = backup_with(25);
    EXPECT_EQ(permissions_of(backup), 0600u);
    const Bytes before = file_bytes(backup);

    const auto verified = verify_backup(backup, database_key(), expectations(), dir.file("scratch"));
    EXPECT_TRUE(verified.ok) << verified.problem;
    EXPECT_TRUE(verified.audit_checked);
    EXPECT_EQ(verified.file.contents.enrollments, 25u);
    EXPECT_EQ(verified.audit.entries, 26u);  // install.init, then one per enrollment
    EXPECT_EQ(verified.audit.covered_up_to, 26u);
    EXPECT_EQ(verified.audit.published_matched, read_checkpoint_log(config.audit_checkpoint_log).size());
    EXPECT_EQ(verified.schema_version, Storage::latest_schema_version());
    // The backup was only read; the working copy is gone.
    EXPECT_EQ(file_bytes(backup), before);
    EXPECT_EQ(entries_in(dir.file("scratch")), 0u);

    TempDir elsewhere;
    const fs::path restored = elsewhere.file("data/population.db");
    const auto report = restore_backup(backup, database_key(), restored, expectations(), kActor);
    ASSERT_TRUE(report.restored) << report.verification.problem;
    EXPECT_EQ(report.restore_entry, 27u);
    EXPECT_EQ(permissions_of(elsewhere.file("data")), 0700u);
    EXPECT_EQ(permissions_of(restored), 0600u);
    EXPECT_EQ(entries_in(elsewhere.file("data")), 1u) << "only the database, no working file left";

    auto copy = open_storage({StorageKind::SqlCipher, restored.string(), database_key(), 1});
    copy->read([](Transaction& t) {
        for (std::uint64_t i = 0; i < 25; ++i) EXPECT_TRUE(t.get_enrollment("enr-" + std::to_string(i)).has_value()) << i;
        const auto last = t.last_audit();
        ASSERT_TRUE(last.has_value());
        EXPECT_EQ(last->action, "database.restore");
        EXPECT_EQ(last->actor, kActor);
        EXPECT_EQ(last->detail, "backup=cccd-1.db last_entry=26");
    });
    const auto audit = verify_audit(*copy, trusted_audit_keys({public_key_file}), expectations().audit);
    EXPECT_TRUE(audit.ok) << audit.problem;
    // The live log went on from entry 26 with other entries than the restore's 27: a restored database is
    // held to the checkpoints up to 26.
    EXPECT_EQ(restored_backup_end(*copy), 26u);
}

TEST_F(Backups, ADamagedBackupFailsVerificationAndIsNotRestored) {
    const fs::path backup = backup_with(200);
    Bytes bytes = file_bytes(backup);
    const std::size_t middle = (bytes.size() / 1024 / 2) * 1024 + 200;
    for (std::size_t i = 0; i < 8; ++i) bytes[middle + i] ^= 0x5A;
    write_bytes(backup, bytes);

    const auto verified = verify_backup(backup, database_key(), expectations(), dir.file("scratch"));
    EXPECT_FALSE(verified.ok);
    EXPECT_FALSE(verified.audit_checked);
    EXPECT_NE(verified.problem.find("integrity check found damage"), std::string::npos) << verified.problem;

    TempDir elsewhere;
    fs::create_directory(elsewhere.file("data"));
    const auto report = restore_backup(backup, database_key(), elsewhere.file("data/population.db"), expectations(), kActor);
    EXPECT_FALSE(report.restored);
    EXPECT_EQ(report.verification.problem, verified.problem);
    EXPECT_EQ(entries_in(elsewhere.file("data")), 0u) << "a failed restore leaves the directory as it found it";

    // A backup cut short (a copy interrupted on its way to the backup host).
    const fs::path short_backup = backup_with(0, "cccd-2.db");
    fs::resize_file(short_backup, fs::file_size(short_backup) / 3);
    EXPECT_FALSE(verify_backup(short_backup, database_key(), expectations(), dir.file("scratch")).ok);
    EXPECT_FALSE(restore_backup(short_backup, database_key(), elsewhere.file("data/population.db"), expectations(), kActor).restored);
    EXPECT_EQ(entries_in(elsewhere.file("data")), 0u);
}

TEST_F(Backups, AWrongKeyIsRefusedWithoutPrintingAKey) {
    const fs::path backup = backup_with(3);
    const SecretBytes wrong(Bytes(32, 0x77));
    try {
        verify_backup(backup, wrong, expectations(), dir.file("scratch"));
        FAIL() << "a wrong key opened the backup";
    } catch (const WrongKeyError& e) {
        EXPECT_NE(std::string(e.what()).find("does not open the backup " + backup.string()), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find(to_hex(wrong.view())), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find(to_hex(database_key().view())), std::string::npos);
    }
    EXPECT_EQ(entries_in(dir.file("scratch")), 0u);
    TempDir elsewhere;
    EXPECT_THROW(restore_backup(backup, wrong, elsewhere.file("data/population.db"), expectations(), kActor), WrongKeyError);
    EXPECT_FALSE(fs::exists(elsewhere.file("data"))) << "the directory the restore made is removed again";
}

TEST_F(Backups, AnAuditLogThatDoesNotVerifyFailsTheBackup) {
    const fs::path backup = backup_with(12);
    // Another key than the one that signed the checkpoints.
    BackupExpectations untrusted = expectations();
    untrusted.trusted_keys.clear();
    crypto::add_public_key(untrusted.trusted_keys, crypto::Ed25519KeyPair::generate().public_key());
    auto verified = verify_backup(backup, database_key(), untrusted, dir.file("scratch"));
    EXPECT_FALSE(verified.ok);
    EXPECT_EQ(verified.problem.rfind("the audit chain does not verify: ", 0), 0u) << verified.problem;

    // An entry rewritten in the backup by whoever holds it and the database key: integrity_check is
    // content with the file, the chain is not.
    http::ServerConfig on_backup = config;
    on_backup.database_path = backup.string();
    raw_sql(on_backup, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET subject = 'enr-999' WHERE sequence = 5;");
    verified = verify_backup(backup, database_key(), expectations(), dir.file("scratch"));
    EXPECT_TRUE(verified.file.ok) << verified.file.problem;
    EXPECT_FALSE(verified.ok);
    EXPECT_NE(verified.problem.find("entry 5"), std::string::npos) << verified.problem;
    TempDir elsewhere;
    EXPECT_FALSE(restore_backup(backup, database_key(), elsewhere.file("data/population.db"), expectations(), kActor).restored);
}

TEST_F(Backups, CheckpointsPublishedAfterTheBackupAreNotLookedForInIt) {
    const fs::path backup = backup_with(5);
    for (std::uint64_t i = 5; i < 40; ++i) enroll(i);  // checkpoints the backup cannot have
    checkpointer->checkpoint_now();
    const auto verified = verify_backup(backup, database_key(), expectations(), dir.file("scratch"));
    EXPECT_TRUE(verified.ok) << verified.problem;
    EXPECT_GE(verified.published_later, 3u);
    EXPECT_EQ(verified.audit.published_matched + verified.published_later, read_checkpoint_log(config.audit_checkpoint_log).size());
}

TEST_F(Backups, ARestoreNeverGoesIntoANonEmptyDataDirectory) {
    const fs::path backup = backup_with(2);
    TempDir elsewhere;
    fs::create_directory(elsewhere.file("data"));
    write_bytes(elsewhere.file("data/population.db"), Bytes{9, 9, 9});
    try {
        restore_backup(backup, database_key(), elsewhere.file("data/population.db"), expectations(), kActor);
        FAIL() << "a restore went into a non-empty directory";
    } catch (const AdminRefusal& e) {
        EXPECT_NE(std::string(e.what()).find("is not empty (it holds population.db)"), std::string::npos) << e.what();
    }
    EXPECT_EQ(file_bytes(elsewhere.file("data/population.db")), (Bytes{9, 9, 9}));
    EXPECT_EQ(entries_in(elsewhere.file("data")), 1u);
    // Another file than the database is enough to refuse.
    fs::remove(elsewhere.file("data/population.db"));
    write_bytes(elsewhere.file("data/notes.txt"), Bytes{1});
    EXPECT_THROW(restore_backup(backup, database_key(), elsewhere.file("data/population.db"), expectations(), kActor), AdminRefusal);
}

TEST_F(Backups, PostgreSQLIsReferredToItsOwnProcedure) {
    http::ServerConfig postgres = config;
    postgres.database_kind = "postgresql";
    postgres.database_connection_string = "host=127.0.0.1 dbname=cccd";
    try {
        take_backup(postgres, dir.file("backups/pg.db"));
        FAIL() << "a PostgreSQL configuration was backed up as a file";
    } catch (const InvalidArgument& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("pg_basebackup"), std::string::npos) << message;
        EXPECT_NE(message.find("admin audit verify"), std::string::npos) << message;
        EXPECT_NE(message.find("docs/backup-restore.md"), std::string::npos) << message;
    }
    EXPECT_NO_THROW(require_sqlcipher_backend(config, "backup verify"));
}

// Enrollments stream in on a writer thread (each with its audit entry, checkpoints as they fall due)
// while the backup copies; the backup restores elsewhere with every enrollment acknowledged before it
// began, and its audit chain verifies.
TEST_F(Backups, ABackupTakenDuringAStreamOfEnrollmentsRestoresEveryAcknowledgedOne) {
    for (std::uint64_t i = 0; i < 300; ++i) enroll(i);  // some pages to copy
    std::mutex mutex;
    std::condition_variable changed;
    std::uint64_t acknowledged = 300;
    bool failed = false;
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        try {
            for (std::uint64_t i = 300; !stop; ++i) {
                enroll(i);
                std::lock_guard lock(mutex);
                acknowledged = i + 1;
                changed.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            failed = true;
            changed.notify_all();
        }
    });
    auto acknowledged_now = [&] {
        std::lock_guard lock(mutex);
        return acknowledged;
    };
    // A guard against a hang (60 s), not a measurement.
    auto wait_for = [&](std::uint64_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(60), [&] { return acknowledged >= count || failed; }) && !failed;
    };
    ASSERT_TRUE(wait_for(320));

    const std::uint64_t acknowledged_before = acknowledged_now();
    std::uint64_t steps = 0;
    SqlCipherBackupOptions options;
    options.pages_per_step = 16;
    options.on_step = [&](const SqlCipherBackupProgress& p) {
        // The writer gets enrollments through while the copy is under way.
        if (++steps <= 3 && p.pages_copied < p.pages_total) {
            EXPECT_TRUE(wait_for(acknowledged_now() + 3)) << "the writer was blocked during the backup";
        }
    };
    const fs::path backup = dir.file("backups/during.db");
    const auto report = take_backup(config, backup, options);
    ASSERT_TRUE(wait_for(acknowledged_now() + 3));
    stop = true;
    writer.join();
    ASSERT_FALSE(failed);
    const std::uint64_t total = acknowledged_now();
    EXPECT_GE(steps, 4u);
    EXPECT_GE(report.contents.enrollments, acknowledged_before);
    EXPECT_LT(report.contents.enrollments, total);

    TempDir elsewhere;
    const fs::path restored = elsewhere.file("data/population.db");
    const auto restore = restore_backup(backup, database_key(), restored, expectations(), kActor);
    ASSERT_TRUE(restore.restored) << restore.verification.problem;
    EXPECT_TRUE(restore.verification.audit.ok);
    EXPECT_GT(restore.verification.published_later, 0u) << "the writer went on checkpointing after the backup";

    auto copy = open_storage({StorageKind::SqlCipher, restored.string(), database_key(), 1});
    std::uint64_t held = 0;
    std::uint64_t enrollment_entries = 0;
    copy->read([&](Transaction& t) {
        for (std::uint64_t i = 0; i < total; ++i) {
            const bool there = t.get_enrollment("enr-" + std::to_string(i)).has_value();
            if (i < acknowledged_before) {
                EXPECT_TRUE(there) << "enrollment " << i << " was acknowledged before the backup";
            }
            if (there) ++held;
        }
        for (const auto& entry : t.audit_range(1, t.last_audit()->sequence))
            if (entry.action == "enrollment.submit") ++enrollment_entries;
    });
    // One snapshot: the enrollments and their audit entries are the same set, a prefix of the stream.
    EXPECT_EQ(held, report.contents.enrollments);
    EXPECT_EQ(enrollment_entries, held);
    copy->read([&](Transaction& t) {
        EXPECT_TRUE(t.get_enrollment("enr-" + std::to_string(held - 1)).has_value());
        EXPECT_FALSE(t.get_enrollment("enr-" + std::to_string(held)).has_value());
    });
    // The chain verifies on the restored database, held to the checkpoint log up to the backup.
    AuditExpectations up_to_backup = expectations().audit;
    std::erase_if(up_to_backup.published, [&](const AuditCheckpoint& c) { return c.sequence > report.contents.audit_entries; });
    const auto audit = verify_audit(*copy, trusted_audit_keys({public_key_file}), up_to_backup);
    EXPECT_TRUE(audit.ok) << audit.problem;
    EXPECT_EQ(audit.entries, report.contents.audit_entries + 1);  // and the restore's own entry
}

// PostgreSQL backups are the cluster's (docs/backup-restore.md); what this test holds the procedure
// to: a pg_dump restored into a new database is verified by the same audit verification as
// `admin audit verify`, connected as the service role.
TEST(PostgresBackup, ADumpRestoredIntoANewDatabaseVerifiesWithAuditVerify) {
    TempDir dir;
    auto config = installation_config(dir);
    auto& cluster = cccd::test::PostgresServer::shared();
    const std::string owner = cluster.create_database();
    const std::string role = "cccd_service_backup_" + std::to_string(::getpid());
    config.database_kind = "postgresql";
    config.database_owner_connection_string = owner;
    config.database_service_role = role;
    config.database_connection_string = owner.substr(0, owner.find("user=")) + "user=" + role;
    init_installation(config, security::password_from(kPassphrase), kActor, kFastKdf);
    const auto key = crypto::read_ed25519_key_file(config.audit_signing_key_file, security::password_from(kPassphrase));
    {
        auto storage = open_configured_storage(config);
        for (std::uint64_t i = 0; i < 20; ++i) {
            storage->transaction([&](Transaction& t) {
                t.put_enrollment(enrollment(i));
                append_audit(t, {utc_now(), "officer:nguyenvana@station:HCM-Q1-01", "enrollment.submit",
                                 "enr-" + std::to_string(i), "ok", ""});
            });
        }
        AuditCheckpointer(*storage, key, 1000, std::chrono::seconds(300)).checkpoint_now();
    }
    EXPECT_THROW(require_sqlcipher_backend(config, "backup"), InvalidArgument);

    // pg_dump of the owner's database, pg_restore into a new one on the same cluster (the roles exist).
    const std::string bin = "/usr/lib/postgresql/15/bin/";
    const std::string dump = dir.file("cccd.dump");
    ASSERT_EQ(std::system((bin + "pg_dump --format=custom --file='" + dump + "' '" + owner + "'").c_str()), 0);
    const std::string restored = cluster.create_database();
    ASSERT_EQ(std::system((bin + "pg_restore --exit-on-error --dbname='" + restored + "' '" + dump + "'").c_str()), 0);

    http::ServerConfig after = config;
    after.database_connection_string = restored.substr(0, restored.find("user=")) + "user=" + role;
    auto storage = open_configured_storage(after);
    crypto::PublicKeySet trusted;
    crypto::add_public_key(trusted, key.public_key());
    const auto audit = verify_audit(*storage, trusted);
    EXPECT_TRUE(audit.ok) << audit.problem;
    EXPECT_EQ(audit.entries, 21u);
    EXPECT_EQ(audit.covered_up_to, 21u);
    storage->read([](Transaction& t) { EXPECT_TRUE(t.get_enrollment("enr-19").has_value()); });
    // The append-only rules came along: the trigger refuses even the tables' owner, the grants the service role.
    for (const std::string& who : {restored, after.database_connection_string}) {
        pqxx::connection connection(who);
        pqxx::work work(connection);
        EXPECT_THROW(work.exec("UPDATE audit_log SET subject = 'x' WHERE sequence = 2"), pqxx::sql_error) << who;
    }
}

}  // namespace
}  // namespace cccd::server::admin::test
