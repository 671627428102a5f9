#pragma once
// Challenges: what a relying party asks for before a citizen presents a card. Each one is a 32-byte
// nonce from libsodium with a short lifetime, bound to the relying party that asked, and used once.
// The card never sees the nonce itself: it signs the 8-byte Active Authentication challenge derived
// from the nonce and the relying party (derive_aa_challenge), so a signature made for one relying
// party is worthless to another. docs/authentication.md states the derivation with a worked example.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace cccd::auth {

// Whole seconds of UTC; every time in auth/ is one of these, from an injectable clock.
using Instant = std::chrono::sys_seconds;
using Clock = std::function<Instant()>;
// The system clock, truncated to seconds.
Clock system_clock();

inline constexpr std::size_t kNonceSize = 32;
inline constexpr std::size_t kChallengeIdRandomBytes = 16;  // base64url: 22 characters
inline constexpr std::chrono::seconds kDefaultChallengeLifetime{120};
inline constexpr std::string_view kAaDerivationLabel = "CCCD-AA-v1";

struct Challenge {
    std::string id;                // base64url (no padding) of 16 random bytes
    Bytes nonce;                   // 32 random bytes
    std::string relying_party_id;  // who asked; only they may redeem it
    Instant created_at{};
    Instant expires_at{};
    friend bool operator==(const Challenge&, const Challenge&) = default;
};

// A relying party id: 1..64 characters of a-z A-Z 0-9 . _ - (it is hashed, logged and used in
// Redis keys, so it is kept plain). InvalidArgument otherwise.
void check_relying_party_id(std::string_view relying_party_id);
bool is_valid_relying_party_id(std::string_view relying_party_id) noexcept;
// A challenge id as made here: 22 base64url characters.
bool is_valid_challenge_id(std::string_view challenge_id) noexcept;

// A fresh challenge for `relying_party_id`, valid from `now` for `lifetime`.
Challenge make_challenge(std::string_view relying_party_id, Instant now,
                         std::chrono::seconds lifetime = kDefaultChallengeLifetime);

// RND.IFD for INTERNAL AUTHENTICATE: the first 8 bytes of
//   SHA-256( "CCCD-AA-v1" || 0x00 || relying_party_id || 0x00 || nonce )
// InvalidArgument for a nonce that is not 32 bytes or an invalid relying party id.
Bytes derive_aa_challenge(ByteView nonce, std::string_view relying_party_id);

// ISO 8601 "2026-11-23T11:47:24Z" as an instant (InvalidArgument when malformed); cccd::utc_time
// (base/clock.hpp) writes it.
Instant parse_instant(std::string_view text);
// "2026-11-23" -> that day's 00:00:00Z; InvalidArgument when malformed.
Instant parse_date(std::string_view yyyy_mm_dd);

}  // namespace cccd::auth
