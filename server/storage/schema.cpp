// The schema, as numbered migrations in each backend's dialect. A migration is never edited once
// released: a change is a new, higher number. Each runs in its own transaction with its row in
// schema_migrations (see SqlStorage::migrate).
#include <array>

#include "server/storage/sql_storage.hpp"

namespace cccd::server::sql {

namespace {

// ---- 1: the register, the cards, enrollments, officers, stations, idempotency ----

constexpr const char* kSqlite1 = R"sql(
CREATE TABLE citizens (
    personal_id          TEXT PRIMARY KEY NOT NULL,
    full_name            TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    dg13_date_of_birth   TEXT NOT NULL,
    dg13_sex             TEXT NOT NULL,
    nationality          TEXT NOT NULL,
    ethnicity            TEXT NOT NULL,
    religion             TEXT NOT NULL,
    place_of_origin      TEXT NOT NULL,
    place_of_residence   TEXT NOT NULL,
    identifying_features TEXT NOT NULL,
    dg13_date_of_issue   TEXT NOT NULL,
    dg13_date_of_expiry  TEXT NOT NULL,
    father_name          TEXT NOT NULL,
    mother_name          TEXT NOT NULL,
    spouse_name          TEXT,
    old_id               TEXT,
    card_serial          TEXT,
    sex                  TEXT NOT NULL,
    date_of_birth        TEXT NOT NULL,
    province_code        TEXT NOT NULL,
    photo_jpeg           BLOB NOT NULL,
    status               TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX citizens_by_name_key ON citizens (name_key, personal_id);

CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('card_number', 0);

CREATE TABLE cards (
    card_number            TEXT PRIMARY KEY NOT NULL,
    document_number        TEXT NOT NULL,
    personal_id            TEXT NOT NULL REFERENCES citizens (personal_id),
    chip_serial            BLOB NOT NULL,
    status                 TEXT NOT NULL,
    sod_digest             BLOB NOT NULL,
    active_auth_public_key BLOB NOT NULL,
    chip_auth_public_key   BLOB NOT NULL,
    ds_certificate         BLOB NOT NULL,
    date_of_issue          TEXT NOT NULL,
    date_of_expiry         TEXT NOT NULL,
    station_id             TEXT NOT NULL,
    officer_id             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX cards_by_citizen ON cards (personal_id, card_number);
CREATE INDEX cards_by_document_number ON cards (document_number);

CREATE TABLE enrollments (
    id              TEXT PRIMARY KEY NOT NULL,
    personal_id     TEXT NOT NULL,
    station_id      TEXT NOT NULL,
    officer_id      TEXT NOT NULL,
    record_json     TEXT NOT NULL,
    photo_jpeg      BLOB NOT NULL,
    card_number     TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX enrollments_by_citizen ON enrollments (personal_id, created_at);
CREATE INDEX enrollments_by_status ON enrollments (status, created_at);

CREATE TABLE officers (
    id            TEXT PRIMARY KEY NOT NULL,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE stations (
    id                 TEXT PRIMARY KEY NOT NULL,
    location           TEXT NOT NULL,
    certificate_sha256 TEXT NOT NULL,
    certificate_key    TEXT NOT NULL UNIQUE,
    active             INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE idempotency_keys (
    actor           TEXT NOT NULL,
    key             TEXT NOT NULL,
    request_hash    BLOB NOT NULL,
    response_status INTEGER NOT NULL,
    response_body   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (actor, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
)sql";

constexpr const char* kPostgres1 = R"sql(
CREATE TABLE citizens (
    personal_id          TEXT PRIMARY KEY,
    full_name            TEXT NOT NULL,
    name_key             TEXT COLLATE "C" NOT NULL,
    dg13_date_of_birth   TEXT NOT NULL,
    dg13_sex             TEXT NOT NULL,
    nationality          TEXT NOT NULL,
    ethnicity            TEXT NOT NULL,
    religion             TEXT NOT NULL,
    place_of_origin      TEXT NOT NULL,
    place_of_residence   TEXT NOT NULL,
    identifying_features TEXT NOT NULL,
    dg13_date_of_issue   TEXT NOT NULL,
    dg13_date_of_expiry  TEXT NOT NULL,
    father_name          TEXT NOT NULL,
    mother_name          TEXT NOT NULL,
    spouse_name          TEXT,
    old_id               TEXT,
    card_serial          TEXT,
    sex                  TEXT NOT NULL,
    date_of_birth        TEXT NOT NULL,
    province_code        TEXT NOT NULL,
    photo_jpeg           BYTEA NOT NULL,
    status               TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX citizens_by_name_key ON citizens (name_key, personal_id);

-- Never cycles and never goes back: a number handed out is never handed out again, even on rollback.
CREATE SEQUENCE card_number_seq AS BIGINT MINVALUE 1 MAXVALUE 9999999999999999 NO CYCLE;

CREATE TABLE cards (
    card_number            TEXT PRIMARY KEY,
    document_number        TEXT NOT NULL,
    personal_id            TEXT NOT NULL REFERENCES citizens (personal_id),
    chip_serial            BYTEA NOT NULL,
    status                 TEXT NOT NULL,
    sod_digest             BYTEA NOT NULL,
    active_auth_public_key BYTEA NOT NULL,
    chip_auth_public_key   BYTEA NOT NULL,
    ds_certificate         BYTEA NOT NULL,
    date_of_issue          TEXT NOT NULL,
    date_of_expiry         TEXT NOT NULL,
    station_id             TEXT NOT NULL,
    officer_id             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX cards_by_citizen ON cards (personal_id, card_number);
CREATE INDEX cards_by_document_number ON cards (document_number);

CREATE TABLE enrollments (
    id              TEXT PRIMARY KEY,
    personal_id     TEXT NOT NULL,
    station_id      TEXT NOT NULL,
    officer_id      TEXT NOT NULL,
    record_json     TEXT NOT NULL,
    photo_jpeg      BYTEA NOT NULL,
    card_number     TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX enrollments_by_citizen ON enrollments (personal_id, created_at);
CREATE INDEX enrollments_by_status ON enrollments (status, created_at);

CREATE TABLE officers (
    id            TEXT PRIMARY KEY,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL
);

CREATE TABLE stations (
    id                 TEXT PRIMARY KEY,
    location           TEXT NOT NULL,
    certificate_sha256 TEXT NOT NULL,
    certificate_key    TEXT NOT NULL UNIQUE,
    active             INTEGER NOT NULL
);

CREATE TABLE idempotency_keys (
    actor           TEXT NOT NULL,
    key             TEXT NOT NULL,
    request_hash    BYTEA NOT NULL,
    response_status INTEGER NOT NULL,
    response_body   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
)sql";

// ---- 2: the audit log and its checkpoints, append-only and gap-free in the database itself ----
// The application checks the sequence first (for a clear error); the triggers refuse whatever gets
// past it, including hand-written SQL.

constexpr const char* kSqlite2 = R"sql(
CREATE TABLE audit_log (
    sequence      INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1),
    time          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    detail        TEXT NOT NULL,
    previous_hash BLOB NOT NULL,
    hash          BLOB NOT NULL
);
CREATE TRIGGER audit_log_no_gap BEFORE INSERT ON audit_log
WHEN NEW.sequence <> (SELECT COALESCE(MAX(sequence), 0) + 1 FROM audit_log)
BEGIN SELECT RAISE(ABORT, 'cccd: audit sequence must continue the log'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'cccd: the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'cccd: the audit log is append-only'); END;

CREATE TABLE audit_checkpoints (
    sequence  INTEGER PRIMARY KEY NOT NULL REFERENCES audit_log (sequence),
    hash      BLOB NOT NULL,
    time      TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    signature BLOB NOT NULL
);
CREATE TRIGGER audit_checkpoints_in_order BEFORE INSERT ON audit_checkpoints
WHEN NEW.sequence <= (SELECT COALESCE(MAX(sequence), 0) FROM audit_checkpoints)
BEGIN SELECT RAISE(ABORT, 'cccd: audit sequence must continue the log'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'cccd: the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'cccd: the audit log is append-only'); END;
)sql";

constexpr const char* kPostgres2 = R"sql(
CREATE TABLE audit_log (
    sequence      BIGINT PRIMARY KEY CHECK (sequence >= 1),
    time          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    detail        TEXT NOT NULL,
    previous_hash BYTEA NOT NULL,
    hash          BYTEA NOT NULL
);
CREATE TABLE audit_checkpoints (
    sequence  BIGINT PRIMARY KEY REFERENCES audit_log (sequence),
    hash      BYTEA NOT NULL,
    time      TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    signature BYTEA NOT NULL
);

-- SQLSTATE CCA01: the sequence does not continue the log; CCA02: an update, delete or truncate.
CREATE FUNCTION cccd_audit_log_no_gap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sequence <> (SELECT COALESCE(MAX(sequence), 0) + 1 FROM audit_log) THEN
        RAISE EXCEPTION 'audit sequence must continue the log' USING ERRCODE = 'CCA01';
    END IF;
    RETURN NEW;
END $$;
CREATE FUNCTION cccd_audit_checkpoints_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sequence <= (SELECT COALESCE(MAX(sequence), 0) FROM audit_checkpoints) THEN
        RAISE EXCEPTION 'audit sequence must continue the log' USING ERRCODE = 'CCA01';
    END IF;
    RETURN NEW;
END $$;
CREATE FUNCTION cccd_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'CCA02';
END $$;

CREATE TRIGGER audit_log_no_gap BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION cccd_audit_log_no_gap();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION cccd_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION cccd_append_only();
CREATE TRIGGER audit_checkpoints_in_order BEFORE INSERT ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION cccd_audit_checkpoints_in_order();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION cccd_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION cccd_append_only();

-- Roles other than the owner may read and append, never change.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_checkpoints FROM PUBLIC;
)sql";

// ---- 3: the relying parties of the authentication API, known by their client certificate ----

constexpr const char* kSqlite3 = R"sql(
CREATE TABLE relying_parties (
    id                    TEXT PRIMARY KEY NOT NULL,
    name                  TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    certificate_sha256    TEXT NOT NULL UNIQUE CHECK (length(certificate_sha256) = 64),
    rate_limit_per_minute INTEGER NOT NULL CHECK (rate_limit_per_minute >= 1),
    active                INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

constexpr const char* kPostgres3 = R"sql(
CREATE TABLE relying_parties (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    certificate_sha256    TEXT NOT NULL UNIQUE CHECK (length(certificate_sha256) = 64),
    rate_limit_per_minute INTEGER NOT NULL CHECK (rate_limit_per_minute >= 1),
    active                INTEGER NOT NULL
);
)sql";

// ---- 4: checkpoints chained: each names the digest of the one before (NULL: a v1 checkpoint) ----

constexpr const char* kSqlite4 = R"sql(
ALTER TABLE audit_checkpoints ADD COLUMN previous_checkpoint_hash BLOB;
)sql";

constexpr const char* kPostgres4 = R"sql(
ALTER TABLE audit_checkpoints ADD COLUMN previous_checkpoint_hash BYTEA;
)sql";

// ---- 5: card profiles (issue 17): the profile of each card, the cancelled ID numbers of each citizen ----
// A card issued before the Căn cước (1 July 2024) is a 2021 CCCD; one issued since, by the only cards
// this server issued then, a Căn cước from 6 (cc-2024). The status 'replaced' needs no DDL (status is
// TEXT). cancelled_ids: the 12-digit numbers, comma-separated, '' for none (Decree 58/2026).

constexpr const char* kSqlite5 = R"sql(
ALTER TABLE cards ADD COLUMN card_profile TEXT NOT NULL DEFAULT 'cc-2024';
UPDATE cards SET card_profile = 'cccd-2021' WHERE date_of_issue < '2024-07-01';
ALTER TABLE citizens ADD COLUMN cancelled_ids TEXT NOT NULL DEFAULT '';
)sql";

constexpr const char* kPostgres5 = R"sql(
ALTER TABLE cards ADD COLUMN card_profile TEXT NOT NULL DEFAULT 'cc-2024';
UPDATE cards SET card_profile = 'cccd-2021' WHERE date_of_issue < '2024-07-01';
ALTER TABLE cards ALTER COLUMN card_profile DROP DEFAULT;
ALTER TABLE citizens ADD COLUMN cancelled_ids TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array<Migration, 5> kMigrations{{
    {1, "register, cards, enrollments, officers, stations, idempotency", kSqlite1, kPostgres1},
    {2, "audit log and checkpoints, append-only", kSqlite2, kPostgres2},
    {3, "relying parties", kSqlite3, kPostgres3},
    {4, "audit checkpoints chained", kSqlite4, kPostgres4},
    {5, "card profiles, replaced cards, cancelled ID numbers", kSqlite5, kPostgres5},
}};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace cccd::server::sql
