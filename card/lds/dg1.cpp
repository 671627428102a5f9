#include "card/lds/dg1.hpp"

#include "base/error.hpp"
#include "card/lds/reading.hpp"

namespace cccd::lds {

namespace {

constexpr std::string_view kWhat = "DG1";
constexpr tlv::Tag kDg1Tag = 0x61;
constexpr tlv::Tag kMrzTag = 0x5F1F;

bool is_mrz_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }

// Empty when the MRZ is acceptable, else what is wrong with it (never the MRZ itself: it is personal data).
std::string mrz_problem(std::string_view mrz) {
    if (mrz.size() != 90 && mrz.size() != 72 && mrz.size() != 88) {
        return "the MRZ has " + std::to_string(mrz.size()) + " characters; expected 90 (TD1), 72 (TD2) or 88 (TD3)";
    }
    for (std::size_t i = 0; i < mrz.size(); ++i) {
        if (!is_mrz_char(mrz[i])) return "the MRZ has a character outside A-Z, 0-9 and '<' at position " + std::to_string(i + 1);
    }
    return {};
}

}  // namespace

std::optional<MrzLayout> Dg1::layout() const {
    switch (mrz.size()) {
        case 90: return MrzLayout::Td1;
        case 72: return MrzLayout::Td2;
        case 88: return MrzLayout::Td3;
        default: return std::nullopt;
    }
}

std::vector<std::string> Dg1::lines() const {
    auto l = layout();
    if (!l) return {mrz};
    std::size_t width = *l == MrzLayout::Td1 ? 30 : *l == MrzLayout::Td2 ? 36 : 44;
    std::vector<std::string> out;
    for (std::size_t pos = 0; pos < mrz.size(); pos += width) out.push_back(mrz.substr(pos, width));
    return out;
}

std::string_view layout_name(MrzLayout layout) {
    switch (layout) {
        case MrzLayout::Td1: return "TD1";
        case MrzLayout::Td2: return "TD2";
        case MrzLayout::Td3: return "TD3";
    }
    return "?";
}

Bytes encode(const Dg1& dg1) {
    if (auto problem = mrz_problem(dg1.mrz); !problem.empty()) throw InvalidArgument("DG1: " + problem);
    return tlv::encode(kDg1Tag, tlv::encode(kMrzTag, view(dg1.mrz)));
}

Dg1 decode_dg1(ByteView bytes) {
    auto outer = detail::read_one(bytes, kDg1Tag, kWhat);
    auto mrz = detail::read_one(outer.value, kMrzTag, kWhat);
    Dg1 dg1{to_string(mrz.value)};
    if (auto problem = mrz_problem(dg1.mrz); !problem.empty()) detail::fail(kWhat, problem);
    return dg1;
}

}  // namespace cccd::lds
