#pragma once
// How a station operation that did not succeed ended, as a code: the window and the headless mode put
// it in the officer's words (station/words, through Qt's translation), the core never does.
//
//   try { ... an operation ... } catch (...) {
//       const OperationFailure failure = failure_of(Operation::Issue, std::current_exception());
//       ... failure.code, failure.retriable(), failure.detail ...
//   }
//
// Retriable codes: the same request may succeed with nothing changed but time, the card put back, or a
// new login. Fatal codes: something must change first (the input, the officer, a decision, the
// configuration, the program).
#include <array>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace cccd::station {

// What the officer asked for: the same exception can mean another thing in another operation (401 is
// a wrong password at login and an expired session elsewhere; 409 conflict on a decision means
// somebody decided first).
enum class Operation {
    OpenQueue, Login, Enroll, Deliver, Issue, VerifyCard, Search, ListApprovals, Decide, Diagnose, ImportTransportKeys
};

inline constexpr std::array kOperations{Operation::OpenQueue, Operation::Login,        Operation::Enroll,
                                        Operation::Deliver,   Operation::Issue,        Operation::VerifyCard,
                                        Operation::Search,    Operation::ListApprovals, Operation::Decide,
                                        Operation::Diagnose,  Operation::ImportTransportKeys};

enum class Failure {
    // Retriable
    CardRemoved,           // the card left the reader (a personalization can run again with the same card)
    ServerUnreachable,     // no answer: network, TLS, timeout, an answer outside the contract
    ServerBusy,            // the server asked to come back later (429, 5xx)
    SessionExpired,        // 401 outside the login: log in again; nothing about the request is wrong
    ReaderServiceDown,     // the PC/SC service (pcscd) is not running or restarted
    Cancelled,             // the officer cancelled (before LOCK the card stays blank and unlocked)
    // Fatal
    NotLoggedIn,           // the operation needs an officer's session
    NotDelivered,          // no enrollment of this ID number has reached the server yet
    SearchTooShort,        // a search needs a 12-digit ID number or at least 2 letters of the name
    InvalidInput,          // InvalidArgument: a record, a file or a setting that cannot be used (detail)
    WrongCredentials,      // 401 at login: a wrong officer id or password (one answer for both)
    AccessDenied,          // the card refused the CAN or the transport key
    UnknownBlankCard,      // the blank card's chip serial is in no imported batch manifest (import it first)
    AwaitingApproval,      // 409 approval_required: a supervisor must approve the identity change first
    SecondPersonRequired,  // 403 second_person_required: the submitting officer cannot decide
    ForbiddenRole,         // 403 forbidden_role: a supervisor's or an administrator's call
    AlreadyDecided,        // 409 conflict on a decision: the enrollment no longer waits for one
    ServerRefused,         // any other refusal of the server (server_code, detail: its message)
    Failed,                // another cccd::Error: the card, the reader, the queue file, a key file (detail)
    Internal,              // not a cccd::Error: a programming error, said as such (detail)
};

inline constexpr std::array kFailures{
    Failure::CardRemoved,    Failure::ServerUnreachable, Failure::ServerBusy,       Failure::SessionExpired,
    Failure::ReaderServiceDown, Failure::Cancelled,      Failure::NotLoggedIn,      Failure::NotDelivered,
    Failure::SearchTooShort, Failure::InvalidInput,      Failure::WrongCredentials, Failure::AccessDenied,
    Failure::UnknownBlankCard,
    Failure::AwaitingApproval, Failure::SecondPersonRequired, Failure::ForbiddenRole, Failure::AlreadyDecided,
    Failure::ServerRefused,  Failure::Failed,            Failure::Internal};

// "card_removed", "server_unreachable", ...: stable, for logs.
std::string_view to_string(Failure code) noexcept;
bool retriable(Failure code) noexcept;

struct OperationFailure {
    Operation operation = Operation::Diagnose;
    Failure code = Failure::Internal;
    std::string detail;       // what failed, in English (an exception's message or the server's): never personal data
    std::string server_code;  // the server's refusal code, when the server refused
    std::string request_id;   // what the server logged the refused request under (X-Request-Id), when it refused
    std::vector<std::string> fields;  // AwaitingApproval: the identity fields the enrollment changes (may be empty)
    bool retriable() const noexcept { return station::retriable(code); }
};

// An operation stopping itself with a code (not logged in, cancelled by the officer, ...).
class Stopped : public Error {
public:
    explicit Stopped(Failure code);
    Failure code() const noexcept { return code_; }

private:
    Failure code_;
};

// The one place an exception of a station operation becomes a code. Never throws: what is not a
// cccd::Error becomes Internal, with its message as the detail.
OperationFailure failure_of(Operation operation, const std::exception_ptr& exception);

}  // namespace cccd::station
