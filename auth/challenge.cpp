#include "auth/challenge.hpp"

#include "base/encoding.hpp"
#include "base/error.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "identity/validity.hpp"

namespace cccd::auth {


Clock system_clock() {
    return [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

bool is_valid_relying_party_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

void check_relying_party_id(std::string_view id) {
    if (!is_valid_relying_party_id(id)) {
        throw InvalidArgument("a relying party id is 1 to 64 characters of a-z, A-Z, 0-9, '.', '_' or '-'");
    }
}

bool is_valid_challenge_id(std::string_view id) noexcept {
    if (id.size() != 22) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_';
        if (!ok) return false;
    }
    return true;
}

Challenge make_challenge(std::string_view relying_party_id, Instant now, std::chrono::seconds lifetime) {
    check_relying_party_id(relying_party_id);
    if (lifetime <= std::chrono::seconds{0}) throw InvalidArgument("a challenge lifetime must be positive");
    Challenge c;
    c.id = base64url_encode(crypto::random_bytes(kChallengeIdRandomBytes));
    c.nonce = crypto::random_bytes(kNonceSize);
    c.relying_party_id = std::string(relying_party_id);
    c.created_at = now;
    c.expires_at = now + lifetime;
    return c;
}

Bytes derive_aa_challenge(ByteView nonce, std::string_view relying_party_id) {
    if (nonce.size() != kNonceSize) throw InvalidArgument("a challenge nonce is 32 bytes");
    check_relying_party_id(relying_party_id);
    const std::uint8_t separator[1] = {0x00};
    Bytes digest = crypto::sha256(
        concat({view(kAaDerivationLabel), separator, view(relying_party_id), separator, nonce}));
    digest.resize(8);
    return digest;
}

namespace {

int digits(std::string_view text, std::size_t at, std::size_t count, std::string_view what) {
    int value = 0;
    if (at + count > text.size()) throw InvalidArgument(std::string(what) + " is malformed");
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') throw InvalidArgument(std::string(what) + " is malformed");
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// The YYYY-MM-DD at the start of `text`, read by identity's one calendar-date reader.
std::chrono::sys_days day_of(std::string_view text, std::string_view what) {
    const auto ymd = identity::parse_iso_day(text.substr(0, 10));
    if (!ymd) throw InvalidArgument(std::string(what) + " is malformed or not a calendar date");
    return std::chrono::sys_days{*ymd};
}

}  // namespace

Instant parse_date(std::string_view text) {
    if (text.size() != 10) throw InvalidArgument("a date is YYYY-MM-DD");
    return Instant{day_of(text, "a date")};
}

Instant parse_instant(std::string_view text) {
    constexpr std::string_view what = "an instant";
    if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') {
        throw InvalidArgument("an instant is YYYY-MM-DDTHH:MM:SSZ");
    }
    const int h = digits(text, 11, 2, what), m = digits(text, 14, 2, what), s = digits(text, 17, 2, what);
    if (h > 23 || m > 59 || s > 59) throw InvalidArgument("an instant has a time out of range");
    return Instant{day_of(text, what)} + std::chrono::hours{h} + std::chrono::minutes{m} + std::chrono::seconds{s};
}

}  // namespace cccd::auth
