#pragma once
// What a database driver throws. Messages name the step ("storage: <statement name>: ...") and never a
// value: a parameter may be a personal ID or a key. The server's storage adds the errors of its own
// records (server/storage/storage.hpp); both hierarchies meet in StorageError.
#include "base/error.hpp"

namespace cccd::db {

// Anything the database refuses or fails at.
class StorageError : public Error {
public:
    using Error::Error;
};

// The SQLCipher key does not open the file (or the file is not a database this key made).
class WrongKeyError : public StorageError {
public:
    using StorageError::StorageError;
};

// The database stayed busy (SQLITE_BUSY, PostgreSQL serialization failure or deadlock). Nothing was
// committed; the unit of work may run again.
class BusyError : public StorageError, public Transient {
public:
    using StorageError::StorageError;
};

// The commit was sent but its outcome is unknown (PostgreSQL's connection broke during COMMIT: the
// transaction may or may not have landed). Never retried blindly: running the work again could do it
// twice. The caller checks what landed before it writes again.
class CommitOutcomeUnknownError : public StorageError {
public:
    using StorageError::StorageError;
};

// A constraint refused the write: a reference to a record that does not exist, a bad value.
class ConstraintError : public StorageError {
public:
    using StorageError::StorageError;
};

// A unique key is already taken.
class ConflictError : public ConstraintError {
public:
    using ConstraintError::ConstraintError;
};

// A rule the schema enforces itself (a trigger) refused the statement. `rule()` tells which: the
// trigger's own message for SQLite (written by the schema's author, never a value), the SQLSTATE it
// raised for PostgreSQL. The schema's owner turns it into its own error.
class SchemaRuleError : public StorageError {
public:
    SchemaRuleError(const std::string& message, std::string rule) : StorageError(message), rule_(std::move(rule)) {}
    const std::string& rule() const noexcept { return rule_; }

private:
    std::string rule_;
};

}  // namespace cccd::db
