#pragma once
// A small streaming JSON writer for the tool's output: the tool only ever writes JSON in a fixed shape
// (never reads it, and streams as it reads a card), which ~80 lines do without a document model.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cccd::tool {

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);  // UTF-8 text, kept intact
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(bool flag);
    JsonWriter& null();
    // Convenience: key then value.
    template <typename T>
    JsonWriter& field(std::string_view name, const T& v) { key(name); return value(v); }
    // Two-space indented text, ending with a newline.
    const std::string& str() const { return out_; }

private:
    void before_value();
    void newline();
    std::string out_;
    std::vector<bool> has_items_;  // per open container
    bool after_key_ = false;
};

std::string json_escape(std::string_view utf8);

}  // namespace cccd::tool
