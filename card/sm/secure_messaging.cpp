#include "card/sm/secure_messaging.hpp"

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/symmetric.hpp"

namespace cccd::sm {

namespace {

constexpr std::uint8_t kMaskedCla = 0x0C;
constexpr tlv::Tag kDoEncryptedWithIndicator = 0x87;
constexpr tlv::Tag kDoEncryptedOdd = 0x85;
constexpr tlv::Tag kDoLe = 0x97;
constexpr tlv::Tag kDoStatus = 0x99;
constexpr tlv::Tag kDoMac = 0x8E;
constexpr std::uint8_t kPaddingIndicator = 0x01;  // ISO 9797-1 method 2 padding inside
constexpr std::size_t kMacSize = 8;

class TdesCipher final : public SmCipher {
public:
    TdesCipher(SecretBytes enc, SecretBytes mac) : enc_(std::move(enc)), mac_(std::move(mac)) {
        if (enc_.size() != 16 || mac_.size() != 16) throw InvalidArgument("3DES session keys must be 16 bytes");
    }
    std::size_t block_size() const noexcept override { return 8; }
    std::size_t ssc_size() const noexcept override { return 8; }
    // BAC secure messaging uses a zero IV; the SSC only enters the MAC.
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
    std::size_t ssc_size() const noexcept override { return 16; }
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

bool odd_ins(std::uint8_t ins) { return (ins & 0x01) != 0; }

void increment(Bytes& counter) noexcept {
    for (std::size_t i = counter.size(); i-- > 0;) {
        if (++counter[i] != 0) break;
    }
}

// DO'97' carries Le as the plain command would: one byte, or two when that command is extended.
Bytes le_value(const apdu::CommandApdu& plain) {
    std::size_t ne = *plain.ne;
    if (!plain.extended()) return {static_cast<std::uint8_t>(ne == apdu::kMaxShortNe ? 0 : ne)};
    std::size_t v = ne == apdu::kMaxExtendedNe ? 0 : ne;
    return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v & 0xFF)};
}

std::size_t decode_le(ByteView v) {
    if (v.size() == 1) return v[0] == 0 ? apdu::kMaxShortNe : v[0];
    if (v.size() == 2) {
        std::size_t le = static_cast<std::size_t>((v[0] << 8) | v[1]);
        return le == 0 ? apdu::kMaxExtendedNe : le;
    }
    throw ParseError("the Le object (DO'97') is not 1 or 2 bytes");
}

// DO'87' (01 || cryptogram) for plain data, DO'85' (cryptogram) for the BER-TLV data of an odd INS.
Bytes encrypted_data_object(const SmCipher& cipher, ByteView data, bool odd, ByteView ssc) {
    Bytes padded = crypto::pad_iso9797(data, cipher.block_size());
    Bytes cryptogram = cipher.encrypt(padded, ssc);
    secure_wipe(padded);
    if (odd) return tlv::encode(kDoEncryptedOdd, cryptogram);
    Bytes value{kPaddingIndicator};
    append(value, cryptogram);
    return tlv::encode(kDoEncryptedWithIndicator, value);
}

// The plain data inside a DO'87'/'85' whose MAC has already been checked; ParseError when malformed.
Bytes decrypt_data_object(const SmCipher& cipher, const tlv::Element& object, ByteView ssc) {
    ByteView cryptogram = object.value;
    if (object.tag == kDoEncryptedWithIndicator) {
        if (cryptogram.empty() || cryptogram[0] != kPaddingIndicator) {
            throw ParseError("the encrypted data object has no padding indicator 01");
        }
        cryptogram = cryptogram.subspan(1);
    }
    if (cryptogram.empty() || cryptogram.size() % cipher.block_size() != 0) {
        throw ParseError("the encrypted data is not a whole number of blocks");
    }
    Bytes padded = cipher.decrypt(cryptogram, ssc);
    Bytes plain = crypto::unpad_iso9797(padded);
    secure_wipe(padded);
    return plain;
}

}  // namespace

std::unique_ptr<SmCipher> make_tdes_cipher(SecretBytes ks_enc, SecretBytes ks_mac) {
    return std::make_unique<TdesCipher>(std::move(ks_enc), std::move(ks_mac));
}

std::unique_ptr<SmCipher> make_aes_cipher(SecretBytes ks_enc, SecretBytes ks_mac) {
    return std::make_unique<AesCipher>(std::move(ks_enc), std::move(ks_mac));
}

SecureMessaging::SecureMessaging(std::unique_ptr<SmCipher> cipher, Bytes ssc)
    : cipher_(std::move(cipher)), ssc_(std::move(ssc)) {
    if (!cipher_) throw InvalidArgument("secure messaging needs a cipher");
    if (ssc_.size() != cipher_->ssc_size()) {
        throw InvalidArgument("the send sequence counter must be " + std::to_string(cipher_->ssc_size()) +
                              " bytes for this cipher");
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
    answering_odd_ins_ = false;
}

void SecureMessaging::fail(const std::string& why) {
    close();
    throw SecureMessagingError("secure messaging: " + why + "; the session is closed");
}

void SecureMessaging::require_open() const {
    if (!cipher_) throw SecureMessagingError("secure messaging: the session is closed; authenticate again");
}

void SecureMessaging::increment_ssc() noexcept { increment(ssc_); }

Bytes SecureMessaging::mac_input(ByteView body) const {
    return crypto::pad_iso9797(concat({ssc_, body}), cipher_->block_size());
}

apdu::CommandApdu SecureMessaging::wrap(const apdu::CommandApdu& plain) {
    require_open();
    // Caller mistakes are refused before the SSC moves, so the session stays usable.
    if ((plain.cla & kMaskedCla) == kMaskedCla) {
        throw InvalidArgument("secure messaging: the command is already protected");
    }
    if (plain.data.size() > apdu::kMaxExtendedNc) throw InvalidArgument("APDU: command data longer than 65535 bytes");
    if (plain.ne && (*plain.ne == 0 || *plain.ne > apdu::kMaxExtendedNe)) {
        throw InvalidArgument("APDU: Ne must be 1..65536");
    }

    std::uint8_t cla = static_cast<std::uint8_t>(plain.cla | kMaskedCla);
    Bytes header = crypto::pad_iso9797(Bytes{cla, plain.ins, plain.p1, plain.p2}, cipher_->block_size());
    Bytes next_ssc = ssc_;
    increment(next_ssc);

    Bytes dos;
    if (!plain.data.empty()) append(dos, encrypted_data_object(*cipher_, plain.data, odd_ins(plain.ins), next_ssc));
    if (plain.ne) append(dos, tlv::encode(kDoLe, le_value(plain)));
    Bytes mac_data = crypto::pad_iso9797(concat({next_ssc, header, dos}), cipher_->block_size());
    append(dos, tlv::encode(kDoMac, cipher_->mac(mac_data)));
    if (dos.size() > apdu::kMaxExtendedNc) {
        throw InvalidArgument("secure messaging: the protected command would exceed 65535 data bytes");
    }
    ssc_ = std::move(next_ssc);

    apdu::CommandApdu out;
    out.cla = cla;
    out.ins = plain.ins;
    out.p1 = plain.p1;
    out.p2 = plain.p2;
    out.data = std::move(dos);
    bool extended = plain.extended() || out.data.size() > apdu::kMaxShortNc;
    // The answer carries at least DO'99' and DO'8E', so the protected command always expects data.
    out.ne = extended ? apdu::kMaxExtendedNe : apdu::kMaxShortNe;
    out.force_extended = extended;
    return out;
}

apdu::ResponseApdu SecureMessaging::unwrap(const apdu::ResponseApdu& response) {
    require_open();
    if (response.data.empty()) {
        // 6987/6988: the card found our SM objects missing or wrong and has dropped the session.
        if (response.sw == apdu::sw::kSmDataObjectsMissing || response.sw == apdu::sw::kSmDataObjectsIncorrect) {
            fail("the card refused the secure messaging (" + apdu::describe_status_word(response.sw) + ")");
        }
        if (response.sw == apdu::sw::kOk) fail("the response carries no secure messaging objects");
        // Other errors may come back unprotected; they carry no data and the card counted the step.
        increment_ssc();
        return response;
    }
    increment_ssc();
    try {
        tlv::Reader reader(response.data);
        std::optional<tlv::Element> encrypted = reader.next_if(kDoEncryptedWithIndicator);
        if (!encrypted) encrypted = reader.next_if(kDoEncryptedOdd);
        std::optional<tlv::Element> status = reader.next_if(kDoStatus);
        if (!status) fail("the response has no status object (DO'99')");
        std::optional<tlv::Element> mac = reader.next_if(kDoMac);
        if (!mac) fail("the response has no MAC object (DO'8E')");
        reader.expect_end();
        if (status->value.size() != 2) fail("the status object (DO'99') is not 2 bytes");
        if (mac->value.size() != kMacSize) fail("the MAC object (DO'8E') is not 8 bytes");

        Bytes covered;
        if (encrypted) append(covered, encrypted->raw);
        append(covered, status->raw);
        Bytes expected = cipher_->mac(mac_input(covered));
        if (!constant_time_equal(expected, mac->value)) fail("the response MAC is wrong");

        apdu::ResponseApdu plain;
        plain.sw = static_cast<std::uint16_t>((status->value[0] << 8) | status->value[1]);
        if (encrypted) plain.data = decrypt_data_object(*cipher_, *encrypted, ssc_);
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
        bool odd = odd_ins(command.ins);
        tlv::Reader reader(command.data);
        std::optional<tlv::Element> encrypted = reader.next_if(odd ? kDoEncryptedOdd : kDoEncryptedWithIndicator);
        std::optional<tlv::Element> le = reader.next_if(kDoLe);
        std::optional<tlv::Element> mac = reader.next_if(kDoMac);
        if (!mac) fail("the command has no MAC object (DO'8E')");
        reader.expect_end();
        if (mac->value.size() != kMacSize) fail("the MAC object (DO'8E') is not 8 bytes");

        Bytes covered = crypto::pad_iso9797(Bytes{command.cla, command.ins, command.p1, command.p2},
                                            cipher_->block_size());
        if (encrypted) append(covered, encrypted->raw);
        if (le) append(covered, le->raw);
        Bytes expected = cipher_->mac(mac_input(covered));
        if (!constant_time_equal(expected, mac->value)) fail("the command MAC is wrong");

        apdu::CommandApdu plain;
        plain.cla = static_cast<std::uint8_t>(command.cla & ~kMaskedCla);
        plain.ins = command.ins;
        plain.p1 = command.p1;
        plain.p2 = command.p2;
        if (encrypted) plain.data = decrypt_data_object(*cipher_, *encrypted, ssc_);
        if (le) {
            plain.ne = decode_le(le->value);
            // A two-byte Le for a command that would otherwise be short: keep it extended.
            plain.force_extended = le->value.size() == 2 && !plain.extended();
        }
        answering_odd_ins_ = odd;
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
    if (!plain.data.empty()) append(dos, encrypted_data_object(*cipher_, plain.data, answering_odd_ins_, ssc_));
    answering_odd_ins_ = false;
    append(dos, tlv::encode(kDoStatus, Bytes{plain.sw1(), plain.sw2()}));
    Bytes mac = cipher_->mac(mac_input(dos));
    append(dos, tlv::encode(kDoMac, mac));
    return apdu::ResponseApdu{std::move(dos), plain.sw};
}

}  // namespace cccd::sm
