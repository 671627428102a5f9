// `admin audit verify` against an attacker with write access to the database (SQLite here): the
// attacker drops the append-only triggers and deletes or rewrites rows, but cannot change what was
// published off the host (the checkpoint log, anchors) nor sign with the audit key.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <ctime>
#include <fstream>

#include "base/clock.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/admin/backup.hpp"
#include "server/admin/installation.hpp"
#include "server/audit/audit_log.hpp"
#include "tests/unit/server_admin/admin_test_support.hpp"

namespace cccd::server::admin::test {
namespace {

std::string utc_in(std::int64_t seconds) {
    const std::time_t t = std::time(nullptr) + seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string lower_hex(ByteView bytes) {
    std::string hex = to_hex(bytes);
    for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return hex;
}

class AuditVerify : public ::testing::Test {
protected:
    void SetUp() override {
        config.audit_checkpoint_log = dir.file("checkpoints.jsonl");
        config.audit_checkpoint_entries = 5;
        config.audit_checkpoint_seconds = 300;
        init_installation(config, security::password_from(kPassphrase), kActor, kFastKdf);  // checkpoint at 1
        open();
    }
    void open() {
        storage = open_configured_storage(config);
        checkpointer = std::make_unique<AuditCheckpointer>(*storage, key, config.audit_checkpoint_entries,
                                                           std::chrono::seconds(config.audit_checkpoint_seconds));
        checkpointer->on_checkpoint([this](const AuditCheckpoint& made) { append_checkpoint_log(config.audit_checkpoint_log, made); });
    }
    // As the server writes: each entry in its transaction, then a checkpoint when one is due.
    void write(int count, const std::string& time = {}) {
        for (int i = 0; i < count; ++i) {
            storage->transaction([&](Transaction& t) {
                append_audit(t, {time.empty() ? utc_now() : time, "officer:a@station:S1", "citizen.lookup", "001000000001", "ok", ""});
            });
            checkpointer->maybe_checkpoint();
        }
    }
    std::vector<AuditEntry> entries() {
        return storage->read([](Transaction& t) {
            auto last = t.last_audit();
            return last ? t.audit_range(1, last->sequence) : std::vector<AuditEntry>{};
        });
    }
    std::vector<std::uint64_t> checkpoint_sequences() {
        std::vector<std::uint64_t> out;
        for (const auto& c : storage->read([](Transaction& t) { return t.checkpoints_from(1); })) out.push_back(c.sequence);
        return out;
    }
    // The attacker's SQL, run with the database closed as the server would be.
    void tamper(const std::string& sql) {
        checkpointer.reset();
        storage.reset();
        raw_sql(config,
                "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_gap;"
                "DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;" +
                    sql);
        open();
    }
    // What the operator holds off the host: the checkpoint log and the audit key's public half.
    AuditExpectations published() {
        AuditExpectations expected = interval_only();
        expected.published = read_checkpoint_log(config.audit_checkpoint_log);
        return expected;
    }
    AuditExpectations interval_only() {
        AuditExpectations expected;
        expected.checkpoint_interval = std::chrono::seconds(config.audit_checkpoint_seconds);
        expected.checkpoint_entries = config.audit_checkpoint_entries;
        expected.entry_grace = 0;
        return expected;
    }
    AuditVerification verify(const AuditExpectations& expected) {
        return verify_audit(*storage, trusted_audit_keys({public_key_file}), expected);
    }

    TempDir dir;
    http::ServerConfig config = installation_config(dir);
    std::unique_ptr<Storage> storage;
    crypto::Ed25519KeyPair key = [this] {
        config.audit_signing_key_file = dir.file("audit.key");
        return crypto::Ed25519KeyPair::generate();
    }();
    std::string public_key_file = [this] {
        crypto::write_ed25519_key_file(config.audit_signing_key_file, key, security::password_from(kPassphrase), kFastKdf);
        // The copy kept off the host: the public key alone.
        const std::string file = dir.file("audit-public.txt");
        std::ofstream(file) << to_hex(key.public_key()) << "\n";
        return file;
    }();
    std::unique_ptr<AuditCheckpointer> checkpointer;
};

TEST_F(AuditVerify, AnHonestLogWithItsCheckpointLogVerifies) {
    write(12);  // entries 2..13; checkpoints at 1 (init), 6, 11 (every 5 entries)
    EXPECT_EQ(checkpoint_sequences(), (std::vector<std::uint64_t>{1, 6, 11}));
    auto result = verify(published());
    EXPECT_TRUE(result.ok) << result.problem;  // 12..13 not yet covered, within the interval
    EXPECT_EQ(result.published_matched, 3u);

    checkpointer->checkpoint_now();  // the server stops
    AuditExpectations expected = published();
    const auto log = entries();
    expected.anchors.push_back(parse_audit_anchor("13:" + lower_hex(log.back().hash)));
    result = verify(expected);
    EXPECT_TRUE(result.ok) << result.problem;
    EXPECT_EQ(result.entries, 13u);
    EXPECT_EQ(result.covered_up_to, 13u);
    EXPECT_EQ(result.published_matched, 4u);
    EXPECT_EQ(result.anchors_matched, 1u);
    ASSERT_TRUE(result.newest_checkpoint.has_value());
    EXPECT_EQ(result.newest_checkpoint->sequence, 13u);

    // The checkpoint log holds one JSON line per checkpoint, chained, and is not world-readable.
    const auto lines = read_checkpoint_log(config.audit_checkpoint_log);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[1].previous_checkpoint_hash, security::checkpoint_digest(lines[0]));
    struct stat info {};
    ASSERT_EQ(::stat(config.audit_checkpoint_log.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0007u, 0u);
}

TEST_F(AuditVerify, EntriesCutAfterTheLastCheckpointAreCaughtByAnAnchor) {
    write(7);  // entries 2..8; checkpoints at 1 and 6; 7..8 not yet covered
    const std::string anchor = "8:" + lower_hex(entries().back().hash);  // from an earlier export
    tamper("DELETE FROM audit_log WHERE sequence > 6;");
    EXPECT_TRUE(verify(published()).ok) << "without an anchor the cut cannot be seen";

    AuditExpectations expected = published();
    expected.anchors.push_back(parse_audit_anchor(anchor));
    const auto result = verify(expected);
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("anchor 8: the log ends at entry 6"), std::string::npos) << result.problem;
}

TEST_F(AuditVerify, TheLastCheckpointsAndTheirEntriesRemovedAreCaughtByTheCheckpointLog) {
    write(12);
    checkpointer->checkpoint_now();  // checkpoints 1, 6, 11, 13, all published
    const std::string anchor = "13:" + lower_hex(entries().back().hash);
    tamper("DELETE FROM audit_checkpoints WHERE sequence > 6; DELETE FROM audit_log WHERE sequence > 6;");
    EXPECT_TRUE(verify(interval_only()).ok) << "what the database alone says";

    auto result = verify(published());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("checkpoint 11 of the checkpoint log is missing from the database"), std::string::npos)
        << result.problem;
    AuditExpectations anchored = interval_only();
    anchored.anchors.push_back(parse_audit_anchor(anchor));
    result = verify(anchored);
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("cut short"), std::string::npos) << result.problem;
}

// A backup can be taken after an entry's commit and before the commit of the checkpoint that signs it:
// the copy then has the entry, and the checkpoint log (written after the database) has the checkpoint.
// Verifying the copy (expectations_up_to: backup verify, audit verify --restored) checks such a
// checkpoint against its entry instead of looking for it among the copy's checkpoints; a live
// database still must hold every published checkpoint, and a rewritten entry is caught either way.
TEST_F(AuditVerify, ACopyTakenBeforeItsNewestEntryWasCheckpointedVerifiesAgainstTheEntry) {
    write(12);
    checkpointer->checkpoint_now();  // checkpoints 1, 6, 11, 13, all published
    tamper("DELETE FROM audit_checkpoints WHERE sequence = 13;");  // the copy was taken before checkpoint 13's commit
    const AuditExpectations log = published();
    auto live = verify(log);
    EXPECT_FALSE(live.ok);
    EXPECT_NE(live.problem.find("checkpoint 13 of the checkpoint log is missing from the database"), std::string::npos)
        << live.problem;

    std::uint64_t published_later = 0, anchors_later = 0;
    const AuditExpectations copy = expectations_up_to(log, 13, published_later, anchors_later);
    EXPECT_TRUE(copy.copy);
    auto result = verify(copy);
    EXPECT_TRUE(result.ok) << result.problem;
    EXPECT_EQ(result.published_matched, 4u);

    // An entry rewritten under that checkpoint is caught by it.
    checkpointer.reset();
    storage.reset();
    raw_sql(config, "UPDATE audit_log SET outcome = 'refused' WHERE sequence = 13;");  // the triggers are gone already
    open();
    result = verify(copy);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.problem.find("entry 13") != std::string::npos) << result.problem;
}

TEST_F(AuditVerify, EveryCheckpointRemovedAndTheChainRehashedIsRejected) {
    write(12);
    checkpointer->checkpoint_now();
    // Rewrite entry 3 and rehash everything after it, then drop the checkpoints that no longer match.
    auto log = entries();
    log[2].outcome = "refused";
    for (std::size_t i = 2; i < log.size(); ++i) {
        if (i > 2) log[i].previous_hash = log[i - 1].hash;
        log[i].hash = security::hash_entry(log[i]);
    }
    std::string sql = "DELETE FROM audit_checkpoints;";
    for (std::size_t i = 2; i < log.size(); ++i)
        sql += "UPDATE audit_log SET outcome = '" + log[i].outcome + "', previous_hash = x'" + to_hex(log[i].previous_hash) +
               "', hash = x'" + to_hex(log[i].hash) + "' WHERE sequence = " + std::to_string(log[i].sequence) + ";";
    tamper(sql);
    ASSERT_TRUE(security::verify_chain(entries()).ok) << "the rehashed chain holds on its own";

    auto result = verify({});
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("no signed checkpoint"), std::string::npos) << result.problem;
    result = verify(published());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("checkpoint 1 of the checkpoint log is missing"), std::string::npos) << result.problem;
}

TEST_F(AuditVerify, ALogWithoutAnyCheckpointIsRejected) {
    tamper("DELETE FROM audit_checkpoints;");
    write(3);  // fewer than the 5 that would sign one
    const auto result = verify({});
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.entries, 4u);
    EXPECT_NE(result.problem.find("no signed checkpoint"), std::string::npos) << result.problem;
}

TEST_F(AuditVerify, ACheckpointOlderThanTheIntervalBehindTheNewestEntryIsRejected) {
    write(3);  // covered by nothing yet, inside the interval: fine
    EXPECT_TRUE(verify(interval_only()).ok) << verify(interval_only()).problem;

    // An entry an hour after the newest checkpoint with no checkpoint since: later ones were removed
    // (or nothing signed them).
    storage->transaction([&](Transaction& t) {
        append_audit(t, {utc_in(3600), "officer:a@station:S1", "citizen.lookup", "001000000001", "ok", ""});
    });
    auto result = verify(interval_only());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("the newest checkpoint (entry 1"), std::string::npos) << result.problem;

    // By count: the checkpoints after entry 5 removed, their entries kept.
    checkpointer->checkpoint_now();
    write(10);
    tamper("DELETE FROM audit_checkpoints WHERE sequence > 5;");
    result = verify(interval_only());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("entries after the newest checkpoint"), std::string::npos) << result.problem;
}

TEST_F(AuditVerify, AMiddleCheckpointRemovedBreaksTheCheckpointChain) {
    write(12);
    tamper("DELETE FROM audit_checkpoints WHERE sequence = 6;");
    const auto result = verify({});
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("checkpoint 11: does not name checkpoint 1"), std::string::npos) << result.problem;
}

TEST_F(AuditVerify, ACheckpointLogWithAForgedOrAlteredCheckpointIsRejected) {
    write(6);
    auto forged = read_checkpoint_log(config.audit_checkpoint_log).back();
    forged.time = utc_in(-10);
    std::ofstream(config.audit_checkpoint_log, std::ios::app) << audit_checkpoint_json(forged) << "\n";
    const auto result = verify(published());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("the signature does not verify"), std::string::npos) << result.problem;
}

TEST(AuditAnchor, IsSequenceColonSixtyFourHexDigits) {
    const auto anchor = parse_audit_anchor("42:" + std::string(64, 'a'));
    EXPECT_EQ(anchor.sequence, 42u);
    EXPECT_EQ(anchor.hash, Bytes(32, 0xAA));
    EXPECT_THROW(parse_audit_anchor("42"), InvalidArgument);
    EXPECT_THROW(parse_audit_anchor("0:" + std::string(64, 'a')), InvalidArgument);
    EXPECT_THROW(parse_audit_anchor("x:" + std::string(64, 'a')), InvalidArgument);
    EXPECT_THROW(parse_audit_anchor("42:" + std::string(63, 'a')), InvalidArgument);
}

}  // namespace
}  // namespace cccd::server::admin::test
