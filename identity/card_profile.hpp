#pragma once
// Card profiles: one record per kind of card, so the issuance API, the station, personalization and
// the card face read what a card must have from data instead of branching on dates and ages. Each
// profile fixes the generation (and with it the validity rule, identity/validity.hpp), what enrollment
// must capture, who applies, the printed layout, the QR format and side, and the chip's data groups.
// docs/card-profiles.md explains each one and every assumption where the public record is silent
// (shared/reference/can-cuoc-2024.md; the tags [C] [S] [I] [?] are that file's).
//
//   id             issued   holder        photo  fingerprints  iris  representative  QR      DG2
//   cccd-2021      no (1)   14 and over   yes    yes (2)       no    no              front,7 face
//   cc-2024-u6     yes      under 6       no     no            no    required        back,11 absent (3)
//   cc-2024        yes      6 and over    yes    ten           yes   under 14        back,11 face
//
//   (1) read, verified and renewed: no new CCCD since 1 July 2024 (Law 26/2023/QH15 Art. 46)
//   (2) captured at enrollment under Circular 06/2021; this system never writes them to the chip
//   (3) [?] on real cards; an assumption kept in one place: Dg2Content
#include <optional>
#include <span>
#include <vector>
#include <string>
#include <string_view>

#include "identity/card_qr.hpp"
#include "identity/validity.hpp"

namespace cccd::identity {

enum class CardProfileId { Cccd2021, CanCuoc2024Under6, CanCuoc2024 };

enum class PrintedLayout {
    Cccd2021,              // Circular 06/2021: title "CĂN CƯỚC CÔNG DÂN", QR and expiry on the front
    CanCuoc2024NoPhoto,    // Circular 16/2024 Art. 3(4): front without a photo
    CanCuoc2024WithPhoto   // Circular 16/2024 Art. 3(5)
};

enum class CardSide { Front, Back };

// What the chip's DG2 holds for the profile.
enum class Dg2Content {
    Face,   // the enrollment photo (ICAO 9303-10 FaceImage)
    Absent  // no DG2 on the chip, and none listed in EF.COM or EF.SOD
};

struct EnrollmentRules {
    bool photo = true;                    // a face photo must be taken
    int fingerprints = 0;                 // how many fingerprints must be captured (the chip never gets them)
    bool iris = false;
    // A legal representative (their ID number, name and relationship) applies for a holder below this
    // age (Law 26/2023/QH15 Art. 23(2)): the child under 6 online, the child of 6 to 14 beside them.
    int representative_below_age = 0;
    bool applicant_present = true;        // false: the representative applies online for the child
    friend bool operator==(const EnrollmentRules&, const EnrollmentRules&) = default;
};

struct CardProfile {
    CardProfileId id;
    std::string_view code;        // "cc-2024", as the registry and the JSON record write it
    std::string_view name_vi;     // for people: "Căn cước (từ 6 tuổi)"
    std::string_view name_en;
    CardGeneration generation;
    bool issued_now;              // false: read, verify and renew only
    int min_age;                  // at the date of issue, inclusive
    std::optional<int> max_age;   // exclusive; none: no upper bound
    EnrollmentRules enrollment;
    PrintedLayout layout;
    std::string_view title_vi;    // "CĂN CƯỚC"
    std::string_view title_en;    // "IDENTITY CARD"
    QrFormat qr_format;
    CardSide qr_side;
    CardSide expiry_side;
    bool qr_parents;              // whether the QR carries the parents' names (the trailing fields)
    Dg2Content dg2;
    bool old_ids_in_chip;         // the old CMND and cancelled ID numbers in DG13 (Decree 58/2026)

    friend bool operator==(const CardProfile&, const CardProfile&) = default;
};

// Every profile, in the order of the table above.
std::span<const CardProfile> card_profiles() noexcept;
const CardProfile& card_profile(CardProfileId id) noexcept;
// By its code; nothing for an unknown one.
const CardProfile* card_profile_by_code(std::string_view code) noexcept;

// The profile a card issued today gets for a holder of `age_at_issue` (completed years): the issued
// profile whose age band holds it. Never the 2021 CCCD.
const CardProfile& profile_for_new_card(int age_at_issue) noexcept;

// The profile of a card issued on `date_of_issue` to a holder born on `date_of_birth` (YYYY-MM-DD): the
// 2021 CCCD before kCanCuocFirstIssueDay, else profile_for_new_card(age at issue). InvalidArgument for
// a malformed date or a date of issue before the birth.
const CardProfile& profile_for_card(std::string_view date_of_birth_iso, std::string_view date_of_issue_iso);

// What an enrollment must bring for `profile`, in the officer's words (Vietnamese), one line per
// missing or refused thing; empty when it is complete. `age_at_issue` must fall in the profile's band.
struct EnrollmentCapture {
    int age_at_issue = 0;
    bool has_photo = false;
    int fingerprints = 0;
    bool has_iris = false;
    bool has_representative = false;
};
std::vector<std::string> enrollment_problems(const CardProfile& profile, const EnrollmentCapture& capture);

}  // namespace cccd::identity
