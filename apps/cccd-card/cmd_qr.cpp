// cccd-card qr: decode the text of a card's QR code (identity/card_qr.hpp: the 2021 format of 7 fields,
// the 2024 format of 11) and, given the chip's DG13, say whether the QR and the chip agree.
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "apps/cccd-card/commands.hpp"
#include "apps/cccd-card/json.hpp"
#include "base/error.hpp"
#include "card/lds/dg13.hpp"
#include "base/file.hpp"
#include "identity/card_qr.hpp"

namespace cccd::tool {
namespace {

struct QrOptions {
    std::string text;  // the QR's text; empty or "-": standard input
    std::string dg13_file;
    bool json = false;
};

struct Field {
    const char* label;
    std::string value;
};

std::vector<Field> fields_of(const identity::CardQr& qr) {
    std::vector<Field> out{{"Số định danh cá nhân / Personal ID number", qr.personal_id},
                           {"Số CMND cũ / Old ID number", qr.old_id},
                           {"Họ và tên / Full name", qr.full_name},
                           {"Ngày sinh / Date of birth", qr.date_of_birth},
                           {"Giới tính / Sex", qr.sex},
                           {"Nơi cư trú / Place of residence", qr.place_of_residence},
                           {"Ngày cấp / Date of issue", qr.date_of_issue}};
    return out;
}

int run_qr(const QrOptions& o) {
    std::string text = o.text;
    if (text.empty() || text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    identity::CardQr qr;
    try {
        qr = identity::parse_card_qr(text);
    } catch (const ParseError& e) {
        std::cerr << "cccd-card qr: " << e.what() << "\n";
        return kExitBadInput;
    }
    std::optional<std::vector<std::string>> disagreements;
    if (!o.dg13_file.empty()) {
        try {
            const lds::Dg13Person chip = lds::dg13_person(lds::decode_dg13(read_file(o.dg13_file)));
            disagreements = identity::qr_disagreements(qr, chip);
        } catch (const Error& e) {
            std::cerr << "cccd-card qr: the DG13 file cannot be read: " << e.what() << "\n";
            return kExitBadInput;
        }
    }
    const bool is_2024 = qr.format == identity::QrFormat::CanCuoc2024;
    if (o.json) {
        JsonWriter w;
        w.begin_object();
        w.field("format", is_2024 ? "can-cuoc-2024" : "cccd-2021");
        w.field("fields", static_cast<std::int64_t>(qr.format));
        w.field("personal_id", qr.personal_id).field("old_id", qr.old_id).field("full_name", qr.full_name);
        w.field("date_of_birth", qr.date_of_birth).field("sex", qr.sex).field("place_of_residence", qr.place_of_residence);
        w.field("date_of_issue", qr.date_of_issue);
        if (is_2024) {
            w.key("trailing_fields").begin_array();
            for (const auto& t : qr.trailing) w.value(t);
            w.end_array();
        }
        if (disagreements) {
            w.field("agrees_with_chip", disagreements->empty());
            w.key("disagreements").begin_array();
            for (const auto& d : *disagreements) w.value(d);
            w.end_array();
        }
        w.end_object();
        std::cout << w.str();
    } else {
        std::cout << (is_2024 ? "Mã QR thẻ Căn cước (2024), 11 trường / Căn cước card QR (2024), 11 fields\n"
                              : "Mã QR thẻ Căn cước công dân (2021), 7 trường / CCCD QR (2021), 7 fields\n");
        for (const auto& f : fields_of(qr)) std::cout << "  " << f.label << ": " << f.value << "\n";
        if (is_2024) {
            std::cout << "  Trường 8-11 (chưa được công bố) / Fields 8-11 (not documented):";
            for (const auto& t : qr.trailing) std::cout << " \"" << t << "\"";
            std::cout << "\n";
        }
        if (disagreements) {
            if (disagreements->empty()) {
                std::cout << "Khớp với chip / Agrees with the chip (DG13)\n";
            } else {
                std::cout << "KHÔNG khớp với chip / Does NOT agree with the chip (DG13):\n";
                for (const auto& d : *disagreements) std::cout << "  - " << d << "\n";
            }
        }
    }
    return disagreements && !disagreements->empty() ? kExitCheckFailed : kExitOk;
}

}  // namespace

void add_qr_command(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<QrOptions>();
    auto* cmd = app.add_subcommand("qr", "Decode a card's QR text (2021: 7 fields, 2024: 11) and compare it with the chip's DG13");
    cmd->footer(
        "TEXT is the QR's content as a scanner gives it (UTF-8, fields separated by |); without TEXT, or\n"
        "with -, it is read from standard input. --dg13 names the chip's DG13 as read (cccd-card read\n"
        "--out DIR writes it): the fields the QR and the chip share are compared, names without regard to\n"
        "case. Exit codes: 0 decoded (and agrees), 1 the QR and the chip disagree, 3 unreadable input.");
    cmd->add_option("text", o->text, "The QR's text (default: standard input)");
    cmd->add_option("--dg13", o->dg13_file, "The chip's DG13 file, to compare with");
    cmd->add_flag("--json", o->json, "Print JSON");
    cmd->callback([o, &exit_code] { exit_code = run_qr(*o); });
}

}  // namespace cccd::tool
