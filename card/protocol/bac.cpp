#include "card/protocol/bac.hpp"

#include "base/error.hpp"
#include "crypto/symmetric.hpp"

namespace cccd::protocol::bac {

namespace {

void require_size(ByteView v, std::size_t n, const char* what) {
    if (v.size() != n) throw InvalidArgument(std::string("BAC: ") + what + " must be " + std::to_string(n) + " bytes");
}

// E || MAC(E) with the access keys.
Bytes seal(const AccessKeys& keys, ByteView plain) {
    Bytes e = crypto::tdes_cbc_encrypt(keys.k_enc.view(), plain);
    Bytes m = crypto::retail_mac(keys.k_mac.view(), crypto::pad_iso9797(e, 8));
    return concat({e, m});
}

// Checks the MAC and decrypts; nothing when the MAC is wrong.
std::optional<Bytes> open_sealed(const AccessKeys& keys, ByteView data) {
    ByteView e = data.first(32);
    ByteView m = data.subspan(32, 8);
    Bytes expected = crypto::retail_mac(keys.k_mac.view(), crypto::pad_iso9797(e, 8));
    if (!constant_time_equal(expected, m)) return std::nullopt;
    return crypto::tdes_cbc_decrypt(keys.k_enc.view(), e);
}

SessionKeys derive_session(ByteView k_ifd, ByteView k_icc, ByteView rnd_icc, ByteView rnd_ifd) {
    Bytes seed(kKeyMaterialSize);
    for (std::size_t i = 0; i < kKeyMaterialSize; ++i) seed[i] = static_cast<std::uint8_t>(k_ifd[i] ^ k_icc[i]);
    SessionKeys s;
    s.ks_enc = crypto::kdf(seed, crypto::KdfCounter::Enc, crypto::KeyCipher::Tdes);
    s.ks_mac = crypto::kdf(seed, crypto::KdfCounter::Mac, crypto::KeyCipher::Tdes);
    secure_wipe(seed);
    s.ssc = concat({rnd_icc.subspan(4, 4), rnd_ifd.subspan(4, 4)});
    return s;
}

}  // namespace

sm::SecureMessaging SessionKeys::open() const { return sm::SecureMessaging::tdes(ks_enc, ks_mac, ssc); }

AccessKeys derive_access_keys(ByteView key_seed) {
    require_size(key_seed, 16, "the key seed");
    return {crypto::kdf(key_seed, crypto::KdfCounter::Enc, crypto::KeyCipher::Tdes),
            crypto::kdf(key_seed, crypto::KdfCounter::Mac, crypto::KeyCipher::Tdes)};
}

Bytes terminal_authentication_data(const AccessKeys& keys, ByteView rnd_icc, ByteView rnd_ifd, ByteView k_ifd) {
    require_size(rnd_icc, kNonceSize, "RND.ICC");
    require_size(rnd_ifd, kNonceSize, "RND.IFD");
    require_size(k_ifd, kKeyMaterialSize, "K.IFD");
    Bytes s = concat({rnd_ifd, rnd_icc, k_ifd});
    Bytes out = seal(keys, s);
    secure_wipe(s);
    return out;
}

SessionKeys terminal_complete(const AccessKeys& keys, ByteView rnd_icc, ByteView rnd_ifd, ByteView k_ifd,
                              ByteView chip_response) {
    require_size(rnd_icc, kNonceSize, "RND.ICC");
    require_size(rnd_ifd, kNonceSize, "RND.IFD");
    require_size(k_ifd, kKeyMaterialSize, "K.IFD");
    if (chip_response.size() != kAuthDataSize) {
        throw ProtocolError("BAC", 2, "the chip's answer has the wrong length");
    }
    auto r = open_sealed(keys, chip_response);
    if (!r) throw ProtocolError("BAC", 2, "the chip's answer has a wrong MAC (wrong MRZ data or not this chip)");
    ByteView plain = *r;
    // R = RND.ICC || RND.IFD || K.ICC
    if (!constant_time_equal(plain.first(8), rnd_icc) || !constant_time_equal(plain.subspan(8, 8), rnd_ifd)) {
        secure_wipe(*r);
        throw ProtocolError("BAC", 2, "the chip did not return the terminal's challenge");
    }
    SessionKeys s = derive_session(k_ifd, plain.subspan(16, 16), rnd_icc, rnd_ifd);
    secure_wipe(*r);
    return s;
}

ChipAnswer chip_respond(const AccessKeys& keys, ByteView rnd_icc, ByteView k_icc, ByteView terminal_data) {
    require_size(rnd_icc, kNonceSize, "RND.ICC");
    require_size(k_icc, kKeyMaterialSize, "K.ICC");
    if (terminal_data.size() != kAuthDataSize) throw ProtocolError("BAC", 1, "the terminal's data has the wrong length");
    auto s = open_sealed(keys, terminal_data);
    if (!s) throw ProtocolError("BAC", 1, "the terminal's MAC is wrong");
    ByteView plain = *s;
    // S = RND.IFD || RND.ICC || K.IFD
    if (!constant_time_equal(plain.subspan(8, 8), rnd_icc)) {
        secure_wipe(*s);
        throw ProtocolError("BAC", 1, "the terminal answered another challenge");
    }
    ByteView rnd_ifd = plain.first(8);
    Bytes r = concat({rnd_icc, rnd_ifd, k_icc});
    ChipAnswer answer{seal(keys, r), derive_session(plain.subspan(16, 16), k_icc, rnd_icc, rnd_ifd)};
    secure_wipe(r);
    secure_wipe(*s);
    return answer;
}

}  // namespace cccd::protocol::bac
