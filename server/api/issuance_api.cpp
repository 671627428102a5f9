#include "server/api/issuance_api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <regex>
#include <stdexcept>

#include "base/clock.hpp"
#include "base/encoding.hpp"
#include "base/error.hpp"
#include "crypto/hash.hpp"
#include "identity/enrollment_record.hpp"
#include "identity/record_json.hpp"
#include "identity/text_rules.hpp"
#include "server/http/json_body.hpp"
#include "server/issuance/officer_sessions.hpp"

namespace cccd::server::api {

namespace {

namespace json = boost::json;
using http::HttpError;
using http::Request;
using http::Response;

constexpr std::size_t kMaxPhotoBytes = 20 * 1024;
const std::regex kIdempotencyKey("[A-Za-z0-9_-]{1,128}");
const std::regex kPersonalId("[0-9]{12}");
const std::regex kCardNumber("[0-9A-Z]{16}");
const std::regex kEnrollmentId("E[0-9a-f]{16}");

// The routes' state: their configuration and the issuance core over its storage and Document Signer.
struct Api {
    explicit Api(IssuanceContext c)
        : ctx(std::move(c)), service(ctx.storage, ctx.signer, issuance::system_clock(), ctx.issuance_options),
          officers(ctx.storage, ctx.sessions, *ctx.login_throttle, ctx.password_verifier) {}
    IssuanceContext ctx;
    issuance::IssuanceService service;
    issuance::OfficerSessions officers;
};

// One API call as the audit log sees it.
struct Call {
    explicit Call(std::string a) : action(std::move(a)) {}
    std::string action;
    std::string actor = "anonymous";
    std::string subject;
    std::string detail;
    security::SessionPrincipal principal;
    // The officer the session names, as the issuance core takes them.
    issuance::Actor officer() const { return {principal.officer_id, principal.station_id, principal.role}; }
};

std::string actor_of(const security::SessionPrincipal& p) { return "officer:" + p.officer_id + "@station:" + p.station_id; }

void count_store_error(IssuanceContext& ctx) {
    if (ctx.metrics) ctx.metrics->add("cccd_store_errors_total", {{"store", "database"}});
}

void audit_refusal(IssuanceContext& ctx, const Request& r, const Call& call, const std::string& code) {
    // A caller without a client certificate proved nothing: counted per peer and minute, not an entry each.
    if (!r.client_certificate) {
        ctx.anonymous_refusals->record(r.peer_address, code);
        return;
    }
    try {
        ctx.storage.transaction([&](Transaction& t) {
            append_audit(t, {utc_now(), call.actor, call.action, call.subject, code, call.detail});
        });
    } catch (const std::exception&) {
        // The refusal stands even when it cannot be recorded (the database may be the problem).
    }
}

// Each refusal of the issuance core as the API answers it (docs/issuance.md): the words are the core's.
HttpError http_error(const issuance::IssuanceRefusal& refusal) {
    using issuance::IssuanceError;
    const std::string message = refusal.what();
    switch (refusal.code()) {
        case IssuanceError::ForbiddenRole: return HttpError(403, "forbidden_role", message);
        case IssuanceError::RecordInvalid: return HttpError(422, "validation_failed", message);
        case IssuanceError::ProfileNotIssued: return HttpError(422, "profile_not_issued", message);
        case IssuanceError::CitizenUnknown:
        case IssuanceError::CardUnknown:
        case IssuanceError::EnrollmentUnknown: return HttpError(404, "not_found", message);
        case IssuanceError::CitizenNotLiving:
        case IssuanceError::CardNotPersonalizing:
        case IssuanceError::EnrollmentMissing:
        case IssuanceError::EnrollmentNotPersonalizing:
        case IssuanceError::SodNotSigned:
        case IssuanceError::CitizenGone:
        case IssuanceError::StatusChangeNotAllowed:
        case IssuanceError::EnrollmentNotAwaitingApproval:
        case IssuanceError::DecidedMeanwhile: return HttpError(409, "conflict", message);
        case IssuanceError::SignerUnavailable: return HttpError(503, "service_unavailable", message);
        case IssuanceError::ApprovalRequired: return HttpError(409, "approval_required", message);
        case IssuanceError::ChipKeysUnreadable:
        case IssuanceError::DataGroupMismatch: return HttpError(422, "sod_mismatch", message);
        case IssuanceError::ChipKeyRejected: return HttpError(422, "chip_key_rejected", message);
        case IssuanceError::ReadbackNotVerified:
        case IssuanceError::SodDigestMismatch: return HttpError(422, "readback_not_verified", message);
        case IssuanceError::SecondPersonRequired: return HttpError(403, "second_person_required", message);
    }
    throw std::logic_error("an issuance refusal without an answer");
}

// A handler body with the issuance core's refusals and storage errors as HttpErrors.
Response attempt(IssuanceContext& ctx, Call& call, const std::function<Response()>& body) {
    try {
        return body();
    } catch (const issuance::IssuanceRefusal& e) {
        if (!e.subject().empty()) call.subject = e.subject();
        throw http_error(e);
    } catch (const StaleStateError& e) {
        throw HttpError(409, "conflict", "the card's status changed meanwhile: reload it and try again");
    } catch (const NotFoundError&) {
        throw HttpError(404, "not_found", "no such record");
    } catch (const BusyError&) {
        count_store_error(ctx);
        throw HttpError(503, "too_many_requests", "the database is busy: try again in a moment");
    } catch (const InvalidArgument& e) {
        throw HttpError(422, "validation_failed", e.what());
    } catch (const ParseError& e) {
        throw HttpError(422, "validation_failed", e.what());
    } catch (const StorageError&) {
        count_store_error(ctx);  // the server answers it (503 when it is about the moment, else 500)
        throw;
    }
}

// Runs a handler body: refusals of the issuance core and storage errors become API errors, every
// refusal is audited, and the answer names who was authenticated (for the server's log).
Response guarded(IssuanceContext& ctx, const Request& r, Call& call, const std::function<Response()>& body) {
    Response response = [&] {
        try {
            return attempt(ctx, call, body);
        } catch (const HttpError& e) {
            audit_refusal(ctx, r, call, e.code());
            return e.response();
        }
    }();
    if (call.actor != "anonymous") response.actor = call.actor;
    return response;
}

std::string bearer_token(const Request& r) {
    auto header = r.header("authorization");
    if (!header || header->size() < 8 || header->substr(0, 7) != "Bearer ") {
        throw HttpError(401, "unauthenticated", "log in first: this call needs an officer session");
    }
    return std::string(header->substr(7));
}

// The station a request comes from, by its verified client certificate.
Station calling_station(IssuanceContext& ctx, const Request& r) {
    if (!r.client_certificate) {
        throw HttpError(403, "station_unknown", "this service answers registered enrollment stations only (client certificate)");
    }
    auto station = ctx.storage.read([&](Transaction& t) { return t.station_by_certificate(r.client_certificate->sha256_hex); });
    if (!station || !station->active) {
        throw HttpError(403, "station_unknown", "this station's certificate is not registered or the station is disabled");
    }
    return *station;
}

void authenticate(Api& api, const Request& r, Call& call) {
    const std::string token = bearer_token(r);
    const issuance::SessionCheck session = api.officers.check(token, [&] { return calling_station(api.ctx, r); });
    if (session.principal) call.actor = actor_of(*session.principal);
    if (session.refused) {
        switch (*session.refused) {
            case issuance::SessionRefusal::Expired:
                throw HttpError(401, "session_expired", "the session has expired or was closed: log in again");
            case issuance::SessionRefusal::OtherStation:
                throw HttpError(403, "station_unknown", "this session was opened at another station");
            case issuance::SessionRefusal::OfficerChanged:
                throw HttpError(401, "session_expired",
                                "this officer's account was disabled or changed since the login: log in again");
        }
    }
    call.principal = *session.principal;
}

std::string path_param(const Request& r, std::string_view name, const std::regex& pattern, const char* what) {
    auto value = r.path_param(name);
    if (!value || !std::regex_match(value->begin(), value->end(), pattern)) {
        throw HttpError(400, "validation_failed", std::string(what) + " is malformed");
    }
    return std::string(*value);
}

json::object parse_body(const Request& r) {
    http::JsonLimits limits;
    return http::parse_json_object(r.body, limits);
}

Response json_response(unsigned status, json::object o) { return Response::json(status, json::value(std::move(o))); }

json::value record_json(const Citizen& c) { return json::parse(identity::to_json(identity::enrollment_record_of(c))); }

json::object card_json(const Card& c) {
    json::object o;
    o["card_number"] = c.card_number;
    o["document_number"] = c.document_number;
    o["personal_id"] = c.personal_id;
    o["card_profile"] = c.card_profile;
    o["status"] = std::string(to_string(c.status));
    o["chip_serial"] = to_hex(c.chip_serial);
    o["date_of_issue"] = c.date_of_issue;
    o["date_of_expiry"] = c.date_of_expiry;
    o["station_id"] = c.station_id;
    o["officer_id"] = c.officer_id;
    return o;
}

Bytes request_hash(const Request& r) {
    std::string all = r.method + "\n" + r.path + "\n" + r.body;
    return crypto::sha256(view(all));
}

// A write under an Idempotency-Key: the first answer is stored with the write and its audit entry in one
// transaction; a retry with the same key and body gets that answer again and writes nothing. Keys
// belong to the station, not the officer: a station that resends its queued enrollment after a shift
// change (another officer logged in) still gets the first answer instead of a second card.
Response idempotent_write(IssuanceContext& ctx, const Request& r, Call& call,
                          const std::function<Response(Transaction&)>& work) {
    auto key_header = r.header("idempotency-key");
    if (!key_header) throw HttpError(400, "idempotency_key_missing", "every write needs an Idempotency-Key header");
    std::string key(*key_header);
    if (!std::regex_match(key, kIdempotencyKey)) {
        throw HttpError(400, "idempotency_key_missing", "the Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 - _");
    }
    Bytes hash = request_hash(r);
    const std::string scope = "station:" + call.principal.station_id;
    for (int attempt = 1;; ++attempt) {
        try {
            Response response = ctx.storage.transaction([&](Transaction& t) -> Response {
                if (auto earlier = t.get_idempotency(scope, key)) {
                    if (earlier->request_hash != hash) {
                        throw HttpError(422, "idempotency_key_reused",
                                        "this Idempotency-Key was used for another request: use a new key for a new request");
                    }
                    Response replay;
                    replay.status = static_cast<unsigned>(earlier->response_status);
                    replay.body = earlier->response_body;
                    replay.headers.emplace_back("Idempotent-Replay", "true");
                    return replay;
                }
                Response fresh = work(t);
                t.put_idempotency({scope, key, hash, static_cast<int>(fresh.status), fresh.body, utc_now()});
                append_audit(t, {utc_now(), call.actor, call.action, call.subject, "ok", call.detail});
                return fresh;
            });
            if (ctx.checkpointer != nullptr) {
                try {
                    ctx.checkpointer->maybe_checkpoint();
                } catch (const std::exception&) {
                    // The next write tries again; the entries are safe in the chain meanwhile.
                }
            }
            return response;
        } catch (const StaleStateError&) {
            throw;
        } catch (const ConflictError&) {
            // Another request took the same audit sequence or idempotency key first: run again and
            // either follow it or replay it.
            if (attempt >= 8) throw HttpError(503, "too_many_requests", "the service is busy: try again");
        }
    }
}

void audit_read(IssuanceContext& ctx, const Call& call) {
    ctx.storage.transaction([&](Transaction& t) { append_audit(t, {utc_now(), call.actor, call.action, call.subject, "ok", call.detail}); });
}

Bytes base64_field(const http::JsonFields& fields, std::string_view name, std::size_t max_bytes) {
    std::string text = fields.required_string(name, max_bytes * 4 / 3 + 8);
    try {
        return base64_decode(text);
    } catch (const InvalidArgument&) {
        throw HttpError(422, "validation_failed", fields.field_name(name) + " must be base64");
    }
}

// ?name=...&limit=...: one rule each, one message each, whatever the value looks like.
struct CitizenSearch {
    std::string name;
    std::size_t limit = 20;
};

CitizenSearch parse_citizen_search(const Request& r) {
    constexpr std::size_t kMinLetters = 2, kMaxCharacters = 100, kMaxLimit = 50;
    CitizenSearch search;
    const auto name = r.query_param("name");
    if (!name) throw HttpError(400, "validation_failed", "give the name to search for (?name=...)");
    const auto characters = identity::decode_utf8(*name);
    if (!characters) throw HttpError(400, "validation_failed", "the name to search for is not valid UTF-8");
    if (characters->size() > kMaxCharacters)
        throw HttpError(400, "validation_failed", "the name to search for is longer than 100 characters");
    const auto letters = std::count_if(characters->begin(), characters->end(), identity::is_vietnamese_letter);
    if (static_cast<std::size_t>(letters) < kMinLetters)
        throw HttpError(400, "validation_failed", "give at least 2 letters of the name");
    search.name = std::string(*name);
    if (const auto limit = r.query_param("limit")) {
        const bool digits = !limit->empty() && limit->size() <= 3 &&
                            std::all_of(limit->begin(), limit->end(), [](char c) { return c >= '0' && c <= '9'; });
        const std::size_t value = digits ? std::stoul(std::string(*limit)) : 0;
        if (value < 1 || value > kMaxLimit) throw HttpError(400, "validation_failed", "limit must be a whole number from 1 to 50");
        search.limit = value;
    }
    return search;
}

// ---------------- handlers ----------------

HttpError login_locked(const security::LoginThrottle::Lock& lock) {
    const std::string seconds = std::to_string(lock.retry_after.count());
    HttpError error(429, "too_many_failed_logins",
                    lock.who == security::LoginThrottle::Lock::Who::Station
                        ? "too many failed logins at this station: wait " + seconds + " seconds before the next try"
                        : "too many wrong passwords for this officer ID: wait " + seconds +
                              " seconds, or ask the administrator to reset the password");
    error.with_header("Retry-After", seconds);
    return error;
}

Response login(Api& api, const Request& r) {
    IssuanceContext& ctx = api.ctx;
    Call call("session.login");
    return guarded(ctx, r, call, [&] {
        Station station = calling_station(ctx, r);
        call.actor = "station:" + station.id;
        json::object body = parse_body(r);
        http::JsonFields fields(body);
        fields.reject_unknown({"officer_id", "password"});
        std::string officer_id = fields.required_string("officer_id", 64);
        std::string password_text = fields.required_string("password", 256);
        SecretBytes password(view(password_text));
        secure_wipe(password_text.data(), password_text.size());
        const issuance::LoginOutcome outcome = api.officers.login(officer_id, password, station);
        call.subject = outcome.audit_subject;
        using Result = issuance::LoginOutcome::Result;
        if (outcome.result == Result::Locked) {
            call.detail = "login refused while locked";
            throw login_locked(*outcome.lock);
        }
        if (outcome.result == Result::WrongCredentials) {
            if (outcome.lock) {
                call.detail = std::string(outcome.lock->who == security::LoginThrottle::Lock::Who::Station ? "station" : "officer") +
                              " logins locked for " + std::to_string(outcome.lock->retry_after.count()) + " s";
            }
            throw HttpError(401, "unauthenticated", "wrong officer ID or password");
        }
        const security::NewSession& session = *outcome.session;
        call.actor = actor_of(session.record.principal);
        audit_read(ctx, call);
        json::object o;
        o["token"] = session.token;
        o["role"] = std::string(to_string(session.record.principal.role));
        o["station_id"] = station.id;
        o["expires_in_seconds"] = api.officers.session_lifetime().count();
        return json_response(201, std::move(o));
    });
}

Response logout(Api& api, const Request& r) {
    Call call("session.logout");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        api.officers.logout(bearer_token(r));
        audit_read(api.ctx, call);
        Response none;
        none.status = 204;
        none.content_type.clear();
        return none;
    });
}

Response get_citizen(Api& api, const Request& r) {
    Call call("citizen.lookup");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        std::string id = path_param(r, "personal_id", kPersonalId, "the ID number");
        call.subject = id;
        const issuance::CitizenFile found = api.service.lookup_citizen(call.officer(), id);
        audit_read(api.ctx, call);
        json::object o;
        o["record"] = record_json(found.citizen);
        o["status"] = std::string(to_string(found.citizen.status));
        o["has_photo"] = !found.citizen.photo_jpeg.empty();
        json::array cards;
        for (const auto& c : found.cards) cards.push_back(card_json(c));
        o["cards"] = std::move(cards);
        return json_response(200, std::move(o));
    });
}

Response search_citizens(Api& api, const Request& r) {
    Call call("citizen.search");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        const auto query = parse_citizen_search(r);
        call.detail = "name search";  // the query itself is personal data: not in the audit log
        const auto found = api.service.search_citizens(call.officer(), query.name, query.limit);
        audit_read(api.ctx, call);
        json::array list;
        for (const auto& c : found) {
            json::object o;
            o["record"] = record_json(c);
            o["status"] = std::string(to_string(c.status));
            list.push_back(std::move(o));
        }
        json::object o;
        o["citizens"] = std::move(list);
        return json_response(200, std::move(o));
    });
}

Response submit_enrollment(Api& api, const Request& r) {
    Call call("enrollment.submit");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        json::object body = parse_body(r);
        http::JsonFields fields(body);
        fields.reject_unknown({"record", "photo_jpeg"});
        http::JsonFields record_fields = fields.required_object("record");
        identity::EnrollmentRecord record = identity::parse_enrollment_record(json::serialize(record_fields.object()));
        // Absent or empty for a card profile without a photo (a child under 6); the profile's rule decides.
        if (fields.optional_string("photo_jpeg", kMaxPhotoBytes * 4 / 3 + 8)) {
            record.photo_jpeg = base64_field(fields, "photo_jpeg", kMaxPhotoBytes);
        }
        api.service.check_record(record);  // before the idempotency key is looked at
        call.subject = record.person.personal_id;
        return idempotent_write(api.ctx, r, call, [&](Transaction& t) {
            const issuance::SubmittedEnrollment submitted = api.service.submit_enrollment(t, call.officer(), record);
            call.detail = submitted.audit_detail;
            json::object o;
            o["enrollment_id"] = submitted.enrollment.id;
            o["card_number"] = submitted.card.card_number;
            o["document_number"] = submitted.card.document_number;
            o["status"] = std::string(to_string(submitted.enrollment.status));
            json::array awaiting;
            for (const auto& field : submitted.approval_required_for) awaiting.emplace_back(field);
            o["approval_required_for"] = std::move(awaiting);
            o["record"] = json::parse(submitted.enrollment.record_json);
            return json_response(201, std::move(o));
        });
    });
}

Response sign_sod(Api& api, const Request& r) {
    Call call("card.sign_sod");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        issuance::SodRequest request;
        request.card_number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = request.card_number;
        api.service.check_signer();  // before the body is read
        json::object body = parse_body(r);
        http::JsonFields fields(body);
        fields.reject_unknown({"data_groups", "chip_serial"});
        http::JsonFields groups = fields.required_object("data_groups");
        groups.reject_unknown({"DG1", "DG2", "DG13", "DG14", "DG15"});
        // Every group a card may carry; DG2 only when the card's profile has one (the service rebuilds
        // exactly the record's groups and refuses any other set).
        for (int n : issuance::kSignedDataGroups) {
            const std::string name = "DG" + std::to_string(n);
            const bool by_profile = std::find(std::begin(issuance::kProfileDataGroups), std::end(issuance::kProfileDataGroups), n) !=
                                    std::end(issuance::kProfileDataGroups);
            if (by_profile && !groups.optional_string(name, 64 * 1024 * 4 / 3 + 8)) continue;
            request.data_groups[n] = base64_field(groups, name, 64 * 1024);
        }
        try {
            request.chip_serial = from_hex(fields.required_string("chip_serial", 64));
        } catch (const InvalidArgument&) {
            throw HttpError(422, "validation_failed", "chip_serial must be hex");
        }
        return idempotent_write(api.ctx, r, call, [&](Transaction& t) {
            const issuance::SignedSod signed_sod = api.service.sign_sod(t, call.officer(), request);
            call.detail = signed_sod.audit_detail;
            json::object o;
            o["ef_sod"] = base64_encode(signed_sod.ef_sod);
            o["sod_digest"] = to_hex(signed_sod.card.sod_digest);
            return json_response(200, std::move(o));
        });
    });
}

Response activate(Api& api, const Request& r) {
    Call call("card.activate");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        issuance::Activation activation;
        activation.card_number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = activation.card_number;
        json::object body = parse_body(r);
        http::JsonFields fields(body);
        fields.reject_unknown({"sod_digest", "checks"});
        try {
            activation.sod_digest = from_hex(fields.required_string("sod_digest", 128));
        } catch (const InvalidArgument&) {
            throw HttpError(422, "validation_failed", "sod_digest must be hex");
        }
        for (const auto& item : fields.required_array("checks", 200)) {
            if (!item.is_object()) throw HttpError(422, "validation_failed", "each check must be an object");
            http::JsonFields check(item.as_object());
            activation.verdicts[check.required_string("check", 200)] = check.required_string("verdict", 20);
        }
        api.service.check_readback(activation.verdicts);  // before the idempotency key is looked at
        return idempotent_write(api.ctx, r, call, [&](Transaction& t) {
            const issuance::Activated activated = api.service.activate(t, call.officer(), activation);
            call.detail = activated.audit_detail;
            json::object o = card_json(activated.card);
            json::array replaced;
            for (const auto& number : activated.replaced_cards) replaced.emplace_back(number);
            o["replaced_cards"] = std::move(replaced);
            return json_response(200, std::move(o));
        });
    });
}

// suspend, revoke, report-lost: a status change allowed from some states, by some roles.
Response change_status(Api& api, const Request& r, const char* action, issuance::StatusChange change) {
    Call call(action);
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        api.service.authorize(call.officer(), issuance::operation_of(change));
        std::string number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = number;
        if (!r.body.empty()) {
            json::object body = parse_body(r);
            http::JsonFields fields(body);
            fields.reject_unknown({"reason"});
            if (auto reason = fields.optional_string("reason", 200)) call.detail = "reason given";
        }
        return idempotent_write(api.ctx, r, call, [&](Transaction& t) {
            return json_response(200, card_json(api.service.change_status(t, call.officer(), number, change)));
        });
    });
}

// ---- approvals: a second person for changes of identity ----

Response list_approvals(Api& api, const Request& r) {
    Call call("approval.list");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        const auto pending = api.service.pending_approvals(call.officer());
        audit_read(api.ctx, call);
        json::array list;
        for (const auto& p : pending) {
            const Enrollment& e = p.enrollment;
            json::object o;
            o["enrollment_id"] = e.id;
            o["card_number"] = e.card_number;
            o["personal_id"] = e.personal_id;
            o["station_id"] = e.station_id;
            o["officer_id"] = e.officer_id;
            o["created_at"] = e.created_at;
            o["submitted_by_you"] = p.submitted_by_actor;
            json::array changes;
            for (const auto& field : p.changes) {
                const Citizen& registered = *p.registered;  // changes are made against it
                json::object change{{"field", field}};
                if (field == "full_name") {
                    change["registered"] = registered.person.full_name;
                    change["submitted"] = p.submitted.person.full_name;
                } else if (field == "date_of_birth") {
                    change["registered"] = registered.date_of_birth;
                    change["submitted"] = p.submitted.date_of_birth;
                } else if (field == "sex") {
                    change["registered"] = std::string(1, registered.sex);
                    change["submitted"] = std::string(1, p.submitted.sex);
                } else {
                    change["registered"] = base64_encode(registered.photo_jpeg);
                    change["submitted"] = base64_encode(p.submitted.photo_jpeg);
                }
                changes.push_back(std::move(change));
            }
            o["changes"] = std::move(changes);
            list.push_back(std::move(o));
        }
        json::object o;
        o["approvals"] = std::move(list);
        return json_response(200, std::move(o));
    });
}

// approve: awaiting_approval -> personalizing; reject: -> rejected, its card never issued. Never by the
// officer who submitted the enrollment.
Response decide_approval(Api& api, const Request& r, bool approve) {
    Call call(approve ? "enrollment.approve" : "enrollment.reject");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        api.service.authorize(call.officer(), approve ? issuance::Operation::Approve : issuance::Operation::Reject);
        const std::string id = path_param(r, "enrollment_id", kEnrollmentId, "the enrollment id");
        if (!r.body.empty()) {
            json::object body = parse_body(r);
            http::JsonFields fields(body);
            fields.reject_unknown({"reason"});
            if (fields.optional_string("reason", 200)) call.detail = "reason given; ";
        }
        const std::string reason = call.detail;
        return idempotent_write(api.ctx, r, call, [&](Transaction& t) {
            const issuance::Decision decision =
                approve ? api.service.approve(t, call.officer(), id) : api.service.reject(t, call.officer(), id);
            call.subject = decision.enrollment.personal_id;
            call.detail = reason + decision.audit_detail;
            json::object o;
            o["enrollment_id"] = id;
            o["card_number"] = decision.enrollment.card_number;
            o["status"] = std::string(to_string(decision.enrollment.status));
            return json_response(200, std::move(o));
        });
    });
}

Response get_card(Api& api, const Request& r) {
    Call call("card.lookup");
    return guarded(api.ctx, r, call, [&] {
        authenticate(api, r, call);
        std::string number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = number;
        const Card card = api.service.lookup_card(call.officer(), number);
        audit_read(api.ctx, call);
        return json_response(200, card_json(card));
    });
}

// ---- health: /readyz and the metrics scrape ----

// One look at each store.
struct Health {
    bool database_up = false;
    std::optional<bool> challenge_store_up;       // no challenge store: not asked
    std::optional<AuditCheckpoint> last_checkpoint;
    std::uint64_t last_entry = 0;
};

Health probe(IssuanceContext& ctx) {
    Health health;
    try {
        ctx.storage.read([&](Transaction& t) {
            const auto last = t.last_audit();
            health.last_entry = last ? last->sequence : 0;
            health.last_checkpoint = t.last_checkpoint();
        });
        health.database_up = true;
    } catch (const std::exception&) {
    }
    if (ctx.challenges != nullptr) health.challenge_store_up = ctx.challenges->ping();
    return health;
}

Response readiness(IssuanceContext& ctx) {
    const Health health = probe(ctx);
    if (!health.database_up) return Response::error(503, "not_ready", "the database does not answer");
    if (ctx.signer == nullptr) return Response::error(503, "not_ready", "no Document Signer key is configured");
    if (health.challenge_store_up == false) return Response::error(503, "not_ready", "the challenge store does not answer");
    return Response::json(200, json::value({{"status", "ready"}}));
}

// The families of the health probe, set on each scrape. The checkpoint's age counts on from the last
// checkpoint seen while the database does not answer.
void export_health(http::Metrics& metrics, const std::shared_ptr<Api>& api) {
    metrics.describe("cccd_database_up", "Whether the database answered the last probe (1) or not (0).", "gauge");
    metrics.describe("cccd_audit_checkpoint_age_seconds", "Seconds since the newest signed audit checkpoint.", "gauge");
    metrics.describe("cccd_audit_entries_uncovered", "Audit entries after the newest signed checkpoint.", "gauge");
    metrics.describe("cccd_store_errors_total", "Store failures met by request handlers, by store (database, challenge_store).",
                     "counter");
    if (api->ctx.challenges != nullptr)
        metrics.describe("cccd_challenge_store_up", "Whether the challenge store answered the last probe (1) or not (0).", "gauge");
    auto newest_checkpoint = std::make_shared<std::atomic<std::int64_t>>(-1);  // UTC seconds; -1: none seen
    metrics.on_scrape([weak = std::weak_ptr<Api>(api), newest_checkpoint](http::Metrics& m) {
        const auto live = weak.lock();
        if (!live) return;
        const Health health = probe(live->ctx);
        m.set("cccd_database_up", {}, health.database_up ? 1 : 0);
        if (health.challenge_store_up) m.set("cccd_challenge_store_up", {}, *health.challenge_store_up ? 1 : 0);
        if (health.database_up) {
            const std::uint64_t covered = health.last_checkpoint ? health.last_checkpoint->sequence : 0;
            m.set("cccd_audit_entries_uncovered", {}, static_cast<double>(health.last_entry - std::min(covered, health.last_entry)));
            if (health.last_checkpoint)
                if (const auto seconds = utc_seconds(health.last_checkpoint->time)) newest_checkpoint->store(*seconds);
        }
        if (const std::int64_t seconds = newest_checkpoint->load(); seconds >= 0) {
            const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch()).count();
            m.set("cccd_audit_checkpoint_age_seconds", {}, static_cast<double>(std::max<std::int64_t>(now - seconds, 0)));
        }
    });
}

}  // namespace

void add_issuance_routes(http::Router& router, IssuanceContext context) {
    if (!context.login_throttle) context.login_throttle = std::make_shared<security::LoginThrottle>();
    if (!context.anonymous_refusals) context.anonymous_refusals = std::make_shared<AnonymousRefusals>(context.storage);
    auto api = std::make_shared<Api>(std::move(context));
    (void)issuance::unknown_officer_hash();  // made now, so the first unknown ID does not cost more than the rest
    auto route = [&](const char* method, const char* path, Response (*handler)(Api&, const Request&)) {
        router.add(method, path, [api, handler](const Request& r) { return handler(*api, r); });
    };
    route("POST", "/api/v1/sessions", login);
    route("DELETE", "/api/v1/sessions/current", logout);
    route("GET", "/api/v1/citizens/{personal_id}", get_citizen);
    route("GET", "/api/v1/citizens", search_citizens);
    route("POST", "/api/v1/enrollments", submit_enrollment);
    route("POST", "/api/v1/cards/{card_number}/sod", sign_sod);
    route("POST", "/api/v1/cards/{card_number}/activate", activate);
    route("GET", "/api/v1/cards/{card_number}", get_card);
    route("GET", "/api/v1/approvals", list_approvals);
    router.add("POST", "/api/v1/enrollments/{enrollment_id}/approve",
               [api](const Request& r) { return decide_approval(*api, r, true); });
    router.add("POST", "/api/v1/enrollments/{enrollment_id}/reject",
               [api](const Request& r) { return decide_approval(*api, r, false); });
    router.add("POST", "/api/v1/cards/{card_number}/suspend", [api](const Request& r) {
        return change_status(*api, r, "card.suspend", issuance::StatusChange::Suspend);
    });
    router.add("POST", "/api/v1/cards/{card_number}/revoke", [api](const Request& r) {
        return change_status(*api, r, "card.revoke", issuance::StatusChange::Revoke);
    });
    router.add("POST", "/api/v1/cards/{card_number}/report-lost", [api](const Request& r) {
        return change_status(*api, r, "card.report_lost", issuance::StatusChange::ReportLost);
    });
    router.add_public("GET", "/healthz", [](const Request&) { return Response::json(200, json::value({{"status", "ok"}})); });
    router.add_public("GET", "/readyz", [api](const Request&) { return readiness(api->ctx); });
    if (api->ctx.metrics) export_health(*api->ctx.metrics, api);
}

}  // namespace cccd::server::api
