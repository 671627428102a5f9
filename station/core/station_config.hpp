#pragma once
// A station's configuration file (JSON), the same for the window and the headless mode:
//   {
//     "server": "https://127.0.0.1:8443",
//     "server_ca": "/etc/cccd/station/service-ca.pem",
//     "certificate": "/etc/cccd/station/station.pem",   the station's client certificate
//     "key": "/etc/cccd/station/station.key",           its key (passphrase: CCCD_STATION_KEY_PASSPHRASE)
//     "queue": "/var/lib/cccd-station/queue.db",        the offline queue (SQLCipher)
//     "queue_key_file": "/etc/cccd/station/queue.key",  64 hex digits; created 0600 when missing
//     "csca": "/etc/cccd/station/csca.pem",             trust anchors for the read-back (PEM/DER, or a master list)
//     "reader": "",                                     a reader name, or empty: the first reader
//     "photo_inbox": "/var/lib/cccd-station/camera",    where the desk camera saves its pictures: the
//                                                       enrollment's "newest picture" button (optional)
//     "receipts_dir": "/var/lib/cccd-station/receipts", where the receipts' PDFs go (default: beside the queue)
//     "card_faces_dir": "/var/lib/cccd-station/card-faces", the card faces' PDFs for the card printer (default:
//                                                       beside the queue)
//     "office": "Công an phường Bến Nghé",              the receiving office, for the receipts (CC01, CC02)
//     "superior_office": "CÔNG AN THÀNH PHỐ HỒ CHÍ MINH",  the office above it (optional)
//     "locality": "Thành phố Hồ Chí Minh",              where the receipts are signed
//     "return_place": "Bộ phận một cửa, ..."            where the card is handed back (CC02)
//   }
// Relative paths are relative to the file. Unknown keys are refused (a typo must not go unnoticed).
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "card/pa/trust_store.hpp"
#include "net/https_client.hpp"

namespace cccd::station {

inline constexpr const char* kStationKeyPassphraseEnvironment = "CCCD_STATION_KEY_PASSPHRASE";

struct StationConfig {
    std::string server;
    std::filesystem::path server_ca, certificate, key, queue, queue_key_file, csca;
    std::string reader;
    // receipts_dir, card_faces_dir: the queue's directory + "/receipts", "/card-faces" when not set
    std::filesystem::path photo_inbox, receipts_dir, card_faces_dir;
    std::string office, superior_office, locality, return_place;
};

// InvalidArgument naming the file and the field, in words.
StationConfig load_station_config(const std::filesystem::path& file);

// A flat JSON object of strings (the station's and the kiosk's files): unknown keys refused, `paths`
// made relative to the file, `required` present and not empty, a "server" URL checked.
std::map<std::string, std::string> read_settings(const std::filesystem::path& file, std::string_view what,
                                                 const std::set<std::string>& known, const std::set<std::string>& paths,
                                                 const std::set<std::string>& required);

net::HttpsClientOptions https_options(const StationConfig& config);

// The CSCAs the station checks cards against ("csca"); empty when none is configured.
pa::TrustStore station_trust(const StationConfig& config);

// The queue's key: read from queue_key_file, or made (32 random bytes, mode 0600) when the file does
// not exist yet. InvalidArgument when it exists but does not hold 64 hex digits.
SecretBytes queue_key(const StationConfig& config);

}  // namespace cccd::station
