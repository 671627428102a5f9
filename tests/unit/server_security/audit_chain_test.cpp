// The audit chain: canonical encoding, linking, tamper/removal/reorder detection at the right
// sequence, checkpoints signed and verified against trusted keys.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "server/security/audit_chain.hpp"

namespace cccd::server::security {
namespace {

std::vector<AuditEntry> make_chain(std::size_t count) {
    std::vector<AuditEntry> chain;
    for (std::size_t i = 0; i < count; ++i) {
        AuditFields fields{"2026-03-01T08:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "Z",
                           "officer:nguyenvana@station:HCM-Q1-01", "card.activate", "079203001234",
                           "ok", "document C0" + std::to_string(1000000 + i)};
        chain.push_back(next_entry(chain.empty() ? nullptr : &chain.back(), fields));
    }
    return chain;
}

TEST(AuditChain, FirstEntryAndLinking) {
    const auto chain = make_chain(3);
    EXPECT_EQ(chain[0].sequence, 1u);
    EXPECT_EQ(chain[0].previous_hash, Bytes(32, 0));
    EXPECT_EQ(chain[1].previous_hash, chain[0].hash);
    EXPECT_EQ(chain[2].sequence, 3u);
    EXPECT_EQ(chain[2].hash, hash_entry(chain[2]));
    EXPECT_TRUE(verify_chain(chain));
    EXPECT_EQ(verify_chain(chain).entries_checked, 3u);
    EXPECT_TRUE(verify_chain({}));
}

TEST(AuditChain, CanonicalEncodingIsLengthPrefixed) {
    AuditEntry entry;
    entry.sequence = 0x0102;
    entry.time = "T";
    entry.actor = "ab";
    entry.previous_hash = Bytes(32, 0xEE);
    const Bytes expected = concat({view(std::string("CCCD-AUDIT-ENTRY-v1")),
                                   from_hex("0000000000000102"),
                                   from_hex("00000001 54"),       // time "T"
                                   from_hex("00000002 6162"),     // actor "ab"
                                   from_hex("00000000 00000000 00000000 00000000"),  // action..detail empty
                                   from_hex("00000020"), Bytes(32, 0xEE)});
    EXPECT_EQ(canonical_encoding(entry), expected);
    EXPECT_EQ(hash_entry(entry), crypto::sha256(expected));
}

TEST(AuditChain, FieldBoundariesCannotBeShifted) {
    // "ab"+"c" and "a"+"bc" must hash differently (the reason for length prefixes).
    AuditEntry a, b;
    a.actor = "ab"; a.action = "c";
    b.actor = "a";  b.action = "bc";
    EXPECT_NE(hash_entry(a), hash_entry(b));
}

TEST(AuditChain, TamperingAnyFieldOfAnyEntryIsDetectedAtThatEntry) {
    const std::vector<std::pair<const char*, std::function<void(AuditEntry&)>>> tampers = {
        {"time", [](AuditEntry& e) { e.time[5] = '9'; }},
        {"actor", [](AuditEntry& e) { e.actor = "admin"; }},
        {"action", [](AuditEntry& e) { e.action = "card.revoke"; }},
        {"subject", [](AuditEntry& e) { e.subject.back() = '9'; }},
        {"outcome", [](AuditEntry& e) { e.outcome = "refused"; }},
        {"detail", [](AuditEntry& e) { e.detail += " "; }},
        {"previous_hash", [](AuditEntry& e) { e.previous_hash[31] ^= 1; }},
        {"hash", [](AuditEntry& e) { e.hash[0] ^= 1; }},
        {"sequence", [](AuditEntry& e) { e.sequence += 100; }},
    };
    const auto chain = make_chain(6);
    for (const auto& [field, tamper] : tampers) {
        for (std::size_t index = 0; index < chain.size(); ++index) {
            auto copy = chain;
            tamper(copy[index]);
            const auto verdict = verify_chain(copy);
            EXPECT_FALSE(verdict.ok) << field << " of entry " << index + 1;
            EXPECT_EQ(verdict.first_bad_sequence, index + 1) << field << ": " << verdict.reason;
            EXPECT_EQ(verdict.entries_checked, index) << field;
        }
    }
}

TEST(AuditChain, TamperingWithARecomputedHashIsDetectedAtTheNextEntry) {
    auto chain = make_chain(5);
    chain[1].outcome = "refused";
    chain[1].hash = hash_entry(chain[1]);  // a forger who rehashes entry 2 breaks entry 3's link
    const auto verdict = verify_chain(chain);
    EXPECT_EQ(verdict.first_bad_sequence, 3u) << verdict.reason;
    EXPECT_NE(verdict.reason.find("previous_hash"), std::string::npos);
}

TEST(AuditChain, RemovedEntryIsDetectedAtItsSequence) {
    for (std::size_t removed = 0; removed < 5; ++removed) {
        auto chain = make_chain(6);
        chain.erase(chain.begin() + static_cast<std::ptrdiff_t>(removed));
        const auto verdict = verify_chain(chain);
        EXPECT_FALSE(verdict.ok);
        EXPECT_EQ(verdict.first_bad_sequence, removed + 1) << verdict.reason;
        EXPECT_NE(verdict.reason.find("missing"), std::string::npos) << verdict.reason;
    }
}

TEST(AuditChain, ReorderedEntriesAreDetectedAtTheFirstMovedSequence) {
    for (std::size_t first = 0; first + 1 < 6; ++first) {
        auto chain = make_chain(6);
        std::swap(chain[first], chain[first + 1]);
        const auto verdict = verify_chain(chain);
        EXPECT_FALSE(verdict.ok);
        EXPECT_EQ(verdict.first_bad_sequence, first + 1) << verdict.reason;
    }
    auto chain = make_chain(6);
    std::swap(chain[1], chain[4]);
    EXPECT_EQ(verify_chain(chain).first_bad_sequence, 2u);
}

TEST(AuditChain, ARunIsCheckedAgainstItsAnchor) {
    const auto chain = make_chain(8);
    const std::span<const AuditEntry> tail(chain.begin() + 4, chain.end());
    EXPECT_TRUE(verify_chain(tail, &chain[3]));
    EXPECT_FALSE(verify_chain(tail));                       // does not start at 1
    auto other = make_chain(4);
    other[3].detail = "another history";
    other[3].hash = hash_entry(other[3]);
    const auto verdict = verify_chain(tail, &other[3]);     // wrong anchor hash
    EXPECT_EQ(verdict.first_bad_sequence, 5u);
}

TEST(AuditCheckpoint, SignedAndVerifiedWithTrustedKey) {
    const auto chain = make_chain(4);
    const auto key = crypto::Ed25519KeyPair::generate();
    const auto checkpoint = sign_checkpoint(chain.back(), nullptr, "2026-03-01T09:00:00Z", key);
    EXPECT_EQ(checkpoint.sequence, 4u);
    EXPECT_EQ(checkpoint.hash, chain.back().hash);
    EXPECT_EQ(checkpoint.key_id, key.key_id());
    EXPECT_EQ(checkpoint.previous_checkpoint_hash, Bytes(32, 0));  // the first checkpoint of its log
    EXPECT_TRUE(crypto::ed25519_verify(key.public_key(), checkpoint_encoding(checkpoint), checkpoint.signature));
    crypto::PublicKeySet trusted;
    crypto::add_public_key(trusted, key.public_key());
    EXPECT_TRUE(verify_checkpoint(checkpoint, trusted)) << verify_checkpoint(checkpoint, trusted).reason;
    EXPECT_TRUE(verify_checkpoint_against(checkpoint, trusted, chain));
}

TEST(AuditCheckpoint, WrongKeyUnknownKeyAndAlteredFieldsAreRefused) {
    const auto chain = make_chain(4);
    const auto key = crypto::Ed25519KeyPair::generate();
    const auto impostor = crypto::Ed25519KeyPair::generate();
    const auto checkpoint = sign_checkpoint(chain.back(), nullptr, "2026-03-01T09:00:00Z", key);

    crypto::PublicKeySet only_impostor;
    crypto::add_public_key(only_impostor, impostor.public_key());
    const auto unknown = verify_checkpoint(checkpoint, only_impostor);
    EXPECT_FALSE(unknown);
    EXPECT_NE(unknown.reason.find("not a trusted"), std::string::npos);

    // Signed by the impostor but claiming the trusted key's id.
    crypto::PublicKeySet trusted;
    crypto::add_public_key(trusted, key.public_key());
    auto forged = sign_checkpoint(chain.back(), nullptr, "2026-03-01T09:00:00Z", impostor);
    forged.key_id = key.key_id();
    EXPECT_FALSE(verify_checkpoint(forged, trusted));

    auto altered = checkpoint;
    altered.sequence = 3;
    EXPECT_FALSE(verify_checkpoint(altered, trusted));
    altered = checkpoint;
    altered.time = "2026-03-01T09:00:01Z";
    EXPECT_FALSE(verify_checkpoint(altered, trusted));
    altered = checkpoint;
    altered.hash = chain[2].hash;
    EXPECT_FALSE(verify_checkpoint(altered, trusted));
}

TEST(AuditCheckpoint, TruncatedOrRewrittenChainDoesNotMatchTheCheckpoint) {
    auto chain = make_chain(5);
    const auto key = crypto::Ed25519KeyPair::generate();
    crypto::PublicKeySet trusted;
    crypto::add_public_key(trusted, key.public_key());
    const auto checkpoint = sign_checkpoint(chain[4], nullptr, "2026-03-01T09:00:00Z", key);

    auto truncated = chain;
    truncated.pop_back();
    EXPECT_TRUE(verify_chain(truncated));                            // the chain alone cannot tell
    EXPECT_FALSE(verify_checkpoint_against(checkpoint, trusted, truncated));

    // Rewriting history and rehashing everything from entry 2 on yields a valid chain, not the checkpoint.
    chain[1].outcome = "refused";
    for (std::size_t i = 1; i < chain.size(); ++i) {
        chain[i].previous_hash = chain[i - 1].hash;
        chain[i].hash = hash_entry(chain[i]);
    }
    EXPECT_TRUE(verify_chain(chain));
    EXPECT_FALSE(verify_checkpoint_against(checkpoint, trusted, chain));
}

TEST(AuditCheckpoint, EachSignsThePreviousCheckpointsDigestAndTheChainOfCheckpointsIsChecked) {
    const auto chain = make_chain(6);
    const auto key = crypto::Ed25519KeyPair::generate();
    crypto::PublicKeySet trusted;
    crypto::add_public_key(trusted, key.public_key());
    const auto first = sign_checkpoint(chain[1], nullptr, "2026-03-01T09:00:00Z", key);
    const auto second = sign_checkpoint(chain[3], &first, "2026-03-01T09:05:00Z", key);
    const auto third = sign_checkpoint(chain[5], &second, "2026-03-01T09:10:00Z", key);
    EXPECT_EQ(second.previous_checkpoint_hash, checkpoint_digest(first));
    EXPECT_TRUE(verify_checkpoint(third, trusted));
    const std::vector<AuditCheckpoint> all{first, second, third};
    EXPECT_TRUE(verify_checkpoint_links(all));

    // The previous checkpoint's hash is signed: changing it breaks the signature.
    auto altered = second;
    altered.previous_checkpoint_hash = Bytes(32, 0);
    EXPECT_FALSE(verify_checkpoint(altered, trusted));
    // A checkpoint removed from the middle, or the first ones removed, breaks the links.
    EXPECT_FALSE(verify_checkpoint_links(std::vector<AuditCheckpoint>{first, third}));
    const auto without_first = verify_checkpoint_links(std::vector<AuditCheckpoint>{second, third});
    EXPECT_FALSE(without_first);
    EXPECT_NE(without_first.reason.find("checkpoint 4"), std::string::npos) << without_first.reason;
    // Removing the last ones leaves a chain that holds: the published checkpoint log catches that.
    EXPECT_TRUE(verify_checkpoint_links(std::vector<AuditCheckpoint>{first, second}));
}

TEST(AuditCheckpoint, AV1CheckpointSignedBeforeTheChainStillVerifiesAndTheChainMayStartAfterIt) {
    const auto chain = make_chain(4);
    const auto key = crypto::Ed25519KeyPair::generate();
    crypto::PublicKeySet trusted;
    crypto::add_public_key(trusted, key.public_key());
    // As the server signed before version 2: no previous checkpoint hash, the v1 domain.
    AuditCheckpoint v1{2, chain[1].hash, "2026-01-01T00:00:00Z", key.key_id(), {}, {}};
    v1.signature = key.sign(checkpoint_encoding(v1));
    const Bytes encoding = checkpoint_encoding(v1);
    EXPECT_EQ(std::string(encoding.begin(), encoding.begin() + 24), "CCCD-AUDIT-CHECKPOINT-v1");
    EXPECT_TRUE(verify_checkpoint(v1, trusted)) << verify_checkpoint(v1, trusted).reason;

    const auto v2 = sign_checkpoint(chain[3], &v1, "2026-03-01T09:00:00Z", key);
    const Bytes v2_encoding = checkpoint_encoding(v2);
    EXPECT_EQ(std::string(v2_encoding.begin(), v2_encoding.begin() + 24), "CCCD-AUDIT-CHECKPOINT-v2");
    EXPECT_TRUE(verify_checkpoint(v2, trusted));
    EXPECT_TRUE(verify_checkpoint_links(std::vector<AuditCheckpoint>{v1, v2}));
    // A v1 after the chain began is refused (a v2 checkpoint cannot be passed off as one: its signature
    // covers the v2 encoding).
    AuditCheckpoint late_v1{4, chain[3].hash, "2026-03-01T10:00:00Z", key.key_id(), {}, {}};
    late_v1.signature = key.sign(checkpoint_encoding(late_v1));
    EXPECT_FALSE(verify_checkpoint_links(std::vector<AuditCheckpoint>{v1, v2, late_v1}));
    auto stripped = v2;
    stripped.previous_checkpoint_hash.clear();
    EXPECT_FALSE(verify_checkpoint(stripped, trusted));
}

}  // namespace
}  // namespace cccd::server::security
