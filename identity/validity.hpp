#pragma once
// How long a card is valid: the one rule every part that shows or writes an expiry uses (the station's
// form and card face, the issuance API, personalization's MRZ and DG13, the synthetic population).
//
// Law on Identification 26/2023/QH15, Art. 21 (the "Căn cước" card, from 1 July 2024), and Law on
// Citizen Identification 59/2014/QH13, Art. 21 (the 2021 CCCD, for reading and renewing old cards):
//
//   renewal ages      2024: 14, 25, 40, 60          2021: 25, 40, 60
//   two-year rule     a card issued, renewed or re-issued within two years before a renewal age is
//                     valid until the next one: the age is skipped when the holder is at least
//                     (age - 2) years old on the date of issue
//   expiry            the birthday at the first renewal age not skipped (valid through that day)
//   none              no renewal age left (issued at 58 or later): valid for life; the MRZ writes
//                     991231, DG13 and the card "Không thời hạn"
//
//   born 10/05/1985, issued 01/07/2024 (39)  -> 10/05/2045 (60)
//   born 10/05/1985, issued 11/05/2043 (58)  -> no expiry (60 is within two years)
//   born 14/05/2003, issued 01/07/2021 (18)  -> 14/05/2028 (25)
//
// Birthdays on 29 February fall on 1 March in common years, for ages and expiries alike (as
// std::chrono's sys_days normalises them, and as the verification pipeline counts age_over_18).
// Assumption, documented in docs/card-profiles.md: the law says "the birthday" without the leap-day
// case, and 1 March keeps a card from expiring before the holder has reached the age.
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cccd::identity {

enum class CardGeneration {
    Cccd2021,    // "Căn cước công dân", Circular 06/2021/TT-BCA: read, verify and renew only
    CanCuoc2024  // "Căn cước", Circular 16/2024/TT-BCA: what is issued from 1 July 2024
};

// The first day the "Căn cước" was issued (Law 26/2023/QH15 in force): a card issued before it is a CCCD.
inline constexpr std::string_view kCanCuocFirstIssueDay = "2024-07-01";

// The renewal ages of a generation, ascending.
std::span<const int> renewal_ages(CardGeneration generation) noexcept;

// The holder's birthday in `year` (29 February -> 1 March in a common year).
std::chrono::year_month_day birthday_in(std::chrono::year_month_day date_of_birth, std::chrono::year year);
// Completed years of age on `day` (the birthday itself counts as reached).
int age_on(std::chrono::year_month_day date_of_birth, std::chrono::year_month_day day);

struct CardValidity {
    int age_at_issue = 0;
    std::optional<int> skipped_age;             // a renewal age passed over by the two-year rule
    std::optional<int> renewal_age;             // the age the card runs to; none: valid for life
    std::optional<std::chrono::year_month_day> expires_on;  // that birthday; none: valid for life

    bool for_life() const noexcept { return !expires_on.has_value(); }
    friend bool operator==(const CardValidity&, const CardValidity&) = default;
};

// The validity of a card of `generation` issued on `date_of_issue` to a holder born on `date_of_birth`.
// InvalidArgument for an invalid date or a date of issue before the birth.
CardValidity card_validity(CardGeneration generation, std::chrono::year_month_day date_of_birth,
                           std::chrono::year_month_day date_of_issue);

// The same from YYYY-MM-DD dates (InvalidArgument when malformed).
CardValidity card_validity(CardGeneration generation, std::string_view date_of_birth_iso, std::string_view date_of_issue_iso);

// The expiry as the enrollment record and the registry write it: YYYY-MM-DD, or "none" for life.
std::string record_expiry(const CardValidity& validity);
// As DG13 and the card face write it: dd/mm/yyyy, or "Không thời hạn" (kNoExpiryWords).
std::string printed_expiry(const CardValidity& validity);

// YYYY-MM-DD as a calendar date; nothing when malformed or not a real day.
std::optional<std::chrono::year_month_day> parse_iso_day(std::string_view yyyy_mm_dd) noexcept;
std::string iso_day(std::chrono::year_month_day day);
// dd/mm/yyyy, as people in Vietnam read and write dates.
std::string vietnamese_day(std::chrono::year_month_day day);

}  // namespace cccd::identity
