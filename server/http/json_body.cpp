#include "server/http/json_body.hpp"

#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>

#include "server/http/message.hpp"

namespace cccd::server::http {

namespace {

[[noreturn]] void invalid_json(std::string message) { throw HttpError(400, "invalid_json", std::move(message)); }

}  // namespace

boost::json::value parse_json_body(std::string_view body, const JsonLimits& limits) {
    if (body.size() > limits.max_bytes)
        invalid_json("the JSON body is " + std::to_string(body.size()) + " bytes; at most " +
                     std::to_string(limits.max_bytes) + " are accepted");
    if (body.empty()) invalid_json("the body is empty; a JSON document was expected");
    boost::json::parse_options options;
    options.max_depth = limits.max_depth;
    boost::json::stream_parser parser({}, options);
    boost::system::error_code error;
    const std::size_t consumed = parser.write_some(body.data(), body.size(), error);
    if (!error && consumed < body.size())
        invalid_json("unexpected data after the JSON document at byte " + std::to_string(consumed));
    if (!error) parser.finish(error);
    if (error) {
        if (error == boost::json::error::too_deep)
            invalid_json("the JSON body nests deeper than " + std::to_string(limits.max_depth) + " levels");
        invalid_json("the body is not valid JSON at byte " + std::to_string(consumed) + ": " + error.message());
    }
    return parser.release();
}

boost::json::object parse_json_object(std::string_view body, const JsonLimits& limits) {
    boost::json::value value = parse_json_body(body, limits);
    if (!value.is_object()) invalid_json("the JSON body must be an object");
    return std::move(value.as_object());
}

std::string JsonFields::field_name(std::string_view name) const {
    return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

const boost::json::value* JsonFields::find(std::string_view name) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->value().is_null()) return nullptr;
    return &it->value();
}

void JsonFields::fail(std::string_view name, std::string_view problem) const {
    throw HttpError(400, "invalid_field", "field '" + field_name(name) + "' " + std::string(problem));
}

std::optional<std::string> JsonFields::optional_string(std::string_view name, std::size_t max_length) const {
    const auto* value = find(name);
    if (!value) return std::nullopt;
    if (!value->is_string()) fail(name, "must be a string");
    const auto& text = value->as_string();
    if (text.size() > max_length) fail(name, "is longer than " + std::to_string(max_length) + " characters");
    return std::string(text.data(), text.size());
}

std::string JsonFields::required_string(std::string_view name, std::size_t max_length) const {
    auto text = optional_string(name, max_length);
    if (!text) fail(name, "is required");
    return std::move(*text);
}

std::optional<std::int64_t> JsonFields::optional_integer(std::string_view name, std::int64_t min,
                                                         std::int64_t max) const {
    const auto* value = find(name);
    if (!value) return std::nullopt;
    std::int64_t number = 0;
    if (value->is_int64()) number = value->as_int64();
    else if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        number = static_cast<std::int64_t>(value->as_uint64());
    else fail(name, "must be an integer");
    if (number < min || number > max)
        fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return number;
}

std::int64_t JsonFields::required_integer(std::string_view name, std::int64_t min, std::int64_t max) const {
    const auto number = optional_integer(name, min, max);
    if (!number) fail(name, "is required");
    return *number;
}

std::optional<bool> JsonFields::optional_bool(std::string_view name) const {
    const auto* value = find(name);
    if (!value) return std::nullopt;
    if (!value->is_bool()) fail(name, "must be true or false");
    return value->as_bool();
}

bool JsonFields::required_bool(std::string_view name) const {
    const auto flag = optional_bool(name);
    if (!flag) fail(name, "is required");
    return *flag;
}

JsonFields JsonFields::required_object(std::string_view name) const {
    const auto* value = find(name);
    if (!value) fail(name, "is required");
    if (!value->is_object()) fail(name, "must be an object");
    return JsonFields(value->as_object(), field_name(name));
}

const boost::json::array& JsonFields::required_array(std::string_view name, std::size_t max_items) const {
    const auto* value = find(name);
    if (!value) fail(name, "is required");
    if (!value->is_array()) fail(name, "must be an array");
    if (value->as_array().size() > max_items) fail(name, "has more than " + std::to_string(max_items) + " items");
    return value->as_array();
}

void JsonFields::reject_unknown(std::initializer_list<std::string_view> known) const {
    for (const auto& member : object_) {
        const std::string_view key(member.key().data(), member.key().size());
        bool listed = false;
        for (std::string_view name : known) listed = listed || name == key;
        if (!listed) fail(key, "is not expected here");
    }
}

}  // namespace cccd::server::http
