#include "server/api/auth_api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>

#include "auth/challenge_store.hpp"
#include "auth/errors.hpp"
#include "base/clock.hpp"
#include "base/encoding.hpp"
#include "base/error.hpp"

namespace cccd::server::api {

namespace {

namespace json = boost::json;
using http::HttpError;
using http::Request;
using http::Response;

// Who calls, by the verified client certificate alone.
RelyingPartyRecord calling_party(AuthContext& ctx, const Request& r) {
    if (!r.client_certificate) {
        throw HttpError(403, "relying_party_unknown", "this service answers registered relying parties only (client certificate)");
    }
    auto party = ctx.storage.read(
        [&](Transaction& t) { return t.relying_party_by_certificate(r.client_certificate->sha256_hex); });
    if (!party || !party->active) {
        throw HttpError(403, "relying_party_unknown", "this certificate is not registered to an active relying party");
    }
    return *party;
}

// An audit actor for a caller that is not a relying party: the start of its certificate's fingerprint.
std::string unknown_actor(const Request& r) {
    if (!r.client_certificate) return "anonymous";
    return "certificate:" + r.client_certificate->sha256_hex.substr(0, 16);
}

// 429 with Retry-After when the party has used up its requests of the minute; nothing otherwise.
std::optional<Response> over_rate_limit(AuthContext& ctx, const RelyingPartyRecord& party) {
    const std::uint32_t limit = std::max<std::uint32_t>(party.rate_limit_per_minute, 1);
    if (ctx.limiter->allow(party.id, limit)) return std::nullopt;
    Response response = Response::error(429, "too_many_requests",
                                        "this relying party has used up its requests for the minute: try again later");
    const std::uint32_t wait = std::max<std::uint32_t>(ctx.limiter->retry_after_seconds(party.id, limit), 1);
    response.headers.emplace_back("Retry-After", std::to_string(wait));
    return response;
}

// ---- what the routes count (AuthContext::metrics) ----

void count_refusal(AuthContext& ctx, std::string_view code) {
    if (ctx.metrics) ctx.metrics->add("cccd_auth_refusals_total", {{"code", std::string(code)}});
}

void count_verification(AuthContext& ctx, const std::string& party, const char* outcome) {
    if (ctx.metrics) ctx.metrics->add("cccd_auth_verifications_total", {{"relying_party", party}, {"outcome", outcome}});
}

void count_store_error(AuthContext& ctx, const char* store) {
    if (ctx.metrics) ctx.metrics->add("cccd_store_errors_total", {{"store", store}});
}

Response service_unavailable(const char* what) {
    Response response = Response::error(503, "service_unavailable", std::string(what) + " does not answer: try again in a moment");
    response.headers.emplace_back("Retry-After", "1");
    return response;
}

// The server's own failures (database, challenge store) are 503s: the caller may retry, and no
// refusal code is invented for them.
Response unavailable_on_failure(AuthContext& ctx, const std::function<Response()>& body) {
    try {
        return body();
    } catch (const auth::ChallengeStoreError&) {
        count_store_error(ctx, "challenge_store");
        return service_unavailable("the challenge store");
    } catch (const StorageError&) {
        count_store_error(ctx, "database");
        return service_unavailable("the database");
    }
}

// calling_party, with its refusal counted.
RelyingPartyRecord counted_calling_party(AuthContext& ctx, const Request& r) {
    try {
        return calling_party(ctx, r);
    } catch (const HttpError& e) {
        count_refusal(ctx, e.code());
        throw;
    }
}

void audit(AuthContext& ctx, const security::AuditFields& fields) { ctx.audit_log->append(fields); }

// A refusal stands even when it cannot be recorded (the database may be the problem).
void audit_refusal(AuthContext& ctx, const security::AuditFields& fields) {
    try {
        audit(ctx, fields);
    } catch (const std::exception&) {
    }
}

unsigned status_of(auth::AuthError error) { return error == auth::AuthError::RelyingPartyUnknown ? 403 : 422; }

Response issue_challenge(AuthContext& ctx, const Request& r) {
    std::string actor;
    Response response = unavailable_on_failure(ctx, [&] {
        const RelyingPartyRecord party = counted_calling_party(ctx, r);
        actor = "rp:" + party.id;
        if (auto limited = over_rate_limit(ctx, party)) {
            count_refusal(ctx, "too_many_requests");
            return *limited;
        }
        auth::Challenge challenge;
        try {
            challenge = ctx.pipeline.issue_challenge(party.id);
        } catch (const auth::AuthFailure& e) {
            count_refusal(ctx, auth::to_string(e.code()));
            return HttpError(status_of(e.code()), std::string(auth::relying_party_code(e.code())),
                             auth::relying_party_message(e.code(), e.what()))
                .response();
        }
        return Response::json(201, json::value(challenge_offer_json(challenge, party.id)));
    });
    response.actor = actor;
    return response;
}

// The answer to an accepted verification waits until its audit entry is durable (no assertion leaves
// without one), but the server thread does not: the entry goes to the group commit with a completion,
// and the held answer is released from there (a 503 instead when the entry could not be written).
void hold_until_audited(Response& response, const std::shared_ptr<AuthContext>& shared, security::AuditFields entry,
                        std::string party_id) {
    response.hold = [shared, entry = std::move(entry), party_id = std::move(party_id), actor = response.actor](http::Release release) mutable {
        shared->audit_log->append_async(std::move(entry), [shared, party_id, actor, release](std::exception_ptr error) {
            if (!error) {
                count_verification(*shared, party_id, "ok");
                release(nullptr);
                return;
            }
            count_store_error(*shared, "database");
            count_verification(*shared, party_id, "unavailable");
            auto unavailable = std::make_unique<Response>(service_unavailable("the database"));
            unavailable->actor = actor;
            release(std::move(unavailable));
        });
    };
}

Response verify(AuthContext& ctx, const std::shared_ptr<AuthContext>& shared, const Request& r) {
    security::AuditFields entry{utc_now(), unknown_actor(r), "auth.verify", "unknown", "", ""};
    std::string party_id;                   // once the caller is known to be a registered party
    const char* outcome = "unavailable";    // what a store failure leaves
    Response response = unavailable_on_failure(ctx, [&] {
        RelyingPartyRecord party;
        try {
            party = counted_calling_party(ctx, r);
        } catch (const HttpError& e) {
            entry.outcome = e.code();
            if (r.client_certificate) audit_refusal(ctx, entry);
            else ctx.anonymous_refusals->record(r.peer_address, e.code());  // proved nothing: counted, not an entry each
            throw;
        }
        party_id = party.id;
        entry.actor = "rp:" + party.id;
        if (auto limited = over_rate_limit(ctx, party)) {
            entry.outcome = "too_many_requests";
            audit_refusal(ctx, entry);
            count_refusal(ctx, entry.outcome);
            outcome = "refused";
            return *limited;
        }
        std::optional<auth::RelyingParty> caller;
        try {
            caller = to_relying_party(party);
        } catch (const InvalidArgument&) {
            // A record the pipeline cannot use: it looks the party up itself and refuses it.
        }
        const auth::VerificationResult result =
            caller ? ctx.pipeline.verify_json(*caller, r.body) : ctx.pipeline.verify_json(party.id, r.body);
        if (!result.card_number.empty()) entry.subject = result.card_number;
        entry.time = utc_now();
        if (!result.ok()) {
            // The audit log keeps the precise refusal; the caller gets the answer it may know.
            entry.outcome = std::string(auth::to_string(*result.error));
            entry.detail = result.reason;  // words for logs: the pipeline never puts personal data in them
            audit_refusal(ctx, entry);
            count_refusal(ctx, entry.outcome);
            outcome = "refused";
            return Response::error(status_of(*result.error), std::string(auth::relying_party_code(*result.error)),
                                   auth::relying_party_message(*result.error, result.reason));
        }
        entry.outcome = "ok";
        entry.detail = "loa " + result.loa + (result.chip_authenticated ? ", chip authenticated" : "");
        // No assertion leaves without its audit entry: held below until the entry is durable.
        outcome = "ok";
        return Response::json(200, json::value(accepted_verification_json(result)));
    });
    if (!party_id.empty()) response.actor = "rp:" + party_id;
    if (std::string_view(outcome) == "ok") {
        hold_until_audited(response, shared, std::move(entry), party_id);
    } else if (!party_id.empty()) {
        count_verification(ctx, party_id, outcome);
    }
    return response;
}

Response jwks(AuthContext& ctx, const Request&) {
    Response response = Response::text(200, ctx.signer.jwks().to_json(), "application/json");
    // Short enough that a rotation reaches relying parties well within an assertion's lifetime.
    response.headers.emplace_back("Cache-Control", "public, max-age=300");
    return response;
}

}  // namespace

json::object challenge_offer_json(const auth::Challenge& challenge, std::string_view relying_party_id) {
    json::object o;
    o["challenge_id"] = challenge.id;
    o["nonce"] = base64_encode(challenge.nonce);
    o["aa_challenge"] = to_hex(auth::derive_aa_challenge(challenge.nonce, relying_party_id));
    o["expires_in_seconds"] = (challenge.expires_at - challenge.created_at).count();
    return o;
}

json::object accepted_verification_json(const auth::VerificationResult& result) {
    json::object o;
    o["assertion"] = result.assertion;
    o["loa"] = result.loa;
    o["chip_authenticated"] = result.chip_authenticated;
    return o;
}

auth::RelyingParty to_relying_party(const RelyingPartyRecord& record) {
    auth::RelyingParty party;
    party.id = record.id;
    party.name = record.name;
    party.rate_limit_per_minute = record.rate_limit_per_minute;
    party.active = record.active;
    party.scopes = auth::parse_scopes(record.scopes);
    auth::validate(party);
    return party;
}

std::vector<Card> StorageCardRegistry::cards_by_document_number(std::string_view document_number) {
    return storage_.read([&](Transaction& t) { return t.cards_by_document_number(document_number); });
}

std::optional<Citizen> StorageCardRegistry::citizen(std::string_view personal_id) {
    return storage_.read([&](Transaction& t) { return t.get_citizen(personal_id); });
}

std::optional<auth::RelyingParty> StorageRelyingPartyDirectory::find(std::string_view id) const {
    auto record = storage_.read([&](Transaction& t) { return t.get_relying_party(id); });
    if (!record) return std::nullopt;
    try {
        return to_relying_party(*record);
    } catch (const InvalidArgument&) {
        // A record the pipeline cannot use (an unknown scope): treated as unknown rather than guessed at.
        return std::nullopt;
    }
}

void add_auth_routes(http::Router& router, AuthContext context) {
    auto ctx = std::make_shared<AuthContext>(context);
    if (!ctx->audit_log) ctx->audit_log = std::make_shared<AuditGroupCommit>(ctx->storage, ctx->checkpointer);
    if (!ctx->anonymous_refusals) ctx->anonymous_refusals = std::make_shared<AnonymousRefusals>(ctx->storage);
    if (ctx->metrics) {
        ctx->metrics->describe("cccd_auth_verifications_total",
                               "Verifications by relying party and outcome (ok, refused, unavailable).", "counter");
        ctx->metrics->describe("cccd_auth_refusals_total",
                               "Refusals of the authentication API (challenges and verifications) by code.", "counter");
        ctx->metrics->describe("cccd_store_errors_total",
                               "Store failures met by request handlers, by store (database, challenge_store).", "counter");
    }
    router.add("POST", "/api/v1/auth/challenges", [ctx](const Request& r) { return issue_challenge(*ctx, r); });
    router.add("POST", "/api/v1/auth/verifications", [ctx](const Request& r) { return verify(*ctx, ctx, r); });
    router.add_public("GET", "/.well-known/jwks.json", [ctx](const Request& r) { return jwks(*ctx, r); });
}

}  // namespace cccd::server::api
