#include "identity/register.hpp"

#include "base/name_table.hpp"

namespace cccd::identity {

namespace {

// The names the register stores and the APIs speak.
constexpr NameTable<CitizenStatus, 2> kCitizenStatus{{
    {CitizenStatus::Active, "active"}, {CitizenStatus::Deceased, "deceased"}}};
constexpr NameTable<CardStatus, 7> kCardStatus{{
    {CardStatus::Personalizing, "personalizing"}, {CardStatus::Issued, "issued"}, {CardStatus::Suspended, "suspended"},
    {CardStatus::Revoked, "revoked"}, {CardStatus::Lost, "lost"}, {CardStatus::Expired, "expired"},
    {CardStatus::Replaced, "replaced"}}};

}  // namespace

std::string_view to_string(CitizenStatus s) { return name_in(kCitizenStatus, s); }
std::optional<CitizenStatus> citizen_status_from(std::string_view t) { return value_named(kCitizenStatus, t); }
std::string_view to_string(CardStatus s) { return name_in(kCardStatus, s); }
std::optional<CardStatus> card_status_from(std::string_view t) { return value_named(kCardStatus, t); }

}  // namespace cccd::identity
