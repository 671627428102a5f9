// DG14 as personalization writes it, read by an independent implementation: OpenPACE, the reference
// PACE/EAC library field terminals are built on, run as the external peer tests/peers/openpace_dg14.c
// (its own process; GPL code never links into ours). OpenPACE reads a Chip Authentication key only with
// explicit domain parameters, as ICAO 9303-11 §9.2 and §9.5.2 ask; the named form is what it refused.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <variant>

#include "card/lds/security_infos.hpp"
#include "card/perso/card_files.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/chip_auth.hpp"
#include "crypto/ec.hpp"
#include "crypto/keys.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cccd;

namespace {

#ifdef CCCD_OPENPACE_DG14_PEER
constexpr const char* kPeer = CCCD_OPENPACE_DG14_PEER;
#else
constexpr const char* kPeer = nullptr;
#endif

// The peer's exit status on `dg14`, asked to find the point `expected_point`: 0 when OpenPACE parsed
// DG14 and its Chip Authentication key is that point.
int openpace_reads(ByteView dg14, ByteView expected_point) {
    const cccd::testing::TempDir dir("cccd-openpace");
    std::ofstream(dir.file("DG14"), std::ios::binary)
        .write(reinterpret_cast<const char*>(dg14.data()), static_cast<std::streamsize>(dg14.size()));
    const std::string command = std::string("'") + kPeer + "' '" + dir.file("DG14") + "' " + to_hex(expected_point);
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct ChipKey {
    Bytes named;  // as the chip returns it from GENERATE KEY PAIR
    Bytes point;
};

ChipKey chip_key() {
    const auto key = crypto::generate_ec_key(crypto::EcGroup::by_name("brainpoolP256r1"));
    return {protocol::encode_subject_public_key_info(key), crypto::public_point_of(key.get())};
}

Bytes dg14_written_for(const ChipKey& ca) {
    const ChipKey aa = chip_key();
    return perso::build_card_files(fixtures::enrollment_record(fixtures::sample_citizen(), fixtures::sample_face_jpeg()),
                                   aa.named, ca.named)
        .files.at("DG14");
}

class OpenPace : public ::testing::Test {
protected:
    void SetUp() override {
        if (kPeer == nullptr) GTEST_SKIP() << "libeac (OpenPACE) is not installed: scripts/setup.sh installs it";
    }
};

TEST_F(OpenPace, ParsesTheDg14PersonalizationWritesAndFindsTheChipKey) {
    const ChipKey ca = chip_key();
    EXPECT_EQ(openpace_reads(dg14_written_for(ca), ca.point), 0);
}

TEST_F(OpenPace, FindsNoOtherKeyThanTheChipsOwn) {
    const ChipKey ca = chip_key();
    EXPECT_EQ(openpace_reads(dg14_written_for(ca), chip_key().point), 1);
}

// The DG14 the system wrote before: the same SecurityInfos with the key's curve named. OpenPACE refuses
// it, which is what the field reported and what this peer would catch again.
TEST_F(OpenPace, RefusesTheSameDg14WithTheCurveNamed) {
    const ChipKey ca = chip_key();
    lds::Dg14 dg14 = lds::decode_dg14(dg14_written_for(ca));
    for (auto& info : dg14.security_infos.infos) {
        if (auto* key = std::get_if<lds::ChipAuthenticationPublicKeyInfo>(&info)) key->public_key_info = ca.named;
    }
    EXPECT_NE(openpace_reads(lds::encode(dg14), ca.point), 0);
}

}  // namespace
