#pragma once
// Basic Access Control (ICAO 9303 Part 11 §4.3) as pure steps over bytes, for both sides: the reader
// runs the terminal steps, the virtual chip the chip steps, and both end in the same 3DES secure
// messaging session.
//
//   terminal                                  chip
//   GET CHALLENGE                  ->         RND.ICC (8)
//   E.IFD || M.IFD (MUTUAL AUTH.)  ->         checks, answers E.ICC || M.ICC
//   checks, derives KSenc/KSmac/SSC           derives the same
#include "base/bytes.hpp"
#include "card/sm/secure_messaging.hpp"

namespace cccd::protocol::bac {

inline constexpr std::size_t kNonceSize = 8;
inline constexpr std::size_t kKeyMaterialSize = 16;
inline constexpr std::size_t kAuthDataSize = 40;  // 32-byte cryptogram + 8-byte MAC

// KEnc and KMAC from the key seed (mrz::bac_key_seed).
struct AccessKeys {
    SecretBytes k_enc;
    SecretBytes k_mac;
};
AccessKeys derive_access_keys(ByteView key_seed);

// What both sides end with.
struct SessionKeys {
    SecretBytes ks_enc;
    SecretBytes ks_mac;
    Bytes ssc;  // last 4 bytes of RND.ICC || last 4 bytes of RND.IFD
    sm::SecureMessaging open() const;
};

// Randoms and keys of the wrong size are caller mistakes (InvalidArgument); whatever the other side
// sent that does not check out is a ProtocolError naming the step.

// Terminal, step 1: the MUTUAL AUTHENTICATE data E.IFD || M.IFD from the chip's RND.ICC and the
// terminal's own RND.IFD and K.IFD (fresh random values in production; fixed ones in tests).
Bytes terminal_authentication_data(const AccessKeys& keys, ByteView rnd_icc, ByteView rnd_ifd, ByteView k_ifd);

// Terminal, step 2: checks the chip's answer (MAC, RND.IFD echoed, RND.ICC) and derives the session.
// ProtocolError("BAC", 2, ...) when the chip's answer does not prove it knows the keys.
SessionKeys terminal_complete(const AccessKeys& keys, ByteView rnd_icc, ByteView rnd_ifd, ByteView k_ifd,
                              ByteView chip_response);

// Chip: answers MUTUAL AUTHENTICATE. Checks the terminal's MAC and that RND.ICC is the challenge it gave,
// then returns E.ICC || M.ICC with its K.ICC and the session. ProtocolError("BAC", 1, ...) otherwise.
struct ChipAnswer {
    Bytes response;
    SessionKeys session;
};
ChipAnswer chip_respond(const AccessKeys& keys, ByteView rnd_icc, ByteView k_icc, ByteView terminal_data);

}  // namespace cccd::protocol::bac
