#include "identity/enrollment_record.hpp"

#include <algorithm>
#include <utility>

#include "base/error.hpp"
#include "identity/id_number.hpp"
#include "identity/record_json.hpp"

namespace cccd::identity {

namespace {

bool is_twelve_digits(std::string_view text) {
    return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const CardProfile& profile_of(const EnrollmentRecord& record) {
    if (record.card_profile.empty()) return profile_for_card(record.date_of_birth, iso_date(record.person.date_of_issue));
    const CardProfile* named = card_profile_by_code(record.card_profile);
    if (named == nullptr) throw InvalidArgument("unknown card profile \"" + record.card_profile + "\"");
    return *named;
}

std::vector<std::string> record_profile_problems(const EnrollmentRecord& record) {
    std::vector<std::string> out;
    const CardProfile* named = nullptr;
    if (!record.card_profile.empty()) {
        named = card_profile_by_code(record.card_profile);
        if (named == nullptr) {
            out.push_back("Loại thẻ \"" + record.card_profile + "\" không có");
            return out;
        }
    }
    std::string date_of_issue;
    const CardProfile* by_dates = nullptr;
    try {
        date_of_issue = iso_date(record.person.date_of_issue);
        by_dates = &profile_for_card(record.date_of_birth, date_of_issue);
    } catch (const Error&) {
        out.push_back("Ngày sinh hoặc ngày cấp không hợp lệ");
        return out;
    }
    if (named != nullptr && named != by_dates) {
        out.push_back("Loại thẻ " + std::string(named->name_vi) + " không đúng với tuổi và ngày cấp (phải là " +
                      std::string(by_dates->name_vi) + ")");
    }
    // The rest is checked against the profile the dates give: a wrongly named one is said once above.
    const CardProfile& profile = *by_dates;
    const CardValidity validity = card_validity(profile.generation, record.date_of_birth, date_of_issue);
    const std::string expiry = record_expiry(validity);
    if (record.date_of_expiry != expiry) {
        out.push_back("Ngày hết hạn phải là " + printed_expiry(validity) + " theo quy định về thời hạn thẻ");
    }
    if (profile.enrollment.photo && record.photo_jpeg.empty()) out.push_back("Chưa có ảnh chân dung");
    if (!profile.enrollment.photo && !record.photo_jpeg.empty()) {
        out.push_back("Thẻ " + std::string(profile.name_vi) + " không có ảnh chân dung");
    }
    if (validity.age_at_issue < profile.enrollment.representative_below_age && !record.representative) {
        out.push_back("Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ)");
    }
    if (const auto& rep = record.representative) {
        if (!is_twelve_digits(rep->personal_id)) out.push_back("Số định danh của người đại diện phải có 12 chữ số");
        else if (rep->personal_id == record.person.personal_id)
            out.push_back("Người đại diện không thể là chính người được cấp thẻ");
        if (rep->full_name.empty()) out.push_back("Thiếu họ tên người đại diện");
        if (rep->relationship.empty()) out.push_back("Thiếu quan hệ của người đại diện với người được cấp thẻ");
    }
    for (const auto& cancelled : record.person.cancelled_ids) {
        if (!is_twelve_digits(cancelled)) out.push_back("Số định danh đã hủy \"" + cancelled + "\" phải có 12 chữ số");
        else if (cancelled == record.person.personal_id)
            out.push_back("Số định danh đã hủy không thể là số định danh hiện tại");
    }
    return out;
}

EnrollmentRecord enrollment_record_of(const Citizen& c) {
    EnrollmentRecord r;
    r.person = c.person;
    r.sex = c.sex;
    r.date_of_birth = c.date_of_birth;
    r.date_of_expiry = c.person.date_of_expiry == kNoExpiryWords ? "none" : iso_date(c.person.date_of_expiry);
    r.photo_jpeg = c.photo_jpeg;
    return r;
}

EnrollmentRecord new_card_record(const Citizen& citizen, std::string_view date_of_issue) {
    const std::optional<std::chrono::year_month_day> issued = parse_iso_day(date_of_issue);
    if (!issued) throw InvalidArgument("the date of issue must be a real date written YYYY-MM-DD");
    const CardProfile& profile = profile_for_card(citizen.date_of_birth, date_of_issue);
    const CardValidity validity = card_validity(profile.generation, citizen.date_of_birth, date_of_issue);
    EnrollmentRecord r = enrollment_record_of(citizen);
    r.person.date_of_issue = vietnamese_day(*issued);
    r.person.date_of_expiry = printed_expiry(validity);
    r.person.card_serial.reset();
    r.date_of_expiry = record_expiry(validity);
    r.card_profile = std::string(profile.code);
    return r;
}

Citizen citizen_of(EnrollmentRecord r) {
    if (!id_number_agrees(r.person.personal_id, r.sex, r.date_of_birth)) {
        throw ParseError("the ID number " + r.person.personal_id +
                         " does not agree with the sex, the birth year or a province code");
    }
    Citizen c;
    c.person = std::move(r.person);
    c.sex = r.sex;
    c.date_of_birth = std::move(r.date_of_birth);
    c.province_code = c.person.personal_id.substr(0, 3);
    c.photo_jpeg = std::move(r.photo_jpeg);
    c.status = CitizenStatus::Active;
    return c;
}

}  // namespace cccd::identity
