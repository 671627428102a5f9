#pragma once
// EF.COM (ICAO 9303 Part 10): 60 { 5F01 LDS version, 5F36 Unicode version, 5C tag list }.
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/lds/lds_file.hpp"

namespace cccd::lds {

struct EfCom {
    std::string lds_version = "0107";        // 4 digits "aabb" = LDS aa.bb
    std::string unicode_version = "040000";  // 6 digits "aabbcc" = Unicode aa.bb.cc
    Bytes tag_list;                          // the data-group tags, one byte each, in the order stored

    // The files the tag list names, in order; tags no LDS file uses are skipped.
    std::vector<LdsFile> listed_files() const;
    friend bool operator==(const EfCom&, const EfCom&) = default;
};

// An EF.COM listing these data groups (tags in the order given).
EfCom make_ef_com(const std::vector<LdsFile>& data_groups, std::string lds_version = "0107",
                  std::string unicode_version = "040000");

Bytes encode(const EfCom& com);
EfCom decode_ef_com(ByteView bytes);

}  // namespace cccd::lds
