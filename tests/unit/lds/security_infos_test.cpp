#include "card/lds/security_infos.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>
#include <iterator>

#include "base/error.hpp"
#include "card/lds/dg15.hpp"
#include "card/tlv/tlv.hpp"
#include "test_keys.hpp"

using namespace cccd;
using namespace cccd::lds;

namespace {
// EF.CardAccess of a real CCCD (cccd-chip.md): TAInfo v1, CAInfo id-CA-ECDH-AES-CBC-CMAC-128 v1,
// PACEInfo id-PACE-ECDH-GM-AES-CBC-CMAC-128 v2 with parameter 13.
const char* kCccdCardAccess =
    "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d";
// ICAO 9303 Part 11 App. G.1 (test-vectors.md §3.1).
const char* kIcaoCardAccess = "31143012060A04007F0007020204020202010202010D";
}  // namespace

TEST(SecurityInfos, DecodesRealCccdCardAccess) {
    Bytes bytes = from_hex(kCccdCardAccess);
    ASSERT_EQ(bytes.size(), 54u);
    CardAccess ca = decode_card_access(bytes);
    const auto& infos = ca.security_infos.infos;
    ASSERT_EQ(infos.size(), 3u);
    // Order as stored: TA, CA, PACE (not sorted).
    ASSERT_TRUE(std::holds_alternative<TerminalAuthenticationInfo>(infos[0]));
    EXPECT_EQ(std::get<TerminalAuthenticationInfo>(infos[0]).version, 1u);
    EXPECT_FALSE(std::get<TerminalAuthenticationInfo>(infos[0]).ef_cvca.has_value());
    ASSERT_TRUE(std::holds_alternative<ChipAuthenticationInfo>(infos[1]));
    const auto& cai = std::get<ChipAuthenticationInfo>(infos[1]);
    EXPECT_EQ(cai.protocol, "0.4.0.127.0.7.2.2.3.2.2");
    EXPECT_EQ(oid_name(cai.protocol), "id-CA-ECDH-AES-CBC-CMAC-128");
    EXPECT_EQ(cai.version, 1u);
    EXPECT_FALSE(cai.key_id.has_value());
    ASSERT_TRUE(std::holds_alternative<PaceInfo>(infos[2]));
    const auto& pace = std::get<PaceInfo>(infos[2]);
    EXPECT_EQ(pace.protocol, kPaceEcdhGmAes128);
    EXPECT_EQ(oid_name(pace.protocol), "id-PACE-ECDH-GM-AES-CBC-CMAC-128");
    EXPECT_EQ(pace.version, 2u);
    EXPECT_EQ(pace.parameter_id, 13u);
    EXPECT_EQ(standardized_domain_parameter_name(*pace.parameter_id), "brainpoolP256r1");
    EXPECT_EQ(security_info_type_name(infos[2]), "PACEInfo");
    EXPECT_EQ(protocol_of(infos[0]), "0.4.0.127.0.7.2.2.2");
    EXPECT_EQ(encode(ca), bytes);
    EXPECT_EQ(decode_card_access(encode(ca)), ca);
    EXPECT_EQ(ca.security_infos.all<PaceInfo>().size(), 1u);
}

TEST(SecurityInfos, TestDataFileIsTheRealCardAccess) {
    std::ifstream in(std::string(CCCD_TEST_DATA_DIR) + "/card_access_cccd.bin", std::ios::binary);
    ASSERT_TRUE(in.good());
    Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(file, from_hex(kCccdCardAccess));
    EXPECT_EQ(encode(decode_card_access(file)), file);
}

TEST(SecurityInfos, DecodesIcaoAppendixG1CardAccess) {
    Bytes bytes = from_hex(kIcaoCardAccess);
    SecurityInfos s = decode_security_infos(bytes);
    ASSERT_EQ(s.infos.size(), 1u);
    const auto& pace = std::get<PaceInfo>(s.infos[0]);
    EXPECT_EQ(pace.protocol, "0.4.0.127.0.7.2.2.4.2.2");
    EXPECT_EQ(pace.version, 2u);
    EXPECT_EQ(pace.parameter_id, 13u);
    EXPECT_EQ(encode(s), bytes);
}

TEST(SecurityInfos, BuildsTheCccdCardAccess) {
    SecurityInfos s;
    s.infos.push_back(TerminalAuthenticationInfo{1, std::nullopt});
    s.infos.push_back(ChipAuthenticationInfo{std::string(kCaEcdhAes128), 1, std::nullopt});
    s.infos.push_back(PaceInfo{std::string(kPaceEcdhGmAes128), 2, 13});
    EXPECT_EQ(to_hex(encode(s)), to_hex(from_hex(kCccdCardAccess)));
}

TEST(SecurityInfos, KeepsUnknownInfosAndOptionalFieldsExactly) {
    // PACEDomainParameterInfo (id-PACE-ECDH-GM without cipher arc) is kept raw, as is an unknown OID;
    // PACEInfo without parameterId, CAInfo with keyId, TAInfo with an efCVCA FileID.
    Bytes unknown1 = tlv::encode_constructed(0x30, {tlv::asn1::encode_oid("0.4.0.127.0.7.2.2.4.2"), from_hex("3003020101"),
                                                    from_hex("02010D")});
    Bytes unknown2 = tlv::encode_constructed(0x30, {tlv::asn1::encode_oid("1.2.3.4"), from_hex("0500")});
    Bytes pace = tlv::encode_constructed(0x30, {tlv::asn1::encode_oid("0.4.0.127.0.7.2.2.4.4.4"), from_hex("020102")});
    Bytes ca = tlv::encode_constructed(0x30, {tlv::asn1::encode_oid("0.4.0.127.0.7.2.2.3.2.4"), from_hex("020101"),
                                              from_hex("02020100")});
    Bytes ta = tlv::encode_constructed(0x30, {tlv::asn1::encode_oid("0.4.0.127.0.7.2.2.2"), from_hex("020102"),
                                              from_hex("3004040201 1C")});
    Bytes bytes = tlv::encode(0x31, concat({unknown1, pace, unknown2, ca, ta}));
    SecurityInfos s = decode_security_infos(bytes);
    ASSERT_EQ(s.infos.size(), 5u);
    EXPECT_EQ(std::get<UnknownSecurityInfo>(s.infos[0]).der, unknown1);
    EXPECT_EQ(std::get<UnknownSecurityInfo>(s.infos[0]).protocol, "0.4.0.127.0.7.2.2.4.2");
    EXPECT_FALSE(std::get<PaceInfo>(s.infos[1]).parameter_id.has_value());
    EXPECT_EQ(oid_name(std::get<PaceInfo>(s.infos[1]).protocol), "id-PACE-ECDH-IM-AES-CBC-CMAC-256");
    EXPECT_EQ(std::get<UnknownSecurityInfo>(s.infos[2]).protocol, "1.2.3.4");
    EXPECT_EQ(std::get<ChipAuthenticationInfo>(s.infos[3]).key_id, 256u);
    EXPECT_EQ(to_hex(*std::get<TerminalAuthenticationInfo>(s.infos[4]).ef_cvca), "30040402011C");
    // Read in the order found; written back in DER order, every entry byte for byte.
    const Bytes der = tlv::encode_set_of({unknown1, pace, unknown2, ca, ta});
    EXPECT_NE(der, bytes);
    EXPECT_EQ(encode(s), der);
    EXPECT_EQ(encode(decode_security_infos(der)), der);
}

TEST(SecurityInfos, Dg14WithCaKeyCaInfoAndAaInfoRoundTrips) {
    Dg14 dg14;
    ChipAuthenticationPublicKeyInfo pk;
    pk.protocol = std::string(kPkEcdh);
    pk.public_key_info = test::ec_spki("brainpoolP256r1", true);
    pk.key_id = 1;
    dg14.security_infos.infos.push_back(pk);
    dg14.security_infos.infos.push_back(ChipAuthenticationInfo{std::string(kCaEcdhAes128), 1, 1});
    dg14.security_infos.infos.push_back(ActiveAuthenticationInfo{1, "0.4.0.127.0.7.1.1.4.1.3"});
    Bytes bytes = encode(dg14);
    EXPECT_EQ(bytes[0], 0x6E);
    Dg14 back = decode_dg14(bytes);
    ASSERT_EQ(back.security_infos.infos.size(), dg14.security_infos.infos.size());
    for (const auto& info : dg14.security_infos.infos) {  // every entry, in DER order rather than as added
        EXPECT_NE(std::find(back.security_infos.infos.begin(), back.security_infos.infos.end(), info),
                  back.security_infos.infos.end());
    }
    EXPECT_EQ(encode(back), bytes);
    auto keys = back.security_infos.all<ChipAuthenticationPublicKeyInfo>();
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(oid_name(keys[0].protocol), "id-PK-ECDH");
    auto described = describe_public_key(keys[0].public_key_info);
    EXPECT_EQ(described.type, "EC");
    EXPECT_EQ(described.bits, 256);
    auto aa = back.security_infos.all<ActiveAuthenticationInfo>();
    ASSERT_EQ(aa.size(), 1u);
    EXPECT_EQ(oid_name(aa[0].signature_algorithm), "ecdsa-plain-SHA256");
}

TEST(SecurityInfos, NamesDomainParameters) {
    EXPECT_EQ(standardized_domain_parameter_name(12), "NIST P-256 (secp256r1)");
    EXPECT_EQ(standardized_domain_parameter_name(16), "brainpoolP384r1");
    EXPECT_EQ(standardized_domain_parameter_name(18), "NIST P-521 (secp521r1)");
    EXPECT_EQ(standardized_domain_parameter_name(5), "");
    EXPECT_EQ(oid_name("1.2.3"), "");
}

TEST(SecurityInfos, RefusesMalformedInput) {
    Bytes good = from_hex(kCccdCardAccess);
    EXPECT_THROW(decode_card_access(Bytes(good.begin(), good.end() - 1)), ParseError);  // truncated
    Bytes wrong_tag = good;
    wrong_tag[0] = 0x30;
    EXPECT_THROW(decode_card_access(wrong_tag), ParseError);
    Bytes trailing = good;
    trailing.push_back(0x00);
    EXPECT_THROW(decode_card_access(trailing), ParseError);
    Bytes overlong = good;
    overlong[1] = 0x35;
    EXPECT_THROW(decode_card_access(overlong), ParseError);
    EXPECT_THROW(decode_card_access(Bytes{}), ParseError);
    // PACEInfo whose version is an OCTET STRING.
    EXPECT_THROW(decode_security_infos(from_hex("31143012060A04007F0007020204020204010202010D")), ParseError);
    // PACEInfo with an extra element after parameterId.
    EXPECT_THROW(decode_security_infos(from_hex("31173015060A04007F0007020204020202010202010D020100")), ParseError);
    // PACEInfo with a negative version.
    EXPECT_THROW(decode_security_infos(from_hex("31143012060A04007F000702020402020201FF02010D")), ParseError);
    // A SecurityInfo that is not a SEQUENCE, and one without an OID.
    EXPECT_THROW(decode_security_infos(from_hex("3103020101")), ParseError);
    EXPECT_THROW(decode_security_infos(from_hex("31053003020101")), ParseError);
    // ActiveAuthenticationInfo without its signature algorithm.
    EXPECT_THROW(decode_security_infos(tlv::encode(0x31, tlv::encode_constructed(0x30, {tlv::asn1::encode_oid("2.23.136.1.1.5"), from_hex("020101")}))),
                 ParseError);
    // DG14 with the wrong outer tag, and DG14 whose content is not a SET.
    Bytes dg14 = tlv::encode(0x6E, good);
    EXPECT_NO_THROW(decode_dg14(dg14));
    dg14[0] = 0x6F;
    EXPECT_THROW(decode_dg14(dg14), ParseError);
    EXPECT_THROW(decode_dg14(tlv::encode(0x6E, tlv::encode(0x30, ByteView(good).subspan(2)))), ParseError);
}

TEST(SecurityInfos, RefusesToEncodeInconsistentValues) {
    SecurityInfos s;
    s.infos.push_back(PaceInfo{"1.2.3", 2, 13});
    EXPECT_THROW(encode(s), InvalidArgument);
    SecurityInfos k;
    k.infos.push_back(ChipAuthenticationPublicKeyInfo{std::string(kPkEcdh), from_hex("0400"), std::nullopt});
    EXPECT_THROW(encode(k), InvalidArgument);
}
