#include "station/core/kiosk.hpp"

#include <boost/json.hpp>

#include "auth/assertion.hpp"
#include "auth/errors.hpp"
#include "card/lds/dg2.hpp"
#include "card/reader/pcsc.hpp"
#include "station/core/station_config.hpp"

namespace cccd::station {

namespace json = boost::json;

KioskConfig load_kiosk_config(const std::filesystem::path& file) {
    auto s = read_settings(file, "kiosk", {"server", "server_ca", "certificate", "key", "relying_party_id", "reader", "idle_seconds"},
                           {"server_ca", "certificate", "key"}, {"server", "server_ca", "certificate", "key"});
    KioskConfig c;
    c.server = s["server"];
    c.server_ca = s["server_ca"];
    c.certificate = s["certificate"];
    c.key = s["key"];
    c.relying_party_id = s["relying_party_id"].empty() ? auth::client::certificate_common_name(c.certificate) : s["relying_party_id"];
    auth::check_relying_party_id(c.relying_party_id);
    c.reader = s["reader"];
    if (!s["idle_seconds"].empty()) {
        const std::string& text = s["idle_seconds"];
        if (text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 5)
            throw InvalidArgument("the kiosk configuration " + file.string() + ": \"idle_seconds\" is a number of seconds, at least 5");
        c.idle = std::chrono::seconds(std::stoi(text));
    }
    return c;
}

auth::client::ClientOptions kiosk_client_options(const KioskConfig& config) {
    auth::client::ClientOptions o;
    o.server = auth::client::parse_server_url(config.server);
    o.ca_file = config.server_ca;
    o.certificate_file = config.certificate;
    o.key_file = config.key;
    return o;
}

namespace {

std::string claim(const json::object& claims, std::string_view scope) {
    const json::value* attributes = claims.if_contains("attributes");
    const json::value* v = attributes != nullptr && attributes->is_object() ? attributes->as_object().if_contains(scope)
                                                                             : claims.if_contains(scope);
    return v != nullptr && v->is_string() ? std::string(v->as_string().c_str()) : std::string();
}

}  // namespace

KioskOutcome authenticate_at_kiosk(auth::client::AuthClient& client, channel::CardChannel& channel, const std::string& can,
                                   const std::string& relying_party_id) {
    KioskOutcome out;
    if (can.size() != 6 || can.find_first_not_of("0123456789") != std::string::npos) {
        out.headline = "Số CAN gồm 6 chữ số in trên mặt trước của thẻ";
        return out;
    }
    try {
        auth::client::CardAuthentication result = auth::client::authenticate_card(client, channel, can, relying_party_id);
        if (!result.outcome.accepted()) {
            out.headline = "Không xác thực được thẻ (" + result.outcome.error_code + ")";
            return out;
        }
        out.accepted = true;
        out.headline = "Xác thực thành công";
        out.assertion = *result.outcome.assertion;
        out.loa = result.outcome.loa;
        out.name = claim(result.verified->claims, "name");
        out.date_of_birth = claim(result.verified->claims, "date_of_birth");
        if (auto dg2 = result.read.files.find("DG2"); dg2 != result.read.files.end()) {
            try {
                out.photo_jpeg = lds::first_face_record(lds::decode_dg2(dg2->second)).faces.at(0).image;
            } catch (const std::exception&) {
                // No picture to show; the result stands.
            }
        }
    } catch (const session::AccessDeniedError&) {
        out.headline = "Số CAN không đúng: vui lòng kiểm tra 6 chữ số trên mặt trước của thẻ";
    } catch (const channel::CardRemovedError&) {
        out.headline = "Thẻ đã bị nhấc ra: vui lòng đặt lại thẻ và giữ yên";
    } catch (const auth::client::ClientError&) {
        out.headline = "Không kết nối được máy chủ: vui lòng thử lại sau";
    } catch (const auth::AssertionError&) {
        out.headline = "Kết quả từ máy chủ không hợp lệ: vui lòng báo nhân viên";
    } catch (const Error&) {
        out.headline = "Không đọc được thẻ: vui lòng đặt lại thẻ";
    }
    return out;
}

KioskOutcome tap_card(const KioskConfig& config, const std::string& can, const std::string& reader) {
    auth::client::AuthClient client(kiosk_client_options(config));
    reader::PcscContext context;
    reader::PcscCard card(context, context.reader_or_first(reader.empty() ? config.reader : reader));
    reader::Transaction transaction(card);
    return authenticate_at_kiosk(client, card, can, config.relying_party_id);
}

}  // namespace cccd::station
