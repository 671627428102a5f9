#include "station/core/enrollment_queue.hpp"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "base/clock.hpp"
#include "base/encoding.hpp"
#include "base/error.hpp"
#include "crypto/random.hpp"
#include "db/sqlcipher.hpp"
#include "identity/enrollment_record.hpp"
#include "identity/id_number.hpp"
#include "identity/record_json.hpp"

namespace cccd::station {

namespace {

namespace json = boost::json;
using db::Statement;
using db::Value;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS enrollment_queue (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    personal_id     TEXT NOT NULL,
    body            TEXT NOT NULL,
    queued_at       TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('waiting', 'delivered', 'refused')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    card_number     TEXT NOT NULL DEFAULT '',
    enrollment_id   TEXT NOT NULL DEFAULT '',
    awaiting_approval TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS enrollment_queue_by_state ON enrollment_queue (state, id);
)sql";

const Statement kInsert{"queue insert",
                        "INSERT INTO enrollment_queue (idempotency_key, personal_id, body, queued_at, state) "
                        "VALUES (?1, ?2, ?3, ?4, 'waiting')"};
const Statement kIdOfKey{"queue id of key", "SELECT id FROM enrollment_queue WHERE idempotency_key = ?1"};
// The columns entry_of reads, in its order.
#define CCCD_QUEUE_ENTRY "SELECT id, idempotency_key, personal_id, body, queued_at, state, attempts, last_error, " \
                         "card_number, enrollment_id, awaiting_approval FROM enrollment_queue "
const Statement kWaiting{"queue waiting", CCCD_QUEUE_ENTRY "WHERE state = 'waiting' ORDER BY id"};
const Statement kAll{"queue all", CCCD_QUEUE_ENTRY "ORDER BY id"};
const Statement kFind{"queue find", CCCD_QUEUE_ENTRY "WHERE id = ?1"};
#undef CCCD_QUEUE_ENTRY
const Statement kDelivered{"queue delivered",
                           "UPDATE enrollment_queue SET state = 'delivered', attempts = attempts + 1, last_error = '', "
                           "enrollment_id = ?2, card_number = ?3, awaiting_approval = ?4 WHERE id = ?1 AND state = 'waiting'"};
const Statement kAwaiting{"queue awaiting approval",
                          "UPDATE enrollment_queue SET awaiting_approval = ?2 WHERE id = ?1 AND state = 'delivered'"};
// Queue files made before approvals existed get the column (SQLite has no ADD COLUMN IF NOT EXISTS).
const Statement kColumns{"queue columns", "PRAGMA table_info(enrollment_queue)"};  // column 1: the name
constexpr const char* kAddAwaiting = "ALTER TABLE enrollment_queue ADD COLUMN awaiting_approval TEXT NOT NULL DEFAULT ''";
const Statement kRefused{"queue refused", "UPDATE enrollment_queue SET state = 'refused', attempts = attempts + 1, "
                                          "last_error = ?2 WHERE id = ?1 AND state = 'waiting'"};
const Statement kFailed{"queue failed", "UPDATE enrollment_queue SET attempts = attempts + 1, last_error = ?2 "
                                        "WHERE id = ?1 AND state = 'waiting'"};

QueueState state_of(const std::string& text) {
    if (text == "delivered") return QueueState::Delivered;
    if (text == "refused") return QueueState::Refused;
    return QueueState::Waiting;
}

// The awaiting fields are kept as one comma-separated column: server field names never hold a comma.
std::string column_of(const std::vector<std::string>& fields) {
    std::string out;
    for (const auto& field : fields) out += (out.empty() ? "" : ",") + field;
    return out;
}

std::vector<std::string> fields_of(const std::string& column) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < column.size()) {
        const std::size_t comma = std::min(column.find(',', start), column.size());
        if (comma > start) out.push_back(column.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

QueuedEnrollment entry_of(const db::Row& row) {
    QueuedEnrollment e;
    e.id = row.integer(0);
    e.idempotency_key = row.text(1);
    e.personal_id = row.text(2);
    e.body = row.text(3);
    e.queued_at = row.text(4);
    e.state = state_of(row.text(5));
    e.attempts = static_cast<int>(row.integer(6));
    e.last_error = row.text(7);
    e.card_number = row.text(8);
    e.enrollment_id = row.text(9);
    e.awaiting_approval_of = fields_of(row.text(10));
    return e;
}

}  // namespace

std::string_view to_string(QueueState state) noexcept {
    switch (state) {
        case QueueState::Waiting: return "waiting";
        case QueueState::Delivered: return "delivered";
        case QueueState::Refused: return "refused";
    }
    return "waiting";
}

std::string enrollment_request_body(const identity::EnrollmentRecord& record) {
    json::object body;
    body["record"] = json::parse(identity::to_json(record));
    body["photo_jpeg"] = base64_encode(record.photo_jpeg);
    return json::serialize(body);
}

EnrollmentQueue::EnrollmentQueue(const std::string& path, const SecretBytes& key)
    : db_(db::open_sqlcipher(path, key)) {
    db_->begin(false);
    try {
        db_->execute_script(kSchema);
        const auto columns = db_->query(kColumns, {});
        if (std::none_of(columns.begin(), columns.end(), [](const db::Row& c) { return c.text(1) == "awaiting_approval"; }))
            db_->execute_script(kAddAwaiting);
        db_->commit();
    } catch (...) {
        db_->rollback();
        throw;
    }
}

EnrollmentQueue::~EnrollmentQueue() = default;

QueuedEnrollment EnrollmentQueue::enqueue(const identity::EnrollmentRecord& record) {
    // The server refuses the same (422): caught here, the officer corrects it with the citizen present.
    // What the card profile asks (identity::record_profile_problems): no photo under 6, a legal
    // representative for a child, the expiry of the validity rule; in the officer's words.
    if (const std::vector<std::string> problems = identity::record_profile_problems(record); !problems.empty()) {
        std::string words;
        for (const auto& line : problems) words += (words.empty() ? "" : "; ") + line;
        throw InvalidArgument(words);
    }
    perso::validate(record);
    QueuedEnrollment e;
    e.idempotency_key = "enr-" + to_hex(crypto::random_bytes(16));
    e.personal_id = record.person.personal_id;
    e.body = enrollment_request_body(record);
    e.queued_at = cccd::utc_now();
    const std::array<Value, 4> values{e.idempotency_key, e.personal_id, e.body, e.queued_at};
    db_->begin(false);
    try {
        db_->execute(kInsert, values);
        const std::array<Value, 1> key{e.idempotency_key};
        e.id = db_->query(kIdOfKey, key).at(0).integer(0);
        db_->commit();
    } catch (...) {
        db_->rollback();
        throw;
    }
    return e;
}

std::vector<QueuedEnrollment> EnrollmentQueue::waiting() {
    std::vector<QueuedEnrollment> out;
    for (const auto& row : db_->query(kWaiting, {})) out.push_back(entry_of(row));
    return out;
}

std::vector<QueuedEnrollment> EnrollmentQueue::all() {
    std::vector<QueuedEnrollment> out;
    for (const auto& row : db_->query(kAll, {})) out.push_back(entry_of(row));
    return out;
}

std::optional<QueuedEnrollment> EnrollmentQueue::find(std::int64_t id) {
    const std::array<Value, 1> key{id};
    const auto rows = db_->query(kFind, key);
    if (rows.empty()) return std::nullopt;
    return entry_of(rows.front());
}

void EnrollmentQueue::mark_delivered(std::int64_t id, const std::string& enrollment_id, const std::string& card_number,
                                     const std::vector<std::string>& awaiting_approval_of) {
    const std::array<Value, 4> values{id, enrollment_id, card_number, column_of(awaiting_approval_of)};
    db_->execute(kDelivered, values);
}

void EnrollmentQueue::note_awaiting_approval(std::int64_t id, const std::vector<std::string>& fields) {
    const std::array<Value, 2> values{id, column_of(fields)};
    db_->execute(kAwaiting, values);
}

void EnrollmentQueue::mark_refused(std::int64_t id, const std::string& reason) {
    const std::array<Value, 2> values{id, reason};
    db_->execute(kRefused, values);
}

void EnrollmentQueue::note_failed_attempt(std::int64_t id, const std::string& reason) {
    const std::array<Value, 2> values{id, reason};
    db_->execute(kFailed, values);
}

}  // namespace cccd::station
