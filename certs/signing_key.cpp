#include "certs/signing_key.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <libp11.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "base/error.hpp"
#include "base/file.hpp"
#include "certs/pkcs11_keygen.hpp"

namespace cccd::certs {

namespace {

// ---- secrets ----

SecretBytes secret_from_text(std::string_view text) {
    Bytes b(text.begin(), text.end());
    b.push_back(0);
    return SecretBytes(std::move(b));
}

// ---- RFC 7512 URIs ----

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            if (i + 2 >= text.size())
                throw InvalidArgument("PKCS#11 URI: truncated %-escape");
            auto hex = [](char c) -> int {
                if (c >= '0' && c <= '9') return c - '0';
                if (c >= 'a' && c <= 'f') return c - 'a' + 10;
                if (c >= 'A' && c <= 'F') return c - 'A' + 10;
                throw InvalidArgument("PKCS#11 URI: bad %-escape");
            };
            out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(c);
        } else {
            char esc[4];
            std::snprintf(esc, sizeof esc, "%%%02X", u);
            out += esc;
        }
    }
    return out;
}

// Calls `visit(name, value)` for each "name=value" separated by `separator`.
template <typename Visit>
void for_each_attribute(std::string_view text, char separator, Visit visit) {
    while (!text.empty()) {
        auto end = text.find(separator);
        auto part = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos) throw InvalidArgument("PKCS#11 URI: '" + std::string(part) + "' has no value");
        visit(part.substr(0, eq), part.substr(eq + 1));
    }
}

// ---- libp11 handles ----

// One libp11 context per module and process: a second PKCS11_CTX on the same module would call
// C_Finalize when unloaded and end every other session of the process.
class LoadedModule {
public:
    explicit LoadedModule(const std::string& path) : path_(path), ctx_(PKCS11_CTX_new()) {
        if (ctx_ == nullptr) throw CryptoError("cannot create a PKCS#11 context");
        if (PKCS11_CTX_load(ctx_, path.c_str()) != 0) {
            PKCS11_CTX_free(ctx_);
            crypto::clear_openssl_errors();
            throw InvalidArgument("cannot load the PKCS#11 module " + path);
        }
    }
    ~LoadedModule() {
        PKCS11_CTX_unload(ctx_);
        PKCS11_CTX_free(ctx_);
    }
    LoadedModule(const LoadedModule&) = delete;
    LoadedModule& operator=(const LoadedModule&) = delete;
    PKCS11_CTX* ctx() const noexcept { return ctx_; }

    static std::shared_ptr<LoadedModule> get(const std::string& path) {
        static std::mutex mutex;
        static std::map<std::string, std::weak_ptr<LoadedModule>> loaded;
        std::lock_guard lock(mutex);
        if (auto existing = loaded[path].lock()) return existing;
        auto module = std::make_shared<LoadedModule>(path);
        loaded[path] = module;
        return module;
    }

private:
    std::string path_;
    PKCS11_CTX* ctx_;
};

// The slot list of one key: libp11 keeps the session and login state on these slot objects.
class SlotList {
public:
    explicit SlotList(std::shared_ptr<LoadedModule> module) : module_(std::move(module)) {
        if (PKCS11_enumerate_slots(module_->ctx(), &slots_, &count_) != 0) {
            crypto::clear_openssl_errors();
            throw CryptoError("cannot list the PKCS#11 slots");
        }
    }
    ~SlotList() {
        if (slots_ != nullptr) PKCS11_release_all_slots(module_->ctx(), slots_, count_);
    }
    SlotList(const SlotList&) = delete;
    SlotList& operator=(const SlotList&) = delete;

    PKCS11_SLOT* find_token(const std::string& label) const {
        for (unsigned int i = 0; i < count_; ++i) {
            PKCS11_TOKEN* token = slots_[i].token;
            if (token != nullptr && token->initialized && token->label != nullptr && label == token->label)
                return &slots_[i];
        }
        return nullptr;
    }

private:
    std::shared_ptr<LoadedModule> module_;
    PKCS11_SLOT* slots_ = nullptr;
    unsigned int count_ = 0;
};

class FileSigningKey final : public SigningKey {
public:
    FileSigningKey(std::string path, crypto::PKeyPtr key) : path_(std::move(path)), key_(std::move(key)) {}
    EVP_PKEY* key() const override { return key_.get(); }
    std::string describe() const override { return "key file " + path_ + " (" + key_kind(key_.get()) + ")"; }
    static std::string key_kind(EVP_PKEY* key) {
        if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
            char group[64] = {};
            std::size_t len = 0;
            EVP_PKEY_get_group_name(key, group, sizeof group, &len);
            return std::string("ECDSA ") + group;
        }
        return "RSA " + std::to_string(EVP_PKEY_get_bits(key));
    }

private:
    std::string path_;
    crypto::PKeyPtr key_;
};

class TokenSigningKey final : public SigningKey {
public:
    TokenSigningKey(const Pkcs11Uri& uri, const std::string& module_path, const SecretBytes& pin)
        : uri_(uri), slots_(LoadedModule::get(module_path)) {
        PKCS11_SLOT* slot = slots_.find_token(uri.token);
        if (slot == nullptr)
            throw InvalidArgument("no PKCS#11 token labelled '" + uri.token + "' in " + module_path);
        if (PKCS11_open_session(slot, 0) != 0) {
            crypto::clear_openssl_errors();
            throw CryptoError("cannot open a session on the token '" + uri.token + "'");
        }
        if (pin.empty())
            throw InvalidArgument("the token '" + uri.token + "' needs its PIN: set CCCD_PKCS11_PIN or pin-source in the URI");
        if (PKCS11_login(slot, 0, c_str(pin)) != 0) {
            // libp11 queues the PKCS#11 return value as the reason of its error.
            auto reason = static_cast<unsigned long>(ERR_GET_REASON(ERR_peek_last_error()));
            crypto::clear_openssl_errors();
            throw CryptoError("the token '" + uri.token + "' refused the login: " + detail::pkcs11_error_text(reason));
        }
        PKCS11_KEY* keys = nullptr;
        unsigned int count = 0;
        if (PKCS11_enumerate_keys(slot->token, &keys, &count) != 0) {
            crypto::clear_openssl_errors();
            throw CryptoError("cannot list the keys of the token '" + uri.token + "'");
        }
        PKCS11_KEY* found = nullptr;
        for (unsigned int i = 0; i < count; ++i) {
            if (!keys[i].isPrivate || keys[i].label == nullptr || uri.object != keys[i].label) continue;
            if (!uri.id.empty() && std::string(reinterpret_cast<const char*>(keys[i].id), keys[i].id_len) != uri.id)
                continue;
            found = &keys[i];
            break;
        }
        if (found == nullptr)
            throw InvalidArgument("the token '" + uri.token + "' holds no private key labelled '" + uri.object + "'");
        key_.reset(PKCS11_get_private_key(found));
        if (key_ == nullptr) {
            crypto::clear_openssl_errors();
            throw CryptoError("the key '" + uri.object + "' of the token '" + uri.token +
                              "' cannot be used (no matching public key object?)");
        }
    }
    EVP_PKEY* key() const override { return key_.get(); }
    std::string describe() const override {
        return "PKCS#11 token '" + uri_.token + "' object '" + uri_.object + "' (" + FileSigningKey::key_kind(key_.get()) + ")";
    }

private:
    Pkcs11Uri uri_;
    SlotList slots_;       // destroyed after the key: the key uses the slot's session
    crypto::PKeyPtr key_;  // our reference to libp11's EVP_PKEY
};

SecretBytes pin_for(const Pkcs11Uri& uri, const std::string& original, const SecretSources& sources) {
    if (uri.has_pin_value) {
        // Read the value from the original text only here, so it never sits in Pkcs11Uri.
        auto q = original.find('?');
        SecretBytes pin;
        for_each_attribute(std::string_view(original).substr(q + 1), '&', [&](std::string_view name, std::string_view value) {
            if (name == "pin-value") pin = secret_from_text(percent_decode(value));
        });
        return pin;
    }
    if (!uri.pin_source.empty()) {
        std::string path = uri.pin_source.rfind("file:", 0) == 0 ? uri.pin_source.substr(5) : uri.pin_source;
        Bytes content = read_file(path);
        auto end = content.begin();
        while (end != content.end() && *end != '\n' && *end != '\r') ++end;
        Bytes pin(content.begin(), end);
        secure_wipe(content);
        pin.push_back(0);
        return SecretBytes(std::move(pin));
    }
    return secret_from_environment(sources.pin_variable, "CCCD_PKCS11_PIN_FILE");
}

}  // namespace

bool is_pkcs11_uri(const std::string& spec) { return spec.rfind("pkcs11:", 0) == 0; }

std::string Pkcs11Uri::to_string() const {
    std::string s = "pkcs11:token=" + percent_encode(token) + ";object=" + percent_encode(object);
    if (!id.empty()) s += ";id=" + percent_encode(id);
    return s;
}

Pkcs11Uri parse_pkcs11_uri(const std::string& uri) {
    if (!is_pkcs11_uri(uri)) throw InvalidArgument("not a PKCS#11 URI (must start with pkcs11:)");
    std::string_view rest = std::string_view(uri).substr(7);
    auto q = rest.find('?');
    std::string_view path = rest.substr(0, q);
    std::string_view query = q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
    Pkcs11Uri out;
    for_each_attribute(path, ';', [&](std::string_view name, std::string_view value) {
        if (name == "token") out.token = percent_decode(value);
        else if (name == "object") out.object = percent_decode(value);
        else if (name == "id") out.id = percent_decode(value);
        else if (name == "type") {
            if (value != "private") throw InvalidArgument("PKCS#11 URI: only type=private keys can sign");
        } else if (name == "manufacturer" || name == "model" || name == "serial" || name == "library-description" ||
                   name == "library-manufacturer" || name == "library-version" || name == "slot-description" ||
                   name == "slot-id" || name == "slot-manufacturer") {
            // Accepted and ignored: the token label selects the token.
        } else {
            throw InvalidArgument("PKCS#11 URI: unknown attribute '" + std::string(name) + "'");
        }
    });
    for_each_attribute(query, '&', [&](std::string_view name, std::string_view value) {
        if (name == "pin-value") out.has_pin_value = true;
        else if (name == "pin-source") out.pin_source = percent_decode(value);
        else if (name == "module-path") out.module_path = percent_decode(value);
        else if (name == "module-name") throw InvalidArgument("PKCS#11 URI: give module-path, not module-name");
        else throw InvalidArgument("PKCS#11 URI: unknown query attribute '" + std::string(name) + "'");
    });
    if (out.token.empty()) throw InvalidArgument("PKCS#11 URI: token=LABEL is missing");
    if (out.object.empty()) throw InvalidArgument("PKCS#11 URI: object=LABEL is missing");
    return out;
}

std::string pkcs11_module_for(const Pkcs11Uri& uri) {
    if (!uri.module_path.empty()) return uri.module_path;
    if (const char* env = std::getenv("CCCD_PKCS11_MODULE"); env != nullptr && *env != '\0') return env;
    return kSoftHsm2Module;
}

std::unique_ptr<SigningKey> open_signing_key(const std::string& spec) { return open_signing_key(spec, SecretSources{}); }

std::unique_ptr<SigningKey> open_signing_key(const std::string& spec, const SecretSources& sources) {
    if (spec.empty()) throw InvalidArgument("no key given (a pkcs11: URI or an encrypted key file)");
    if (is_pkcs11_uri(spec)) {
        auto uri = parse_pkcs11_uri(spec);
        auto pin = pin_for(uri, spec, sources);
        return std::make_unique<TokenSigningKey>(uri, pkcs11_module_for(uri), pin);
    }
    auto passphrase = secret_from_environment(sources.passphrase_variable, sources.passphrase_file_variable);
    if (passphrase.empty() && std::string_view(sources.passphrase_variable) != "CCCD_KEY_PASSPHRASE")
        passphrase = secret_from_environment("CCCD_KEY_PASSPHRASE", "CCCD_KEY_PASSPHRASE_FILE");
    return std::make_unique<FileSigningKey>(spec, read_encrypted_key_file(spec, passphrase));
}

std::unique_ptr<SigningKey> generate_token_key(const std::string& uri_text, const KeySpec& spec,
                                               const SecretSources& sources) {
    auto uri = parse_pkcs11_uri(uri_text);
    auto pin = pin_for(uri, uri_text, sources);
    Bytes id = uri.id.empty() ? Bytes(8) : Bytes(uri.id.begin(), uri.id.end());
    if (uri.id.empty()) crypto::check(RAND_bytes(id.data(), static_cast<int>(id.size())) == 1, "RAND_bytes");
    detail::generate_key_pair_in_token(pkcs11_module_for(uri), uri.token, pin, uri.object, id, spec);
    return std::make_unique<TokenSigningKey>(uri, pkcs11_module_for(uri), pin);
}

std::unique_ptr<SigningKey> generate_file_key(const std::string& path, const KeySpec& spec,
                                              const SecretSources& sources) {
    auto passphrase = secret_from_environment(sources.passphrase_variable, sources.passphrase_file_variable);
    if (passphrase.empty() && std::string_view(sources.passphrase_variable) != "CCCD_KEY_PASSPHRASE")
        passphrase = secret_from_environment("CCCD_KEY_PASSPHRASE", "CCCD_KEY_PASSPHRASE_FILE");
    if (passphrase.empty())
        throw InvalidArgument(std::string("a new key file needs a passphrase: set ") + sources.passphrase_variable +
                              " or " + sources.passphrase_file_variable);
    auto key = generate_key(spec);
    write_encrypted_key_file(path, key.get(), passphrase);
    return std::make_unique<FileSigningKey>(path, std::move(key));
}

}  // namespace cccd::certs
