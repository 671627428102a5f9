#include "card/lds/card_kind.hpp"

#include "base/error.hpp"
#include "identity/record_json.hpp"

namespace cccd::lds {

bool CardKind::face_as_profile_says() const noexcept {
    if (profile == nullptr) return true;
    return has_face == (profile->dg2 == identity::Dg2Content::Face);
}

std::vector<Dg13Line> dg13_lines(const Dg13& dg13) {
    std::vector<Dg13Line> lines;
    for (const Dg13Field& field : dg13.fields) {
        Dg13Line line;
        line.number = field.number;
        line.label_vi = std::string(dg13_field_label_vi(field.number));
        line.label_en = std::string(dg13_field_label(field.number));
        if (line.label_vi.empty()) line.label_vi = "Trường " + std::to_string(field.number);
        if (line.label_en.empty()) line.label_en = "Field " + std::to_string(field.number);
        if (!field.raw.empty()) {
            line.value = to_hex(field.raw);
        } else {
            for (const Dg13Text& text : field.texts) line.value += (line.value.empty() ? "" : "; ") + text.text;
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

CardKind card_kind(const std::map<std::string, Bytes>& files) {
    CardKind kind;
    kind.has_face = files.contains("DG2");
    const auto dg13 = files.find("DG13");
    if (dg13 == files.end()) {
        kind.problem = "no DG13 was read";
        return kind;
    }
    try {
        const Dg13 decoded = decode_dg13(dg13->second);
        kind.fields = dg13_lines(decoded);
        // DG13 writes dates dd/mm/yyyy; the profile rule reads YYYY-MM-DD.
        kind.profile = &identity::profile_for_card(identity::iso_date(decoded.date_of_birth().value_or("")),
                                                   identity::iso_date(decoded.date_of_issue().value_or("")));
    } catch (const Error& e) {
        kind.profile = nullptr;
        kind.problem = std::string("DG13 gives no card profile: ") + e.what();
    }
    return kind;
}

}  // namespace cccd::lds
