#include "server/api/issuance_api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <regex>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "crypto/ec.hpp"
#include "crypto/hash.hpp"
#include "identity/text_rules.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/security_infos.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/perso/card_files.hpp"
#include "card/perso/personalizer.hpp"
#include "card/records/record_json.hpp"
#include "server/http/json_body.hpp"
#include "server/population/population_file.hpp"
#include "server/security/password.hpp"
#include "base/encoding.hpp"
#include "crypto/random.hpp"
#include "crypto/hash.hpp"
#include "crypto/sodium.hpp"

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

// One API call as the audit log sees it.
struct Call {
    explicit Call(std::string a) : action(std::move(a)) {}
    std::string action;
    std::string actor = "anonymous";
    std::string subject;
    std::string detail;
    security::SessionPrincipal principal;
};

std::string actor_of(const security::SessionPrincipal& p) { return "officer:" + p.officer_id + "@station:" + p.station_id; }

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

// Runs a handler body: storage errors become API errors, and every refusal is audited.
Response guarded(IssuanceContext& ctx, const Request& r, Call& call, const std::function<Response()>& body) {
    try {
        try {
            return body();
        } catch (const StaleStateError& e) {
            throw HttpError(409, "conflict", "the card's status changed meanwhile: reload it and try again");
        } catch (const NotFoundError&) {
            throw HttpError(404, "not_found", "no such record");
        } catch (const BusyError&) {
            throw HttpError(503, "too_many_requests", "the database is busy: try again in a moment");
        } catch (const InvalidArgument& e) {
            throw HttpError(422, "validation_failed", e.what());
        } catch (const ParseError& e) {
            throw HttpError(422, "validation_failed", e.what());
        }
    } catch (const HttpError& e) {
        audit_refusal(ctx, r, call, e.code());
        throw;
    }
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

void authenticate(IssuanceContext& ctx, const Request& r, Call& call) {
    const std::string token = bearer_token(r);
    auto record = ctx.sessions.authenticate(token);
    if (!record) throw HttpError(401, "session_expired", "the session has expired or was closed: log in again");
    Station station = calling_station(ctx, r);
    if (station.id != record->principal.station_id) {
        throw HttpError(403, "station_unknown", "this session was opened at another station");
    }
    // The officer as the register holds them now: a disable, a role change or a new password made on
    // any instance (or by the admin tool) ends this session at its next request.
    const auto officer = ctx.storage.read([&](Transaction& t) { return t.get_officer(record->principal.officer_id); });
    if (!security::session_still_valid(record->principal, officer)) {
        ctx.sessions.revoke(token);
        call.actor = actor_of(record->principal);
        throw HttpError(401, "session_expired",
                        "this officer's account was disabled or changed since the login: log in again");
    }
    call.principal = record->principal;
    call.actor = actor_of(record->principal);
}

void require_role(const Call& call, std::initializer_list<Role> roles, const char* who) {
    if (std::find(roles.begin(), roles.end(), call.principal.role) == roles.end()) {
        throw HttpError(403, "forbidden_role", std::string("only ") + who + " may do this");
    }
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

json::value record_json(const Citizen& c) { return json::parse(to_jsonl(c)); }

json::object card_json(const Card& c) {
    json::object o;
    o["card_number"] = c.card_number;
    o["document_number"] = c.document_number;
    o["personal_id"] = c.personal_id;
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

std::optional<Enrollment> enrollment_of_card(Transaction& t, const Card& card) {
    for (auto& e : t.enrollments_of(card.personal_id)) {
        if (e.card_number == card.card_number) return e;
    }
    return std::nullopt;
}

perso::EnrollmentRecord record_of_enrollment(const Enrollment& e) {
    perso::EnrollmentRecord record = records::parse_enrollment_record(e.record_json);
    record.photo_jpeg = e.photo_jpeg;
    return record;
}

Bytes base64_field(const http::JsonFields& fields, std::string_view name, std::size_t max_bytes) {
    std::string text = fields.required_string(name, max_bytes * 4 / 3 + 8);
    try {
        return base64_decode(text);
    } catch (const InvalidArgument&) {
        throw HttpError(422, "validation_failed", fields.field_name(name) + " must be base64");
    }
}

// The identity fields an enrollment would change against what the register holds: these need a second
// person's approval. A first photo (the register held none) is not a change; a different one is.
std::vector<std::string> identity_changes(const Citizen& registered, const perso::EnrollmentRecord& submitted) {
    std::vector<std::string> changed;
    if (registered.person.full_name != submitted.person.full_name) changed.emplace_back("full_name");
    if (registered.date_of_birth != submitted.date_of_birth) changed.emplace_back("date_of_birth");
    if (registered.sex != submitted.sex) changed.emplace_back("sex");
    if (!registered.photo_jpeg.empty() && registered.photo_jpeg != submitted.photo_jpeg) changed.emplace_back("photo");
    return changed;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
    return out;
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

// The Argon2id hash an unknown officer ID is checked against, so that an ID that does not exist costs
// the same as a wrong password (made once per process, with the parameters of real hashes).
const std::string& unknown_officer_hash() {
    static const std::string hash = [] {
        const SecretBytes never(crypto::random_bytes(32));
        return security::hash_password(never);
    }();
    return hash;
}

// A failed login's audit subject: the officer when the ID exists, else a keyed fingerprint of what was
// typed (a password typed into the ID field, control characters: nothing of it is written as typed).
std::string login_subject(const std::optional<Officer>& officer, std::string_view typed_id) {
    if (officer) return "officer:" + officer->id;
    static const Bytes key = crypto::random_bytes(32);  // per process: links attempts within one run
    return "officer-attempt:" + lower_hex(crypto::keyed_hash(key, view(typed_id), 16)).substr(0, 16);
}

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

Response login(IssuanceContext& ctx, const Request& r) {
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
        // An ID no officer can have is not looked up (it may hold anything, NUL included), only checked.
        auto officer = is_valid_officer_id(officer_id)
                           ? ctx.storage.read([&](Transaction& t) { return t.get_officer(officer_id); })
                           : std::nullopt;
        call.subject = login_subject(officer, officer_id);
        // A locked ID or station waits whatever the password: the lock must not confirm a right guess.
        if (auto lock = ctx.login_throttle->locked(officer_id, station.id)) {
            call.detail = "login refused while locked";
            throw login_locked(*lock);
        }
        // Exactly one Argon2id verification whether the officer exists, is disabled or typed a wrong
        // password: one answer and one cost for all three.
        const bool matches = ctx.password_verifier(officer ? officer->password_hash : unknown_officer_hash(), password);
        const bool ok = officer && officer->active && matches;
        if (!ok) {
            if (auto started = ctx.login_throttle->failed(officer_id, station.id)) {
                call.detail = std::string(started->who == security::LoginThrottle::Lock::Who::Station ? "station" : "officer") +
                              " logins locked for " + std::to_string(started->retry_after.count()) + " s";
            }
            throw HttpError(401, "unauthenticated", "wrong officer ID or password");
        }
        ctx.login_throttle->succeeded(officer_id);
        auto session = ctx.sessions.create({officer->id, station.id, officer->role, security::officer_credential(*officer)});
        call.actor = actor_of(session.record.principal);
        audit_read(ctx, call);
        json::object o;
        o["token"] = session.token;
        o["role"] = std::string(to_string(officer->role));
        o["station_id"] = station.id;
        o["expires_in_seconds"] = ctx.sessions.policy().lifetime.count();
        return json_response(201, std::move(o));
    });
}

Response logout(IssuanceContext& ctx, const Request& r) {
    Call call("session.logout");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        ctx.sessions.revoke(bearer_token(r));
        audit_read(ctx, call);
        Response none;
        none.status = 204;
        none.content_type.clear();
        return none;
    });
}

Response get_citizen(IssuanceContext& ctx, const Request& r) {
    Call call("citizen.lookup");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        std::string id = path_param(r, "personal_id", kPersonalId, "the ID number");
        call.subject = id;
        auto found = ctx.storage.read([&](Transaction& t) -> std::optional<std::pair<Citizen, std::vector<Card>>> {
            auto c = t.get_citizen(id);
            if (!c) return std::nullopt;
            return std::pair{*c, t.cards_of(id)};
        });
        if (!found) throw HttpError(404, "not_found", "no citizen with this ID number in the population register");
        audit_read(ctx, call);
        json::object o;
        o["record"] = record_json(found->first);
        o["status"] = std::string(to_string(found->first.status));
        o["has_photo"] = !found->first.photo_jpeg.empty();
        json::array cards;
        for (const auto& c : found->second) cards.push_back(card_json(c));
        o["cards"] = std::move(cards);
        return json_response(200, std::move(o));
    });
}

Response search_citizens(IssuanceContext& ctx, const Request& r) {
    Call call("citizen.search");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        const auto query = parse_citizen_search(r);
        call.detail = "name search";  // the query itself is personal data: not in the audit log
        auto found = ctx.storage.read([&](Transaction& t) { return t.search_citizens_by_name(query.name, query.limit); });
        audit_read(ctx, call);
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

Response submit_enrollment(IssuanceContext& ctx, const Request& r) {
    Call call("enrollment.submit");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        json::object body = parse_body(r);
        http::JsonFields fields(body);
        fields.reject_unknown({"record", "photo_jpeg"});
        http::JsonFields record_fields = fields.required_object("record");
        perso::EnrollmentRecord record = records::parse_enrollment_record(json::serialize(record_fields.object()));
        record.photo_jpeg = base64_field(fields, "photo_jpeg", kMaxPhotoBytes);
        perso::validate(record);  // the identity rules, the ID number's included
        const std::string id = record.person.personal_id;
        call.subject = id;
        return idempotent_write(ctx, r, call, [&](Transaction& t) {
            auto citizen = t.get_citizen(id);
            if (!citizen) throw HttpError(404, "not_found", "no citizen with this ID number in the population register");
            if (citizen->status != CitizenStatus::Active)
                throw HttpError(409, "conflict", "the population register does not list this citizen as living");
            // The register is not touched here: it takes the record when the new card is activated.
            const std::vector<std::string> changes = identity_changes(*citizen, record);
            std::string card_number = t.allocate_card_number();
            record.person.card_serial = card_number;
            std::string now = utc_now();

            Card card;
            card.card_number = card_number;
            card.document_number = id.substr(3);
            card.personal_id = id;
            card.status = CardStatus::Personalizing;
            card.date_of_issue = json::value_to<std::string>(json::parse(records::to_json(record)).as_object().at("date_of_issue"));
            card.date_of_expiry = record.date_of_expiry;
            card.station_id = call.principal.station_id;
            card.officer_id = call.principal.officer_id;
            card.updated_at = now;
            t.put_card(card);

            Enrollment e;
            e.id = "E" + lower_hex(crypto::random_bytes(8));
            e.personal_id = id;
            e.station_id = card.station_id;
            e.officer_id = card.officer_id;
            e.record_json = records::to_json(record);
            e.photo_jpeg = record.photo_jpeg;
            e.card_number = card_number;
            e.status = changes.empty() ? EnrollmentStatus::Personalizing : EnrollmentStatus::AwaitingApproval;
            e.created_at = now;
            t.put_enrollment(e);
            call.detail = "card " + card_number;
            if (!changes.empty()) call.detail += "; awaiting approval of " + joined(changes);

            json::object o;
            o["enrollment_id"] = e.id;
            o["card_number"] = card_number;
            o["document_number"] = card.document_number;
            o["status"] = std::string(to_string(e.status));
            json::array awaiting;
            for (const auto& field : changes) awaiting.emplace_back(field);
            o["approval_required_for"] = std::move(awaiting);
            o["record"] = json::parse(e.record_json);
            return json_response(201, std::move(o));
        });
    });
}

Response sign_sod(IssuanceContext& ctx, const Request& r) {
    Call call("card.sign_sod");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        std::string number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = number;
        if (ctx.signer == nullptr) throw HttpError(503, "service_unavailable", "no Document Signer is configured on this server");
        json::object body = parse_body(r);
        http::JsonFields fields(body);
        fields.reject_unknown({"data_groups", "chip_serial"});
        http::JsonFields groups = fields.required_object("data_groups");
        groups.reject_unknown({"DG1", "DG2", "DG13", "DG14", "DG15"});
        std::map<int, Bytes> submitted;
        for (int n : {1, 2, 13, 14, 15}) submitted[n] = base64_field(groups, "DG" + std::to_string(n), 64 * 1024);
        Bytes chip_serial;
        try {
            chip_serial = from_hex(fields.required_string("chip_serial", 64));
        } catch (const InvalidArgument&) {
            throw HttpError(422, "validation_failed", "chip_serial must be hex");
        }
        return idempotent_write(ctx, r, call, [&](Transaction& t) {
            auto card = t.get_card(number);
            if (!card) throw HttpError(404, "not_found", "no card with this number");
            if (card->status != CardStatus::Personalizing) {
                throw HttpError(409, "conflict", "this card is " + std::string(to_string(card->status)) + ", not being personalized");
            }
            auto enrollment = enrollment_of_card(t, *card);
            if (!enrollment) throw HttpError(409, "conflict", "this card has no enrollment");
            if (enrollment->status == EnrollmentStatus::AwaitingApproval) {
                throw HttpError(409, "approval_required",
                                "this enrollment changes the citizen's identity: a supervisor must approve it before the card is signed");
            }
            if (enrollment->status != EnrollmentStatus::Personalizing)
                throw HttpError(409, "conflict", "this card's enrollment is " + std::string(to_string(enrollment->status)));
            perso::EnrollmentRecord record = record_of_enrollment(*enrollment);

            Bytes aa, ca;
            try {
                aa = lds::decode_dg15(submitted[15]).public_key_info;
                auto keys = lds::decode_dg14(submitted[14]).security_infos.all<lds::ChipAuthenticationPublicKeyInfo>();
                if (keys.empty()) throw ParseError("DG14 has no Chip Authentication key");
                ca = keys.front().public_key_info;
            } catch (const Error& e) {
                throw HttpError(422, "sod_mismatch", std::string("DG14/DG15 cannot be read: ") + e.what());
            }
            crypto::PKeyPtr aa_key;
            try {
                aa_key = crypto::parse_public_key(aa);
            } catch (const Error&) {
                throw HttpError(422, "chip_key_rejected", "the Active Authentication key in DG15 is unusable");
            }
            perso::KeySpec aa_spec = EVP_PKEY_get_base_id(aa_key.get()) == EVP_PKEY_RSA ? perso::KeySpec::rsa(2048)
                                                                                         : perso::KeySpec::ec(13);
            for (const auto& check : {perso::check_chip_key("Active Authentication key", aa, aa_spec),
                                      perso::check_chip_key("Chip Authentication key", ca, perso::KeySpec::ec(13))}) {
                if (check.verdict != pa::Verdict::Pass) throw HttpError(422, "chip_key_rejected", check.name + ": " + check.reason);
            }
            // Sign only what this server would have built from its own record and the chip's keys.
            perso::CardFiles expected = perso::build_card_files(record, aa, ca);
            for (const auto& [n, bytes] : submitted) {
                if (expected.data_groups.at(n) != bytes) {
                    throw HttpError(422, "sod_mismatch",
                                    "DG" + std::to_string(n) + " is not the one the enrolled record gives: nothing was signed");
                }
            }
            Bytes sod = lds::build_sod(expected.security_object, ctx.signer->key->key(), ctx.signer->certificate.get());
            card->sod_digest = crypto::sha256(sod);
            card->active_auth_public_key = aa;
            card->chip_auth_public_key = ca;
            card->ds_certificate = pa::certificate_to_der(ctx.signer->certificate.get());
            card->chip_serial = chip_serial;
            card->updated_at = utc_now();
            t.put_card(*card);
            call.detail = "SOD " + to_hex(ByteView(card->sod_digest).first(8));
            json::object o;
            o["ef_sod"] = base64_encode(sod);
            o["sod_digest"] = to_hex(card->sod_digest);
            return json_response(200, std::move(o));
        });
    });
}

Response activate(IssuanceContext& ctx, const Request& r) {
    Call call("card.activate");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        std::string number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = number;
        json::object body = parse_body(r);
        http::JsonFields fields(body);
        fields.reject_unknown({"sod_digest", "checks"});
        Bytes digest;
        try {
            digest = from_hex(fields.required_string("sod_digest", 128));
        } catch (const InvalidArgument&) {
            throw HttpError(422, "validation_failed", "sod_digest must be hex");
        }
        std::map<std::string, std::string> verdicts;
        for (const auto& item : fields.required_array("checks", 200)) {
            if (!item.is_object()) throw HttpError(422, "validation_failed", "each check must be an object");
            http::JsonFields check(item.as_object());
            verdicts[check.required_string("check", 200)] = check.required_string("verdict", 20);
        }
        for (const auto& [name, verdict] : verdicts) {
            if (verdict == "FAIL") throw HttpError(422, "readback_not_verified", "the read-back failed: " + name);
        }
        for (const char* essential : {"SOD signature", "Chip Authentication", "Active Authentication",
                                      "Data matches the record: DG1", "Data matches the record: DG2",
                                      "Data matches the record: DG13"}) {
            auto v = verdicts.find(essential);
            if (v == verdicts.end() || v->second != "PASS") {
                throw HttpError(422, "readback_not_verified", std::string("the read-back did not pass: ") + essential);
            }
        }
        return idempotent_write(ctx, r, call, [&](Transaction& t) {
            auto card = t.get_card(number);
            if (!card) throw HttpError(404, "not_found", "no card with this number");
            if (card->status != CardStatus::Personalizing) {
                throw HttpError(409, "conflict", "this card is " + std::string(to_string(card->status)) + ", not being personalized");
            }
            if (card->sod_digest.empty()) throw HttpError(409, "conflict", "EF.SOD was never signed for this card");
            if (card->sod_digest != digest) {
                throw HttpError(422, "readback_not_verified", "the card read back carries another EF.SOD than the one signed for it");
            }
            auto enrollment = enrollment_of_card(t, *card);
            if (!enrollment || enrollment->status != EnrollmentStatus::Personalizing)
                throw HttpError(409, "conflict", "this card's enrollment is not being personalized");
            std::string now = utc_now();
            t.update_card_status(number, CardStatus::Personalizing, CardStatus::Issued, now);
            t.update_enrollment_status(enrollment->id, EnrollmentStatus::Personalizing, EnrollmentStatus::Completed);
            // Only now, with the new card in the citizen's hands, does the register take the record.
            auto citizen = t.get_citizen(card->personal_id);
            if (!citizen) throw HttpError(409, "conflict", "the citizen is no longer in the population register");
            const perso::EnrollmentRecord record = record_of_enrollment(*enrollment);
            citizen->person = record.person;
            citizen->sex = record.sex;
            citizen->date_of_birth = record.date_of_birth;
            citizen->photo_jpeg = record.photo_jpeg;
            citizen->updated_at = now;
            t.put_citizen(*citizen);
            card->status = CardStatus::Issued;
            return json_response(200, card_json(*card));
        });
    });
}

// suspend, revoke, report-lost: a status change allowed from some states, by some roles.
Response change_status(IssuanceContext& ctx, const Request& r, const char* action, CardStatus next,
                       std::initializer_list<CardStatus> from, bool supervisors_only) {
    Call call(action);
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        if (supervisors_only) require_role(call, {Role::Supervisor, Role::Administrator}, "a supervisor or an administrator");
        std::string number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = number;
        if (!r.body.empty()) {
            json::object body = parse_body(r);
            http::JsonFields fields(body);
            fields.reject_unknown({"reason"});
            if (auto reason = fields.optional_string("reason", 200)) call.detail = "reason given";
        }
        return idempotent_write(ctx, r, call, [&](Transaction& t) {
            auto card = t.get_card(number);
            if (!card) throw HttpError(404, "not_found", "no card with this number");
            if (std::find(from.begin(), from.end(), card->status) == from.end()) {
                throw HttpError(409, "conflict", "a card that is " + std::string(to_string(card->status)) + " cannot become " +
                                                     std::string(to_string(next)));
            }
            t.update_card_status(number, card->status, next, utc_now());
            card->status = next;
            return json_response(200, card_json(*card));
        });
    });
}

// ---- approvals: a second person for changes of identity ----

Response list_approvals(IssuanceContext& ctx, const Request& r) {
    Call call("approval.list");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        require_role(call, {Role::Supervisor, Role::Administrator}, "a supervisor or an administrator");
        constexpr std::size_t kMaxListed = 100;
        auto pending = ctx.storage.read([&](Transaction& t) {
            std::vector<std::pair<Enrollment, std::optional<Citizen>>> found;
            for (auto& e : t.enrollments_with_status(EnrollmentStatus::AwaitingApproval, kMaxListed))
                found.emplace_back(e, t.get_citizen(e.personal_id));
            return found;
        });
        audit_read(ctx, call);
        json::array list;
        for (const auto& [e, citizen] : pending) {
            const perso::EnrollmentRecord submitted = record_of_enrollment(e);
            json::object o;
            o["enrollment_id"] = e.id;
            o["card_number"] = e.card_number;
            o["personal_id"] = e.personal_id;
            o["station_id"] = e.station_id;
            o["officer_id"] = e.officer_id;
            o["created_at"] = e.created_at;
            o["submitted_by_you"] = e.officer_id == call.principal.officer_id;
            json::array changes;
            if (citizen) {
                for (const auto& field : identity_changes(*citizen, submitted)) {
                    json::object change{{"field", field}};
                    if (field == "full_name") {
                        change["registered"] = citizen->person.full_name;
                        change["submitted"] = submitted.person.full_name;
                    } else if (field == "date_of_birth") {
                        change["registered"] = citizen->date_of_birth;
                        change["submitted"] = submitted.date_of_birth;
                    } else if (field == "sex") {
                        change["registered"] = std::string(1, citizen->sex);
                        change["submitted"] = std::string(1, submitted.sex);
                    } else {
                        change["registered"] = base64_encode(citizen->photo_jpeg);
                        change["submitted"] = base64_encode(submitted.photo_jpeg);
                    }
                    changes.push_back(std::move(change));
                }
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
Response decide_approval(IssuanceContext& ctx, const Request& r, bool approve) {
    Call call(approve ? "enrollment.approve" : "enrollment.reject");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        require_role(call, {Role::Supervisor, Role::Administrator}, "a supervisor or an administrator");
        const std::string id = path_param(r, "enrollment_id", kEnrollmentId, "the enrollment id");
        if (!r.body.empty()) {
            json::object body = parse_body(r);
            http::JsonFields fields(body);
            fields.reject_unknown({"reason"});
            if (fields.optional_string("reason", 200)) call.detail = "reason given; ";
        }
        return idempotent_write(ctx, r, call, [&](Transaction& t) {
            auto enrollment = t.get_enrollment(id);
            if (!enrollment) throw HttpError(404, "not_found", "no enrollment with this id");
            call.subject = enrollment->personal_id;
            if (enrollment->status != EnrollmentStatus::AwaitingApproval) {
                throw HttpError(409, "conflict", "this enrollment is not waiting for approval (it is " +
                                                     std::string(to_string(enrollment->status)) + ")");
            }
            if (enrollment->officer_id == call.principal.officer_id) {
                throw HttpError(403, "second_person_required",
                                "the officer who submitted an enrollment cannot decide on it: another supervisor must");
            }
            const auto citizen = t.get_citizen(enrollment->personal_id);
            const auto changes = citizen ? identity_changes(*citizen, record_of_enrollment(*enrollment)) : std::vector<std::string>{};
            if (approve) {
                t.update_enrollment_status(id, EnrollmentStatus::AwaitingApproval, EnrollmentStatus::Personalizing);
            } else {
                t.update_enrollment_status(id, EnrollmentStatus::AwaitingApproval, EnrollmentStatus::Rejected);
                t.update_card_status(enrollment->card_number, CardStatus::Personalizing, CardStatus::Revoked, utc_now());
            }
            call.detail += "card " + enrollment->card_number + "; " + (approve ? "approved: " : "rejected: ") +
                           joined(changes) + "; submitted by officer:" + enrollment->officer_id + "@station:" +
                           enrollment->station_id;
            json::object o;
            o["enrollment_id"] = id;
            o["card_number"] = enrollment->card_number;
            o["status"] = std::string(to_string(approve ? EnrollmentStatus::Personalizing : EnrollmentStatus::Rejected));
            return json_response(200, std::move(o));
        });
    });
}

Response get_card(IssuanceContext& ctx, const Request& r) {
    Call call("card.lookup");
    return guarded(ctx, r, call, [&] {
        authenticate(ctx, r, call);
        std::string number = path_param(r, "card_number", kCardNumber, "the card number");
        call.subject = number;
        auto card = ctx.storage.read([&](Transaction& t) { return t.get_card(number); });
        if (!card) throw HttpError(404, "not_found", "no card with this number");
        audit_read(ctx, call);
        return json_response(200, card_json(*card));
    });
}

}  // namespace

void add_issuance_routes(http::Router& router, IssuanceContext context) {
    auto ctx = std::make_shared<IssuanceContext>(context);
    if (!ctx->login_throttle) ctx->login_throttle = std::make_shared<security::LoginThrottle>();
    if (!ctx->password_verifier) ctx->password_verifier = security::verify_password;
    if (!ctx->anonymous_refusals) ctx->anonymous_refusals = std::make_shared<AnonymousRefusals>(ctx->storage);
    (void)unknown_officer_hash();  // made now, so the first unknown ID does not cost more than the rest
    auto route = [&](const char* method, const char* path, Response (*handler)(IssuanceContext&, const Request&)) {
        router.add(method, path, [ctx, handler](const Request& r) { return handler(*ctx, r); });
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
               [ctx](const Request& r) { return decide_approval(*ctx, r, true); });
    router.add("POST", "/api/v1/enrollments/{enrollment_id}/reject",
               [ctx](const Request& r) { return decide_approval(*ctx, r, false); });
    router.add("POST", "/api/v1/cards/{card_number}/suspend", [ctx](const Request& r) {
        return change_status(*ctx, r, "card.suspend", CardStatus::Suspended, {CardStatus::Issued}, true);
    });
    router.add("POST", "/api/v1/cards/{card_number}/revoke", [ctx](const Request& r) {
        return change_status(*ctx, r, "card.revoke", CardStatus::Revoked,
                             {CardStatus::Issued, CardStatus::Suspended, CardStatus::Lost}, true);
    });
    router.add("POST", "/api/v1/cards/{card_number}/report-lost", [ctx](const Request& r) {
        return change_status(*ctx, r, "card.report_lost", CardStatus::Lost, {CardStatus::Issued, CardStatus::Suspended},
                             false);
    });
    router.add_public("GET", "/healthz", [](const Request&) { return Response::json(200, json::value({{"status", "ok"}})); });
    router.add_public("GET", "/readyz", [ctx](const Request&) {
        try {
            ctx->storage.read([](Transaction& t) { (void)t.last_audit(); });
        } catch (const std::exception&) {
            return Response::error(503, "not_ready", "the database does not answer");
        }
        if (ctx->signer == nullptr) return Response::error(503, "not_ready", "no Document Signer key is configured");
        if (ctx->challenges != nullptr && !ctx->challenges->ping())
            return Response::error(503, "not_ready", "the challenge store does not answer");
        return Response::json(200, json::value({{"status", "ready"}}));
    });
}

}  // namespace cccd::server::api
