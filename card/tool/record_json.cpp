#include "card/tool/record_json.hpp"

#include <boost/json.hpp>

#include <set>

#include "card/core/error.hpp"

namespace cccd::tool {

namespace {

constexpr std::size_t kMaxRecordBytes = 64 * 1024;
constexpr std::size_t kMaxFieldBytes = 1024;

const std::set<std::string, std::less<>> kKnownKeys = {
    "personal_id", "full_name", "sex", "date_of_birth", "date_of_expiry", "date_of_issue", "nationality",
    "ethnicity", "religion", "place_of_origin", "place_of_residence", "identifying_features", "father_name",
    "mother_name", "spouse_name", "old_id", "card_serial"};

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

}  // namespace

perso::EnrollmentRecord parse_enrollment_record(std::string_view json) {
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
    perso::EnrollmentRecord r;
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
    p.date_of_expiry = r.date_of_expiry == "none" ? "Không thời hạn" : dg13_date(r.date_of_expiry, "date_of_expiry");
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
    return r;
}

}  // namespace cccd::tool
