#pragma once
// The authentication API that relying parties (banks, public services) call (docs/openapi.yaml,
// docs/authentication.md): a challenge, then the verification of a card presentation that answers
// with a signed assertion, and the JWKS that verifies it. A relying party is known ONLY by its
// mutual-TLS client certificate, registered in the relying_parties table; an id in a body is never
// believed. Every verification is audited (actor "rp:<id>", subject the card number, never a name)
// before it is answered; concurrent verifications share one commit (AuditGroupCommit).
#include <boost/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "auth/assertion.hpp"
#include "auth/pipeline.hpp"
#include "auth/registry.hpp"
#include "server/audit/anonymous_refusals.hpp"
#include "server/audit/audit_log.hpp"
#include "server/audit/group_commit.hpp"
#include "server/http/metrics.hpp"
#include "server/http/rate_limiter.hpp"
#include "server/http/router.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::api {

// The stored record as the pipeline sees it: scopes split on spaces. InvalidArgument for an unknown
// scope or a malformed id (auth::validate).
auth::RelyingParty to_relying_party(const RelyingPartyRecord& record);

// The card registry of server/storage, one read transaction per question (a revocation takes effect at
// once, on every server instance).
class StorageCardRegistry final : public auth::CardRegistry {
public:
    explicit StorageCardRegistry(Storage& storage) : storage_(storage) {}
    std::vector<Card> cards_by_document_number(std::string_view document_number) override;
    std::optional<Citizen> citizen(std::string_view personal_id) override;

private:
    Storage& storage_;
};

// The relying parties of server/storage, one read per question (a deactivation takes effect at once,
// on every server instance).
class StorageRelyingPartyDirectory final : public auth::RelyingPartyDirectory {
public:
    explicit StorageRelyingPartyDirectory(Storage& storage) : storage_(storage) {}
    std::optional<auth::RelyingParty> find(std::string_view id) const override;

private:
    Storage& storage_;
};

struct AuthContext {
    Storage& storage;
    auth::VerificationPipeline& pipeline;
    const auth::AssertionSigner& signer;
    std::shared_ptr<http::RateLimiter> limiter = std::make_shared<http::RateLimiter>();  // per relying party
    AuditCheckpointer* checkpointer = nullptr;  // null: no checkpoints
    // Where verifications are audited; add_auth_routes makes one over `storage` when none is given.
    std::shared_ptr<AuditGroupCommit> audit_log = nullptr;
    // Refusals of callers without a client certificate, counted per peer and minute instead of an entry
    // each; add_auth_routes makes one when none is given (serve shares the issuance API's).
    std::shared_ptr<AnonymousRefusals> anonymous_refusals = nullptr;
    // Where the routes count (null: nowhere): cccd_auth_verifications_total{relying_party, outcome}
    // (ok, refused, unavailable), cccd_auth_refusals_total{code} (the precise code the audit log keeps),
    // cccd_store_errors_total{store} (database, challenge_store).
    std::shared_ptr<http::Metrics> metrics = nullptr;
};

// The bodies of the two answers a relying party parses (docs/openapi.yaml): a challenge offered to
// `relying_party_id` (201), and an accepted verification (200).
boost::json::object challenge_offer_json(const auth::Challenge& challenge, std::string_view relying_party_id);
boost::json::object accepted_verification_json(const auth::VerificationResult& result);

// POST /api/v1/auth/challenges, POST /api/v1/auth/verifications, GET /.well-known/jwks.json. Each
// answer to a registered relying party names it (Response::actor "rp:<id>") for the server's log.
// Every reference in `context` must outlive the router.
void add_auth_routes(http::Router& router, AuthContext context);

}  // namespace cccd::server::api
