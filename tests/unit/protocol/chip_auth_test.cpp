#include "card/protocol/chip_auth.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/apdu/apdu.hpp"
#include "card/protocol/active_auth.hpp"
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
