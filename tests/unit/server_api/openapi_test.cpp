// docs/openapi.yaml describes exactly what the server serves: every route the issuance API adds is in
// the document with its method, and every path and method of the document is served.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "auth/challenge_store.hpp"
#include "auth/errors.hpp"
#include "crypto/ed25519.hpp"
#include "server/api/auth_api.hpp"
#include "server/api/issuance_api.hpp"
#include "server/http/metrics.hpp"
#include "server/security/session.hpp"

using namespace cccd::server;

namespace {

// (method, path) pairs of the OpenAPI document: a path is a 2-space-indented key starting with '/',
// its operations 4-space-indented get/post/put/delete keys.
std::set<std::pair<std::string, std::string>> documented_operations() {
    std::ifstream in(std::string(CCCD_TEST_DATA_DIR) + "/../../docs/openapi.yaml");
    EXPECT_TRUE(in) << "docs/openapi.yaml is missing";
    std::set<std::pair<std::string, std::string>> out;
    std::regex path_line("^  (/[^:]*):\\s*$");
    std::regex method_line("^    (get|post|put|delete|patch):\\s*$");
    std::string path;
    bool in_paths = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("paths:", 0) == 0) {
            in_paths = true;
            continue;
        }
        if (!in_paths) continue;
        std::smatch m;
        if (std::regex_match(line, m, path_line)) {
            path = m[1];
        } else if (std::regex_match(line, m, method_line) && !path.empty()) {
            std::string method = m[1];
            for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            out.emplace(method, path);
        }
    }
    return out;
}

const std::filesystem::path kSourceRoot = std::filesystem::path(CCCD_TEST_DATA_DIR) / ".." / "..";

// The error codes of the Error schema's enum.
std::set<std::string> documented_error_codes() {
    std::ifstream in(kSourceRoot / "docs/openapi.yaml");
    std::stringstream text;
    text << in.rdbuf();
    const std::string yaml = text.str();
    const auto schema = yaml.find("    Error:");
    const auto open = yaml.find("enum: [", schema);
    const auto close = yaml.find(']', open);
    EXPECT_NE(schema, std::string::npos);
    EXPECT_NE(close, std::string::npos);
    std::set<std::string> codes;
    const std::string list = yaml.substr(open + 7, close - open - 7);
    const std::regex code("[a-z_]+");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), code); it != std::sregex_iterator(); ++it)
        codes.insert(it->str());
    return codes;
}

// Every code the server can send: the literal codes of HttpError and Response::error anywhere in
// server/, and what the authentication API tells relying parties of each pipeline refusal.
std::set<std::string> served_error_codes() {
    std::set<std::string> codes;
    const std::regex sent(R"re((?:HttpError|Response::error)\b[^(;]*\(\s*\d{3}\s*,\s*"([a-z_]+)")re");
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kSourceRoot / "server")) {
        const auto extension = entry.path().extension();
        if (extension != ".cpp" && extension != ".hpp") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string source = text.str();
        for (auto it = std::sregex_iterator(source.begin(), source.end(), sent); it != std::sregex_iterator(); ++it)
            codes.insert((*it)[1].str());
    }
    for (int e = 0; e <= static_cast<int>(cccd::auth::AuthError::CitizenNotActive); ++e)
        codes.insert(std::string(cccd::auth::relying_party_code(static_cast<cccd::auth::AuthError>(e))));
    return codes;
}

}  // namespace

TEST(OpenApi, TheDocumentListsExactlyTheErrorCodesTheServerSends) {
    const auto documented = documented_error_codes();
    const auto served = served_error_codes();
    ASSERT_GT(served.size(), 20u);
    for (const auto& code : served) EXPECT_TRUE(documented.count(code)) << code << " is sent but not in docs/openapi.yaml";
    for (const auto& code : documented) EXPECT_TRUE(served.count(code)) << code << " is documented but never sent";
}

TEST(OpenApi, TheDocumentAndTheServerAgreeOnEveryOperation) {
    auto documented = documented_operations();
    ASSERT_GT(documented.size(), 10u);
    security::SessionManager sessions(std::make_shared<security::InMemorySessionStore>());
    http::Router router;
    auto file = std::filesystem::temp_directory_path() / ("cccd-openapi-" + std::to_string(::getpid()) + ".db");
    StorageConfig config;
    config.kind = StorageKind::PlainSqlite;
    config.location = file.string();
    auto storage = open_storage(config);
    api::add_issuance_routes(router, api::IssuanceContext{*storage, sessions, nullptr, nullptr});
    cccd::auth::InProcessChallengeStore challenges;
    cccd::server::api::StorageCardRegistry registry(*storage);
    api::StorageRelyingPartyDirectory parties(*storage);
    cccd::auth::AssertionSigner signer("https://id.cccd.vn", cccd::crypto::Ed25519KeyPair::generate(), cccd::SecretBytes(cccd::Bytes(32, 7)));
    cccd::auth::VerificationPipeline pipeline(challenges, registry, parties, signer, nullptr);
    api::add_auth_routes(router, api::AuthContext{*storage, pipeline, signer});
    http::add_metrics_route(router, std::make_shared<http::Metrics>(), cccd::SecretBytes(cccd::Bytes(32, 'm')));
    std::set<std::pair<std::string, std::string>> served;
    for (const auto& [method, pattern] : router.routes()) served.emplace(method, pattern);
    for (const auto& op : served) EXPECT_TRUE(documented.count(op)) << op.first << " " << op.second << " is not in docs/openapi.yaml";
    for (const auto& op : documented) EXPECT_TRUE(served.count(op)) << op.first << " " << op.second << " is documented but not served";
    // Only these answer without a client certificate when the server requires one (docs/server-http.md).
    std::set<std::pair<std::string, std::string>> open;
    for (const auto& op : served)
        if (router.match(op.first, op.second).is_public) open.insert(op);
    const std::set<std::pair<std::string, std::string>> expected_open = {
        {"GET", "/.well-known/jwks.json"}, {"GET", "/healthz"}, {"GET", "/readyz"}, {"GET", "/metrics"}};
    EXPECT_EQ(open, expected_open);
    storage.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
}
