#include "identity/card_profile.hpp"

#include <array>

namespace cccd::identity {
namespace {

constexpr std::array<CardProfile, 3> kProfiles{{
    {
        .id = CardProfileId::Cccd2021,
        .code = "cccd-2021",
        .name_vi = "Căn cước công dân (mẫu 2021)",
        .name_en = "Citizen identity card (2021)",
        .generation = CardGeneration::Cccd2021,
        .issued_now = false,
        .min_age = 14,
        .max_age = std::nullopt,
        .enrollment = {.photo = true, .fingerprints = 2, .iris = false, .representative_below_age = 0, .applicant_present = true},
        .layout = PrintedLayout::Cccd2021,
        .title_vi = "CĂN CƯỚC CÔNG DÂN",
        .title_en = "Citizen Identity Card",
        .qr_format = QrFormat::Cccd2021,
        .qr_side = CardSide::Front,
        .expiry_side = CardSide::Front,
        .qr_parents = false,
        .dg2 = Dg2Content::Face,
        .old_ids_in_chip = true,
    },
    {
        .id = CardProfileId::CanCuoc2024Under6,
        .code = "cc-2024-u6",
        .name_vi = "Căn cước (dưới 6 tuổi)",
        .name_en = "Identity card (under 6)",
        .generation = CardGeneration::CanCuoc2024,
        .issued_now = true,
        .min_age = 0,
        .max_age = 6,
        .enrollment = {.photo = false, .fingerprints = 0, .iris = false, .representative_below_age = 14, .applicant_present = false},
        .layout = PrintedLayout::CanCuoc2024NoPhoto,
        .title_vi = "CĂN CƯỚC",
        .title_en = "IDENTITY CARD",
        .qr_format = QrFormat::CanCuoc2024,
        .qr_side = CardSide::Back,
        .expiry_side = CardSide::Back,
        .qr_parents = true,
        .dg2 = Dg2Content::Absent,
        .old_ids_in_chip = true,
    },
    {
        .id = CardProfileId::CanCuoc2024,
        .code = "cc-2024",
        .name_vi = "Căn cước (từ 6 tuổi)",
        .name_en = "Identity card (6 and over)",
        .generation = CardGeneration::CanCuoc2024,
        .issued_now = true,
        .min_age = 6,
        .max_age = std::nullopt,
        .enrollment = {.photo = true, .fingerprints = 10, .iris = true, .representative_below_age = 14, .applicant_present = true},
        .layout = PrintedLayout::CanCuoc2024WithPhoto,
        .title_vi = "CĂN CƯỚC",
        .title_en = "IDENTITY CARD",
        .qr_format = QrFormat::CanCuoc2024,
        .qr_side = CardSide::Back,
        .expiry_side = CardSide::Back,
        .qr_parents = false,
        .dg2 = Dg2Content::Face,
        .old_ids_in_chip = true,
    },
}};

}  // namespace

std::span<const CardProfile> card_profiles() noexcept { return kProfiles; }

const CardProfile& card_profile(CardProfileId id) noexcept {
    for (const auto& p : kProfiles) {
        if (p.id == id) return p;
    }
    return kProfiles.back();  // unreachable: every id has its profile
}

const CardProfile* card_profile_by_code(std::string_view code) noexcept {
    for (const auto& p : kProfiles) {
        if (p.code == code) return &p;
    }
    return nullptr;
}

const CardProfile& profile_for_new_card(int age_at_issue) noexcept {
    for (const auto& p : kProfiles) {
        if (p.issued_now && age_at_issue >= p.min_age && (!p.max_age || age_at_issue < *p.max_age)) return p;
    }
    return card_profile(CardProfileId::CanCuoc2024);  // a negative age cannot reach here: callers check it
}

const CardProfile& profile_for_card(std::string_view date_of_birth_iso, std::string_view date_of_issue_iso) {
    // card_validity checks both dates and their order, and counts the age the one way every part does.
    const CardValidity validity = card_validity(CardGeneration::CanCuoc2024, date_of_birth_iso, date_of_issue_iso);
    if (date_of_issue_iso < kCanCuocFirstIssueDay) return card_profile(CardProfileId::Cccd2021);
    return profile_for_new_card(validity.age_at_issue);
}

std::vector<std::string> enrollment_problems(const CardProfile& profile, const EnrollmentCapture& capture) {
    std::vector<std::string> out;
    const auto& rules = profile.enrollment;
    if (!profile.issued_now) out.push_back("Thẻ " + std::string(profile.name_vi) + " không còn được cấp từ ngày 01/07/2024");
    if (capture.age_at_issue < profile.min_age || (profile.max_age && capture.age_at_issue >= *profile.max_age)) {
        out.push_back("Tuổi của công dân không thuộc loại thẻ " + std::string(profile.name_vi));
    }
    if (rules.photo && !capture.has_photo) out.push_back("Chưa chụp ảnh chân dung");
    if (!rules.photo && capture.has_photo) out.push_back("Trẻ dưới 6 tuổi không thu nhận ảnh chân dung");
    if (capture.fingerprints < rules.fingerprints) {
        out.push_back("Chưa thu nhận đủ " + std::to_string(rules.fingerprints) + " vân tay");
    }
    if (rules.fingerprints == 0 && capture.fingerprints > 0) out.push_back("Trẻ dưới 6 tuổi không thu nhận vân tay");
    if (rules.iris && !capture.has_iris) out.push_back("Chưa thu nhận mống mắt");
    if (!rules.iris && capture.has_iris && profile.generation == CardGeneration::CanCuoc2024) {
        out.push_back("Trẻ dưới 6 tuổi không thu nhận mống mắt");
    }
    if (capture.age_at_issue < rules.representative_below_age && !capture.has_representative) {
        out.push_back("Thiếu người đại diện hợp pháp (số định danh, họ tên, quan hệ)");
    }
    return out;
}

}  // namespace cccd::identity
