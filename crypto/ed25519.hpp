#pragma once
// Ed25519 signing keys (libsodium) for audit checkpoints, and their sealed key files.
//
// Key file (text, mode 0600, never overwritten): the 32-byte seed encrypted with crypto_secretbox
// (XSalsa20-Poly1305) under a key derived from the passphrase with Argon2id; the public key is in
// clear so verifiers can read it without the passphrase:
//
//   cccd-ed25519-key v1
//   public <64 hex>
//   kdf argon2id13 <opslimit> <memlimit>
//   salt <32 hex>
//   nonce <48 hex>
//   sealed <96 hex>          (secretbox of the seed: 16-byte tag + 32 bytes)
//
// Plain (unencrypted) key files are not supported: a signing key for the audit log is only ever
// written sealed. The passphrase must be at least 12 characters, as for cccd-pki's key files.
#include <filesystem>
#include <map>
#include <string>

#include "base/bytes.hpp"

namespace cccd::crypto {

inline constexpr std::size_t ed25519_public_key_bytes = 32;
inline constexpr std::size_t ed25519_signature_bytes = 64;

struct KeyFileKdf;

class Ed25519KeyPair {
public:
    static Ed25519KeyPair generate();
    // The same key pair again from its 32-byte seed.
    static Ed25519KeyPair from_seed(ByteView seed);

    const Bytes& public_key() const noexcept { return public_key_; }
    // First 8 bytes of SHA-256(public key), lower-case hex (16 characters).
    const std::string& key_id() const noexcept { return key_id_; }
    Bytes sign(ByteView message) const;

private:
    friend void write_ed25519_key_file(const std::filesystem::path&, const Ed25519KeyPair&, const SecretBytes&,
                                       const KeyFileKdf&);
    Ed25519KeyPair() = default;
    Bytes public_key_;
    SecretBytes secret_key_;  // libsodium's 64-byte form: seed || public key
    std::string key_id_;
};

std::string ed25519_key_id(ByteView public_key);
// False for a wrong signature, wrong lengths or a malformed public key.
bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

// Argon2id cost of the key-file passphrase (sensitive-ish: the file is read once at start-up).
struct KeyFileKdf {
    unsigned long long opslimit = 3;
    std::size_t memlimit = 64u * 1024u * 1024u;
};

// Writes a sealed key file (mode 0600). InvalidArgument for a short passphrase or an existing file.
void write_ed25519_key_file(const std::filesystem::path& path, const Ed25519KeyPair& key,
                            const SecretBytes& passphrase, const KeyFileKdf& kdf = {});
// Opens a sealed key file. CryptoError "wrong passphrase or damaged key file" when it does not open;
// ParseError for a file that is not a key file.
Ed25519KeyPair read_ed25519_key_file(const std::filesystem::path& path, const SecretBytes& passphrase);
// The public key of a key file, without the passphrase.
Bytes read_ed25519_public_key(const std::filesystem::path& path);

// Public keys by key id: whom checkpoints may be signed by (current and retired keys).
using PublicKeySet = std::map<std::string, Bytes, std::less<>>;
void add_public_key(PublicKeySet& keys, ByteView public_key);

}  // namespace cccd::crypto
