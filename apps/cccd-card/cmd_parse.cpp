// cccd-card parse: decode one LDS file (EF.COM, DG1, DG2, DG13, DG14, DG15, EF.CardAccess, EF.SOD) to JSON.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "apps/cccd-card/commands.hpp"
#include "apps/cccd-card/json.hpp"
#include "apps/cccd-card/lds_json.hpp"
#include "apps/cccd-card/sod_json.hpp"
#include "base/error.hpp"
#include "card/lds/dg1.hpp"
#include "card/lds/dg13.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/dg2.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::tool {

namespace {

struct ParseOptions {
    std::string file;
    std::string type = "auto";
    std::string photo;
};

std::int64_t as_int(std::uint64_t n) { return static_cast<std::int64_t>(n); }

Bytes read_input(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ParseError(std::string("cannot open it: ") + std::strerror(errno));
    Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw ParseError("cannot read it");
    return data;
}

void write_oid(JsonWriter& out, std::string_view key, const std::string& oid) {
    out.key(key).begin_object();
    out.field("oid", oid);
    auto name = lds::oid_name(oid);
    out.key("name");
    if (name.empty()) out.null(); else out.value(name);
    out.end_object();
}

void write_key_description(JsonWriter& out, ByteView spki) {
    out.key("public_key").begin_object();
    out.field("size", as_int(spki.size()));
    try {
        auto d = lds::describe_public_key(spki);
        write_oid(out, "algorithm", d.algorithm_oid);
        out.field("type", d.type);
        out.field("bits", static_cast<std::int64_t>(d.bits));
        out.key("curve");
        if (d.curve) out.value(*d.curve); else out.null();
        if (d.type == "EC") out.field("explicit_parameters", d.explicit_parameters);
        out.field("summary", d.summary());
    } catch (const Error& e) {
        // The structure decoded but OpenSSL cannot load the key: say so, keep the rest of the output.
        out.key("summary").null();
        out.field("problem", std::string(e.what()));
    }
    out.field("der", to_hex(spki));
    out.end_object();
}

void write_ef_com(const lds::EfCom& com, JsonWriter& out) {
    out.field("lds_version", com.lds_version);
    // The versions are digits (the decoder checks): "0107" is LDS 1.7, "040000" Unicode 4.0.0.
    auto number = [](const std::string& s, std::size_t pos) { return std::to_string(std::stoi(s.substr(pos, 2))); };
    out.field("lds_version_text", number(com.lds_version, 0) + "." + number(com.lds_version, 2));
    out.field("unicode_version", com.unicode_version);
    out.field("unicode_version_text", number(com.unicode_version, 0) + "." + number(com.unicode_version, 2) + "." +
                                          number(com.unicode_version, 4));
    out.key("data_groups").begin_array();
    for (std::uint8_t tag : com.tag_list) {
        out.begin_object();
        out.field("tag", to_hex(Bytes{tag}));
        auto file = lds::file_by_tag(tag);
        out.key("file");
        if (file) out.value(lds::file_name(*file)); else out.null();
        out.end_object();
    }
    out.end_array();
}

void write_dg1(const lds::Dg1& dg1, JsonWriter& out) {
    out.key("mrz").begin_object();
    auto layout = dg1.layout();
    out.field("layout", layout ? lds::layout_name(*layout) : std::string_view("unknown"));
    out.key("lines").begin_array();
    for (const auto& line : dg1.lines()) out.value(line);
    out.end_array();
    out.end_object();
}

std::string string_type_name(tlv::Tag tag) {
    switch (tag) {
        case tlv::asn1::kUtf8String: return "UTF8String";
        case tlv::asn1::kPrintableString: return "PrintableString";
        case tlv::asn1::kIa5String: return "IA5String";
        default: return "tag " + to_hex(tlv::encode_tag(tag));
    }
}

// Names of the texts inside fields that hold several people.
std::optional<std::string_view> text_role(int field, std::size_t index) {
    if (field == lds::kDg13Parents) return index == 0 ? "father" : index == 1 ? std::optional<std::string_view>("mother") : std::nullopt;
    if (field == lds::kDg13Spouse && index == 0) return "spouse";
    return std::nullopt;
}

void write_dg13(const lds::Dg13& dg13, JsonWriter& out) {
    out.field("version", static_cast<std::int64_t>(dg13.version));
    write_oid(out, "character_set", dg13.charset_oid);
    out.key("fields").begin_array();
    for (const auto& f : dg13.fields) {
        out.begin_object();
        out.field("number", static_cast<std::int64_t>(f.number));
        auto label = lds::dg13_field_label(f.number);
        out.key("label");
        if (label.empty()) out.null(); else out.value(label);
        auto label_vi = lds::dg13_field_label_vi(f.number);
        out.key("label_vi");
        if (label_vi.empty()) out.null(); else out.value(label_vi);
        if (!f.raw.empty()) {
            out.field("raw", to_hex(f.raw));
        } else if (f.texts.size() == 1 && !text_role(f.number, 0)) {
            out.field("value", f.texts[0].text);
            out.field("string_type", string_type_name(f.texts[0].string_type));
        } else if (f.texts.empty()) {
            out.key("value").null();
        } else {
            out.key("values").begin_array();
            for (std::size_t i = 0; i < f.texts.size(); ++i) {
                out.begin_object();
                if (auto role = text_role(f.number, i)) out.field("role", *role);
                out.field("value", f.texts[i].text);
                out.field("string_type", string_type_name(f.texts[i].string_type));
                out.end_object();
            }
            out.end_array();
        }
        out.end_object();
    }
    out.end_array();
}

void write_coded(JsonWriter& out, std::string_view key, std::uint64_t code, const std::string& name) {
    out.key(key).begin_object();
    out.field("code", as_int(code));
    out.field("name", name);
    out.end_object();
}

void write_face(const lds::FaceImage& f, JsonWriter& out) {
    out.begin_object();
    write_coded(out, "gender", f.gender, lds::gender_name(f.gender));
    write_coded(out, "eye_colour", f.eye_colour, lds::eye_colour_name(f.eye_colour));
    write_coded(out, "hair_colour", f.hair_colour, lds::hair_colour_name(f.hair_colour));
    out.field("feature_mask", to_hex(be_bytes(f.feature_mask, 3)));
    write_coded(out, "expression", f.expression, lds::expression_name(f.expression));
    out.field("pose_angles", to_hex(f.pose_angles));
    out.field("pose_uncertainty", to_hex(f.pose_uncertainty));
    out.key("feature_points").begin_array();
    for (const auto& p : f.feature_points) {
        out.begin_object();
        out.field("type", as_int(p.type));
        out.field("point", std::to_string(p.code >> 4) + "." + std::to_string(p.code & 0x0F));
        out.field("x", as_int(p.x));
        out.field("y", as_int(p.y));
        out.end_object();
    }
    out.end_array();
    out.key("image").begin_object();
    write_coded(out, "face_image_type", f.face_image_type, lds::face_image_type_name(f.face_image_type));
    write_coded(out, "image_data_type", f.image_data_type, lds::image_data_type_name(f.image_data_type));
    out.field("width", as_int(f.width));
    out.field("height", as_int(f.height));
    write_coded(out, "colour_space", f.colour_space, lds::colour_space_name(f.colour_space));
    write_coded(out, "source_type", f.source_type, lds::source_type_name(f.source_type));
    out.field("device_type", as_int(f.device_type));
    out.field("quality", as_int(f.quality));
    out.field("size", as_int(f.image.size()));
    out.end_object();
    out.end_object();
}

// Returns the first face image found, for --photo.
std::optional<Bytes> write_dg2(const lds::Dg2& dg2, JsonWriter& out) {
    std::optional<Bytes> first_image;
    out.key("biometric_templates").begin_array();
    for (const auto& t : dg2.templates) {
        out.begin_object();
        out.key("header").begin_object();
        auto opt_hex = [&out](std::string_view key, const std::optional<Bytes>& v) {
            out.key(key);
            if (v) out.value(to_hex(*v)); else out.null();
        };
        opt_hex("icao_header_version", t.header.icao_header_version);
        opt_hex("biometric_type", t.header.biometric_type);
        opt_hex("biometric_subtype", t.header.biometric_subtype);
        out.field("format_owner", to_hex(t.header.format_owner));
        out.field("format_type", to_hex(t.header.format_type));
        for (const auto& [tag, value] : t.header.other) out.field("tag_" + to_hex(tlv::encode_tag(tag)), to_hex(value));
        out.end_object();
        out.field("data_tag", to_hex(tlv::encode_tag(t.data_tag)));
        out.field("enciphered", t.data_tag == lds::kEncipheredBiometricDataTag);
        out.field("data_size", as_int(t.data.size()));
        if (t.data_tag == lds::kBiometricDataTag) {
            try {
                auto record = lds::decode_face_record(t.data);
                out.key("face_record").begin_object();
                out.field("format", "ISO/IEC 19794-5:2005");
                out.key("faces").begin_array();
                for (const auto& f : record.faces) write_face(f, out);
                out.end_array();
                out.end_object();
                if (!first_image && !record.faces.empty()) first_image = record.faces.front().image;
            } catch (const ParseError& e) {
                out.key("face_record").null();
                out.field("face_record_problem", std::string(e.what()));
            }
        }
        out.end_object();
    }
    out.end_array();
    return first_image;
}

void write_security_infos(const lds::SecurityInfos& infos, JsonWriter& out) {
    out.key("security_infos").begin_array();
    for (const auto& info : infos.infos) {
        out.begin_object();
        out.field("type", lds::security_info_type_name(info));
        write_oid(out, "protocol", lds::protocol_of(info));
        if (const auto* p = std::get_if<lds::PaceInfo>(&info)) {
            out.field("version", as_int(p->version));
            if (p->parameter_id) {
                out.field("parameter_id", as_int(*p->parameter_id));
                auto name = lds::standardized_domain_parameter_name(*p->parameter_id);
                out.key("parameter");
                if (name.empty()) out.null(); else out.value(name);
            }
        } else if (const auto* c = std::get_if<lds::ChipAuthenticationInfo>(&info)) {
            out.field("version", as_int(c->version));
            if (c->key_id) out.field("key_id", as_int(*c->key_id));
        } else if (const auto* k = std::get_if<lds::ChipAuthenticationPublicKeyInfo>(&info)) {
            if (k->key_id) out.field("key_id", as_int(*k->key_id));
            write_key_description(out, k->public_key_info);
        } else if (const auto* t = std::get_if<lds::TerminalAuthenticationInfo>(&info)) {
            out.field("version", as_int(t->version));
            if (t->ef_cvca) out.field("ef_cvca", to_hex(*t->ef_cvca));
        } else if (const auto* a = std::get_if<lds::ActiveAuthenticationInfo>(&info)) {
            out.field("version", as_int(a->version));
            write_oid(out, "signature_algorithm", a->signature_algorithm);
        } else if (const auto* u = std::get_if<lds::UnknownSecurityInfo>(&info)) {
            out.field("der", to_hex(u->der));
        }
        out.end_object();
    }
    out.end_array();
}

const std::map<std::string, lds::LdsFile>& type_names() {
    static const std::map<std::string, lds::LdsFile> names = {
        {"com", lds::LdsFile::Com},     {"dg1", lds::LdsFile::Dg1},   {"dg2", lds::LdsFile::Dg2},
        {"dg13", lds::LdsFile::Dg13},   {"dg14", lds::LdsFile::Dg14}, {"dg15", lds::LdsFile::Dg15},
        {"card-access", lds::LdsFile::CardAccess}, {"sod", lds::LdsFile::Sod},
    };
    return names;
}

}  // namespace

std::optional<Bytes> write_lds_fields(lds::LdsFile kind, ByteView data, JsonWriter& out) {
    std::optional<Bytes> photo;
    switch (kind) {
        case lds::LdsFile::Com: write_ef_com(lds::decode_ef_com(data), out); break;
        case lds::LdsFile::Dg1: write_dg1(lds::decode_dg1(data), out); break;
        case lds::LdsFile::Dg2: photo = write_dg2(lds::decode_dg2(data), out); break;
        case lds::LdsFile::Dg13: write_dg13(lds::decode_dg13(data), out); break;
        case lds::LdsFile::Dg14: write_security_infos(lds::decode_dg14(data).security_infos, out); break;
        case lds::LdsFile::CardAccess: write_security_infos(lds::decode_card_access(data).security_infos, out); break;
        case lds::LdsFile::Dg15: write_key_description(out, lds::decode_dg15(data).public_key_info); break;
        case lds::LdsFile::Sod:
            out.key("sod");
            write_sod_json(data, out);
            break;
        default:
            throw ParseError(std::string(lds::file_name(kind)) + " is not a file this command can decode");
    }
    return photo;
}

namespace {

int run_parse(const ParseOptions& opt) {
    Bytes data = read_input(opt.file);
    lds::LdsFile kind;
    if (opt.type == "auto") {
        auto detected = lds::detect_file(data);
        if (data.empty()) throw ParseError("the file is empty");
        if (!detected) {
            throw ParseError("cannot tell which LDS file this is: it starts with byte " + to_hex(ByteView(data).first(1)) +
                             ", which no EF.COM, data group, EF.SOD or EF.CardAccess starts with (use --type)");
        }
        kind = *detected;
    } else {
        kind = type_names().at(opt.type);
    }
    if (!opt.photo.empty() && kind != lds::LdsFile::Dg2) {
        std::cerr << "cccd-card parse: --photo applies to DG2 only; " << opt.file << " is " << lds::file_name(kind) << "\n";
        return kExitUsage;
    }

    JsonWriter out;
    out.begin_object();
    out.field("file", lds::file_name(kind));
    out.field("tag", to_hex(tlv::encode_tag(lds::file_info(kind).tag)));
    out.field("size", as_int(data.size()));
    std::optional<Bytes> photo = write_lds_fields(kind, data, out);
    out.end_object();

    if (!opt.photo.empty()) {
        if (!photo) throw ParseError("it holds no face image to write to " + opt.photo);
        std::ofstream img(opt.photo, std::ios::binary | std::ios::trunc);
        img.write(reinterpret_cast<const char*>(photo->data()), static_cast<std::streamsize>(photo->size()));
        img.close();
        if (!img) throw ParseError("cannot write the face image to " + opt.photo);
    }
    std::cout << out.str();
    return kExitOk;
}

}  // namespace

void add_parse_command(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<ParseOptions>();
    auto* cmd = app.add_subcommand("parse", "Decode an LDS file (EF.COM, DG1, DG2, DG13, DG14, DG15, EF.CardAccess, EF.SOD) to JSON");
    cmd->footer(
        "FILE holds the bytes of one file as read from the chip. Its kind comes from its first tag\n"
        "(60 EF.COM, 61 DG1, 75 DG2, 6D DG13, 6E DG14, 6F DG15, 31 EF.CardAccess, 77 EF.SOD) unless --type\n"
        "names it. The JSON on stdout keeps Vietnamese text as UTF-8; DG13 fields carry their number and\n"
        "English and Vietnamese labels. --photo writes the first face image of DG2 (JPEG or JPEG 2000).\n"
        "Exit codes: 0 decoded, 2 usage error, 3 the file cannot be read or is malformed.");
    cmd->add_option("file", opt->file, "The file to decode")->required();
    cmd->add_option("--type", opt->type, "What the file is: auto (default, from its first tag), com, dg1, dg2, dg13, dg14, dg15, card-access or sod")
        ->check(CLI::IsMember({"auto", "com", "dg1", "dg2", "dg13", "dg14", "dg15", "card-access", "sod"}));
    cmd->add_option("--photo", opt->photo, "DG2 only: write the face image to this file");
    cmd->callback([opt, &exit_code] {
        try {
            exit_code = run_parse(*opt);
        } catch (const ParseError& e) {
            std::cerr << "cccd-card parse: " << opt->file << ": " << e.what() << "\n";
            exit_code = kExitBadInput;
        }
    });
}

}  // namespace cccd::tool
