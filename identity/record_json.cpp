#include "identity/record_json.hpp"

#include <boost/json.hpp>

#include <optional>
#include <set>
#include <vector>

#include "base/error.hpp"

namespace cccd::identity {

namespace {

constexpr std::size_t kMaxRecordBytes = 64 * 1024;
constexpr std::size_t kMaxFieldBytes = 1024;

const std::set<std::string, std::less<>> kKnownKeys = {
    "personal_id", "full_name", "sex", "date_of_birth", "date_of_expiry", "date_of_issue", "nationality",
    "ethnicity", "religion", "place_of_origin", "place_of_residence", "identifying_features", "father_name",
    "mother_name", "spouse_name", "old_id", "card_serial", "cancelled_ids", "card_profile", "representative"};
const std::set<std::string, std::less<>> kRepresentativeKeys = {"personal_id", "full_name", "relationship"};
constexpr std::size_t kMaxCancelledIds = 16;

std::optional<std::string> optional_text(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_string()) throw ParseError("the record's \"" + std::string(key) + "\" must be text");
    std::string value(it->value().as_string());
    if (value.size() > kMaxFieldBytes) throw ParseError("the record's \"" + std::string(key) + "\" is too long");
    return value;
}

std::string required_text(const boost::json::object& o, std::string_view key) {
    auto value = optional_text(o, key);
    if (!value || value->empty()) throw ParseError("the record has no \"" + std::string(key) + "\"");
    return *value;
}

// YYYY-MM-DD -> dd/mm/yyyy, as DG13 stores dates.
std::string dg13_date(const std::string& iso, std::string_view key) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') {
        throw ParseError("the record's \"" + std::string(key) + "\" must be a date YYYY-MM-DD");
    }
    return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::vector<std::string> text_list(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return {};
    if (!it->value().is_array()) throw ParseError("the record's \"" + std::string(key) + "\" must be a list of texts");
    const auto& items = it->value().as_array();
    if (items.size() > kMaxCancelledIds) throw ParseError("the record's \"" + std::string(key) + "\" is too long");
    std::vector<std::string> out;
    for (const auto& item : items) {
        if (!item.is_string()) throw ParseError("the record's \"" + std::string(key) + "\" must be a list of texts");
        if (item.as_string().size() > kMaxFieldBytes) throw ParseError("the record's \"" + std::string(key) + "\" is too long");
        out.emplace_back(item.as_string());
    }
    return out;
}

std::optional<Representative> representative_of(const boost::json::object& o) {
    auto it = o.find("representative");
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_object()) throw ParseError("the record's \"representative\" must be an object");
    const auto& r = it->value().as_object();
    for (const auto& item : r) {
        if (kRepresentativeKeys.count(std::string_view(item.key())) == 0)
            throw ParseError("the record's representative has an unknown field \"" + std::string(item.key()) + "\"");
    }
    Representative out;
    out.personal_id = optional_text(r, "personal_id").value_or("");
    out.full_name = optional_text(r, "full_name").value_or("");
    out.relationship = optional_text(r, "relationship").value_or("");
    return out;
}

}  // namespace

std::string iso_date(const std::string& dmy) {
    if (dmy.size() != 10 || dmy[2] != '/' || dmy[5] != '/') throw InvalidArgument("a DG13 date must be dd/mm/yyyy");
    return dmy.substr(6, 4) + "-" + dmy.substr(3, 2) + "-" + dmy.substr(0, 2);
}

std::string to_json(const EnrollmentRecord& r) {
    const auto& p = r.person;
    boost::json::object o;
    o["personal_id"] = p.personal_id;
    o["full_name"] = p.full_name;
    o["sex"] = std::string(1, r.sex);
    o["date_of_birth"] = r.date_of_birth;
    o["date_of_expiry"] = r.date_of_expiry;
    o["date_of_issue"] = iso_date(p.date_of_issue);
    o["nationality"] = p.nationality;
    o["ethnicity"] = p.ethnicity;
    o["religion"] = p.religion;
    o["place_of_origin"] = p.place_of_origin;
    o["place_of_residence"] = p.place_of_residence;
    if (!p.identifying_features.empty()) o["identifying_features"] = p.identifying_features;
    if (!p.father_name.empty()) o["father_name"] = p.father_name;
    if (!p.mother_name.empty()) o["mother_name"] = p.mother_name;
    if (p.spouse_name) o["spouse_name"] = *p.spouse_name;
    if (p.old_id) o["old_id"] = *p.old_id;
    if (p.card_serial) o["card_serial"] = *p.card_serial;
    if (!p.cancelled_ids.empty()) {
        boost::json::array ids;
        for (const auto& id : p.cancelled_ids) ids.emplace_back(id);
        o["cancelled_ids"] = std::move(ids);
    }
    if (!r.card_profile.empty()) o["card_profile"] = r.card_profile;
    if (r.representative) {
        o["representative"] = boost::json::object{{"personal_id", r.representative->personal_id},
                                                  {"full_name", r.representative->full_name},
                                                  {"relationship", r.representative->relationship}};
    }
    return boost::json::serialize(o);
}

EnrollmentRecord parse_enrollment_record(std::string_view json) {
    if (json.size() > kMaxRecordBytes) throw ParseError("the record is larger than 64 KB");
    boost::system::error_code error;
    boost::json::value root = boost::json::parse(json, error);
    if (error) throw ParseError("the record is not valid JSON: " + error.message());
    if (!root.is_object()) throw ParseError("the record must be a JSON object");
    const auto& o = root.as_object();
    for (const auto& item : o) {
        if (kKnownKeys.count(std::string_view(item.key())) == 0) {
            throw ParseError("the record has an unknown field \"" + std::string(item.key()) + "\"");
        }
    }
    EnrollmentRecord r;
    auto& p = r.person;
    p.personal_id = required_text(o, "personal_id");
    p.full_name = required_text(o, "full_name");
    std::string sex = required_text(o, "sex");
    if (sex == "F" || sex == "Nữ") {
        r.sex = 'F';
        p.sex = "Nữ";
    } else if (sex == "M" || sex == "Nam") {
        r.sex = 'M';
        p.sex = "Nam";
    } else {
        throw ParseError("the record's \"sex\" must be F (Nữ) or M (Nam)");
    }
    r.date_of_birth = required_text(o, "date_of_birth");
    p.date_of_birth = dg13_date(r.date_of_birth, "date_of_birth");
    r.date_of_expiry = required_text(o, "date_of_expiry");
    p.date_of_expiry = r.date_of_expiry == "none" ? std::string(kNoExpiryWords) : dg13_date(r.date_of_expiry, "date_of_expiry");
    p.date_of_issue = dg13_date(required_text(o, "date_of_issue"), "date_of_issue");
    p.nationality = optional_text(o, "nationality").value_or("Việt Nam");
    p.ethnicity = required_text(o, "ethnicity");
    p.religion = optional_text(o, "religion").value_or("Không");
    p.place_of_origin = required_text(o, "place_of_origin");
    p.place_of_residence = required_text(o, "place_of_residence");
    p.identifying_features = optional_text(o, "identifying_features").value_or("");
    p.father_name = optional_text(o, "father_name").value_or("");
    p.mother_name = optional_text(o, "mother_name").value_or("");
    p.spouse_name = optional_text(o, "spouse_name");
    p.old_id = optional_text(o, "old_id");
    p.card_serial = optional_text(o, "card_serial");
    p.cancelled_ids = text_list(o, "cancelled_ids");
    r.card_profile = optional_text(o, "card_profile").value_or("");
    r.representative = representative_of(o);
    return r;
}

}  // namespace cccd::identity
