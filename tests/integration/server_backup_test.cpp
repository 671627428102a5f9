// Backups that restore, end to end: the real cccd-server serves enrollments over HTTPS from station
// clients while `cccd-server admin backup` copies its database; `admin backup verify` passes the copy,
// `admin restore` puts it into a fresh data directory, and there every enrollment acknowledged before
// the backup began is found with the card number it was acknowledged with, and the audit chain
// verifies. Then the refusals through the command line: a damaged copy, a non-empty data directory.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "base/encoding.hpp"
#include "card/pa/certificate.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "identity/record_json.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/audit/audit_log.hpp"
#include "server/population/generator.hpp"
#include "server/security/password.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/server_http/test_support.hpp"

using namespace cccd;
using namespace cccd::server;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr int kRequests = 300;
constexpr int kClients = 12;
constexpr int kBackupAfter = 100;  // acknowledged enrollments before the backup starts
const std::string kAuditPassphrase = "audit key passphrase for the test";

struct AdminRun {
    int code = -1;
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// `cccd-server admin ARGS...` to its end, with stdout and stderr kept apart.
AdminRun run_admin(const fs::path& dir, const std::vector<std::string>& args) {
    static std::atomic<int> counter{0};
    const std::string tag = std::to_string(++counter);
    const fs::path out = dir / ("admin-" + tag + ".out");
    const fs::path err = dir / ("admin-" + tag + ".err");
    std::vector<std::string> argv{CCCD_SERVER_BINARY, "admin"};
    argv.insert(argv.end(), args.begin(), args.end());
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(o, STDOUT_FILENO);
        ::dup2(e, STDERR_FILENO);
        std::vector<char*> raw;
        for (auto& a : argv) raw.push_back(a.data());
        raw.push_back(nullptr);
        ::execv(raw[0], raw.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

}  // namespace

TEST(ServerBackup, ABackupTakenWhileServingRestoresEveryAcknowledgedEnrollment) {
    cccd::testing::TempDir dir_holder("cccd-backup-it");
    const fs::path dir = dir_holder.path();
    http::testing::TestPki tls;
    fs::create_directories(dir / "data");
    fs::create_directories(dir / "backups");

    // The installation: the database key, 300 citizens, one officer, one station, the audit key.
    std::ofstream(dir / "db.key") << to_hex(Bytes(32, 0x3C)) << "\n";
    ::chmod((dir / "db.key").c_str(), 0600);
    std::vector<Citizen> citizens;
    PopulationGenerator generator(2026, "2026-11-23");
    for (int i = 0; i < kRequests; ++i) citizens.push_back(generator.next());
    {
        auto storage = open_storage(cccd::testing::sqlcipher_config((dir / "data/population.db").string(), 0x3C));
        storage->import_citizens(citizens);
        storage->transaction([&](Transaction& t) {
            t.put_officer({"officer1", "Lê Văn Tám", Role::EnrollmentOfficer,
                           security::hash_password(SecretBytes(view(std::string("officer one password")))), true});
            t.put_station({"HCM-Q1-01", "Quận 1",
                           lower_hex(crypto::sha256(pa::certificate_to_der(tls.client_certificate.get()))), true});
        });
    }
    const auto audit_key = crypto::Ed25519KeyPair::generate();
    crypto::write_ed25519_key_file(dir / "audit.key", audit_key, SecretBytes(view(kAuditPassphrase)), {1, 8u * 1024 * 1024});
    std::ofstream(dir / "audit-public.txt") << to_hex(audit_key.public_key()) << "\n";
    json::object config{{"listen_address", "127.0.0.1"}, {"listen_port", 0}, {"threads", 4},
                        {"tls_certificate", tls.server_pem.string()}, {"tls_key", tls.server_key_pem.string()},
                        {"tls_client_ca", tls.ca_pem.string()}, {"require_client_certificate", true},
                        {"database_kind", "sqlcipher"}, {"database_path", (dir / "data/population.db").string()},
                        {"database_key_file", (dir / "db.key").string()},
                        {"audit_signing_key_file", (dir / "audit.key").string()}, {"audit_checkpoint_entries", 20},
                        {"audit_checkpoint_log", (dir / "checkpoints.jsonl").string()}};
    std::ofstream(dir / "server.json") << json::serialize(config);
    config["database_path"] = (dir / "restored/data/population.db").string();
    config["audit_checkpoint_log"] = (dir / "checkpoints-restored.jsonl").string();
    std::ofstream(dir / "restored.json") << json::serialize(config);

    Bytes photo = from_hex("FFD8FFC0000B08014000F0011100");
    photo.resize(3000, 0x5A);
    append(photo, from_hex("FFD9"));
    std::vector<std::string> bodies;
    for (const auto& c : citizens) {
        // A new card on the population's day: the register's own record is the card it has (2021 ones too).
        json::object o{{"record", json::parse(identity::to_json(identity::new_card_record(c, "2026-11-23")))},
                       {"photo_jpeg", base64_encode(photo)}};
        bodies.push_back(json::serialize(o));
    }

    std::mutex mutex;
    std::map<int, std::string> acknowledged;  // request -> card number
    std::atomic<bool> backup_running{false};
    std::atomic<int> acknowledged_during_backup{0};
    test::ServerProcess server(CCCD_SERVER_BINARY, dir / "server.json",
                               {{"CCCD_TLS_KEY_PASSPHRASE", tls.server_key_passphrase}, {"CCCD_AUDIT_KEY_PASSPHRASE", kAuditPassphrase}});
    ASSERT_NE(server.port(), 0) << "cccd-server did not start; see " << (dir / "server.log");
    const unsigned short port = server.port();

    auto station = [&](int first) {
        std::string token;
        for (int i = first; i < kRequests; i += kClients) {
            for (int attempt = 0; attempt < 200; ++attempt) {
                if (attempt > 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // after a failure
                http::testing::ClientOptions options;
                options.ca_file = tls.ca_pem;
                options.certificate_file = tls.client_pem;
                options.key_file = tls.client_key_pem;
                http::testing::TestClient client(options);
                if (client.connect(port)) continue;
                if (token.empty()) {
                    auto r = client.request("POST", "/api/v1/sessions", R"({"officer_id":"officer1","password":"officer one password"})");
                    if (r && r->result_int() == 201) token = json::value_to<std::string>(json::parse(r->body()).at("token"));
                    continue;
                }
                auto r = client.request("POST", "/api/v1/enrollments", bodies[static_cast<std::size_t>(i)], "application/json",
                                        {{"Authorization", "Bearer " + token}, {"Idempotency-Key", "enroll-" + std::to_string(i)}});
                if (!r || r->result_int() != 201) continue;
                const std::string card = json::value_to<std::string>(json::parse(r->body()).at("card_number"));
                std::lock_guard lock(mutex);
                acknowledged[i] = card;
                if (backup_running) ++acknowledged_during_backup;
                break;
            }
        }
    };
    std::vector<std::thread> clients;
    for (int k = 0; k < kClients; ++k) clients.emplace_back(station, k);

    // The backup starts once kBackupAfter enrollments are acknowledged; the stations go on meanwhile.
    std::map<int, std::string> before_backup;
    for (;;) {
        {
            std::lock_guard lock(mutex);
            if (acknowledged.size() >= static_cast<std::size_t>(kBackupAfter)) {
                before_backup = acknowledged;
                backup_running = true;
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const fs::path backup = dir / "backups/cccd.db";
    const AdminRun taken = run_admin(dir, {"backup", "--config", (dir / "server.json").string(), "--to", backup.string()});
    backup_running = false;
    for (auto& t : clients) t.join();
    server.stop(SIGTERM);
    ASSERT_EQ(taken.code, 0) << taken.out << taken.err;
    EXPECT_NE(taken.out.find("backup:       " + backup.string()), std::string::npos) << taken.out;
    EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(kRequests));
    std::cout << "acknowledged before the backup: " << before_backup.size() << ", while it ran: " << acknowledged_during_backup
              << ", in all: " << acknowledged.size() << "\n";

    const std::vector<std::string> trust{"--public-key", (dir / "audit-public.txt").string(), "--checkpoints",
                                         (dir / "checkpoints.jsonl").string()};
    std::vector<std::string> verify{"backup", "verify", "--config", (dir / "server.json").string(), "--scratch", dir.string()};
    verify.insert(verify.end(), trust.begin(), trust.end());
    verify.push_back(backup.string());
    const AdminRun verified = run_admin(dir, verify);
    EXPECT_EQ(verified.code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("\nOK\n"), std::string::npos) << verified.out;

    std::vector<std::string> restore{"restore", "--config", (dir / "restored.json").string(), "--from", backup.string()};
    restore.insert(restore.end(), trust.begin(), trust.end());
    const AdminRun restored = run_admin(dir, restore);
    ASSERT_EQ(restored.code, 0) << restored.out << restored.err;
    EXPECT_NE(restored.out.find("restored:     " + (dir / "restored/data/population.db").string()), std::string::npos);

    // admin audit verify on the restored database: the checkpoint log goes on past the backup, so a
    // plain verification reports the log cut back (exit 1); --restored looks only up to its end.
    std::vector<std::string> audit_verify{"audit", "verify", "--config", (dir / "restored.json").string()};
    audit_verify.insert(audit_verify.end(), trust.begin(), trust.end());
    const AdminRun cut_back = run_admin(dir, audit_verify);
    EXPECT_EQ(cut_back.code, 1) << cut_back.out << cut_back.err;
    EXPECT_NE(cut_back.out.find("is missing from the database"), std::string::npos) << cut_back.out;
    audit_verify.push_back("--restored");
    const AdminRun after_restore = run_admin(dir, audit_verify);
    EXPECT_EQ(after_restore.code, 0) << after_restore.out << after_restore.err;
    EXPECT_NE(after_restore.out.find("later ones are newer than the restored database"), std::string::npos) << after_restore.out;

    // Every enrollment acknowledged before the backup began, with its card number; the chain verifies.
    auto storage = open_storage(cccd::testing::sqlcipher_config((dir / "restored/data/population.db").string(), 0x3C));
    storage->read([&](Transaction& t) {
        for (const auto& [i, card_number] : before_backup) {
            const auto cards = t.cards_of(citizens[static_cast<std::size_t>(i)].person.personal_id);
            ASSERT_EQ(cards.size(), 1u) << "request " << i << " was acknowledged before the backup";
            EXPECT_EQ(cards[0].card_number, card_number);
        }
    });
    crypto::PublicKeySet keys;
    crypto::add_public_key(keys, audit_key.public_key());
    const AuditVerification audit = verify_audit(*storage, keys);
    EXPECT_TRUE(audit.ok) << audit.problem;
    EXPECT_GE(audit.entries, before_backup.size());
    storage.reset();

    // The procedure after a restore (docs/backup-restore.md): a new checkpoint log that starts with the
    // old one's lines up to the backup's last entry, a server started on the restored database (it
    // signs a checkpoint over the restore), then verification with the new log and the anchor restore
    // printed.
    const std::uint64_t backup_last = std::stoull(taken.out.substr(taken.out.find("audit:        ") + 14));
    for (const auto& checkpoint : admin::read_checkpoint_log(dir / "checkpoints.jsonl"))
        if (checkpoint.sequence <= backup_last) admin::append_checkpoint_log(dir / "checkpoints-restored.jsonl", checkpoint);
    const auto anchor_at = restored.out.find("anchor:       ");
    ASSERT_NE(anchor_at, std::string::npos) << restored.out;
    const std::string anchor = restored.out.substr(anchor_at + 14, restored.out.find(' ', anchor_at + 14) - anchor_at - 14);
    {
        test::ServerProcess again(CCCD_SERVER_BINARY, dir / "restored.json",
                                  {{"CCCD_TLS_KEY_PASSPHRASE", tls.server_key_passphrase}, {"CCCD_AUDIT_KEY_PASSPHRASE", kAuditPassphrase}});
        ASSERT_NE(again.port(), 0) << "cccd-server did not start on the restored database; see " << (dir / "server.log");
        again.stop(SIGTERM);
    }
    const AdminRun afterwards = run_admin(dir, {"audit", "verify", "--config", (dir / "restored.json").string(), "--public-key",
                                                (dir / "audit-public.txt").string(), "--checkpoints",
                                                (dir / "checkpoints-restored.jsonl").string(), "--anchor", anchor});
    EXPECT_EQ(afterwards.code, 0) << afterwards.out << afterwards.err;
    EXPECT_NE(afterwards.out.find("anchors:      1 of 1 matched"), std::string::npos) << afterwards.out;

    // Through the command line: a damaged copy fails verification (exit 1) and a restore into a
    // directory that is not empty is refused (exit 2), leaving it as it was.
    {
        // Eight bytes in every eighth page of the second half (a failing disk, a bad transfer).
        std::fstream damaged(backup, std::ios::in | std::ios::out | std::ios::binary);
        const std::uintmax_t pages = fs::file_size(backup) / 1024;
        for (std::uintmax_t page = pages / 2; page < pages; page += 8) {
            damaged.seekp(static_cast<std::streamoff>(page * 1024 + 100));
            damaged.write("\xde\xad\xbe\xef\xde\xad\xbe\xef", 8);
        }
    }
    const AdminRun failed = run_admin(dir, verify);
    EXPECT_EQ(failed.code, 1) << failed.out << failed.err;
    EXPECT_NE(failed.out.find("FAILED: "), std::string::npos) << failed.out;
    const AdminRun refused = run_admin(dir, restore);
    EXPECT_EQ(refused.code, 2) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("is not empty"), std::string::npos) << refused.err;
    EXPECT_EQ(open_storage(cccd::testing::sqlcipher_config((dir / "restored/data/population.db").string(), 0x3C))
                  ->read([](Transaction& t) { return t.last_audit()->action; }),
              "database.restore");
    // No key reached any output.
    for (const AdminRun* run : {&taken, &verified, &restored, &cut_back, &after_restore, &afterwards, &failed, &refused}) {
        for (const std::string& key : {to_hex(Bytes(32, 0x3C)), lower_hex(Bytes(32, 0x3C))}) {
            EXPECT_EQ(run->out.find(key), std::string::npos);
            EXPECT_EQ(run->err.find(key), std::string::npos);
        }
    }
}
