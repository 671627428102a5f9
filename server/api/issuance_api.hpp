#pragma once
// The issuance API that enrollment stations call (docs/openapi.yaml): officer sessions from registered
// stations, citizen lookup and search, enrollment with card-number allocation, EF.SOD signing of data
// groups the server rebuilds from its own record, activation after a verified read-back, and suspend,
// revoke, report-lost. Every POST takes an Idempotency-Key; every call is audited, refusals included.
// These are the routes: what issuing does is the issuance core's (server/issuance/service.hpp); a
// route parses the request into its typed input, calls it and answers each refusal with its own
// status and error code (docs/issuance.md).
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "auth/challenge_store.hpp"
#include "server/audit/anonymous_refusals.hpp"
#include "server/audit/audit_log.hpp"
#include "server/http/metrics.hpp"
#include "server/http/router.hpp"
#include "server/issuance/service.hpp"
#include "server/security/login_throttle.hpp"
#include "server/security/session.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::api {

// The key that signs EF.SOD: the issuance core's (server/issuance/service.hpp).
using issuance::DocumentSigner;

struct IssuanceContext {
    Storage& storage;
    security::SessionManager& sessions;
    DocumentSigner* signer = nullptr;            // null: SOD signing answers 503
    AuditCheckpointer* checkpointer = nullptr;   // null: no checkpoints
    auth::ChallengeStore* challenges = nullptr;  // the authentication API's store: /readyz asks it too
    // Failed logins per officer ID and per station; null: add_issuance_routes makes one with the defaults.
    std::shared_ptr<security::LoginThrottle> login_throttle = nullptr;
    // Checks a password against an encoded Argon2id hash; null: security::verify_password (tests count calls).
    std::function<bool(std::string_view encoded, const SecretBytes& password)> password_verifier = nullptr;
    // Refusals of callers without a client certificate, counted per peer and minute; null: one of its own.
    std::shared_ptr<AnonymousRefusals> anonymous_refusals = nullptr;
    // Where the service's health is exported (null: nowhere): on each scrape the same probe as /readyz
    // sets cccd_database_up, cccd_challenge_store_up, cccd_audit_checkpoint_age_seconds and
    // cccd_audit_entries_uncovered; the routes count cccd_store_errors_total{store="database"}.
    std::shared_ptr<http::Metrics> metrics = nullptr;
    // How the issuance core issues (cccd-server's issuance_legacy_cccd_2021: the 2021 CCCD too).
    issuance::IssuanceOptions issuance_options = {};
};

// Adds every route of the issuance API, /healthz and /readyz. Each answer names who was authenticated
// (Response::actor: "station:<id>", "officer:<id>@station:<id>") for the server's log.
void add_issuance_routes(http::Router& router, IssuanceContext context);

}  // namespace cccd::server::api
