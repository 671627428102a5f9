#include "server/issuance/officer_sessions.hpp"

#include "base/encoding.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium.hpp"
#include "server/security/password.hpp"

namespace cccd::server::issuance {

namespace {

std::string login_subject(const std::optional<Officer>& officer, std::string_view typed_id) {
    if (officer) return "officer:" + officer->id;
    static const Bytes key = crypto::random_bytes(32);  // per process: links attempts within one run
    return "officer-attempt:" + lower_hex(crypto::keyed_hash(key, view(typed_id), 16)).substr(0, 16);
}

}  // namespace

const std::string& unknown_officer_hash() {
    static const std::string hash = [] {
        const SecretBytes never(crypto::random_bytes(32));
        return security::hash_password(never);
    }();
    return hash;
}

OfficerSessions::OfficerSessions(Storage& storage, security::SessionManager& sessions, security::LoginThrottle& throttle,
                                 PasswordVerifier verify_password)
    : storage_(storage), sessions_(sessions), throttle_(throttle),
      verify_password_(verify_password ? std::move(verify_password) : PasswordVerifier(security::verify_password)) {}

LoginOutcome OfficerSessions::login(std::string_view officer_id, const SecretBytes& password, const Station& station) {
    LoginOutcome out;
    // 1. Only an ID an officer can have is looked up.
    const std::string id(officer_id);
    const auto officer = is_valid_officer_id(id) ? storage_.read([&](Transaction& t) { return t.get_officer(id); })
                                                 : std::nullopt;
    out.audit_subject = login_subject(officer, officer_id);
    // 2. A lock holds whatever the password.
    if (auto lock = throttle_.locked(officer_id, station.id)) {
        out.result = LoginOutcome::Result::Locked;
        out.lock = lock;
        return out;
    }
    // 3. One verification, whoever asked.
    const bool matches = verify_password_(officer ? officer->password_hash : unknown_officer_hash(), password);
    // 4. Count the failure, or open the session.
    if (!officer || !officer->active || !matches) {
        out.result = LoginOutcome::Result::WrongCredentials;
        out.lock = throttle_.failed(officer_id, station.id);
        return out;
    }
    throttle_.succeeded(officer_id);
    out.result = LoginOutcome::Result::LoggedIn;
    out.session = sessions_.create({officer->id, station.id, officer->role, security::officer_credential(*officer)});
    return out;
}

SessionCheck OfficerSessions::check(std::string_view token, const std::function<Station()>& calling_station) {
    SessionCheck out;
    const auto record = sessions_.authenticate(token);
    if (!record) {
        out.refused = SessionRefusal::Expired;
        return out;
    }
    if (calling_station().id != record->principal.station_id) {
        out.refused = SessionRefusal::OtherStation;
        return out;
    }
    // The officer as the register holds them now, not as they were at the login.
    const auto officer = storage_.read([&](Transaction& t) { return t.get_officer(record->principal.officer_id); });
    out.principal = record->principal;
    if (!security::session_still_valid(record->principal, officer)) {
        sessions_.revoke(token);
        out.refused = SessionRefusal::OfficerChanged;
    }
    return out;
}

void OfficerSessions::logout(std::string_view token) { sessions_.revoke(token); }

std::chrono::seconds OfficerSessions::session_lifetime() const { return sessions_.policy().lifetime; }

}  // namespace cccd::server::issuance
