#include "server/security/audit_chain.hpp"

#include <limits>

#include "base/error.hpp"
#include "crypto/hash.hpp"

namespace cccd::server::security {

namespace {

constexpr std::string_view entry_domain = "CCCD-AUDIT-ENTRY-v1";
constexpr std::string_view checkpoint_domain_v1 = "CCCD-AUDIT-CHECKPOINT-v1";
constexpr std::string_view checkpoint_domain_v2 = "CCCD-AUDIT-CHECKPOINT-v2";

void put_u64(Bytes& out, std::uint64_t value) { append(out, be_bytes(value, 8)); }

void put_field(Bytes& out, ByteView value) {
    if (value.size() > std::numeric_limits<std::uint32_t>::max())
        throw InvalidArgument("an audit field is longer than 4 GiB");
    append(out, be_bytes(value.size(), 4));
    append(out, value);
}

void put_field(Bytes& out, std::string_view value) { put_field(out, view(value)); }

std::string at(std::uint64_t sequence) { return "entry " + std::to_string(sequence) + ": "; }

}  // namespace

Bytes canonical_encoding(const AuditEntry& entry) {
    Bytes out;
    out.reserve(128 + entry.actor.size() + entry.detail.size());
    append(out, view(entry_domain));
    put_u64(out, entry.sequence);
    put_field(out, entry.time);
    put_field(out, entry.actor);
    put_field(out, entry.action);
    put_field(out, entry.subject);
    put_field(out, entry.outcome);
    put_field(out, entry.detail);
    put_field(out, ByteView(entry.previous_hash));
    return out;
}

Bytes hash_entry(const AuditEntry& entry) { return crypto::sha256(canonical_encoding(entry)); }

AuditEntry next_entry(const AuditEntry* previous, const AuditFields& fields) {
    AuditEntry entry;
    if (previous) {
        if (previous->hash.size() != audit_hash_bytes) throw InvalidArgument("the previous audit entry has no hash");
        entry.sequence = previous->sequence + 1;
        entry.previous_hash = previous->hash;
    } else {
        entry.sequence = 1;
        entry.previous_hash = Bytes(audit_hash_bytes, 0);
    }
    entry.time = fields.time;
    entry.actor = fields.actor;
    entry.action = fields.action;
    entry.subject = fields.subject;
    entry.outcome = fields.outcome;
    entry.detail = fields.detail;
    entry.hash = hash_entry(entry);
    return entry;
}

ChainVerification verify_chain(std::span<const AuditEntry> entries, const AuditEntry* anchor) {
    ChainVerification result;
    std::uint64_t expected_sequence = anchor ? anchor->sequence + 1 : 1;
    Bytes expected_previous = anchor ? anchor->hash : Bytes(audit_hash_bytes, 0);
    auto fail = [&](std::string reason) {
        result.ok = false;
        result.first_bad_sequence = expected_sequence;
        result.reason = at(expected_sequence) + std::move(reason);
        return result;
    };
    for (const AuditEntry& entry : entries) {
        if (entry.sequence != expected_sequence) {
            if (entry.sequence > expected_sequence)
                return fail("missing (the next entry found is " + std::to_string(entry.sequence) + ")");
            return fail("out of order (found entry " + std::to_string(entry.sequence) + " in its place)");
        }
        if (!constant_time_equal(entry.previous_hash, expected_previous))
            return fail("previous_hash does not match the hash of entry " + std::to_string(expected_sequence - 1));
        if (!constant_time_equal(entry.hash, hash_entry(entry)))
            return fail("the stored hash does not match the entry's fields");
        expected_previous = entry.hash;
        ++expected_sequence;
        ++result.entries_checked;
    }
    return result;
}

Bytes checkpoint_encoding(const AuditCheckpoint& checkpoint) {
    const bool chained = !checkpoint.previous_checkpoint_hash.empty();
    Bytes out;
    append(out, view(chained ? checkpoint_domain_v2 : checkpoint_domain_v1));
    put_u64(out, checkpoint.sequence);
    put_field(out, ByteView(checkpoint.hash));
    put_field(out, checkpoint.time);
    put_field(out, checkpoint.key_id);
    if (chained) put_field(out, ByteView(checkpoint.previous_checkpoint_hash));
    return out;
}

Bytes checkpoint_digest(const AuditCheckpoint& checkpoint) { return crypto::sha256(checkpoint_encoding(checkpoint)); }

AuditCheckpoint sign_checkpoint(const AuditEntry& last, const AuditCheckpoint* previous, std::string_view time,
                                const crypto::Ed25519KeyPair& key) {
    if (last.hash.size() != audit_hash_bytes) throw InvalidArgument("a checkpoint needs an entry with a hash");
    AuditCheckpoint checkpoint;
    checkpoint.sequence = last.sequence;
    checkpoint.hash = last.hash;
    checkpoint.time = std::string(time);
    checkpoint.key_id = key.key_id();
    checkpoint.previous_checkpoint_hash = previous ? checkpoint_digest(*previous) : Bytes(audit_hash_bytes, 0);
    checkpoint.signature = key.sign(checkpoint_encoding(checkpoint));
    return checkpoint;
}

CheckpointVerification verify_checkpoint(const AuditCheckpoint& checkpoint, const crypto::PublicKeySet& trusted_keys) {
    const auto key = trusted_keys.find(checkpoint.key_id);
    if (key == trusted_keys.end())
        return {false, "checkpoint " + std::to_string(checkpoint.sequence) + " is signed by key " + checkpoint.key_id +
                           ", which is not a trusted audit key"};
    if (!checkpoint.previous_checkpoint_hash.empty() && checkpoint.previous_checkpoint_hash.size() != audit_hash_bytes)
        return {false, "checkpoint " + std::to_string(checkpoint.sequence) + ": the previous checkpoint's hash is malformed"};
    if (!crypto::ed25519_verify(key->second, checkpoint_encoding(checkpoint), checkpoint.signature))
        return {false, "checkpoint " + std::to_string(checkpoint.sequence) + ": the signature does not verify"};
    return {true, {}};
}

CheckpointVerification verify_checkpoint_links(std::span<const AuditCheckpoint> checkpoints) {
    const AuditCheckpoint* previous = nullptr;
    bool chained = false;
    for (const AuditCheckpoint& checkpoint : checkpoints) {
        const std::string at = "checkpoint " + std::to_string(checkpoint.sequence) + ": ";
        if (checkpoint.previous_checkpoint_hash.empty()) {
            if (chained) return {false, at + "unchained (v1) after the checkpoints began to be chained"};
        } else {
            chained = true;
            const Bytes expected = previous ? checkpoint_digest(*previous) : Bytes(audit_hash_bytes, 0);
            if (!constant_time_equal(checkpoint.previous_checkpoint_hash, expected))
                return {false, at + (previous ? "does not name checkpoint " + std::to_string(previous->sequence) +
                                                    " as the one before it (a checkpoint was removed or replaced)"
                                              : "names a checkpoint before it, and the database has none (the "
                                                "checkpoints before it were removed)")};
        }
        previous = &checkpoint;
    }
    return {true, {}};
}

CheckpointVerification verify_checkpoint_against(const AuditCheckpoint& checkpoint, const crypto::PublicKeySet& trusted_keys,
                                                 std::span<const AuditEntry> entries) {
    auto verdict = verify_checkpoint(checkpoint, trusted_keys);
    if (!verdict) return verdict;
    for (const AuditEntry& entry : entries) {
        if (entry.sequence != checkpoint.sequence) continue;
        if (constant_time_equal(entry.hash, checkpoint.hash)) return verdict;
        return {false, "checkpoint " + std::to_string(checkpoint.sequence) + ": the chain's entry has another hash"};
    }
    return {false, "checkpoint " + std::to_string(checkpoint.sequence) + ": the chain has no such entry (truncated?)"};
}

}  // namespace cccd::server::security
