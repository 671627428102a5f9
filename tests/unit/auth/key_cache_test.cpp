// ActiveAuthKeyCache: one decoding per key, bounded, and a cached key verifies exactly as the bytes do.
#include <gtest/gtest.h>

#include "auth/key_cache.hpp"
#include "base/error.hpp"
#include "card/protocol/active_auth.hpp"
#include "tests/fixtures/test_pki.hpp"

namespace cccd::auth {
namespace {

Bytes spki_of(const crypto::PKeyPtr& key) { return protocol::encode_subject_public_key_info(key); }

TEST(ActiveAuthKeyCache, TheSameKeyIsDecodedOnce) {
    const Bytes spki = spki_of(fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1));
    ActiveAuthKeyCache cache(4);
    const auto first = cache.get(spki);
    const auto second = cache.get(spki);
    EXPECT_EQ(first.get(), second.get());
    EXPECT_EQ(cache.misses(), 1u);
    EXPECT_EQ(cache.hits(), 1u);
    EXPECT_EQ(cache.size(), 1u);
}

TEST(ActiveAuthKeyCache, TheLeastRecentlyUsedKeyLeavesWhenFull) {
    const Bytes a = spki_of(fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1));
    const Bytes b = spki_of(fixtures::make_key(fixtures::KeyKind::P256));
    const Bytes c = spki_of(fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1));
    ActiveAuthKeyCache cache(2);
    cache.get(a);
    cache.get(b);
    cache.get(a);  // a is now the most recent: b goes next
    cache.get(c);
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.misses(), 3u);
    cache.get(a);
    EXPECT_EQ(cache.misses(), 3u) << "a should still be there";
    cache.get(b);
    EXPECT_EQ(cache.misses(), 4u) << "b should have been evicted";
}

TEST(ActiveAuthKeyCache, GarbageIsRefusedAndNeverCached) {
    ActiveAuthKeyCache cache(4);
    const Bytes garbage{0x30, 0x03, 0x02, 0x01, 0x00};
    EXPECT_THROW(cache.get(garbage), ParseError);
    EXPECT_THROW(cache.get(garbage), ParseError);
    EXPECT_THROW(cache.get(Bytes{}), ParseError);
    EXPECT_EQ(cache.size(), 0u);
}

TEST(ActiveAuthKeyCache, ACachedKeyGivesTheSameVerdictsAsTheBytes) {
    const crypto::PKeyPtr chip = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const crypto::PKeyPtr other = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const Bytes spki = spki_of(chip);
    const Bytes challenge{1, 2, 3, 4, 5, 6, 7, 8};
    const Bytes good = protocol::sign_active_auth_ecdsa(chip, challenge, crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
    const Bytes forged = protocol::sign_active_auth_ecdsa(other, challenge, crypto::HashAlgorithm::Sha256, protocol::EcdsaEncoding::Plain);
    ActiveAuthKeyCache cache(4);
    for (int round = 0; round < 2; ++round) {  // decoded, then from the cache
        const auto key = cache.get(spki);
        EXPECT_TRUE(protocol::verify_active_auth(*key, challenge, good).ok);
        EXPECT_FALSE(protocol::verify_active_auth(*key, challenge, forged).ok);
        EXPECT_EQ(protocol::verify_active_auth(*key, challenge, good).ok, protocol::verify_active_auth(spki, challenge, good).ok);
    }
    EXPECT_THROW(protocol::verify_active_auth(*cache.get(spki), Bytes{1, 2, 3}, good), InvalidArgument);  // our own bad challenge
}

}  // namespace
}  // namespace cccd::auth
