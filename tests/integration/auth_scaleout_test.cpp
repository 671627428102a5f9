// Issue 6's acceptance: two real cccd-server processes on one PostgreSQL and one Redis (challenge_store
// redis, the same assertion key). A challenge issued by instance A is verified by instance B exactly
// once (a second try, on A or on B, is challenge_unknown), and a card revoked through A (issuance API,
// supervisor session) is refused by B at once (card_revoked); with Redis gone, 503. PostgreSQL comes from the test fixture;
// Redis is this test's own child process on 127.0.0.1 at a free port, stopped by PID.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "auth/assertion.hpp"
#include "auth/challenge.hpp"
#include "base/encoding.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/security_infos.hpp"
#include "card/pa/certificate.hpp"
#include "card/protocol/active_auth.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "server/security/password.hpp"
#include "server/storage/storage.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/fixtures/test_pki.hpp"
#include "tests/support/postgres_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/unit/server_http/test_support.hpp"

using namespace cccd;
using namespace cccd::server;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string kAuditPassphrase = "audit key passphrase for the test";
const std::string kAssertionPassphrase = "assertion key passphrase for the test";
constexpr const char* kIssuer = "https://id.cccd.test";

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("no free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    if (fd >= 0) ::close(fd);
    return ok;
}

// This test's own redis-server: 127.0.0.1 only, no persistence, stopped by its PID.
class RedisProcess {
public:
    explicit RedisProcess(const fs::path& dir) : port_(free_port()) {
        pid_ = ::fork();
        if (pid_ == 0) {
            const int log = ::open((dir / "redis.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            ::dup2(log, STDOUT_FILENO);
            ::dup2(log, STDERR_FILENO);
            const std::string port = std::to_string(port_);
            ::execlp("redis-server", "redis-server", "--bind", "127.0.0.1", "--port", port.c_str(), "--save", "",
                     "--appendonly", "no", "--dir", dir.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !accepts_connections(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ~RedisProcess() { stop(); }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    RedisProcess(const RedisProcess&) = delete;
    RedisProcess& operator=(const RedisProcess&) = delete;
    int port() const { return port_; }
    bool running() const { return pid_ > 0 && accepts_connections(port_); }

private:
    int port_;
    pid_t pid_ = -1;
};

// cccd-server as a child process; the port comes from its "listening on" line.
std::map<std::string, std::string> server_environment(const http::testing::TestPki& tls) {
    return {{"CCCD_TLS_KEY_PASSPHRASE", tls.server_key_passphrase},
            {"CCCD_AUDIT_KEY_PASSPHRASE", kAuditPassphrase},
            {"CCCD_ASSERTION_KEY_PASSPHRASE", kAssertionPassphrase}};
}

struct Reply {
    unsigned status = 0;
    json::value body;
    std::string raw;
};

Reply call(const http::testing::TestPki& tls, unsigned short port, const std::string& method, const std::string& target,
           const std::string& body = {}, std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::testing::ClientOptions options;
    options.ca_file = tls.ca_pem;
    options.certificate_file = tls.client_pem;
    options.key_file = tls.client_key_pem;
    http::testing::TestClient client(options);
    Reply r;
    if (client.connect(port)) return r;
    auto response = client.request(method, target, body, "application/json", headers);
    if (!response) return r;
    r.status = response->result_int();
    r.raw = response->body();
    boost::system::error_code ec;
    if (!r.raw.empty()) r.body = json::parse(r.raw, ec);
    return r;
}

std::string error_code(const Reply& r) {
    if (!r.body.is_object() || !r.body.as_object().contains("error")) return "";
    return json::value_to<std::string>(r.body.at("error").at("code"));
}

// What an honest terminal posts after the card signed the challenge's aa_challenge.
std::string presentation(const Reply& challenge, const fixtures::SampleCitizen& citizen, const fixtures::SampleCard& card) {
    const Bytes aa_challenge = from_hex(json::value_to<std::string>(challenge.body.at("aa_challenge")));
    const Bytes signature = protocol::sign_active_auth_ecdsa(card.active_auth_key, aa_challenge,
                                                             crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
    json::object files;
    for (const char* name : {"EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"}) {
        files[name] = base64_encode(card.files.at(name));
    }
    json::object body;
    body["challenge_id"] = challenge.body.at("challenge_id");
    body["document_number"] = citizen.person.personal_id.substr(3);
    body["files"] = std::move(files);
    body["active_auth_signature"] = base64_encode(signature);
    return json::serialize(body);
}

}  // namespace

TEST(AuthScaleOut, TwoServersShareChallengesAndSeeARevocationAtOnce) {
    const fs::path dir = fs::temp_directory_path() / ("cccd-auth-scaleout-" + std::to_string(::getpid()));
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "b");
    http::testing::TestPki tls;
    const std::string certificate_sha256 =
        lower_hex(crypto::sha256(pa::certificate_to_der(tls.client_certificate.get())));

    // The shared database: a citizen and her issued card (SOD and chip keys pinned), a supervisor, the
    // station she works at and a relying party. One client certificate serves as both the station's
    // and the bank's: the two registries are separate tables, which is what this shows.
    const std::string conninfo = test::PostgresServer::shared().create_database();
    const fixtures::TestPki pki = fixtures::make_test_pki();
    const fixtures::SampleCitizen citizen = fixtures::sample_citizen();
    const Bytes jpeg = fixtures::sample_face_jpeg();
    const fixtures::SampleCard card = fixtures::make_sample_card(citizen, jpeg, pki.ds);
    std::string card_number;
    {
        StorageConfig c;
        c.kind = StorageKind::Postgres;
        c.location = conninfo;
        auto storage = open_storage(c);
        card_number = storage->transaction([&](Transaction& t) {
            const std::string number = fixtures::register_issued_card(t, citizen, card, jpeg, true, "chief");
            t.put_officer({"chief", "Phạm Thị Hoa", Role::Supervisor,
                           security::hash_password(SecretBytes(view(std::string("supervisor password")))), true});
            t.put_station({"HCM-Q1-01", "Quận 1", certificate_sha256, true});
            t.put_relying_party({"bank-01", "Ngân hàng Một", "name age_over_18", certificate_sha256, 600, true});
            return number;
        });
    }

    RedisProcess redis(dir);
    ASSERT_TRUE(redis.running()) << "redis-server did not start; see " << (dir / "redis.log");

    // Keys both instances share: audit, assertion (sealed), pairwise secret.
    crypto::write_ed25519_key_file(dir / "audit.key", crypto::Ed25519KeyPair::generate(),
                                     SecretBytes(view(kAuditPassphrase)), {1, 8u * 1024 * 1024});
    crypto::write_ed25519_key_file(dir / "assertion.key", crypto::Ed25519KeyPair::generate(),
                                     SecretBytes(view(kAssertionPassphrase)), {1, 8u * 1024 * 1024});
    std::ofstream(dir / "pairwise.hex") << to_hex(Bytes(32, 0x2A)) << "\n";
    ::chmod((dir / "pairwise.hex").c_str(), 0600);
    const json::object config{{"listen_address", "127.0.0.1"}, {"listen_port", 0}, {"threads", 2},
                              {"tls_certificate", tls.server_pem.string()}, {"tls_key", tls.server_key_pem.string()},
                              {"tls_client_ca", tls.ca_pem.string()}, {"require_client_certificate", false},
                              {"database_kind", "postgresql"}, {"database_connection_string", conninfo},
                              {"audit_signing_key_file", (dir / "audit.key").string()},
                              {"challenge_store", "redis"}, {"redis_address", "127.0.0.1:" + std::to_string(redis.port())},
                              {"assertion_key_file", (dir / "assertion.key").string()},
                              {"pairwise_secret_file", (dir / "pairwise.hex").string()}, {"issuer", kIssuer}};
    for (const char* instance : {"a", "b"}) std::ofstream(dir / instance / "server.json") << json::serialize(config);

    test::ServerProcess a(CCCD_SERVER_BINARY, dir / "a" / "server.json", server_environment(tls));
    test::ServerProcess b(CCCD_SERVER_BINARY, dir / "b" / "server.json", server_environment(tls));
    ASSERT_NE(a.port(), 0) << "instance A did not start; see " << (dir / "a" / "server.log");
    ASSERT_NE(b.port(), 0) << "instance B did not start; see " << (dir / "b" / "server.log");

    // A challenge from A, redeemed on B.
    const Reply challenge = call(tls, a.port(), "POST", "/api/v1/auth/challenges");
    ASSERT_EQ(challenge.status, 201u) << challenge.raw;
    const std::string body = presentation(challenge, citizen, card);
    const Reply verified = call(tls, b.port(), "POST", "/api/v1/auth/verifications", body);
    ASSERT_EQ(verified.status, 200u) << verified.raw;
    EXPECT_EQ(verified.body.at("loa").as_string(), "high");
    // Either instance's JWKS verifies it: they sign with the same key.
    const Reply jwks = call(tls, a.port(), "GET", "/.well-known/jwks.json");
    ASSERT_EQ(jwks.status, 200u) << jwks.raw;
    const auto assertion = auth::verify_assertion(json::value_to<std::string>(verified.body.at("assertion")),
                                                  auth::Jwks::parse(jwks.raw), "bank-01", auth::system_clock()(), kIssuer);
    EXPECT_EQ(assertion.claims.at("name").as_string(), citizen.person.full_name);

    // Exactly once: the same challenge again, on A and on B.
    for (unsigned short port : {a.port(), b.port()}) {
        const Reply again = call(tls, port, "POST", "/api/v1/auth/verifications", body);
        EXPECT_EQ(again.status, 422u) << again.raw;
        EXPECT_EQ(error_code(again), "challenge_unknown");
    }

    // A supervisor revokes the card through A ...
    const Reply login = call(tls, a.port(), "POST", "/api/v1/sessions",
                             R"({"officer_id":"chief","password":"supervisor password"})");
    ASSERT_EQ(login.status, 201u) << login.raw;
    const std::string token = json::value_to<std::string>(login.body.at("token"));
    const Reply revoked = call(tls, a.port(), "POST", "/api/v1/cards/" + card_number + "/revoke", R"({"reason":"stolen"})",
                               {{"Authorization", "Bearer " + token}, {"Idempotency-Key", "revoke-1"}});
    ASSERT_EQ(revoked.status, 200u) << revoked.raw;

    // ... and B refuses the card at once, with a fresh challenge (from B itself).
    const Reply fresh = call(tls, b.port(), "POST", "/api/v1/auth/challenges");
    ASSERT_EQ(fresh.status, 201u) << fresh.raw;
    const Reply refused = call(tls, b.port(), "POST", "/api/v1/auth/verifications", presentation(fresh, citizen, card));
    EXPECT_EQ(refused.status, 422u) << refused.raw;
    EXPECT_EQ(error_code(refused), "card_revoked");

    // Every verification is in the shared audit log as the relying party.
    {
        StorageConfig c;
        c.kind = StorageKind::Postgres;
        c.location = conninfo;
        auto storage = open_storage(c);
        std::vector<std::string> outcomes;
        for (const auto& e : storage->read([](Transaction& t) { return t.audit_range(1, t.last_audit()->sequence); })) {
            if (e.action != "auth.verify") continue;
            EXPECT_EQ(e.actor, "rp:bank-01");
            EXPECT_EQ(e.subject.find(citizen.person.full_name), std::string::npos);
            outcomes.push_back(e.outcome);
        }
        EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "challenge_unknown", "challenge_unknown", "card_revoked"}));
    }

    // Redis gone: the servers' own failure is 503, never a refusal code a relying party would act on.
    redis.stop();
    const Reply unavailable = call(tls, a.port(), "POST", "/api/v1/auth/challenges");
    EXPECT_EQ(unavailable.status, 503u) << unavailable.raw;
    EXPECT_EQ(error_code(unavailable), "service_unavailable");

    std::error_code ignored;
    fs::remove_all(dir, ignored);
}
