#include "card/protocol/chip_auth.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>

#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/ec.hpp"
#include "tests/fixtures/test_pki.hpp"

using namespace cccd;
using namespace cccd::protocol;

TEST(ChipAuthentication, BothSidesDeriveTheSameKeysAndTheSessionWorks) {
    for (auto kind : {fixtures::KeyKind::BrainpoolP256r1, fixtures::KeyKind::P256}) {
        crypto::PKeyPtr chip_key = fixtures::make_key(kind);
        Bytes spki = encode_subject_public_key_info(chip_key);
        auto request = chip_auth::terminal_request(chip_auth::kEcdhAes128, spki, 1);

        auto parsed = chip_auth::decode_mse_set_at(request.mse_set_at);
        EXPECT_EQ(parsed.protocol_oid, chip_auth::kEcdhAes128);
        EXPECT_EQ(parsed.key_id, 1u);
        Bytes point = chip_auth::decode_general_authenticate(request.general_authenticate);
        EXPECT_EQ(chip_auth::decode_mse_set_kat(request.mse_set_kat).first, point);

        AesSessionKeys chip = chip_auth::chip_derive_keys(parsed.protocol_oid, chip_key.get(), point);
        EXPECT_EQ(chip.ks_enc, request.keys.ks_enc);
        EXPECT_EQ(chip.ks_mac, request.keys.ks_mac);

        auto terminal_sm = request.keys.open();
        auto chip_sm = chip.open();
        auto plain = chip_sm.unwrap_command(terminal_sm.wrap(apdu::read_binary(0, 4)));
        EXPECT_EQ(plain, apdu::read_binary(0, 4));
    }
}

TEST(ChipAuthentication, FixedEphemeralKeyGivesTheEcdhOfTheChipKey) {
    crypto::PKeyPtr chip_key = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    auto group = crypto::EcGroup::of_key(chip_key.get());
    Bytes eph = from_hex("107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A");
    auto request = chip_auth::terminal_request(chip_auth::kEcdhAes256, encode_subject_public_key_info(chip_key),
                                               std::nullopt, eph);
    SecretBytes k = crypto::ecdh_shared_secret(group, eph, crypto::public_point_of(chip_key.get()));
    EXPECT_EQ(request.keys.ks_enc, crypto::kdf(k.view(), crypto::KdfCounter::Enc, crypto::KeyCipher::Aes256));
    EXPECT_EQ(request.keys.ks_enc.size(), 32u);
}

TEST(ChipAuthentication, RefusesInvalidPointsWrongCurvesAndBadKeys) {
    crypto::PKeyPtr chip_key = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    crypto::PKeyPtr other_curve = fixtures::make_key(fixtures::KeyKind::P256);
    auto request = chip_auth::terminal_request(chip_auth::kEcdhAes128, encode_subject_public_key_info(other_curve));
    Bytes point = chip_auth::decode_general_authenticate(request.general_authenticate);
    EXPECT_THROW(chip_auth::chip_derive_keys(chip_auth::kEcdhAes128, chip_key.get(), point), ProtocolError);
    point.back() ^= 0x01;
    EXPECT_THROW(chip_auth::chip_derive_keys(chip_auth::kEcdhAes128, chip_key.get(), point), ProtocolError);
    EXPECT_THROW(chip_auth::terminal_request(chip_auth::kEcdhAes128, from_hex("3000")), ProtocolError);
    crypto::PKeyPtr rsa = fixtures::make_key(fixtures::KeyKind::Rsa2048);
    EXPECT_THROW(chip_auth::terminal_request(chip_auth::kEcdhAes128, encode_subject_public_key_info(rsa)), ProtocolError);
    EXPECT_THROW(chip_auth::terminal_request("1.2.3", encode_subject_public_key_info(chip_key)), InvalidArgument);
    EXPECT_THROW(chip_auth::decode_general_authenticate(from_hex("7C0281")), ParseError);
}

TEST(ChipAuthentication, RequestDataObjectsByteForByte) {
    crypto::PKeyPtr chip_key = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    Bytes eph = from_hex("107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A");
    auto group = crypto::EcGroup::of_key(chip_key.get());
    Bytes eph_point = crypto::key_pair_from_scalar(group, eph).public_point;

    auto request = chip_auth::terminal_request(chip_auth::kEcdhAes192, encode_subject_public_key_info(chip_key), 7, eph);
    EXPECT_EQ(request.cipher, crypto::KeyCipher::Aes192);
    EXPECT_EQ(request.keys.ks_mac.size(), 24u);
    EXPECT_EQ(to_hex(request.mse_set_at), "800A04007F00070202030203840107");
    EXPECT_EQ(to_hex(request.general_authenticate), "7C438041" + to_hex(eph_point));
    EXPECT_EQ(to_hex(request.mse_set_kat), "9141" + to_hex(eph_point) + "840107");
    auto kat = chip_auth::decode_mse_set_kat(request.mse_set_kat);
    EXPECT_EQ(kat.first, eph_point);
    EXPECT_EQ(kat.second, 7u);

    // Without a key id there is no DO'84' anywhere.
    auto plain = chip_auth::terminal_request(chip_auth::kEcdhAes128, encode_subject_public_key_info(chip_key), {}, eph);
    EXPECT_EQ(to_hex(plain.mse_set_at), "800A04007F00070202030202");
    EXPECT_FALSE(chip_auth::decode_mse_set_at(plain.mse_set_at).key_id.has_value());
    EXPECT_FALSE(chip_auth::decode_mse_set_kat(plain.mse_set_kat).second.has_value());
}

TEST(ChipAuthentication, StrictParsingOfTheChipSideData) {
    EXPECT_THROW(chip_auth::decode_mse_set_at(from_hex("840101800A04007F00070202030202")), ParseError);  // order
    EXPECT_THROW(chip_auth::decode_mse_set_at(from_hex("800A04007F0007020203020200")), ParseError);      // trailing
    EXPECT_THROW(chip_auth::decode_mse_set_at({}), ParseError);
    EXPECT_THROW(chip_auth::decode_general_authenticate(from_hex("7C03810100")), ParseError);  // wrong tag
    EXPECT_THROW(chip_auth::decode_general_authenticate(from_hex("7C038001000000")), ParseError);  // trailing
    EXPECT_THROW(chip_auth::decode_mse_set_kat(from_hex("840101")), ParseError);           // no 91
    EXPECT_THROW(chip_auth::decode_mse_set_kat(from_hex("9100840101FF")), ParseError);     // trailing garbage
}

// ---- the chip's key as the system writes it: explicit domain parameters (ICAO 9303-11 §9.2, §9.5.2) ----

namespace {

Bytes der(tlv::Tag tag, ByteView value) { return tlv::encode(tag, value); }

// An unsigned big-endian number as a DER INTEGER (a leading 00 when the top bit is set).
Bytes der_unsigned(std::string_view hex) {
    Bytes value = from_hex(hex);
    if (value.front() & 0x80) value.insert(value.begin(), 0x00);
    return der(tlv::asn1::kInteger, value);
}

// The DER an independent reader expects for a brainpoolP256r1 key, assembled from the curve's published
// parameters (RFC 5639 §3.4) by hand: nothing of the code under test or of OpenSSL goes into it.
Bytes brainpool_p256r1_explicit_spki(ByteView point) {
    const Bytes field_id = tlv::encode_constructed(
        tlv::asn1::kSequence,
        {tlv::asn1::encode_oid("1.2.840.10045.1.1"),
         der_unsigned("A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377")});
    const Bytes curve = tlv::encode_constructed(
        tlv::asn1::kSequence,
        {der(tlv::asn1::kOctetString, from_hex("7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9")),
         der(tlv::asn1::kOctetString, from_hex("26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6"))});
    const Bytes base = der(tlv::asn1::kOctetString,
                           from_hex("04"
                                    "8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262"
                                    "547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997"));
    const Bytes parameters = tlv::encode_constructed(
        tlv::asn1::kSequence,
        {tlv::asn1::encode_integer(1), field_id, curve, base,
         der_unsigned("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7"), tlv::asn1::encode_integer(1)});
    const Bytes algorithm =
        tlv::encode_constructed(tlv::asn1::kSequence, {tlv::asn1::encode_oid("1.2.840.10045.2.1"), parameters});
    return tlv::encode_constructed(tlv::asn1::kSequence, {algorithm, der(tlv::asn1::kBitString, concat({Bytes{0x00}, point}))});
}

// The elements of the ECParameters of an explicit SubjectPublicKeyInfo.
std::vector<tlv::Element> ec_parameters_of(ByteView spki) {
    tlv::Reader outer(tlv::read_single(spki, tlv::asn1::kSequence).value);
    tlv::Reader algorithm(outer.expect(tlv::asn1::kSequence).value);
    EXPECT_EQ(tlv::asn1::decode_oid_value(algorithm.expect(tlv::asn1::kOid).value), "1.2.840.10045.2.1");
    return tlv::read_all(algorithm.expect(tlv::asn1::kSequence).value);
}

}  // namespace

TEST(ChipKeyWritten, BrainpoolKeyIsExactlyTheExplicitDerAnIndependentReaderExpects) {
    crypto::PKeyPtr key = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const Bytes named = encode_subject_public_key_info(key);
    const Bytes written = chip_auth::encode_chip_key(named);
    EXPECT_EQ(to_hex(written), to_hex(brainpool_p256r1_explicit_spki(crypto::public_point_of(key.get()))));
    EXPECT_EQ(written.size(), 311u);  // the named form is 92 bytes
    EXPECT_EQ(tlv::der_problem(written), std::nullopt);
}

TEST(ChipKeyWritten, EveryCurveIsWrittenWithVersionOnePrimeFieldNoSeedUncompressedBaseAndCofactor) {
    for (auto kind : {fixtures::KeyKind::BrainpoolP256r1, fixtures::KeyKind::P256}) {
        crypto::PKeyPtr key = fixtures::make_key(kind);
        const auto group = crypto::EcGroup::of_key(key.get());
        const Bytes written = chip_auth::encode_chip_key(encode_subject_public_key_info(key));
        EXPECT_EQ(tlv::der_problem(written), std::nullopt) << group.name();
        const auto params = ec_parameters_of(written);
        ASSERT_EQ(params.size(), 6u) << group.name();  // version, fieldID, curve, base, order, cofactor
        EXPECT_EQ(tlv::asn1::decode_integer_value(params[0].value), 1u);
        tlv::Reader field_id(params[1].value);
        EXPECT_EQ(tlv::asn1::decode_oid_value(field_id.expect(tlv::asn1::kOid).value), "1.2.840.10045.1.1");
        // P-256 comes with a seed in OpenSSL's tables; the seed is no domain parameter and is left out.
        EXPECT_EQ(tlv::read_all(params[2].value).size(), 2u) << group.name() << ": a and b, no seed";
        EXPECT_EQ(Bytes(params[3].value.begin(), params[3].value.end()), group.generator()) << group.name();
        EXPECT_EQ(params[3].value.front(), 0x04);
        EXPECT_EQ(tlv::asn1::decode_integer_value(params[5].value), 1u);
    }
}

TEST(ChipKeyWritten, ReadsBackToTheSameCurveAndPoint) {
    for (auto kind : {fixtures::KeyKind::BrainpoolP256r1, fixtures::KeyKind::P256}) {
        crypto::PKeyPtr key = fixtures::make_key(kind);
        const auto back = chip_auth::read_chip_key(chip_auth::encode_chip_key(encode_subject_public_key_info(key)));
        EXPECT_EQ(back.group.nid(), crypto::EcGroup::of_key(key.get()).nid());
        EXPECT_EQ(back.point, crypto::public_point_of(key.get()));
    }
}

TEST(ChipKeyWritten, TheSameKeyGivesTheSameBytesFromEitherForm) {
    crypto::PKeyPtr key = fixtures::make_key(fixtures::KeyKind::P256);
    const Bytes named = encode_subject_public_key_info(key);
    const Bytes from_named = chip_auth::encode_chip_key(named);
    // OpenSSL's own explicit form of the same P-256 key carries the seed; what we write does not.
    ASSERT_EQ(EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_EXPLICIT), 1);
    const Bytes with_seed = encode_subject_public_key_info(key);
    ASSERT_EQ(tlv::read_all(ec_parameters_of(with_seed)[2].value).size(), 3u) << "OpenSSL's form has the seed";
    EXPECT_EQ(chip_auth::encode_chip_key(with_seed), from_named);
    // Written twice, the same bytes: the key read back from DG14 rebuilds DG14 exactly.
    EXPECT_EQ(chip_auth::encode_chip_key(from_named), from_named);
}

TEST(ChipKeyWritten, RefusesWhatReadChipKeyRefuses) {
    EXPECT_THROW(chip_auth::encode_chip_key(from_hex("3000")), ParseError);
    EXPECT_THROW(chip_auth::encode_chip_key(encode_subject_public_key_info(fixtures::make_key(fixtures::KeyKind::Rsa2048))),
                 ParseError);
}

TEST(ChipKeyWritten, ChipAuthenticationRunsOnTheWrittenKeyAndStillOnTheNamedForm) {
    crypto::PKeyPtr chip_key = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const Bytes named = encode_subject_public_key_info(chip_key);
    for (const Bytes& spki : {chip_auth::encode_chip_key(named), named}) {
        auto request = chip_auth::terminal_request(chip_auth::kEcdhAes128, spki);
        Bytes point = chip_auth::decode_general_authenticate(request.general_authenticate);
        AesSessionKeys chip = chip_auth::chip_derive_keys(chip_auth::kEcdhAes128, chip_key.get(), point);
        EXPECT_EQ(chip.ks_enc, request.keys.ks_enc);
        EXPECT_EQ(chip.ks_mac, request.keys.ks_mac);
    }
}

TEST(ChipKeyWritten, SameChipKeyComparesKeysNotEncodings) {
    crypto::PKeyPtr key = fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1);
    const Bytes named = encode_subject_public_key_info(key);
    const Bytes written = chip_auth::encode_chip_key(named);
    ASSERT_NE(named, written);
    EXPECT_TRUE(chip_auth::same_chip_key(named, written));
    EXPECT_TRUE(chip_auth::same_chip_key(written, written));
    const Bytes other = encode_subject_public_key_info(fixtures::make_key(fixtures::KeyKind::BrainpoolP256r1));
    EXPECT_FALSE(chip_auth::same_chip_key(written, other));
    EXPECT_FALSE(chip_auth::same_chip_key(written, chip_auth::encode_chip_key(other)));
    EXPECT_FALSE(chip_auth::same_chip_key(written, {}));
    EXPECT_FALSE(chip_auth::same_chip_key(from_hex("3000"), from_hex("3000")));
    EXPECT_FALSE(chip_auth::same_chip_key(written, encode_subject_public_key_info(fixtures::make_key(fixtures::KeyKind::Rsa2048))));
}
