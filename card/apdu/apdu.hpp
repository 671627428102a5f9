#pragma once
// ISO/IEC 7816-4 command and response APDUs, short and extended length, and the commands an eMRTD
// reader sends. Parsing is strict: every length must agree with the bytes present.
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.hpp"

namespace cccd::apdu {

inline constexpr std::size_t kMaxShortNe = 256;
inline constexpr std::size_t kMaxExtendedNe = 65536;
inline constexpr std::size_t kMaxShortNc = 255;
inline constexpr std::size_t kMaxExtendedNc = 65535;

struct CommandApdu {
    std::uint8_t cla = 0x00;
    std::uint8_t ins = 0x00;
    std::uint8_t p1 = 0x00;
    std::uint8_t p2 = 0x00;
    Bytes data;                     // Nc = data.size()
    std::optional<std::size_t> ne;  // expected response length (1..65536); none: no Le field
    bool force_extended = false;    // use extended length fields even when short ones would do

    // Extended length is used when Nc > 255, Ne > 256 or it is forced.
    bool extended() const noexcept;
    Bytes encode() const;
    // Cases 1, 2S, 3S, 4S, 2E, 3E, 4E; ParseError on anything else.
    static CommandApdu parse(ByteView bytes);
    friend bool operator==(const CommandApdu&, const CommandApdu&) = default;
};

struct ResponseApdu {
    Bytes data;
    std::uint16_t sw = 0x9000;

    std::uint8_t sw1() const noexcept { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const noexcept { return static_cast<std::uint8_t>(sw & 0xFF); }
    bool ok() const noexcept { return sw == 0x9000; }
    Bytes encode() const;
    // At least the two status bytes; ParseError otherwise.
    static ResponseApdu parse(ByteView bytes);
    friend bool operator==(const ResponseApdu&, const ResponseApdu&) = default;
};

// "6982: security status not satisfied" — the status word and its meaning in plain words.
std::string describe_status_word(std::uint16_t sw);

// Status words the card core uses by name.
namespace sw {
inline constexpr std::uint16_t kOk = 0x9000;
inline constexpr std::uint16_t kEndOfFileWarning = 0x6282;
inline constexpr std::uint16_t kAuthenticationFailed = 0x6300;  // PACE/BAC: the password or key does not match
inline constexpr std::uint16_t kWrongLength = 0x6700;
inline constexpr std::uint16_t kSecurityStatusNotSatisfied = 0x6982;
inline constexpr std::uint16_t kAuthenticationMethodBlocked = 0x6983;
inline constexpr std::uint16_t kConditionsNotSatisfied = 0x6985;
inline constexpr std::uint16_t kCommandNotAllowed = 0x6986;
inline constexpr std::uint16_t kSmDataObjectsMissing = 0x6987;
inline constexpr std::uint16_t kSmDataObjectsIncorrect = 0x6988;
inline constexpr std::uint16_t kWrongData = 0x6A80;
inline constexpr std::uint16_t kFunctionNotSupported = 0x6A81;
inline constexpr std::uint16_t kFileNotFound = 0x6A82;
inline constexpr std::uint16_t kIncorrectP1P2 = 0x6A86;
inline constexpr std::uint16_t kWrongParameters = 0x6B00;
inline constexpr std::uint16_t kReferencedDataNotFound = 0x6A88;
inline constexpr std::uint16_t kReferenceDataNotUsable = 0x6984;
inline constexpr std::uint16_t kInsNotSupported = 0x6D00;
inline constexpr std::uint16_t kClaNotSupported = 0x6E00;
}  // namespace sw

// ---- commands of ICAO 9303 Part 10 and 11 ----
inline constexpr std::uint8_t kInsSelect = 0xA4;
inline constexpr std::uint8_t kInsReadBinary = 0xB0;
inline constexpr std::uint8_t kInsReadBinaryOdd = 0xB1;
inline constexpr std::uint8_t kInsUpdateBinary = 0xD6;
inline constexpr std::uint8_t kInsUpdateBinaryOdd = 0xD7;
inline constexpr std::uint8_t kInsGetChallenge = 0x84;
inline constexpr std::uint8_t kInsMutualAuthenticate = 0x82;
inline constexpr std::uint8_t kInsExternalAuthenticate = 0x82;  // same INS; TA sends no Le
inline constexpr std::uint8_t kInsInternalAuthenticate = 0x88;
inline constexpr std::uint8_t kInsManageSecurityEnvironment = 0x22;
inline constexpr std::uint8_t kInsGeneralAuthenticate = 0x86;

// The eMRTD LDS1 application.
Bytes emrtd_aid();  // A0 00 00 02 47 10 01

CommandApdu select_application(ByteView aid);          // 00 A4 04 0C
CommandApdu select_file(std::uint16_t fid);            // 00 A4 02 0C, no FCI
CommandApdu read_binary(std::size_t offset, std::size_t ne);            // offset < 32768
CommandApdu read_binary_short_ef(std::uint8_t sfi, std::uint8_t offset, std::size_t ne);
CommandApdu read_binary_odd(std::size_t offset, std::size_t ne);        // B1 with DO'54' offset
// (The card answers B1 with the file bytes inside DO'53': tlv::read_single(data, 0x53).)
// Writes `data` at `offset` of the selected EF: D6 below 32768, D7 with 54{offset} 53{data} beyond.
// (A CCCD chip takes it while it is being personalized: card/perso/commands.hpp.)
CommandApdu update_binary(std::size_t offset, ByteView data);
CommandApdu get_challenge();                                            // 8 bytes
CommandApdu mutual_authenticate(ByteView data);                         // BAC, Ne 40
// EXTERNAL AUTHENTICATE (Terminal Authentication): the signature, no response data expected.
CommandApdu external_authenticate(ByteView signature);
CommandApdu internal_authenticate(ByteView challenge, std::size_t ne = kMaxShortNe);
// MSE:Set AT with P1 (C1 for PACE, 41 for CA) and P2 A4.
CommandApdu mse_set_at(std::uint8_t p1, ByteView data);
// MSE:Set KAT (41 A6) used by Chip Authentication on older readers.
CommandApdu mse_set_kat(ByteView data);
// GENERAL AUTHENTICATE; `more_follow` sets the chaining bit of CLA (10).
CommandApdu general_authenticate(ByteView data, bool more_follow);

}  // namespace cccd::apdu
