#include "base/environment.hpp"

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include "base/error.hpp"
#include "base/file.hpp"

namespace cccd {

namespace {

// The secrets taken so far, by variable name; one lock for the environment and the map, since
// getenv and unsetenv must not race either.
struct TakenSecrets {
    std::mutex mutex;
    std::map<std::string, SecretBytes, std::less<>> values;
};

TakenSecrets& taken() {
    static TakenSecrets secrets;
    return secrets;
}

}  // namespace

std::optional<SecretBytes> take_secret_from_environment(std::string_view variable) {
    const std::string name(variable);
    TakenSecrets& secrets = taken();
    const std::lock_guard lock(secrets.mutex);
    if (char* value = std::getenv(name.c_str()); value != nullptr) {
        const std::size_t length = std::strlen(value);
        SecretBytes secret(ByteView(reinterpret_cast<const std::uint8_t*>(value), length));
        // In place: for a variable of the environment the process started with, these are the bytes
        // /proc/PID/environ reads; unsetenv only drops the pointer to them.
        secure_wipe(value, length);
        ::unsetenv(name.c_str());
        if (!secret.empty()) {
            secrets.values.insert_or_assign(name, secret);
            return secret;
        }
    }
    if (const auto found = secrets.values.find(name); found != secrets.values.end()) return found->second;
    return std::nullopt;
}

std::optional<SecretBytes> secret_from_environment(std::string_view variable, std::string_view file_variable) {
    if (auto secret = take_secret_from_environment(variable)) return secret;
    const char* file = std::getenv(std::string(file_variable).c_str());
    if (file == nullptr || *file == '\0') return std::nullopt;
    Bytes content;
    try {
        content = read_file(file);
    } catch (const ParseError&) {
        throw ParseError("cannot read the file named by " + std::string(file_variable) + ": " + file);
    }
    auto end = content.begin();
    while (end != content.end() && *end != '\n' && *end != '\r') ++end;
    SecretBytes secret(ByteView(content.data(), static_cast<std::size_t>(end - content.begin())));
    secure_wipe(content);
    if (secret.empty()) throw ParseError("the file named by " + std::string(file_variable) + " is empty: " + file);
    return secret;
}

void forget_secret_from_environment(std::string_view variable) {
    TakenSecrets& secrets = taken();
    const std::lock_guard lock(secrets.mutex);
    if (const auto found = secrets.values.find(variable); found != secrets.values.end()) secrets.values.erase(found);
}

}  // namespace cccd
