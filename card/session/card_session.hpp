#pragma once
// A card session, the workflow a reader runs on a CCCD: open secure messaging with PACE (falling back to
// BAC), read every readable file with progress per data group, Chip Authentication, Active
// Authentication with the caller's challenge, Passive Authentication. The result lists one verdict per
// check, each with a reason in words.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "card/channel/channel.hpp"
#include "card/channel/files.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"

namespace cccd::session {

// Per file: after its header, then after every block (card/channel/files.hpp).
using Progress = channel::Progress;

struct SessionOptions {
    std::optional<std::string> can;              // 6 digits: PACE with the CAN
    std::optional<std::string> mrz_information;  // PACE with the MRZ, or BAC
    bool chip_authentication = true;
    std::optional<Bytes> active_auth_challenge;  // 8 bytes from the relying party; none: skip AA
    const pa::TrustStore* trust = nullptr;       // none: PA not run
    std::time_t verification_time = 0;           // 0: now
    std::function<void(const Progress&)> on_progress;
};

// A failure that ends the session before any data was read: wrong CAN, wrong MRZ, unsupported card.
class AccessDeniedError : public Error {
public:
    using Error::Error;
};

// The names of a read's own checks (PA's are card/pa/passive_auth.hpp's); the server, the station's words
// and the relying parties' client know the checks by these names.
inline constexpr std::string_view kCheckChipAuthentication = "Chip Authentication";
inline constexpr std::string_view kCheckActiveAuthentication = "Active Authentication";

struct ReadResult {
    std::string access_protocol;            // "PACE-CAN", "PACE-MRZ" or "BAC"
    std::map<std::string, Bytes> files;     // "DG1", ..., "EF.SOD", "EF.CardAccess" (and "EF.COM" without a SOD)
    std::map<int, Bytes> data_groups;       // by number, for PA
    std::vector<pa::Check> checks;          // "Chip Authentication", "Active Authentication", then PA's
    pa::Verdict overall = pa::Verdict::NotChecked;
    // The card's INTERNAL AUTHENTICATE response over active_auth_challenge, whenever the card signed
    // (even if the terminal's own check failed: a relying party's server verifies it again).
    std::optional<Bytes> active_auth_signature;
    // The DG14 Chip Authentication key (SubjectPublicKeyInfo DER) the card proved it holds; set only
    // when Chip Authentication passed.
    std::optional<Bytes> chip_auth_public_key;
    // Statistics of the session, for --stats and benchmarks.
    std::size_t apdus = 0;
    std::size_t bytes_sent = 0;
    std::size_t bytes_received = 0;
};

// Runs the whole session over one channel::SecureChannel. AccessDeniedError for a wrong CAN/MRZ;
// channel::CardRemovedError when the card goes; ProtocolError or SecureMessagingError when the card
// misbehaves (after a failed secure messaging check nothing more is sent).
ReadResult read_card(channel::CardChannel& channel, const SessionOptions& options);

}  // namespace cccd::session
