#pragma once
// The audit log as the API and the admin tool use it: one entry appended in the same transaction as
// the write it records (so both commit or neither does), chained Ed25519 checkpoints signed every N
// entries or T seconds (each published outside the database as it is made), and verification of the
// whole chain and every checkpoint against what the verifier knows from outside the database.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.hpp"
#include "server/security/audit_chain.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server {

// Appends the next entry in `t`. Concurrent appenders serialize on the store's sequence rule; the
// storage layer reruns the transaction of the one that lost.
AuditEntry append_audit(Transaction& t, const security::AuditFields& fields);

class AuditCheckpointer {
public:
    // The clock that measures "every_time" (steady_clock::now unless a test gives its own).
    using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

    AuditCheckpointer(Storage& storage, const crypto::Ed25519KeyPair& key, std::uint64_t every_entries,
                      std::chrono::seconds every_time, SteadyClock clock = {});
    // Signs a checkpoint over the last entry when enough entries or time have passed since the last one.
    // Returns the checkpoint made, if any. Cheap to call after every request.
    std::optional<AuditCheckpoint> maybe_checkpoint();
    // Signs one now (at start and at shutdown), unless the last entry is already covered; the clock
    // plays no part.
    std::optional<AuditCheckpoint> checkpoint_now();
    // Called with each checkpoint once it is committed, in order (to publish it outside the database).
    // Set before the checkpointer is shared; `publish` must not throw.
    void on_checkpoint(std::function<void(const AuditCheckpoint&)> publish);

private:
    std::optional<AuditCheckpoint> checkpoint(bool force);

    Storage& storage_;
    const crypto::Ed25519KeyPair& key_;
    std::uint64_t every_entries_;
    std::chrono::seconds every_time_;
    SteadyClock clock_;
    std::function<void(const AuditCheckpoint&)> publish_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point last_time_;
};

// "The entry at `sequence` has `hash`", recorded outside the database (a journal line, an earlier
// verification).
struct AuditAnchor {
    std::uint64_t sequence = 0;
    Bytes hash;
};
// "SEQ:HASH" with HASH 64 hex digits; InvalidArgument otherwise.
AuditAnchor parse_audit_anchor(std::string_view text);

// What the verifier knows from outside the database it checks. A database can be rewritten by whoever
// has write access to it; these cannot.
struct AuditExpectations {
    std::vector<AuditAnchor> anchors;
    // The checkpoints published as they were made (the checkpoint log the operator ships elsewhere):
    // each must be in the database exactly so.
    std::vector<AuditCheckpoint> published;
    // How far the newest checkpoint may lag behind the newest entry (zero: not checked): by time, the
    // entries' and the checkpoint's own times (plus `grace` for the server's housekeeping tick and
    // clocks), and by count (plus `entry_grace` for a group commit in flight).
    std::chrono::seconds checkpoint_interval{0};
    std::uint64_t checkpoint_entries = 0;
    std::chrono::seconds grace{60};
    std::uint64_t entry_grace = 512;
    // The database is a copy (a backup, or restored from one): it can have been taken between an entry's
    // commit and the commit of the checkpoint that signs it. A published checkpoint after the database's
    // newest one is then not looked for among its checkpoints but checked against the entry it signs.
    bool copy = false;
};

struct AuditVerification {
    bool ok = true;
    std::uint64_t entries = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t covered_up_to = 0;  // the last sequence a valid checkpoint vouches for
    std::uint64_t anchors_matched = 0;
    std::uint64_t published_matched = 0;
    std::optional<AuditCheckpoint> newest_checkpoint;
    std::string problem;              // the first problem, in words
};

// Walks the whole chain in pages and every checkpoint (signature by a trusted key, the checkpoints'
// own chain, and the hash each names matches the chain), then holds the log to `expected`: every
// anchor and published checkpoint is there unchanged, there is at least one checkpoint, and the newest
// is not older than the interval allows. Entries after the last checkpoint within that interval are
// fine but not yet vouched for.
AuditVerification verify_audit(Storage& storage, const crypto::PublicKeySet& trusted_keys,
                               const AuditExpectations& expected = {},
                               const std::function<void(std::uint64_t)>& on_progress = {});

// Seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ" (a fraction before the Z allowed); nothing otherwise.
std::optional<std::int64_t> utc_seconds(std::string_view instant);

}  // namespace cccd::server
