#pragma once
// The station's side of the issuance API (docs/openapi.yaml): officer login from the station's client
// certificate, then calls with the session token. Transport: net::HttpsClient (TLS 1.3, mutual TLS).
// Thread-safety: none; the station runs it on its worker thread.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/pa/passive_auth.hpp"
#include "identity/enrollment_record.hpp"

#include "net/https_client.hpp"

namespace cccd::station {

// The server answered with one of its documented refusals ({"error": {"code", "message"}}).
class ServerRefusal : public net::ClientError {
public:
    ServerRefusal(unsigned http_status, std::string code, std::string message, std::string request_id = {})
        : net::ClientError(message.empty() ? code : message), http_status_(http_status), code_(std::move(code)),
          request_id_(std::move(request_id)) {}
    unsigned http_status() const noexcept { return http_status_; }
    const std::string& code() const noexcept { return code_; }
    // What the server logged the request under (X-Request-Id), for the officer's report; may be empty.
    const std::string& request_id() const noexcept { return request_id_; }
    // The session is gone (expired, logged out): log in again; nothing about the request is wrong.
    bool needs_login() const noexcept { return http_status_ == 401; }
    // The server cannot take it now (busy, rate limit, its database): try the same request later.
    bool try_later() const noexcept { return http_status_ == 429 || http_status_ >= 500; }

private:
    unsigned http_status_;
    std::string code_;
    std::string request_id_;
};

struct OfficerSession {
    std::string officer_id;
    std::string role;
    std::string station_id;
    std::chrono::seconds expires_in{0};
};

// A citizen as the population register holds them (the photo is not sent with a lookup).
struct CitizenFound {
    identity::EnrollmentRecord record;
    std::string status;  // "active", ...
};

struct EnrollmentAccepted {
    std::string enrollment_id;
    std::string card_number;
    std::string document_number;
    std::string status;  // "personalizing", or "awaiting_approval" (an identity change)
    // The identity fields (full_name, date_of_birth, sex, photo) this enrollment changes against the
    // register: its card cannot be signed until a supervisor other than the submitter approves them.
    std::vector<std::string> approval_required_for;
    bool replayed = false;  // the server had it already (the answer to an earlier attempt)
    bool awaiting_approval() const { return status == "awaiting_approval"; }
};

// One identity field an enrollment changes: what the register holds beside what was submitted.
struct IdentityChange {
    std::string field;                     // full_name, date_of_birth, sex or photo
    std::string registered, submitted;     // the values; empty for a photo
    Bytes registered_photo, submitted_photo;  // JPEG, for a photo
};

// An enrollment waiting for a second person's approval (GET /api/v1/approvals).
struct PendingApproval {
    std::string enrollment_id, card_number, personal_id, station_id, officer_id, created_at;
    bool submitted_by_you = false;  // the server refuses your decision on it (second_person_required)
    std::vector<IdentityChange> changes;
};

// The server's answer to an approval or a rejection.
struct ApprovalDecision {
    std::string enrollment_id, card_number;
    std::string status;  // "personalizing" (approved: the card may be issued) or "rejected" (its card revoked)
};

// The Idempotency-Key of an officer's decision ("approve" or "reject") on an enrollment: the same decision
// sent again (an answer lost, the program restarted) gets the server's first answer back; another
// officer's decision, or a rejection with another reason, is a request of its own.
std::string decision_idempotency_key(std::string_view decision, const std::string& enrollment_id,
                                     const std::string& officer_id, const std::string& reason = {});

class IssuanceClient {
public:
    explicit IssuanceClient(net::HttpsClientOptions options);

    // ServerRefusal 401 for a wrong officer or password (one message for both), 403 for a station the
    // server does not know; net::ClientError when the server cannot be reached.
    OfficerSession login(const std::string& officer_id, const std::string& password);
    void logout() noexcept;
    bool logged_in() const noexcept { return !token_.empty(); }

    // GET /api/v1/citizens/{id}: nothing when the register has no such citizen.
    std::optional<CitizenFound> find_citizen(const std::string& personal_id);
    // GET /api/v1/citizens?name=...: diacritics and case ignored by the server; at most `limit`.
    std::vector<CitizenFound> search_citizens(const std::string& name, int limit = 20);

    // POST /api/v1/enrollments with the queued body and its key.
    EnrollmentAccepted submit_enrollment(const std::string& body, const std::string& idempotency_key);

    // GET /api/v1/approvals (a supervisor or an administrator; ServerRefusal 403 forbidden_role
    // otherwise): at most 100, oldest first.
    std::vector<PendingApproval> list_approvals();
    // POST /api/v1/enrollments/{id}/approve and .../reject, each under the caller's Idempotency-Key (keep it
    // for a retry after a lost answer). ServerRefusal 403 forbidden_role (not a supervisor),
    // 403 second_person_required (the submitting officer), 409 conflict (not waiting for approval).
    ApprovalDecision approve_enrollment(const std::string& enrollment_id, const std::string& idempotency_key);
    ApprovalDecision reject_enrollment(const std::string& enrollment_id, const std::string& reason,
                                       const std::string& idempotency_key);

    // POST /api/v1/cards/{n}/sod: the server rebuilds the data groups from its own record and the chip's
    // keys, compares, signs with the Document Signer key and pins the result. Returns EF.SOD.
    // ServerRefusal 409 approval_required while the enrollment waits for a supervisor's approval.
    Bytes sign_sod(const std::string& card_number, const std::map<int, Bytes>& data_groups, ByteView chip_serial,
                   const std::string& idempotency_key);
    // POST /api/v1/cards/{n}/activate with the read-back's SOD and verdicts. Returns the card's status.
    std::string activate(const std::string& card_number, ByteView sod_read_back, const std::vector<pa::Check>& checks,
                         const std::string& idempotency_key);

    net::HttpsClient& transport() noexcept { return https_; }

private:
    ApprovalDecision decide(const std::string& enrollment_id, std::string_view decision, std::string body,
                            const std::string& idempotency_key);
    net::HttpAnswer call(std::string_view method, std::string_view target, std::string body,
                         const std::string& idempotency_key = {});

    net::HttpsClient https_;
    std::string token_;  // never logged, never written to disk
};

}  // namespace cccd::station
