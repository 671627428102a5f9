// Argon2id passwords through libsodium: hash, verify, wrong password, rehash when parameters change.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "base/error.hpp"
#include "server/security/password.hpp"

namespace cccd::server::security {
namespace {

// Cheap parameters so the suite stays fast; the defaults are measured once below.
const PasswordParams fast{1, 8u * 1024u * 1024u};

TEST(Password, HashVerifiesAndWrongPasswordDoesNot) {
    const std::string encoded = hash_password(password_from("correct horse battery"), fast);
    EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=8192,t=1,p=1$", 0), 0u) << encoded;
    EXPECT_TRUE(verify_password(encoded, password_from("correct horse battery")));
    EXPECT_FALSE(verify_password(encoded, password_from("correct horse batterY")));
    EXPECT_FALSE(verify_password(encoded, password_from("correct horse battery ")));
}

TEST(Password, SaltMakesEveryHashDifferent) {
    const auto a = hash_password(password_from("same password"), fast);
    const auto b = hash_password(password_from("same password"), fast);
    EXPECT_NE(a, b);
    EXPECT_TRUE(verify_password(b, password_from("same password")));
}

TEST(Password, MalformedHashIsNoMatchAndNeedsRehash) {
    EXPECT_FALSE(verify_password("", password_from("x")));
    EXPECT_FALSE(verify_password("$argon2id$v=19$garbage", password_from("x")));
    EXPECT_TRUE(password_needs_rehash("not a hash"));
    EXPECT_TRUE(password_needs_rehash(""));
}

TEST(Password, EmptyAndOverlongPasswordsAreRefused) {
    EXPECT_THROW(hash_password(SecretBytes{}, fast), InvalidArgument);
    EXPECT_THROW(hash_password(SecretBytes(Bytes(max_password_bytes + 1, 'a')), fast), InvalidArgument);
    const auto encoded = hash_password(password_from("p"), fast);
    EXPECT_FALSE(verify_password(encoded, SecretBytes(Bytes(max_password_bytes + 1, 'p'))));
}

TEST(Password, NeedsRehashWhenParametersChange) {
    const auto encoded = hash_password(password_from("officer password"), fast);
    EXPECT_FALSE(password_needs_rehash(encoded, fast));
    EXPECT_TRUE(password_needs_rehash(encoded, PasswordParams{2, fast.memlimit}));
    EXPECT_TRUE(password_needs_rehash(encoded, PasswordParams{fast.opslimit, 16u * 1024u * 1024u}));
    EXPECT_TRUE(password_needs_rehash(encoded));  // the production defaults differ from `fast`
}

TEST(Password, ArgonIHashesAreUpgradedToArgon2id) {
    // An argon2i string with the same cost numbers still needs a rehash: only Argon2id is current.
    const std::string argon2i = "$argon2i$v=19$m=8192,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
                                "2Jm0MEdFCgWgPzUUWnXIJBFSwMIzyezY5u32cVUrLQ0";
    EXPECT_TRUE(password_needs_rehash(argon2i, fast));
}

TEST(Password, DefaultParametersCostIsMeasured) {
    const auto start = std::chrono::steady_clock::now();
    const auto encoded = hash_password(password_from("measure the default cost"));
    const auto hashed = std::chrono::steady_clock::now();
    EXPECT_TRUE(verify_password(encoded, password_from("measure the default cost")));
    const auto verified = std::chrono::steady_clock::now();
    EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << encoded;
    EXPECT_FALSE(password_needs_rehash(encoded));
    using ms = std::chrono::milliseconds;
    std::printf("[ measured ] Argon2id t=3 m=64MiB: hash %lld ms, verify %lld ms\n",
                static_cast<long long>(std::chrono::duration_cast<ms>(hashed - start).count()),
                static_cast<long long>(std::chrono::duration_cast<ms>(verified - hashed).count()));
}

}  // namespace
}  // namespace cccd::server::security
