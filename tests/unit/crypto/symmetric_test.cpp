// Key derivation and MAC vectors from ICAO 9303 Part 11 (Appendix D and G.1), see
// shared/reference/test-vectors.md §2 and §5.
#include "crypto/symmetric.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "crypto/hash.hpp"

using namespace cccd;
using namespace cccd::crypto;

TEST(Kdf, BacBasicAccessKeysFromKseed) {
    Bytes kseed = from_hex("239AB9CB282DAF66231DC5A4DF6BFBAE");
    EXPECT_EQ(to_hex(kdf(kseed, KdfCounter::Enc, KeyCipher::Tdes).view()), "AB94FDECF2674FDFB9B391F85D7F76F2");
    EXPECT_EQ(to_hex(kdf(kseed, KdfCounter::Mac, KeyCipher::Tdes).view()), "7962D9ECE03D1ACD4C76089DCE131543");
}

TEST(Kdf, BacSessionKeys) {
    Bytes seed = from_hex("0036D272F5C350ACAC50C3F572D23600");
    EXPECT_EQ(to_hex(kdf(seed, KdfCounter::Enc, KeyCipher::Tdes).view()), "979EC13B1CBFE9DCD01AB0FED307EAE5");
    EXPECT_EQ(to_hex(kdf(seed, KdfCounter::Mac, KeyCipher::Tdes).view()), "F1CB1F1FB5ADF208806B89DC579DC1F8");
}

TEST(Kdf, PacePasswordKeyAndSessionKeys) {
    Bytes pi = sha1(view(std::string("T22000129364081251010318")));
    EXPECT_EQ(to_hex(pi), "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD");
    EXPECT_EQ(to_hex(kdf(pi, KdfCounter::Password, KeyCipher::Aes128).view()), "89DED1B26624EC1E634C1989302849DD");
    Bytes k = from_hex("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925");
    EXPECT_EQ(to_hex(kdf(k, KdfCounter::Enc, KeyCipher::Aes128).view()), "F5F0E35C0D7161EE6724EE513A0D9A7F");
    EXPECT_EQ(to_hex(kdf(k, KdfCounter::Mac, KeyCipher::Aes128).view()), "FE251C7858B356B24514B3BD5F4297D1");
}

TEST(RetailMac, BacMutualAuthenticationMac) {
    Bytes kmac = from_hex("7962D9ECE03D1ACD4C76089DCE131543");
    Bytes eifd = from_hex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
    EXPECT_EQ(to_hex(retail_mac(kmac, pad_iso9797(eifd, 8))), "5F1448EEA8AD90A7");
}

TEST(TdesCbc, BacMutualAuthenticationCryptogram) {
    Bytes kenc = from_hex("AB94FDECF2674FDFB9B391F85D7F76F2");
    Bytes s = from_hex("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
    Bytes e = tdes_cbc_encrypt(kenc, s);
    EXPECT_EQ(to_hex(e), "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
    EXPECT_EQ(tdes_cbc_decrypt(kenc, e), s);
}

TEST(AesCmac, Sp800_38bExample) {
    // NIST SP 800-38B, AES-128 example 2.
    Bytes key = from_hex("2B7E151628AED2A6ABF7158809CF4F3C");
    Bytes msg = from_hex("6BC1BEE22E409F96E93D7E117393172A");
    EXPECT_EQ(to_hex(aes_cmac(key, msg)), "070A16B46B4D4144F79BDD9DD04A287C");
}

TEST(Padding, RoundTripsAndRefusesGarbage) {
    Bytes padded = pad_iso9797(from_hex("011E"), 8);
    EXPECT_EQ(to_hex(padded), "011E800000000000");
    EXPECT_EQ(to_hex(unpad_iso9797(padded)), "011E");
    EXPECT_THROW(unpad_iso9797(from_hex("0000000000000000")), ParseError);
    EXPECT_THROW(unpad_iso9797(from_hex("011E000000000001")), ParseError);
}

TEST(Ciphers, RefuseWrongSizes) {
    EXPECT_THROW(tdes_cbc_encrypt(Bytes(8, 0), Bytes(8, 0)), InvalidArgument);
    EXPECT_THROW(aes_cbc_encrypt(Bytes(16, 0), Bytes(15, 0)), InvalidArgument);
    EXPECT_THROW(aes_cmac(Bytes(15, 0), Bytes(1, 0)), InvalidArgument);
}
