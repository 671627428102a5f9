#pragma once
// The personalization pipeline: a blank (or half-personalized) chip and an enrollment record in, an
// issued CCCD out, verified by reading it back. Used by the station and by `cccd-card personalize`.
//
//   1 open the chip        SELECT, life cycle and serial, PACE with the issuer transport key
//   2 generate keys        AA and CA key pairs made on the chip; their public keys checked
//                          (algorithm, curve, size, ROCA) before anything is signed
//   3 build files          DG1, DG2, DG13, DG14, DG15, EF.COM, EF.CardAccess from the record (no DG2
//                          when the record's card profile has no photo: card_files.hpp)
//   4 sign                 the LDSSecurityObject through the caller's signer (server or local DS key)
//   5 write files          each file deleted, created and written afresh, then read back and compared;
//                          a DG2 the files leave out is deleted
//   6 set access keys      CAN and MRZ information
//   7 lock                 personalization ends for good
//   8 verify               a fresh session with the CAN: PA, AA, CA and every field against the record
//
// A card pulled at any step before 7 stays unlocked and personalize() starts it again from the start. A
// card pulled after 7 is locked: personalize() then only runs step 8. The card is issued only when step 8
// passed.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/channel/channel.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"
#include "card/perso/card_files.hpp"
#include "card/perso/commands.hpp"

namespace cccd::perso {

// The chip or the data does not allow issuing this card (a bad key from the chip, a locked card that
// holds somebody else's data, a chip that refuses a command).
class PersonalizationError : public Error {
public:
    using Error::Error;
};

struct PersonalizationStep {
    int number = 0;       // 1..8
    int total = 8;
    std::string name;     // "open the chip", ...
    std::string detail;   // "DG2 (15 KB)", ...
};

// Signs the files' LDSSecurityObject and returns EF.SOD (tag 77). It gets every data group too, so a
// signing server can rebuild them from its own enrollment record and the chip's public keys and sign
// only what it recognizes. The station asks the server; the CLI signs with a local Document Signer key.
using SodSigner = std::function<Bytes(const CardFiles&)>;

// The issuer transport key (16 bytes) of the chip with this serial, as the chip reports it in plain
// before PACE: from the batch manifest the issuer imported (station/core/transport_keys.hpp), or one
// known key (fixed_transport_key). UnknownBlankCardError when the chip is in no imported batch.
using TransportKeyLookup = std::function<SecretBytes(ByteView chip_serial)>;

// The chip serial belongs to no batch whose keys were imported: nothing was sent to the chip but the
// plain SELECT and GET DATA. what() names the serial (not personal data) in hex.
class UnknownBlankCardError : public PersonalizationError {
public:
    explicit UnknownBlankCardError(ByteView chip_serial);
    const Bytes& chip_serial() const noexcept { return chip_serial_; }

private:
    Bytes chip_serial_;
};

// A lookup that gives `key` for every chip (a single card whose key file the CLI was given, tests).
TransportKeyLookup fixed_transport_key(SecretBytes key);

struct PersonalizationOptions {
    TransportKeyLookup transport_key;               // asked once, after the chip's serial is read
    KeySpec active_auth_key = KeySpec::ec(13);      // brainpoolP256r1, or KeySpec::rsa(2048)
    KeySpec chip_auth_key = KeySpec::ec(13);
    SodSigner sign_sod;
    const pa::TrustStore* trust = nullptr;          // for the read-back PA; required
    bool with_card_access = true;
    std::function<void(const PersonalizationStep&)> on_step;
};

struct PersonalizationResult {
    bool issued = false;            // every check of the read-back passed
    bool only_verified = false;     // the card was already locked: steps 1-7 were skipped
    Bytes chip_serial;
    std::string can;
    std::string document_number;
    Bytes sod;                      // EF.SOD as read back
    Bytes active_auth_public_key;   // SubjectPublicKeyInfo DER, as in DG15
    Bytes chip_auth_public_key;     // as in DG14
    std::vector<pa::Check> checks;  // chip keys, then the read-back's CA, AA, PA and data checks
    std::size_t apdus = 0;
    std::size_t bytes_sent = 0;
    std::size_t bytes_received = 0;
};

// A card's issuer transport key from a file holding 32 hex digits (the card maker's shipment list gives
// one per card). ParseError in words otherwise; the text read is wiped.
SecretBytes read_transport_key_file(const std::filesystem::path& path);

// The names of personalization's own checks (beside the read-back's: card/session, card/pa).
inline constexpr std::string_view kCheckChipKeyActiveAuthentication = "Chip key: Active Authentication";
inline constexpr std::string_view kCheckChipKeyChipAuthentication = "Chip key: Chip Authentication";
inline constexpr std::string_view kCheckDataMatchesRecord = "Data matches the record";
// "Data matches the record: DG13": one data group as read back against the record's.
std::string data_matches_check_name(std::string_view data_group);

// Checks a public key the chip generated against what was asked for. Fail verdicts carry the reason.
pa::Check check_chip_key(const std::string& name, ByteView subject_public_key_info, const KeySpec& expected);

// Runs the pipeline. AccessDeniedError when the transport key does not open the card;
// channel::CardRemovedError when the card leaves (run again); PersonalizationError when the chip or the
// data cannot make a card; the result says whether the read-back passed.
PersonalizationResult personalize(channel::CardChannel& channel, const EnrollmentRecord& record,
                                  const PersonalizationOptions& options);

}  // namespace cccd::perso
