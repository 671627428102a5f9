#pragma once
// The card maker's batch manifest: one issuer transport key per blank chip, keyed by the chip serial the
// chip reports in plain (GET DATA) before PACE. The issuer imports it once per batch into the station's
// encrypted store (station/core/transport_keys.hpp); personalization then asks for the key of the chip in
// the reader, and nobody types or picks a key file per card.
//
// The text form (UTF-8, LF or CRLF):
//
//     # cccd transport keys 1                    first line, exactly (the format and its version)
//     batch: LOT-2026-0042                       the maker's batch name: letters, digits, - _ . /
//     0011223344556677 000102030405060708090A0B0C0D0E0F
//     ...                                        chip serial (1-32 bytes) and key (16 bytes), in hex
//
// Blank lines and lines starting with '#' after the first are comments. Reading is lenient about case,
// spaces and tabs between the two columns and a final newline; it refuses a second line for the same
// serial, a malformed line (naming its number, never echoing a key) and a file over kMaxManifestBytes.
// Writing emits the exact form above, upper-case hex, LF.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"

namespace cccd::perso {

inline constexpr std::string_view kManifestFirstLine = "# cccd transport keys 1";
inline constexpr std::size_t kMaxManifestBytes = 16 * 1024 * 1024;  // ~200,000 cards: a large batch
inline constexpr std::size_t kTransportKeySize = 16;
inline constexpr std::size_t kMaxChipSerialSize = 32;

struct TransportKeyEntry {
    Bytes chip_serial;
    SecretBytes key;  // 16 bytes
};

struct TransportManifest {
    std::string batch;
    std::vector<TransportKeyEntry> cards;
};

// ParseError with the line number and what is wrong; the text's copies of keys are wiped.
TransportManifest parse_transport_manifest(std::string_view text);

// The manifest's exact text form (InvalidArgument for a bad batch name, serial or key size).
std::string write_transport_manifest(const TransportManifest& manifest);

}  // namespace cccd::perso
