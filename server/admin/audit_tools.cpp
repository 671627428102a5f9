#include "server/admin/audit_tools.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/file.hpp"

namespace cccd::server::admin {

namespace json = boost::json;

namespace {

constexpr std::uint64_t kPage = 5000;

std::string lower_hex(ByteView bytes) {
    std::string hex = to_hex(bytes);
    std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return hex;
}

std::string trimmed(std::string text) {
    auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
    text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), blank));
    text.erase(std::find_if_not(text.rbegin(), text.rend(), blank).base(), text.end());
    return text;
}

// Field readers whose errors say which field of an export line is wrong.
class LineFields {
public:
    explicit LineFields(const json::object& object) : object_(object) {}

    std::string text(const char* name) const {
        const json::value* v = object_.if_contains(name);
        if (v == nullptr || !v->is_string()) throw ParseError(std::string("audit export: field '") + name + "' must be a string");
        return std::string(v->as_string());
    }
    std::uint64_t sequence() const {
        const json::value* v = object_.if_contains("sequence");
        if (v != nullptr && v->is_uint64()) return v->as_uint64();
        if (v != nullptr && v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
        throw ParseError("audit export: field 'sequence' must be a non-negative integer");
    }
    Bytes hex(const char* name) const {
        try {
            return from_hex(text(name));
        } catch (const InvalidArgument&) {
            throw ParseError(std::string("audit export: field '") + name + "' must be hex");
        }
    }

private:
    const json::object& object_;
};

}  // namespace

crypto::PublicKeySet trusted_audit_keys(const std::vector<std::filesystem::path>& files) {
    crypto::PublicKeySet keys;
    for (const auto& file : files) {
        Bytes public_key;
        try {
            public_key = crypto::read_ed25519_public_key(file);
        } catch (const ParseError&) {
            const Bytes raw = read_file(file);  // ParseError "cannot read" for a missing file
            try {
                public_key = from_hex(trimmed(std::string(raw.begin(), raw.end())));
            } catch (const InvalidArgument&) {
            }
        }
        if (public_key.size() != crypto::ed25519_public_key_bytes)
            throw ParseError(file.string() + " is neither an audit key file nor 64 hex digits of an Ed25519 public key");
        crypto::add_public_key(keys, public_key);
    }
    return keys;
}

std::string audit_entry_json(const AuditEntry& e) {
    json::object o;
    o["type"] = "entry";
    o["sequence"] = e.sequence;
    o["time"] = e.time;
    o["actor"] = e.actor;
    o["action"] = e.action;
    o["subject"] = e.subject;
    o["outcome"] = e.outcome;
    o["detail"] = e.detail;
    o["previous_hash"] = lower_hex(e.previous_hash);
    o["hash"] = lower_hex(e.hash);
    return json::serialize(o);
}

std::string audit_checkpoint_json(const AuditCheckpoint& c) {
    json::object o;
    o["type"] = "checkpoint";
    o["sequence"] = c.sequence;
    o["hash"] = lower_hex(c.hash);
    o["time"] = c.time;
    o["key_id"] = c.key_id;
    o["signature"] = lower_hex(c.signature);
    if (!c.previous_checkpoint_hash.empty()) o["previous_checkpoint_hash"] = lower_hex(c.previous_checkpoint_hash);
    return json::serialize(o);
}

std::variant<AuditEntry, AuditCheckpoint> parse_audit_export_line(std::string_view line) {
    json::error_code error;
    json::value value = json::parse(line, error);
    if (error || !value.is_object()) throw ParseError("audit export: a line is not a JSON object");
    const LineFields f(value.as_object());
    const std::string type = f.text("type");
    if (type == "entry") {
        return AuditEntry{f.sequence(), f.text("time"),    f.text("actor"),          f.text("action"), f.text("subject"),
                          f.text("outcome"), f.text("detail"), f.hex("previous_hash"), f.hex("hash")};
    }
    if (type == "checkpoint") {
        AuditCheckpoint checkpoint{f.sequence(), f.hex("hash"), f.text("time"), f.text("key_id"), f.hex("signature"), {}};
        if (value.as_object().contains("previous_checkpoint_hash"))
            checkpoint.previous_checkpoint_hash = f.hex("previous_checkpoint_hash");
        return checkpoint;
    }
    throw ParseError("audit export: unknown line type \"" + type + "\"");
}

void append_checkpoint_log(const std::filesystem::path& path, const AuditCheckpoint& checkpoint) {
    const std::string line = audit_checkpoint_json(checkpoint) + "\n";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) throw StorageError("cannot open the checkpoint log " + path.string() + ": " + std::strerror(errno));
    // One write of the whole line: with O_APPEND it lands whole at the end, after whatever is there.
    const ssize_t written = ::write(fd, line.data(), line.size());
    const bool ok = written == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok) throw StorageError("cannot append to the checkpoint log " + path.string() + ": " + std::strerror(error));
}

std::vector<AuditCheckpoint> read_checkpoint_log(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ParseError("cannot read the checkpoint log " + path.string());
    std::vector<AuditCheckpoint> checkpoints;
    std::string line;
    for (std::uint64_t number = 1; std::getline(in, line); ++number) {
        if (trimmed(line).empty()) continue;
        try {
            auto parsed = parse_audit_export_line(line);
            if (auto* checkpoint = std::get_if<AuditCheckpoint>(&parsed)) checkpoints.push_back(std::move(*checkpoint));
        } catch (const ParseError& e) {
            throw ParseError(path.string() + " line " + std::to_string(number) + ": " + e.what());
        }
    }
    return checkpoints;
}

ExportReport export_audit(Storage& storage, std::ostream& out, std::uint64_t from,
                          const std::function<void(std::uint64_t)>& on_progress) {
    ExportReport report;
    from = std::max<std::uint64_t>(from, 1);
    const auto last = storage.read([](Transaction& t) { return t.last_audit(); });
    const std::uint64_t end = last ? last->sequence : 0;
    for (std::uint64_t first = from; first <= end; first += kPage) {
        const std::uint64_t to = std::min(end, first + kPage - 1);
        const auto page = storage.read([&](Transaction& t) { return t.audit_range(first, to); });
        for (const auto& entry : page) out << audit_entry_json(entry) << '\n';
        report.entries += page.size();
        if (on_progress) on_progress(to);
    }
    // Only checkpoints over exported entries: one signed later than `end` would name an entry not here.
    const auto checkpoints = storage.read([&](Transaction& t) { return t.checkpoints_from(from); });
    for (const auto& checkpoint : checkpoints) {
        if (checkpoint.sequence > end) break;
        out << audit_checkpoint_json(checkpoint) << '\n';
        ++report.checkpoints;
    }
    out.flush();
    if (!out) throw Error("cannot write the audit export");
    return report;
}

}  // namespace cccd::server::admin
