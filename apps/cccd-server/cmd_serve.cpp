// cccd-server serve: the issuance service (and, when configured, the authentication API) over HTTPS
// until SIGTERM or SIGINT, then a graceful stop (requests in flight finish, a last audit checkpoint
// is signed). Everything it reports goes through one Logger on stderr (log_format: text lines as
// ever, or one JSON line per event and per request: docs/observability.md); /metrics, when served,
// counts what the server, the routes and the health probe export.
#include <pthread.h>
#include <signal.h>

#include <cctype>
#include <iostream>

#include "apps/cccd-server/commands.hpp"
#include "auth/challenge_store.hpp"
#include "auth/redis_challenge_store.hpp"
#include "base/environment.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "card/pa/certificate.hpp"
#include "crypto/key_file.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/admin/configured_storage.hpp"
#include "server/api/auth_api.hpp"
#include "server/api/issuance_api.hpp"
#include "server/audit/checkpoint_ticker.hpp"
#include "server/http/metrics.hpp"
#include "server/http/server.hpp"
#include "server/http/tls.hpp"

namespace cccd::server::tool {

namespace {

// A key passphrase: the variable (taken out of the environment), else the file it names.
SecretBytes required_secret(const char* variable, const char* file_variable, const char* what) {
    if (auto secret = secret_from_environment(variable, file_variable)) return std::move(*secret);
    throw InvalidArgument(std::string("the ") + what + " passphrase is missing: set " + variable + " or " + file_variable);
}

std::unique_ptr<auth::ChallengeStore> make_challenge_store(const http::ServerConfig& config) {
    if (config.challenge_store != "redis") return std::make_unique<auth::InProcessChallengeStore>();
    auth::RedisStoreOptions options;
    const auto endpoint = config.redis_endpoint();  // validated with the configuration
    options.host = endpoint->first;
    options.port = endpoint->second;
    if (const auto password = take_secret_from_environment("CCCD_REDIS_PASSWORD")) options.password = cccd::to_string(password->view());
    return std::make_unique<auth::RedisChallengeStore>(std::move(options));
}

// The authentication API's parts; they live as long as the server.
struct AuthService {
    std::unique_ptr<auth::ChallengeStore> challenges;
    std::unique_ptr<cccd::server::api::StorageCardRegistry> registry;
    std::unique_ptr<api::StorageRelyingPartyDirectory> parties;
    std::unique_ptr<auth::AssertionSigner> signer;
    std::unique_ptr<auth::VerificationPipeline> pipeline;
};

std::unique_ptr<AuthService> make_auth_service(const http::ServerConfig& config, Storage& storage, const http::Logger& log) {
    auto service = std::make_unique<AuthService>();
    service->challenges = make_challenge_store(config);
    service->registry = std::make_unique<cccd::server::api::StorageCardRegistry>(storage);
    service->parties = std::make_unique<api::StorageRelyingPartyDirectory>(storage);
    crypto::Ed25519KeyPair key = crypto::read_ed25519_key_file(
        config.assertion_key_file, required_secret("CCCD_ASSERTION_KEY_PASSPHRASE",
                                                   "CCCD_ASSERTION_KEY_PASSPHRASE_FILE", "assertion signing key"));
    service->signer = std::make_unique<auth::AssertionSigner>(config.issuer, std::move(key),
                                                              crypto::read_secret_key_file(config.pairwise_secret_file, "pairwise_secret_file " + config.pairwise_secret_file));
    for (const auto& file : config.retired_public_key_files()) {
        service->signer->add_retired_public_key(crypto::read_ed25519_public_key(file));
    }
    auth::PipelineOptions options;
    options.challenge_lifetime = std::chrono::seconds(config.challenge_seconds);
    service->pipeline = std::make_unique<auth::VerificationPipeline>(*service->challenges, *service->registry,
                                                                     *service->parties, *service->signer, nullptr,
                                                                     auth::system_clock(), options);
    log.info("authentication API on, challenges in " + config.challenge_store + ", assertion key " + service->signer->current_kid());
    return service;
}

// How often the housekeeping thread asks whether a time-based checkpoint is due.
constexpr std::chrono::milliseconds kCheckpointTick{5000};

// Each checkpoint as it is made: a line in the checkpoint log the operator ships off this host, and a
// journal line (numbers and hashes only: no personal data). The checkpoint itself is already committed,
// so a log that cannot be written is reported, not fatal.
void publish_checkpoint(const http::ServerConfig& config, const http::Logger& log, const AuditCheckpoint& checkpoint) {
    std::string hash = to_hex(checkpoint.hash);
    for (char& c : hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // "SEQ:HASH" as `admin audit verify --anchor` takes it.
    log.info("audit checkpoint " + std::to_string(checkpoint.sequence) + ":" + hash + " key " + checkpoint.key_id + " at " +
             checkpoint.time);
    if (config.audit_checkpoint_log.empty()) return;
    try {
        admin::append_checkpoint_log(config.audit_checkpoint_log, checkpoint);
    } catch (const std::exception& e) {
        log.error("checkpoint " + std::to_string(checkpoint.sequence) + " is not in the checkpoint log: " + e.what());
    }
}

// `logger` is set as soon as the configuration names the log format, so a failure after that is
// reported in it.
int serve(const std::string& config_file, std::shared_ptr<const http::Logger>& logger) {
    // Signals are taken by sigwait in this thread only; the server's threads inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    http::ServerConfig config = http::load_server_config(config_file);
    logger = std::make_shared<const http::Logger>(*http::parse_log_format(config.log_format));  // validated
    const http::Logger& log = *logger;
    if (log.format() == http::LogFormat::Json) log.info("configuration", config.described());  // secrets not shown
    else std::cerr << "cccd-server: configuration\n" << config.describe();
    std::unique_ptr<Storage> storage = open_configured_storage(config);
    log.info("database " + config.database_kind + " at schema version " + std::to_string(storage->schema_version()));

    crypto::Ed25519KeyPair audit_key = crypto::read_ed25519_key_file(
        config.audit_signing_key_file,
        required_secret("CCCD_AUDIT_KEY_PASSPHRASE", "CCCD_AUDIT_KEY_PASSPHRASE_FILE", "audit signing key"));
    AuditCheckpointer checkpointer(*storage, audit_key, config.audit_checkpoint_entries,
                                   std::chrono::seconds(config.audit_checkpoint_seconds));
    checkpointer.on_checkpoint([&config, &log](const AuditCheckpoint& made) { publish_checkpoint(config, log, made); });
    if (config.audit_checkpoint_log.empty())
        log.warning("audit_checkpoint_log is not set: checkpoints are published only on this journal");
    // Entries written while no server ran (admin commands) are vouched for from the start.
    try {
        checkpointer.checkpoint_now();
    } catch (const StorageError& e) {  // another instance signing at the same moment: its checkpoint covers them
        log.warning(std::string("no audit checkpoint at start: ") + e.what());
    }

    std::unique_ptr<api::DocumentSigner> signer;
    if (!config.ds_key.empty()) {
        signer = std::make_unique<api::DocumentSigner>();
        signer->key = certs::open_signing_key(config.ds_key);
        signer->certificate = pa::certificate_from_file(config.ds_certificate);
        log.info("Document Signer " + signer->key->describe());
    }

    auto session_store = std::make_shared<security::InMemorySessionStore>();
    security::SessionManager sessions(session_store);
    http::Router router;
    std::unique_ptr<AuthService> auth_service;
    if (!config.assertion_key_file.empty()) auth_service = make_auth_service(config, *storage, log);
    // Counted only when a scraper can read them.
    std::shared_ptr<http::Metrics> metrics;
    if (!config.metrics_token_file.empty()) metrics = std::make_shared<http::Metrics>();
    // Callers without a client certificate are refused into per-minute counts, one entry per peer.
    auto anonymous_refusals = std::make_shared<AnonymousRefusals>(*storage);
    api::IssuanceContext issuance{*storage, sessions, signer.get(), &checkpointer,
                                  auth_service ? auth_service->challenges.get() : nullptr};
    issuance.anonymous_refusals = anonymous_refusals;
    issuance.metrics = metrics;
    issuance.issuance_options.legacy_cccd_2021 = config.issuance_legacy_cccd_2021;
    if (config.issuance_legacy_cccd_2021)
        log.warning("issuance_legacy_cccd_2021 is set: this server also issues the 2021 CCCD, no longer issued "
                    "since 1 July 2024 (for demonstrations and tests only)");
    api::add_issuance_routes(router, std::move(issuance));
    if (auth_service) {
        api::AuthContext auth_context{*storage, *auth_service->pipeline, *auth_service->signer};
        auth_context.checkpointer = &checkpointer;
        auth_context.anonymous_refusals = anonymous_refusals;
        auth_context.metrics = metrics;
        api::add_auth_routes(router, std::move(auth_context));
    }
    if (metrics) http::add_metrics_route(router, metrics, http::read_metrics_token_file(config.metrics_token_file));
    else log.info("/metrics is not served (no metrics_token_file)");

    http::SharedKey tls_key = http::load_private_key_file(config.tls_key, http::tls_key_passphrase_from_environment());
    http::HttpsServerOptions options = http::options_from_config(config, tls_key);
    options.logger = logger;
    options.metrics = metrics;
    http::HttpsServer server(std::move(options), std::move(router));
    server.start();
    // Time-based checkpoints also when no request comes.
    CheckpointTicker ticker(
        checkpointer, kCheckpointTick,
        [&log](const std::exception& e) { log.error(std::string("an audit checkpoint could not be signed (retrying): ") + e.what()); },
        [&anonymous_refusals] { anonymous_refusals->flush_finished_minute(); });
    // Tests and scripts read this line to learn the port (listen_port 0 picks a free one).
    std::cout << "listening on https://" << config.listen_address << ":" << server.port() << std::endl;

    int signal_number = 0;
    sigwait(&signals, &signal_number);
    log.info(std::string(signal_number == SIGTERM ? "SIGTERM" : "SIGINT") + ": stopping");
    ticker.stop();
    server.stop();
    try {
        anonymous_refusals->flush();
    } catch (const std::exception& e) {
        log.error(std::string("the last counts of anonymous refusals could not be written: ") + e.what());
    }
    try {
        checkpointer.checkpoint_now();
    } catch (const std::exception& e) {
        log.error(std::string("the last audit checkpoint could not be signed: ") + e.what());
    }
    log.info("stopped");
    return kExitOk;
}

// The exit code a failure to serve ends with (commands.hpp).
int exit_code_of(const std::exception& e) {
    if (dynamic_cast<const http::ConfigError*>(&e)) return kExitUsage;
    if (dynamic_cast<const StorageError*>(&e)) return kExitUnavailable;  // WrongKeyError among them
    if (dynamic_cast<const InvalidArgument*>(&e)) return kExitUsage;
    return kExitInternal;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
    auto config = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("serve", "Serve the issuance API over HTTPS until SIGTERM");
    cmd->add_option("--config", *config, "The server configuration (JSON; see docs/server-http.md)")->required();
    cmd->footer(
        "Secrets from the environment: CCCD_TLS_KEY_PASSPHRASE(_FILE), CCCD_AUDIT_KEY_PASSPHRASE(_FILE),\n"
        "CCCD_PKCS11_PIN or CCCD_KEY_PASSPHRASE(_FILE) for the Document Signer, CCCD_DB_KEY without a key file,\n"
        "CCCD_ASSERTION_KEY_PASSPHRASE(_FILE) for the assertion key, CCCD_REDIS_PASSWORD for Redis.");
    cmd->callback([config, &exit_code] {
        std::shared_ptr<const http::Logger> logger;
        try {
            exit_code = serve(*config, logger);
        } catch (const std::exception& e) {
            if (logger) logger->error(e.what());
            else std::cerr << "cccd-server: " << e.what() << "\n";
            exit_code = exit_code_of(e);
        }
    });
}

}  // namespace cccd::server::tool
