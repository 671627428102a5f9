#pragma once
// Officer sessions. A token is 32 random bytes (base64url, 43 characters) handed to the client once;
// the server keeps only SHA-256(token), so a leaked session table cannot be replayed. A session is
// bound to one officer, one station and one role, expires at a fixed time after login and earlier
// if unused for longer than the idle timeout.
//
// SessionManager holds the policy (tokens, expiry, idle timeout); SessionStore is storage only, so a
// Redis or database store can replace InMemorySessionStore without touching the policy.
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "server/model/model.hpp"

namespace cccd::server::security {

using SessionClock = std::chrono::system_clock;

struct SessionPrincipal {
    std::string officer_id;
    std::string station_id;
    Role role = Role::EnrollmentOfficer;
    std::string credential{};  // officer_credential() at login: a new password ends the session
    friend bool operator==(const SessionPrincipal&, const SessionPrincipal&) = default;
};

// A fingerprint of the password hash an officer logged in against (not the hash itself): it changes
// when the password is replaced, so a session can tell that its officer's credentials changed.
std::string officer_credential(const Officer& officer);

// Whether a session opened for `principal` may still act for `officer` as the register holds it now:
// the officer exists, is active, has the same role and the same password as at login. Every request
// asks this of the officer read afresh, so a disable, a role change or a new password ends the
// officer's sessions at once on every server instance.
bool session_still_valid(const SessionPrincipal& principal, const std::optional<Officer>& officer);

struct SessionRecord {
    Bytes token_hash;                       // SHA-256 of the raw 32 token bytes
    SessionPrincipal principal;
    SessionClock::time_point created_at;
    SessionClock::time_point last_used_at;
    SessionClock::time_point expires_at;    // absolute end, whatever the activity
    // A short, non-secret name for logs and revocation lists: the first 8 bytes of token_hash in hex.
    std::string handle() const;
};

// Storage of session records, keyed by token hash. Implementations must be thread-safe.
class SessionStore {
public:
    virtual ~SessionStore() = default;
    virtual void insert(const SessionRecord& record) = 0;
    virtual std::optional<SessionRecord> find(ByteView token_hash) = 0;
    virtual void touch(ByteView token_hash, SessionClock::time_point last_used_at) = 0;
    virtual bool erase(ByteView token_hash) = 0;
    virtual std::size_t erase_officer(std::string_view officer_id) = 0;
    // Removes records past expires_at or last used at or before `idle_before`.
    virtual std::size_t erase_expired(SessionClock::time_point now, SessionClock::time_point idle_before) = 0;
    virtual std::size_t size() = 0;
};

// A map under a mutex; sessions are lost when the process ends (officers log in again).
class InMemorySessionStore final : public SessionStore {
public:
    void insert(const SessionRecord& record) override;
    std::optional<SessionRecord> find(ByteView token_hash) override;
    void touch(ByteView token_hash, SessionClock::time_point last_used_at) override;
    bool erase(ByteView token_hash) override;
    std::size_t erase_officer(std::string_view officer_id) override;
    std::size_t erase_expired(SessionClock::time_point now, SessionClock::time_point idle_before) override;
    std::size_t size() override;

private:
    std::mutex mutex_;
    std::map<Bytes, SessionRecord, std::less<>> records_;
};

struct SessionPolicy {
    std::chrono::seconds lifetime{std::chrono::hours(2)};        // absolute, from login
    std::chrono::seconds idle_timeout{std::chrono::minutes(15)}; // since the last authenticated request
    std::chrono::seconds purge_interval{std::chrono::minutes(1)};  // how often create() sweeps the store
};

struct NewSession {
    std::string token;      // give to the client once; never log it, never store it
    SessionRecord record;
};

class SessionManager {
public:
    explicit SessionManager(std::shared_ptr<SessionStore> store, SessionPolicy policy = {});

    NewSession create(const SessionPrincipal& principal, SessionClock::time_point now = SessionClock::now());
    // The session behind `token` if it exists, has not expired and has not been idle too long; the
    // idle timer restarts. A malformed, unknown, expired or idle token gives nullopt (an expired or
    // idle one is also removed). The token is compared only through its hash, in constant time.
    std::optional<SessionRecord> authenticate(std::string_view token, SessionClock::time_point now = SessionClock::now());
    // Logout. False when the token was not a live session.
    bool revoke(std::string_view token);
    // Every session of an officer (deactivated account, changed password).
    std::size_t revoke_officer(std::string_view officer_id);
    // Removes expired and idle sessions. create() calls it once per purge_interval, so the store holds
    // at most the sessions opened within one lifetime, however long the server runs.
    std::size_t purge_expired(SessionClock::time_point now = SessionClock::now());

    const SessionPolicy& policy() const noexcept { return policy_; }

private:
    std::shared_ptr<SessionStore> store_;
    SessionPolicy policy_;
    std::mutex purge_mutex_;
    SessionClock::time_point next_purge_{};
};

inline constexpr std::size_t session_token_bytes = 32;
inline constexpr std::size_t session_token_chars = 43;  // base64url without padding

// SHA-256 of the token's raw bytes; nullopt when the text is not a well-formed token.
std::optional<Bytes> session_token_hash(std::string_view token);

}  // namespace cccd::server::security
