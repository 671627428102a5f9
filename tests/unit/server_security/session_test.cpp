// Sessions: tokens, hashing, binding, expiry, idle timeout, revocation, thread safety.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "base/encoding.hpp"
#include "base/error.hpp"
#include "crypto/hash.hpp"
#include "server/security/session.hpp"

namespace cccd::server::security {
namespace {

using namespace std::chrono_literals;

const SessionPrincipal officer{"nguyenvana", "HCM-Q1-01", Role::EnrollmentOfficer};

struct Fixture : ::testing::Test {
    std::shared_ptr<InMemorySessionStore> store = std::make_shared<InMemorySessionStore>();
    SessionManager manager{store, SessionPolicy{std::chrono::seconds(2h), std::chrono::seconds(15min)}};
    SessionClock::time_point t0 = SessionClock::time_point{} + std::chrono::hours(24 * 365 * 56);
};

TEST_F(Fixture, TokenIs32RandomBytesAndOnlyItsHashIsStored) {
    const auto a = manager.create(officer, t0);
    const auto b = manager.create(officer, t0);
    EXPECT_EQ(a.token.size(), session_token_chars);
    EXPECT_EQ(base64url_decode(a.token).size(), 32u);
    EXPECT_NE(a.token, b.token);
    EXPECT_EQ(a.record.token_hash, crypto::sha256(base64url_decode(a.token)));
    const auto stored = store->find(a.record.token_hash);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->principal, officer);
    EXPECT_EQ(stored->handle().size(), 16u);
    EXPECT_FALSE(store->find(crypto::sha256(view(a.token))));  // not keyed by the token text itself
}

TEST_F(Fixture, AuthenticateReturnsTheBoundOfficerStationAndRole) {
    const SessionPrincipal supervisor{"tranthib", "HN-BD-02", Role::Supervisor};
    const auto created = manager.create(supervisor, t0);
    const auto found = manager.authenticate(created.token, t0 + 1min);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->principal, supervisor);
    EXPECT_EQ(found->expires_at, t0 + 2h);
}

TEST_F(Fixture, UnknownAndMalformedTokensAreRefused) {
    manager.create(officer, t0);
    EXPECT_FALSE(manager.authenticate("", t0));
    EXPECT_FALSE(manager.authenticate("short", t0));
    EXPECT_FALSE(manager.authenticate(std::string(43, '!'), t0));
    EXPECT_FALSE(manager.authenticate(base64url_encode(Bytes(32, 7)), t0));
}

TEST_F(Fixture, IdleTimeoutEndsAnUnusedSession) {
    const auto created = manager.create(officer, t0);
    EXPECT_TRUE(manager.authenticate(created.token, t0 + 14min));             // restarts the idle timer
    EXPECT_TRUE(manager.authenticate(created.token, t0 + 28min));             // 14 min after the last use
    EXPECT_FALSE(manager.authenticate(created.token, t0 + 28min + 15min));    // idle for 15 min
    EXPECT_EQ(store->size(), 0u);                                             // and removed
    EXPECT_FALSE(manager.authenticate(created.token, t0 + 29min));
}

TEST_F(Fixture, AbsoluteExpiryEndsEvenAnActiveSession) {
    const auto created = manager.create(officer, t0);
    auto now = t0;
    for (int i = 0; i < 11; ++i) {
        now += 10min;
        ASSERT_TRUE(manager.authenticate(created.token, now)) << i;           // active up to 1h50
    }
    EXPECT_TRUE(manager.authenticate(created.token, t0 + 2h - 1s));
    EXPECT_FALSE(manager.authenticate(created.token, t0 + 2h));
}

TEST_F(Fixture, RevokeAndRevokeOfficer) {
    const auto a = manager.create(officer, t0);
    const auto b = manager.create(officer, t0);
    const auto other = manager.create({"lethic", "DN-HC-01", Role::Administrator}, t0);
    EXPECT_TRUE(manager.revoke(a.token));
    EXPECT_FALSE(manager.revoke(a.token));
    EXPECT_FALSE(manager.authenticate(a.token, t0));
    EXPECT_TRUE(manager.authenticate(b.token, t0));
    EXPECT_EQ(manager.revoke_officer("nguyenvana"), 1u);
    EXPECT_FALSE(manager.authenticate(b.token, t0));
    EXPECT_TRUE(manager.authenticate(other.token, t0));
}

TEST_F(Fixture, PurgeRemovesExpiredAndIdleOnly) {
    const auto idle = manager.create(officer, t0);
    const auto active = manager.create(officer, t0 + 10min);
    EXPECT_EQ(manager.purge_expired(t0 + 16min), 1u);
    EXPECT_FALSE(manager.authenticate(idle.token, t0 + 16min));
    EXPECT_TRUE(manager.authenticate(active.token, t0 + 16min));
}

TEST_F(Fixture, ExpiredSessionsDoNotPileUpAsOfficersLogIn) {
    // Nobody calls purge_expired by hand: logging in sweeps the store once per purge interval.
    for (int i = 0; i < 500; ++i) manager.create(officer, t0 + std::chrono::seconds(i));
    EXPECT_EQ(store->size(), 500u);
    manager.create(officer, t0 + 3h);  // every earlier session is past its lifetime by now
    EXPECT_EQ(store->size(), 1u);
}

TEST(SessionValidity, ASessionEndsWhenItsOfficerIsDisabledChangesRoleOrPassword) {
    const Officer current{"nguyenvana", "Nguyễn Văn A", Role::EnrollmentOfficer, "$argon2id$v=19$m=65536,t=3,p=1$first", true};
    SessionPrincipal principal = officer;
    principal.credential = officer_credential(current);
    EXPECT_TRUE(session_still_valid(principal, current));

    Officer disabled = current;
    disabled.active = false;
    EXPECT_FALSE(session_still_valid(principal, disabled));
    Officer promoted = current;
    promoted.role = Role::Supervisor;
    EXPECT_FALSE(session_still_valid(principal, promoted));
    Officer new_password = current;
    new_password.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$second";
    EXPECT_FALSE(session_still_valid(principal, new_password));
    EXPECT_FALSE(session_still_valid(principal, std::nullopt));  // removed from the register
    // The fingerprint is not the hash itself.
    EXPECT_EQ(principal.credential.find("argon2"), std::string::npos);
}

TEST_F(Fixture, SessionWithoutOfficerOrStationIsRefused) {
    EXPECT_THROW(manager.create({"", "S", Role::Supervisor}, t0), InvalidArgument);
    EXPECT_THROW(manager.create({"o", "", Role::Supervisor}, t0), InvalidArgument);
}

TEST_F(Fixture, ConcurrentUseIsSafe) {
    std::vector<std::thread> threads;
    std::atomic<int> authenticated{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                const auto created = manager.create(officer, t0);
                if (manager.authenticate(created.token, t0 + 1s)) ++authenticated;
                manager.revoke(created.token);
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(authenticated.load(), 800);
    EXPECT_EQ(store->size(), 0u);
}

}  // namespace
}  // namespace cccd::server::security
