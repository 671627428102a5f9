#pragma once
// The population register's two records, as plain values: a citizen and each card issued to one. The
// server stores them, the authentication pipeline reads them (auth/registry.hpp). Dates are ISO 8601
// text (YYYY-MM-DD; instants YYYY-MM-DDTHH:MM:SSZ, UTC).
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "identity/person.hpp"

namespace cccd::identity {

// ---- citizens: the population register ----
enum class CitizenStatus { Active, Deceased };
std::string_view to_string(CitizenStatus s);
std::optional<CitizenStatus> citizen_status_from(std::string_view text);

struct Citizen {
    Person person;                      // every DG13 field; person.personal_id (12 digits) is the key
    char sex = 'F';                     // MRZ sex, F or M
    std::string date_of_birth;          // YYYY-MM-DD (person.date_of_birth holds dd/mm/yyyy for DG13)
    std::string province_code;          // 3 digits, the first three of the ID number (e.g. "079")
    Bytes photo_jpeg;                   // may be empty until an enrollment brings one
    CitizenStatus status = CitizenStatus::Active;
    std::string updated_at;             // instant of the last change
    friend bool operator==(const Citizen&, const Citizen&) = default;
};

// ---- cards: the card registry ----
// Replaced: a newer card of the same personal ID was activated (a renewal, a 2021 CCCD renewed into a
// Căn cước): the old card is no longer valid from that moment.
enum class CardStatus { Personalizing, Issued, Suspended, Revoked, Lost, Expired, Replaced };
std::string_view to_string(CardStatus s);
std::optional<CardStatus> card_status_from(std::string_view text);

// A CCCD's MRZ document number is the last 9 digits of the holder's ID number (cccd-chip.md), so it
// is the same on every card a citizen ever holds. Each physical card gets its own `card_number`,
// allocated by the server and written to DG13 field 16 (card serial): that is the registry's key.
struct Card {
    std::string card_number;            // 16 characters, unique, allocated by the server (DG13 card serial)
    std::string document_number;        // 9 digits as in the MRZ (the last 9 of the ID); not unique over time
    std::string personal_id;            // whose card
    std::string card_profile;           // its profile's code: "cccd-2021", "cc-2024-u6", "cc-2024" (card_profile.hpp)
    Bytes chip_serial;                  // from GET DATA, empty until the station reports it
    CardStatus status = CardStatus::Personalizing;
    Bytes sod_digest;                   // SHA-256 of EF.SOD as signed (pinned at issuance)
    Bytes active_auth_public_key;       // SubjectPublicKeyInfo DER (DG15)
    Bytes chip_auth_public_key;         // SubjectPublicKeyInfo DER (DG14)
    Bytes ds_certificate;               // DER of the Document Signer that signed the SOD
    std::string date_of_issue;          // YYYY-MM-DD
    std::string date_of_expiry;         // YYYY-MM-DD or "none"
    std::string station_id;
    std::string officer_id;
    std::string updated_at;
    friend bool operator==(const Card&, const Card&) = default;
};

}  // namespace cccd::identity
