// admin init, the audit key rotation and the database re-encryption, on SQLCipher files in a temp dir.
#include "base/clock.hpp"
#include "server/admin/installation.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include <pqxx/pqxx>

#include "base/error.hpp"
#include "base/file.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/audit/audit_log.hpp"
#include "tests/support/postgres_fixture.hpp"
#include "tests/unit/server_admin/admin_test_support.hpp"

namespace cccd::server::admin::test {
namespace {

unsigned permissions_of(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return 0;
    return static_cast<unsigned>(info.st_mode) & 0777u;
}

std::optional<SecretBytes> passphrase() { return security::password_from(kPassphrase); }

std::vector<AuditEntry> all_entries(Storage& storage) {
    return storage.read([](Transaction& t) {
        auto last = t.last_audit();
        return last ? t.audit_range(1, last->sequence) : std::vector<AuditEntry>{};
    });
}

TEST(AdminInit, CreatesBothKeysWithMode0600AndTheDatabaseThenChangesNothing) {
    TempDir dir;
    const auto config = installation_config(dir);
    const InitReport first = init_installation(config, passphrase(), kActor, kFastKdf);
    EXPECT_TRUE(first.created_database_key);
    EXPECT_TRUE(first.created_audit_key);
    EXPECT_EQ(first.schema_version, Storage::latest_schema_version());
    EXPECT_EQ(first.citizens, 0u);
    EXPECT_EQ(permissions_of(config.database_key_file), 0600u);
    EXPECT_EQ(permissions_of(config.audit_signing_key_file), 0600u);
    EXPECT_EQ(load_database_key(config.database_key_file).size(), 32u);
    EXPECT_EQ(crypto::read_ed25519_key_file(config.audit_signing_key_file, *passphrase()).key_id(), first.audit_key_id);

    const Bytes database_key = read_file(config.database_key_file);
    const Bytes audit_key = read_file(config.audit_signing_key_file);
    // Again, without the passphrase: nothing is created, the keys are byte for byte the same.
    const InitReport second = init_installation(config, std::nullopt, kActor, kFastKdf);
    EXPECT_FALSE(second.created_database_key);
    EXPECT_FALSE(second.created_audit_key);
    EXPECT_FALSE(second.checked_audit_passphrase);
    EXPECT_EQ(second.audit_key_id, first.audit_key_id);
    EXPECT_EQ(second.schema_version, Storage::latest_schema_version());
    EXPECT_EQ(read_file(config.database_key_file), database_key);
    EXPECT_EQ(read_file(config.audit_signing_key_file), audit_key);
    // With the passphrase the existing key is opened, which checks it.
    EXPECT_TRUE(init_installation(config, passphrase(), kActor, kFastKdf).checked_audit_passphrase);

    // Only the run that created keys wrote to the log, and it names the audit key.
    auto storage = open_configured_storage(config);
    const auto entries = all_entries(*storage);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].action, "install.init");
    EXPECT_EQ(entries[0].actor, kActor);
    EXPECT_NE(entries[0].detail.find("audit_key_id=" + first.audit_key_id), std::string::npos) << entries[0].detail;
}

TEST(AdminInit, TheAuthenticationKeysAreMadeOnceWhenTheApiIsConfigured) {
    TempDir dir;
    auto config = installation_config(dir);
    init_installation(config, passphrase(), kActor, kFastKdf);
    EXPECT_FALSE(init_authentication_keys(config, std::nullopt, kActor, kFastKdf).configured);  // API off: nothing

    config.assertion_key_file = dir.file("assertion.key");
    config.pairwise_secret_file = dir.file("pairwise.key");
    try {
        init_authentication_keys(config, std::nullopt, kActor, kFastKdf);
        ADD_FAILURE() << "made an assertion key without a passphrase";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("CCCD_ASSERTION_KEY_PASSPHRASE"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(config.assertion_key_file));

    const auto first = init_authentication_keys(config, passphrase(), kActor, kFastKdf);
    EXPECT_TRUE(first.created_assertion_key);
    EXPECT_TRUE(first.created_pairwise_secret);
    EXPECT_EQ(permissions_of(config.assertion_key_file), 0600u);
    EXPECT_EQ(permissions_of(config.pairwise_secret_file), 0600u);
    EXPECT_EQ(crypto::read_ed25519_key_file(config.assertion_key_file, *passphrase()).key_id(), first.assertion_key_id);
    const Bytes pairwise = read_file(config.pairwise_secret_file);

    const auto second = init_authentication_keys(config, std::nullopt, kActor, kFastKdf);
    EXPECT_FALSE(second.created_assertion_key);
    EXPECT_FALSE(second.created_pairwise_secret);
    EXPECT_EQ(second.assertion_key_id, first.assertion_key_id);
    EXPECT_EQ(read_file(config.pairwise_secret_file), pairwise);
    auto storage = open_configured_storage(config);
    EXPECT_EQ(all_entries(*storage).back().action, "install.auth-keys");
}

TEST(AdminInit, AWrongPassphraseForTheExistingAuditKeyIsReported) {
    TempDir dir;
    const auto config = installation_config(dir);
    init_installation(config, passphrase(), kActor, kFastKdf);
    EXPECT_THROW(init_installation(config, security::password_from("another passphrase!"), kActor, kFastKdf), CryptoError);
}

TEST(AdminInit, WithoutAPassphraseTheAuditKeyIsNotMadeAndTheMessageNamesTheVariable) {
    TempDir dir;
    const auto config = installation_config(dir);
    try {
        init_installation(config, std::nullopt, kActor, kFastKdf);
        FAIL() << "init made an audit key without a passphrase";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("CCCD_AUDIT_KEY_PASSPHRASE"), std::string::npos) << e.what();
    }
    EXPECT_THROW(init_installation(config, security::password_from("elevenchars"), kActor, kFastKdf), InvalidArgument);
    // Refused before anything was made: no half installation.
    EXPECT_FALSE(std::filesystem::exists(config.audit_signing_key_file));
    EXPECT_FALSE(std::filesystem::exists(config.database_key_file));
    EXPECT_FALSE(std::filesystem::exists(config.database_path));
}

TEST(AdminInit, ADatabaseWhoseKeyFileIsMissingIsNotGivenANewKey) {
    TempDir dir;
    const auto config = installation_config(dir);
    init_installation(config, passphrase(), kActor, kFastKdf);
    std::filesystem::remove(config.database_key_file);
    EXPECT_THROW(init_installation(config, passphrase(), kActor, kFastKdf), InvalidArgument);
    EXPECT_FALSE(std::filesystem::exists(config.database_key_file));
}

TEST(AdminInit, ADatabaseKeyThatDoesNotOpenTheDatabaseIsReportedBeforeAnAuditKeyIsMade) {
    TempDir dir;
    const auto config = installation_config(dir);
    init_installation(config, passphrase(), kActor, kFastKdf);
    std::filesystem::remove(config.database_key_file);
    std::filesystem::remove(config.audit_signing_key_file);
    create_database_key(config.database_key_file);  // a fresh key: not the one the file was made with
    EXPECT_THROW(init_installation(config, passphrase(), kActor, kFastKdf), WrongKeyError);
    EXPECT_FALSE(std::filesystem::exists(config.audit_signing_key_file));
}

TEST(AdminKeys, RotatingTheAuditKeyAnnouncesTheNewKeyUnderTheOldKeysCheckpoint) {
    TempDir dir;
    const auto config = installation_config(dir);
    init_installation(config, passphrase(), kActor, kFastKdf);
    const auto old_key = crypto::read_ed25519_key_file(config.audit_signing_key_file, *passphrase());
    auto storage = open_configured_storage(config);

    const std::string new_key_file = dir.file("audit-2.key");
    const auto new_passphrase = security::password_from("a different long passphrase");
    const AuditKeyRotation rotation = rotate_audit_key(*storage, old_key, new_key_file, new_passphrase, kActor, kFastKdf);
    EXPECT_EQ(rotation.old_key_id, old_key.key_id());
    EXPECT_EQ(permissions_of(new_key_file), 0600u);
    const auto new_key = crypto::read_ed25519_key_file(new_key_file, new_passphrase);
    EXPECT_EQ(new_key.key_id(), rotation.new_key_id);
    EXPECT_NE(new_key.key_id(), old_key.key_id());

    // The announcement names the new key and the old key's checkpoint covers it.
    const auto entries = all_entries(*storage);
    ASSERT_EQ(entries.back().sequence, rotation.announcement_sequence);
    EXPECT_EQ(entries.back().action, "audit.key-rotate");
    EXPECT_EQ(entries.back().subject, new_key.key_id());
    const auto checkpoint = storage->read([](Transaction& t) { return t.last_checkpoint(); });
    ASSERT_TRUE(checkpoint.has_value());
    EXPECT_EQ(checkpoint->sequence, rotation.announcement_sequence);
    EXPECT_EQ(checkpoint->key_id, old_key.key_id());

    // The server then signs with the new key: verification needs both public keys.
    storage->transaction([](Transaction& t) { append_audit(t, {utc_now(), "officer:x", "citizen.lookup", "001000000001", "ok", ""}); });
    AuditCheckpointer checkpointer(*storage, new_key, 1, std::chrono::seconds(3600));
    ASSERT_TRUE(checkpointer.checkpoint_now().has_value());
    const auto only_old = verify_audit(*storage, trusted_audit_keys({config.audit_signing_key_file}));
    EXPECT_FALSE(only_old.ok);
    const auto both = verify_audit(*storage, trusted_audit_keys({config.audit_signing_key_file, new_key_file}));
    EXPECT_TRUE(both.ok) << both.problem;
    EXPECT_EQ(both.checkpoints, 3u);  // init's, the rotation's (old key), the new key's
    EXPECT_EQ(both.covered_up_to, entries.back().sequence + 1);

    // A key file is never overwritten.
    EXPECT_THROW(rotate_audit_key(*storage, new_key, new_key_file, new_passphrase, kActor, kFastKdf), InvalidArgument);
}

TEST(AdminKeys, RekeyingTheDatabaseKeepsEveryRecordAndTheOldKeyNoLongerOpensIt) {
    TempDir dir;
    auto config = installation_config(dir);
    init_installation(config, passphrase(), kActor, kFastKdf);
    const SecretBytes old_key = load_database_key(config.database_key_file);
    {
        auto storage = open_configured_storage(config);
        storage->transaction([](Transaction& t) {
            for (int i = 0; i < 3; ++i) append_audit(t, {utc_now(), kActor, "test.entry", "", "ok", std::to_string(i)});
        });
    }
    const std::string new_key_file = dir.file("database-2.key");
    const unsigned database_mode = permissions_of(config.database_path);
    std::vector<std::string> steps;
    const RekeyReport report = rekey_database(config.database_path, old_key, new_key_file, kActor,
                                              [&](std::string_view step) { steps.emplace_back(step); });
    EXPECT_FALSE(steps.empty());
    EXPECT_EQ(permissions_of(new_key_file), 0600u);
    EXPECT_EQ(report.audit_entries, 5u);  // install.init, three, database.rekey
    EXPECT_FALSE(std::filesystem::exists(config.database_path + ".rekey"));
    EXPECT_EQ(permissions_of(config.database_path), database_mode);

    EXPECT_THROW(open_storage({StorageKind::SqlCipher, config.database_path, old_key, 1}), WrongKeyError);
    config.database_key_file = new_key_file;
    auto storage = open_configured_storage(config);
    const auto entries = all_entries(*storage);
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries.back().action, "database.rekey");
    EXPECT_TRUE(security::verify_chain(entries).ok);
    // The copy kept the triggers: the log is still append-only past the API.
    storage.reset();
    EXPECT_THROW(raw_sql(config, "UPDATE audit_log SET detail = 'x' WHERE sequence = 2"), std::runtime_error);
}

TEST(AdminKeys, RekeyIsRefusedWhileTheDatabaseIsOpenAndLeavesItAsItWas) {
    TempDir dir;
    const auto config = installation_config(dir);
    init_installation(config, passphrase(), kActor, kFastKdf);
    const SecretBytes old_key = load_database_key(config.database_key_file);
    auto running_server = open_configured_storage(config);
    const std::string new_key_file = dir.file("database-2.key");
    EXPECT_THROW(rekey_database(config.database_path, old_key, new_key_file, kActor), StorageError);
    EXPECT_FALSE(std::filesystem::exists(new_key_file));  // the key it made is gone with the attempt
    running_server.reset();
    EXPECT_EQ(open_configured_storage(config)->count_citizens(), 0u);  // still opens with the old key
    // A wrong current key is refused before anything is made.
    EXPECT_THROW(rekey_database(config.database_path, SecretBytes(Bytes(32, 7)), new_key_file, kActor), WrongKeyError);
    EXPECT_FALSE(std::filesystem::exists(new_key_file));
}

TEST(AdminInit, OnPostgresqlTheOwnerMigratesAndTheServiceRoleMayOnlyAppendToTheAuditLog) {
    TempDir dir;
    auto config = installation_config(dir);
    const std::string owner = cccd::test::PostgresServer::shared().create_database();
    const std::string role = "cccd_service_admin_" + std::to_string(::getpid());
    config.database_kind = "postgresql";
    config.database_owner_connection_string = owner;
    config.database_service_role = role;
    config.database_connection_string = owner.substr(0, owner.find("user=")) + "user=" + role;
    const auto report = init_installation(config, passphrase(), kActor, kFastKdf);
    EXPECT_EQ(report.service_role, role);
    ASSERT_TRUE(report.checkpoint.has_value());

    // The service (and every other admin command) connects as the service role.
    auto storage = open_configured_storage(config);
    storage->transaction([](Transaction& t) { append_audit(t, {utc_now(), "officer:x", "citizen.lookup", "001000000001", "ok", ""}); });
    pqxx::connection service(config.database_connection_string);
    EXPECT_THROW(
        {
            pqxx::work work(service);
            work.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
        },
        pqxx::sql_error);
    EXPECT_EQ(all_entries(*storage).size(), 2u);  // install.init and the lookup

    // Running init again renews the grants and changes nothing else.
    EXPECT_NO_THROW(init_installation(config, passphrase(), kActor, kFastKdf));
}

}  // namespace
}  // namespace cccd::server::admin::test
