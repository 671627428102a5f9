#include "station/core/issuance_client.hpp"

#include <boost/json.hpp>

#include <cctype>

#include "base/encoding.hpp"
#include "crypto/hash.hpp"
#include "identity/record_json.hpp"

namespace cccd::station {

namespace {

namespace json = boost::json;

json::object object_of(const std::string& body, std::string_view what) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) throw net::ClientError(std::string(what) + ": the server's answer is not a JSON object");
    return std::move(v.as_object());
}

std::string text_of(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->get_string().c_str()) : std::string();
}

std::vector<std::string> texts_of(const json::object& o, std::string_view name) {
    std::vector<std::string> out;
    if (const json::value* v = o.if_contains(name); v != nullptr && v->is_array())
        for (const auto& item : v->as_array())
            if (item.is_string()) out.emplace_back(item.get_string().c_str());
    return out;
}

[[noreturn]] void refusal(const net::HttpAnswer& answer) {
    auto [code, message] = net::error_of(answer.body);
    if (code.empty()) code = "http_" + std::to_string(answer.status);
    throw ServerRefusal(answer.status, std::move(code), std::move(message), answer.request_id);
}

// RFC 3986 percent-encoding of a query value (UTF-8 bytes; unreserved characters kept).
std::string query_value(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0x0F];
        }
    }
    return out;
}

CitizenFound citizen_of(const json::value& v) {
    if (!v.is_object() || !v.as_object().contains("record")) throw net::ClientError("citizen lookup: the answer has no record");
    CitizenFound found;
    found.record = identity::parse_enrollment_record(json::serialize(v.at("record")));
    found.status = text_of(v.as_object(), "status");
    return found;
}

}  // namespace

std::string decision_idempotency_key(std::string_view decision, const std::string& enrollment_id,
                                     const std::string& officer_id, const std::string& reason) {
    const std::string what = enrollment_id + "\n" + officer_id + "\n" + reason;
    return std::string(decision) + "-" + to_hex(crypto::sha256(view(what))).substr(0, 32);
}

IssuanceClient::IssuanceClient(net::HttpsClientOptions options) : https_(std::move(options)) {}

net::HttpAnswer IssuanceClient::call(std::string_view method, std::string_view target, std::string body,
                                     const std::string& idempotency_key) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    return https_.send(method, target, std::move(body), headers);
}

OfficerSession IssuanceClient::login(const std::string& officer_id, const std::string& password) {
    token_.clear();
    json::object body;
    body["officer_id"] = officer_id;
    body["password"] = password;
    const net::HttpAnswer answer = call("POST", "/api/v1/sessions", json::serialize(body));
    if (answer.status != 201 && answer.status != 200) refusal(answer);
    const json::object o = object_of(answer.body, "login");
    token_ = text_of(o, "token");
    if (token_.empty()) throw net::ClientError("login: the server gave no session token");
    OfficerSession session;
    session.officer_id = officer_id;
    session.role = text_of(o, "role");
    session.station_id = text_of(o, "station_id");
    if (const auto* e = o.if_contains("expires_in_seconds"); e != nullptr && e->is_int64())
        session.expires_in = std::chrono::seconds(e->get_int64());
    return session;
}

void IssuanceClient::logout() noexcept {
    if (token_.empty()) return;
    try {
        (void)call("DELETE", "/api/v1/sessions/current", {});
    } catch (...) {
        // Logged out locally either way; the server's session expires on its own.
    }
    token_.clear();
}

EnrollmentAccepted IssuanceClient::submit_enrollment(const std::string& body, const std::string& idempotency_key) {
    const net::HttpAnswer answer = call("POST", "/api/v1/enrollments", body, idempotency_key);
    if (answer.status != 201 && answer.status != 200) refusal(answer);
    const json::object o = object_of(answer.body, "enrollment");
    EnrollmentAccepted accepted;
    accepted.enrollment_id = text_of(o, "enrollment_id");
    accepted.card_number = text_of(o, "card_number");
    accepted.document_number = text_of(o, "document_number");
    accepted.status = text_of(o, "status");
    accepted.approval_required_for = texts_of(o, "approval_required_for");
    if (accepted.card_number.empty()) throw net::ClientError("enrollment: the server's answer has no card number");
    return accepted;
}

std::vector<PendingApproval> IssuanceClient::list_approvals() {
    const net::HttpAnswer answer = call("GET", "/api/v1/approvals", {});
    if (answer.status != 200) refusal(answer);
    const json::object o = object_of(answer.body, "approval list");
    std::vector<PendingApproval> pending;
    const auto* list = o.if_contains("approvals");
    if (list == nullptr || !list->is_array()) return pending;
    for (const auto& v : list->as_array()) {
        if (!v.is_object()) throw net::ClientError("approval list: an entry is not a JSON object");
        const json::object& a = v.as_object();
        PendingApproval p;
        p.enrollment_id = text_of(a, "enrollment_id");
        p.card_number = text_of(a, "card_number");
        p.personal_id = text_of(a, "personal_id");
        p.station_id = text_of(a, "station_id");
        p.officer_id = text_of(a, "officer_id");
        p.created_at = text_of(a, "created_at");
        const auto* mine = a.if_contains("submitted_by_you");
        p.submitted_by_you = mine != nullptr && mine->is_bool() && mine->get_bool();
        if (const auto* changes = a.if_contains("changes"); changes != nullptr && changes->is_array()) {
            for (const auto& c : changes->as_array()) {
                if (!c.is_object()) throw net::ClientError("approval list: a change is not a JSON object");
                IdentityChange change;
                change.field = text_of(c.as_object(), "field");
                if (change.field == "photo") {
                    try {
                        change.registered_photo = base64_decode(text_of(c.as_object(), "registered"));
                        change.submitted_photo = base64_decode(text_of(c.as_object(), "submitted"));
                    } catch (const InvalidArgument&) {
                        throw net::ClientError("approval list: a photo is not base64");
                    }
                } else {
                    change.registered = text_of(c.as_object(), "registered");
                    change.submitted = text_of(c.as_object(), "submitted");
                }
                p.changes.push_back(std::move(change));
            }
        }
        if (p.enrollment_id.empty()) throw net::ClientError("approval list: an entry has no enrollment id");
        pending.push_back(std::move(p));
    }
    return pending;
}

ApprovalDecision IssuanceClient::approve_enrollment(const std::string& enrollment_id, const std::string& idempotency_key) {
    return decide(enrollment_id, "approve", {}, idempotency_key);
}

ApprovalDecision IssuanceClient::reject_enrollment(const std::string& enrollment_id, const std::string& reason,
                                                   const std::string& idempotency_key) {
    std::string body;
    if (!reason.empty()) body = json::serialize(json::object{{"reason", reason}});
    return decide(enrollment_id, "reject", std::move(body), idempotency_key);
}

ApprovalDecision IssuanceClient::decide(const std::string& enrollment_id, std::string_view decision, std::string body,
                                        const std::string& idempotency_key) {
    const net::HttpAnswer answer = call("POST", "/api/v1/enrollments/" + query_value(enrollment_id) + "/" + std::string(decision),
                                        std::move(body), idempotency_key);
    if (answer.status != 200) refusal(answer);
    const json::object o = object_of(answer.body, "approval");
    ApprovalDecision d;
    d.enrollment_id = text_of(o, "enrollment_id");
    d.card_number = text_of(o, "card_number");
    d.status = text_of(o, "status");
    return d;
}

std::optional<CitizenFound> IssuanceClient::find_citizen(const std::string& personal_id) {
    const net::HttpAnswer answer = call("GET", "/api/v1/citizens/" + query_value(personal_id), {});
    if (answer.status == 404) return std::nullopt;
    if (answer.status != 200) refusal(answer);
    return citizen_of(json::value(object_of(answer.body, "citizen lookup")));
}

std::vector<CitizenFound> IssuanceClient::search_citizens(const std::string& name, int limit) {
    const net::HttpAnswer answer =
        call("GET", "/api/v1/citizens?name=" + query_value(name) + "&limit=" + std::to_string(limit), {});
    if (answer.status != 200) refusal(answer);
    const json::object o = object_of(answer.body, "citizen search");
    std::vector<CitizenFound> found;
    if (const auto* list = o.if_contains("citizens"); list != nullptr && list->is_array())
        for (const auto& v : list->as_array()) found.push_back(citizen_of(v));
    return found;
}

Bytes IssuanceClient::sign_sod(const std::string& card_number, const std::map<int, Bytes>& data_groups,
                               ByteView chip_serial, const std::string& idempotency_key) {
    json::object groups;
    for (const auto& [number, bytes] : data_groups) groups["DG" + std::to_string(number)] = base64_encode(bytes);
    const json::object body{{"data_groups", groups}, {"chip_serial", to_hex(chip_serial)}};
    const net::HttpAnswer answer = call("POST", "/api/v1/cards/" + card_number + "/sod", json::serialize(body), idempotency_key);
    if (answer.status != 200 && answer.status != 201) refusal(answer);
    const json::object o = object_of(answer.body, "SOD signing");
    try {
        return base64_decode(text_of(o, "ef_sod"));
    } catch (const InvalidArgument&) {
        throw net::ClientError("SOD signing: the server's EF.SOD is not base64");
    }
}

std::string IssuanceClient::activate(const std::string& card_number, ByteView sod_read_back,
                                     const std::vector<pa::Check>& checks, const std::string& idempotency_key) {
    json::array verdicts;
    for (const auto& c : checks) verdicts.push_back({{"check", c.name}, {"verdict", std::string(pa::verdict_name(c.verdict))}});
    const json::object body{{"sod_digest", to_hex(crypto::sha256(sod_read_back))}, {"checks", verdicts}};
    const net::HttpAnswer answer =
        call("POST", "/api/v1/cards/" + card_number + "/activate", json::serialize(body), idempotency_key);
    if (answer.status != 200) refusal(answer);
    return text_of(object_of(answer.body, "activation"), "status");
}

}  // namespace cccd::station
