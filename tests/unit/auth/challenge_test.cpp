// Challenges, the AA challenge derivation (the worked example of docs/authentication.md) and the
// in-process store's single use, expiry and retention.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "auth/challenge.hpp"
#include "auth/challenge_store.hpp"
#include "base/clock.hpp"
#include "tests/unit/auth/store_race.hpp"

namespace cccd::auth {
namespace {

using namespace std::chrono_literals;

Bytes counting_nonce() {
    Bytes nonce(32);
    for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(i);
    return nonce;
}

TEST(AaChallengeDerivation, MatchesTheWorkedExampleOfTheDocs) {
    // docs/authentication.md: rp "bank-01", nonce 00 01 .. 1f.
    EXPECT_EQ(to_hex(derive_aa_challenge(counting_nonce(), "bank-01")), "5478E395770B8F4A");
}

TEST(AaChallengeDerivation, DependsOnTheRelyingPartyAndTheNonce) {
    const Bytes nonce = counting_nonce();
    const Bytes a = derive_aa_challenge(nonce, "bank-01");
    EXPECT_EQ(a.size(), 8u);
    EXPECT_NE(a, derive_aa_challenge(nonce, "bank-02"));
    Bytes other = nonce;
    other[31] ^= 0x01;
    EXPECT_NE(a, derive_aa_challenge(other, "bank-01"));
}

TEST(AaChallengeDerivation, RefusesBadInputs) {
    EXPECT_THROW(derive_aa_challenge(Bytes(31), "bank-01"), InvalidArgument);
    EXPECT_THROW(derive_aa_challenge(counting_nonce(), ""), InvalidArgument);
    EXPECT_THROW(derive_aa_challenge(counting_nonce(), "bank 01"), InvalidArgument);
    EXPECT_THROW(derive_aa_challenge(counting_nonce(), std::string(65, 'a')), InvalidArgument);
}

TEST(Challenge, IsFreshBoundAndTimed) {
    const Instant now = parse_instant("2026-11-23T10:00:00Z");
    const Challenge a = make_challenge("bank-01", now);
    const Challenge b = make_challenge("bank-01", now);
    EXPECT_TRUE(is_valid_challenge_id(a.id));
    EXPECT_EQ(a.nonce.size(), kNonceSize);
    EXPECT_NE(a.id, b.id);
    EXPECT_NE(a.nonce, b.nonce);
    EXPECT_EQ(a.relying_party_id, "bank-01");
    EXPECT_EQ(a.expires_at - a.created_at, 120s);
    EXPECT_EQ(make_challenge("bank-01", now, 30s).expires_at, now + 30s);
    EXPECT_THROW(make_challenge("bank 01", now), InvalidArgument);
    EXPECT_THROW(make_challenge("bank-01", now, 0s), InvalidArgument);
}

TEST(Instants, RoundTripAndRefuseNonsense) {
    EXPECT_EQ(utc_time(parse_instant("2028-02-29T23:59:07Z")), "2028-02-29T23:59:07Z");
    EXPECT_EQ(parse_date("2026-11-23"), parse_instant("2026-11-23T00:00:00Z"));
    EXPECT_THROW(parse_instant("2027-02-29T00:00:00Z"), InvalidArgument);
    EXPECT_THROW(parse_instant("2026-11-23 10:00:00Z"), InvalidArgument);
    EXPECT_THROW(parse_instant("2026-11-23T24:00:00Z"), InvalidArgument);
    EXPECT_THROW(parse_date("26-11-23"), InvalidArgument);
}

TEST(ChallengeRecord, RoundTripsAndRefusesDamage) {
    const Challenge c = make_challenge("bank-01", parse_instant("2026-11-23T10:00:00Z"));
    EXPECT_EQ(decode_challenge_record(c.id, encode_challenge_record(c)), c);
    EXPECT_THROW(decode_challenge_record(c.id, "v2|bank-01|00|x|y"), ChallengeStoreError);
    EXPECT_THROW(decode_challenge_record(c.id, "v1|bank-01|0011|2026-11-23T10:00:00Z|2026-11-23T10:02:00Z"),
                 ChallengeStoreError);
    EXPECT_THROW(decode_challenge_record(c.id, encode_challenge_record(c) + "|extra"), ChallengeStoreError);
}

class InProcessStore : public ::testing::Test {
protected:
    Instant now_ = parse_instant("2026-11-23T10:00:00Z");
    Clock clock_ = [this] { return now_; };
};

TEST_F(InProcessStore, TakeIsSingleUse) {
    InProcessChallengeStore store(clock_);
    const Challenge c = make_challenge("bank-01", now_);
    store.put(c);
    EXPECT_THROW(store.put(c), ChallengeStoreError);  // an id is never stored twice
    const auto first = store.take(c.id);
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, c);
    EXPECT_FALSE(store.take(c.id));
    EXPECT_FALSE(store.take("AAAAAAAAAAAAAAAAAAAAAA"));
}

TEST_F(InProcessStore, ExactlyOneOfEightRacingThreadsWins) {
    InProcessChallengeStore store(clock_);
    test::expect_exactly_one_taker(store, now_, 200);
    EXPECT_EQ(store.size(), 0u);
}

TEST_F(InProcessStore, KeepsExpiredChallengesForTheRetentionThenForgetsThem) {
    InProcessChallengeStore store(clock_, InProcessStoreOptions{.expired_retention = 600s, .max_entries = 10});
    const Challenge expired = make_challenge("bank-01", now_);
    const Challenge gone = make_challenge("bank-01", now_);
    store.put(expired);
    store.put(gone);
    now_ += 121s;  // past expiry, within retention: still there, so the pipeline can say "expired"
    ASSERT_TRUE(store.take(expired.id));
    now_ += 600s;  // past retention
    EXPECT_FALSE(store.take(gone.id));
}

TEST_F(InProcessStore, PurgesAndIsBounded) {
    InProcessChallengeStore store(clock_, InProcessStoreOptions{.expired_retention = 10s, .max_entries = 3});
    for (int i = 0; i < 3; ++i) store.put(make_challenge("bank-01", now_, 5s));
    EXPECT_THROW(store.put(make_challenge("bank-01", now_)), ChallengeStoreError);  // full
    now_ += 15s;
    EXPECT_EQ(store.purge_expired(), 3u);
    EXPECT_EQ(store.size(), 0u);
    store.put(make_challenge("bank-01", now_));  // full ones expire, room again
    EXPECT_EQ(store.size(), 1u);
}

}  // namespace
}  // namespace cccd::auth
