// Wycheproof's ECDH vectors with raw points (as GENERAL AUTHENTICATE carries them) through the key
// agreement PACE and Chip Authentication run: every invalid public point is refused before a secret is
// derived.
#include <gtest/gtest.h>

#include <algorithm>

#include "base/error.hpp"
#include "card/protocol/chip_auth.hpp"
#include "crypto/ec.hpp"
#include "tests/unit/wycheproof/wycheproof.hpp"

namespace cccd::wycheproof {
namespace {

bool has_flag(const Case& c, std::string_view flag) { return std::find(c.flags.begin(), c.flags.end(), flag) != c.flags.end(); }

// Wycheproof writes the private key as a big-endian integer (a leading 00 when its top bit is set, fewer
// bytes when it is small); the project's scalars are exactly the order's length.
Bytes scalar_of(Bytes integer, std::size_t order_size) {
    while (integer.size() > order_size && integer.front() == 0) integer.erase(integer.begin());
    if (integer.size() < order_size) integer.insert(integer.begin(), order_size - integer.size(), 0);
    return integer;
}

TEST(Wycheproof, PaceAndChipAuthenticationKeyAgreementOnP256RawPoints) {
    const std::string file = "ecdh_secp256r1_ecpoint_test.json";
    Tally tally(file);
    const auto group = crypto::EcGroup::by_name("prime256v1");
    for (const Group& g : load(file)) {
        ASSERT_EQ(std::string(g.fields.at("curve").as_string()), "secp256r1");
        for (const Case& c : g.cases) {
            const Bytes scalar = scalar_of(c.hex("private"), group.order_size());
            bool accepted = false;
            bool refused_as_point = false;
            try {
                const SecretBytes secret = crypto::ecdh_shared_secret(group, scalar, c.hex("public"));
                accepted = secret.view().size() == c.hex("shared").size() && constant_time_equal(secret.view(), c.hex("shared"));
                // The Generic Mapping's H takes the same point through the same validation.
                EXPECT_NO_THROW((void)crypto::shared_point(group, scalar, c.hex("public"))) << c.id;
            } catch (const ParseError&) {
                refused_as_point = true;  // the point check, before any multiplication
            }
            if (c.result == Expected::Invalid) {
                EXPECT_TRUE(refused_as_point) << "tcId " << c.id << ": " << c.comment;
            }
            // Decided: a compressed point (Wycheproof: acceptable) is refused; PACE and Chip Authentication
            // carry uncompressed points (TR-03110, ICAO 9303 Part 11) and nothing decompresses one here.
            if (has_flag(c, "CompressedPublic")) {
                EXPECT_FALSE(accepted) << c.id;
            }
            tally.record(c, accepted);
        }
    }
    EXPECT_GT(tally.total(), 0);
    EXPECT_EQ(tally.acceptable_accepted(), 0);
}

// Chip Authentication's key agreement with the chip's key as DG14 carries it (SubjectPublicKeyInfo DER):
// the key read as the terminal reads it (protocol::chip_auth::read_chip_key), then the same validated ECDH.
TEST(Wycheproof, ChipAuthenticationKeyAgreementOnBrainpoolP256r1Keys) {
    const std::string file = "ecdh_brainpoolP256r1_test.json";
    Tally tally(file);
    const auto expected_group = crypto::EcGroup::by_name("brainpoolP256r1");
    int explicit_accepted = 0;
    for (const Group& g : load(file)) {
        for (const Case& c : g.cases) {
            bool accepted = false;
            try {
                const auto chip_key = protocol::chip_auth::read_chip_key(c.hex("public"));
                if (chip_key.group.nid() != expected_group.nid()) throw ParseError("another curve");
                const Bytes scalar = scalar_of(c.hex("private"), chip_key.group.order_size());
                const SecretBytes secret = crypto::ecdh_shared_secret(chip_key.group, scalar, chip_key.point);
                accepted = constant_time_equal(secret.view(), c.hex("shared"));
                // Whatever is read must give the right secret: nothing is accepted half-understood.
                EXPECT_TRUE(accepted) << "tcId " << c.id << " was read but gave another secret: " << c.comment;
            } catch (const Error&) {
                accepted = false;
            }
            if (accepted && has_flag(c, "UnnamedCurve")) ++explicit_accepted;
            tally.record(c, accepted);
        }
    }
    EXPECT_GT(tally.total(), 0);
    // Decided for the acceptable cases: a key is taken when it reads as a brainpoolP256r1 key, by name or
    // by explicit parameters that are exactly the curve's, and then gives the right secret; other
    // encodings (BER, unused parameters, compressed points) are refused as OpenSSL's DER decoder refuses
    // them.
    std::cout << "acceptable cases accepted: " << tally.acceptable_accepted() << " of " << tally.acceptable()
              << ", on explicit curve parameters: " << explicit_accepted << "\n";
}

}  // namespace
}  // namespace cccd::wycheproof
