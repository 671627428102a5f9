// What the server tells its operators, assembled as `cccd-server serve` assembles it (the issuance API,
// the authentication API, /metrics, a JSON log): no personal ID number, password or token reaches the
// log however the requests carry them; the health gauges follow the stores and the audit checkpoints;
// and every metric the Grafana dashboard and the Prometheus rules use (ops/) is one /metrics serves.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "auth/challenge_store.hpp"
#include "base/encoding.hpp"
#include "crypto/hash.hpp"
#include "card/pa/certificate.hpp"
#include "server/api/auth_api.hpp"
#include "server/api/issuance_api.hpp"
#include "server/http/server.hpp"
#include "server/http/tls.hpp"
#include "server/security/password.hpp"
#include "tests/fixtures/registry/issued_card.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/server_http/log_capture.hpp"
#include "tests/unit/server_http/test_support.hpp"

using namespace cccd;
using namespace cccd::server;
namespace json = boost::json;
using http::testing::ClientOptions;
using http::testing::TestClient;

namespace {

const std::string kPassword = "officer one password";
const std::string kWrongPassword = "wrong-password-Qx7!";
const std::string kScraperToken = "scraper-token-0123456789abcdef0123456789abcdef";

// The storage, or a database that does not answer.
class SwitchableStorage final : public Storage {
public:
    explicit SwitchableStorage(Storage& inner) : inner_(inner) {}
    StorageKind kind() const noexcept override { return inner_.kind(); }
    void import_citizens(std::span<const Citizen> citizens, std::size_t batch_size) override {
        inner_.import_citizens(citizens, batch_size);
    }
    std::atomic<bool> broken{false};

protected:
    void run(Mode mode, const std::function<void(Transaction&)>& work) override {
        if (broken) throw StorageError("storage: the database does not answer (test)");
        if (mode == Mode::ReadOnly) inner_.read([&](Transaction& t) { work(t); });
        else inner_.transaction([&](Transaction& t) { work(t); });
    }

private:
    Storage& inner_;
};

class SwitchableChallenges final : public auth::ChallengeStore {
public:
    void put(const auth::Challenge& challenge) override { inner_.put(challenge); }
    std::optional<auth::Challenge> take(std::string_view id) override { return inner_.take(id); }
    bool ping() override { return !broken; }
    std::atomic<bool> broken{false};

private:
    auth::InProcessChallengeStore inner_;
};

struct Reply {
    unsigned status = 0;
    std::string raw;
    std::string request_id;
};

class Observability : public ::testing::Test {
protected:
    void SetUp() override {
        inner_ = open_storage(cccd::testing::sqlcipher_config(dir_.file("cccd.db")));
        storage_ = std::make_unique<SwitchableStorage>(*inner_);
        citizen_ = fixtures::sample_citizen();
        storage_->transaction([&](Transaction& t) {
            t.put_citizen(fixtures::citizen_record(citizen_, {}));
            t.put_officer({"officer1", "Lê Văn Tám", Role::EnrollmentOfficer, security::hash_password(SecretBytes(view(kPassword))), true});
            t.put_station({"HCM-Q1-01", "Quận 1", lower_hex(crypto::sha256(pa::certificate_to_der(tls_.client_certificate.get()))), true});
        });
        checkpointer_ = std::make_unique<AuditCheckpointer>(*storage_, audit_key_, 1000, std::chrono::seconds(3600));

        // As cmd_serve.cpp: the issuance API, the authentication API, /metrics, one Metrics for all.
        http::Router router;
        api::IssuanceContext issuance{*storage_, sessions_, nullptr, checkpointer_.get(), &challenges_};
        issuance.metrics = metrics_;
        api::add_issuance_routes(router, std::move(issuance));
        registry_ = std::make_unique<api::StorageCardRegistry>(*storage_);
        parties_ = std::make_unique<api::StorageRelyingPartyDirectory>(*storage_);
        signer_ = std::make_unique<auth::AssertionSigner>("https://id.cccd.test", crypto::Ed25519KeyPair::generate(),
                                                          SecretBytes(Bytes(32, 0x17)));
        pipeline_ = std::make_unique<auth::VerificationPipeline>(challenges_, *registry_, *parties_, *signer_, nullptr);
        api::AuthContext auth{*storage_, *pipeline_, *signer_};
        auth.checkpointer = checkpointer_.get();
        auth.metrics = metrics_;
        api::add_auth_routes(router, std::move(auth));
        http::add_metrics_route(router, metrics_, SecretBytes(view(kScraperToken)));

        http::HttpsServerOptions o;
        o.listen_port = 0;
        o.threads = 4;
        o.tls.certificate_chain_file = tls_.server_pem.string();
        o.tls.private_key = http::load_private_key_file(tls_.server_key_pem, SecretBytes(view(tls_.server_key_passphrase)));
        o.tls.client_ca_file = tls_.ca_pem.string();
        o.logger = std::make_shared<http::Logger>(http::LogFormat::Json, log_.sink());
        o.metrics = metrics_;
        server_ = std::make_unique<http::HttpsServer>(std::move(o), std::move(router));
        server_->start();
    }
    void TearDown() override {
        if (server_) server_->stop();
    }

    Reply call(const std::string& method, const std::string& target, const std::string& body = {},
               std::vector<std::pair<std::string, std::string>> headers = {}, bool with_certificate = true) {
        ClientOptions options;
        options.ca_file = tls_.ca_pem;
        if (with_certificate) {
            options.certificate_file = tls_.client_pem;
            options.key_file = tls_.client_key_pem;
        }
        TestClient client(options);
        EXPECT_FALSE(client.connect(server_->port()));
        const auto response = client.request(method, target, body, "application/json", headers);
        Reply r;
        if (!response) return r;
        r.status = response->result_int();
        r.raw = response->body();
        r.request_id = std::string((*response)["X-Request-Id"]);
        return r;
    }

    std::string metrics_text() {
        return call("GET", "/metrics", {}, {{"Authorization", "Bearer " + kScraperToken}}, false).raw;
    }

    // The value of a series without labels in the text format; nullopt when absent.
    static std::optional<double> gauge(const std::string& text, const std::string& name) {
        const auto at = text.find("\n" + name + " ");
        if (at == std::string::npos) return std::nullopt;
        return std::stod(text.substr(at + name.size() + 2));
    }

    cccd::testing::TempDir dir_{"cccd-observability"};
    http::testing::TestPki tls_;
    std::unique_ptr<Storage> inner_;
    std::unique_ptr<SwitchableStorage> storage_;
    fixtures::SampleCitizen citizen_;
    crypto::Ed25519KeyPair audit_key_ = crypto::Ed25519KeyPair::generate();
    std::unique_ptr<AuditCheckpointer> checkpointer_;
    security::SessionManager sessions_{std::make_shared<security::InMemorySessionStore>()};
    SwitchableChallenges challenges_;
    std::unique_ptr<api::StorageCardRegistry> registry_;
    std::unique_ptr<api::StorageRelyingPartyDirectory> parties_;
    std::unique_ptr<auth::AssertionSigner> signer_;
    std::unique_ptr<auth::VerificationPipeline> pipeline_;
    std::shared_ptr<http::Metrics> metrics_ = std::make_shared<http::Metrics>();
    http::testing::LogCapture log_;
    std::unique_ptr<http::HttpsServer> server_;
};

// Every metric name in a PromQL text: cccd_ names (ours; the rules and the dashboard use no others
// with that prefix, not even in alert or group names).
std::set<std::string> metric_names_in(const std::string& text) {
    std::set<std::string> names;
    const std::regex name(R"(\bcccd_[a-z0-9_]+)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator(); ++it) names.insert(it->str());
    return names;
}

// Every query of the dashboard, however deep: its panels' "expr" and its variables' "query" and "definition".
void collect_expressions(const json::value& value, std::string& out) {
    if (value.is_object()) {
        for (const auto& [key, member] : value.as_object()) {
            if ((key == "expr" || key == "query" || key == "definition") && member.is_string())
                out += std::string(member.as_string()) + "\n";
            else collect_expressions(member, out);
        }
    } else if (value.is_array()) {
        for (const auto& item : value.as_array()) collect_expressions(item, out);
    }
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << "cannot read " << path;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

// Requests carry a personal ID number (in the path, in a body, as an X-Request-Id), a name (in a
// query), passwords (right and wrong), the session's bearer token (and a forged one) and the scraper's
// token: none of them is in the log, which still says who was authenticated and on which route.
TEST_F(Observability, NoIdNumberPasswordOrTokenReachesTheLog) {
    const std::string id_number = citizen_.person.personal_id;
    Reply wrong = call("POST", "/api/v1/sessions", json::serialize(json::object{{"officer_id", "officer1"}, {"password", kWrongPassword}}));
    EXPECT_EQ(wrong.status, 401u) << wrong.raw;
    Reply login = call("POST", "/api/v1/sessions", json::serialize(json::object{{"officer_id", "officer1"}, {"password", kPassword}}));
    ASSERT_EQ(login.status, 201u) << login.raw;
    const std::string token = std::string(json::parse(login.raw).at("token").as_string());
    const auto bearer = std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + token}};

    EXPECT_EQ(call("GET", "/api/v1/citizens/" + id_number, {}, bearer).status, 200u);
    Reply forged = call("GET", "/api/v1/citizens/" + id_number, {}, {{"Authorization", "Bearer forged-token-AAAAAAAAAAAAAAAA"}});
    EXPECT_EQ(forged.status, 401u);
    EXPECT_EQ(call("GET", "/api/v1/citizens?name=" + std::string("tr%E1%BA%A7n%20th%E1%BB%8B"), {}, bearer).status, 200u);
    Reply enrollment = call("POST", "/api/v1/enrollments",
                            json::serialize(json::object{{"record", {{"personal_id", id_number}, {"full_name", citizen_.person.full_name}}}}),
                            {{"Authorization", "Bearer " + token}, {"X-Request-Id", id_number}});
    EXPECT_GE(enrollment.status, 400u) << enrollment.raw;
    EXPECT_NE(enrollment.request_id, id_number) << "an ID number is never adopted as a request id";
    EXPECT_EQ(call("DELETE", "/api/v1/sessions/current", {}, bearer).status, 204u);
    EXPECT_EQ(call("GET", "/metrics", {}, {{"Authorization", "Bearer " + kScraperToken}}, false).status, 200u);

    const auto lines = log_.requests(8);
    ASSERT_EQ(lines.size(), 8u) << log_.text();
    const std::string text = log_.text();
    for (const std::string& secret : {id_number, citizen_.person.full_name, std::string("tr%E1%BA%A7n"), kPassword, kWrongPassword,
                                      token, token.substr(0, 16), std::string("forged-token"), kScraperToken})
        EXPECT_EQ(text.find(secret), std::string::npos) << "in the log: " << secret << "\n" << text;

    auto actor = [](const json::object& line) { return line.at("actor").is_null() ? std::string("(null)") : std::string(line.at("actor").as_string()); };
    EXPECT_EQ(actor(lines[0]), "station:HCM-Q1-01") << "a failed login: the station only, not the officer ID it named";
    EXPECT_EQ(actor(lines[1]), "officer:officer1@station:HCM-Q1-01");
    EXPECT_EQ(std::string(lines[2].at("route").as_string()), "/api/v1/citizens/{personal_id}");
    EXPECT_EQ(actor(lines[2]), "officer:officer1@station:HCM-Q1-01");
    EXPECT_EQ(actor(lines[3]), "(null)") << "a forged token authenticates nobody";
    EXPECT_EQ(std::string(lines[3].at("error").as_string()), "session_expired");
    EXPECT_EQ(std::string(lines[4].at("route").as_string()), "/api/v1/citizens");
    EXPECT_EQ(actor(lines[7]), "(null)");
    EXPECT_EQ(std::string(lines[7].at("route").as_string()), "/metrics");
    // Nor is any of it in the metrics.
    const std::string metrics = metrics_text();
    EXPECT_EQ(metrics.find(id_number), std::string::npos);
    EXPECT_EQ(metrics.find("officer1"), std::string::npos);
}

// On each scrape: whether the database and the challenge store answer, how old the newest audit
// checkpoint is and how many entries wait for one.
TEST_F(Observability, HealthGaugesFollowTheStoresAndTheCheckpoints) {
    ASSERT_EQ(call("POST", "/api/v1/sessions", json::serialize(json::object{{"officer_id", "officer1"}, {"password", kPassword}})).status, 201u);
    std::string text = metrics_text();
    EXPECT_EQ(gauge(text, "cccd_database_up"), 1.0) << text;
    EXPECT_EQ(gauge(text, "cccd_challenge_store_up"), 1.0);
    EXPECT_EQ(gauge(text, "cccd_audit_entries_uncovered"), 1.0) << "the login's entry";
    EXPECT_FALSE(gauge(text, "cccd_audit_checkpoint_age_seconds")) << "no checkpoint yet: no age";
    EXPECT_NE(text.find("# TYPE cccd_audit_checkpoint_age_seconds gauge"), std::string::npos);

    ASSERT_TRUE(checkpointer_->checkpoint_now());
    text = metrics_text();
    EXPECT_EQ(gauge(text, "cccd_audit_entries_uncovered"), 0.0) << text;
    const auto age = gauge(text, "cccd_audit_checkpoint_age_seconds");
    ASSERT_TRUE(age) << text;
    EXPECT_GE(*age, 0.0);
    EXPECT_LT(*age, 3600.0);

    challenges_.broken = true;
    storage_->broken = true;
    text = metrics_text();
    EXPECT_EQ(gauge(text, "cccd_database_up"), 0.0) << text;
    EXPECT_EQ(gauge(text, "cccd_challenge_store_up"), 0.0);
    EXPECT_TRUE(gauge(text, "cccd_audit_checkpoint_age_seconds")) << "the last checkpoint seen still ages";
    const Reply ready = call("GET", "/readyz", {}, {}, false);
    EXPECT_EQ(ready.status, 503u);
    EXPECT_NE(ready.raw.find("the database does not answer"), std::string::npos) << ready.raw;
    // A handler that meets the broken database (the login looks the station up) counts it.
    EXPECT_GE(call("POST", "/api/v1/sessions", json::serialize(json::object{{"officer_id", "officer1"}, {"password", kPassword}})).status,
              500u);
    text = metrics_text();
    const auto errors = text.find(R"(cccd_store_errors_total{store="database"} )");
    EXPECT_NE(errors, std::string::npos) << text;
    storage_->broken = false;
    challenges_.broken = false;
    EXPECT_EQ(gauge(metrics_text(), "cccd_database_up"), 1.0);
}

// The dashboard and the alert rules use only metrics the server exports: a renamed family, or a
// typo in ops/, fails here rather than on an operator's empty panel or an alert that never fires.
TEST_F(Observability, EveryMetricTheDashboardAndTheRulesUseIsServed) {
    const std::string served = metrics_text();
    std::set<std::string> exported;
    const std::regex type_line(R"(# TYPE (cccd_[a-z0-9_]+) (counter|gauge|histogram))");
    for (auto it = std::sregex_iterator(served.begin(), served.end(), type_line); it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1].str();
        exported.insert(name);
        if ((*it)[2].str() == "histogram")
            for (const char* suffix : {"_bucket", "_sum", "_count"}) exported.insert(name + suffix);
    }
    // The families the dashboard needs (issue 16) are among them.
    for (const char* family : {"cccd_http_requests_total", "cccd_http_request_duration_seconds", "cccd_auth_refusals_total",
                               "cccd_auth_verifications_total", "cccd_audit_checkpoint_age_seconds", "cccd_audit_entries_uncovered",
                               "cccd_database_up", "cccd_challenge_store_up", "cccd_store_errors_total"})
        EXPECT_TRUE(exported.count(family)) << family << " is not served:\n" << served;

    std::string dashboard_queries;
    collect_expressions(json::parse(read_text(CCCD_OPS_DIR "/grafana/cccd.json")), dashboard_queries);
    const auto dashboard = metric_names_in(dashboard_queries);
    const auto rules = metric_names_in(read_text(CCCD_OPS_DIR "/prometheus/cccd-rules.yml"));
    EXPECT_GE(dashboard.size(), 8u) << dashboard_queries;
    EXPECT_GE(rules.size(), 5u);
    for (const auto& name : dashboard) EXPECT_TRUE(exported.count(name)) << "the dashboard uses " << name << ", which is not served";
    for (const auto& name : rules) EXPECT_TRUE(exported.count(name)) << "the rules use " << name << ", which is not served";
    for (const char* needed : {"cccd_http_request_duration_seconds_bucket", "cccd_auth_refusals_total", "cccd_auth_verifications_total",
                               "cccd_audit_checkpoint_age_seconds", "cccd_database_up", "cccd_challenge_store_up"})
        EXPECT_TRUE(dashboard.count(needed)) << "the dashboard has no panel on " << needed;
    for (const char* needed : {"cccd_http_requests_total", "cccd_http_request_duration_seconds_bucket",
                               "cccd_audit_checkpoint_age_seconds", "cccd_database_up", "cccd_challenge_store_up"})
        EXPECT_TRUE(rules.count(needed)) << "no alert rule on " << needed;
}
