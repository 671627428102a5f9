// ServerConfig: JSON file, environment overrides, validation messages, secrets never shown.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/environment.hpp"
#include "server/http/config.hpp"
#include "server/http/server.hpp"

namespace cccd::server::http {
namespace {

namespace fs = std::filesystem;

Environment fake_environment(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
        const auto it = variables.find(std::string(name));
        if (it == variables.end()) return std::nullopt;
        return it->second;
    };
}

const char* complete = R"({
  "listen_address": "0.0.0.0", "listen_port": 9443, "threads": 8,
  "tls_certificate": "/etc/cccd/server.pem", "tls_key": "/etc/cccd/server.key.pem",
  "tls_client_ca": "/etc/cccd/service-ca.pem", "require_client_certificate": true,
  "max_body_bytes": 4194304, "handler_timeout_ms": 20000, "anonymous_requests_per_minute": 30,
  "max_connections_per_peer": 16, "handshake_timeout_ms": 3000,
  "database_kind": "postgresql", "database_connection_string": "host=db user=cccd password=hunter2-secret",
  "ds_key": "pkcs11:token=cccd;object=ds-2026?pin-value=123456", "ds_certificate": "/etc/cccd/ds.pem",
  "audit_signing_key_file": "/etc/cccd/audit.key", "audit_checkpoint_entries": 500
})";

std::vector<std::string> problems_of(std::string_view json, std::map<std::string, std::string> env = {}) {
    try {
        validate(parse_server_config(json, "cccd-server.json", fake_environment(std::move(env))));
    } catch (const ConfigError& error) {
        return error.problems();
    }
    return {};
}

bool mentions(const std::vector<std::string>& problems, std::string_view text) {
    for (const auto& problem : problems)
        if (problem.find(text) != std::string::npos) return true;
    return false;
}

TEST(ServerConfig, ReadsEveryKindOfValue) {
    const auto config = parse_server_config(complete, "cccd-server.json", fake_environment({}));
    EXPECT_NO_THROW(validate(config));
    EXPECT_EQ(config.listen_address, "0.0.0.0");
    EXPECT_EQ(config.listen_port, 9443);
    EXPECT_EQ(config.threads, 8u);
    EXPECT_TRUE(config.require_client_certificate);
    EXPECT_EQ(config.max_body_bytes, 4194304u);
    EXPECT_EQ(config.handler_timeout_ms, 20000u);
    EXPECT_EQ(config.read_timeout_ms, 15000u);  // default kept
    EXPECT_EQ(config.audit_checkpoint_entries, 500u);
    EXPECT_TRUE(config.metrics_token_file.empty());  // no /metrics unless a scraper token is configured
    const auto options = options_from_config(config, nullptr);
    EXPECT_EQ(options.limits.handler_timeout, std::chrono::milliseconds(20000));
    EXPECT_EQ(options.tls.client_ca_file, "/etc/cccd/service-ca.pem");
    EXPECT_EQ(options.limits.anonymous_requests_per_minute, 30u);
    EXPECT_EQ(options.limits.max_connections_per_peer, 16u);
    EXPECT_EQ(options.limits.handshake_timeout, std::chrono::milliseconds(3000));
    EXPECT_EQ(ServerConfig{}.max_connections_per_peer, ServerLimits{}.max_connections_per_peer);
    EXPECT_EQ(std::chrono::milliseconds(ServerConfig{}.handshake_timeout_ms), ServerLimits{}.handshake_timeout);
    EXPECT_EQ(ServerConfig{}.anonymous_requests_per_minute, ServerLimits{}.anonymous_requests_per_minute);
}

TEST(ServerConfig, EnvironmentOverridesTheFile) {
    const auto config = parse_server_config(
        complete, "cccd-server.json",
        fake_environment({{"CCCD_SERVER_LISTEN_PORT", "10443"}, {"CCCD_SERVER_REQUIRE_CLIENT_CERTIFICATE", "false"},
                          {"CCCD_SERVER_TLS_KEY", "/run/credentials/cccd/key.pem"}, {"UNRELATED", "1"}}));
    EXPECT_EQ(config.listen_port, 10443);
    EXPECT_FALSE(config.require_client_certificate);
    EXPECT_EQ(config.tls_key, "/run/credentials/cccd/key.pem");
    EXPECT_EQ(environment_variable_for("max_body_bytes"), "CCCD_SERVER_MAX_BODY_BYTES");
    EXPECT_EQ(config_keys().size(), 42u);
}

TEST(ServerConfig, AConnectionStringFromTheEnvironmentIsTakenOutOfItOtherOverridesStay) {
    ::setenv("CCCD_SERVER_DATABASE_CONNECTION_STRING", "host=127.0.0.1 password=s3cret-db", 1);
    ::setenv("CCCD_SERVER_THREADS", "3", 1);
    const Environment environment = process_environment();
    EXPECT_EQ(environment("CCCD_SERVER_DATABASE_CONNECTION_STRING"), "host=127.0.0.1 password=s3cret-db");
    EXPECT_EQ(std::getenv("CCCD_SERVER_DATABASE_CONNECTION_STRING"), nullptr) << "a password stays for child processes";
    EXPECT_EQ(environment("CCCD_SERVER_DATABASE_CONNECTION_STRING"), "host=127.0.0.1 password=s3cret-db");  // read again
    EXPECT_EQ(environment("CCCD_SERVER_THREADS"), "3");
    EXPECT_STREQ(std::getenv("CCCD_SERVER_THREADS"), "3");
    ::unsetenv("CCCD_SERVER_THREADS");
    forget_secret_from_environment("CCCD_SERVER_DATABASE_CONNECTION_STRING");
}

TEST(ServerConfig, TypeAndRangeErrorsNameKeyAndSource) {
    auto problems = problems_of(R"({"listen_port": 70000, "threads": "four", "listen_prot": 1, "max_body_bytes": -1})");
    EXPECT_TRUE(mentions(problems, "cccd-server.json: 'listen_port' must be an integer from 0 to 65535"));
    EXPECT_TRUE(mentions(problems, "cccd-server.json: 'threads' must be an integer from 0 to 256"));
    EXPECT_TRUE(mentions(problems, "cccd-server.json: unknown key 'listen_prot'"));
    EXPECT_TRUE(mentions(problems, "'max_body_bytes' must be an integer"));

    problems = problems_of(complete, {{"CCCD_SERVER_LISTEN_PORT", "80a"}, {"CCCD_SERVER_REQUIRE_CLIENT_CERTIFICATE", "maybe"}});
    EXPECT_TRUE(mentions(problems, "environment CCCD_SERVER_LISTEN_PORT: must be an integer from 0 to 65535"));
    EXPECT_TRUE(mentions(problems, "environment CCCD_SERVER_REQUIRE_CLIENT_CERTIFICATE: must be true or false"));

    problems = problems_of("[1, 2]");
    EXPECT_TRUE(mentions(problems, "must be a JSON object"));
    problems = problems_of("{\"threads\": ");
    EXPECT_TRUE(mentions(problems, "not valid JSON"));
}

TEST(ServerConfig, ValidationListsEveryProblem) {
    const auto problems = problems_of(R"({"listen_address": "server.local", "require_client_certificate": true,
                                          "database_kind": "sqlcipher", "ds_key": "/k.pem"})");
    EXPECT_TRUE(mentions(problems, "'listen_address' must be an IP address"));
    EXPECT_TRUE(mentions(problems, "'tls_certificate' is required"));
    EXPECT_TRUE(mentions(problems, "'tls_key' is required"));
    EXPECT_TRUE(mentions(problems, "'tls_client_ca' is required when require_client_certificate is true"));
    EXPECT_TRUE(mentions(problems, "'database_path' is required for database_kind sqlcipher"));
    EXPECT_TRUE(mentions(problems, "'ds_key' and 'ds_certificate' go together"));
    EXPECT_TRUE(mentions(problems, "'audit_signing_key_file' is required"));
    EXPECT_EQ(problems.size(), 7u);  // database_key_file may be absent: CCCD_DB_KEY then holds the key
    EXPECT_TRUE(mentions(problems_of(R"({"database_kind": "mysql"})"), "'database_kind' must be sqlcipher or postgresql"));
}

TEST(ServerConfig, AuthenticationKeys) {
    // Defaults: the auth API off, challenges in process.
    const auto defaults = parse_server_config(complete, "cccd-server.json", fake_environment({}));
    EXPECT_EQ(defaults.challenge_store, "memory");
    EXPECT_EQ(defaults.challenge_seconds, 120u);
    EXPECT_TRUE(defaults.assertion_key_file.empty());
    EXPECT_TRUE(defaults.retired_public_key_files().empty());

    const auto config = parse_server_config(
        R"({"challenge_store": "redis", "redis_address": "127.0.0.1:6380", "assertion_key_file": "/etc/cccd/assertion.key",
            "assertion_retired_public_keys": ["/etc/cccd/old1.pub", "/etc/cccd/old2.pub"],
            "pairwise_secret_file": "/etc/cccd/pairwise.hex", "issuer": "https://id.cccd.vn", "challenge_seconds": 90})",
        "cccd-server.json", fake_environment({{"CCCD_SERVER_CHALLENGE_SECONDS", "60"}}));
    EXPECT_EQ(config.challenge_store, "redis");
    ASSERT_TRUE(config.redis_endpoint());
    EXPECT_EQ(config.redis_endpoint()->first, "127.0.0.1");
    EXPECT_EQ(config.redis_endpoint()->second, 6380);
    EXPECT_EQ(config.retired_public_key_files(), (std::vector<std::string>{"/etc/cccd/old1.pub", "/etc/cccd/old2.pub"}));
    EXPECT_EQ(config.issuer, "https://id.cccd.vn");
    EXPECT_EQ(config.challenge_seconds, 60u);  // the environment wins

    const auto comma = parse_server_config(R"({"assertion_retired_public_keys": " a.pub , b.pub,"})", "c.json",
                                           fake_environment({}));
    EXPECT_EQ(comma.retired_public_key_files(), (std::vector<std::string>{"a.pub", "b.pub"}));

    auto problems = problems_of(R"({"challenge_store": "redis", "redis_address": "localhost"})");
    EXPECT_TRUE(mentions(problems, "'redis_address' must be host:port"));
    problems = problems_of(R"({"challenge_store": "memcached"})");
    EXPECT_TRUE(mentions(problems, "'challenge_store' must be memory or redis"));
    problems = problems_of(R"({"assertion_key_file": "/k"})");
    EXPECT_TRUE(mentions(problems, "'pairwise_secret_file' is required when assertion_key_file is set"));
    EXPECT_TRUE(mentions(problems, "'issuer' is required when assertion_key_file is set"));
    problems = problems_of(R"({"pairwise_secret_file": "/p"})");
    EXPECT_TRUE(mentions(problems, "'assertion_key_file' is required"));
    problems = problems_of(R"({"challenge_seconds": 5, "assertion_retired_public_keys": [1]})");
    EXPECT_TRUE(mentions(problems, "'challenge_seconds' must be an integer from 10 to 3600"));
    EXPECT_TRUE(mentions(problems, "'assertion_retired_public_keys' must be a string or an array of strings"));
}

// issuance_legacy_cccd_2021: off unless asked for, in the file or the environment; a boolean only.
TEST(ServerConfig, TheLegacyCccd2021IssuanceIsOffUnlessAskedFor) {
    EXPECT_FALSE(parse_server_config(complete, "cccd-server.json", fake_environment({})).issuance_legacy_cccd_2021);
    EXPECT_TRUE(parse_server_config(R"({"issuance_legacy_cccd_2021": true})", "c.json", fake_environment({}))
                    .issuance_legacy_cccd_2021);
    EXPECT_TRUE(parse_server_config("{}", "c.json", fake_environment({{"CCCD_SERVER_ISSUANCE_LEGACY_CCCD_2021", "true"}}))
                    .issuance_legacy_cccd_2021);
    EXPECT_EQ(environment_variable_for("issuance_legacy_cccd_2021"), "CCCD_SERVER_ISSUANCE_LEGACY_CCCD_2021");
    const auto problems = problems_of(R"({"issuance_legacy_cccd_2021": "yes"})");
    EXPECT_TRUE(mentions(problems, "'issuance_legacy_cccd_2021' must be true or false"));
    const auto shown = parse_server_config(R"({"issuance_legacy_cccd_2021": true})", "c.json", fake_environment({})).describe();
    EXPECT_NE(shown.find("issuance_legacy_cccd_2021 = true"), std::string::npos) << shown;
}

// log_format: text unless json is asked for, in the file or the environment; nothing else.
TEST(ServerConfig, LogFormatIsTextOrJson) {
    EXPECT_EQ(parse_server_config(complete, "cccd-server.json", fake_environment({})).log_format, "text");
    EXPECT_TRUE(problems_of(complete).empty());
    const auto config = parse_server_config(complete, "cccd-server.json", fake_environment({{"CCCD_SERVER_LOG_FORMAT", "json"}}));
    EXPECT_EQ(config.log_format, "json");
    EXPECT_TRUE(validation_problems(config).empty());
    EXPECT_TRUE(mentions(problems_of(complete, {{"CCCD_SERVER_LOG_FORMAT", "logfmt"}}), "'log_format' must be text or json"));
    EXPECT_TRUE(mentions(problems_of(R"({"log_format": true})"), "'log_format' must be a string"));
    const auto described = config.described();
    EXPECT_NE(std::find(described.begin(), described.end(), std::pair<std::string, std::string>{"log_format", "json"}),
              described.end());
}

TEST(ServerConfig, DescribeNeverShowsSecrets) {
    const auto config = parse_server_config(complete, "cccd-server.json", fake_environment({}));
    const std::string text = config.describe();
    EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
    EXPECT_EQ(text.find("123456"), std::string::npos) << text;
    EXPECT_NE(text.find("database_connection_string = (set, not shown)"), std::string::npos);
    EXPECT_NE(text.find("listen_port = 9443"), std::string::npos);
    EXPECT_NE(text.find("database_path = (not set)"), std::string::npos);
    EXPECT_NE(text.find("metrics_token_file = (not set)"), std::string::npos);
    // and errors do not echo values either
    const auto problems = problems_of(R"({"database_connection_string": 12345678})");
    EXPECT_FALSE(mentions(problems, "12345678"));
}

TEST(ServerConfig, LoadsAFileAndValidates) {
    const fs::path path = fs::temp_directory_path() / ("cccd-config-test-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << complete;
    const auto config = load_server_config(path, fake_environment({{"CCCD_SERVER_THREADS", "2"}}));
    EXPECT_EQ(config.threads, 2u);
    EXPECT_THROW(load_server_config(path, fake_environment({{"CCCD_SERVER_TLS_KEY", ""}})), ConfigError);
    fs::remove(path);
    try {
        load_server_config(path, fake_environment({}));
        FAIL();
    } catch (const ConfigError& error) {
        EXPECT_NE(std::string(error.what()).find("cannot read the configuration file"), std::string::npos);
    }
}

}  // namespace
}  // namespace cccd::server::http
