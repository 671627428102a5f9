#pragma once
// Request bodies as JSON, with limits, and field access whose errors name the field. Every failure is
// an HttpError 400 the router turns into {"error": {"code": ..., "message": ...}}:
//   invalid_json   the body is not JSON, is too deep or too large ("... at byte N: reason")
//   invalid_field  a field is missing or has the wrong type or length ("field 'a.b' must be a string")
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace cccd::server::http {

struct JsonLimits {
    std::size_t max_bytes = 1024 * 1024;
    std::size_t max_depth = 32;
};

boost::json::value parse_json_body(std::string_view body, const JsonLimits& limits = {});
// parse_json_body, and the top level must be an object.
boost::json::object parse_json_object(std::string_view body, const JsonLimits& limits = {});

// Reads fields of one JSON object; `path` prefixes field names in messages ("address" -> "address.city").
class JsonFields {
public:
    explicit JsonFields(const boost::json::object& object, std::string path = {})
        : object_(object), path_(std::move(path)) {}

    std::string required_string(std::string_view name, std::size_t max_length = 4096) const;
    std::optional<std::string> optional_string(std::string_view name, std::size_t max_length = 4096) const;
    std::int64_t required_integer(std::string_view name, std::int64_t min, std::int64_t max) const;
    std::optional<std::int64_t> optional_integer(std::string_view name, std::int64_t min, std::int64_t max) const;
    bool required_bool(std::string_view name) const;
    std::optional<bool> optional_bool(std::string_view name) const;
    JsonFields required_object(std::string_view name) const;
    const boost::json::array& required_array(std::string_view name, std::size_t max_items = 10000) const;
    // invalid_field for any member not in `known` (catches typos in requests).
    void reject_unknown(std::initializer_list<std::string_view> known) const;

    std::string field_name(std::string_view name) const;
    const boost::json::object& object() const noexcept { return object_; }

private:
    const boost::json::value* find(std::string_view name) const;
    [[noreturn]] void fail(std::string_view name, std::string_view problem) const;

    const boost::json::object& object_;
    std::string path_;
};

}  // namespace cccd::server::http
