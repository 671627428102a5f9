#include "server/model/model.hpp"

#include <array>
#include <utility>

namespace cccd::server {

namespace {

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

constexpr std::array<std::pair<EnrollmentStatus, std::string_view>, 5> kEnrollmentStatus{{
    {EnrollmentStatus::Submitted, "submitted"}, {EnrollmentStatus::AwaitingApproval, "awaiting_approval"},
    {EnrollmentStatus::Personalizing, "personalizing"},
    {EnrollmentStatus::Completed, "completed"}, {EnrollmentStatus::Rejected, "rejected"}}};
constexpr std::array<std::pair<Role, std::string_view>, 3> kRole{{
    {Role::EnrollmentOfficer, "enrollment_officer"}, {Role::Supervisor, "supervisor"}, {Role::Administrator, "administrator"}}};

}  // namespace

bool is_valid_officer_id(std::string_view id) noexcept {
    if (id.size() < 3 || id.size() > 64) return false;
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
    }
    return true;
}

std::string_view to_string(EnrollmentStatus s) { return name_of(kEnrollmentStatus, s); }
std::optional<EnrollmentStatus> enrollment_status_from(std::string_view t) { return lookup(kEnrollmentStatus, t); }
std::string_view to_string(Role r) { return name_of(kRole, r); }
std::optional<Role> role_from(std::string_view t) { return lookup(kRole, t); }

}  // namespace cccd::server
