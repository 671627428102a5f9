// What personalization writes is strict DER (every SET in DER order), advertises only what the chip
// does, and reads back unchanged in every BER form a chip might serve it in.
#include <gtest/gtest.h>

#include <variant>

#include "card/lds/dg1.hpp"
#include "card/lds/dg13.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/dg2.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/security_infos.hpp"
#include "card/perso/card_files.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/ec.hpp"
#include "crypto/keys.hpp"
#include "tests/fixtures/profile_records.hpp"
#include "tests/fixtures/sample_card.hpp"

using namespace cccd;

namespace {

// The chip's two public keys as a chip returns them from GENERATE KEY PAIR: named-curve form.
struct ChipKeys {
    Bytes active_auth;
    Bytes chip_auth;
};

const ChipKeys& chip_keys() {
    static const ChipKeys keys = [] {
        const auto group = crypto::EcGroup::by_name("brainpoolP256r1");
        return ChipKeys{protocol::encode_subject_public_key_info(crypto::generate_ec_key(group)),
                        protocol::encode_subject_public_key_info(crypto::generate_ec_key(group))};
    }();
    return keys;
}

perso::CardFiles build(ByteView chip_auth_key) {
    return perso::build_card_files(fixtures::enrollment_record(fixtures::sample_citizen(), fixtures::sample_face_jpeg()),
                                   chip_keys().active_auth, chip_auth_key);
}

const perso::CardFiles& written() {
    static const perso::CardFiles files = build(chip_keys().chip_auth);
    return files;
}

Bytes written_chip_auth_key(const perso::CardFiles& files) {
    const auto keys = lds::decode_dg14(files.files.at("DG14")).security_infos.all<lds::ChipAuthenticationPublicKeyInfo>();
    EXPECT_EQ(keys.size(), 1u);
    return keys.empty() ? Bytes{} : keys.front().public_key_info;
}

// The AlgorithmIdentifier's parameters of a SubjectPublicKeyInfo: an OID for a named curve, a SEQUENCE
// (ECParameters) for explicit domain parameters.
tlv::Tag curve_form(ByteView spki) {
    tlv::Reader outer(tlv::read_single(spki, tlv::asn1::kSequence).value);
    tlv::Reader algorithm(outer.expect(tlv::asn1::kSequence).value);
    (void)algorithm.expect(tlv::asn1::kOid);
    return algorithm.next().tag;
}

enum class BerForm { LongLengths, Indefinite, ConstructedStrings };

Bytes long_length(std::size_t size) {
    return {0x84, static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16),
            static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)};
}

// The same data objects in a BER form DER does not allow: every length in the 4-byte long form, every
// constructed value with an indefinite length, or every UTF8String split into two constructed segments.
Bytes as_ber(ByteView der, BerForm form) {
    Bytes out;
    tlv::Reader r(der);
    while (!r.at_end()) {
        const tlv::Element e = r.next();
        append(out, tlv::encode_tag(e.tag));
        if (e.constructed()) {
            const Bytes inner = as_ber(e.value, form);
            if (form == BerForm::Indefinite) {
                out.push_back(0x80);
                append(out, inner);
                append(out, Bytes{0x00, 0x00});
            } else {
                append(out, form == BerForm::LongLengths ? long_length(inner.size()) : tlv::encode_length(inner.size()));
                append(out, inner);
            }
        } else if (form == BerForm::ConstructedStrings && e.tag == tlv::asn1::kUtf8String && e.value.size() >= 2) {
            out.back() = 0x2C;  // the constructed UTF8String, with an indefinite length
            out.push_back(0x80);
            const std::size_t half = e.value.size() / 2;
            append(out, tlv::encode(tlv::asn1::kUtf8String, e.value.first(half)));
            append(out, tlv::encode(tlv::asn1::kUtf8String, e.value.subspan(half)));
            append(out, Bytes{0x00, 0x00});
        } else {
            append(out, form == BerForm::LongLengths ? long_length(e.value.size()) : tlv::encode_length(e.value.size()));
            append(out, e.value);
        }
    }
    return out;
}

// DG13 with the elements of its SET in DER order instead of ascending field number.
Bytes dg13_with_der_ordered_set(ByteView dg13) {
    const tlv::Element outer = tlv::read_single(dg13, 0x6D);
    tlv::Reader r(tlv::read_single(outer.value, tlv::asn1::kSequence).value);
    const tlv::Element version = r.next();
    const tlv::Element charset = r.next();
    std::vector<Bytes> fields;
    for (const tlv::Element& f : tlv::read_all(r.expect(tlv::asn1::kSet).value)) fields.emplace_back(f.raw.begin(), f.raw.end());
    return tlv::encode(0x6D, tlv::encode_constructed(tlv::asn1::kSequence, {version.raw, charset.raw, tlv::encode_set_of(fields)}));
}

TEST(WrittenFiles, EveryFilePersonalizationWritesIsStrictDer) {
    for (const auto& [name, bytes] : written().files) {
        if (name == "DG13") continue;
        EXPECT_EQ(tlv::der_problem(bytes), std::nullopt) << name;
    }
}

// The one deliberate exception: DG13 keeps its fields in ascending number, as every real CCCD writes it
// (cccd-chip.md) and as the readers built against those cards expect; everything else in it is DER.
TEST(WrittenFiles, Dg13KeepsTheFieldOrderOfRealCardsAndIsOtherwiseDer) {
    const Bytes& dg13 = written().files.at("DG13");
    EXPECT_EQ(tlv::der_problem(dg13_with_der_ordered_set(dg13)), std::nullopt);
    const lds::Dg13 decoded = lds::decode_dg13(dg13);
    for (std::size_t i = 1; i < decoded.fields.size(); ++i) EXPECT_LT(decoded.fields[i - 1].number, decoded.fields[i].number);
}

TEST(WrittenFiles, TheSecurityInfosAreInDerOrderWhateverOrderTheyWereAddedIn) {
    lds::SecurityInfos infos;
    infos.infos.emplace_back(lds::PaceInfo{});
    infos.infos.emplace_back(lds::ChipAuthenticationInfo{});
    const Bytes forward = lds::encode(infos);
    std::swap(infos.infos[0], infos.infos[1]);
    EXPECT_EQ(lds::encode(infos), forward);
    EXPECT_EQ(tlv::der_problem(forward), std::nullopt);
}

TEST(WrittenFiles, EfCardAccessAdvertisesOnlyWhatTheChipDoes) {
    const lds::CardAccess access = lds::decode_card_access(written().files.at("EF.CardAccess"));
    bool pace = false, chip_authentication = false;
    for (const auto& info : access.security_infos.infos) {
        EXPECT_FALSE(std::holds_alternative<lds::TerminalAuthenticationInfo>(info)) << "no Terminal Authentication here";
        pace = pace || std::holds_alternative<lds::PaceInfo>(info);
        chip_authentication = chip_authentication || std::holds_alternative<lds::ChipAuthenticationInfo>(info);
    }
    EXPECT_TRUE(pace);
    EXPECT_TRUE(chip_authentication);
}

// ICAO 9303-11 §9.2: "ChipAuthenticationPublicKeyInfo using explicit domain parameters"; §9.5.2 and
// BSI TR-03110 Part 3 §A.2.1.2: named curves MUST NOT be used. OpenPACE parses nothing else.
TEST(WrittenFiles, Dg14CarriesTheChipAuthenticationKeyWithExplicitDomainParameters) {
    const Bytes key = written_chip_auth_key(written());
    EXPECT_EQ(curve_form(chip_keys().chip_auth), tlv::asn1::kOid) << "the chip returned the named form";
    EXPECT_EQ(curve_form(key), tlv::asn1::kSequence) << "DG14 spells the curve out";
    EXPECT_EQ(key, protocol::chip_auth::encode_chip_key(chip_keys().chip_auth));
    EXPECT_EQ(tlv::der_problem(key), std::nullopt);
    // The same curve and point as the chip's key, read as any terminal reads it.
    const auto back = protocol::chip_auth::read_chip_key(key);
    const auto given = protocol::chip_auth::read_chip_key(chip_keys().chip_auth);
    EXPECT_EQ(back.group.nid(), given.group.nid());
    EXPECT_EQ(back.point, given.point);
    // OpenSSL's strict decoder takes it, to the last byte.
    EXPECT_EQ(protocol::encode_subject_public_key_info(crypto::parse_public_key(key)), key);
}

// The key read back from DG14 (explicit) rebuilds the same DG14: personalization's step 8 and the
// server's signing step compare what they rebuild with what the chip holds.
TEST(WrittenFiles, TheKeyAsDg14CarriesItRebuildsTheSameDg14) {
    EXPECT_EQ(build(written_chip_auth_key(written())).files.at("DG14"), written().files.at("DG14"));
}

// DG15 keeps the named curve: ICAO 9303-11 §6.1.5 gives DG15 the SubjectPublicKeyInfo of RFC 5280, whose
// EC profile (RFC 5480 §2.1.1) names the curve; every reader parses it, and the explicit rule of §9.5.2
// is for the domain parameters of PACE and Chip Authentication.
TEST(WrittenFiles, Dg15KeepsTheActiveAuthenticationKeyAsTheChipGaveIt) {
    const Bytes key = lds::decode_dg15(written().files.at("DG15")).public_key_info;
    EXPECT_EQ(key, chip_keys().active_auth);
    EXPECT_EQ(curve_form(key), tlv::asn1::kOid);
}

class BerReadBack : public ::testing::TestWithParam<BerForm> {};

TEST_P(BerReadBack, EveryFileReadsBackToWhatItsDerGives) {
    const auto& f = written().files;
    const auto ber = [&](const std::string& name) {
        Bytes b = as_ber(f.at(name), GetParam());
        if (GetParam() != BerForm::ConstructedStrings || name == "DG13") {
            EXPECT_NE(b, f.at(name)) << name << ": the BER form is not different";
        }
        return b;
    };
    EXPECT_EQ(lds::decode_ef_com(ber("EF.COM")), lds::decode_ef_com(f.at("EF.COM")));
    EXPECT_EQ(lds::decode_dg1(ber("DG1")), lds::decode_dg1(f.at("DG1")));
    EXPECT_EQ(lds::decode_dg2(ber("DG2")), lds::decode_dg2(f.at("DG2")));
    EXPECT_EQ(lds::decode_dg13(ber("DG13")), lds::decode_dg13(f.at("DG13")));
    EXPECT_EQ(lds::decode_card_access(ber("EF.CardAccess")), lds::decode_card_access(f.at("EF.CardAccess")));
    // The keys' SubjectPublicKeyInfo is kept as read: the same key, described the same.
    const lds::Dg15 dg15 = lds::decode_dg15(ber("DG15"));
    EXPECT_EQ(lds::describe_public_key(dg15.public_key_info).summary(),
              lds::describe_public_key(lds::decode_dg15(f.at("DG15")).public_key_info).summary());
    const lds::Dg14 dg14 = lds::decode_dg14(ber("DG14"));
    EXPECT_EQ(dg14.security_infos.infos.size(), lds::decode_dg14(f.at("DG14")).security_infos.infos.size());
}

INSTANTIATE_TEST_SUITE_P(Forms, BerReadBack,
                         ::testing::Values(BerForm::LongLengths, BerForm::Indefinite, BerForm::ConstructedStrings),
                         [](const auto& form) {
                             switch (form.param) {
                                 case BerForm::LongLengths: return std::string("LongLengths");
                                 case BerForm::Indefinite: return std::string("Indefinite");
                                 case BerForm::ConstructedStrings: return std::string("ConstructedStrings");
                             }
                             return std::string("?");
                         });

}  // namespace

// The card profile decides DG2 (identity/card_profile.hpp): the face for cccd-2021 and cc-2024; for
// cc-2024-u6 no DG2 at all, listed in neither EF.COM nor the LDSSecurityObject.
TEST(WrittenFiles, ACardWithoutAPhotoHasNoDg2AnywhereAndOneWithAPhotoHasItEverywhere) {
    const auto listed_in_com = [](const perso::CardFiles& files) {
        return lds::decode_ef_com(files.files.at("EF.COM")).listed_files();
    };
    const auto hashed = [](const perso::CardFiles& files) {
        std::vector<int> numbers;
        for (const auto& h : files.security_object.data_group_hashes) numbers.push_back(h.number);
        return numbers;
    };
    using lds::LdsFile;
    const perso::CardFiles child =
        perso::build_card_files(fixtures::child_under_6_record(), chip_keys().active_auth, chip_keys().chip_auth);
    EXPECT_FALSE(child.files.contains("DG2"));
    EXPECT_FALSE(child.data_groups.contains(2));
    EXPECT_EQ(listed_in_com(child), (std::vector<LdsFile>{LdsFile::Dg1, LdsFile::Dg13, LdsFile::Dg14, LdsFile::Dg15}));
    EXPECT_EQ(hashed(child), (std::vector<int>{1, 13, 14, 15}));

    const perso::CardFiles renewal = perso::build_card_files(fixtures::renewal_2024_record(fixtures::sample_face_jpeg()),
                                                             chip_keys().active_auth, chip_keys().chip_auth);
    EXPECT_EQ(renewal.files.at("DG2"), written().files.at("DG2")) << "the same face, the same DG2";
    EXPECT_EQ(listed_in_com(renewal),
              (std::vector<LdsFile>{LdsFile::Dg1, LdsFile::Dg2, LdsFile::Dg13, LdsFile::Dg14, LdsFile::Dg15}));
    EXPECT_EQ(hashed(renewal), (std::vector<int>{1, 2, 13, 14, 15}));
    EXPECT_EQ(listed_in_com(written()), listed_in_com(renewal));
}
