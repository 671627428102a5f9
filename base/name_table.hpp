#pragma once
// An enum's names as stored and spoken by the APIs ("issued", "awaiting_approval"), in one small table
// per enum, read both ways.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace cccd {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

// The value named `text`; nothing for a name the table does not hold.
template <typename E, std::size_t N>
std::optional<E> value_named(const NameTable<E, N>& names, std::string_view text) {
    for (const auto& [value, name] : names) {
        if (name == text) return value;
    }
    return std::nullopt;
}

// The name of `value`; "unknown" for a value the table does not hold.
template <typename E, std::size_t N>
std::string_view name_in(const NameTable<E, N>& names, E value) {
    for (const auto& [v, name] : names) {
        if (v == value) return name;
    }
    return "unknown";
}

}  // namespace cccd
