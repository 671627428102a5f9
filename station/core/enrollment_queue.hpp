#pragma once
// The station's offline queue: every enrollment is written here first (an encrypted SQLCipher file,
// synchronous=FULL), then delivered to the server. An enrollment made while the server cannot be
// reached simply waits; a station that is switched off, killed or loses the network loses nothing.
//
// Exactly once: each entry gets its Idempotency-Key when it is queued and keeps it for every attempt.
// The server keeps the first answer under that key (per station), so an attempt whose answer was lost
// is answered again with the same card number on the next attempt instead of creating a second card.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/perso/card_files.hpp"

namespace cccd::db {
class Connection;
}

namespace cccd::station {

enum class QueueState { Waiting, Delivered, Refused };
std::string_view to_string(QueueState state) noexcept;

struct QueuedEnrollment {
    std::int64_t id = 0;
    std::string idempotency_key;  // fixed when queued
    std::string personal_id;      // for the officer's list; the record itself is in `body`
    std::string body;             // the POST /api/v1/enrollments body, exactly as it will be sent
    std::string queued_at;        // UTC, ISO 8601
    QueueState state = QueueState::Waiting;
    int attempts = 0;
    std::string last_error;       // words, for the officer (never personal data)
    std::string card_number;      // once delivered
    std::string enrollment_id;    // once delivered
    // Once delivered: the identity fields (full_name, date_of_birth, sex, photo) the server holds for a
    // second person's approval before the card may be signed, as it last said; empty when none.
    std::vector<std::string> awaiting_approval_of;
};

class EnrollmentQueue {
public:
    // Opens (or creates) the queue file with its 32-byte key. WrongKeyError when the key does not open it.
    EnrollmentQueue(const std::string& path, const SecretBytes& key);
    ~EnrollmentQueue();
    EnrollmentQueue(const EnrollmentQueue&) = delete;
    EnrollmentQueue& operator=(const EnrollmentQueue&) = delete;

    // Checks the record (identity::record_profile_problems, its lines joined by "; ", then perso::validate,
    // and the ID number's province, century/sex and year digits against the person: InvalidArgument),
    // makes the request
    // body and a fresh key, and commits it before returning the entry.
    QueuedEnrollment enqueue(const identity::EnrollmentRecord& record);

    std::vector<QueuedEnrollment> waiting();              // oldest first
    std::vector<QueuedEnrollment> all();                  // oldest first
    std::optional<QueuedEnrollment> find(std::int64_t id);

    // `awaiting_approval_of`: the identity fields the server answered as awaiting approval (the entry is
    // delivered all the same: a supervisor's approval, not a resend, lets its card be issued).
    void mark_delivered(std::int64_t id, const std::string& enrollment_id, const std::string& card_number,
                        const std::vector<std::string>& awaiting_approval_of = {});
    // What the server last said about a delivered entry's approval: refused to sign it for want of one
    // (the fields), or signed it (none). For the officer's list; the server decides every time.
    void note_awaiting_approval(std::int64_t id, const std::vector<std::string>& fields);
    // The server refused the record itself (a 4xx about the content): it will not be sent again.
    void mark_refused(std::int64_t id, const std::string& reason);
    // The attempt did not get an answer (network, server down, busy): it stays waiting.
    void note_failed_attempt(std::int64_t id, const std::string& reason);

private:
    std::unique_ptr<db::Connection> db_;
};

// The JSON body of POST /api/v1/enrollments for `record`: {"record": ..., "photo_jpeg": base64}.
std::string enrollment_request_body(const identity::EnrollmentRecord& record);

}  // namespace cccd::station
