// Population import, audit verification after tampering with the file, and the audit export.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/admin/installation.hpp"
#include "server/admin/population_import.hpp"
#include "server/audit/audit_log.hpp"
#include "server/population/generator.hpp"
#include "server/population/population_file.hpp"
#include "tests/unit/server_admin/admin_test_support.hpp"

namespace cccd::server::admin::test {
namespace {

class AdminWithLog : public ::testing::Test {
protected:
    void SetUp() override {
        init_installation(config, security::password_from(kPassphrase), kActor, kFastKdf);
        storage = open_configured_storage(config);
    }
    std::vector<AuditEntry> entries() {
        return storage->read([](Transaction& t) {
            auto last = t.last_audit();
            return last ? t.audit_range(1, last->sequence) : std::vector<AuditEntry>{};
        });
    }
    // `count` more entries; a checkpoint signed with the installation's key on each sequence divisible by `every`.
    void write_log(int count, int every) {
        const auto key = crypto::read_ed25519_key_file(config.audit_signing_key_file, security::password_from(kPassphrase));
        for (int i = 1; i <= count; ++i) {
            storage->transaction([&](Transaction& t) {
                const AuditEntry e = append_audit(t, {utc_now(), "officer:a@station:S1", "citizen.lookup", "001000000001", "ok", ""});
                if (e.sequence % static_cast<std::uint64_t>(every) == 0) {
                    const auto previous = t.last_checkpoint();
                    t.append_checkpoint(security::sign_checkpoint(e, previous ? &*previous : nullptr, utc_now(), key));
                }
            });
        }
    }
    crypto::PublicKeySet trusted() { return trusted_audit_keys({config.audit_signing_key_file}); }

    TempDir dir;
    http::ServerConfig config = installation_config(dir);
    std::unique_ptr<Storage> storage;
};

TEST_F(AdminWithLog, ImportingAGeneratedFileStoresEveryCitizenAndAuditsOnlyCounts) {
    const std::string file = dir.file("population.jsonl");
    std::vector<std::uint64_t> reported;
    const auto bytes = generate_population_file(file, 2500, 7, "2026-11-23", 1000, [&](std::uint64_t n) { reported.push_back(n); });
    EXPECT_GT(bytes, 2500u * 100u);
    EXPECT_EQ(reported, (std::vector<std::uint64_t>{1000, 2000, 2500}));
    EXPECT_THROW(generate_population_file(file, 1, 7, "2026-11-23"), InvalidArgument);  // never overwritten
    EXPECT_THROW(generate_population_file(dir.file("x.jsonl"), 1, 7, "23/11/2026"), InvalidArgument);

    std::vector<std::uint64_t> progress;
    const ImportReport report =
        import_population_file(*storage, file, 1000, kActor, [&](const ImportProgress& p) { progress.push_back(p.citizens); });
    EXPECT_EQ(report.citizens, 2500u);
    EXPECT_EQ(report.register_size, 2500u);
    EXPECT_GT(report.citizens_per_second(), 0.0);
    EXPECT_EQ(progress, (std::vector<std::uint64_t>{1000, 2000, 2500}));

    // The same people as the generator makes, readable back from the store.
    PopulationGenerator generator(7, "2026-11-23");
    const Citizen first = generator.next();
    const auto stored = storage->get_citizen(first.person.personal_id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->person.full_name, first.person.full_name);

    const AuditEntry entry = entries().back();
    EXPECT_EQ(entry.action, "population.import");
    EXPECT_EQ(entry.outcome, "ok");
    EXPECT_EQ(entry.actor, kActor);
    EXPECT_EQ(entry.subject, "");
    EXPECT_EQ(entry.detail, "citizens=2500 batch=1000");
}

TEST_F(AdminWithLog, AMalformedLineStopsTheImportAfterTheCommittedBatchesWhichAreAudited) {
    const std::string good = dir.file("good.jsonl");
    generate_population_file(good, 30, 11, "2026-11-23");
    std::ifstream in(good);
    std::ofstream out(dir.file("broken.jsonl"));
    std::string line;
    for (int i = 0; i < 25 && std::getline(in, line); ++i) out << line << '\n';
    out << "{\"not\": \"a record\"}\n";
    out.close();
    EXPECT_THROW(import_population_file(*storage, dir.file("broken.jsonl"), 10, kActor), ParseError);
    EXPECT_EQ(storage->count_citizens(), 20u);  // two whole batches; the third held the bad line
    const AuditEntry entry = entries().back();
    EXPECT_EQ(entry.action, "population.import");
    EXPECT_EQ(entry.outcome, "parse_error");
    EXPECT_EQ(entry.detail, "citizens=20 batch=10");
    EXPECT_THROW(import_population_file(*storage, dir.file("absent.jsonl"), 10, kActor), ParseError);
}

TEST_F(AdminWithLog, AGoodLogVerifies) {
    write_log(12, 5);
    const auto result = verify_audit(*storage, trusted());
    EXPECT_TRUE(result.ok) << result.problem;
    EXPECT_EQ(result.entries, 13u);  // install.init + 12
    EXPECT_EQ(result.checkpoints, 3u);
    EXPECT_EQ(result.covered_up_to, 10u);  // checkpoints at 1 (init), 5 and 10; 11..13 not yet vouched for
}

TEST_F(AdminWithLog, AnEntryChangedInTheFileFailsVerificationAtThatSequence) {
    write_log(12, 5);
    storage.reset();
    // The database refuses the UPDATE; an attacker with the file and its key drops the trigger first.
    EXPECT_THROW(raw_sql(config, "UPDATE audit_log SET subject = '079000000009' WHERE sequence = 4"), std::runtime_error);
    raw_sql(config, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET subject = '079000000009' WHERE sequence = 4");
    storage = open_configured_storage(config);
    const auto result = verify_audit(*storage, trusted());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("entry 4"), std::string::npos) << result.problem;
    EXPECT_EQ(result.entries, 3u);
}

TEST_F(AdminWithLog, ARewrittenChainIsCaughtByTheSignedCheckpoint) {
    write_log(6, 5);
    // Recompute entry 2's hash after changing it and relink entry 3..6: the chain holds, the checkpoint does not.
    auto log = entries();
    log[1].detail = "rewritten";
    for (std::size_t i = 1; i < log.size(); ++i) {
        log[i].previous_hash = log[i - 1].hash;
        log[i].hash = security::hash_entry(log[i]);
    }
    ASSERT_TRUE(security::verify_chain(log).ok);
    storage.reset();
    std::string sql = "DROP TRIGGER audit_log_no_update;";
    for (std::size_t i = 1; i < log.size(); ++i)
        sql += "UPDATE audit_log SET detail = '" + log[i].detail + "', previous_hash = x'" + to_hex(log[i].previous_hash) +
               "', hash = x'" + to_hex(log[i].hash) + "' WHERE sequence = " + std::to_string(log[i].sequence) + ";";
    raw_sql(config, sql);
    storage = open_configured_storage(config);
    const auto result = verify_audit(*storage, trusted());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("entry 5"), std::string::npos) << result.problem;
}

TEST_F(AdminWithLog, ATamperedCheckpointSignatureFailsVerification) {
    write_log(5, 5);
    storage.reset();
    raw_sql(config, "DROP TRIGGER audit_checkpoints_no_update; UPDATE audit_checkpoints SET signature = zeroblob(64) WHERE sequence = 5");
    storage = open_configured_storage(config);
    const auto result = verify_audit(*storage, trusted());
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.problem.find("checkpoint at entry 5"), std::string::npos) << result.problem;
}

TEST_F(AdminWithLog, TheExportReadsBackToTheSameEntriesAndCheckpoints) {
    write_log(12, 5);
    std::ostringstream out;
    const ExportReport report = export_audit(*storage, out);
    EXPECT_EQ(report.entries, 13u);
    EXPECT_EQ(report.checkpoints, 3u);  // 1 (init), 5, 10

    std::vector<AuditEntry> read_entries;
    std::vector<AuditCheckpoint> read_checkpoints;
    std::istringstream in(out.str());
    std::string line;
    while (std::getline(in, line)) {
        auto parsed = parse_audit_export_line(line);
        if (auto* e = std::get_if<AuditEntry>(&parsed)) {
            EXPECT_TRUE(read_checkpoints.empty()) << "an entry after the checkpoints";
            read_entries.push_back(*e);
        } else {
            read_checkpoints.push_back(std::get<AuditCheckpoint>(parsed));
        }
    }
    EXPECT_EQ(read_entries, entries());
    EXPECT_EQ(read_checkpoints, storage->read([](Transaction& t) { return t.checkpoints_from(1); }));
    // What an auditor does with the file alone: the chain and each checkpoint check out.
    EXPECT_TRUE(security::verify_chain(read_entries).ok);
    for (const auto& checkpoint : read_checkpoints)
        EXPECT_TRUE(security::verify_checkpoint_against(checkpoint, trusted(), read_entries).ok);
    // Hashes are lower-case hex.
    EXPECT_NE(out.str().find("\"hash\":\"" + [&] {
        std::string h = to_hex(read_entries[0].hash);
        for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return h;
    }() + "\""), std::string::npos);

    // From entry 7: entries 7..13 and the checkpoint at 10 only; anchored on entry 6 the run still links.
    std::ostringstream later;
    const ExportReport tail = export_audit(*storage, later, 7);
    EXPECT_EQ(tail.entries, 7u);
    EXPECT_EQ(tail.checkpoints, 1u);
    std::vector<AuditEntry> tail_entries;
    std::istringstream tail_in(later.str());
    while (std::getline(tail_in, line))
        if (auto parsed = parse_audit_export_line(line); std::holds_alternative<AuditEntry>(parsed))
            tail_entries.push_back(std::get<AuditEntry>(parsed));
    EXPECT_EQ(tail_entries.front().sequence, 7u);
    const auto anchor = entries()[5];
    EXPECT_TRUE(security::verify_chain(tail_entries, &anchor).ok);

    EXPECT_THROW(parse_audit_export_line("not json"), ParseError);
    EXPECT_THROW(parse_audit_export_line(R"({"type":"entry","sequence":1})"), ParseError);
    EXPECT_THROW(parse_audit_export_line(R"({"type":"other"})"), ParseError);
}

TEST_F(AdminWithLog, TrustedKeysComeFromKeyFilesOrHex) {
    const Bytes public_key = crypto::read_ed25519_public_key(config.audit_signing_key_file);
    std::ofstream(dir.file("audit.pub")) << to_hex(public_key) << "\n";
    const auto from_hex_file = trusted_audit_keys({dir.file("audit.pub")});
    EXPECT_EQ(from_hex_file, trusted());
    EXPECT_EQ(from_hex_file.size(), 1u);
    std::ofstream(dir.file("junk.pub")) << "abcdef\n";
    EXPECT_THROW(trusted_audit_keys({dir.file("junk.pub")}), ParseError);
    EXPECT_THROW(trusted_audit_keys({dir.file("missing.pub")}), ParseError);
}

}  // namespace
}  // namespace cccd::server::admin::test
