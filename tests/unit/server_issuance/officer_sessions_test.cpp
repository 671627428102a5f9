// Officers' sessions without HTTP: each login outcome, the one password verification every attempt
// costs, and each reason a session stops holding.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "server/issuance/officer_sessions.hpp"
#include "tests/support/sqlcipher_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cccd;
using namespace cccd::server;
using namespace cccd::server::issuance;

namespace {

class OfficerSessionsTest : public ::testing::Test {
protected:
    void SetUp() override {
        StorageConfig config = cccd::testing::sqlcipher_config(dir_.file("cccd.db"));
        storage_ = open_storage(config);
        put_officer("lan", "hash-of-right", true);
        put_officer("minh", "hash-of-right", false);  // disabled
        // A stand-in for Argon2id: "right" matches "hash-of-right"; every call counted.
        officers_ = std::make_unique<OfficerSessions>(*storage_, sessions_, throttle_,
                                                      [this](std::string_view encoded, const SecretBytes& password) {
                                                          ++verifications_;
                                                          return encoded == "hash-of-" + to_string(password.view());
                                                      });
    }

    void put_officer(const std::string& id, const std::string& hash, bool active) {
        storage_->transaction([&](Transaction& t) { t.put_officer({id, "Officer " + id, Role::EnrollmentOfficer, hash, active}); });
    }

    LoginOutcome login(const std::string& id, const std::string& password, const Station& station) {
        return officers_->login(id, SecretBytes(view(password)), station);
    }

    std::function<Station()> at(const Station& station) {
        return [station] { return station; };
    }

    cccd::testing::TempDir dir_;
    std::unique_ptr<Storage> storage_;
    security::SessionManager sessions_{std::make_shared<security::InMemorySessionStore>()};
    security::LoginThrottle throttle_{security::LoginThrottlePolicy{2, std::chrono::seconds(30), std::chrono::seconds(60), 100,
                                                                    std::chrono::seconds(600), std::chrono::seconds(300)}};
    std::unique_ptr<OfficerSessions> officers_;
    int verifications_ = 0;
    const Station desk_{"HCM-Q1-01", "Quận 1", "aa", true};
    const Station other_desk_{"HN-HK-01", "Hoàn Kiếm", "bb", true};
};

TEST_F(OfficerSessionsTest, TheRightPasswordOpensASessionBoundToTheStationThatHolds) {
    const LoginOutcome outcome = login("lan", "right", desk_);
    ASSERT_EQ(outcome.result, LoginOutcome::Result::LoggedIn);
    ASSERT_TRUE(outcome.session);
    EXPECT_EQ(outcome.audit_subject, "officer:lan");
    EXPECT_EQ(outcome.session->record.principal.station_id, desk_.id);
    const SessionCheck check = officers_->check(outcome.session->token, at(desk_));
    EXPECT_FALSE(check.refused);
    ASSERT_TRUE(check.principal);
    EXPECT_EQ(check.principal->officer_id, "lan");
}

TEST_F(OfficerSessionsTest, AWrongPasswordADisabledOfficerAndAnUnknownIdEachCostOneVerificationAndLookAlike) {
    for (const auto& [id, password] : {std::pair{"lan", "wrong"}, {"minh", "right"}, {"nobody", "right"}}) {
        const int before = verifications_;
        const LoginOutcome outcome = login(id, password, desk_);
        EXPECT_EQ(outcome.result, LoginOutcome::Result::WrongCredentials) << id;
        EXPECT_FALSE(outcome.session) << id;
        EXPECT_EQ(verifications_, before + 1) << id;
    }
}

TEST_F(OfficerSessionsTest, WhatWasTypedIntoTheIdFieldIsNeverTheAuditSubject) {
    const LoginOutcome outcome = login("my secret password", "x", desk_);
    EXPECT_EQ(outcome.result, LoginOutcome::Result::WrongCredentials);
    EXPECT_EQ(outcome.audit_subject.rfind("officer-attempt:", 0), 0u);
    EXPECT_EQ(outcome.audit_subject.find("secret"), std::string::npos);
    EXPECT_EQ(login("my secret password", "x", desk_).audit_subject, outcome.audit_subject);  // one process: linked
}

TEST_F(OfficerSessionsTest, TheFailureThatStartsALockSaysSoAndTheNextLoginIsRefusedWithoutAVerification) {
    EXPECT_FALSE(login("lan", "wrong", desk_).lock);
    const LoginOutcome second = login("lan", "wrong", desk_);
    EXPECT_EQ(second.result, LoginOutcome::Result::WrongCredentials);
    ASSERT_TRUE(second.lock);
    EXPECT_EQ(second.lock->who, security::LoginThrottle::Lock::Who::Officer);
    const int before = verifications_;
    const LoginOutcome locked = login("lan", "right", desk_);  // the right password: a lock must not confirm it
    EXPECT_EQ(locked.result, LoginOutcome::Result::Locked);
    ASSERT_TRUE(locked.lock);
    EXPECT_GE(locked.lock->retry_after.count(), 1);
    EXPECT_FALSE(locked.session);
    EXPECT_EQ(verifications_, before);
}

TEST_F(OfficerSessionsTest, ASessionUsedAtAnotherStationIsRefused) {
    const LoginOutcome outcome = login("lan", "right", desk_);
    ASSERT_TRUE(outcome.session);
    const SessionCheck check = officers_->check(outcome.session->token, at(other_desk_));
    EXPECT_EQ(check.refused, SessionRefusal::OtherStation);
    EXPECT_FALSE(check.principal);
}

TEST_F(OfficerSessionsTest, ANewPasswordOrADisableEndsTheSessionAtItsNextRequest) {
    const LoginOutcome outcome = login("lan", "right", desk_);
    ASSERT_TRUE(outcome.session);
    put_officer("lan", "hash-of-new", true);
    const SessionCheck changed = officers_->check(outcome.session->token, at(desk_));
    EXPECT_EQ(changed.refused, SessionRefusal::OfficerChanged);
    ASSERT_TRUE(changed.principal);  // the refusal is the officer's, for the audit log
    EXPECT_EQ(changed.principal->officer_id, "lan");
    EXPECT_EQ(officers_->check(outcome.session->token, at(desk_)).refused, SessionRefusal::Expired);  // ended
}

TEST_F(OfficerSessionsTest, ALoggedOutOrUnknownTokenIsExpiredAndTheStationIsNotAskedForIt) {
    const LoginOutcome outcome = login("lan", "right", desk_);
    ASSERT_TRUE(outcome.session);
    officers_->logout(outcome.session->token);
    bool asked = false;
    const auto station = [&] {
        asked = true;
        return desk_;
    };
    EXPECT_EQ(officers_->check(outcome.session->token, station).refused, SessionRefusal::Expired);
    EXPECT_EQ(officers_->check("not-a-token", station).refused, SessionRefusal::Expired);
    EXPECT_FALSE(asked);
}

}  // namespace
