#pragma once
// ISO/IEC 7816-4 secure messaging as ICAO 9303 Part 11 §9.8 uses it: one encoder for both sides, with
// the block cipher and MAC plugged in — 3DES with the retail MAC after BAC, AES with CMAC after PACE
// and Chip Authentication.
//
// Terminal side: wrap() a plain command, unwrap() the card's protected response.
// Card side (the virtual chip): unwrap_command() a protected command, wrap_response() the answer.
// Data objects: '87' (padding indicator 01 + cryptogram, even INS) or '85' (cryptogram, odd INS),
// '97' (Le), '99' (status word), '8E' (8-byte MAC over SSC || padded header || padded DOs).
// Any MAC failure or malformed SM object ends the session for good: the keys are wiped and every
// later call throws SecureMessagingError, so a broken channel is never reused.
#include <cstdint>
#include <memory>
#include <string>

#include "base/bytes.hpp"
#include "card/apdu/apdu.hpp"

namespace cccd::sm {

// The cipher suite behind a session.
class SmCipher {
public:
    virtual ~SmCipher() = default;
    virtual std::size_t block_size() const noexcept = 0;
    // Length of the send sequence counter: 8 for 3DES, 16 for AES.
    virtual std::size_t ssc_size() const noexcept = 0;
    // Encrypts/decrypts whole blocks; the IV is derived from the current send sequence counter.
    virtual Bytes encrypt(ByteView padded, ByteView ssc) const = 0;
    virtual Bytes decrypt(ByteView cryptogram, ByteView ssc) const = 0;
    // The 8-byte MAC of already padded data.
    virtual Bytes mac(ByteView padded) const = 0;
};

// 3DES two-key, IV zero, ISO 9797-1 MAC algorithm 3; 8-byte SSC (BAC).
std::unique_ptr<SmCipher> make_tdes_cipher(SecretBytes ks_enc, SecretBytes ks_mac);
// AES-128/192/256, IV = AES(KSenc, SSC), CMAC truncated to 8 bytes; 16-byte SSC (PACE, CA).
std::unique_ptr<SmCipher> make_aes_cipher(SecretBytes ks_enc, SecretBytes ks_mac);

class SecureMessaging {
public:
    SecureMessaging(std::unique_ptr<SmCipher> cipher, Bytes ssc);
    static SecureMessaging tdes(SecretBytes ks_enc, SecretBytes ks_mac, Bytes ssc8);
    // PACE and CA start with an all-zero 16-byte SSC.
    static SecureMessaging aes(SecretBytes ks_enc, SecretBytes ks_mac, Bytes ssc16 = Bytes(16, 0));

    // ---- terminal ----
    // The protected command: CLA with bits 0C set, Le 00 (or 0000 when extended length is needed).
    // InvalidArgument (session left open, SSC unchanged) for a command that cannot be protected.
    apdu::CommandApdu wrap(const apdu::CommandApdu& plain);
    // Checks DO'8E' and returns the plain data with the status word of DO'99'. A bare error status
    // without data objects (a card refusing the command before SM) is passed through unchanged,
    // except 6987/6988 (the card dropped secure messaging) and 9000 (must be protected), which end
    // the session.
    apdu::ResponseApdu unwrap(const apdu::ResponseApdu& protected_response);

    // ---- card ----
    apdu::CommandApdu unwrap_command(const apdu::CommandApdu& protected_command);
    // Answers the command unwrapped last (DO'85' instead of DO'87' when its INS was odd).
    apdu::ResponseApdu wrap_response(const apdu::ResponseApdu& plain);

    bool is_open() const noexcept { return cipher_ != nullptr; }
    ByteView ssc() const noexcept { return ssc_; }
    // Ends the session (card removed, reset): the keys are wiped.
    void close() noexcept;

private:
    [[noreturn]] void fail(const std::string& why);
    void require_open() const;
    void increment_ssc() noexcept;
    Bytes mac_input(ByteView body) const;

    std::unique_ptr<SmCipher> cipher_;
    Bytes ssc_;
    // Card side: the command being answered had an odd INS, so its answer goes in DO'85'.
    bool answering_odd_ins_ = false;
};

}  // namespace cccd::sm
