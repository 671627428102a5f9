// Six EF.SODs read from real passports (../shared/data/real-sod, README there) against the German CSCA
// master list: what issuers in the field sign, as their chips serve it (NZ's in BER, indefinite lengths).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::pa {
namespace {

const std::filesystem::path kShared = std::filesystem::path(CCCD_SHARED_DIR) / "data";
const std::time_t kIn2026 = utc_time(2026, 6, 1);

const TrustStore& german_master_list() {
    static const TrustStore store = [] {
        auto root = certificates_from_bytes(read_file(kShared / "csca" / "DE_csca-germany_2024.cer"));
        TrustStore s;
        auto result = s.add_master_list_file(kShared / "csca" / "DE_masterlist_2026-05-28.ml", {root.at(0).get()}, kIn2026);
        if (!result.verified) throw Error("the master list did not verify: " + result.reason);
        return s;
    }();
    return store;
}

class RealSod : public ::testing::TestWithParam<std::string> {};

TEST_P(RealSod, PassesStructureSignatureTrustAndValidityAgainstTheMasterList) {
    const Bytes sod = read_file(kShared / "real-sod" / (GetParam() + ".EF.SOD"));
    const Report report = verify({}, sod, german_master_list(), kIn2026);
    for (const auto name : {kCheckSodStructure, kCheckSodSignature, kCheckDsTrusted, kCheckDsValidity}) {
        const Check* check = report.find(name);
        ASSERT_NE(check, nullptr) << name;
        EXPECT_EQ(check->verdict, Verdict::Pass) << GetParam() << " " << name << ": " << check->reason;
    }
    EXPECT_TRUE(report.passed());
    EXPECT_FALSE(report.csca_subject.empty());
    // What it lists: a hash per data group, none of which can be checked without the groups.
    const lds::Sod decoded = lds::parse_sod(sod);
    EXPECT_FALSE(decoded.security_object.data_group_hashes.empty());
    EXPECT_TRUE(decoded.security_object.known_hash().has_value());
}

INSTANTIATE_TEST_SUITE_P(SixPassports, RealSod, ::testing::Values("AT", "DE", "FR", "NZ", "UK", "US"));

TEST(RealSod, NewZealandsIsBerWithIndefiniteLengthsWhichDerRefusesAndTheReaderAccepts) {
    const Bytes sod = read_file(kShared / "real-sod" / "NZ.EF.SOD");
    EXPECT_EQ(tlv::der_problem(sod).value_or(""), "at offset 4: an indefinite length");
    EXPECT_NO_THROW((void)lds::parse_sod(sod));
}

}  // namespace
}  // namespace cccd::pa
