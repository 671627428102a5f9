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
//   v2  "CCCD-AUDIT-CHECKPOINT-v2"  sequence (8 bytes BE)  then hash, time, key_id,
//       previous_checkpoint_hash, each length-prefixed as above
//   v1  "CCCD-AUDIT-CHECKPOINT-v1"  sequence (8 bytes BE)  then hash, time, key_id length-prefixed
//       (checkpoints signed before they were chained: previous_checkpoint_hash empty; still verified)
// A checkpoint's digest is SHA-256 over its canonical encoding; each v2 checkpoint names the digest
// of the checkpoint before it (32 zero bytes for the first), so the checkpoints form a chain too and
// one trusted checkpoint vouches for every checkpoint before it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/bytes.hpp"
#include "crypto/ed25519.hpp"
#include "server/model/model.hpp"

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

// v2 when previous_checkpoint_hash is set, v1 when it is empty.
Bytes checkpoint_encoding(const AuditCheckpoint& checkpoint);
// SHA-256 over checkpoint_encoding: what the next checkpoint names as previous_checkpoint_hash.
Bytes checkpoint_digest(const AuditCheckpoint& checkpoint);

// Signs (v2) "the chain up to `last` ends in last.hash, after checkpoint `previous`" at `time`;
// `previous` is null for the first checkpoint of the log.
AuditCheckpoint sign_checkpoint(const AuditEntry& last, const AuditCheckpoint* previous, std::string_view time,
                                const crypto::Ed25519KeyPair& key);

struct CheckpointVerification {
    bool ok = false;
    std::string reason;                     // empty when ok
    explicit operator bool() const noexcept { return ok; }
};

// Valid when key_id names one of `trusted_keys` and the signature verifies under it.
CheckpointVerification verify_checkpoint(const AuditCheckpoint& checkpoint, const crypto::PublicKeySet& trusted_keys);
// Whether `checkpoints` (every checkpoint of a log, in sequence order) link: each v2 names the digest
// of the one before it (32 zero bytes when it is the first), and no v1 comes after a v2. Signatures
// are verify_checkpoint's job.
CheckpointVerification verify_checkpoint_links(std::span<const AuditCheckpoint> checkpoints);
// verify_checkpoint, and the entry with the checkpoint's sequence is in `entries` with the same hash
// (the chain itself should be checked with verify_chain).
CheckpointVerification verify_checkpoint_against(const AuditCheckpoint& checkpoint, const crypto::PublicKeySet& trusted_keys,
                                                 std::span<const AuditEntry> entries);

}  // namespace cccd::server::security
