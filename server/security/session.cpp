#include "server/security/session.hpp"

#include <algorithm>
#include <utility>

#include "base/encoding.hpp"
#include "base/error.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace cccd::server::security {

std::string SessionRecord::handle() const {
    return lower_hex(ByteView(token_hash).first(std::min<std::size_t>(8, token_hash.size())));
}

std::string officer_credential(const Officer& officer) {
    return lower_hex(ByteView(crypto::sha256(view(officer.password_hash))).first(16));
}

bool session_still_valid(const SessionPrincipal& principal, const std::optional<Officer>& officer) {
    return officer && officer->active && officer->id == principal.officer_id && officer->role == principal.role &&
           constant_time_equal(view(officer_credential(*officer)), view(principal.credential));
}

// ---- InMemorySessionStore ----

void InMemorySessionStore::insert(const SessionRecord& record) {
    std::lock_guard lock(mutex_);
    records_.insert_or_assign(record.token_hash, record);
}

std::optional<SessionRecord> InMemorySessionStore::find(ByteView token_hash) {
    std::lock_guard lock(mutex_);
    const auto it = records_.find(Bytes(token_hash.begin(), token_hash.end()));
    if (it == records_.end()) return std::nullopt;
    // The map compares hashes, which reveal nothing usable about tokens; the final check is still
    // constant-time so no comparison of secret-derived bytes exits early.
    if (!constant_time_equal(it->second.token_hash, token_hash)) return std::nullopt;
    return it->second;
}

void InMemorySessionStore::touch(ByteView token_hash, SessionClock::time_point last_used_at) {
    std::lock_guard lock(mutex_);
    const auto it = records_.find(Bytes(token_hash.begin(), token_hash.end()));
    if (it != records_.end() && it->second.last_used_at < last_used_at) it->second.last_used_at = last_used_at;
}

bool InMemorySessionStore::erase(ByteView token_hash) {
    std::lock_guard lock(mutex_);
    return records_.erase(Bytes(token_hash.begin(), token_hash.end())) > 0;
}

std::size_t InMemorySessionStore::erase_officer(std::string_view officer_id) {
    std::lock_guard lock(mutex_);
    return std::erase_if(records_, [&](const auto& entry) { return entry.second.principal.officer_id == officer_id; });
}

std::size_t InMemorySessionStore::erase_expired(SessionClock::time_point now, SessionClock::time_point idle_before) {
    std::lock_guard lock(mutex_);
    return std::erase_if(records_, [&](const auto& entry) {
        return entry.second.expires_at <= now || entry.second.last_used_at <= idle_before;
    });
}

std::size_t InMemorySessionStore::size() {
    std::lock_guard lock(mutex_);
    return records_.size();
}

// ---- tokens ----

std::optional<Bytes> session_token_hash(std::string_view token) {
    if (token.size() != session_token_chars) return std::nullopt;
    Bytes raw;
    try {
        raw = base64url_decode(token);
    } catch (const InvalidArgument&) {
        return std::nullopt;
    }
    if (raw.size() != session_token_bytes) return std::nullopt;
    Bytes hash = crypto::sha256(raw);
    secure_wipe(raw);
    return hash;
}

// ---- SessionManager ----

SessionManager::SessionManager(std::shared_ptr<SessionStore> store, SessionPolicy policy)
    : store_(std::move(store)), policy_(policy) {
    if (!store_) throw InvalidArgument("a session manager needs a store");
    if (policy_.lifetime.count() <= 0 || policy_.idle_timeout.count() <= 0)
        throw InvalidArgument("session lifetime and idle timeout must be positive");
}

NewSession SessionManager::create(const SessionPrincipal& principal, SessionClock::time_point now) {
    if (principal.officer_id.empty() || principal.station_id.empty())
        throw InvalidArgument("a session needs an officer id and a station id");
    SecretBytes raw(crypto::random_bytes(session_token_bytes));
    NewSession created;
    created.token = base64url_encode(raw.view());
    created.record.token_hash = crypto::sha256(raw.view());
    created.record.principal = principal;
    created.record.created_at = now;
    created.record.last_used_at = now;
    created.record.expires_at = now + policy_.lifetime;
    {
        std::lock_guard lock(purge_mutex_);
        if (now >= next_purge_) {
            next_purge_ = now + policy_.purge_interval;
            purge_expired(now);
        }
    }
    store_->insert(created.record);
    return created;
}

std::optional<SessionRecord> SessionManager::authenticate(std::string_view token, SessionClock::time_point now) {
    const auto hash = session_token_hash(token);
    if (!hash) return std::nullopt;
    auto record = store_->find(*hash);
    if (!record) return std::nullopt;
    if (now >= record->expires_at || now - record->last_used_at >= policy_.idle_timeout) {
        store_->erase(*hash);
        return std::nullopt;
    }
    store_->touch(*hash, now);
    record->last_used_at = now;
    return record;
}

bool SessionManager::revoke(std::string_view token) {
    const auto hash = session_token_hash(token);
    return hash && store_->erase(*hash);
}

std::size_t SessionManager::revoke_officer(std::string_view officer_id) { return store_->erase_officer(officer_id); }

std::size_t SessionManager::purge_expired(SessionClock::time_point now) {
    return store_->erase_expired(now, now - policy_.idle_timeout);
}

}  // namespace cccd::server::security
