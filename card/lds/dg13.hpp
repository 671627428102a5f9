#pragma once
// DG13 of the Vietnamese CCCD (tag 6D): the holder's personal data in Vietnamese, as UTF-8.
//   6D { SEQUENCE { INTEGER version, OID 1.0.10646.1.0.8, SET { SEQUENCE { INTEGER n, value... } ... } } }
// Fields are looked up by n, kept in the order found (real cards do not sort the SET), and each text
// remembers its string type, so a decoded DG13 re-encodes to the same bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "card/tlv/tlv.hpp"
#include "identity/person.hpp"

namespace cccd::lds {

inline constexpr std::string_view kDg13CharsetOid = "1.0.10646.1.0.8";  // UTF-8 (ISO/IEC 10646)

// Field numbers (cccd-chip.md, "DG13").
enum Dg13FieldNumber : int {
    kDg13PersonalId = 1, kDg13FullName = 2, kDg13DateOfBirth = 3, kDg13Sex = 4, kDg13Nationality = 5,
    kDg13Ethnicity = 6, kDg13Religion = 7, kDg13PlaceOfOrigin = 8, kDg13PlaceOfResidence = 9,
    kDg13IdentifyingFeatures = 10, kDg13DateOfIssue = 11, kDg13DateOfExpiry = 12, kDg13Parents = 13,
    kDg13Spouse = 14, kDg13OldId = 15, kDg13CardSerial = 16,
    // Not on 2021 cards: the personal ID numbers cancelled before the current one, one PrintableString
    // each, written only when there are any. Decree 58/2026 puts them in the chip; where is not public,
    // so field 17 is this system's assumption (docs/card-profiles.md, A5).
    kDg13CancelledIds = 17,
};

// One text of a field: directly after the number, or wrapped in its own SEQUENCE (fields 13 and 14).
struct Dg13Text {
    std::string text;                            // UTF-8
    tlv::Tag string_type = tlv::asn1::kUtf8String;  // 0C UTF8String, 13 PrintableString or 16 IA5String
    bool in_sequence = false;
    friend bool operator==(const Dg13Text&, const Dg13Text&) = default;
};

struct Dg13Field {
    int number = 0;
    std::vector<Dg13Text> texts;  // empty for "none" (field 14 without a spouse)
    // For a field number this code does not know and whose shape is not texts: the whole field
    // SEQUENCE as found, re-emitted unchanged. Empty otherwise.
    Bytes raw;
    friend bool operator==(const Dg13Field&, const Dg13Field&) = default;
};

struct Dg13 {
    int version = 1;
    std::string charset_oid = std::string(kDg13CharsetOid);
    std::vector<Dg13Field> fields;  // in the order stored

    // The field with number n, or nullptr.
    const Dg13Field* field(int number) const;
    // The index-th text of field n, if present.
    std::optional<std::string> text(int number, std::size_t index = 0) const;

    std::optional<std::string> personal_id() const { return text(kDg13PersonalId); }
    std::optional<std::string> full_name() const { return text(kDg13FullName); }
    std::optional<std::string> date_of_birth() const { return text(kDg13DateOfBirth); }
    std::optional<std::string> sex() const { return text(kDg13Sex); }
    std::optional<std::string> nationality() const { return text(kDg13Nationality); }
    std::optional<std::string> ethnicity() const { return text(kDg13Ethnicity); }
    std::optional<std::string> religion() const { return text(kDg13Religion); }
    std::optional<std::string> place_of_origin() const { return text(kDg13PlaceOfOrigin); }
    std::optional<std::string> place_of_residence() const { return text(kDg13PlaceOfResidence); }
    std::optional<std::string> identifying_features() const { return text(kDg13IdentifyingFeatures); }
    std::optional<std::string> date_of_issue() const { return text(kDg13DateOfIssue); }
    std::optional<std::string> date_of_expiry() const { return text(kDg13DateOfExpiry); }
    std::optional<std::string> father_name() const { return text(kDg13Parents, 0); }
    std::optional<std::string> mother_name() const { return text(kDg13Parents, 1); }
    std::optional<std::string> spouse_name() const { return text(kDg13Spouse); }
    std::optional<std::string> old_id() const { return text(kDg13OldId); }
    std::optional<std::string> card_serial() const { return text(kDg13CardSerial); }

    friend bool operator==(const Dg13&, const Dg13&) = default;
};

// The holder's data as plain values (identity/person.hpp), for issuing a card.
using Dg13Person = identity::Person;

// A DG13 with fields 1..16 in ascending order and the string types real cards use.
Dg13 make_dg13(const Dg13Person& person);

// The plain values of a decoded DG13; absent mandatory fields become empty strings.
Dg13Person dg13_person(const Dg13& dg13);

// English and Vietnamese names of a field number ("Full name", "Họ và tên"); "" when unknown.
std::string_view dg13_field_label(int number);
std::string_view dg13_field_label_vi(int number);

Bytes encode(const Dg13& dg13);
Dg13 decode_dg13(ByteView bytes);

}  // namespace cccd::lds
