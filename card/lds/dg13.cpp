#include "card/lds/dg13.hpp"

#include <set>

#include "base/error.hpp"
#include "card/lds/reading.hpp"

namespace cccd::lds {

namespace {

constexpr std::string_view kWhat = "DG13";
constexpr tlv::Tag kDg13Tag = 0x6D;
constexpr std::uint64_t kMaxFieldNumber = 0x7FFFFFFF;
constexpr int kLastKnownField = 17;

using tlv::asn1::kPrintableString;
using tlv::asn1::kUtf8String;

struct Label {
    std::string_view en;
    std::string_view vi;
};

constexpr Label kLabels[kLastKnownField] = {
    {"Personal ID number", "Số định danh cá nhân"},
    {"Full name", "Họ và tên"},
    {"Date of birth", "Ngày sinh"},
    {"Sex", "Giới tính"},
    {"Nationality", "Quốc tịch"},
    {"Ethnicity", "Dân tộc"},
    {"Religion", "Tôn giáo"},
    {"Place of origin", "Quê quán"},
    {"Place of residence", "Nơi thường trú"},
    {"Identifying features", "Đặc điểm nhận dạng"},
    {"Date of issue", "Ngày cấp"},
    {"Date of expiry", "Có giá trị đến"},
    {"Father and mother", "Họ tên cha, mẹ"},
    {"Spouse", "Họ tên vợ/chồng"},
    {"Old ID number (CMND)", "Số CMND cũ"},
    {"Card serial", "Số thẻ"},
    {"Cancelled personal ID numbers", "Số định danh cá nhân đã hủy"},
};

std::string field_what(int number) { return "DG13 field " + std::to_string(number); }

// The texts after the field number: each a string, or a SEQUENCE holding exactly one string.
std::vector<Dg13Text> read_texts(tlv::Reader& r, const std::string& what) {
    std::vector<Dg13Text> texts;
    while (!r.at_end()) {
        auto item = detail::next_element(r, what);
        Dg13Text t;
        if (item.tag == tlv::asn1::kSequence) {
            auto inner = tlv::read_element(item.value);
            if (inner.raw.size() != item.value.size()) detail::fail(what, "a SEQUENCE holds more than one text");
            t.in_sequence = true;
            t.string_type = detail::text_type(inner.tag);
            t.text = detail::read_text(inner, what);
        } else {
            t.string_type = detail::text_type(item.tag);
            t.text = detail::read_text(item, what);
        }
        texts.push_back(std::move(t));
    }
    return texts;
}

Dg13Field read_field(const tlv::Element& element) {
    detail::require_tag(element, tlv::asn1::kSequence, kWhat);
    tlv::Reader r(element.value);
    Dg13Field field;
    field.number = static_cast<int>(
        detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, kWhat), kMaxFieldNumber, kWhat));
    std::string what = field_what(field.number);
    if (field.number >= 1 && field.number <= kLastKnownField) {
        field.texts = read_texts(r, what);
        return field;
    }
    // A field this code does not know: read it as texts when it has that shape, else keep it whole.
    try {
        field.texts = read_texts(r, what);
    } catch (const ParseError&) {
        field.texts.clear();
        field.raw.assign(element.raw.begin(), element.raw.end());
    }
    return field;
}

Bytes encode_field(const Dg13Field& field) {
    std::string what = field_what(field.number);
    if (field.number < 0) throw InvalidArgument("DG13: a field number is negative");
    if (!field.raw.empty()) {
        if (!field.texts.empty()) throw InvalidArgument(what + ": has both raw bytes and texts");
        auto e = tlv::read_single(field.raw, tlv::asn1::kSequence);
        tlv::Reader r(e.value);
        auto n = detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, what), kMaxFieldNumber, what);
        if (n != static_cast<std::uint64_t>(field.number)) throw InvalidArgument(what + ": raw bytes carry another field number");
        return field.raw;
    }
    Bytes inner = tlv::asn1::encode_integer(static_cast<std::uint64_t>(field.number));
    for (const auto& t : field.texts) {
        detail::check_text_for_encoding(t.text, t.string_type, what);
        Bytes s = tlv::encode(t.string_type, view(t.text));
        append(inner, t.in_sequence ? tlv::encode(tlv::asn1::kSequence, s) : s);
    }
    return tlv::encode(tlv::asn1::kSequence, inner);
}

Dg13Field text_field(int number, std::string text, tlv::Tag type, bool in_sequence = false) {
    return Dg13Field{number, {Dg13Text{std::move(text), type, in_sequence}}, {}};
}

}  // namespace

const Dg13Field* Dg13::field(int number) const {
    for (const auto& f : fields) {
        if (f.number == number) return &f;
    }
    return nullptr;
}

std::optional<std::string> Dg13::text(int number, std::size_t index) const {
    const Dg13Field* f = field(number);
    if (f == nullptr || index >= f->texts.size()) return std::nullopt;
    return f->texts[index].text;
}

std::string_view dg13_field_label(int number) {
    if (number < 1 || number > kLastKnownField) return {};
    return kLabels[number - 1].en;
}

std::string_view dg13_field_label_vi(int number) {
    if (number < 1 || number > kLastKnownField) return {};
    return kLabels[number - 1].vi;
}

Dg13 make_dg13(const Dg13Person& p) {
    Dg13 d;
    d.fields.push_back(text_field(kDg13PersonalId, p.personal_id, kPrintableString));
    d.fields.push_back(text_field(kDg13FullName, p.full_name, kUtf8String));
    d.fields.push_back(text_field(kDg13DateOfBirth, p.date_of_birth, kPrintableString));
    d.fields.push_back(text_field(kDg13Sex, p.sex, kUtf8String));
    d.fields.push_back(text_field(kDg13Nationality, p.nationality, kUtf8String));
    d.fields.push_back(text_field(kDg13Ethnicity, p.ethnicity, kUtf8String));
    d.fields.push_back(text_field(kDg13Religion, p.religion, kUtf8String));
    d.fields.push_back(text_field(kDg13PlaceOfOrigin, p.place_of_origin, kUtf8String));
    d.fields.push_back(text_field(kDg13PlaceOfResidence, p.place_of_residence, kUtf8String));
    d.fields.push_back(text_field(kDg13IdentifyingFeatures, p.identifying_features, kUtf8String));
    d.fields.push_back(text_field(kDg13DateOfIssue, p.date_of_issue, kPrintableString));
    d.fields.push_back(text_field(kDg13DateOfExpiry, p.date_of_expiry, kUtf8String));
    d.fields.push_back(Dg13Field{kDg13Parents,
                                 {Dg13Text{p.father_name, kUtf8String, true}, Dg13Text{p.mother_name, kUtf8String, true}},
                                 {}});
    Dg13Field spouse{kDg13Spouse, {}, {}};
    if (p.spouse_name) spouse.texts.push_back(Dg13Text{*p.spouse_name, kUtf8String, true});
    d.fields.push_back(std::move(spouse));
    if (p.old_id) d.fields.push_back(text_field(kDg13OldId, *p.old_id, kPrintableString));
    if (p.card_serial) d.fields.push_back(text_field(kDg13CardSerial, *p.card_serial, kPrintableString));
    if (!p.cancelled_ids.empty()) {
        Dg13Field cancelled{kDg13CancelledIds, {}, {}};
        for (const auto& id : p.cancelled_ids) cancelled.texts.push_back(Dg13Text{id, kPrintableString, false});
        d.fields.push_back(std::move(cancelled));
    }
    return d;
}

Dg13Person dg13_person(const Dg13& d) {
    Dg13Person p;
    p.personal_id = d.personal_id().value_or("");
    p.full_name = d.full_name().value_or("");
    p.date_of_birth = d.date_of_birth().value_or("");
    p.sex = d.sex().value_or("");
    p.nationality = d.nationality().value_or("");
    p.ethnicity = d.ethnicity().value_or("");
    p.religion = d.religion().value_or("");
    p.place_of_origin = d.place_of_origin().value_or("");
    p.place_of_residence = d.place_of_residence().value_or("");
    p.identifying_features = d.identifying_features().value_or("");
    p.date_of_issue = d.date_of_issue().value_or("");
    p.date_of_expiry = d.date_of_expiry().value_or("");
    p.father_name = d.father_name().value_or("");
    p.mother_name = d.mother_name().value_or("");
    p.spouse_name = d.spouse_name();
    p.old_id = d.old_id();
    p.card_serial = d.card_serial();
    if (const Dg13Field* cancelled = d.field(kDg13CancelledIds)) {
        for (const auto& t : cancelled->texts) p.cancelled_ids.push_back(t.text);
    }
    return p;
}

Bytes encode(const Dg13& dg13) {
    if (dg13.version < 0) throw InvalidArgument("DG13: the version is negative");
    std::set<int> seen;
    Bytes set_content;
    for (const auto& f : dg13.fields) {
        if (!seen.insert(f.number).second) throw InvalidArgument(field_what(f.number) + " appears twice");
        append(set_content, encode_field(f));
    }
    return tlv::encode(kDg13Tag,
                       tlv::encode_constructed(tlv::asn1::kSequence,
                                               {tlv::asn1::encode_integer(static_cast<std::uint64_t>(dg13.version)),
                                                tlv::asn1::encode_oid(dg13.charset_oid),
                                                tlv::encode(tlv::asn1::kSet, set_content)}));
}

Dg13 decode_dg13(ByteView bytes) {
    auto outer = detail::read_one(bytes, kDg13Tag, kWhat);
    auto seq = detail::read_one(outer.value, tlv::asn1::kSequence, kWhat);
    tlv::Reader r(seq.value);
    Dg13 d;
    d.version = static_cast<int>(detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, kWhat), 0x7FFFFFFF, kWhat));
    d.charset_oid = detail::read_oid(detail::expect_tag(r, tlv::asn1::kOid, kWhat), kWhat);
    auto set = detail::expect_tag(r, tlv::asn1::kSet, kWhat);
    if (!r.at_end()) detail::fail(kWhat, "unexpected data after the set of fields");
    std::set<int> seen;
    tlv::Reader fields(set.value);
    while (!fields.at_end()) {
        Dg13Field f = read_field(fields.next());
        if (!seen.insert(f.number).second) detail::fail(kWhat, "field " + std::to_string(f.number) + " appears twice");
        d.fields.push_back(std::move(f));
    }
    return d;
}

}  // namespace cccd::lds
