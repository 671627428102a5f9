#include "card/protocol/chip_auth.hpp"

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/ec.hpp"

namespace cccd::protocol::chip_auth {

namespace {

AesSessionKeys derive(ByteView shared_secret, crypto::KeyCipher cipher) {
    return {crypto::kdf(shared_secret, crypto::KdfCounter::Enc, cipher),
            crypto::kdf(shared_secret, crypto::KdfCounter::Mac, cipher)};
}

}  // namespace

crypto::KeyCipher cipher_of(std::string_view oid) {
    if (oid == kEcdhAes128) return crypto::KeyCipher::Aes128;
    if (oid == kEcdhAes192) return crypto::KeyCipher::Aes192;
    if (oid == kEcdhAes256) return crypto::KeyCipher::Aes256;
    throw InvalidArgument("Chip Authentication protocol " + std::string(oid) + " is not supported (ECDH with AES only)");
}

ChipKey read_chip_key(ByteView subject_public_key_info) {
    crypto::PKeyPtr key = crypto::parse_public_key(subject_public_key_info);
    crypto::EcGroup group = crypto::EcGroup::of_key(key.get());
    // SubjectPublicKeyInfo { AlgorithmIdentifier { OID, parameters }, BIT STRING }: with explicit
    // ECParameters { version, fieldID, curve, base, order, cofactor OPTIONAL }, the cofactor must be there
    // and be the curve's (Wycheproof ecdh: "no cofactor", "cofactor = n").
    tlv::Reader spki(tlv::read_single(subject_public_key_info, tlv::asn1::kSequence).value);
    tlv::Reader algorithm(spki.expect(tlv::asn1::kSequence).value);
    (void)algorithm.expect(tlv::asn1::kOid);
    if (auto parameters = algorithm.next_if(tlv::asn1::kSequence)) {
        tlv::Reader ec(parameters->value);
        for (int skip = 0; skip < 5; ++skip) (void)ec.next();  // version, fieldID, curve, base, order
        const auto cofactor = ec.next_if(tlv::asn1::kInteger);
        if (!cofactor) throw ParseError("the key's explicit curve parameters have no cofactor");
        // A cofactor of more than 8 bytes (n, say) is refused by the decoding itself.
        if (tlv::asn1::decode_integer_value(cofactor->value, UINT64_MAX) != BN_get_word(EC_GROUP_get0_cofactor(group.get()))) {
            throw ParseError("the key's explicit cofactor is not that of " + group.name());
        }
    }
    Bytes point = crypto::public_point_of(key.get());
    return {std::move(group), std::move(point)};
}

Bytes encode_chip_key(ByteView subject_public_key_info) {
    const ChipKey key = read_chip_key(subject_public_key_info);
    return crypto::encode_public_key_explicit(key.group, key.point);
}

bool same_chip_key(ByteView a, ByteView b) noexcept {
    try {
        const ChipKey first = read_chip_key(a);
        const ChipKey second = read_chip_key(b);
        return first.group.nid() == second.group.nid() && constant_time_equal(first.point, second.point);
    } catch (const std::exception&) {
        crypto::clear_openssl_errors();
        return false;
    }
}

TerminalRequest terminal_request(std::string_view protocol_oid, ByteView chip_public_key_info,
                                 std::optional<std::uint64_t> key_id, ByteView fixed_ephemeral_private) {
    crypto::KeyCipher cipher = cipher_of(protocol_oid);
    try {
        auto [group, chip_point] = read_chip_key(chip_public_key_info);
        crypto::EcKeyPair eph = fixed_ephemeral_private.empty()
                                    ? crypto::generate_key_pair(group)
                                    : crypto::key_pair_from_scalar(group, fixed_ephemeral_private);
        SecretBytes k = crypto::ecdh_shared_secret(group, eph.private_scalar.view(), chip_point);

        TerminalRequest r;
        r.mse_set_at = tlv::encode(0x80, tlv::asn1::encode_oid_value(protocol_oid));
        Bytes key_ref = key_id ? tlv::encode(0x84, tlv::asn1::encode_integer_value(*key_id)) : Bytes{};
        append(r.mse_set_at, key_ref);
        r.general_authenticate = tlv::encode(0x7C, tlv::encode(0x80, eph.public_point));
        r.mse_set_kat = concat({tlv::encode(0x91, eph.public_point), key_ref});
        r.keys = derive(k.view(), cipher);
        r.cipher = cipher;
        return r;
    } catch (const ParseError& e) {
        throw ProtocolError("CA", 1, std::string("the chip's Chip Authentication key is unusable: ") + e.what());
    }
}

ChipRequest decode_mse_set_at(ByteView data) {
    tlv::Reader r(data);
    ChipRequest req;
    req.protocol_oid = tlv::asn1::decode_oid_value(r.expect(0x80).value);
    if (auto k = r.next_if(0x84)) req.key_id = tlv::asn1::decode_integer_value(k->value);
    r.expect_end();
    return req;
}

Bytes decode_general_authenticate(ByteView data) {
    tlv::Element outer = tlv::read_single(data, 0x7C);
    tlv::Element point = tlv::read_single(outer.value, 0x80);
    return Bytes(point.value.begin(), point.value.end());
}

std::pair<Bytes, std::optional<std::uint64_t>> decode_mse_set_kat(ByteView data) {
    tlv::Reader r(data);
    tlv::Element point = r.expect(0x91);
    std::optional<std::uint64_t> key_id;
    if (auto k = r.next_if(0x84)) key_id = tlv::asn1::decode_integer_value(k->value);
    r.expect_end();
    return {Bytes(point.value.begin(), point.value.end()), key_id};
}

AesSessionKeys chip_derive_keys(std::string_view protocol_oid, const EVP_PKEY* chip_private_key,
                                ByteView terminal_ephemeral_point) {
    crypto::KeyCipher cipher = cipher_of(protocol_oid);
    crypto::EcGroup group = crypto::EcGroup::of_key(chip_private_key);
    SecretBytes own = crypto::private_scalar_of(chip_private_key, group);
    try {
        SecretBytes k = crypto::ecdh_shared_secret(group, own.view(), terminal_ephemeral_point);
        return derive(k.view(), cipher);
    } catch (const ParseError& e) {
        throw ProtocolError("CA", 2, std::string("the terminal's ephemeral key is unusable: ") + e.what());
    }
}

}  // namespace cccd::protocol::chip_auth
