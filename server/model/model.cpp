#include "server/model/model.hpp"

#include "base/name_table.hpp"

namespace cccd::server {

namespace {

constexpr NameTable<EnrollmentStatus, 5> kEnrollmentStatus{{
    {EnrollmentStatus::Submitted, "submitted"}, {EnrollmentStatus::AwaitingApproval, "awaiting_approval"},
    {EnrollmentStatus::Personalizing, "personalizing"},
    {EnrollmentStatus::Completed, "completed"}, {EnrollmentStatus::Rejected, "rejected"}}};
constexpr NameTable<Role, 3> kRole{{
    {Role::EnrollmentOfficer, "enrollment_officer"}, {Role::Supervisor, "supervisor"}, {Role::Administrator, "administrator"}}};

}  // namespace

bool is_valid_officer_id(std::string_view id) noexcept {
    if (id.size() < 3 || id.size() > 64) return false;
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
    }
    return true;
}

std::string_view to_string(EnrollmentStatus s) { return name_in(kEnrollmentStatus, s); }
std::optional<EnrollmentStatus> enrollment_status_from(std::string_view t) { return value_named(kEnrollmentStatus, t); }
std::string_view to_string(Role r) { return name_in(kRole, r); }
std::optional<Role> role_from(std::string_view t) { return value_named(kRole, t); }

}  // namespace cccd::server
