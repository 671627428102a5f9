#include "card/perso/transport_manifest.hpp"

#include <algorithm>
#include <set>

#include "base/error.hpp"

namespace cccd::perso {

namespace {

bool is_batch_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == '/';
    });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// A column of hex digits (from_hex: case, ':' and inner spaces allowed); false when it is not hex.
bool parse_hex_column(std::string_view column, Bytes& out) {
    try {
        out = from_hex(column);
        return !out.empty();
    } catch (const InvalidArgument&) {
        return false;
    }
}

[[noreturn]] void refuse(std::size_t line, const std::string& what) {
    throw ParseError("transport key manifest, line " + std::to_string(line) + ": " + what);
}

}  // namespace

TransportManifest parse_transport_manifest(std::string_view text) {
    if (text.size() > kMaxManifestBytes)
        throw ParseError("transport key manifest: larger than " + std::to_string(kMaxManifestBytes / (1024 * 1024)) +
                         " MB; split the batch");
    TransportManifest manifest;
    std::set<Bytes> serials;
    std::size_t number = 0;
    bool batch_seen = false;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++number;
        if (number == 1) {
            if (trim(line) != kManifestFirstLine)
                refuse(1, "not a transport key manifest (the first line must be \"" + std::string(kManifestFirstLine) + "\")");
            continue;
        }
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        if (line.starts_with("batch:")) {
            if (batch_seen) refuse(number, "a second batch line");
            const std::string_view name = trim(line.substr(6));
            if (!is_batch_name(name)) refuse(number, "the batch name must be 1-64 letters, digits, - _ . /");
            manifest.batch = std::string(name);
            batch_seen = true;
            continue;
        }
        const std::size_t gap = line.find_first_of(" \t");
        if (gap == std::string_view::npos) refuse(number, "expected a chip serial and a key separated by a space");
        const std::string_view serial_hex = line.substr(0, gap), key_hex = trim(line.substr(gap));
        TransportKeyEntry entry;
        if (!parse_hex_column(serial_hex, entry.chip_serial) || entry.chip_serial.size() > kMaxChipSerialSize)
            refuse(number, "the chip serial must be 1 to 32 bytes in hex");
        Bytes key;
        const bool key_ok = parse_hex_column(key_hex, key) && key.size() == kTransportKeySize;
        entry.key = SecretBytes(std::move(key));
        if (!key_ok) refuse(number, "the transport key must be 32 hex digits");
        if (!serials.insert(entry.chip_serial).second) refuse(number, "a second key for chip serial " + to_hex(entry.chip_serial));
        manifest.cards.push_back(std::move(entry));
    }
    if (number == 0) refuse(1, "the file is empty");
    if (!batch_seen) throw ParseError("transport key manifest: no \"batch:\" line");
    return manifest;
}

std::string write_transport_manifest(const TransportManifest& manifest) {
    if (!is_batch_name(manifest.batch)) throw InvalidArgument("a batch name is 1-64 letters, digits, - _ . /");
    std::string text(kManifestFirstLine);
    text += "\nbatch: " + manifest.batch + "\n";
    for (const auto& card : manifest.cards) {
        if (card.chip_serial.empty() || card.chip_serial.size() > kMaxChipSerialSize)
            throw InvalidArgument("a chip serial is 1 to 32 bytes");
        if (card.key.size() != kTransportKeySize) throw InvalidArgument("a transport key is 16 bytes");
        text += to_hex(card.chip_serial) + " " + to_hex(card.key.view()) + "\n";
    }
    return text;
}

}  // namespace cccd::perso
