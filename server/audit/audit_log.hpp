#pragma once
// The audit log as the API and the admin tool use it: one entry appended in the same transaction as
// the write it records (so both commit or neither does), Ed25519 checkpoints signed every N entries or
// T seconds, and verification of the whole chain and every checkpoint.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "server/security/audit_chain.hpp"
#include "server/security/ed25519.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server {

// "2026-11-23T10:35:47Z" for now (UTC).
std::string utc_now();

// Appends the next entry in `t`. Concurrent appenders serialize on the store's sequence rule; the
// storage layer reruns the transaction of the one that lost.
AuditEntry append_audit(Transaction& t, const security::AuditFields& fields);

class AuditCheckpointer {
public:
    // The clock that measures "every_time" (steady_clock::now unless a test gives its own).
    using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

    AuditCheckpointer(Storage& storage, const security::Ed25519KeyPair& key, std::uint64_t every_entries,
                      std::chrono::seconds every_time, SteadyClock clock = {});
    // Signs a checkpoint over the last entry when enough entries or time have passed since the last one.
    // Returns the checkpoint made, if any. Cheap to call after every request.
    std::optional<AuditCheckpoint> maybe_checkpoint();
    // Signs one now (at shutdown), unless the last entry is already covered; the clock plays no part.
    std::optional<AuditCheckpoint> checkpoint_now();

private:
    std::optional<AuditCheckpoint> checkpoint(bool force);

    Storage& storage_;
    const security::Ed25519KeyPair& key_;
    std::uint64_t every_entries_;
    std::chrono::seconds every_time_;
    SteadyClock clock_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point last_time_;
};

struct AuditVerification {
    bool ok = true;
    std::uint64_t entries = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t covered_up_to = 0;  // the last sequence a valid checkpoint vouches for
    std::string problem;              // the first problem, in words
};

// Walks the whole chain in pages and every checkpoint (signature by a trusted key, and the hash it
// names matches the chain). An entry after the last checkpoint is fine but not yet vouched for.
AuditVerification verify_audit(Storage& storage, const security::PublicKeySet& trusted_keys,
                               const std::function<void(std::uint64_t)>& on_progress = {});

}  // namespace cccd::server
