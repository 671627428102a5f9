// Elliptic curves for PACE and CA: the standardized domain parameters, fixed-width point encoding,
// validation of received points, ECDH and the Generic Mapping (ICAO 9303 Part 11 App. G.1 values).
#include "crypto/ec.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

using namespace cccd;
using namespace cccd::crypto;

namespace {
// App. G.1 (brainpoolP256r1): the terminal's and the chip's mapping keys, H and G~.
const char* kTerminalMapPrivate = "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99";
const char* kTerminalMapPublic =
    "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
    "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D";
const char* kChipMapPrivate = "498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560";
const char* kChipMapPublic =
    "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
    "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54";
const char* kH =
    "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
    "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181";
const char* kNonce = "3F00C4D39D153F2B2A214A078D899B22";
const char* kMappedGenerator =
    "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
    "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522";
const char* kChipEphPrivate = "107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A";
const char* kChipEphPublic =
    "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
    "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094";
const char* kTerminalEphPrivate = "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595";
const char* kTerminalEphPublic =
    "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
    "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462";
const char* kSharedSecret = "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925";
}  // namespace

TEST(EcGroup, StandardizedDomainParameterIds) {
    struct Expected {
        std::uint64_t id;
        const char* name;
        std::size_t field_size;
    };
    const Expected curves[] = {{8, "prime192v1", 24},       {9, "brainpoolP192r1", 24}, {10, "secp224r1", 28},
                               {11, "brainpoolP224r1", 28}, {12, "prime256v1", 32},     {13, "brainpoolP256r1", 32},
                               {14, "brainpoolP320r1", 40}, {15, "secp384r1", 48},      {16, "brainpoolP384r1", 48},
                               {17, "brainpoolP512r1", 64}, {18, "secp521r1", 66}};
    for (const auto& c : curves) {
        EcGroup g = EcGroup::by_parameter_id(c.id);
        EXPECT_EQ(g.name(), c.name) << c.id;
        EXPECT_EQ(g.field_size(), c.field_size) << c.id;
        EXPECT_EQ(g.generator().size(), 1 + 2 * c.field_size) << c.id;
    }
    // 0..7 are the DH groups and 19+ are unassigned: not elliptic curves.
    for (std::uint64_t id : {0u, 2u, 7u, 19u, 255u}) EXPECT_THROW(EcGroup::by_parameter_id(id), InvalidArgument) << id;
}

TEST(EcGroup, ByName) {
    EXPECT_EQ(EcGroup::by_name("brainpoolP256r1").nid(), EcGroup::by_parameter_id(13).nid());
    EXPECT_EQ(EcGroup::by_name("P-256").nid(), EcGroup::by_parameter_id(12).nid());
    EXPECT_EQ(EcGroup::by_name("prime256v1").nid(), EcGroup::by_parameter_id(12).nid());
    EXPECT_EQ(EcGroup::by_name("secp521r1").field_size(), 66u);
    EXPECT_THROW(EcGroup::by_name("curve-of-nobody"), InvalidArgument);
    EXPECT_THROW(EcGroup::by_name("sha256"), InvalidArgument);  // a known object that is no curve
}

TEST(EcPoints, KeyPairFromScalarMatchesTheWorkedExample) {
    EcGroup g = EcGroup::by_parameter_id(13);
    EcKeyPair terminal = key_pair_from_scalar(g, from_hex(kTerminalMapPrivate));
    EXPECT_EQ(to_hex(terminal.public_point), kTerminalMapPublic);
    EXPECT_EQ(to_hex(terminal.private_scalar.view()), kTerminalMapPrivate);
    EXPECT_EQ(to_hex(key_pair_from_scalar(g, from_hex(kChipMapPrivate)).public_point), kChipMapPublic);
}

TEST(EcPoints, CoordinatesKeepTheirLeadingZeroByte) {
    // 379 * G on P-256 has an x-coordinate starting with a zero byte (computed independently).
    EcGroup g = EcGroup::by_parameter_id(12);
    EcKeyPair k = key_pair_from_scalar(g, be_bytes(379, 32));
    EXPECT_EQ(to_hex(k.public_point),
              "04005543894AF3D00ED7D740ABDBD75C96B06877B787DB5F70EEA78B90A8D7C00A"
              "BB4C85A3D8EA29EFAAFA24406912DD84D5B14DC32BF656EF6C6BD58A5D943F92");
    // The same point decodes back and re-encodes to the same fixed-width bytes.
    EcPointPtr p = g.decode(k.public_point);
    EXPECT_EQ(g.encode(p.get()), k.public_point);
    // A peer that dropped the zero byte sent a 64-byte point: refused, not silently re-aligned.
    Bytes unpadded = k.public_point;
    unpadded.erase(unpadded.begin() + 1);
    EXPECT_THROW(g.decode(unpadded), ParseError);
}

TEST(EcPoints, SharedSecretKeepsItsLeadingZeroByte) {
    // x(0xC0FFEE * 344 * G) on P-256 starts with a zero byte (computed independently).
    EcGroup g = EcGroup::by_parameter_id(12);
    Bytes peer = from_hex(
        "04B84546839E502CD4DEBAE6811069707F1529BA444CA4B31DC5DE68EABD1FA011"
        "9226635A2016BB13FFCA2FA0AF15BF94812D113D49AC257EF7C82A152221D21C");
    EXPECT_EQ(to_hex(key_pair_from_scalar(g, be_bytes(344, 32)).public_point), to_hex(peer));
    SecretBytes k = ecdh_shared_secret(g, be_bytes(0xC0FFEE, 32), peer);
    ASSERT_EQ(k.size(), 32u);
    EXPECT_EQ(to_hex(k.view()), "00C4796B9D62D256B28B770872581C8D3FB2BD64D63D91F9CEA1991605735B1F");
}

TEST(EcPoints, DecodeRefusesEverythingButAValidUncompressedPoint) {
    EcGroup g = EcGroup::by_parameter_id(13);
    Bytes good = from_hex(kChipMapPublic);
    EXPECT_NO_THROW(g.decode(good));

    Bytes off_curve = good;
    off_curve.back() ^= 0x01;
    EXPECT_THROW(g.decode(off_curve), ParseError);

    Bytes compressed(good.begin(), good.begin() + 33);
    compressed[0] = static_cast<std::uint8_t>(0x02 + (good.back() & 1));
    EXPECT_THROW(g.decode(compressed), ParseError);

    Bytes wrong_prefix = good;
    wrong_prefix[0] = 0x06;  // "hybrid" form
    EXPECT_THROW(g.decode(wrong_prefix), ParseError);

    EXPECT_THROW(g.decode(Bytes{0x00}), ParseError);  // the point at infinity
    EXPECT_THROW(g.decode(Bytes(65, 0x00)), ParseError);
    EXPECT_THROW(g.decode({}), ParseError);
    Bytes zeros(65, 0x00);
    zeros[0] = 0x04;
    EXPECT_THROW(g.decode(zeros), ParseError);  // (0, 0) is not on brainpoolP256r1
    Bytes longer = good;
    longer.push_back(0x00);
    EXPECT_THROW(g.decode(longer), ParseError);

    // A valid P-256 point is not a brainpoolP256r1 point.
    EcGroup p256 = EcGroup::by_parameter_id(12);
    EXPECT_THROW(g.decode(p256.generator()), ParseError);

    // Coordinates must be below the field prime: x + p would otherwise alias x.
    Bytes too_big(65, 0xFF);
    too_big[0] = 0x04;
    EXPECT_THROW(g.decode(too_big), ParseError);
}

TEST(EcPoints, EcdhIsSymmetricAndRefusesBadPeerPoints) {
    EcGroup g = EcGroup::by_parameter_id(13);
    EcKeyPair a = generate_key_pair(g);
    EcKeyPair b = generate_key_pair(g);
    EXPECT_EQ(a.private_scalar.size(), 32u);
    EXPECT_NE(a.public_point, b.public_point);
    SecretBytes ab = ecdh_shared_secret(g, a.private_scalar.view(), b.public_point);
    SecretBytes ba = ecdh_shared_secret(g, b.private_scalar.view(), a.public_point);
    EXPECT_EQ(ab.size(), 32u);
    EXPECT_TRUE(ab == ba);

    Bytes off_curve = b.public_point;
    off_curve[10] ^= 0x40;
    EXPECT_THROW(ecdh_shared_secret(g, a.private_scalar.view(), off_curve), ParseError);
}

TEST(EcPoints, GenericMappingReproducesHAndTheMappedGenerator) {
    EcGroup g = EcGroup::by_parameter_id(13);
    // H is the same point from both sides.
    SecretBytes h_terminal = shared_point(g, from_hex(kTerminalMapPrivate), from_hex(kChipMapPublic));
    SecretBytes h_chip = shared_point(g, from_hex(kChipMapPrivate), from_hex(kTerminalMapPublic));
    EXPECT_EQ(to_hex(h_terminal.view()), kH);
    EXPECT_EQ(to_hex(h_chip.view()), kH);

    EXPECT_EQ(to_hex(mapped_generator(g, from_hex(kNonce), from_hex(kH))), kMappedGenerator);
    EXPECT_EQ(to_hex(generic_mapping(g, from_hex(kNonce), from_hex(kChipMapPrivate), from_hex(kTerminalMapPublic))),
              kMappedGenerator);

    // Key pairs on G~ and the ECDH on them.
    EcKeyPair chip = key_pair_from_scalar(g, from_hex(kChipEphPrivate), from_hex(kMappedGenerator));
    EcKeyPair terminal = key_pair_from_scalar(g, from_hex(kTerminalEphPrivate), from_hex(kMappedGenerator));
    EXPECT_EQ(to_hex(chip.public_point), kChipEphPublic);
    EXPECT_EQ(to_hex(terminal.public_point), kTerminalEphPublic);
    EXPECT_EQ(to_hex(ecdh_shared_secret(g, chip.private_scalar.view(), terminal.public_point).view()), kSharedSecret);
    EXPECT_EQ(to_hex(ecdh_shared_secret(g, terminal.private_scalar.view(), chip.public_point).view()), kSharedSecret);

    // A fresh key pair on G~ is a multiple of G~, not of G.
    EcKeyPair fresh = generate_key_pair(g, from_hex(kMappedGenerator));
    EXPECT_EQ(to_hex(key_pair_from_scalar(g, fresh.private_scalar.view(), from_hex(kMappedGenerator)).public_point),
              to_hex(fresh.public_point));
    EXPECT_NE(to_hex(key_pair_from_scalar(g, fresh.private_scalar.view()).public_point), to_hex(fresh.public_point));

    // An invalid H or generator is refused.
    Bytes bad_h = from_hex(kH);
    bad_h[5] ^= 0x01;
    EXPECT_THROW(mapped_generator(g, from_hex(kNonce), bad_h), ParseError);
    Bytes bad_generator = from_hex(kMappedGenerator);
    bad_generator.back() ^= 0x01;
    EXPECT_THROW(generate_key_pair(g, bad_generator), ParseError);
}

TEST(EcPoints, MappingToInfinityIsRefused) {
    // H = -s*G makes s*G + H the point at infinity; the mapping must fail rather than go on.
    EcGroup g = EcGroup::by_parameter_id(12);
    Bytes nonce = be_bytes(5, 16);
    Bytes s_g = key_pair_from_scalar(g, be_bytes(5, 32)).public_point;
    // -P = (x, p - y): n - 5 gives exactly that point.
    Bytes order = from_hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    order.back() = static_cast<std::uint8_t>(order.back() - 5);
    Bytes minus_s_g = key_pair_from_scalar(g, order).public_point;
    EXPECT_EQ(Bytes(minus_s_g.begin(), minus_s_g.begin() + 33), Bytes(s_g.begin(), s_g.begin() + 33));
    EXPECT_THROW(mapped_generator(g, nonce, minus_s_g), CryptoError);
}

TEST(EcPoints, RandomScalarsAreFullWidthAndDistinct) {
    EcGroup g = EcGroup::by_parameter_id(18);  // P-521: a 66-byte order
    SecretBytes a = g.random_scalar();
    SecretBytes b = g.random_scalar();
    EXPECT_EQ(a.size(), 66u);
    EXPECT_FALSE(a == b);
    EcKeyPair k = generate_key_pair(g);
    EXPECT_EQ(k.public_point.size(), 133u);
    EXPECT_NO_THROW(g.decode(k.public_point));
}

// An empty peer point once read as the generator: private * G is our own public key, which anyone can
// know, so the "shared" secret was public (found by Wycheproof's ecdh vectors, tcId 348).
TEST(EcPoints, AKeyAgreementWithAMissingPeerPointIsRefused) {
    const auto group = cccd::crypto::EcGroup::by_name("brainpoolP256r1");
    const auto own = cccd::crypto::generate_key_pair(group);
    EXPECT_THROW((void)cccd::crypto::ecdh_shared_secret(group, own.private_scalar.view(), {}), cccd::ParseError);
    EXPECT_THROW((void)cccd::crypto::shared_point(group, own.private_scalar.view(), {}), cccd::ParseError);
    EXPECT_THROW((void)cccd::crypto::generic_mapping(group, own.private_scalar.view(), own.private_scalar.view(), {}),
                 cccd::ParseError);
}
