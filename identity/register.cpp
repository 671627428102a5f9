#include "identity/register.hpp"

#include <array>
#include <utility>

namespace cccd::identity {

namespace {

// The names the register stores and the APIs speak.
constexpr std::array<std::pair<CitizenStatus, std::string_view>, 2> kCitizenStatus{{
    {CitizenStatus::Active, "active"}, {CitizenStatus::Deceased, "deceased"}}};
constexpr std::array<std::pair<CardStatus, std::string_view>, 6> kCardStatus{{
    {CardStatus::Personalizing, "personalizing"}, {CardStatus::Issued, "issued"}, {CardStatus::Suspended, "suspended"},
    {CardStatus::Revoked, "revoked"}, {CardStatus::Lost, "lost"}, {CardStatus::Expired, "expired"}}};

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view text) {
    for (const auto& [value, name] : names) {
        if (name == text) return value;
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
    for (const auto& [v, name] : names) {
        if (v == value) return name;
    }
    return "unknown";
}

}  // namespace

std::string_view to_string(CitizenStatus s) { return name_of(kCitizenStatus, s); }
std::optional<CitizenStatus> citizen_status_from(std::string_view t) { return lookup(kCitizenStatus, t); }
std::string_view to_string(CardStatus s) { return name_of(kCardStatus, s); }
std::optional<CardStatus> card_status_from(std::string_view t) { return lookup(kCardStatus, t); }

}  // namespace cccd::identity
