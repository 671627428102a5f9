#include "crypto/ed25519.hpp"

#include <sodium.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/encoding.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium.hpp"

namespace cccd::crypto {

namespace {

constexpr const char* file_magic = "cccd-ed25519-key v1";
constexpr std::size_t min_passphrase_chars = 12;

SecretBytes derive_file_key(const SecretBytes& passphrase, ByteView salt, unsigned long long opslimit,
                            std::size_t memlimit) {
    Bytes key(crypto_secretbox_KEYBYTES);
    SecretBytes wrapped(std::move(key));
    if (crypto_pwhash(wrapped.data(), wrapped.size(), reinterpret_cast<const char*>(passphrase.data()),
                      passphrase.size(), salt.data(), opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw CryptoError("deriving the key-file key failed (not enough memory?)");
    return wrapped;
}

// Parses "name value..." lines into a map; ParseError when a line is missing.
std::map<std::string, std::string> read_fields(const std::filesystem::path& path) {
    const Bytes content = read_file(path);
    std::istringstream in(to_string(content));
    std::string line;
    if (!std::getline(in, line) || line != file_magic)
        throw ParseError(path.string() + " is not a cccd Ed25519 key file");
    std::map<std::string, std::string> fields;
    while (std::getline(in, line)) {
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        fields[line.substr(0, space)] = line.substr(space + 1);
    }
    for (const char* name : {"public", "kdf", "salt", "nonce", "sealed"})
        if (!fields.contains(name)) throw ParseError(path.string() + ": the key file has no '" + name + "' line");
    return fields;
}

Bytes hex_field(const std::map<std::string, std::string>& fields, const std::string& name, std::size_t length,
                const std::filesystem::path& path) {
    Bytes value;
    try {
        value = from_hex(fields.at(name));
    } catch (const InvalidArgument&) {
        throw ParseError(path.string() + ": the '" + name + "' line is not hex");
    }
    if (value.size() != length) throw ParseError(path.string() + ": the '" + name + "' line has the wrong length");
    return value;
}

}  // namespace

Ed25519KeyPair Ed25519KeyPair::generate() {
    SecretBytes seed(random_bytes(crypto_sign_SEEDBYTES));
    return from_seed(seed.view());
}

Ed25519KeyPair Ed25519KeyPair::from_seed(ByteView seed) {
    ensure_sodium();
    if (seed.size() != crypto_sign_SEEDBYTES) throw InvalidArgument("an Ed25519 seed is 32 bytes");
    Ed25519KeyPair pair;
    pair.public_key_.resize(crypto_sign_PUBLICKEYBYTES);
    pair.secret_key_ = SecretBytes(Bytes(crypto_sign_SECRETKEYBYTES));
    crypto_sign_seed_keypair(pair.public_key_.data(), pair.secret_key_.data(), seed.data());
    pair.key_id_ = ed25519_key_id(pair.public_key_);
    return pair;
}

Bytes Ed25519KeyPair::sign(ByteView message) const {
    Bytes signature(crypto_sign_BYTES);
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_key_.data());
    return signature;
}

std::string ed25519_key_id(ByteView public_key) {
    return lower_hex(ByteView(sha256(public_key)).first(8));
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
    ensure_sodium();
    if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) return false;
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
}

void write_ed25519_key_file(const std::filesystem::path& path, const Ed25519KeyPair& key,
                            const SecretBytes& passphrase, const KeyFileKdf& kdf) {
    ensure_sodium();
    if (passphrase.size() < min_passphrase_chars)
        throw InvalidArgument("the key-file passphrase must be at least 12 characters");
    Bytes salt = random_bytes(crypto_pwhash_SALTBYTES);
    Bytes nonce = random_bytes(crypto_secretbox_NONCEBYTES);
    const SecretBytes file_key = derive_file_key(passphrase, salt, kdf.opslimit, kdf.memlimit);
    SecretBytes seed(Bytes(crypto_sign_SEEDBYTES));
    crypto_sign_ed25519_sk_to_seed(seed.data(), key.secret_key_.data());
    Bytes sealed(crypto_secretbox_MACBYTES + seed.size());
    crypto_secretbox_easy(sealed.data(), seed.data(), seed.size(), nonce.data(), file_key.data());

    std::ostringstream text;
    text << file_magic << '\n'
         << "public " << lower_hex(key.public_key()) << '\n'
         << "kdf argon2id13 " << kdf.opslimit << ' ' << kdf.memlimit << '\n'
         << "salt " << lower_hex(salt) << '\n'
         << "nonce " << lower_hex(nonce) << '\n'
         << "sealed " << lower_hex(sealed) << '\n';
    const std::string content = text.str();

    // O_EXCL: never overwrite a key; 0600 from the start, not chmod afterwards.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) throw InvalidArgument(path.string() + " already exists; key files are never overwritten");
        throw Error("cannot create " + path.string() + ": " + std::strerror(errno));
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) throw Error("cannot write " + path.string());
}

Ed25519KeyPair read_ed25519_key_file(const std::filesystem::path& path, const SecretBytes& passphrase) {
    ensure_sodium();
    const auto fields = read_fields(path);
    const Bytes public_key = hex_field(fields, "public", crypto_sign_PUBLICKEYBYTES, path);
    const Bytes salt = hex_field(fields, "salt", crypto_pwhash_SALTBYTES, path);
    const Bytes nonce = hex_field(fields, "nonce", crypto_secretbox_NONCEBYTES, path);
    const Bytes sealed = hex_field(fields, "sealed", crypto_secretbox_MACBYTES + crypto_sign_SEEDBYTES, path);

    std::istringstream kdf_line(fields.at("kdf"));
    std::string algorithm;
    unsigned long long opslimit = 0;
    std::size_t memlimit = 0;
    if (!(kdf_line >> algorithm >> opslimit >> memlimit) || algorithm != "argon2id13" ||
        opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > 100 || memlimit < crypto_pwhash_MEMLIMIT_MIN ||
        memlimit > (std::size_t{4} << 30))
        throw ParseError(path.string() + ": the 'kdf' line is not a usable Argon2id setting");

    const SecretBytes file_key = derive_file_key(passphrase, salt, opslimit, memlimit);
    SecretBytes seed(Bytes(crypto_sign_SEEDBYTES));
    if (crypto_secretbox_open_easy(seed.data(), sealed.data(), sealed.size(), nonce.data(), file_key.data()) != 0)
        throw CryptoError(path.string() + ": wrong passphrase or damaged key file");
    Ed25519KeyPair pair = Ed25519KeyPair::from_seed(seed.view());
    if (!constant_time_equal(pair.public_key(), public_key))
        throw CryptoError(path.string() + ": the sealed key does not match the file's public key");
    return pair;
}

Bytes read_ed25519_public_key(const std::filesystem::path& path) {
    const auto fields = read_fields(path);
    return hex_field(fields, "public", crypto_sign_PUBLICKEYBYTES, path);
}

void add_public_key(PublicKeySet& keys, ByteView public_key) {
    if (public_key.size() != ed25519_public_key_bytes) throw InvalidArgument("an Ed25519 public key is 32 bytes");
    keys.insert_or_assign(ed25519_key_id(public_key), Bytes(public_key.begin(), public_key.end()));
}

}  // namespace cccd::crypto
