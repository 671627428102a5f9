#pragma once
// What a handler sees and returns. Deliberately plain values: handlers never touch Beast or Asio.
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "base/bytes.hpp"

namespace cccd::server::http {

// The client certificate the TLS layer verified against the configured client CA bundle.
struct ClientCertificate {
    Bytes der;
    std::string sha256_hex;         // lower-case hex SHA-256 of `der` (what Station::certificate_sha256 holds)
    std::string subject_common_name;
    std::string subject_organizational_unit;  // cccd-pki puts the role here: station, officer, rp
    std::string issuer_common_name;
};

struct Request {
    std::string method;             // "GET", "POST", ...
    std::string target;             // as sent: "/v1/cards/C01234567?full=1"
    std::string path;               // "/v1/cards/C01234567" (not percent-decoded)
    std::map<std::string, std::string, std::less<>> path_params;  // {"document_number": "C01234567"}
    std::map<std::string, std::string, std::less<>> query;        // percent-decoded; the last value wins
    std::map<std::string, std::string, std::less<>> headers;      // lower-case names; repeats joined by ", "
    std::string body;
    std::optional<ClientCertificate> client_certificate;          // only when verified
    std::string peer_address;       // "127.0.0.1" or "::1" (no port)
    unsigned short peer_port = 0;
    std::string request_id;         // set by the server (request_id_for): in the log, X-Request-Id and error bodies

    // The header's value, by case-insensitive name.
    std::optional<std::string_view> header(std::string_view name) const;
    std::optional<std::string_view> path_param(std::string_view name) const;
    std::optional<std::string_view> query_param(std::string_view name) const;
};

struct Response;
// Lets a held answer go (see Response::hold): nothing sends the response as the handler returned it,
// a response sends that one instead. Call it exactly once, from any thread.
using Release = std::function<void(std::unique_ptr<Response>)>;

struct Response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
    // Who the handler authenticated, for the server's log line (never sent): "rp:<id>",
    // "station:<id>", "officer:<id>@station:<id>". An id only, never a name, ID number or token; empty
    // when nobody was.
    std::string actor;
    // When set, the answer waits for something the handler started but need not wait for itself (an
    // audit entry becoming durable): the server calls hold(release) once the handler has returned, and
    // sends the answer when release is called. The handler's thread is free meanwhile; the handler
    // time limit still applies.
    std::function<void(Release)> hold;

    static Response json(unsigned status, const boost::json::value& value);
    // {"error": {"code": code, "message": message}}
    static Response error(unsigned status, std::string_view code, std::string_view message);
    static Response text(unsigned status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

using Handler = std::function<Response(const Request&)>;

// Thrown by handlers (and the JSON helpers) to answer with a JSON error; anything else a handler
// throws becomes 500 internal_error without details.
class HttpError : public std::exception {
public:
    HttpError(unsigned status, std::string code, std::string message)
        : status_(status), code_(std::move(code)), message_(std::move(message)) {}
    unsigned status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }
    const char* what() const noexcept override { return message_.c_str(); }
    // A header the answer carries too ("Retry-After").
    HttpError& with_header(std::string name, std::string value) {
        headers_.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    Response response() const {
        Response r = Response::error(status_, code_, message_);
        r.headers.insert(r.headers.end(), headers_.begin(), headers_.end());
        return r;
    }

private:
    unsigned status_;
    std::string code_;
    std::string message_;
    std::vector<std::pair<std::string, std::string>> headers_;
};

// Request ids (docs/observability.md). Every request gets one; it is in the server's log line, in the
// X-Request-Id response header and in every JSON error body, so a station's support bundle and the log
// meet. A client may send its own X-Request-Id (so it knows the id even when no answer arrives); the
// server adopts it when it is 20 to 40 characters of A-Z a-z 0-9 - _ (the server's own ids, UUIDs):
// ID numbers (12 digits), card numbers (16) and session tokens (43) never pass. Anything else is
// replaced by a new id.
std::string new_request_id();  // 16 random bytes, base64url without padding: 22 characters
bool is_acceptable_request_id(std::string_view text);
std::string request_id_for(std::optional<std::string_view> incoming);
// Sets X-Request-Id on `response` and puts "request_id" into a JSON error body ({"error": {...}}).
// Returns the error's code, or "" when the body is not a JSON error.
std::string stamp_request_id(Response& response, std::string_view request_id);

// "%41b+c" -> "Ab c" (form rules: '+' is a space). nullopt for a broken escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace cccd::server::http
