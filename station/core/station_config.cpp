#include "station/core/station_config.hpp"

#include <map>
#include <set>

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/file.hpp"
#include "crypto/key_file.hpp"

namespace cccd::station {

namespace json = boost::json;
namespace fs = std::filesystem;

std::map<std::string, std::string> read_settings(const fs::path& file, std::string_view what,
                                                 const std::set<std::string>& known, const std::set<std::string>& paths,
                                                 const std::set<std::string>& required) {
    const std::string where = "the " + std::string(what) + " configuration " + file.string();
    std::string text;
    try {
        const Bytes bytes = read_file(file.string());
        text.assign(bytes.begin(), bytes.end());
    } catch (const Error&) {
        throw InvalidArgument(where + " cannot be read");
    }
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) throw InvalidArgument(where + " is not a JSON object");
    std::map<std::string, std::string> settings;
    for (const auto& [key, value] : v.as_object()) {
        const std::string name(key);
        if (!known.contains(name)) throw InvalidArgument(where + ": unknown setting \"" + name + "\"");
        if (!value.is_string()) throw InvalidArgument(where + ": \"" + name + "\" must be a string");
        std::string s(value.as_string().c_str());
        // Relative paths are relative to the file.
        if (paths.contains(name) && !s.empty() && !fs::path(s).is_absolute()) s = (file.parent_path() / s).string();
        settings[name] = std::move(s);
    }
    for (const auto& name : required) {
        if (settings[name].empty()) throw InvalidArgument(where + ": \"" + name + "\" is required");
    }
    if (settings.contains("server")) (void)net::parse_server_url(settings["server"]);  // InvalidArgument in words
    return settings;
}

StationConfig load_station_config(const fs::path& file) {
    auto s = read_settings(file, "station",
                           {"server", "server_ca", "certificate", "key", "queue", "queue_key_file", "csca", "reader", "photo_inbox",
                            "receipts_dir", "card_faces_dir", "office", "superior_office", "locality", "return_place"},
                           {"server_ca", "certificate", "key", "queue", "queue_key_file", "csca", "photo_inbox", "receipts_dir",
                            "card_faces_dir"},
                           {"server", "server_ca", "certificate", "key", "queue", "queue_key_file"});
    StationConfig c;
    c.server = s["server"];
    c.server_ca = s["server_ca"];
    c.certificate = s["certificate"];
    c.key = s["key"];
    c.queue = s["queue"];
    c.queue_key_file = s["queue_key_file"];
    c.csca = s["csca"];
    c.reader = s["reader"];
    c.photo_inbox = s["photo_inbox"];
    c.receipts_dir = s["receipts_dir"].empty() ? c.queue.parent_path() / "receipts" : fs::path(s["receipts_dir"]);
    c.card_faces_dir = s["card_faces_dir"].empty() ? c.queue.parent_path() / "card-faces" : fs::path(s["card_faces_dir"]);
    c.office = s["office"];
    c.superior_office = s["superior_office"];
    c.locality = s["locality"];
    c.return_place = s["return_place"];
    return c;
}

net::HttpsClientOptions https_options(const StationConfig& config) {
    net::HttpsClientOptions o;
    o.server = net::parse_server_url(config.server);
    o.ca_file = config.server_ca;
    o.certificate_file = config.certificate;
    o.key_file = config.key;
    o.passphrase_environment = kStationKeyPassphraseEnvironment;
    o.user_agent = "cccd-station/1";
    return o;
}

pa::TrustStore station_trust(const StationConfig& config) {
    pa::TrustStore trust;
    if (!config.csca.empty()) trust.add_certificate_file(config.csca);
    return trust;
}

SecretBytes queue_key(const StationConfig& config) {
    if (!fs::exists(config.queue_key_file)) crypto::create_secret_key_file(config.queue_key_file);
    return crypto::read_secret_key_file(config.queue_key_file, "the queue key file " + config.queue_key_file.string());
}

}  // namespace cccd::station
