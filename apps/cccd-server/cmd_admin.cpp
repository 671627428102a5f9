// cccd-server admin: the operator's commands over the library in server/admin (which holds the logic
// and its tests). Secrets only from the environment, files or the terminal; progress on stderr;
// results on stdout. Exit codes: apps/cccd-server/commands.hpp.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cccd-server/commands.hpp"
#include "base/clock.hpp"
#include "base/error.hpp"
#include "server/admin/audit_tools.hpp"
#include "server/admin/backup.hpp"
#include "server/admin/configured_storage.hpp"
#include "server/admin/installation.hpp"
#include "server/admin/population_import.hpp"
#include "server/admin/registry.hpp"
#include "server/admin/secrets.hpp"
#include "server/audit/audit_log.hpp"
#include "server/http/config.hpp"

namespace cccd::server::tool {

namespace {

namespace admin = cccd::server::admin;
namespace fs = std::filesystem;

constexpr const char* kOfficerPasswordVariable = "CCCD_OFFICER_PASSWORD";
constexpr const char* kOfficerPasswordFileVariable = "CCCD_OFFICER_PASSWORD_FILE";
constexpr const char* kNewAuditPassphraseVariable = "CCCD_NEW_AUDIT_KEY_PASSPHRASE";
constexpr const char* kNewAuditPassphraseFileVariable = "CCCD_NEW_AUDIT_KEY_PASSPHRASE_FILE";

void say(const std::string& line) { std::cerr << "cccd-server admin: " << line << '\n'; }

// Runs one command, turning what it throws into a message and an exit code.
void guarded(int& exit_code, const std::function<int()>& body) {
    try {
        exit_code = body();
    } catch (const http::ConfigError& e) {
        for (const auto& problem : e.problems()) say("configuration: " + problem);
        exit_code = kExitUsage;
    } catch (const InvalidArgument& e) {  // AdminRefusal included
        say(e.what());
        exit_code = kExitUsage;
    } catch (const ParseError& e) {
        say(e.what());
        exit_code = kExitBadInput;
    } catch (const StorageError& e) {
        say(e.what());
        exit_code = kExitUnavailable;
    } catch (const CryptoError& e) {
        say(e.what());
        exit_code = kExitUnavailable;
    } catch (const std::exception& e) {
        say(std::string("internal error: ") + e.what());
        exit_code = kExitInternal;
    }
}

http::ServerConfig load_config(const std::string& path) { return http::load_server_config(path); }

void add_config_option(CLI::App* command, std::string& config) {
    command->add_option("--config", config, "the server's JSON configuration")->required()->check(CLI::ExistingFile);
}

std::optional<SecretBytes> audit_passphrase() {
    return admin::secret_from_environment(admin::audit_passphrase_variable, admin::audit_passphrase_file_variable);
}

SecretBytes required_audit_passphrase() {
    auto passphrase = audit_passphrase();
    if (!passphrase)
        throw InvalidArgument("the audit key passphrase is needed: set " + std::string(admin::audit_passphrase_variable) +
                              " or " + std::string(admin::audit_passphrase_file_variable));
    return std::move(*passphrase);
}

// The new password: CCCD_OFFICER_PASSWORD(_FILE), else standard input (typed twice on a terminal).
SecretBytes officer_password() {
    if (auto from_environment = admin::secret_from_environment(kOfficerPasswordVariable, kOfficerPasswordFileVariable))
        return std::move(*from_environment);
    SecretBytes password = admin::read_secret_line(std::cin, "New password (at least 12 characters): ");
    if (::isatty(STDIN_FILENO) != 0) {
        const SecretBytes again = admin::read_secret_line(std::cin, "The same password again: ");
        if (!(again == password)) throw InvalidArgument("the two passwords differ; nothing was changed");
    }
    return password;
}

std::string today_utc() {
    const std::string now = utc_now();
    return now.substr(0, 10);
}

std::string lower_hex(ByteView bytes) {
    std::string hex = to_hex(bytes);
    for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return hex;
}

// A checkpoint the admin tool signed, published as the server publishes its own.
void publish_checkpoint(const http::ServerConfig& config, const AuditCheckpoint& checkpoint) {
    if (!config.audit_checkpoint_log.empty()) admin::append_checkpoint_log(config.audit_checkpoint_log, checkpoint);
    std::cout << "checkpoint:     " << checkpoint.sequence << ':' << lower_hex(checkpoint.hash) << " key " << checkpoint.key_id
              << (config.audit_checkpoint_log.empty() ? "" : ", appended to " + config.audit_checkpoint_log) << '\n';
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

// ---- admin init ----

void add_init(CLI::App& admin_app, int& exit_code) {
    auto* command = admin_app.add_subcommand("init", "create the database key, the audit signing key and the database if missing");
    auto config_path = std::make_shared<std::string>();
    add_config_option(command, *config_path);
    command->callback([&exit_code, config_path] {
        guarded(exit_code, [&] {
            const auto config = load_config(*config_path);
            const auto report = admin::init_installation(config, audit_passphrase(), admin::admin_actor());
            if (config.database_kind == "sqlcipher")
                std::cout << "database key:   " << config.database_key_file
                          << (report.created_database_key ? " (created, mode 0600)" : " (exists, kept)") << '\n';
            std::cout << "audit key:      " << config.audit_signing_key_file
                      << (report.created_audit_key            ? " (created, mode 0600)"
                          : report.checked_audit_passphrase ? " (exists, passphrase checked)"
                                                            : " (exists, kept; passphrase not checked)")
                      << ", key id " << report.audit_key_id << '\n';
            std::cout << "database:       " << (config.database_kind == "sqlcipher" ? config.database_path : "postgresql")
                      << ", schema version " << report.schema_version << ", " << report.citizens << " citizens\n";
            if (!report.service_role.empty())
                std::cout << "service role:   " << report.service_role
                          << " (may only INSERT and SELECT the audit tables; the service connects as it)\n";
            if (report.checkpoint)
                std::cout << "checkpoint:     " << report.checkpoint->sequence << ':' << lower_hex(report.checkpoint->hash)
                          << " key " << report.checkpoint->key_id
                          << (config.audit_checkpoint_log.empty() ? "" : ", appended to " + config.audit_checkpoint_log) << '\n';
            const auto auth = admin::init_authentication_keys(
                config,
                admin::secret_from_environment(admin::assertion_passphrase_variable, admin::assertion_passphrase_file_variable),
                admin::admin_actor());
            if (auth.configured) {
                std::cout << "assertion key:  " << config.assertion_key_file
                          << (auth.created_assertion_key ? " (created, mode 0600)" : " (exists, kept)") << ", key id "
                          << auth.assertion_key_id << '\n';
                std::cout << "pairwise secret: " << config.pairwise_secret_file
                          << (auth.created_pairwise_secret ? " (created, mode 0600)" : " (exists, kept)") << '\n';
            }
            return kExitOk;
        });
    });
}

// ---- admin officer ----

void add_officer_commands(CLI::App& admin_app, int& exit_code) {
    auto* officer = admin_app.add_subcommand("officer", "officers who may use the issuance API");
    officer->require_subcommand(1);

    struct AddOptions {
        std::string config, id, name, role;
    };
    auto add = std::make_shared<AddOptions>();
    auto* add_command = officer->add_subcommand("add", "add an officer (password from CCCD_OFFICER_PASSWORD or stdin)");
    add_config_option(add_command, add->config);
    add_command->add_option("--id", add->id, "login name")->required();
    add_command->add_option("--name", add->name, "full name")->required();
    add_command->add_option("--role", add->role, "enrollment_officer, supervisor or administrator")
        ->required()
        ->check(CLI::IsMember({"enrollment_officer", "supervisor", "administrator"}));
    add_command->callback([&exit_code, add] {
        guarded(exit_code, [&] {
            const auto config = load_config(add->config);
            auto storage = server::open_configured_storage(config);
            const SecretBytes password = officer_password();
            admin::add_officer(*storage, {add->id, add->name, *role_from(add->role)}, password, admin::admin_actor());
            std::cout << "officer " << add->id << " added (" << add->role << ")\n";
            return kExitOk;
        });
    });

    auto list_config = std::make_shared<std::string>();
    auto* list_command = officer->add_subcommand("list", "list the officers (never their password hashes)");
    add_config_option(list_command, *list_config);
    list_command->callback([&exit_code, list_config] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(*list_config));
            std::cout << padded("ID", 24) << padded("ROLE", 20) << padded("ACTIVE", 8) << "FULL NAME\n";
            for (const auto& o : admin::list_officers(*storage))
                std::cout << padded(o.id, 24) << padded(std::string(to_string(o.role)), 20)
                          << padded(o.active ? "yes" : "no", 8) << o.full_name << '\n';
            return kExitOk;
        });
    });

    struct IdOptions {
        std::string config, id;
    };
    auto disable = std::make_shared<IdOptions>();
    auto* disable_command = officer->add_subcommand("disable", "refuse the officer's logins from now on");
    add_config_option(disable_command, disable->config);
    disable_command->add_option("--id", disable->id, "login name")->required();
    disable_command->callback([&exit_code, disable] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(disable->config));
            const bool changed = admin::disable_officer(*storage, disable->id, admin::admin_actor());
            std::cout << "officer " << disable->id << (changed ? " disabled\n" : " was already disabled\n");
            return kExitOk;
        });
    });

    struct RoleOptions {
        std::string config, id, role;
    };
    auto change_role = std::make_shared<RoleOptions>();
    auto* role_command = officer->add_subcommand("role", "give the officer another role (their sessions end at once)");
    add_config_option(role_command, change_role->config);
    role_command->add_option("--id", change_role->id, "login name")->required();
    role_command->add_option("--role", change_role->role, "enrollment_officer, supervisor or administrator")
        ->required()
        ->check(CLI::IsMember({"enrollment_officer", "supervisor", "administrator"}));
    role_command->callback([&exit_code, change_role] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(change_role->config));
            const bool changed = admin::set_officer_role(*storage, change_role->id, *role_from(change_role->role), admin::admin_actor());
            std::cout << "officer " << change_role->id << (changed ? " is now " : " already was ") << change_role->role << '\n';
            return kExitOk;
        });
    });

    auto reset = std::make_shared<IdOptions>();
    auto* password_command = officer->add_subcommand("password", "set a new password (CCCD_OFFICER_PASSWORD or stdin)");
    add_config_option(password_command, reset->config);
    password_command->add_option("--id", reset->id, "login name")->required();
    password_command->callback([&exit_code, reset] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(reset->config));
            const SecretBytes password = officer_password();
            admin::reset_officer_password(*storage, reset->id, password, admin::admin_actor());
            std::cout << "password of officer " << reset->id << " replaced\n";
            return kExitOk;
        });
    });
}

// ---- admin station ----

void add_station_commands(CLI::App& admin_app, int& exit_code) {
    auto* station = admin_app.add_subcommand("station", "enrollment stations and their client certificates");
    station->require_subcommand(1);

    struct AddOptions {
        std::string config, id, location, certificate;
    };
    auto add = std::make_shared<AddOptions>();
    auto* add_command = station->add_subcommand("add", "register a station by its client certificate");
    add_config_option(add_command, add->config);
    add_command->add_option("--id", add->id, "station id, e.g. HCM-Q1-01")->required();
    add_command->add_option("--location", add->location, "where it stands")->required();
    add_command->add_option("--certificate", add->certificate, "the station's client certificate from the service CA (station_ca), PEM or DER")->required();
    add_command->callback([&exit_code, add] {
        guarded(exit_code, [&] {
            const auto config = load_config(add->config);
            const std::string fingerprint =
                admin::checked_client_certificate_sha256(config, add->certificate, admin::ClientRole::Station);
            auto storage = server::open_configured_storage(config);
            admin::add_station(*storage, {add->id, add->location, fingerprint}, admin::admin_actor());
            std::cout << "station " << add->id << " added, certificate SHA-256 " << fingerprint << '\n';
            return kExitOk;
        });
    });

    auto list_config = std::make_shared<std::string>();
    auto* list_command = station->add_subcommand("list", "list the stations");
    add_config_option(list_command, *list_config);
    list_command->callback([&exit_code, list_config] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(*list_config));
            std::cout << padded("ID", 20) << padded("ACTIVE", 8) << padded("CERTIFICATE SHA-256", 66) << "LOCATION\n";
            for (const auto& s : admin::list_stations(*storage))
                std::cout << padded(s.id, 20) << padded(s.active ? "yes" : "no", 8) << padded(s.certificate_sha256, 66)
                          << s.location << '\n';
            return kExitOk;
        });
    });

    struct IdOptions {
        std::string config, id;
    };
    auto disable = std::make_shared<IdOptions>();
    auto* disable_command = station->add_subcommand("disable", "refuse the station's certificate from now on");
    add_config_option(disable_command, disable->config);
    disable_command->add_option("--id", disable->id, "station id")->required();
    disable_command->callback([&exit_code, disable] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(disable->config));
            const bool changed = admin::disable_station(*storage, disable->id, admin::admin_actor());
            std::cout << "station " << disable->id << (changed ? " disabled\n" : " was already disabled\n");
            return kExitOk;
        });
    });
}

// ---- admin rp ----

void add_relying_party_commands(CLI::App& admin_app, int& exit_code) {
    auto* rp = admin_app.add_subcommand("rp", "relying parties (banks, public services) of the authentication API");
    rp->require_subcommand(1);

    struct AddOptions {
        std::string config, id, name, scopes, certificate;
        std::uint32_t rate_limit = 60;
    };
    auto add = std::make_shared<AddOptions>();
    auto* add_command = rp->add_subcommand("add", "register a relying party by its client certificate, with its scopes");
    add_config_option(add_command, add->config);
    add_command->add_option("--id", add->id, "relying party id, e.g. bank-01")->required();
    add_command->add_option("--name", add->name, "its name, as people should read it")->required();
    add_command->add_option("--scopes", add->scopes, "what its assertions may carry, e.g. \"name date_of_birth\"")->required();
    add_command->add_option("--certificate", add->certificate, "its client certificate from the relying-party CA (relying_party_ca), PEM or DER")
        ->required();
    add_command->add_option("--rate-limit", add->rate_limit, "requests per minute (default 60)");
    add_command->callback([&exit_code, add] {
        guarded(exit_code, [&] {
            const auto config = load_config(add->config);
            const std::string fingerprint =
                admin::checked_client_certificate_sha256(config, add->certificate, admin::ClientRole::RelyingParty);
            auto storage = server::open_configured_storage(config);
            admin::add_relying_party(*storage, {add->id, add->name, add->scopes, fingerprint, add->rate_limit}, admin::admin_actor());
            std::cout << "relying party " << add->id << " added, certificate SHA-256 " << fingerprint << '\n';
            return kExitOk;
        });
    });

    auto list_config = std::make_shared<std::string>();
    auto* list_command = rp->add_subcommand("list", "list the relying parties");
    add_config_option(list_command, *list_config);
    list_command->callback([&exit_code, list_config] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(*list_config));
            std::cout << padded("ID", 20) << padded("ACTIVE", 8) << padded("PER MIN", 9) << padded("CERTIFICATE SHA-256", 66)
                      << "SCOPES\n";
            for (const auto& p : admin::list_relying_parties(*storage))
                std::cout << padded(p.id, 20) << padded(p.active ? "yes" : "no", 8) << padded(std::to_string(p.rate_limit_per_minute), 9)
                          << padded(p.certificate_sha256, 66) << p.scopes << '\n';
            return kExitOk;
        });
    });

    struct IdOptions {
        std::string config, id;
    };
    auto disable = std::make_shared<IdOptions>();
    auto* disable_command = rp->add_subcommand("disable", "refuse the relying party from its next request on, on every server");
    add_config_option(disable_command, disable->config);
    disable_command->add_option("--id", disable->id, "relying party id")->required();
    disable_command->callback([&exit_code, disable] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(disable->config));
            const bool changed = admin::disable_relying_party(*storage, disable->id, admin::admin_actor());
            std::cout << "relying party " << disable->id << (changed ? " disabled\n" : " was already disabled\n");
            return kExitOk;
        });
    });
}

// ---- admin population ----

void add_population_commands(CLI::App& admin_app, int& exit_code) {
    auto* population = admin_app.add_subcommand("population", "synthetic populations and bulk import");
    population->require_subcommand(1);

    struct GenerateOptions {
        std::uint64_t count = 0;
        std::uint64_t seed = 0;
        std::string today;
        std::string out;
    };
    auto generate = std::make_shared<GenerateOptions>();
    auto* generate_command = population->add_subcommand("generate", "write a synthetic population file (JSON lines)");
    generate_command->add_option("--count", generate->count, "how many citizens")->required();
    generate_command->add_option("--seed", generate->seed, "the same seed gives the same people")->required();
    generate_command->add_option("--today", generate->today, "YYYY-MM-DD that fixes ages and dates (default: today, UTC)");
    generate_command->add_option("--out", generate->out, "the file to create")->required();
    generate_command->callback([&exit_code, generate] {
        guarded(exit_code, [&] {
            const std::string today = generate->today.empty() ? today_utc() : generate->today;
            const auto bytes = admin::generate_population_file(generate->out, generate->count, generate->seed, today,
                                                               100'000, [&](std::uint64_t written) {
                                                                   say("generated " + std::to_string(written) + " of " +
                                                                       std::to_string(generate->count));
                                                               });
            std::cout << generate->count << " citizens (seed " << generate->seed << ", today " << today << ") written to "
                      << generate->out << ", " << bytes << " bytes\n";
            return kExitOk;
        });
    });

    struct ImportOptions {
        std::string config;
        std::string file;
        std::size_t batch = 10'000;
    };
    auto import = std::make_shared<ImportOptions>();
    auto* import_command = population->add_subcommand("import", "import a population file into the register");
    add_config_option(import_command, import->config);
    import_command->add_option("file", import->file, "population file (JSON lines)")->required();
    import_command->add_option("--batch", import->batch, "citizens per transaction (default 10000)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
    import_command->callback([&exit_code, import] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(import->config));
            std::uint64_t next_report = 100'000;
            const auto report = admin::import_population_file(
                *storage, import->file, import->batch, admin::admin_actor(), [&](const admin::ImportProgress& p) {
                    if (p.citizens < next_report) return;
                    next_report = (p.citizens / 100'000 + 1) * 100'000;
                    std::ostringstream line;
                    line << "imported " << p.citizens << " citizens in " << std::fixed << std::setprecision(1)
                         << p.seconds << " s (" << std::setprecision(0)
                         << (p.seconds > 0 ? static_cast<double>(p.citizens) / p.seconds : 0.0) << " citizens/s)";
                    say(line.str());
                });
            std::cout << "imported " << report.citizens << " citizens in " << std::fixed << std::setprecision(1)
                      << report.seconds << " s: " << std::setprecision(0) << report.citizens_per_second()
                      << " citizens/s; the register holds " << report.register_size << '\n';
            return kExitOk;
        });
    });
}

// ---- admin keys ----

void add_key_commands(CLI::App& admin_app, int& exit_code) {
    auto* keys = admin_app.add_subcommand("keys", "rotate the audit signing key or the database key");
    keys->require_subcommand(1);

    struct RotateOptions {
        std::string config, new_key_file;
    };
    auto rotate = std::make_shared<RotateOptions>();
    auto* rotate_command = keys->add_subcommand(
        "rotate-audit", "make a new audit signing key, announced in the log under the current key's checkpoint");
    add_config_option(rotate_command, rotate->config);
    rotate_command->add_option("--new-key-file", rotate->new_key_file, "the new sealed key file to create")->required();
    rotate_command->callback([&exit_code, rotate] {
        guarded(exit_code, [&] {
            const auto config = load_config(rotate->config);
            const SecretBytes current_passphrase = required_audit_passphrase();
            const auto current = crypto::read_ed25519_key_file(config.audit_signing_key_file, current_passphrase);
            auto new_passphrase = admin::secret_from_environment(kNewAuditPassphraseVariable, kNewAuditPassphraseFileVariable);
            if (!new_passphrase) say(std::string("no ") + kNewAuditPassphraseVariable + ": the new key is sealed with the current passphrase");
            auto storage = server::open_configured_storage(config);
            const auto rotation = admin::rotate_audit_key(*storage, current, rotate->new_key_file,
                                                          new_passphrase ? *new_passphrase : current_passphrase,
                                                          admin::admin_actor());
            publish_checkpoint(config, rotation.checkpoint);
            std::cout << "new audit key " << rotation.new_key_id << " written to " << rotate->new_key_file << '\n'
                      << "announced by audit entry " << rotation.announcement_sequence << ", checkpoint signed by the old key "
                      << rotation.old_key_id << '\n'
                      << "next: stop cccd-server, set audit_signing_key_file to " << rotate->new_key_file
                      << " (and its passphrase), start it again; keep " << config.audit_signing_key_file
                      << ": verification needs its public key (admin audit verify --public-key " << config.audit_signing_key_file
                      << ")\n";
            return kExitOk;
        });
    });

    auto rekey = std::make_shared<RotateOptions>();
    auto* rekey_command = keys->add_subcommand("rekey-database", "re-encrypt the SQLCipher database under a new key (server stopped)");
    add_config_option(rekey_command, rekey->config);
    rekey_command->add_option("--new-key-file", rekey->new_key_file, "the new key file (created if missing)")->required();
    rekey_command->callback([&exit_code, rekey] {
        guarded(exit_code, [&] {
            const auto config = load_config(rekey->config);
            if (config.database_kind != "sqlcipher")
                throw InvalidArgument("rekey-database is for SQLCipher only: on PostgreSQL, encryption at rest is the job of "
                                      "the cluster's storage (an encrypted volume), not of cccd-server");
            const SecretBytes current_key = server::load_database_key(config.database_key_file);
            const auto report = admin::rekey_database(config.database_path, current_key, rekey->new_key_file,
                                                      admin::admin_actor(), [](std::string_view step) { say(std::string(step)); });
            std::cout << "database " << config.database_path << " re-encrypted (" << report.citizens << " citizens, "
                      << report.audit_entries << " audit entries)\n"
                      << "next: set database_key_file to " << rekey->new_key_file << " before starting cccd-server; then destroy "
                      << config.database_key_file << " (shred) once no backup needs it\n";
            return kExitOk;
        });
    });
}

// ---- what a verifier brings from off the host (audit verify, backup verify, restore) ----

struct TrustOptions {
    std::vector<std::string> public_keys;
    std::vector<std::string> anchors;
    std::vector<std::string> checkpoint_logs;
    std::uint32_t grace_seconds = 60;
};

void add_trust_options(CLI::App* command, TrustOptions& trust) {
    command->add_option("--public-key,--trusted-keys", trust.public_keys,
                        "trust this audit key (a key file's public line or 64 hex digits), from a copy kept off "
                        "the audited host; repeat for retired keys")
        ->required();
    command->add_option("--anchor", trust.anchors,
                        "SEQ:HASH recorded earlier (a checkpoint journal line): the entry SEQ must still have HASH; repeatable");
    command->add_option("--checkpoints", trust.checkpoint_logs,
                        "the checkpoint log shipped off the host (audit_checkpoint_log) or an audit export: every "
                        "checkpoint in it must be in the database unchanged; repeatable");
    command->add_option("--grace", trust.grace_seconds,
                        "seconds the newest checkpoint may lag beyond audit_checkpoint_seconds (default 60)");
}

// Only keys from the command line: the audited host's own key file is what an intruder replaces.
crypto::PublicKeySet trusted_keys(const TrustOptions& trust) {
    const std::vector<fs::path> key_files(trust.public_keys.begin(), trust.public_keys.end());
    return admin::trusted_audit_keys(key_files);
}

AuditExpectations expectations(const http::ServerConfig& config, const TrustOptions& trust) {
    AuditExpectations expected;
    for (const auto& anchor : trust.anchors) expected.anchors.push_back(parse_audit_anchor(anchor));
    for (const auto& file : trust.checkpoint_logs) {
        auto published = admin::read_checkpoint_log(file);
        expected.published.insert(expected.published.end(), published.begin(), published.end());
    }
    expected.checkpoint_interval = std::chrono::seconds(config.audit_checkpoint_seconds);
    expected.checkpoint_entries = config.audit_checkpoint_entries;
    expected.grace = std::chrono::seconds(trust.grace_seconds);
    if (expected.anchors.empty() && expected.published.empty())
        say("no --anchor or --checkpoints: a log cut back to an earlier checkpoint cannot be told from a whole one");
    return expected;
}

void print_trusted_keys(const crypto::PublicKeySet& trusted) {
    std::cout << "trusted keys: ";
    for (const auto& [key_id, key] : trusted) std::cout << key_id << ' ';
    std::cout << '\n';
}

// ---- admin audit ----

void add_audit_commands(CLI::App& admin_app, int& exit_code) {
    auto* audit = admin_app.add_subcommand("audit", "verify or export the audit log");
    audit->require_subcommand(1);

    struct VerifyOptions {
        std::string config;
        TrustOptions trust;
        bool restored = false;
    };
    auto verify = std::make_shared<VerifyOptions>();
    auto* verify_command = audit->add_subcommand(
        "verify", "check the hash chain and every signed checkpoint against keys, anchors and checkpoints kept off this host");
    add_config_option(verify_command, verify->config);
    add_trust_options(verify_command, verify->trust);
    verify_command->add_flag("--restored", verify->restored,
                             "the database was restored from a backup: checkpoints and anchors after its last entry are "
                             "newer than the backup and not looked for (they are counted)");
    verify_command->callback([&exit_code, verify] {
        guarded(exit_code, [&] {
            const auto config = load_config(verify->config);
            const auto trusted = trusted_keys(verify->trust);
            AuditExpectations expected = expectations(config, verify->trust);
            auto storage = server::open_configured_storage(config);
            std::uint64_t published_later = 0;
            std::uint64_t anchors_later = 0;
            if (verify->restored)
                expected = admin::expectations_up_to(expected, admin::restored_backup_end(*storage), published_later, anchors_later);
            const auto result = verify_audit(*storage, trusted, expected, [](std::uint64_t done) {
                if (done % 100'000 == 0) say("verified " + std::to_string(done) + " entries");
            });
            std::cout << "entries:      " << result.entries << '\n'
                      << "checkpoints:  " << result.checkpoints << '\n'
                      << "covered:      ";
            if (result.covered_up_to == 0)
                std::cout << "none yet (no signed checkpoint)";
            else
                std::cout << "1.." << result.covered_up_to << " by signed checkpoints";
            if (result.ok && result.entries > result.covered_up_to)
                std::cout << " (" << result.entries - result.covered_up_to << " later entries not yet covered)";
            std::cout << "\nanchors:      " << result.anchors_matched << " of " << expected.anchors.size() << " matched";
            if (anchors_later > 0) std::cout << " (" << anchors_later << " after the restored database's last entry)";
            std::cout << "\npublished:    " << result.published_matched << " of " << expected.published.size()
                      << " checkpoints from the checkpoint log found unchanged";
            if (published_later > 0)
                std::cout << " (" << published_later << " later ones are newer than the restored database)";
            std::cout << '\n';
            if (result.newest_checkpoint)
                std::cout << "newest:       " << result.newest_checkpoint->sequence << ':'
                          << lower_hex(result.newest_checkpoint->hash) << " (an anchor for the next verification)\n";
            print_trusted_keys(trusted);
            if (!result.ok) {
                std::cout << "FAILED: " << result.problem << '\n';
                return kExitCheckFailed;
            }
            std::cout << "OK\n";
            return kExitOk;
        });
    });

    struct ExportOptions {
        std::string config;
        std::string out;
        std::uint64_t from = 1;
    };
    auto exporting = std::make_shared<ExportOptions>();
    auto* export_command = audit->add_subcommand("export", "write entries then checkpoints as JSON lines");
    add_config_option(export_command, exporting->config);
    export_command->add_option("--out", exporting->out, "the file to write")->required();
    export_command->add_option("--from", exporting->from, "first sequence number (default 1)");
    export_command->callback([&exit_code, exporting] {
        guarded(exit_code, [&] {
            auto storage = server::open_configured_storage(load_config(exporting->config));
            std::ofstream out(exporting->out, std::ios::binary | std::ios::trunc);
            if (!out) throw InvalidArgument("cannot create " + exporting->out);
            const auto report = admin::export_audit(*storage, out, exporting->from, [](std::uint64_t done) {
                if (done % 100'000 == 0) say("exported up to entry " + std::to_string(done));
            });
            std::cout << report.entries << " entries and " << report.checkpoints << " checkpoints written to "
                      << exporting->out << '\n';
            return kExitOk;
        });
    });
}

// ---- admin backup, admin backup verify, admin restore ----

std::string size_text(std::uint64_t bytes) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
    return text.str();
}

void print_contents(const SqlCipherContents& c) {
    std::cout << "holds:        schema version " << c.schema_version << ", " << c.citizens << " citizens, " << c.cards
              << " cards, " << c.enrollments << " enrollments\n"
              << "audit:        " << c.audit_entries << " entries, the last checkpoint at entry " << c.last_checkpoint_sequence
              << '\n';
}

// The database key for a backup: --key-file (a backup made before a rekey needs the key of its time),
// else the configuration's.
SecretBytes backup_key(const http::ServerConfig& config, const std::string& key_file) {
    return key_file.empty() ? server::configured_database_key(config) : server::load_database_key(key_file);
}

// The short summary of a verification; returns the exit code.
int report_verification(const admin::BackupVerification& v, const AuditExpectations& expected,
                        const crypto::PublicKeySet& trusted) {
    if (v.file.cipher_version.empty()) {
        std::cout << "integrity:    not checked\n";
    } else {
        std::cout << "integrity:    " << (v.file.ok ? "ok" : "FAILED") << ", " << v.file.pages << " pages (SQLCipher "
                  << v.file.cipher_version
                  << (v.file.cipher_checked ? "; cipher_integrity_check ok"
                                            : "; no cipher_integrity_check in this version: each page's HMAC was "
                                              "checked as integrity_check read it")
                  << ")\n";
    }
    if (v.file.ok) print_contents(v.file.contents);
    if (v.audit_checked) {
        std::cout << "entries:      " << v.audit.entries << ", " << v.audit.checkpoints << " checkpoints, 1.."
                  << v.audit.covered_up_to << " covered by signed checkpoints\n";
        if (v.audit.newest_checkpoint)
            std::cout << "checkpoint:   " << v.audit.newest_checkpoint->sequence << ':' << lower_hex(v.audit.newest_checkpoint->hash)
                      << " at " << v.audit.newest_checkpoint->time << ", key " << v.audit.newest_checkpoint->key_id
                      << " (the backup's newest)\n";
        std::cout << "published:    " << v.audit.published_matched << " of " << expected.published.size() - v.published_later
                  << " checkpoints up to the backup's last entry found unchanged";
        if (v.published_later > 0) std::cout << " (" << v.published_later << " later ones are newer than the backup)";
        std::cout << "\nanchors:      " << v.audit.anchors_matched << " of " << expected.anchors.size() - v.anchors_later
                  << " matched";
        if (v.anchors_later > 0) std::cout << " (" << v.anchors_later << " after the backup's last entry)";
        std::cout << '\n';
        print_trusted_keys(trusted);
    }
    if (!v.ok) {
        std::cout << "FAILED: " << v.problem << '\n';
        return kExitCheckFailed;
    }
    std::cout << "OK\n";
    return kExitOk;
}

void add_backup_commands(CLI::App& admin_app, int& exit_code) {
    struct BackupOptions {
        std::string config, to;
    };
    auto backup = std::make_shared<BackupOptions>();
    auto* backup_command = admin_app.add_subcommand(
        "backup", "an online, consistent copy of the SQLCipher database, encrypted under its key (--to FILE); or verify one");
    backup_command->add_option("--config", backup->config, "the server's JSON configuration")->check(CLI::ExistingFile);
    backup_command->add_option("--to", backup->to, "the backup file to create (never overwritten)");

    struct VerifyOptions {
        std::string config, file, key_file, scratch;
        TrustOptions trust;
    };
    auto verify = std::make_shared<VerifyOptions>();
    auto* verify_command = backup_command->add_subcommand(
        "verify", "check a backup on a working copy: integrity, schema and the audit chain (nothing is changed)");
    add_config_option(verify_command, verify->config);
    verify_command->add_option("file", verify->file, "the backup file")->required();
    verify_command->add_option("--key-file", verify->key_file,
                               "the database key the backup was made under (default: the configuration's)");
    verify_command->add_option("--scratch", verify->scratch,
                               "where the working copy goes (as much free space as the backup; default: TMPDIR or /tmp)");
    add_trust_options(verify_command, verify->trust);

    backup_command->callback([&exit_code, backup, verify_command] {
        if (verify_command->parsed()) return;  // `backup verify` ran its own callback
        guarded(exit_code, [&] {
            if (backup->config.empty() || backup->to.empty())
                throw InvalidArgument("admin backup needs --config FILE and --to FILE (or: admin backup verify ...)");
            const auto config = load_config(backup->config);
            admin::require_sqlcipher_backend(config, "backup");
            std::uint64_t next_report = 10;
            SqlCipherBackupOptions options;
            options.on_step = [&](const SqlCipherBackupProgress& p) {
                if (p.pages_total == 0) return;
                const std::uint64_t percent = p.pages_copied * 100 / p.pages_total;
                if (percent < next_report || percent == 100) return;
                next_report = percent / 10 * 10 + 10;
                say("copied " + std::to_string(percent) + "% (" + std::to_string(p.pages_copied) + " of " +
                    std::to_string(p.pages_total) + " pages)");
            };
            const auto report = admin::take_backup(config, backup->to, options);
            std::cout << "backup:       " << backup->to << " (" << size_text(report.bytes)
                      << ", mode 0600, encrypted under the database key)\n";
            print_contents(report.contents);
            std::cout << "next:         cccd-server admin backup verify --config " << backup->config
                      << " --public-key AUDIT-PUBLIC-KEY --checkpoints CHECKPOINT-LOG " << backup->to << '\n';
            return kExitOk;
        });
    });

    verify_command->callback([&exit_code, verify] {
        guarded(exit_code, [&] {
            const auto config = load_config(verify->config);
            admin::require_sqlcipher_backend(config, "backup verify");
            const SecretBytes key = backup_key(config, verify->key_file);
            admin::BackupExpectations expected{trusted_keys(verify->trust), expectations(config, verify->trust)};
            const fs::path scratch = verify->scratch.empty() ? fs::temp_directory_path() : fs::path(verify->scratch);
            const auto result = admin::verify_backup(verify->file, key, expected, scratch);  // ParseError: unreadable
            std::cout << "backup:       " << verify->file << " (" << size_text(fs::file_size(verify->file)) << ")\n";
            return report_verification(result, expected.audit, expected.trusted_keys);
        });
    });

    struct RestoreOptions {
        std::string config, from, key_file;
        TrustOptions trust;
    };
    auto restore = std::make_shared<RestoreOptions>();
    auto* restore_command = admin_app.add_subcommand(
        "restore", "verify a backup, then put it in place as database_path (its directory must be empty; server stopped)");
    add_config_option(restore_command, restore->config);
    restore_command->add_option("--from", restore->from, "the backup file")->required()->check(CLI::ExistingFile);
    restore_command->add_option("--key-file", restore->key_file,
                                "the database key the backup was made under (default: the configuration's)");
    add_trust_options(restore_command, restore->trust);
    restore_command->callback([&exit_code, restore] {
        guarded(exit_code, [&] {
            const auto config = load_config(restore->config);
            admin::require_sqlcipher_backend(config, "restore");
            const SecretBytes key = backup_key(config, restore->key_file);
            admin::BackupExpectations expected{trusted_keys(restore->trust), expectations(config, restore->trust)};
            say("verifying " + restore->from + " on a copy in the data directory before it is put in place");
            const auto report = admin::restore_backup(restore->from, key, config.database_path, expected, admin::admin_actor());
            const int code = report_verification(report.verification, expected.audit, expected.trusted_keys);
            if (!report.restored) {
                std::cout << "nothing was restored: the data directory was left as it was\n";
                return code == kExitOk ? kExitCheckFailed : code;
            }
            std::cout << "restored:     " << report.database.string() << " (audit entry " << report.restore_entry
                      << ": database.restore)\n";
            if (report.verification.audit.newest_checkpoint) {
                const auto& newest = *report.verification.audit.newest_checkpoint;
                std::cout << "anchor:       " << newest.sequence << ':' << lower_hex(newest.hash)
                          << " (keep it: --anchor for every verification from now on)\n";
            }
            std::cout << "next:         keep the checkpoint log of before the restore apart (its checkpoints after entry "
                      << report.verification.file.contents.audit_entries
                      << " are of entries this database no longer has) and start a new one; start cccd-server (it "
                         "signs a checkpoint over the restore); then admin audit verify with --anchor and the new log "
                         "(docs/backup-restore.md)\n";
            return static_cast<int>(kExitOk);
        });
    });
}

}  // namespace

void add_admin_commands(CLI::App& app, int& exit_code) {
    auto* admin_app = app.add_subcommand("admin", "installation, officers, stations, relying parties, population import, keys, audit, backups");
    admin_app->require_subcommand(1);
    add_init(*admin_app, exit_code);
    add_officer_commands(*admin_app, exit_code);
    add_station_commands(*admin_app, exit_code);
    add_relying_party_commands(*admin_app, exit_code);
    add_population_commands(*admin_app, exit_code);
    add_key_commands(*admin_app, exit_code);
    add_audit_commands(*admin_app, exit_code);
    add_backup_commands(*admin_app, exit_code);
}

}  // namespace cccd::server::tool
