// End to end with a virtual card through the real pcscd: cccd-vcard serves an issued sample card, the
// registry knows the card (its SOD and chip keys pinned) and a relying party, cccd-server serves the
// authentication API, and `cccd-card auth` — challenge, PACE-CAN, INTERNAL AUTHENTICATE over the derived
// challenge, verification — prints an assertion that the server's JWKS verifies.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>

#include "auth/assertion.hpp"
#include "base/encoding.hpp"
#include "base/file.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/security_infos.hpp"
#include "card/pa/certificate.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "server/storage/storage.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/unit/server_http/test_support.hpp"

using namespace cccd;
using namespace cccd::server;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string kAuditPassphrase = "audit key passphrase for the test";
const std::string kAssertionPassphrase = "assertion key passphrase for the test";
constexpr const char* kIssuer = "https://id.cccd.test";

struct Outcome {
    int exit_code = -1;
    std::string out;
};

Outcome run(const std::string& command) {
    Outcome r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

// pcscd and one virtual card through the project's harness, stopped by PID at the end.
struct Harness {
    fs::path dir;
    bool started = false;
    explicit Harness(fs::path work) : dir(std::move(work)) {
        Outcome r = run(quote(CCCD_HARNESS) + " start " + quote(dir.string()) + " 1 " + quote(CCCD_VCARD_BINARY));
        started = r.exit_code == 0;
        if (!started) std::cerr << r.out;
    }
    ~Harness() { run(quote(CCCD_HARNESS) + " stop " + quote(dir.string())); }
};

}  // namespace

TEST(PcscAuth, CccdCardAuthPrintsAnAssertionTheJwksVerifies) {
    fs::path dir = fs::temp_directory_path() / ("cccd-pcsc-auth-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    struct RemoveAtEnd {  // declared before the harness, so it runs after the harness stopped pcscd
        fs::path dir;
        ~RemoveAtEnd() { fs::remove_all(dir); }
    } remove_at_end{dir};
    Harness harness(dir / "harness");
    ASSERT_TRUE(harness.started);
    fs::path card_dir = dir / "harness" / "card1";

    // The registry: the sample citizen and her card as issuance pinned it, and the relying party whose
    // client certificate is the test client's (its CN is the party's id).
    http::testing::TestPki tls;
    fixtures::SampleCitizen citizen = fixtures::sample_citizen();
    Bytes sod = read_file(card_dir / "EF.SOD");
    Bytes dg14 = read_file(card_dir / "DG14");
    Bytes dg15 = read_file(card_dir / "DG15");
    {
        StorageConfig c = cccd::testing::sqlcipher_config((dir / "cccd.db").string(), 0x3D);
        auto storage = open_storage(c);
        storage->transaction([&](Transaction& t) {
            Citizen record;
            record.person = citizen.person;
            record.sex = citizen.sex;
            record.date_of_birth = citizen.date_of_birth;
            record.province_code = citizen.person.personal_id.substr(0, 3);
            record.updated_at = "2026-01-01T00:00:00Z";
            t.put_citizen(record);
            Card card;
            card.card_number = *citizen.person.card_serial;
            card.document_number = citizen.person.personal_id.substr(3);
            card.personal_id = citizen.person.personal_id;
            card.status = CardStatus::Issued;
            card.sod_digest = crypto::sha256(sod);
            card.active_auth_public_key = lds::decode_dg15(dg15).public_key_info;
            card.chip_auth_public_key =
                lds::decode_dg14(dg14).security_infos.all<lds::ChipAuthenticationPublicKeyInfo>().front().public_key_info;
            card.date_of_issue = "2021-07-01";
            card.date_of_expiry = citizen.date_of_expiry;
            card.station_id = "HCM-Q1-01";
            card.officer_id = "officer1";
            card.updated_at = "2026-01-01T00:00:00Z";
            t.put_card(card);
            t.put_relying_party({"HCM-Q1-01", "Ngân hàng thử nghiệm", "name date_of_birth age_over_18",
                                 lower_hex(crypto::sha256(pa::certificate_to_der(tls.client_certificate.get()))),
                                 600, true});
        });
    }
    std::ofstream(dir / "db.key") << to_hex(Bytes(32, 0x3D)) << "\n";
    crypto::write_ed25519_key_file(dir / "audit.key", crypto::Ed25519KeyPair::generate(),
                                     SecretBytes(view(kAuditPassphrase)), {1, 8u * 1024 * 1024});
    crypto::write_ed25519_key_file(dir / "assertion.key", crypto::Ed25519KeyPair::generate(),
                                     SecretBytes(view(kAssertionPassphrase)), {1, 8u * 1024 * 1024});
    std::ofstream(dir / "pairwise.hex") << to_hex(Bytes(32, 0x2A)) << "\n";
    json::object config{{"listen_address", "127.0.0.1"}, {"listen_port", 0}, {"threads", 2},
                        {"tls_certificate", tls.server_pem.string()}, {"tls_key", tls.server_key_pem.string()},
                        {"tls_client_ca", tls.ca_pem.string()}, {"database_kind", "sqlcipher"},
                        {"database_path", (dir / "cccd.db").string()}, {"database_key_file", (dir / "db.key").string()},
                        {"audit_signing_key_file", (dir / "audit.key").string()},
                        {"assertion_key_file", (dir / "assertion.key").string()},
                        {"pairwise_secret_file", (dir / "pairwise.hex").string()}, {"issuer", kIssuer}};
    std::ofstream(dir / "server.json") << json::serialize(config);
    test::ServerProcess server(CCCD_SERVER_BINARY, dir / "server.json",
                               {{"CCCD_TLS_KEY_PASSPHRASE", tls.server_key_passphrase},
                                {"CCCD_AUDIT_KEY_PASSPHRASE", kAuditPassphrase},
                                {"CCCD_ASSERTION_KEY_PASSPHRASE", kAssertionPassphrase}});
    ASSERT_NE(server.port(), 0) << "cccd-server did not start; see " << (dir / "server.log");

    std::string can;
    std::ifstream(card_dir / "can.txt") >> can;
    Outcome readers = run(quote(CCCD_CARD_TOOL) + " readers");
    std::string reader = readers.out.substr(0, readers.out.find('\n'));
    std::string server_url = "https://127.0.0.1:" + std::to_string(server.port());
    Outcome auth = run(quote(CCCD_CARD_TOOL) + " auth --reader " + quote(reader) + " --can " + can + " --server " + server_url +
                   " --ca " + quote(tls.ca_pem.string()) + " --client-cert " + quote(tls.client_pem.string()) +
                   " --client-key " + quote(tls.client_key_pem.string()) + " --json");
    ASSERT_EQ(auth.exit_code, 0) << auth.out;
    json::value printed = json::parse(auth.out.substr(auth.out.find('{')));
    std::string assertion = json::value_to<std::string>(printed.at("assertion"));

    // Independently of the tool: the server's JWKS verifies the assertion, for this party only.
    http::testing::ClientOptions options;
    options.ca_file = tls.ca_pem;
    http::testing::TestClient client(options);
    ASSERT_FALSE(client.connect(server.port()));
    auto jwks = client.request("GET", "/.well-known/jwks.json");
    ASSERT_TRUE(jwks.has_value());
    auth::Jwks keys = auth::Jwks::parse(jwks->body());
    auto verified = auth::verify_assertion(assertion, keys, "HCM-Q1-01", auth::system_clock()(), kIssuer);
    EXPECT_EQ(json::value_to<std::string>(verified.claims.at("name")), citizen.person.full_name);
    EXPECT_FALSE(verified.claims.contains("address")) << "an attribute outside the party's scope";
    EXPECT_THROW(auth::verify_assertion(assertion, keys, "another-bank", auth::system_clock()(), kIssuer), Error);
}
