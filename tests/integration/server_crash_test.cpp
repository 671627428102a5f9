// The real cccd-server binary killed with SIGKILL in the middle of 1,000 concurrent enrollment
// requests, then restarted: the stations retry what was not acknowledged with the same idempotency
// keys. Every acknowledged write is there with the card number it was acknowledged with, no citizen got
// two cards, every request ends acknowledged exactly once, and the audit chain verifies.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "base/encoding.hpp"
#include "card/pa/certificate.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "identity/record_json.hpp"
#include "server/audit/audit_log.hpp"
#include "server/population/generator.hpp"
#include "server/population/population_file.hpp"
#include "server/security/password.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/unit/server_http/test_support.hpp"

using namespace cccd;
using namespace cccd::server;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr int kRequests = 1000;
constexpr int kClients = 40;
const std::string kAuditPassphrase = "audit key passphrase for the test";

std::map<std::string, std::string> server_environment(const http::testing::TestPki& tls) {
    return {{"CCCD_TLS_KEY_PASSPHRASE", tls.server_key_passphrase}, {"CCCD_AUDIT_KEY_PASSPHRASE", kAuditPassphrase}};
}

struct Outcome {
    std::string card_number;  // empty until acknowledged
    int acknowledgements = 0;
};

}  // namespace

TEST(ServerCrash, EveryAcknowledgedWriteSurvivesSigkillAndNoneIsDoubled) {
    fs::path dir = fs::temp_directory_path() / ("cccd-crash-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    http::testing::TestPki tls;

    // The database: 1,000 citizens, one officer, one station.
    std::string db_key_hex = to_hex(Bytes(32, 0x5C));
    std::ofstream(dir / "db.key") << db_key_hex << "\n";
    ::chmod((dir / "db.key").c_str(), 0600);
    std::vector<Citizen> citizens;
    PopulationGenerator generator(2026, "2026-11-23");
    for (int i = 0; i < kRequests; ++i) citizens.push_back(generator.next());
    {
        StorageConfig c = cccd::testing::sqlcipher_config((dir / "cccd.db").string(), 0x5C);
        auto storage = open_storage(c);
        storage->import_citizens(citizens);
        storage->transaction([&](Transaction& t) {
            t.put_officer({"officer1", "Lê Văn Tám", Role::EnrollmentOfficer,
                           security::hash_password(SecretBytes(view(std::string("officer one password")))), true});
            t.put_station({"HCM-Q1-01", "Quận 1",
                           lower_hex(crypto::sha256(pa::certificate_to_der(tls.client_certificate.get()))), true});
        });
    }
    auto audit_key = crypto::Ed25519KeyPair::generate();
    crypto::write_ed25519_key_file(dir / "audit.key", audit_key, SecretBytes(view(kAuditPassphrase)), {1, 8u * 1024 * 1024});
    json::object config{{"listen_address", "127.0.0.1"}, {"listen_port", 0}, {"threads", 4},
                        {"tls_certificate", tls.server_pem.string()}, {"tls_key", tls.server_key_pem.string()},
                        {"tls_client_ca", tls.ca_pem.string()}, {"require_client_certificate", true},
                        {"database_kind", "sqlcipher"}, {"database_path", (dir / "cccd.db").string()},
                        {"database_key_file", (dir / "db.key").string()},
                        {"audit_signing_key_file", (dir / "audit.key").string()}, {"audit_checkpoint_entries", 100}};
    std::ofstream(dir / "server.json") << json::serialize(config);

    Bytes photo = from_hex("FFD8FFC0000B08014000F0011100");
    photo.resize(3000, 0x5A);
    append(photo, from_hex("FFD9"));
    std::vector<std::string> bodies;
    for (const auto& c : citizens) {
        // A new card on the population's day: the register's own record is the card it has (2021 ones too).
        identity::EnrollmentRecord record = identity::new_card_record(c, "2026-11-23");
        json::object o{{"record", json::parse(identity::to_json(record))}, {"photo_jpeg", base64_encode(photo)}};
        bodies.push_back(json::serialize(o));
    }

    std::vector<Outcome> outcomes(kRequests);
    std::mutex mutex;
    std::atomic<int> acknowledged{0};
    std::atomic<unsigned short> port{0};

    // One station client: logs in when it has no session (or after a restart), sends its share of
    // requests, and keeps every key until the server acknowledges it.
    auto station = [&](int first, std::atomic<bool>& stop_sending) {
        std::string token;
        for (int i = first; i < kRequests; i += kClients) {
            for (int attempt = 0; attempt < 400 && !stop_sending; ++attempt) {
                {
                    std::lock_guard lock(mutex);
                    if (!outcomes[static_cast<std::size_t>(i)].card_number.empty()) break;
                }
                http::testing::ClientOptions options;
                options.ca_file = tls.ca_pem;
                options.certificate_file = tls.client_pem;
                options.key_file = tls.client_key_pem;
                http::testing::TestClient client(options);
                if (port == 0 || client.connect(port)) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    continue;
                }
                if (token.empty()) {
                    auto r = client.request("POST", "/api/v1/sessions", R"({"officer_id":"officer1","password":"officer one password"})");
                    if (!r || r->result_int() != 201) continue;
                    token = json::value_to<std::string>(json::parse(r->body()).at("token"));
                    continue;  // a fresh connection for the request itself
                }
                auto r = client.request("POST", "/api/v1/enrollments", bodies[static_cast<std::size_t>(i)], "application/json",
                                        {{"Authorization", "Bearer " + token}, {"Idempotency-Key", "enroll-" + std::to_string(i)}});
                if (!r) continue;  // the server died mid-request: retry later with the same key
                if (r->result_int() == 401) {
                    token.clear();
                    continue;
                }
                if (r->result_int() != 201) continue;
                std::string card = json::value_to<std::string>(json::parse(r->body()).at("card_number"));
                std::lock_guard lock(mutex);
                auto& o = outcomes[static_cast<std::size_t>(i)];
                if (o.card_number.empty()) ++acknowledged;
                else EXPECT_EQ(o.card_number, card) << "request " << i << " acknowledged with two card numbers";
                o.card_number = card;
                ++o.acknowledgements;
                break;
            }
        }
    };

    std::atomic<bool> stop_sending{false};
    {
        test::ServerProcess server(CCCD_SERVER_BINARY, dir / "server.json", server_environment(tls));
        ASSERT_NE(server.port(), 0) << "cccd-server did not start; see " << (dir / "server.log");
        port = server.port();
        std::vector<std::thread> clients;
        for (int k = 0; k < kClients; ++k) clients.emplace_back(station, k, std::ref(stop_sending));
        // Kill it when roughly a third of the writes were acknowledged, with requests in flight.
        while (acknowledged < kRequests / 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        server.stop(SIGKILL);
        port = 0;
        int at_kill = acknowledged;
        EXPECT_LT(at_kill, kRequests);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        test::ServerProcess restarted(CCCD_SERVER_BINARY, dir / "server.json", server_environment(tls));
        ASSERT_NE(restarted.port(), 0);
        port = restarted.port();
        for (auto& t : clients) t.join();
        restarted.stop(SIGTERM);
        std::cout << "acknowledged before SIGKILL: " << at_kill << ", after the restart: " << acknowledged - at_kill << "\n";
    }
    EXPECT_EQ(acknowledged, kRequests);

    StorageConfig c = cccd::testing::sqlcipher_config((dir / "cccd.db").string(), 0x5C);
    auto storage = open_storage(c);
    std::set<std::string> card_numbers;
    for (int i = 0; i < kRequests; ++i) {
        const auto& citizen = citizens[static_cast<std::size_t>(i)];
        auto cards = storage->read([&](Transaction& t) { return t.cards_of(citizen.person.personal_id); });
        ASSERT_EQ(cards.size(), 1u) << "citizen " << i << " has " << cards.size() << " cards";
        EXPECT_EQ(cards[0].card_number, outcomes[static_cast<std::size_t>(i)].card_number);
        card_numbers.insert(cards[0].card_number);
    }
    EXPECT_EQ(card_numbers.size(), static_cast<std::size_t>(kRequests));

    crypto::PublicKeySet keys;
    crypto::add_public_key(keys, audit_key.public_key());
    AuditVerification audit = verify_audit(*storage, keys);
    EXPECT_TRUE(audit.ok) << audit.problem;
    EXPECT_GE(audit.entries, static_cast<std::uint64_t>(kRequests));
    EXPECT_GE(audit.checkpoints, 1u);
    fs::remove_all(dir);
}

namespace {

// Runs `cccd-server serve` to its end; returns the exit code and what it printed on stderr.
std::pair<int, std::string> serve_until_exit(const fs::path& config, const http::testing::TestPki& tls) {
    fs::path log = config.parent_path() / "refusal.log";
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, STDERR_FILENO);
        ::setenv("CCCD_TLS_KEY_PASSPHRASE", tls.server_key_passphrase.c_str(), 1);
        ::setenv("CCCD_AUDIT_KEY_PASSPHRASE", kAuditPassphrase.c_str(), 1);
        ::unsetenv("CCCD_DB_KEY");
        ::execl(CCCD_SERVER_BINARY, CCCD_SERVER_BINARY, "serve", "--config", config.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

}  // namespace

TEST(ServerKeys, AWrongOrMissingDatabaseKeyIsRefusedInWords) {
    fs::path dir = fs::temp_directory_path() / ("cccd-keys-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    http::testing::TestPki tls;
    {
        StorageConfig c = cccd::testing::sqlcipher_config((dir / "cccd.db").string(), 0x11);
        open_storage(c)->import_citizens(std::vector<Citizen>{PopulationGenerator(1, "2026-11-23").next()});
    }
    std::string wrong_key = to_hex(Bytes(32, 0x22));
    std::ofstream(dir / "wrong.key") << wrong_key << "\n";
    auto audit_key = crypto::Ed25519KeyPair::generate();
    crypto::write_ed25519_key_file(dir / "audit.key", audit_key, SecretBytes(view(kAuditPassphrase)), {1, 8u * 1024 * 1024});
    json::object config{{"listen_port", 0}, {"tls_certificate", tls.server_pem.string()}, {"tls_key", tls.server_key_pem.string()},
                        {"database_kind", "sqlcipher"}, {"database_path", (dir / "cccd.db").string()},
                        {"database_key_file", (dir / "wrong.key").string()},
                        {"audit_signing_key_file", (dir / "audit.key").string()}};
    std::ofstream(dir / "wrong.json") << json::serialize(config);
    auto [code, said] = serve_until_exit(dir / "wrong.json", tls);
    EXPECT_EQ(code, 5) << said;
    EXPECT_NE(said.find("key is wrong"), std::string::npos) << said;
    EXPECT_EQ(said.find(wrong_key), std::string::npos) << "the key was printed";

    config.erase("database_key_file");
    std::ofstream(dir / "missing.json") << json::serialize(config);
    std::tie(code, said) = serve_until_exit(dir / "missing.json", tls);
    EXPECT_NE(code, 0);
    EXPECT_NE(said.find("CCCD_DB_KEY"), std::string::npos) << said;

    // With log_format json, every line on stderr is a JSON event, the failure to start included.
    config["database_key_file"] = (dir / "wrong.key").string();
    config["log_format"] = "json";
    std::ofstream(dir / "json.json") << json::serialize(config);
    std::tie(code, said) = serve_until_exit(dir / "json.json", tls);
    EXPECT_EQ(code, 5) << said;
    EXPECT_EQ(said.find(wrong_key), std::string::npos) << "the key was printed";
    bool configuration = false, failure = false;
    std::istringstream lines(said);
    for (std::string line; std::getline(lines, line);) {
        boost::system::error_code ec;
        const json::value event = json::parse(line, ec);
        ASSERT_FALSE(ec) << "not a JSON line: " << line;
        ASSERT_TRUE(event.is_object() && event.as_object().contains("time") && event.as_object().contains("level")) << line;
        const json::string* message = event.as_object().if_contains("message") ? &event.at("message").as_string() : nullptr;
        configuration |= message && *message == "configuration" && event.as_object().contains("database_key_file");
        failure |= message && event.at("level") == "error" && std::string_view(*message).find("key is wrong") != std::string_view::npos;
    }
    EXPECT_TRUE(configuration) << said;
    EXPECT_TRUE(failure) << said;
    fs::remove_all(dir);
}
