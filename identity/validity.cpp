#include "identity/validity.hpp"

#include <array>
#include <charconv>
#include <cstdio>

#include "base/error.hpp"
#include "identity/enrollment_record.hpp"

namespace cccd::identity {
namespace chr = std::chrono;

namespace {

constexpr std::array<int, 4> kAges2024{14, 25, 40, 60};
constexpr std::array<int, 3> kAges2021{25, 40, 60};

void require_valid(chr::year_month_day day, const char* what) {
    if (!day.ok()) throw InvalidArgument(std::string(what) + " is not a calendar date");
}

std::string two_digits(unsigned value) {
    char text[3];
    std::snprintf(text, sizeof text, "%02u", value % 100u);
    return text;
}

std::string four_digits(int value) {
    char text[8];
    std::snprintf(text, sizeof text, "%04d", value);
    return text;
}

}  // namespace

std::span<const int> renewal_ages(CardGeneration generation) noexcept {
    if (generation == CardGeneration::Cccd2021) return kAges2021;
    return kAges2024;
}

chr::year_month_day birthday_in(chr::year_month_day date_of_birth, chr::year year) {
    // sys_days normalises 29 February of a common year to 1 March.
    return chr::year_month_day{chr::sys_days{year / date_of_birth.month() / date_of_birth.day()}};
}

int age_on(chr::year_month_day date_of_birth, chr::year_month_day day) {
    int age = static_cast<int>(day.year()) - static_cast<int>(date_of_birth.year());
    if (chr::sys_days{day} < chr::sys_days{birthday_in(date_of_birth, day.year())}) --age;
    return age;
}

CardValidity card_validity(CardGeneration generation, chr::year_month_day date_of_birth, chr::year_month_day date_of_issue) {
    require_valid(date_of_birth, "the date of birth");
    require_valid(date_of_issue, "the date of issue");
    if (chr::sys_days{date_of_issue} < chr::sys_days{date_of_birth}) {
        throw InvalidArgument("the date of issue is before the date of birth");
    }
    CardValidity v;
    v.age_at_issue = age_on(date_of_birth, date_of_issue);
    for (const int age : renewal_ages(generation)) {
        if (age <= v.age_at_issue) continue;
        // Within two years before this age: valid to the next one instead.
        if (v.age_at_issue >= age - 2) {
            v.skipped_age = age;
            continue;
        }
        v.renewal_age = age;
        v.expires_on = birthday_in(date_of_birth, date_of_birth.year() + chr::years{age});
        break;
    }
    return v;
}

CardValidity card_validity(CardGeneration generation, std::string_view date_of_birth_iso, std::string_view date_of_issue_iso) {
    const auto birth = parse_iso_day(date_of_birth_iso);
    if (!birth) throw InvalidArgument("the date of birth must be a date YYYY-MM-DD");
    const auto issue = parse_iso_day(date_of_issue_iso);
    if (!issue) throw InvalidArgument("the date of issue must be a date YYYY-MM-DD");
    return card_validity(generation, *birth, *issue);
}

std::string record_expiry(const CardValidity& validity) {
    return validity.expires_on ? iso_day(*validity.expires_on) : "none";
}

std::string printed_expiry(const CardValidity& validity) {
    return validity.expires_on ? vietnamese_day(*validity.expires_on) : std::string(kNoExpiryWords);
}

std::optional<chr::year_month_day> parse_iso_day(std::string_view text) noexcept {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
        int value = 0;
        const char* first = text.data() + from;
        const char* last = first + length;
        for (const char* p = first; p != last; ++p) {
            if (*p < '0' || *p > '9') return std::nullopt;
        }
        std::from_chars(first, last, value);
        return value;
    };
    const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
    if (!year || !month || !day) return std::nullopt;
    const chr::year_month_day date{chr::year{*year}, chr::month{static_cast<unsigned>(*month)},
                                   chr::day{static_cast<unsigned>(*day)}};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string iso_day(chr::year_month_day day) {
    return four_digits(static_cast<int>(day.year())) + "-" + two_digits(static_cast<unsigned>(day.month())) + "-" +
           two_digits(static_cast<unsigned>(day.day()));
}

std::string vietnamese_day(chr::year_month_day day) {
    return two_digits(static_cast<unsigned>(day.day())) + "/" + two_digits(static_cast<unsigned>(day.month())) + "/" +
           four_digits(static_cast<int>(day.year()));
}

}  // namespace cccd::identity
