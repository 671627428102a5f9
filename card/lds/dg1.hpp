#pragma once
// DG1 (ICAO 9303 Part 10): 61 { 5F1F MRZ }, the machine readable zone without line breaks.
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"

namespace cccd::lds {

enum class MrzLayout { Td1, Td2, Td3 };  // 3x30, 2x36, 2x44 characters

struct Dg1 {
    std::string mrz;  // 90, 72 or 88 characters of A-Z 0-9 <

    // The layout its length implies; nothing when the length fits none.
    std::optional<MrzLayout> layout() const;
    // The MRZ cut into its lines (the whole text as one line if the length fits no layout).
    std::vector<std::string> lines() const;
    friend bool operator==(const Dg1&, const Dg1&) = default;
};

std::string_view layout_name(MrzLayout layout);  // "TD1"

Bytes encode(const Dg1& dg1);
Dg1 decode_dg1(ByteView bytes);

}  // namespace cccd::lds
