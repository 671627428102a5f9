#include "server/http/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <type_traits>
#include <variant>

#include <boost/asio/ip/address.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "base/environment.hpp"
#include "base/file.hpp"
#include "server/http/log.hpp"

namespace cccd::server::http {

namespace {

using Member = std::variant<std::string ServerConfig::*, bool ServerConfig::*, std::uint16_t ServerConfig::*,
                            std::uint32_t ServerConfig::*, std::uint64_t ServerConfig::*>;

struct Key {
    const char* name;
    Member member;
    std::uint64_t min = 0;
    std::uint64_t max = 0;
    bool secret = false;        // may hold a password: never shown
    bool list = false;          // JSON may also give an array of strings (kept comma-separated)
};

const std::vector<Key>& keys() {
    static const std::vector<Key> table = {
        {"listen_address", &ServerConfig::listen_address},
        {"listen_port", &ServerConfig::listen_port, 0, 65535},
        {"threads", &ServerConfig::threads, 0, 256},
        {"tls_certificate", &ServerConfig::tls_certificate},
        {"tls_key", &ServerConfig::tls_key},
        {"tls_client_ca", &ServerConfig::tls_client_ca},
        {"require_client_certificate", &ServerConfig::require_client_certificate},
        {"station_ca", &ServerConfig::station_ca},
        {"relying_party_ca", &ServerConfig::relying_party_ca},
        {"max_body_bytes", &ServerConfig::max_body_bytes, 1, std::uint64_t{1} << 30},
        {"max_header_bytes", &ServerConfig::max_header_bytes, 1024, 1024 * 1024},
        {"handshake_timeout_ms", &ServerConfig::handshake_timeout_ms, 100, 3600000},
        {"read_timeout_ms", &ServerConfig::read_timeout_ms, 100, 3600000},
        {"idle_timeout_ms", &ServerConfig::idle_timeout_ms, 100, 3600000},
        {"write_timeout_ms", &ServerConfig::write_timeout_ms, 100, 3600000},
        {"handler_timeout_ms", &ServerConfig::handler_timeout_ms, 10, 3600000},
        {"max_connections", &ServerConfig::max_connections, 1, 100000},
        {"max_connections_per_peer", &ServerConfig::max_connections_per_peer, 1, 100000},
        {"anonymous_requests_per_minute", &ServerConfig::anonymous_requests_per_minute, 1, 1000000},
        {"shutdown_grace_ms", &ServerConfig::shutdown_grace_ms, 0, 600000},
        {"log_format", &ServerConfig::log_format},
        {"metrics_token_file", &ServerConfig::metrics_token_file},
        {"database_kind", &ServerConfig::database_kind},
        {"database_path", &ServerConfig::database_path},
        {"database_connection_string", &ServerConfig::database_connection_string, 0, 0, true},
        {"database_key_file", &ServerConfig::database_key_file},
        {"database_owner_connection_string", &ServerConfig::database_owner_connection_string, 0, 0, true},
        {"database_service_role", &ServerConfig::database_service_role},
        {"ds_key", &ServerConfig::ds_key},
        {"ds_certificate", &ServerConfig::ds_certificate},
        {"issuance_legacy_cccd_2021", &ServerConfig::issuance_legacy_cccd_2021},
        {"audit_signing_key_file", &ServerConfig::audit_signing_key_file},
        {"audit_checkpoint_entries", &ServerConfig::audit_checkpoint_entries, 1, 1000000},
        {"audit_checkpoint_seconds", &ServerConfig::audit_checkpoint_seconds, 1, 86400},
        {"audit_checkpoint_log", &ServerConfig::audit_checkpoint_log},
        {"challenge_store", &ServerConfig::challenge_store},
        {"redis_address", &ServerConfig::redis_address},
        {"assertion_key_file", &ServerConfig::assertion_key_file},
        {"assertion_retired_public_keys", &ServerConfig::assertion_retired_public_keys, 0, 0, false, true},
        {"pairwise_secret_file", &ServerConfig::pairwise_secret_file},
        {"issuer", &ServerConfig::issuer},
        {"challenge_seconds", &ServerConfig::challenge_seconds, 10, 3600},
    };
    return table;
}

const Key* find_key(std::string_view name) {
    for (const Key& key : keys())
        if (name == key.name) return &key;
    return nullptr;
}

std::string range_text(const Key& key) {
    return "an integer from " + std::to_string(key.min) + " to " + std::to_string(key.max);
}

// Sets one key from a JSON value; returns a problem (without the value) or nothing.
std::optional<std::string> set_from_json(ServerConfig& config, const Key& key, const boost::json::value& value) {
    return std::visit(
        [&](auto member) -> std::optional<std::string> {
            using T = std::remove_cvref_t<decltype(config.*member)>;
            if constexpr (std::is_same_v<T, std::string>) {
                if (key.list && value.is_array()) {
                    std::string joined;
                    for (const auto& item : value.as_array()) {
                        if (!item.is_string()) return "must be a string or an array of strings";
                        if (!joined.empty()) joined += ',';
                        joined.append(item.as_string().data(), item.as_string().size());
                    }
                    config.*member = joined;
                    return std::nullopt;
                }
                if (!value.is_string()) return key.list ? "must be a string or an array of strings" : "must be a string";
                config.*member = std::string(value.as_string().data(), value.as_string().size());
            } else if constexpr (std::is_same_v<T, bool>) {
                if (!value.is_bool()) return "must be true or false";
                config.*member = value.as_bool();
            } else {
                std::uint64_t number = 0;
                if (value.is_uint64()) number = value.as_uint64();
                else if (value.is_int64() && value.as_int64() >= 0) number = static_cast<std::uint64_t>(value.as_int64());
                else return "must be " + range_text(key);
                if (number < key.min || number > key.max) return "must be " + range_text(key);
                config.*member = static_cast<T>(number);
            }
            return std::nullopt;
        },
        key.member);
}

std::optional<std::string> set_from_text(ServerConfig& config, const Key& key, const std::string& text) {
    return std::visit(
        [&](auto member) -> std::optional<std::string> {
            using T = std::remove_cvref_t<decltype(config.*member)>;
            if constexpr (std::is_same_v<T, std::string>) {
                config.*member = text;
            } else if constexpr (std::is_same_v<T, bool>) {
                if (text == "true" || text == "1" || text == "yes") config.*member = true;
                else if (text == "false" || text == "0" || text == "no") config.*member = false;
                else return "must be true or false";
            } else {
                const bool digits = !text.empty() && text.size() <= 19 &&
                                    std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
                if (!digits) return "must be " + range_text(key);
                const std::uint64_t number = std::stoull(text);
                if (number < key.min || number > key.max) return "must be " + range_text(key);
                config.*member = static_cast<T>(number);
            }
            return std::nullopt;
        },
        key.member);
}

std::string shown_value(const ServerConfig& config, const Key& key) {
    return std::visit(
        [&](auto member) -> std::string {
            using T = std::remove_cvref_t<decltype(config.*member)>;
            if constexpr (std::is_same_v<T, std::string>) {
                const std::string& value = config.*member;
                if (value.empty()) return "(not set)";
                // A pkcs11: URI may carry the PIN itself (pin-value=); a conninfo may carry a password.
                if (key.secret || value.find("pin-value") != std::string::npos) return "(set, not shown)";
                return value;
            } else if constexpr (std::is_same_v<T, bool>) {
                return config.*member ? "true" : "false";
            } else {
                return std::to_string(config.*member);
            }
        },
        key.member);
}

}  // namespace

std::vector<std::string> ServerConfig::retired_public_key_files() const {
    std::vector<std::string> files;
    std::string_view rest = assertion_retired_public_keys;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
        if (!item.empty()) files.emplace_back(item);
    }
    return files;
}

std::optional<std::pair<std::string, std::uint16_t>> ServerConfig::redis_endpoint() const {
    const auto colon = redis_address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= redis_address.size()) return std::nullopt;
    const std::string host = redis_address.substr(0, colon);
    const std::string port = redis_address.substr(colon + 1);
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const unsigned long number = std::stoul(port);
    if (number == 0 || number > 65535) return std::nullopt;
    return std::pair{host, static_cast<std::uint16_t>(number)};
}

std::string ServerConfig::describe() const {
    std::ostringstream out;
    for (const auto& [name, value] : described()) out << name << " = " << value << '\n';
    return out.str();
}

std::vector<std::pair<std::string, std::string>> ServerConfig::described() const {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const Key& key : keys()) pairs.emplace_back(key.name, shown_value(*this, key));
    return pairs;
}

namespace {
std::string join_lines(const std::vector<std::string>& problems) {
    std::string text = "the server configuration is not usable:";
    for (const auto& problem : problems) text += "\n  " + problem;
    return text;
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : Error(join_lines(problems)), problems_(std::move(problems)) {}

Environment process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        // An override of a key that may hold a password (a conninfo) is taken out of the environment.
        for (const Key& key : keys())
            if (key.secret && environment_variable_for(key.name) == name)
                if (const auto value = take_secret_from_environment(name)) return cccd::to_string(value->view());
        const std::string terminated(name);
        const char* value = std::getenv(terminated.c_str());
        if (!value) return std::nullopt;
        return std::string(value);
    };
}

std::vector<std::string> config_keys() {
    std::vector<std::string> names;
    for (const Key& key : keys()) names.emplace_back(key.name);
    return names;
}

std::string environment_variable_for(std::string_view key) {
    std::string name = "CCCD_SERVER_";
    for (char c : key) name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return name;
}

ServerConfig parse_server_config(std::string_view json_text, std::string_view source_name, const Environment& environment) {
    ServerConfig config;
    std::vector<std::string> problems;
    const std::string source(source_name);

    boost::system::error_code error;
    const boost::json::value root = boost::json::parse(json_text, error);
    if (error) {
        problems.push_back(source + ": not valid JSON (" + error.message() + ")");
    } else if (!root.is_object()) {
        problems.push_back(source + ": must be a JSON object of \"key\": value pairs");
    } else {
        for (const auto& member : root.as_object()) {
            const std::string name(member.key().data(), member.key().size());
            const Key* key = find_key(name);
            if (!key) {
                problems.push_back(source + ": unknown key '" + name.substr(0, 64) + "'");
                continue;
            }
            if (auto problem = set_from_json(config, *key, member.value()))
                problems.push_back(source + ": '" + name + "' " + *problem);
        }
    }
    for (const Key& key : keys()) {
        const std::string variable = environment_variable_for(key.name);
        const auto value = environment(variable);
        if (!value) continue;
        if (auto problem = set_from_text(config, key, *value))
            problems.push_back("environment " + variable + ": " + *problem);
    }
    if (!problems.empty()) throw ConfigError(std::move(problems));
    return config;
}

ServerConfig load_server_config(const std::filesystem::path& file, const Environment& environment) {
    std::string text;
    try {
        text = to_string(read_file(file));
    } catch (const Error&) {
        throw ConfigError({"cannot read the configuration file " + file.string()});
    }
    ServerConfig config = parse_server_config(text, file.string(), environment);
    validate(config);
    return config;
}

std::vector<std::string> validation_problems(const ServerConfig& config) {
    std::vector<std::string> problems;
    auto require = [&](const std::string& value, const char* key, const std::string& why) {
        if (value.empty()) problems.push_back(std::string("'") + key + "' is required" + why);
    };
    boost::system::error_code error;
    boost::asio::ip::make_address(config.listen_address, error);
    if (error) problems.push_back("'listen_address' must be an IP address such as 127.0.0.1 or ::1 (not a host name)");
    require(config.tls_certificate, "tls_certificate", " (the server's PEM certificate chain)");
    if (!parse_log_format(config.log_format)) problems.push_back("'log_format' must be text or json");
    require(config.tls_key, "tls_key", " (the server's PEM private key)");
    if (config.require_client_certificate)
        require(config.tls_client_ca, "tls_client_ca", " when require_client_certificate is true");
    if (config.database_kind == "sqlcipher") {
        require(config.database_path, "database_path", " for database_kind sqlcipher");
        // The key comes from database_key_file or, without it, from CCCD_DB_KEY (checked at open).
    } else if (config.database_kind == "postgresql") {
        require(config.database_connection_string, "database_connection_string", " for database_kind postgresql");
        if (!config.database_service_role.empty())
            require(config.database_owner_connection_string, "database_owner_connection_string",
                    " when database_service_role is set (the owner runs the migrations; the service connects as the role)");
    } else {
        problems.push_back("'database_kind' must be sqlcipher or postgresql");
    }
    if (config.database_kind != "postgresql" &&
        (!config.database_owner_connection_string.empty() || !config.database_service_role.empty()))
        problems.push_back("'database_owner_connection_string' and 'database_service_role' are for database_kind postgresql");
    if (config.ds_key.empty() != config.ds_certificate.empty())
        problems.push_back("'ds_key' and 'ds_certificate' go together: set both or neither");
    require(config.audit_signing_key_file, "audit_signing_key_file", " (the audit log is always signed)");
    if (config.challenge_store == "redis") {
        if (!config.redis_endpoint())
            problems.push_back("'redis_address' must be host:port (such as 127.0.0.1:6379) for challenge_store redis");
    } else if (config.challenge_store != "memory") {
        problems.push_back("'challenge_store' must be memory or redis");
    }
    if (!config.assertion_key_file.empty()) {
        require(config.pairwise_secret_file, "pairwise_secret_file", " when assertion_key_file is set");
        require(config.issuer, "issuer", " when assertion_key_file is set (such as https://id.cccd.vn)");
    } else if (!config.pairwise_secret_file.empty() || !config.assertion_retired_public_keys.empty()) {
        problems.push_back("'assertion_key_file' is required when the authentication API is configured");
    }
    return problems;
}

void validate(const ServerConfig& config) {
    auto problems = validation_problems(config);
    if (!problems.empty()) throw ConfigError(std::move(problems));
}

}  // namespace cccd::server::http
