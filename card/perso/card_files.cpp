#include "card/perso/card_files.hpp"

#include <algorithm>
#include <vector>

#include "base/error.hpp"
#include "card/lds/dg1.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/dg2.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/chip_auth.hpp"
#include "crypto/ec.hpp"
#include "identity/id_number.hpp"
#include "identity/text_rules.hpp"

namespace cccd::perso {

namespace {

constexpr std::string_view kEcdsaPlainSha256 = "0.4.0.127.0.7.1.1.4.1.3";
constexpr std::size_t kMaxPhotoBytes = 20 * 1024;  // DG2 of a CCCD stays well under this

// The chip's EF.CardAccess: what it does, CAInfo and PACEInfo (brainpoolP256r1). Real CCCDs also carry
// a TAInfo (cccd-chip.md); this chip has no Terminal Authentication, so it does not advertise one.
lds::CardAccess cccd_card_access() {
    lds::CardAccess ca;
    ca.security_infos.infos.emplace_back(lds::ChipAuthenticationInfo{});
    lds::PaceInfo pace;
    pace.parameter_id = 13;
    ca.security_infos.infos.emplace_back(pace);
    return ca;
}

std::uint16_t read_be16(ByteView b, std::size_t at) { return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]); }

// Width and height from the JPEG's start-of-frame marker, so DG2 describes the image it carries.
std::pair<std::uint16_t, std::uint16_t> jpeg_size(ByteView jpeg) {
    if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw InvalidArgument("the photo is not a JPEG file");
    std::size_t i = 2;
    while (i + 9 < jpeg.size()) {
        if (jpeg[i] != 0xFF) throw InvalidArgument("the photo is not a valid JPEG file");
        std::uint8_t marker = jpeg[i + 1];
        std::uint16_t length = read_be16(jpeg, i + 2);
        if (marker >= 0xC0 && marker <= 0xC3) return {read_be16(jpeg, i + 7), read_be16(jpeg, i + 5)};
        if (length < 2) throw InvalidArgument("the photo is not a valid JPEG file");
        i += 2 + length;
    }
    throw InvalidArgument("the photo is a JPEG without a frame header");
}

// A real calendar date written YYYY-MM-DD (not 1999-02-30).
bool is_iso_date(const std::string& d) {
    try {
        (void)mrz::parse_iso_date(d);
        return true;
    } catch (const InvalidArgument&) {
        return false;
    }
}

// The same for DG13's dd/mm/yyyy.
bool is_dg13_date(const std::string& d) {
    return d.size() == 10 && d[2] == '/' && d[5] == '/' && is_iso_date(d.substr(6, 4) + "-" + d.substr(3, 2) + "-" + d.substr(0, 2));
}

// DG2's face record: the enrollment photo, its size from the JPEG itself.
lds::FaceRecord face_record(const EnrollmentRecord& record) {
    lds::FaceImage face;
    face.gender = record.sex == 'M' ? 1 : 2;
    face.expression = 1;  // neutral
    auto [width, height] = jpeg_size(record.photo_jpeg);
    face.width = width;
    face.height = height;
    face.image = record.photo_jpeg;
    lds::FaceRecord faces;
    faces.faces.push_back(face);
    return faces;
}

void refuse(const std::optional<std::string>& problem) {
    if (problem) throw InvalidArgument(*problem);
}

}  // namespace

void validate(const EnrollmentRecord& r) {
    const auto& p = r.person;
    const auto& id = p.personal_id;
    if (id.size() != 12 || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        throw InvalidArgument("the ID number must have 12 digits");
    }
    if (p.full_name.empty()) throw InvalidArgument("the full name is missing");
    refuse(identity::person_name_problem(p.full_name, "the full name"));
    if (!p.father_name.empty()) refuse(identity::person_name_problem(p.father_name, "the father's name"));
    if (!p.mother_name.empty()) refuse(identity::person_name_problem(p.mother_name, "the mother's name"));
    if (p.spouse_name && !p.spouse_name->empty()) refuse(identity::person_name_problem(*p.spouse_name, "the spouse's name"));
    for (const auto& [text, field] : {std::pair{&p.sex, "the sex"}, {&p.nationality, "the nationality"},
                                      {&p.ethnicity, "the ethnicity"}, {&p.religion, "the religion"},
                                      {&p.place_of_origin, "the place of origin"},
                                      {&p.place_of_residence, "the place of residence"},
                                      {&p.identifying_features, "the identifying features"}}) {
        refuse(identity::text_field_problem(*text, field));
    }
    if (r.sex != 'F' && r.sex != 'M') throw InvalidArgument("the sex must be F (Nữ) or M (Nam)");
    if (!is_iso_date(r.date_of_birth)) throw InvalidArgument("the date of birth must be a real date written YYYY-MM-DD");
    refuse(identity::id_number_problem(id, r.sex, mrz::parse_iso_date(r.date_of_birth).year));
    if (r.date_of_expiry != "none" && !is_iso_date(r.date_of_expiry)) {
        throw InvalidArgument("the date of expiry must be a real date written YYYY-MM-DD, or \"none\"");
    }
    if (!p.date_of_birth.empty() && !is_dg13_date(p.date_of_birth))
        throw InvalidArgument("the date of birth must be a real date written dd/mm/yyyy");
    if (!is_dg13_date(p.date_of_issue)) throw InvalidArgument("the date of issue must be a real date");
    // The card profile's rules (identity/enrollment_record.hpp): the profile against the dates, the
    // expiry, the photo required or refused, the representative, the cancelled ID numbers.
    const std::vector<std::string> problems = identity::record_profile_problems(r);
    if (!problems.empty()) {
        std::string lines;
        for (const auto& line : problems) lines += (lines.empty() ? "" : "; ") + line;
        throw InvalidArgument(lines);
    }
    if (r.photo_jpeg.empty()) return;  // a profile without a photo (the rule above refuses one missing elsewhere)
    if (r.photo_jpeg.size() > kMaxPhotoBytes) throw InvalidArgument("the photo is larger than 20 KB: compress it");
    (void)jpeg_size(r.photo_jpeg);
}

std::string mrz_of(const EnrollmentRecord& r) {
    return mrz::build_cccd_mrz(r.person.personal_id, r.person.full_name, r.sex, r.date_of_birth, r.date_of_expiry);
}

CardFiles build_card_files(const EnrollmentRecord& record, ByteView active_auth_public_key,
                           ByteView chip_auth_public_key, bool with_card_access) {
    validate(record);
    const identity::CardProfile& profile = identity::profile_of(record);
    lds::Dg1 dg1;
    dg1.mrz = mrz_of(record);

    lds::Dg14 dg14;
    lds::ChipAuthenticationPublicKeyInfo ca_key;
    // Written with explicit domain parameters whatever form the chip returned it in (chip_auth.hpp).
    ca_key.public_key_info = protocol::chip_auth::encode_chip_key(chip_auth_public_key);
    dg14.security_infos.infos.emplace_back(ca_key);
    dg14.security_infos.infos.emplace_back(lds::ChipAuthenticationInfo{});
    crypto::PKeyPtr aa_public = crypto::parse_public_key(active_auth_public_key);
    if (EVP_PKEY_get_base_id(aa_public.get()) == EVP_PKEY_EC) {
        lds::ActiveAuthenticationInfo aa;
        aa.signature_algorithm = std::string(kEcdsaPlainSha256);
        dg14.security_infos.infos.emplace_back(aa);
    }

    lds::Dg15 dg15;
    dg15.public_key_info.assign(active_auth_public_key.begin(), active_auth_public_key.end());

    CardFiles out;
    out.data_groups[1] = lds::encode(dg1);
    // DG2 as the profile says: the face, or no DG2 at all (then neither EF.COM nor EF.SOD lists one).
    if (profile.dg2 == identity::Dg2Content::Face) out.data_groups[2] = lds::encode(lds::make_dg2(face_record(record)));
    out.data_groups[13] = lds::encode(lds::make_dg13(record.person));
    out.data_groups[14] = lds::encode(dg14);
    out.data_groups[15] = lds::encode(dg15);

    std::vector<lds::LdsFile> listed;
    for (const auto& [number, bytes] : out.data_groups) {
        listed.push_back(*lds::data_group_file(number));
        out.files["DG" + std::to_string(number)] = bytes;
    }
    out.files["EF.COM"] = lds::encode(lds::make_ef_com(listed));
    if (with_card_access) out.files["EF.CardAccess"] = lds::encode(cccd_card_access());
    std::vector<std::pair<int, Bytes>> groups(out.data_groups.begin(), out.data_groups.end());
    out.security_object = lds::make_lds_security_object(groups);
    return out;
}

}  // namespace cccd::perso
