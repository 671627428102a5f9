#include "crypto/hash.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>

using namespace cccd;
using namespace cccd::crypto;

TEST(Hash, KnownDigests) {
    EXPECT_EQ(to_hex(sha1(view(std::string("abc")))), "A9993E364706816ABA3E25717850C26C9CD0D89D");
    EXPECT_EQ(to_hex(sha256(view(std::string("abc")))),
              "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
}

TEST(Hash, OidsAndOpenSslDigestsAgree) {
    for (auto a : {HashAlgorithm::Sha1, HashAlgorithm::Sha224, HashAlgorithm::Sha256, HashAlgorithm::Sha384,
                   HashAlgorithm::Sha512}) {
        EXPECT_EQ(hash_from_oid(hash_oid(a)), a);
        EXPECT_EQ(static_cast<std::size_t>(EVP_MD_get_size(evp_md(a))), digest_size(a));
        EXPECT_EQ(digest(a, {}).size(), digest_size(a));
    }
    EXPECT_FALSE(hash_from_oid("1.2.3").has_value());
}

TEST(Hash, EcdsaPlainSignatureOids) {
    EXPECT_EQ(ecdsa_plain_hash_from_oid("0.4.0.127.0.7.1.1.4.1.1"), HashAlgorithm::Sha1);
    EXPECT_EQ(ecdsa_plain_hash_from_oid("0.4.0.127.0.7.1.1.4.1.3"), HashAlgorithm::Sha256);
    EXPECT_EQ(ecdsa_plain_hash_from_oid("0.4.0.127.0.7.1.1.4.1.5"), HashAlgorithm::Sha512);
    EXPECT_FALSE(ecdsa_plain_hash_from_oid("0.4.0.127.0.7.1.1.4.1.6").has_value());
    EXPECT_FALSE(ecdsa_plain_hash_from_oid("0.4.0.127.0.7.1.1.4.1.31").has_value());
    EXPECT_FALSE(ecdsa_plain_hash_from_oid("1.2.840.10045.4.3.2").has_value());
}
