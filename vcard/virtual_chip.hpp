#pragma once
// The virtual CCCD chip: an ICAO 9303 eMRTD application that answers command APDUs the way the real
// card does (shared/reference/cccd-chip.md). It runs the card side of the card core's protocol steps
// (BAC, PACE, Chip and Active Authentication, secure messaging), so the reader and the chip share one
// crypto core. No I/O here: the vpcd link feeds it bytes, and the owner persists its memory (the card
// image) whenever it changes.
//
// Access: EF.CardAccess can be read in plain; every other file needs BAC or PACE secure messaging.
// DG3 answers 6982 (no Terminal Authentication). Selecting the MF answers 6A82, as real cards do.
// A wrong MAC answers 6988 and ends the session.
//
// Life cycle: blank -> personalization -> locked. Until it is locked the chip takes the personalization
// commands of card/perso/commands.hpp, only under PACE opened with its issuer transport key; locking
// forgets the transport key, and every personalization command is refused from then on (6985).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "card/apdu/apdu.hpp"
#include "card/perso/commands.hpp"
#include "card/protocol/pace.hpp"
#include "card/sm/secure_messaging.hpp"
#include "crypto/openssl.hpp"

namespace cccd::vcard {

// The chip's memory: what manufacturing and personalization leave on it.
struct ChipContents {
    perso::LifeCycle life_cycle = perso::LifeCycle::Locked;
    Bytes chip_serial;                     // 8 bytes, set at manufacture
    SecretBytes transport_key;             // 16 bytes while not locked; empty once locked
    std::map<std::uint16_t, Bytes> files;  // FID -> content (EF.COM 011E, DG1 0101, ..., EF.SOD 011D, EF.CardAccess 011C)
    crypto::PKeyPtr active_auth_key;       // EC (ECDSA plain SHA-256) or RSA (ISO 9796-2, SHA-1)
    crypto::PKeyPtr chip_auth_key;         // EC
    std::string can;                       // 6 digits
    std::string mrz_information;           // document number + cd, birth + cd, expiry + cd
    std::uint64_t pace_parameter_id = 13;  // brainpoolP256r1
    bool extended_length = true;           // false: READ BINARY with Ne > 256 answers 6700
};

// How READ BINARY answers where ISO/IEC 7816-4 leaves room, as chips in the field differ. Not part of
// the chip's memory: a setting of the program that plays the chip (cccd-vcard --end-of-file-warning,
// --max-read), so that the reader layer meets each behaviour in tests.
struct ReadBehaviour {
    bool end_of_file_warning = false;  // a read past the end: the data up to it with 6282 (else with 9000)
    std::size_t max_data = 0;          // at most this many bytes per answer, whatever was asked (0: no limit)
};

// A chip fresh from the factory: no files, no keys, a random serial and the issuer's transport key.
ChipContents make_blank_chip(ByteView transport_key);

// What all files together may hold (the CCCD's chip has far more; a personalization that goes beyond
// this is wrong).
inline constexpr std::size_t kFileMemory = 96 * 1024;

class VirtualChip {
public:
    explicit VirtualChip(ChipContents contents);
    ~VirtualChip();
    VirtualChip(VirtualChip&&) noexcept;
    VirtualChip& operator=(VirtualChip&&) noexcept;

    // One command APDU in, one response APDU out; malformed commands get the ISO status word.
    Bytes process(ByteView command);
    apdu::ResponseApdu process(const apdu::CommandApdu& command);
    // Power off/on or reset: secure messaging and selections are dropped; the eMRTD application must be
    // selected again before any file but EF.CardAccess.
    void reset();
    void set_read_behaviour(ReadBehaviour behaviour) { read_behaviour_ = behaviour; }

    // Called after every command that changed the chip's memory, before its answer goes out, so the
    // owner can write the card image: what the chip acknowledged is never lost.
    void on_memory_changed(std::function<void(const ChipContents&)> callback) { on_change_ = std::move(callback); }

    bool secure_messaging_active() const noexcept { return sm_.has_value() && sm_->is_open(); }
    perso::LifeCycle life_cycle() const noexcept { return contents_.life_cycle; }
    // The EF the last SELECT (or short-id READ BINARY) made current, for tests and run-time orders.
    std::optional<std::uint16_t> selected_file() const noexcept { return selected_file_; }
    const ChipContents& contents() const noexcept { return contents_; }

private:
    apdu::ResponseApdu dispatch(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu select(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu read_binary(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu get_challenge(const apdu::CommandApdu& command);
    apdu::ResponseApdu mutual_authenticate(const apdu::CommandApdu& command);
    apdu::ResponseApdu manage_security_environment(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu general_authenticate(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu internal_authenticate(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu get_data(const apdu::CommandApdu& command);
    // Personalization (card/perso/commands.hpp).
    std::optional<std::uint16_t> personalization_refused(bool protected_channel) const;
    apdu::ResponseApdu personalize(const apdu::CommandApdu& command, bool protected_channel);
    apdu::ResponseApdu create_file(const apdu::CommandApdu& command);
    apdu::ResponseApdu delete_file(const apdu::CommandApdu& command);
    apdu::ResponseApdu update_binary(const apdu::CommandApdu& command);
    apdu::ResponseApdu generate_key_pair(const apdu::CommandApdu& command);
    apdu::ResponseApdu put_data(const apdu::CommandApdu& command);
    apdu::ResponseApdu lock();
    void memory_changed();
    // The status word that refuses reading `fid` now, or nothing when it may be read.
    std::optional<std::uint16_t> read_refused(std::uint16_t fid, bool protected_channel) const;

    ChipContents contents_;
    ReadBehaviour read_behaviour_;
    std::function<void(const ChipContents&)> on_change_;
    bool application_selected_ = false;
    std::optional<std::uint16_t> selected_file_;
    std::optional<sm::SecureMessaging> sm_;
    std::optional<protocol::pace::PasswordType> session_password_;  // how the open SM session was opened
    std::optional<Bytes> bac_challenge_;
    std::unique_ptr<protocol::pace::PaceChip> pace_;
    int pace_step_ = 0;
    std::optional<std::string> pending_ca_oid_;
    std::optional<sm::SecureMessaging> next_sm_;  // keys from CA, taken into use after the response
};

}  // namespace cccd::vcard
