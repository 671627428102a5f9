#include "card/protocol/pace.hpp"

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace cccd::protocol::pace {

namespace {

constexpr std::size_t kNonceSize = 16;
constexpr tlv::Tag kDynamicData = 0x7C;

[[noreturn]] void step_failed(int step, const std::string& why) { throw ProtocolError("PACE", step, why); }

// Runs a step, turning malformed peer data into ProtocolError with the step number.
template <typename F>
auto at_step(int step, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const ProtocolError&) {
        throw;
    } catch (const ParseError& e) {
        step_failed(step, e.what());
    } catch (const CryptoError& e) {
        step_failed(step, e.what());
    }
}

SessionKeys derive_keys(ByteView shared_secret, crypto::KeyCipher cipher) {
    return {crypto::kdf(shared_secret, crypto::KdfCounter::Enc, cipher),
            crypto::kdf(shared_secret, crypto::KdfCounter::Mac, cipher)};
}

crypto::EcKeyPair key_pair(const crypto::EcGroup& group, ByteView fixed, ByteView generator) {
    return fixed.empty() ? crypto::generate_key_pair(group, generator)
                         : crypto::key_pair_from_scalar(group, fixed, generator);
}

}  // namespace

crypto::KeyCipher cipher_of(std::string_view oid) {
    if (oid == kEcdhGmAes128) return crypto::KeyCipher::Aes128;
    if (oid == kEcdhGmAes192) return crypto::KeyCipher::Aes192;
    if (oid == kEcdhGmAes256) return crypto::KeyCipher::Aes256;
    throw InvalidArgument("PACE protocol " + std::string(oid) + " is not supported (ECDH Generic Mapping with AES only)");
}

SecretBytes password_key(PasswordType type, std::string_view password, crypto::KeyCipher cipher) {
    if (type == PasswordType::Mrz) {
        Bytes k = crypto::sha1(view(password));
        SecretBytes out = crypto::kdf(k, crypto::KdfCounter::Password, cipher);
        secure_wipe(k);
        return out;
    }
    return crypto::kdf(view(password), crypto::KdfCounter::Password, cipher);
}

Bytes authentication_token(ByteView ks_mac, std::string_view protocol_oid, ByteView peer_public_point) {
    Bytes input = tlv::encode(0x7F49, concat({tlv::asn1::encode_oid(protocol_oid), tlv::encode(0x86, peer_public_point)}));
    Bytes mac = crypto::aes_cmac(ks_mac, input);
    mac.resize(8);
    return mac;
}

Bytes encode_mse_set_at(const MseSetAt& mse) {
    Bytes out = tlv::encode(0x80, tlv::asn1::encode_oid_value(mse.protocol_oid));
    append(out, tlv::encode(0x83, Bytes{static_cast<std::uint8_t>(mse.password)}));
    if (mse.parameter_id) append(out, tlv::encode(0x84, tlv::asn1::encode_integer_value(*mse.parameter_id)));
    return out;
}

MseSetAt decode_mse_set_at(ByteView data) {
    tlv::Reader r(data);
    MseSetAt m;
    m.protocol_oid = tlv::asn1::decode_oid_value(r.expect(0x80).value);
    ByteView ref = r.expect(0x83).value;
    if (ref.size() != 1 || (ref[0] != 0x01 && ref[0] != 0x02 && ref[0] != 0x04)) throw ParseError("PACE: unsupported password reference");
    m.password = static_cast<PasswordType>(ref[0]);
    if (auto p = r.next_if(0x84)) m.parameter_id = tlv::asn1::decode_integer_value(p->value, 0xFF);
    r.expect_end();
    return m;
}

Bytes encode_dynamic_data(std::uint8_t tag, ByteView value) {
    return tlv::encode(kDynamicData, tlv::encode(tag, value));
}

void decode_empty_dynamic_data(ByteView data) {
    if (!tlv::read_single(data, kDynamicData).value.empty()) {
        throw ParseError("the first General Authenticate must carry an empty 7C");
    }
}

Bytes decode_dynamic_data(ByteView data, std::uint8_t expected_tag) {
    tlv::Element outer = tlv::read_single(data, kDynamicData);
    tlv::Element inner = tlv::read_single(outer.value, expected_tag);
    return Bytes(inner.value.begin(), inner.value.end());
}

// ---------------- terminal ----------------

PaceTerminal::PaceTerminal(std::string protocol_oid, std::uint64_t parameter_id, PasswordType type,
                           std::string_view password, FixedSecrets fixed)
    : oid_(std::move(protocol_oid)),
      parameter_id_(parameter_id),
      password_type_(type),
      group_(crypto::EcGroup::by_parameter_id(parameter_id)),
      cipher_(cipher_of(oid_)),
      k_pi_(password_key(type, password, cipher_)),
      fixed_(std::move(fixed)) {}

MseSetAt PaceTerminal::mse_set_at() const { return {oid_, password_type_, parameter_id_}; }

Bytes PaceTerminal::step1_command() const { return tlv::encode(kDynamicData, {}); }

Bytes PaceTerminal::step2_command(ByteView step1_response) {
    return at_step(1, [&] {
        if (step_ != 1) step_failed(1, "steps out of order");
        Bytes z = decode_dynamic_data(step1_response, 0x80);
        if (z.size() != kNonceSize) step_failed(1, "the encrypted nonce is not 16 bytes");
        nonce_ = SecretBytes(crypto::aes_cbc_decrypt(k_pi_.view(), z));
        mapping_ = key_pair(group_, fixed_.mapping_private, {});
        step_ = 2;
        return encode_dynamic_data(0x81, mapping_.public_point);
    });
}

Bytes PaceTerminal::step3_command(ByteView step2_response) {
    return at_step(2, [&] {
        if (step_ != 2) step_failed(2, "steps out of order");
        Bytes chip_mapping = decode_dynamic_data(step2_response, 0x82);
        if (constant_time_equal(chip_mapping, mapping_.public_point)) step_failed(2, "the chip echoed the terminal's mapping key");
        mapping_shared_point_ = crypto::shared_point(group_, mapping_.private_scalar.view(), chip_mapping);
        mapped_generator_ = crypto::mapped_generator(group_, nonce_.view(), mapping_shared_point_.view());
        ephemeral_ = key_pair(group_, fixed_.ephemeral_private, mapped_generator_);
        step_ = 3;
        return encode_dynamic_data(0x83, ephemeral_.public_point);
    });
}

Bytes PaceTerminal::step4_command(ByteView step3_response) {
    return at_step(3, [&] {
        if (step_ != 3) step_failed(3, "steps out of order");
        chip_ephemeral_ = decode_dynamic_data(step3_response, 0x84);
        if (constant_time_equal(chip_ephemeral_, ephemeral_.public_point)) {
            step_failed(3, "the chip's ephemeral key equals the terminal's");
        }
        group_.decode(chip_ephemeral_);  // validates the point
        // The ephemeral keys live on G~: K = x(SK_eph,IFD * PK_eph,IC).
        shared_secret_ = crypto::ecdh_shared_secret(group_, ephemeral_.private_scalar.view(), chip_ephemeral_);
        keys_ = derive_keys(shared_secret_.view(), cipher_);
        step_ = 4;
        return encode_dynamic_data(0x85, authentication_token(keys_.ks_mac.view(), oid_, chip_ephemeral_));
    });
}

SessionKeys PaceTerminal::finish(ByteView step4_response) {
    return at_step(4, [&] {
        if (step_ != 4) step_failed(4, "steps out of order");
        Bytes token = decode_dynamic_data(step4_response, 0x86);
        Bytes expected = authentication_token(keys_.ks_mac.view(), oid_, ephemeral_.public_point);
        if (!constant_time_equal(token, expected)) {
            step_failed(4, "the chip's authentication token is wrong (wrong CAN or MRZ data)");
        }
        step_ = 5;
        return keys_;
    });
}

// ---------------- chip ----------------

PaceChip::PaceChip(std::string protocol_oid, std::uint64_t parameter_id, std::string_view can,
                   std::string_view mrz_information, FixedSecrets fixed)
    : oid_(std::move(protocol_oid)),
      parameter_id_(parameter_id),
      group_(crypto::EcGroup::by_parameter_id(parameter_id)),
      cipher_(cipher_of(oid_)),
      can_(can),
      mrz_information_(mrz_information),
      fixed_(std::move(fixed)) {}

void PaceChip::accept_mse_set_at(ByteView data) {
    at_step(0, [&] {
        MseSetAt m = decode_mse_set_at(data);
        if (m.protocol_oid != oid_) step_failed(0, "the terminal asked for a protocol this chip does not offer");
        if (m.parameter_id && *m.parameter_id != parameter_id_) step_failed(0, "the terminal asked for other domain parameters");
        std::string_view password;
        switch (m.password) {
            case PasswordType::Can: password = can_; break;
            case PasswordType::Mrz: password = mrz_information_; break;
            case PasswordType::TransportKey:
                password = std::string_view(reinterpret_cast<const char*>(transport_key_.data()), transport_key_.size());
                break;
        }
        if (password.empty()) step_failed(0, "this chip has no such password");
        k_pi_ = password_key(m.password, password, cipher_);
        password_type_ = m.password;
        step_ = 1;
        return 0;
    });
}

Bytes PaceChip::step1_response(ByteView command) {
    return at_step(1, [&] {
        if (step_ != 1) step_failed(1, "MSE:Set AT must come first");
        decode_empty_dynamic_data(command);
        nonce_ = fixed_.nonce.empty() ? SecretBytes(crypto::random_bytes(kNonceSize)) : SecretBytes(fixed_.nonce);
        Bytes z = crypto::aes_cbc_encrypt(k_pi_.view(), nonce_.view());
        step_ = 2;
        return encode_dynamic_data(0x80, z);
    });
}

Bytes PaceChip::step2_response(ByteView command) {
    return at_step(2, [&] {
        if (step_ != 2) step_failed(2, "steps out of order");
        Bytes terminal_mapping = decode_dynamic_data(command, 0x81);
        mapping_ = key_pair(group_, fixed_.mapping_private, {});
        if (constant_time_equal(terminal_mapping, mapping_.public_point)) step_failed(2, "the terminal echoed the chip's mapping key");
        mapped_generator_ = crypto::generic_mapping(group_, nonce_.view(), mapping_.private_scalar.view(), terminal_mapping);
        step_ = 3;
        return encode_dynamic_data(0x82, mapping_.public_point);
    });
}

Bytes PaceChip::step3_response(ByteView command) {
    return at_step(3, [&] {
        if (step_ != 3) step_failed(3, "steps out of order");
        terminal_ephemeral_ = decode_dynamic_data(command, 0x83);
        ephemeral_ = key_pair(group_, fixed_.ephemeral_private, mapped_generator_);
        if (constant_time_equal(terminal_ephemeral_, ephemeral_.public_point)) {
            step_failed(3, "the terminal's ephemeral key equals the chip's");
        }
        SecretBytes k = crypto::ecdh_shared_secret(group_, ephemeral_.private_scalar.view(), terminal_ephemeral_);
        keys_ = derive_keys(k.view(), cipher_);
        step_ = 4;
        return encode_dynamic_data(0x84, ephemeral_.public_point);
    });
}

Bytes PaceChip::step4_response(ByteView command) {
    return at_step(4, [&] {
        if (step_ != 4) step_failed(4, "steps out of order");
        Bytes token = decode_dynamic_data(command, 0x85);
        Bytes expected = authentication_token(keys_.ks_mac.view(), oid_, ephemeral_.public_point);
        if (!constant_time_equal(token, expected)) {
            step_ = 0;  // the chip forgets the attempt
            step_failed(4, "the terminal's authentication token is wrong (wrong CAN or MRZ data)");
        }
        step_ = 5;
        return encode_dynamic_data(0x86, authentication_token(keys_.ks_mac.view(), oid_, terminal_ephemeral_));
    });
}

const SessionKeys& PaceChip::session() const {
    if (step_ != 5) throw ProtocolError("PACE", step_, "the protocol has not finished");
    return keys_;
}

}  // namespace cccd::protocol::pace
