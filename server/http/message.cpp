#include "server/http/message.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/encoding.hpp"
#include "crypto/random.hpp"

namespace cccd::server::http {

namespace {

template <typename Map>
std::optional<std::string_view> lookup(const Map& map, std::string_view key) {
    const auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return std::string_view(it->second);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return lookup(headers, lower);
}

std::optional<std::string_view> Request::path_param(std::string_view name) const { return lookup(path_params, name); }
std::optional<std::string_view> Request::query_param(std::string_view name) const { return lookup(query, name); }

Response Response::json(unsigned status, const boost::json::value& value) {
    Response response;
    response.status = status;
    response.body = boost::json::serialize(value);
    return response;
}

Response Response::error(unsigned status, std::string_view code, std::string_view message) {
    boost::json::object error;
    error["code"] = code;
    error["message"] = message;
    boost::json::object root;
    root["error"] = std::move(error);
    return json(status, root);
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    response.content_type = std::move(content_type);
    return response;
}

std::string new_request_id() { return base64url_encode(crypto::random_bytes(16)); }

bool is_acceptable_request_id(std::string_view text) {
    constexpr std::size_t kMin = 20, kMax = 40;
    if (text.size() < kMin || text.size() > kMax) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

std::string request_id_for(std::optional<std::string_view> incoming) {
    if (incoming && is_acceptable_request_id(*incoming)) return std::string(*incoming);
    return new_request_id();
}

std::string stamp_request_id(Response& response, std::string_view request_id) {
    response.headers.emplace_back("X-Request-Id", std::string(request_id));
    if (response.status < 400 || response.content_type.rfind("application/json", 0) != 0) return {};
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(response.body, ec);
    if (ec || !body.is_object()) return {};
    boost::json::value* error = body.as_object().if_contains("error");
    if (error == nullptr || !error->is_object()) return {};
    boost::json::object& fields = error->as_object();
    fields["request_id"] = request_id;
    response.body = boost::json::serialize(body);
    const boost::json::value* code = fields.if_contains("code");
    return code != nullptr && code->is_string() ? std::string(code->as_string()) : std::string{};
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace cccd::server::http
