// Every Transaction operation, written once over db::Connection for both dialects.
#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include "server/storage/sql_storage.hpp"

namespace cccd::server::sql {

namespace {

// ---- parameters ----

Value text(std::string_view s) { return std::string(s); }
Value optional_text(const std::optional<std::string>& s) { return s ? Value(*s) : Value(Null{}); }
Value blob(const Bytes& b) { return b; }
Value integer(std::int64_t i) { return i; }

std::int64_t to_db_sequence(std::uint64_t sequence) {
    if (sequence > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw InvalidArgument("storage: audit sequence out of range");
    }
    return static_cast<std::int64_t>(sequence);
}
std::uint64_t from_db_sequence(std::int64_t sequence) {
    return sequence < 0 ? 0 : static_cast<std::uint64_t>(sequence);
}
std::int64_t to_db_limit(std::size_t limit) {
    return limit > 1'000'000 ? 1'000'000 : static_cast<std::int64_t>(limit);
}

template <typename Status, typename Parse>
Status parse_status(const std::string& text, Parse parse, const char* what) {
    if (auto s = parse(text)) return *s;
    throw StorageError(std::string("storage: unknown ") + what + " status in the database");
}

// ---- citizens ----

#define CCCD_CITIZEN_SELECT                                                                                     \
    "SELECT personal_id, full_name, name_key, dg13_date_of_birth, dg13_sex, nationality, ethnicity, religion, " \
    "place_of_origin, place_of_residence, identifying_features, dg13_date_of_issue, dg13_date_of_expiry, "     \
    "father_name, mother_name, spouse_name, old_id, card_serial, sex, date_of_birth, province_code, "          \
    "photo_jpeg, status, updated_at, cancelled_ids FROM citizens "

constexpr Statement kUpdateCitizen{
    "update citizen",
    "UPDATE citizens SET full_name = ?2, name_key = ?3, dg13_date_of_birth = ?4, dg13_sex = ?5, nationality = ?6, "
    "ethnicity = ?7, religion = ?8, place_of_origin = ?9, place_of_residence = ?10, identifying_features = ?11, "
    "dg13_date_of_issue = ?12, dg13_date_of_expiry = ?13, father_name = ?14, mother_name = ?15, spouse_name = ?16, "
    "old_id = ?17, card_serial = ?18, sex = ?19, date_of_birth = ?20, province_code = ?21, photo_jpeg = ?22, "
    "status = ?23, updated_at = ?24, cancelled_ids = ?25 WHERE personal_id = ?1"};
constexpr Statement kInsertCitizen{
    "insert citizen",
    "INSERT INTO citizens (personal_id, full_name, name_key, dg13_date_of_birth, dg13_sex, nationality, ethnicity, "
    "religion, place_of_origin, place_of_residence, identifying_features, dg13_date_of_issue, dg13_date_of_expiry, "
    "father_name, mother_name, spouse_name, old_id, card_serial, sex, date_of_birth, province_code, photo_jpeg, "
    "status, updated_at, cancelled_ids) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
    "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"};
constexpr Statement kGetCitizen{"get citizen", CCCD_CITIZEN_SELECT "WHERE personal_id = ?1"};
constexpr Statement kSearchCitizens{
    "search citizens",
    CCCD_CITIZEN_SELECT "WHERE name_key >= ?1 AND name_key < ?2 ORDER BY name_key, personal_id LIMIT ?3"};
constexpr Statement kCountCitizens{"count citizens", "SELECT COUNT(*) FROM citizens"};

// The cancelled ID numbers (12 digits each) in one column: comma-separated, "" for none.
std::string joined_ids(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        if (id.empty() || id.find(',') != std::string::npos)
            throw InvalidArgument("storage: a cancelled ID number must be non-empty and without a comma");
        out += (out.empty() ? "" : ",") + id;
    }
    return out;
}
std::vector<std::string> split_ids(std::string_view text) {
    std::vector<std::string> ids;
    while (!text.empty()) {
        const auto comma = text.find(',');
        if (const auto id = text.substr(0, comma); !id.empty()) ids.emplace_back(id);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return ids;
}

void require_id(std::string_view id, const char* what) {
    if (id.empty()) throw InvalidArgument(std::string("storage: ") + what + " without an identifier");
}

Citizen citizen_from(const Row& r) {
    Citizen c;
    identity::Person& p = c.person;
    p.personal_id = r.text(0);
    p.full_name = r.text(1);
    p.date_of_birth = r.text(3);
    p.sex = r.text(4);
    p.nationality = r.text(5);
    p.ethnicity = r.text(6);
    p.religion = r.text(7);
    p.place_of_origin = r.text(8);
    p.place_of_residence = r.text(9);
    p.identifying_features = r.text(10);
    p.date_of_issue = r.text(11);
    p.date_of_expiry = r.text(12);
    p.father_name = r.text(13);
    p.mother_name = r.text(14);
    p.spouse_name = r.optional_text(15);
    p.old_id = r.optional_text(16);
    p.card_serial = r.optional_text(17);
    const std::string sex = r.text(18);
    c.sex = sex.empty() ? 'F' : sex.front();
    c.date_of_birth = r.text(19);
    c.province_code = r.text(20);
    c.photo_jpeg = r.bytes(21);
    c.status = parse_status<CitizenStatus>(r.text(22), citizen_status_from, "citizen");
    c.updated_at = r.text(23);
    p.cancelled_ids = split_ids(r.text(24));
    return c;
}

// ---- cards ----

#define CCCD_CARD_SELECT                                                                                  \
    "SELECT card_number, document_number, personal_id, chip_serial, status, sod_digest, "                 \
    "active_auth_public_key, chip_auth_public_key, ds_certificate, date_of_issue, date_of_expiry, "       \
    "station_id, officer_id, updated_at, card_profile FROM cards "

constexpr Statement kUpdateCard{
    "update card",
    "UPDATE cards SET document_number = ?2, personal_id = ?3, chip_serial = ?4, status = ?5, sod_digest = ?6, "
    "active_auth_public_key = ?7, chip_auth_public_key = ?8, ds_certificate = ?9, date_of_issue = ?10, "
    "date_of_expiry = ?11, station_id = ?12, officer_id = ?13, updated_at = ?14, card_profile = ?15 "
    "WHERE card_number = ?1"};
constexpr Statement kInsertCard{
    "insert card",
    "INSERT INTO cards (card_number, document_number, personal_id, chip_serial, status, sod_digest, "
    "active_auth_public_key, chip_auth_public_key, ds_certificate, date_of_issue, date_of_expiry, station_id, "
    "officer_id, updated_at, card_profile) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"};
constexpr Statement kGetCard{"get card", CCCD_CARD_SELECT "WHERE card_number = ?1"};
constexpr Statement kCardsOf{"cards of citizen", CCCD_CARD_SELECT "WHERE personal_id = ?1 ORDER BY card_number"};
constexpr Statement kCardsByDocumentNumber{"cards by document number",
                                           CCCD_CARD_SELECT "WHERE document_number = ?1 ORDER BY card_number"};
constexpr Statement kCardStatus{"card status", "SELECT status FROM cards WHERE card_number = ?1"};
constexpr Statement kSetCardStatus{
    "set card status", "UPDATE cards SET status = ?3, updated_at = ?4 WHERE card_number = ?1 AND status = ?2"};
constexpr Statement kNextCardNumberSqlite{
    "next card number", "UPDATE counters SET value = value + 1 WHERE name = 'card_number'"};
constexpr Statement kReadCardNumberSqlite{"read card number", "SELECT value FROM counters WHERE name = 'card_number'"};
constexpr Statement kNextCardNumberPostgres{"next card number", "SELECT nextval('card_number_seq')"};

Card card_from(const Row& r) {
    Card c;
    c.card_number = r.text(0);
    c.document_number = r.text(1);
    c.personal_id = r.text(2);
    c.chip_serial = r.bytes(3);
    c.status = parse_status<CardStatus>(r.text(4), card_status_from, "card");
    c.sod_digest = r.bytes(5);
    c.active_auth_public_key = r.bytes(6);
    c.chip_auth_public_key = r.bytes(7);
    c.ds_certificate = r.bytes(8);
    c.date_of_issue = r.text(9);
    c.date_of_expiry = r.text(10);
    c.station_id = r.text(11);
    c.officer_id = r.text(12);
    c.updated_at = r.text(13);
    c.card_profile = r.text(14);
    return c;
}

// ---- enrollments ----

#define CCCD_ENROLLMENT_SELECT                                                                          \
    "SELECT id, personal_id, station_id, officer_id, record_json, photo_jpeg, card_number, status, " \
    "created_at FROM enrollments "

constexpr Statement kUpdateEnrollment{
    "update enrollment",
    "UPDATE enrollments SET personal_id = ?2, station_id = ?3, officer_id = ?4, record_json = ?5, photo_jpeg = ?6, "
    "card_number = ?7, status = ?8, created_at = ?9 WHERE id = ?1"};
constexpr Statement kInsertEnrollment{
    "insert enrollment",
    "INSERT INTO enrollments (id, personal_id, station_id, officer_id, record_json, photo_jpeg, card_number, "
    "status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"};
constexpr Statement kGetEnrollment{"get enrollment", CCCD_ENROLLMENT_SELECT "WHERE id = ?1"};
constexpr Statement kEnrollmentsOf{
    "enrollments of citizen", CCCD_ENROLLMENT_SELECT "WHERE personal_id = ?1 ORDER BY created_at, id"};
constexpr Statement kEnrollmentsWithStatus{
    "enrollments with status", CCCD_ENROLLMENT_SELECT "WHERE status = ?1 ORDER BY created_at, id LIMIT ?2"};
constexpr Statement kEnrollmentStatus{"enrollment status", "SELECT status FROM enrollments WHERE id = ?1"};
constexpr Statement kSetEnrollmentStatus{
    "set enrollment status", "UPDATE enrollments SET status = ?3 WHERE id = ?1 AND status = ?2"};

Enrollment enrollment_from(const Row& r) {
    Enrollment e;
    e.id = r.text(0);
    e.personal_id = r.text(1);
    e.station_id = r.text(2);
    e.officer_id = r.text(3);
    e.record_json = r.text(4);
    e.photo_jpeg = r.bytes(5);
    e.card_number = r.text(6);
    e.status = parse_status<EnrollmentStatus>(r.text(7), enrollment_status_from, "enrollment");
    e.created_at = r.text(8);
    return e;
}

// ---- officers and stations ----

constexpr Statement kUpdateOfficer{
    "update officer", "UPDATE officers SET full_name = ?2, role = ?3, password_hash = ?4, active = ?5 WHERE id = ?1"};
constexpr Statement kInsertOfficer{
    "insert officer",
    "INSERT INTO officers (id, full_name, role, password_hash, active) VALUES (?1, ?2, ?3, ?4, ?5)"};
constexpr Statement kGetOfficer{
    "get officer", "SELECT id, full_name, role, password_hash, active FROM officers WHERE id = ?1"};
constexpr Statement kListOfficers{
    "list officers", "SELECT id, full_name, role, password_hash, active FROM officers ORDER BY id"};

Officer officer_from(const Row& r) {
    Officer o;
    o.id = r.text(0);
    o.full_name = r.text(1);
    o.role = parse_status<Role>(r.text(2), role_from, "officer role");
    o.password_hash = r.text(3);
    o.active = r.integer(4) != 0;
    return o;
}

constexpr Statement kUpdateStation{
    "update station",
    "UPDATE stations SET location = ?2, certificate_sha256 = ?3, certificate_key = ?4, active = ?5 WHERE id = ?1"};
constexpr Statement kInsertStation{
    "insert station",
    "INSERT INTO stations (id, location, certificate_sha256, certificate_key, active) VALUES (?1, ?2, ?3, ?4, ?5)"};
constexpr Statement kGetStation{
    "get station", "SELECT id, location, certificate_sha256, active FROM stations WHERE id = ?1"};
constexpr Statement kStationByCertificate{
    "station by certificate",
    "SELECT id, location, certificate_sha256, active FROM stations WHERE certificate_key = ?1"};
constexpr Statement kListStations{
    "list stations", "SELECT id, location, certificate_sha256, active FROM stations ORDER BY id"};

Station station_from(const Row& r) {
    Station s;
    s.id = r.text(0);
    s.location = r.text(1);
    s.certificate_sha256 = r.text(2);
    s.active = r.integer(3) != 0;
    return s;
}

std::string certificate_key(std::string_view hex) {
    std::string key(hex);
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return key;
}

// ---- relying parties ----

constexpr Statement kUpdateRelyingParty{
    "update relying party",
    "UPDATE relying_parties SET name = ?2, scopes = ?3, certificate_sha256 = ?4, rate_limit_per_minute = ?5, "
    "active = ?6 WHERE id = ?1"};
constexpr Statement kInsertRelyingParty{
    "insert relying party",
    "INSERT INTO relying_parties (id, name, scopes, certificate_sha256, rate_limit_per_minute, active) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};
#define CCCD_RELYING_PARTY_COLUMNS "SELECT id, name, scopes, certificate_sha256, rate_limit_per_minute, active FROM relying_parties "
constexpr Statement kGetRelyingParty{"get relying party", CCCD_RELYING_PARTY_COLUMNS "WHERE id = ?1"};
constexpr Statement kRelyingPartyByCertificate{"relying party by certificate",
                                               CCCD_RELYING_PARTY_COLUMNS "WHERE certificate_sha256 = ?1"};
constexpr Statement kListRelyingParties{"list relying parties", CCCD_RELYING_PARTY_COLUMNS "ORDER BY id"};
#undef CCCD_RELYING_PARTY_COLUMNS

RelyingPartyRecord relying_party_from(const Row& r) {
    RelyingPartyRecord p;
    p.id = r.text(0);
    p.name = r.text(1);
    p.scopes = r.text(2);
    p.certificate_sha256 = r.text(3);
    p.rate_limit_per_minute = static_cast<std::uint32_t>(r.integer(4));
    p.active = r.integer(5) != 0;
    return p;
}

bool is_sha256_hex(std::string_view hex) {
    return hex.size() == 64 &&
           std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// ---- audit ----

#define CCCD_AUDIT_SELECT \
    "SELECT sequence, time, actor, action, subject, outcome, detail, previous_hash, hash FROM audit_log "

constexpr Statement kInsertAudit{
    "append audit entry",
    "INSERT INTO audit_log (sequence, time, actor, action, subject, outcome, detail, previous_hash, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"};
constexpr Statement kLastAudit{"last audit entry", CCCD_AUDIT_SELECT "ORDER BY sequence DESC LIMIT 1"};
constexpr Statement kAuditRange{
    "audit range", CCCD_AUDIT_SELECT "WHERE sequence >= ?1 AND sequence <= ?2 ORDER BY sequence"};
constexpr Statement kAuditExists{"audit entry exists", "SELECT 1 FROM audit_log WHERE sequence = ?1"};

AuditEntry audit_from(const Row& r) {
    AuditEntry e;
    e.sequence = from_db_sequence(r.integer(0));
    e.time = r.text(1);
    e.actor = r.text(2);
    e.action = r.text(3);
    e.subject = r.text(4);
    e.outcome = r.text(5);
    e.detail = r.text(6);
    e.previous_hash = r.bytes(7);
    e.hash = r.bytes(8);
    return e;
}

#define CCCD_CHECKPOINT_SELECT \
    "SELECT sequence, hash, time, key_id, signature, previous_checkpoint_hash FROM audit_checkpoints "

constexpr Statement kInsertCheckpoint{
    "append audit checkpoint",
    "INSERT INTO audit_checkpoints (sequence, hash, time, key_id, signature, previous_checkpoint_hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};
constexpr Statement kLastCheckpoint{"last checkpoint", CCCD_CHECKPOINT_SELECT "ORDER BY sequence DESC LIMIT 1"};
constexpr Statement kCheckpointsFrom{
    "checkpoints", CCCD_CHECKPOINT_SELECT "WHERE sequence >= ?1 ORDER BY sequence"};

AuditCheckpoint checkpoint_from(const Row& r) {
    AuditCheckpoint c;
    c.sequence = from_db_sequence(r.integer(0));
    c.hash = r.bytes(1);
    c.time = r.text(2);
    c.key_id = r.text(3);
    c.signature = r.bytes(4);
    c.previous_checkpoint_hash = r.bytes(5);  // NULL (empty) for a v1 checkpoint
    return c;
}

// ---- idempotency ----

constexpr Statement kGetIdempotency{
    "get idempotency key",
    "SELECT actor, key, request_hash, response_status, response_body, created_at FROM idempotency_keys "
    "WHERE actor = ?1 AND key = ?2"};
constexpr Statement kInsertIdempotency{
    "put idempotency key",
    "INSERT INTO idempotency_keys (actor, key, request_hash, response_status, response_body, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};
constexpr Statement kPurgeIdempotency{"purge idempotency keys", "DELETE FROM idempotency_keys WHERE created_at < ?1"};

template <typename T, typename Decode>
std::optional<T> first(const std::vector<Row>& rows, Decode decode) {
    if (rows.empty()) return std::nullopt;
    return decode(rows.front());
}

template <typename T, typename Decode>
std::vector<T> all(const std::vector<Row>& rows, Decode decode) {
    std::vector<T> out;
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(decode(r));
    return out;
}

}  // namespace

// ---- citizens ----

std::array<Value, 25> citizen_row(const Citizen& c) {
    const identity::Person& p = c.person;
    return {text(p.personal_id), text(p.full_name), text(fold_name(p.full_name)), text(p.date_of_birth), text(p.sex),
            text(p.nationality), text(p.ethnicity), text(p.religion), text(p.place_of_origin),
            text(p.place_of_residence), text(p.identifying_features), text(p.date_of_issue), text(p.date_of_expiry),
            text(p.father_name), text(p.mother_name), optional_text(p.spouse_name), optional_text(p.old_id),
            optional_text(p.card_serial), text(std::string(1, c.sex)), text(c.date_of_birth), text(c.province_code),
            blob(c.photo_jpeg), text(to_string(c.status)), text(c.updated_at), text(joined_ids(p.cancelled_ids))};
}

void SqlTransaction::put_citizen(const Citizen& c) {
    require_id(c.person.personal_id, "citizen");
    const auto params = citizen_row(c);
    // UPDATE, then INSERT when nothing was there: the one upsert both SQLite 3.15 and PostgreSQL know.
    if (db_.execute(kUpdateCitizen, params) == 0) db_.execute(kInsertCitizen, params);
}

std::optional<Citizen> SqlTransaction::get_citizen(std::string_view personal_id) {
    const std::array<Value, 1> params{text(personal_id)};
    return first<Citizen>(db_.query(kGetCitizen, params), citizen_from);
}

std::vector<Citizen> SqlTransaction::search_citizens_by_name(std::string_view query, std::size_t limit) {
    const std::string key = fold_name(query);
    if (key.empty() || limit == 0) return {};
    // Keys hold only [a-z0-9 ], so every key starting with `key` sorts in [key, key + "~").
    const std::array<Value, 3> params{text(key), text(key + "~"), integer(to_db_limit(limit))};
    return all<Citizen>(db_.query(kSearchCitizens, params), citizen_from);
}

std::uint64_t SqlTransaction::count_citizens() {
    const auto rows = db_.query(kCountCitizens, {});
    return rows.empty() ? 0 : from_db_sequence(rows.front().integer(0));
}

// ---- cards ----

std::string SqlTransaction::allocate_card_number() {
    std::int64_t number = 0;
    if (dialect_ == Dialect::Postgres) {
        number = db_.query(kNextCardNumberPostgres, {}).at(0).integer(0);
    } else {
        db_.execute(kNextCardNumberSqlite, {});
        number = db_.query(kReadCardNumberSqlite, {}).at(0).integer(0);
    }
    if (number < 1 || number > 9'999'999'999'999'999) throw StorageError("storage: the card number sequence is exhausted");
    std::string digits = std::to_string(number);
    return std::string(16 - digits.size(), '0') + digits;
}

void SqlTransaction::put_card(const Card& c) {
    require_id(c.card_number, "card");
    const std::array<Value, 15> params{
        text(c.card_number), text(c.document_number), text(c.personal_id), blob(c.chip_serial),
        text(to_string(c.status)), blob(c.sod_digest), blob(c.active_auth_public_key), blob(c.chip_auth_public_key),
        blob(c.ds_certificate), text(c.date_of_issue), text(c.date_of_expiry), text(c.station_id), text(c.officer_id),
        text(c.updated_at), text(c.card_profile)};
    if (db_.execute(kUpdateCard, params) == 0) db_.execute(kInsertCard, params);
}

std::optional<Card> SqlTransaction::get_card(std::string_view card_number) {
    const std::array<Value, 1> params{text(card_number)};
    return first<Card>(db_.query(kGetCard, params), card_from);
}

std::vector<Card> SqlTransaction::cards_of(std::string_view personal_id) {
    const std::array<Value, 1> params{text(personal_id)};
    return all<Card>(db_.query(kCardsOf, params), card_from);
}

std::vector<Card> SqlTransaction::cards_by_document_number(std::string_view document_number) {
    const std::array<Value, 1> params{text(document_number)};
    return all<Card>(db_.query(kCardsByDocumentNumber, params), card_from);
}

void SqlTransaction::update_card_status(std::string_view card_number, CardStatus expected, CardStatus next,
                                        std::string_view updated_at) {
    const std::array<Value, 4> params{text(card_number), text(to_string(expected)), text(to_string(next)), text(updated_at)};
    if (db_.execute(kSetCardStatus, params) == 1) return;
    const std::array<Value, 1> key{text(card_number)};
    const auto rows = db_.query(kCardStatus, key);
    if (rows.empty()) throw NotFoundError("storage: no card " + std::string(card_number));
    throw StaleStateError("storage: card " + std::string(card_number) + " is " + rows.front().text(0) + ", not " +
                          std::string(to_string(expected)));
}

// ---- enrollments ----

void SqlTransaction::put_enrollment(const Enrollment& e) {
    require_id(e.id, "enrollment");
    const std::array<Value, 9> params{text(e.id), text(e.personal_id), text(e.station_id), text(e.officer_id),
                                      text(e.record_json), blob(e.photo_jpeg), text(e.card_number),
                                      text(to_string(e.status)), text(e.created_at)};
    if (db_.execute(kUpdateEnrollment, params) == 0) db_.execute(kInsertEnrollment, params);
}

std::optional<Enrollment> SqlTransaction::get_enrollment(std::string_view id) {
    const std::array<Value, 1> params{text(id)};
    return first<Enrollment>(db_.query(kGetEnrollment, params), enrollment_from);
}

std::vector<Enrollment> SqlTransaction::enrollments_of(std::string_view personal_id) {
    const std::array<Value, 1> params{text(personal_id)};
    return all<Enrollment>(db_.query(kEnrollmentsOf, params), enrollment_from);
}

std::vector<Enrollment> SqlTransaction::enrollments_with_status(EnrollmentStatus status, std::size_t limit) {
    const std::array<Value, 2> params{text(to_string(status)), integer(to_db_limit(limit))};
    return all<Enrollment>(db_.query(kEnrollmentsWithStatus, params), enrollment_from);
}

void SqlTransaction::update_enrollment_status(std::string_view id, EnrollmentStatus expected, EnrollmentStatus next) {
    const std::array<Value, 3> params{text(id), text(to_string(expected)), text(to_string(next))};
    if (db_.execute(kSetEnrollmentStatus, params) == 1) return;
    const std::array<Value, 1> key{text(id)};
    const auto rows = db_.query(kEnrollmentStatus, key);
    if (rows.empty()) throw NotFoundError("storage: no enrollment " + std::string(id));
    throw StaleStateError("storage: enrollment " + std::string(id) + " is " + rows.front().text(0) + ", not " +
                          std::string(to_string(expected)));
}

// ---- officers and stations ----

void SqlTransaction::put_officer(const Officer& o) {
    require_id(o.id, "officer");
    const std::array<Value, 5> params{text(o.id), text(o.full_name), text(to_string(o.role)), text(o.password_hash),
                                      integer(o.active ? 1 : 0)};
    if (db_.execute(kUpdateOfficer, params) == 0) db_.execute(kInsertOfficer, params);
}

std::optional<Officer> SqlTransaction::get_officer(std::string_view id) {
    const std::array<Value, 1> params{text(id)};
    return first<Officer>(db_.query(kGetOfficer, params), officer_from);
}

std::vector<Officer> SqlTransaction::list_officers() { return all<Officer>(db_.query(kListOfficers, {}), officer_from); }

void SqlTransaction::put_station(const Station& s) {
    require_id(s.id, "station");
    const std::array<Value, 5> params{text(s.id), text(s.location), text(s.certificate_sha256),
                                      text(certificate_key(s.certificate_sha256)), integer(s.active ? 1 : 0)};
    if (db_.execute(kUpdateStation, params) == 0) db_.execute(kInsertStation, params);
}

std::optional<Station> SqlTransaction::get_station(std::string_view id) {
    const std::array<Value, 1> params{text(id)};
    return first<Station>(db_.query(kGetStation, params), station_from);
}

std::optional<Station> SqlTransaction::station_by_certificate(std::string_view certificate_sha256_hex) {
    const std::array<Value, 1> params{text(certificate_key(certificate_sha256_hex))};
    return first<Station>(db_.query(kStationByCertificate, params), station_from);
}

std::vector<Station> SqlTransaction::list_stations() { return all<Station>(db_.query(kListStations, {}), station_from); }

// ---- relying parties ----

void SqlTransaction::put_relying_party(const RelyingPartyRecord& p) {
    require_id(p.id, "relying party");
    if (!is_sha256_hex(p.certificate_sha256)) {
        throw InvalidArgument("storage: relying party " + p.id + ": the certificate SHA-256 must be 64 hex digits");
    }
    const std::array<Value, 6> params{text(p.id), text(p.name), text(p.scopes), text(certificate_key(p.certificate_sha256)),
                                      integer(p.rate_limit_per_minute), integer(p.active ? 1 : 0)};
    if (db_.execute(kUpdateRelyingParty, params) == 0) db_.execute(kInsertRelyingParty, params);
}

std::optional<RelyingPartyRecord> SqlTransaction::get_relying_party(std::string_view id) {
    const std::array<Value, 1> params{text(id)};
    return first<RelyingPartyRecord>(db_.query(kGetRelyingParty, params), relying_party_from);
}

std::optional<RelyingPartyRecord> SqlTransaction::relying_party_by_certificate(std::string_view certificate_sha256_hex) {
    const std::array<Value, 1> params{text(certificate_key(certificate_sha256_hex))};
    return first<RelyingPartyRecord>(db_.query(kRelyingPartyByCertificate, params), relying_party_from);
}

std::vector<RelyingPartyRecord> SqlTransaction::list_relying_parties() {
    return all<RelyingPartyRecord>(db_.query(kListRelyingParties, {}), relying_party_from);
}

// ---- audit ----

void SqlTransaction::append_audit(const AuditEntry& e) {
    const auto last = last_audit();
    const std::uint64_t expected = last ? last->sequence + 1 : 1;
    if (e.sequence != expected) {
        throw AuditSequenceError("storage: audit entry " + std::to_string(e.sequence) + " does not continue the log (next is " +
                                 std::to_string(expected) + ")");
    }
    const std::array<Value, 9> params{integer(to_db_sequence(e.sequence)), text(e.time), text(e.actor),
                                      text(e.action), text(e.subject), text(e.outcome), text(e.detail),
                                      blob(e.previous_hash), blob(e.hash)};
    db_.execute(kInsertAudit, params);
}

std::optional<AuditEntry> SqlTransaction::last_audit() {
    return first<AuditEntry>(db_.query(kLastAudit, {}), audit_from);
}

std::vector<AuditEntry> SqlTransaction::audit_range(std::uint64_t first_sequence, std::uint64_t last_sequence) {
    if (first_sequence > last_sequence) return {};
    const auto clamp = [](std::uint64_t s) {
        return to_db_sequence(std::min<std::uint64_t>(s, std::numeric_limits<std::int64_t>::max()));
    };
    const std::array<Value, 2> params{integer(clamp(first_sequence)), integer(clamp(last_sequence))};
    return all<AuditEntry>(db_.query(kAuditRange, params), audit_from);
}

void SqlTransaction::append_checkpoint(const AuditCheckpoint& c) {
    const auto last = last_checkpoint();
    if (last && c.sequence <= last->sequence) {
        throw AuditSequenceError("storage: checkpoint at " + std::to_string(c.sequence) +
                                 " does not come after the last one (" + std::to_string(last->sequence) + ")");
    }
    const std::array<Value, 1> key{integer(to_db_sequence(c.sequence))};
    if (db_.query(kAuditExists, key).empty()) {
        throw AuditSequenceError("storage: checkpoint at " + std::to_string(c.sequence) +
                                 " names no audit entry");
    }
    const std::array<Value, 6> params{integer(to_db_sequence(c.sequence)), blob(c.hash), text(c.time),
                                      text(c.key_id), blob(c.signature),
                                      c.previous_checkpoint_hash.empty() ? Value(Null{}) : blob(c.previous_checkpoint_hash)};
    db_.execute(kInsertCheckpoint, params);
}

std::optional<AuditCheckpoint> SqlTransaction::last_checkpoint() {
    return first<AuditCheckpoint>(db_.query(kLastCheckpoint, {}), checkpoint_from);
}

std::vector<AuditCheckpoint> SqlTransaction::checkpoints_from(std::uint64_t first_sequence) {
    const std::array<Value, 1> params{
        integer(to_db_sequence(std::min<std::uint64_t>(first_sequence, std::numeric_limits<std::int64_t>::max())))};
    return all<AuditCheckpoint>(db_.query(kCheckpointsFrom, params), checkpoint_from);
}

// ---- idempotency ----

std::optional<IdempotencyRecord> SqlTransaction::get_idempotency(std::string_view actor, std::string_view key) {
    const std::array<Value, 2> params{text(actor), text(key)};
    return first<IdempotencyRecord>(db_.query(kGetIdempotency, params), [](const Row& r) {
        IdempotencyRecord rec;
        rec.actor = r.text(0);
        rec.key = r.text(1);
        rec.request_hash = r.bytes(2);
        rec.response_status = static_cast<int>(r.integer(3));
        rec.response_body = r.text(4);
        rec.created_at = r.text(5);
        return rec;
    });
}

void SqlTransaction::put_idempotency(const IdempotencyRecord& rec) {
    require_id(rec.key, "idempotency record");
    const std::array<Value, 6> params{text(rec.actor), text(rec.key), blob(rec.request_hash),
                                      integer(rec.response_status), text(rec.response_body), text(rec.created_at)};
    db_.execute(kInsertIdempotency, params);
}

std::uint64_t SqlTransaction::purge_idempotency_before(std::string_view instant) {
    const std::array<Value, 1> params{text(instant)};
    return db_.execute(kPurgeIdempotency, params);
}

}  // namespace cccd::server::sql
