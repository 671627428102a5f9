// A result row's typed accessors, shared by both drivers' rows.
#include "db/connection.hpp"

namespace cccd::db {

namespace {
[[noreturn]] void wrong_type(std::size_t column) {
    throw StorageError("storage: column " + std::to_string(column) + " has an unexpected type");
}
}  // namespace

bool Row::is_null(std::size_t column) const { return std::holds_alternative<Null>(values_.at(column)); }

std::string Row::text(std::size_t column) const {
    const Value& v = values_.at(column);
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* b = std::get_if<Bytes>(&v)) return cccd::to_string(ByteView(*b));
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    return {};
}

std::optional<std::string> Row::optional_text(std::size_t column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

std::int64_t Row::integer(std::size_t column) const {
    const Value& v = values_.at(column);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (std::holds_alternative<Null>(v)) return 0;
    wrong_type(column);
}

Bytes Row::bytes(std::size_t column) const {
    const Value& v = values_.at(column);
    if (const auto* b = std::get_if<Bytes>(&v)) return *b;
    if (const auto* s = std::get_if<std::string>(&v)) return Bytes(s->begin(), s->end());
    if (std::holds_alternative<Null>(v)) return {};
    wrong_type(column);
}

}  // namespace cccd::db
