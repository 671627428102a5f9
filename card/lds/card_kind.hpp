#pragma once
// What kind of card a read found, for `cccd-card read`, the station's card check and the kiosk: its
// card profile and generation from DG13's dates of birth and issue (identity::profile_for_card: the
// 2021 CCCD before 1 July 2024, else the Căn cước by the age at issue), whether it carries a face (DG2;
// the under-6 card has none, docs/card-profiles.md A4), and every DG13 field it has by label, unknown
// field numbers included.
#include <map>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/lds/dg13.hpp"
#include "identity/card_profile.hpp"

namespace cccd::lds {

struct Dg13Line {
    int number = 0;
    std::string label_vi;  // "Số định danh cá nhân"; "Trường 18" for a number this code does not know
    std::string label_en;  // "Personal ID number"; "Field 18"
    std::string value;     // the texts joined by "; " (father; mother), "" for none, hex for a raw field
};

struct CardKind {
    const identity::CardProfile* profile = nullptr;  // none: no DG13, or its dates give no profile
    bool has_face = false;                           // the card has a DG2
    std::string problem;                             // why there is no profile (for logs), else empty
    std::vector<Dg13Line> fields;                    // DG13's fields in the order stored; empty without DG13

    // DG2 is there exactly when the profile says (Dg2Content); true without a profile.
    bool face_as_profile_says() const noexcept;
};

// Every field of a DG13, by label.
std::vector<Dg13Line> dg13_lines(const Dg13& dg13);

// The kind of the card whose files (by name: "DG2", "DG13", ...) were read. A DG13 that does not decode
// or dates that give no profile leave `profile` empty and say why in `problem`; nothing throws.
CardKind card_kind(const std::map<std::string, Bytes>& files);

}  // namespace cccd::lds
