#pragma once
// A citizen's identity as the register keeps it and a card's DG13 carries it: every field as plain
// UTF-8 text, dates as printed (dd/mm/yyyy). card/lds encodes it (lds::Dg13Person names this type).
#include <optional>
#include <string>
#include <vector>

namespace cccd::identity {

struct Person {
    std::string personal_id;           // 12 digits
    std::string full_name;
    std::string date_of_birth;         // dd/mm/yyyy
    std::string sex;                   // "Nam" / "Nữ"
    std::string nationality;           // "Việt Nam"
    std::string ethnicity;
    std::string religion;
    std::string place_of_origin;
    std::string place_of_residence;
    std::string identifying_features;
    std::string date_of_issue;         // dd/mm/yyyy
    std::string date_of_expiry;        // dd/mm/yyyy or the words for "no expiry"
    std::string father_name;
    std::string mother_name;
    std::optional<std::string> spouse_name;
    std::optional<std::string> old_id;       // 9 digits (CMND)
    std::optional<std::string> card_serial;  // 16 characters
    // Personal ID numbers (12 digits) this person held before and that were cancelled; with old_id they
    // go into the QR, DG13 and the register (Decree 58/2026, from 15 March 2026).
    std::vector<std::string> cancelled_ids;
    friend bool operator==(const Person&, const Person&) = default;
};

}  // namespace cccd::identity
