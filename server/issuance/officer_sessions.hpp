#pragma once
// Officers' sessions without HTTP: a login at a registered station, the check of a request's session,
// a logout. server/api turns the outcomes into answers; they are values, not exceptions.
//
//   login:  1. an ID no officer can have is not looked up (it may hold anything), only checked
//           2. a locked officer ID or station is refused whatever the password (a lock must not
//              confirm a right guess)
//           3. exactly one Argon2id verification whether the officer exists, is disabled or typed a
//              wrong password: one answer and one cost for all three
//           4. a failure counts towards the locks; a success clears the officer's count and opens a
//              session bound to the station and to the officer's credential
//   check:  the token names a live session, opened at this station, by an officer the register still
//           holds unchanged (a disable, a role change or a new password on any instance ends it)
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "server/security/login_throttle.hpp"
#include "server/security/session.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::issuance {

struct LoginOutcome {
    enum class Result { LoggedIn, Locked, WrongCredentials };
    Result result = Result::WrongCredentials;
    // Who the attempt was about, for the audit log: "officer:<id>" when the ID exists, else a keyed
    // fingerprint of what was typed (a password typed into the ID field is never written as typed).
    std::string audit_subject;
    // Locked: the lock in force. WrongCredentials: the lock this failure started, if it started one.
    std::optional<security::LoginThrottle::Lock> lock;
    std::optional<security::NewSession> session;  // LoggedIn
};

enum class SessionRefusal {
    Expired,         // no live session has this token (expired, idle, closed, or never issued)
    OtherStation,    // the session was opened at another station
    OfficerChanged,  // the officer was disabled or changed since the login; the session is ended now
};

struct SessionCheck {
    std::optional<SessionRefusal> refused;
    // The session's officer and station: set when the session holds, and for OfficerChanged (whose
    // refusal the audit log attributes to that officer).
    std::optional<security::SessionPrincipal> principal;
};

class OfficerSessions {
public:
    // Checks a password against an encoded Argon2id hash (security::verify_password in service).
    using PasswordVerifier = std::function<bool(std::string_view encoded, const SecretBytes& password)>;

    OfficerSessions(Storage& storage, security::SessionManager& sessions, security::LoginThrottle& throttle,
                    PasswordVerifier verify_password);

    LoginOutcome login(std::string_view officer_id, const SecretBytes& password, const Station& station);
    // calling_station: the station the request comes from, asked only once the token names a live
    // session (what it throws, for a station the register does not know, passes through).
    SessionCheck check(std::string_view token, const std::function<Station()>& calling_station);
    void logout(std::string_view token);

    // Seconds a session lives (for the login's answer).
    std::chrono::seconds session_lifetime() const;

private:
    Storage& storage_;
    security::SessionManager& sessions_;
    security::LoginThrottle& throttle_;
    PasswordVerifier verify_password_;
};

// The Argon2id hash an unknown officer ID is checked against, so that an ID that does not exist costs
// the same as a wrong password (made once per process, with the parameters of real hashes). Call it at
// start-up, so the first unknown ID does not cost more than the rest.
const std::string& unknown_officer_hash();

}  // namespace cccd::server::issuance
