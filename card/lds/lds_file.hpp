#pragma once
// The files of the ICAO 9303 LDS1 eMRTD application (Part 10): file identifier, short EF identifier,
// the tag their content starts with, and the name people use for them.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::lds {

enum class LdsFile {
    Com, Dg1, Dg2, Dg3, Dg4, Dg5, Dg6, Dg7, Dg8, Dg9, Dg10, Dg11, Dg12, Dg13, Dg14, Dg15, Dg16, Sod, CardAccess,
};

struct LdsFileInfo {
    LdsFile file;
    std::uint16_t fid;        // 0x011E for EF.COM
    std::uint8_t short_ef_id; // 0x1E for EF.COM
    tlv::Tag tag;             // first tag of the content: 0x60 for EF.COM, 0x31 (SET) for EF.CardAccess
    std::string_view name;    // "EF.COM", "DG13", "EF.SOD", "EF.CardAccess"
    int data_group;           // 1..16 for data groups, 0 otherwise
};

// Every file, EF.COM first, then DG1..DG16, EF.SOD and EF.CardAccess.
const std::vector<LdsFileInfo>& all_files();
const LdsFileInfo& file_info(LdsFile file);
std::string_view file_name(LdsFile file);

std::optional<LdsFile> file_by_tag(tlv::Tag tag);
std::optional<LdsFile> file_by_fid(std::uint16_t fid);
std::optional<LdsFile> file_by_short_ef_id(std::uint8_t short_ef_id);
// Case-insensitive: "DG13", "dg13", "EF.DG13", "EF.COM", "COM", "SOD", "EF.CardAccess", "CardAccess".
std::optional<LdsFile> file_by_name(std::string_view name);
// DG1..DG16 from 1..16.
std::optional<LdsFile> data_group_file(int number);

// Which file a buffer holds, from its first tag only (the rest is not checked). Nothing when the
// buffer is empty or starts with a tag no LDS file uses.
std::optional<LdsFile> detect_file(ByteView content);

}  // namespace cccd::lds
