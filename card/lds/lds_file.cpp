#include "card/lds/lds_file.hpp"

#include <cctype>
#include <string>

namespace cccd::lds {

namespace {

std::vector<LdsFileInfo> make_table() {
    std::vector<LdsFileInfo> t;
    t.push_back({LdsFile::Com, 0x011E, 0x1E, 0x60, "EF.COM", 0});
    // DG1..DG16 (Part 10, table of LDS1 data groups): FID 01nn, short EF id nn.
    static constexpr tlv::Tag kDgTags[16] = {0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
                                             0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70};
    static constexpr std::string_view kDgNames[16] = {"DG1",  "DG2",  "DG3",  "DG4",  "DG5",  "DG6",
                                                      "DG7",  "DG8",  "DG9",  "DG10", "DG11", "DG12",
                                                      "DG13", "DG14", "DG15", "DG16"};
    for (int n = 1; n <= 16; ++n) {
        auto i = static_cast<std::size_t>(n - 1);
        t.push_back({static_cast<LdsFile>(static_cast<int>(LdsFile::Dg1) + n - 1), static_cast<std::uint16_t>(0x0100 + n),
                     static_cast<std::uint8_t>(n), kDgTags[i], kDgNames[i], n});
    }
    t.push_back({LdsFile::Sod, 0x011D, 0x1D, 0x77, "EF.SOD", 0});
    t.push_back({LdsFile::CardAccess, 0x011C, 0x1C, 0x31, "EF.CardAccess", 0});
    return t;
}

std::string upper(std::string_view s) {
    std::string out;
    for (char c : s) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return out;
}

}  // namespace

const std::vector<LdsFileInfo>& all_files() {
    static const std::vector<LdsFileInfo> table = make_table();
    return table;
}

const LdsFileInfo& file_info(LdsFile file) {
    // The table is in enum order.
    return all_files().at(static_cast<std::size_t>(file));
}

std::string_view file_name(LdsFile file) { return file_info(file).name; }

std::optional<LdsFile> file_by_tag(tlv::Tag tag) {
    for (const auto& f : all_files()) {
        if (f.tag == tag) return f.file;
    }
    return std::nullopt;
}

std::optional<LdsFile> file_by_fid(std::uint16_t fid) {
    for (const auto& f : all_files()) {
        if (f.fid == fid) return f.file;
    }
    return std::nullopt;
}

std::optional<LdsFile> file_by_short_ef_id(std::uint8_t short_ef_id) {
    for (const auto& f : all_files()) {
        if (f.short_ef_id == short_ef_id) return f.file;
    }
    return std::nullopt;
}

std::optional<LdsFile> file_by_name(std::string_view name) {
    std::string wanted = upper(name);
    for (const auto& f : all_files()) {
        std::string full = upper(f.name);
        if (wanted == full) return f.file;
        // "COM" for "EF.COM", "EF.DG1" for "DG1".
        if (full.rfind("EF.", 0) == 0 && wanted == full.substr(3)) return f.file;
        if (f.data_group != 0 && wanted == "EF." + full) return f.file;
    }
    return std::nullopt;
}

std::optional<LdsFile> data_group_file(int number) {
    if (number < 1 || number > 16) return std::nullopt;
    return static_cast<LdsFile>(static_cast<int>(LdsFile::Dg1) + number - 1);
}

std::optional<LdsFile> detect_file(ByteView content) {
    // Every LDS file starts with a one-byte tag, so the first byte decides.
    if (content.empty()) return std::nullopt;
    return file_by_tag(content[0]);
}

}  // namespace cccd::lds
