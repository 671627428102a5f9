// Ed25519 keys: sign/verify, key ids, sealed key files.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "base/encoding.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::crypto {
namespace {

namespace fs = std::filesystem;

const KeyFileKdf fast_kdf{1, 8u * 1024u * 1024u};
SecretBytes passphrase(std::string_view text) { return SecretBytes(view(text)); }

using TempDir = cccd::testing::TempDir;

TEST(Ed25519, SignVerifyAndRejectTampering) {
    const auto key = Ed25519KeyPair::generate();
    const std::string text = "checkpoint 42";
    const Bytes message(text.begin(), text.end());
    const Bytes signature = key.sign(message);
    ASSERT_EQ(signature.size(), ed25519_signature_bytes);
    EXPECT_TRUE(ed25519_verify(key.public_key(), message, signature));

    Bytes other_message = message;
    other_message.back() ^= 1;
    EXPECT_FALSE(ed25519_verify(key.public_key(), other_message, signature));
    Bytes bad_signature = signature;
    bad_signature[10] ^= 0x80;
    EXPECT_FALSE(ed25519_verify(key.public_key(), message, bad_signature));
    EXPECT_FALSE(ed25519_verify(Ed25519KeyPair::generate().public_key(), message, signature));
    EXPECT_FALSE(ed25519_verify(key.public_key(), message, ByteView(signature).first(63)));
}

TEST(Ed25519, Rfc8032TestVector1) {
    // RFC 8032 §7.1, TEST 1: empty message.
    const auto key = Ed25519KeyPair::from_seed(from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    EXPECT_EQ(key.public_key(), from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    EXPECT_EQ(key.sign({}), from_hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                                     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
}

TEST(Ed25519, KeyIdIsFirst8BytesOfSha256OfThePublicKeyInHex) {
    const auto key = Ed25519KeyPair::generate();
    EXPECT_EQ(key.key_id(), lower_hex(ByteView(sha256(key.public_key())).first(8)));
    EXPECT_EQ(key.key_id().size(), 16u);
    EXPECT_EQ(key.key_id(), ed25519_key_id(key.public_key()));
}

TEST(Ed25519, KeyFileRoundTripMode0600) {
    TempDir dir;
    const auto key = Ed25519KeyPair::generate();
    const auto path = std::filesystem::path(dir.path()) / "audit.key";
    write_ed25519_key_file(path, key, passphrase("twelve chars long"), fast_kdf);

    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    const std::string text = to_string(read_file(path));
    EXPECT_EQ(text.find(lower_hex(ByteView(key.sign({})).first(8))), std::string::npos);

    const auto loaded = read_ed25519_key_file(path, passphrase("twelve chars long"));
    EXPECT_EQ(loaded.public_key(), key.public_key());
    EXPECT_EQ(loaded.key_id(), key.key_id());
    EXPECT_EQ(loaded.sign(view(std::string("m"))), key.sign(view(std::string("m"))));  // deterministic
    EXPECT_EQ(read_ed25519_public_key(path), key.public_key());
}

TEST(Ed25519, WrongPassphraseShortPassphraseAndOverwriteAreRefused) {
    TempDir dir;
    const auto key = Ed25519KeyPair::generate();
    const auto path = std::filesystem::path(dir.path()) / "audit.key";
    EXPECT_THROW(write_ed25519_key_file(path, key, passphrase("short"), fast_kdf), InvalidArgument);
    EXPECT_FALSE(fs::exists(path));
    write_ed25519_key_file(path, key, passphrase("the right passphrase"), fast_kdf);
    try {
        read_ed25519_key_file(path, passphrase("the wrong passphrase"));
        FAIL() << "a wrong passphrase opened the key";
    } catch (const CryptoError& e) {
        EXPECT_NE(std::string(e.what()).find("wrong passphrase"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("the wrong passphrase"), std::string::npos) << "passphrase echoed";
    }
    EXPECT_THROW(write_ed25519_key_file(path, Ed25519KeyPair::generate(), passphrase("another passphrase"), fast_kdf),
                 InvalidArgument);
    EXPECT_EQ(read_ed25519_public_key(path), key.public_key());
}

TEST(Ed25519, DamagedOrForeignFilesAreRefused) {
    TempDir dir;
    const auto path = std::filesystem::path(dir.path()) / "audit.key";
    write_ed25519_key_file(path, Ed25519KeyPair::generate(), passphrase("the right passphrase"), fast_kdf);
    std::string text = to_string(read_file(path));
    // Flip one hex digit of the sealed seed: the secretbox tag must catch it.
    const auto sealed = text.find("sealed ") + 7 + 40;
    text[sealed] = text[sealed] == '0' ? '1' : '0';
    const auto damaged = std::filesystem::path(dir.path()) / "damaged.key";
    std::ofstream(damaged) << text;
    EXPECT_THROW(read_ed25519_key_file(damaged, passphrase("the right passphrase")), CryptoError);

    const auto foreign = std::filesystem::path(dir.path()) / "foreign.pem";
    std::ofstream(foreign) << "-----BEGIN PRIVATE KEY-----\n";
    EXPECT_THROW(read_ed25519_key_file(foreign, passphrase("the right passphrase")), ParseError);
}

}  // namespace
}  // namespace cccd::crypto
