#pragma once
// The virtual CCCD chip: an ICAO 9303 eMRTD application that answers command APDUs the way the real
// card does (shared/reference/cccd-chip.md). It runs the card side of the card core's protocol steps
// (BAC, PACE, Chip and Active Authentication, secure messaging), so the reader and the chip share one
// crypto core. No I/O here: the vpcd link feeds it bytes.
//
// Access: EF.CardAccess can be read in plain; every other file needs BAC or PACE secure messaging.
// DG3 answers 6982 (no Terminal Authentication). Selecting the MF answers 6A82, as real cards do.
// A wrong MAC answers 6988 and ends the session.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "card/apdu/apdu.hpp"
#include "card/crypto/openssl.hpp"
#include "card/protocol/pace.hpp"
#include "card/sm/secure_messaging.hpp"

namespace cccd::vcard {

// What personalization leaves on the chip.
struct ChipContents {
    std::map<std::uint16_t, Bytes> files;  // FID -> content (EF.COM 011E, DG1 0101, ..., EF.SOD 011D, EF.CardAccess 011C)
    crypto::PKeyPtr active_auth_key;       // EC (ECDSA plain SHA-256) or RSA (ISO 9796-2, SHA-1)
    crypto::PKeyPtr chip_auth_key;         // EC
    std::string can;                       // 6 digits
    std::string mrz_information;           // document number + cd, birth + cd, expiry + cd
    std::uint64_t pace_parameter_id = 13;  // brainpoolP256r1
    bool extended_length = true;           // false: READ BINARY with Ne > 256 answers 6700
};

class VirtualChip {
public:
    explicit VirtualChip(ChipContents contents);
    ~VirtualChip();
    VirtualChip(VirtualChip&&) noexcept;
    VirtualChip& operator=(VirtualChip&&) noexcept;

    // One command APDU in, one response APDU out; malformed commands get the ISO status word.
    Bytes process(ByteView command);
    apdu::ResponseApdu process(const apdu::CommandApdu& command);
    // Power off/on or reset: secure messaging and selections are dropped.
    void reset();

    bool secure_messaging_active() const noexcept { return sm_.has_value() && sm_->is_open(); }

private:
    apdu::ResponseApdu dispatch(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu select(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu read_binary(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu get_challenge(const apdu::CommandApdu& command);
    apdu::ResponseApdu mutual_authenticate(const apdu::CommandApdu& command);
    apdu::ResponseApdu manage_security_environment(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu general_authenticate(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu internal_authenticate(const apdu::CommandApdu& command, bool protected_channel);
    bool readable(std::uint16_t fid, bool protected_channel) const;

    ChipContents contents_;
    bool application_selected_ = false;
    std::optional<std::uint16_t> selected_file_;
    std::optional<sm::SecureMessaging> sm_;
    std::optional<Bytes> bac_challenge_;
    std::unique_ptr<protocol::pace::PaceChip> pace_;
    int pace_step_ = 0;
    std::optional<std::string> pending_ca_oid_;
    std::optional<sm::SecureMessaging> next_sm_;  // keys from CA, taken into use after the response
};

}  // namespace cccd::vcard
