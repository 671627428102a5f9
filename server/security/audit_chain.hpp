#pragma once
// The audit chain, pure and storage-agnostic: each entry's hash covers its fields and the previous
// entry's hash, so changing, removing or reordering any entry breaks the chain from that entry on;
// signed checkpoints pin "the chain up to N ends in H" so truncation and wholesale rewriting are
// caught too.
//
// Canonical encoding of an entry (what `hash` is SHA-256 of):
//   "CCCD-AUDIT-ENTRY-v1"                    domain tag, 19 bytes, no length
//   sequence                                 8 bytes, big-endian
//   time, actor, action, subject, outcome, detail, previous_hash
//                                            each as a 4-byte big-endian length then the bytes
// Canonical encoding of a checkpoint (what `signature` is Ed25519 over):
//   "CCCD-AUDIT-CHECKPOINT-v1"  sequence (8 bytes BE)  then hash, time, key_id length-prefixed as above
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "card/core/bytes.hpp"
#include "server/model/model.hpp"
#include "server/security/ed25519.hpp"

namespace cccd::server::security {

inline constexpr std::size_t audit_hash_bytes = 32;

// What a caller says happened; the chain adds sequence, previous_hash and hash.
struct AuditFields {
    std::string time;
    std::string actor;
    std::string action;
    std::string subject;
    std::string outcome;
    std::string detail;
};

Bytes canonical_encoding(const AuditEntry& entry);
// SHA-256 over canonical_encoding (the `hash` field itself is not part of it).
Bytes hash_entry(const AuditEntry& entry);

// The entry that follows `previous` (sequence + 1, previous_hash = previous->hash), or the first
// entry (sequence 1, previous_hash = 32 zero bytes) when `previous` is null.
AuditEntry next_entry(const AuditEntry* previous, const AuditFields& fields);

struct ChainVerification {
    bool ok = true;
    std::uint64_t first_bad_sequence = 0;   // the sequence number at which the chain stops holding
    std::string reason;                     // in words: "entry 7: the stored hash does not match its fields"
    std::uint64_t entries_checked = 0;      // how many entries were found good before the first bad one
    explicit operator bool() const noexcept { return ok; }
};

// Checks a contiguous run of entries. A run from the beginning starts at sequence 1 with 32 zero
// bytes before it; a later run is checked against `anchor`, the entry just before it (its hash is
// trusted, e.g. from a verified checkpoint). Reports the first sequence that fails: a wrong hash, a
// previous_hash that does not link, or a sequence number other than the expected one (a removed or
// reordered entry shows as the first expected sequence that is not where it should be).
ChainVerification verify_chain(std::span<const AuditEntry> entries, const AuditEntry* anchor = nullptr);

Bytes checkpoint_encoding(std::uint64_t sequence, ByteView hash, std::string_view time, std::string_view key_id);

// Signs "the chain up to `last` ends in last.hash" at `time`.
AuditCheckpoint sign_checkpoint(const AuditEntry& last, std::string_view time, const Ed25519KeyPair& key);

struct CheckpointVerification {
    bool ok = false;
    std::string reason;                     // empty when ok
    explicit operator bool() const noexcept { return ok; }
};

// Valid when key_id names one of `trusted_keys` and the signature verifies under it.
CheckpointVerification verify_checkpoint(const AuditCheckpoint& checkpoint, const PublicKeySet& trusted_keys);
// verify_checkpoint, and the entry with the checkpoint's sequence is in `entries` with the same hash
// (the chain itself should be checked with verify_chain).
CheckpointVerification verify_checkpoint_against(const AuditCheckpoint& checkpoint, const PublicKeySet& trusted_keys,
                                                 std::span<const AuditEntry> entries);

}  // namespace cccd::server::security
