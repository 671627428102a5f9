#pragma once
// The audit log for auditors: which public keys to trust, and an export as JSON lines that anyone can
// check without the database (hashes and signatures as lower-case hex).
//
//   {"type":"entry","sequence":1,"time":"...","actor":"...","action":"...","subject":"...",
//    "outcome":"ok","detail":"...","previous_hash":"00..","hash":"9f.."}
//   {"type":"checkpoint","sequence":1000,"hash":"..","time":"...","key_id":"..","signature":"..",
//    "previous_checkpoint_hash":".."}                     (v2; a v1 checkpoint has no previous_checkpoint_hash)
//
// Entries come first in sequence order, then the checkpoints. The checkpoint log (config key
// audit_checkpoint_log) holds checkpoint lines only, appended by the server as each is signed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/ed25519.hpp"
#include "server/model/model.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::admin {

// The public keys in `files`: each a sealed key file (its clear "public" line; no passphrase needed)
// or a text file holding the 64 hex digits of a public key. ParseError naming a file that is neither.
crypto::PublicKeySet trusted_audit_keys(const std::vector<std::filesystem::path>& files);

std::string audit_entry_json(const AuditEntry& entry);
std::string audit_checkpoint_json(const AuditCheckpoint& checkpoint);
// One export line back; ParseError for anything else.
std::variant<AuditEntry, AuditCheckpoint> parse_audit_export_line(std::string_view line);

// Appends `checkpoint` as one line to the checkpoint log at `path`: created (mode 0640) when missing,
// opened O_APPEND, written with one write and fsync'd before it returns. StorageError when it cannot be.
void append_checkpoint_log(const std::filesystem::path& path, const AuditCheckpoint& checkpoint);
// The checkpoints of a checkpoint log or of an `audit export` file (entry lines and blank lines are
// skipped). ParseError naming the line that is neither.
std::vector<AuditCheckpoint> read_checkpoint_log(const std::filesystem::path& path);

struct ExportReport {
    std::uint64_t entries = 0;
    std::uint64_t checkpoints = 0;
};

// Writes entries with sequence >= `from` (in pages, so the log never sits in memory whole), then the
// checkpoints at or after `from`. `on_progress` gets the last sequence written after each page.
ExportReport export_audit(Storage& storage, std::ostream& out, std::uint64_t from = 1,
                          const std::function<void(std::uint64_t)>& on_progress = {});

}  // namespace cccd::server::admin
