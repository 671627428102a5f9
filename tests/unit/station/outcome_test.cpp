// The station's and the kiosk's outcome codes: every exception an operation or a tap can end with
// becomes the one code it means (failure_of, kiosk_outcome_of), retriable kept apart from fatal; a
// programming error is never told as a card or network problem.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "auth/assertion.hpp"
#include "auth/errors.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "station/core/issue_card.hpp"
#include "station/core/kiosk.hpp"
#include "station/core/outcome.hpp"

namespace cccd::station {
namespace {

template <typename E>
OperationFailure failure(Operation operation, E exception) {
    return failure_of(operation, std::make_exception_ptr(std::move(exception)));
}

TEST(StationOutcome, EachExceptionBecomesTheCodeItMeansInItsOperation) {
    EXPECT_EQ(failure(Operation::Issue, Stopped(Failure::NotLoggedIn)).code, Failure::NotLoggedIn);
    EXPECT_EQ(failure(Operation::Issue, Stopped(Failure::Cancelled)).code, Failure::Cancelled);
    EXPECT_EQ(failure(Operation::Login, ServerRefusal(401, "unauthenticated", "wrong officer or password")).code,
              Failure::WrongCredentials);
    EXPECT_EQ(failure(Operation::Search, ServerRefusal(401, "unauthenticated", "session expired")).code, Failure::SessionExpired);
    EXPECT_EQ(failure(Operation::Enroll, ServerRefusal(429, "too_many_requests", "later")).code, Failure::ServerBusy);
    EXPECT_EQ(failure(Operation::Enroll, ServerRefusal(503, "service_unavailable", "later")).code, Failure::ServerBusy);
    EXPECT_EQ(failure(Operation::Decide, ServerRefusal(403, "second_person_required", "m")).code, Failure::SecondPersonRequired);
    EXPECT_EQ(failure(Operation::ListApprovals, ServerRefusal(403, "forbidden_role", "m")).code, Failure::ForbiddenRole);
    EXPECT_EQ(failure(Operation::Decide, ServerRefusal(409, "conflict", "m")).code, Failure::AlreadyDecided);
    EXPECT_EQ(failure(Operation::Issue, ServerRefusal(409, "conflict", "m")).code, Failure::ServerRefused);
    EXPECT_EQ(failure(Operation::Issue, ServerRefusal(409, "approval_required", "m")).code, Failure::AwaitingApproval);
    EXPECT_EQ(failure(Operation::Login, net::ClientError("cannot connect")).code, Failure::ServerUnreachable);
    EXPECT_EQ(failure(Operation::Issue, channel::CardRemovedError("gone")).code, Failure::CardRemoved);
    EXPECT_EQ(failure(Operation::VerifyCard, session::AccessDeniedError("wrong CAN")).code, Failure::AccessDenied);
    EXPECT_EQ(failure(Operation::Issue, reader::ReaderServiceError("pcscd")).code, Failure::ReaderServiceDown);
    EXPECT_EQ(failure(Operation::Enroll, InvalidArgument("the full name is missing")).code, Failure::InvalidInput);
    EXPECT_EQ(failure(Operation::Issue, ProtocolError("PACE", 3, "bad token")).code, Failure::Failed);
    EXPECT_EQ(failure(Operation::Issue, std::out_of_range("map::at")).code, Failure::Internal);
    EXPECT_EQ(failure(Operation::Issue, 42).code, Failure::Internal);
}

TEST(StationOutcome, ARefusalKeepsTheServersCodeAndMessageAndAnApprovalItsFields) {
    const OperationFailure refused = failure(Operation::Search, ServerRefusal(404, "not_found", "no citizen with this ID number"));
    EXPECT_EQ(refused.operation, Operation::Search);
    EXPECT_EQ(refused.server_code, "not_found");
    EXPECT_EQ(refused.detail, "no citizen with this ID number");
    const OperationFailure waiting =
        failure(Operation::Issue, AwaitingApprovalError(ServerRefusal(409, "approval_required", "awaiting approval"), {"full_name", "photo"}));
    EXPECT_EQ(waiting.code, Failure::AwaitingApproval);
    EXPECT_EQ(waiting.server_code, "approval_required");
    EXPECT_EQ(waiting.fields, (std::vector<std::string>{"full_name", "photo"}));
    EXPECT_TRUE(failure(Operation::Issue, net::ClientError("no route")).server_code.empty());
}

TEST(StationOutcome, RetriableIsTheCardTheNetworkTheSessionOrTheOfficersCancel) {
    const std::set<Failure> expected{Failure::CardRemoved,    Failure::ServerUnreachable, Failure::ServerBusy,
                                     Failure::SessionExpired, Failure::ReaderServiceDown, Failure::Cancelled};
    std::set<std::string_view> names;
    for (const Failure code : kFailures) {
        EXPECT_EQ(retriable(code), expected.count(code) == 1) << to_string(code);
        names.insert(to_string(code));
    }
    EXPECT_EQ(names.size(), kFailures.size()) << "each code has its own name";
    EXPECT_TRUE(failure(Operation::Deliver, net::ClientError("down")).retriable());
    EXPECT_FALSE(failure(Operation::Decide, ServerRefusal(409, "conflict", "m")).retriable());
}

TEST(KioskOutcome, EveryRefusalOfTheAuthenticationApiHasItsCode) {
    using auth::AuthError;
    const std::pair<AuthError, KioskCode> expected[] = {
        {AuthError::InputInvalid, KioskCode::ServerRefused},       {AuthError::RelyingPartyUnknown, KioskCode::ServerRefused},
        {AuthError::ChallengeUnknown, KioskCode::ChallengeExpired}, {AuthError::ChallengeExpired, KioskCode::ChallengeExpired},
        {AuthError::ChallengeWrongParty, KioskCode::ServerRefused}, {AuthError::CardUnknown, KioskCode::CardUnknown},
        {AuthError::SodMismatch, KioskCode::CardUnknown},           {AuthError::SodNotPinnedAndPaFailed, KioskCode::CardUnknown},
        {AuthError::DataGroupMismatch, KioskCode::CardNotGenuine},  {AuthError::AaSignatureInvalid, KioskCode::CardNotGenuine},
        {AuthError::ChipAuthMismatch, KioskCode::CardNotGenuine},   {AuthError::CardNotIssued, KioskCode::CardNotIssued},
        {AuthError::CardSuspended, KioskCode::CardSuspended},       {AuthError::CardRevoked, KioskCode::CardRevoked},
        {AuthError::CardReplaced, KioskCode::CardReplaced},
        {AuthError::CardLost, KioskCode::CardLost},                 {AuthError::CardExpired, KioskCode::CardExpired},
        {AuthError::CitizenNotActive, KioskCode::CitizenNotActive}};
    for (const auto& [error, code] : expected) EXPECT_EQ(kiosk_code_of_refusal(auth::to_string(error)), code) << auth::to_string(error);
    EXPECT_EQ(kiosk_code_of_refusal("too_many_requests"), KioskCode::ServerBusy);
    EXPECT_EQ(kiosk_code_of_refusal("service_unavailable"), KioskCode::ServerBusy);
    EXPECT_EQ(kiosk_code_of_refusal("something_new"), KioskCode::ServerRefused);
}

template <typename E>
KioskOutcome tap_failure(E exception, bool card_connected) {
    return kiosk_outcome_of(std::make_exception_ptr(std::move(exception)), card_connected);
}

TEST(KioskOutcome, EachFailureOfATapBecomesTheCodeItMeans) {
    EXPECT_EQ(tap_failure(session::AccessDeniedError("the CAN is wrong"), true).code, KioskCode::WrongCan);
    EXPECT_EQ(tap_failure(channel::CardRemovedError("removed"), true).code, KioskCode::CardRemoved);
    EXPECT_EQ(tap_failure(channel::CardRemovedError("no card"), false).code, KioskCode::NoCard);
    const KioskOutcome busy = tap_failure(auth::client::RefusedError(429, "too_many_requests", "later", "challenge: 429"), true);
    EXPECT_EQ(busy.code, KioskCode::ServerBusy);
    EXPECT_EQ(busy.server_code, "too_many_requests");
    EXPECT_EQ(tap_failure(auth::client::RefusedError(403, "relying_party_unknown", "m", "w"), true).code, KioskCode::ServerRefused);
    EXPECT_EQ(tap_failure(auth::client::ClientError("cannot connect"), true).code, KioskCode::ServerUnreachable);
    EXPECT_EQ(tap_failure(auth::client::ClientError("cannot load the CA file"), false).code, KioskCode::KioskMisconfigured);
    EXPECT_EQ(tap_failure(auth::AssertionError("bad signature"), true).code, KioskCode::AnswerInvalid);
    EXPECT_EQ(tap_failure(reader::ReaderServiceError("pcscd"), false).code, KioskCode::ReaderMissing);
    EXPECT_EQ(tap_failure(reader::ReaderError("no reader found"), false).code, KioskCode::ReaderMissing);
    EXPECT_EQ(tap_failure(reader::ReaderError("transmit failed"), true).code, KioskCode::CardUnreadable);
    EXPECT_EQ(tap_failure(ProtocolError("PACE", 2, "bad nonce"), true).code, KioskCode::CardUnreadable);
    EXPECT_EQ(tap_failure(session::AccessDeniedError("the CAN is wrong"), true).detail, "the CAN is wrong");
}

TEST(KioskOutcome, AProgrammingErrorIsNotToldAsACardProblem) {
    EXPECT_THROW(tap_failure(std::logic_error("a bug"), true), std::logic_error);
    EXPECT_THROW(tap_failure(std::out_of_range("map::at"), false), std::out_of_range);
}

TEST(KioskOutcome, RetriableIsWhatTheCitizenCanTryAgain) {
    const std::set<KioskCode> expected{KioskCode::CanMalformed, KioskCode::WrongCan,          KioskCode::NoCard,
                                       KioskCode::CardRemoved,  KioskCode::CardUnreadable,    KioskCode::ServerUnreachable,
                                       KioskCode::ServerBusy,   KioskCode::ChallengeExpired};
    std::set<std::string_view> names;
    for (const KioskCode code : kKioskCodes) {
        EXPECT_EQ(retriable(code), expected.count(code) == 1) << to_string(code);
        names.insert(to_string(code));
    }
    EXPECT_EQ(names.size(), kKioskCodes.size()) << "each code has its own name";
}

TEST(KioskOutcome, ATapChecksTheCanFirstAndAKioskWithoutItsFilesSaysSo) {
    KioskConfig config;
    config.server = "https://127.0.0.1:1";
    config.server_ca = "/nonexistent/ca.pem";
    config.certificate = "/nonexistent/kiosk.pem";
    config.key = "/nonexistent/kiosk.key.pem";
    config.relying_party_id = "kiosk";
    EXPECT_EQ(tap_card(config, "12345").code, KioskCode::CanMalformed);
    EXPECT_EQ(tap_card(config, "12345a").code, KioskCode::CanMalformed);
    const KioskOutcome misconfigured = tap_card(config, "123456");
    EXPECT_EQ(misconfigured.code, KioskCode::KioskMisconfigured);
    EXPECT_FALSE(misconfigured.accepted());
    EXPECT_NE(misconfigured.detail.find("/nonexistent/"), std::string::npos) << misconfigured.detail;
}

}  // namespace
}  // namespace cccd::station
