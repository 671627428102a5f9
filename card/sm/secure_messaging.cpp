#include "card/sm/secure_messaging.hpp"

#include "card/core/error.hpp"
#include "card/crypto/symmetric.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::sm {

namespace {

constexpr std::uint8_t kMaskedCla = 0x0C;
constexpr tlv::Tag kDoEncryptedWithIndicator = 0x87;
constexpr tlv::Tag kDoEncryptedOdd = 0x85;
constexpr tlv::Tag kDoLe = 0x97;
constexpr tlv::Tag kDoStatus = 0x99;
constexpr tlv::Tag kDoMac = 0x8E;
constexpr std::size_t kMacSize = 8;

class TdesCipher final : public SmCipher {
public:
    TdesCipher(SecretBytes enc, SecretBytes mac) : enc_(std::move(enc)), mac_(std::move(mac)) {
        if (enc_.size() != 16 || mac_.size() != 16) throw InvalidArgument("3DES session keys must be 16 bytes");
    }
    std::size_t block_size() const noexcept override { return 8; }
    Bytes encrypt(ByteView padded, ByteView) const override { return crypto::tdes_cbc_encrypt(enc_.view(), padded); }
    Bytes decrypt(ByteView c, ByteView) const override { return crypto::tdes_cbc_decrypt(enc_.view(), c); }
    Bytes mac(ByteView padded) const override { return crypto::retail_mac(mac_.view(), padded); }

private:
    SecretBytes enc_, mac_;
};

class AesCipher final : public SmCipher {
public:
    AesCipher(SecretBytes enc, SecretBytes mac) : enc_(std::move(enc)), mac_(std::move(mac)) {
        auto ok = [](std::size_t n) { return n == 16 || n == 24 || n == 32; };
        if (!ok(enc_.size()) || !ok(mac_.size())) throw InvalidArgument("AES session keys must be 16, 24 or 32 bytes");
    }
    std::size_t block_size() const noexcept override { return 16; }
    Bytes encrypt(ByteView padded, ByteView ssc) const override {
        return crypto::aes_cbc_encrypt(enc_.view(), padded, iv(ssc));
    }
    Bytes decrypt(ByteView c, ByteView ssc) const override { return crypto::aes_cbc_decrypt(enc_.view(), c, iv(ssc)); }
    Bytes mac(ByteView padded) const override {
        Bytes full = crypto::aes_cmac(mac_.view(), padded);
        full.resize(kMacSize);
        return full;
    }

private:
    // ICAO 9303 Part 11 §9.8.6.1: IV = E(KSenc, SSC).
    Bytes iv(ByteView ssc) const { return crypto::aes_ecb_encrypt_block(enc_.view(), ssc); }
    SecretBytes enc_, mac_;
};

Bytes le_bytes(std::size_t ne) {
    if (ne <= apdu::kMaxShortNe) return {static_cast<std::uint8_t>(ne == apdu::kMaxShortNe ? 0 : ne)};
    std::size_t v = ne == apdu::kMaxExtendedNe ? 0 : ne;
    return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v & 0xFF)};
}

bool odd_ins(std::uint8_t ins) { return (ins & 0x01) != 0; }

}  // namespace

std::unique_ptr<SmCipher> make_tdes_cipher(SecretBytes ks_enc, SecretBytes ks_mac) {
    return std::make_unique<TdesCipher>(std::move(ks_enc), std::move(ks_mac));
}

std::unique_ptr<SmCipher> make_aes_cipher(SecretBytes ks_enc, SecretBytes ks_mac) {
    return std::make_unique<AesCipher>(std::move(ks_enc), std::move(ks_mac));
}

SecureMessaging::SecureMessaging(std::unique_ptr<SmCipher> cipher, Bytes ssc)
    : cipher_(std::move(cipher)), ssc_(std::move(ssc)) {
    if (!cipher_ || ssc_.size() != cipher_->block_size()) {
        throw InvalidArgument("the send sequence counter must be one cipher block long");
    }
}

SecureMessaging SecureMessaging::tdes(SecretBytes ks_enc, SecretBytes ks_mac, Bytes ssc8) {
    return SecureMessaging(make_tdes_cipher(std::move(ks_enc), std::move(ks_mac)), std::move(ssc8));
}

SecureMessaging SecureMessaging::aes(SecretBytes ks_enc, SecretBytes ks_mac, Bytes ssc16) {
    return SecureMessaging(make_aes_cipher(std::move(ks_enc), std::move(ks_mac)), std::move(ssc16));
}

void SecureMessaging::close() noexcept {
    cipher_.reset();  // the cipher's SecretBytes wipe themselves
    secure_wipe(ssc_);
}

void SecureMessaging::fail(const std::string& why) {
    close();
    throw SecureMessagingError("secure messaging: " + why + "; the session is closed");
}

void SecureMessaging::require_open() const {
    if (!cipher_) throw SecureMessagingError("secure messaging: the session is closed; authenticate again");
}

void SecureMessaging::increment_ssc() noexcept {
    for (std::size_t i = ssc_.size(); i-- > 0;) {
        if (++ssc_[i] != 0) break;
    }
}

Bytes SecureMessaging::mac_input(ByteView body) const {
    return crypto::pad_iso9797(concat({ssc_, body}), cipher_->block_size());
}

apdu::CommandApdu SecureMessaging::wrap(const apdu::CommandApdu& plain) {
    require_open();
    if ((plain.cla & kMaskedCla) == kMaskedCla) throw InvalidArgument("secure messaging: the command is already protected");
    increment_ssc();
    std::uint8_t cla = static_cast<std::uint8_t>(plain.cla | kMaskedCla);
    Bytes header = crypto::pad_iso9797(Bytes{cla, plain.ins, plain.p1, plain.p2}, cipher_->block_size());
    Bytes dos;
    if (!plain.data.empty()) {
        Bytes cryptogram = cipher_->encrypt(crypto::pad_iso9797(plain.data, cipher_->block_size()), ssc_);
        if (odd_ins(plain.ins)) {
            append(dos, tlv::encode(kDoEncryptedOdd, cryptogram));
        } else {
            Bytes value{0x01};
            append(value, cryptogram);
            append(dos, tlv::encode(kDoEncryptedWithIndicator, value));
        }
    }
    if (plain.ne) append(dos, tlv::encode(kDoLe, le_bytes(*plain.ne)));
    Bytes mac = cipher_->mac(mac_input(concat({header, dos})));
    append(dos, tlv::encode(kDoMac, mac));

    apdu::CommandApdu out;
    out.cla = cla;
    out.ins = plain.ins;
    out.p1 = plain.p1;
    out.p2 = plain.p2;
    out.data = std::move(dos);
    bool extended = plain.extended() || out.data.size() > apdu::kMaxShortNc;
    out.ne = extended ? apdu::kMaxExtendedNe : apdu::kMaxShortNe;
    out.force_extended = extended;
    return out;
}

apdu::ResponseApdu SecureMessaging::unwrap(const apdu::ResponseApdu& response) {
    require_open();
    if (response.data.empty()) {
        // Some errors come back without secure messaging; 6987/6988 mean the card dropped the session.
        if (response.sw == apdu::sw::kSmDataObjectsMissing || response.sw == apdu::sw::kSmDataObjectsIncorrect) {
            fail("the card refused the secure messaging (" + apdu::describe_status_word(response.sw) + ")");
        }
        if (response.sw == apdu::sw::kOk) fail("the response carries no secure messaging objects");
        increment_ssc();
        return response;
    }
    increment_ssc();
    try {
        tlv::Reader reader(response.data);
        std::optional<tlv::Element> encrypted = reader.next_if(kDoEncryptedWithIndicator);
        bool odd = false;
        if (!encrypted) {
            encrypted = reader.next_if(kDoEncryptedOdd);
            odd = encrypted.has_value();
        }
        std::optional<tlv::Element> status = reader.next_if(kDoStatus);
        if (!status) fail("the response has no status object (DO'99')");
        tlv::Element mac = reader.expect(kDoMac);
        reader.expect_end();
        if (status->value.size() != 2) fail("the status object (DO'99') is not 2 bytes");
        if (mac.value.size() != kMacSize) fail("the MAC object (DO'8E') is not 8 bytes");

        Bytes covered;
        if (encrypted) append(covered, encrypted->raw);
        append(covered, status->raw);
        Bytes expected = cipher_->mac(mac_input(covered));
        if (!constant_time_equal(expected, mac.value)) fail("the response MAC is wrong");

        apdu::ResponseApdu plain;
        plain.sw = static_cast<std::uint16_t>((status->value[0] << 8) | status->value[1]);
        if (encrypted) {
            ByteView cryptogram = encrypted->value;
            if (!odd) {
                if (cryptogram.empty() || cryptogram[0] != 0x01) fail("the encrypted data object has no padding indicator 01");
                cryptogram = cryptogram.subspan(1);
            }
            if (cryptogram.empty() || cryptogram.size() % cipher_->block_size() != 0) {
                fail("the encrypted data is not a whole number of blocks");
            }
            plain.data = crypto::unpad_iso9797(cipher_->decrypt(cryptogram, ssc_));
        }
        return plain;
    } catch (const SecureMessagingError&) {
        throw;
    } catch (const Error& e) {
        fail(std::string("malformed response (") + e.what() + ")");
    }
}

apdu::CommandApdu SecureMessaging::unwrap_command(const apdu::CommandApdu& command) {
    require_open();
    if ((command.cla & kMaskedCla) != kMaskedCla) fail("the command is not protected");
    increment_ssc();
    try {
        tlv::Reader reader(command.data);
        std::optional<tlv::Element> encrypted = reader.next_if(odd_ins(command.ins) ? kDoEncryptedOdd
                                                                                     : kDoEncryptedWithIndicator);
        std::optional<tlv::Element> le = reader.next_if(kDoLe);
        tlv::Element mac = reader.expect(kDoMac);
        reader.expect_end();
        if (mac.value.size() != kMacSize) fail("the MAC object (DO'8E') is not 8 bytes");

        Bytes header = crypto::pad_iso9797(Bytes{command.cla, command.ins, command.p1, command.p2}, cipher_->block_size());
        Bytes covered = header;
        if (encrypted) append(covered, encrypted->raw);
        if (le) append(covered, le->raw);
        Bytes expected = cipher_->mac(mac_input(covered));
        if (!constant_time_equal(expected, mac.value)) fail("the command MAC is wrong");

        apdu::CommandApdu plain;
        plain.cla = static_cast<std::uint8_t>(command.cla & ~kMaskedCla);
        plain.ins = command.ins;
        plain.p1 = command.p1;
        plain.p2 = command.p2;
        if (encrypted) {
            ByteView cryptogram = encrypted->value;
            if (!odd_ins(command.ins)) {
                if (cryptogram.empty() || cryptogram[0] != 0x01) fail("the encrypted data object has no padding indicator 01");
                cryptogram = cryptogram.subspan(1);
            }
            if (cryptogram.empty() || cryptogram.size() % cipher_->block_size() != 0) {
                fail("the encrypted data is not a whole number of blocks");
            }
            plain.data = crypto::unpad_iso9797(cipher_->decrypt(cryptogram, ssc_));
        }
        if (le) {
            if (le->value.size() == 1) {
                plain.ne = le->value[0] == 0 ? apdu::kMaxShortNe : le->value[0];
            } else if (le->value.size() == 2) {
                std::size_t v = static_cast<std::size_t>((le->value[0] << 8) | le->value[1]);
                plain.ne = v == 0 ? apdu::kMaxExtendedNe : v;
            } else {
                fail("the Le object (DO'97') is not 1 or 2 bytes");
            }
        }
        return plain;
    } catch (const SecureMessagingError&) {
        throw;
    } catch (const Error& e) {
        fail(std::string("malformed command (") + e.what() + ")");
    }
}

apdu::ResponseApdu SecureMessaging::wrap_response(const apdu::ResponseApdu& plain) {
    require_open();
    increment_ssc();
    Bytes dos;
    if (!plain.data.empty()) {
        Bytes value{0x01};
        append(value, cipher_->encrypt(crypto::pad_iso9797(plain.data, cipher_->block_size()), ssc_));
        append(dos, tlv::encode(kDoEncryptedWithIndicator, value));
    }
    append(dos, tlv::encode(kDoStatus, Bytes{plain.sw1(), plain.sw2()}));
    Bytes mac = cipher_->mac(mac_input(dos));
    append(dos, tlv::encode(kDoMac, mac));
    return apdu::ResponseApdu{std::move(dos), plain.sw};
}

}  // namespace cccd::sm
