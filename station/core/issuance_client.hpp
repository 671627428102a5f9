#pragma once
// The station's side of the issuance API (docs/openapi.yaml): officer login from the station's client
// certificate, then calls with the session token. Transport: net::HttpsClient (TLS 1.3, mutual TLS).
// Thread-safety: none; the station runs it on its worker thread.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "card/core/bytes.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/perso/card_files.hpp"

#include "net/https_client.hpp"

namespace cccd::station {

// The server answered with one of its documented refusals ({"error": {"code", "message"}}).
class ServerRefusal : public net::ClientError {
public:
    ServerRefusal(unsigned http_status, std::string code, std::string message)
        : net::ClientError(message.empty() ? code : message), http_status_(http_status), code_(std::move(code)) {}
    unsigned http_status() const noexcept { return http_status_; }
    const std::string& code() const noexcept { return code_; }
    // The session is gone (expired, logged out): log in again; nothing about the request is wrong.
    bool needs_login() const noexcept { return http_status_ == 401; }
    // The server cannot take it now (busy, rate limit, its database): try the same request later.
    bool try_later() const noexcept { return http_status_ == 429 || http_status_ >= 500; }

private:
    unsigned http_status_;
    std::string code_;
};

struct OfficerSession {
    std::string officer_id;
    std::string role;
    std::string station_id;
    std::chrono::seconds expires_in{0};
};

// A citizen as the population register holds them (the photo is not sent with a lookup).
struct CitizenFound {
    perso::EnrollmentRecord record;
    std::string status;  // "active", ...
};

struct EnrollmentAccepted {
    std::string enrollment_id;
    std::string card_number;
    std::string document_number;
    bool replayed = false;  // the server had it already (the answer to an earlier attempt)
};

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

    // POST /api/v1/cards/{n}/sod: the server rebuilds the data groups from its own record and the chip's
    // keys, compares, signs with the Document Signer key and pins the result. Returns EF.SOD.
    Bytes sign_sod(const std::string& card_number, const std::map<int, Bytes>& data_groups, ByteView chip_serial,
                   const std::string& idempotency_key);
    // POST /api/v1/cards/{n}/activate with the read-back's SOD and verdicts. Returns the card's status.
    std::string activate(const std::string& card_number, ByteView sod_read_back, const std::vector<pa::Check>& checks,
                         const std::string& idempotency_key);

    net::HttpsClient& transport() noexcept { return https_; }

private:
    net::HttpAnswer call(std::string_view method, std::string_view target, std::string body,
                         const std::string& idempotency_key = {});

    net::HttpsClient https_;
    std::string token_;  // never logged, never written to disk
};

}  // namespace cccd::station
