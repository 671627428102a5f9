#include "card/lds/ef_com.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "card/lds/reading.hpp"

namespace cccd::lds {

namespace {

constexpr std::string_view kWhat = "EF.COM";
constexpr tlv::Tag kComTag = 0x60;
constexpr tlv::Tag kLdsVersionTag = 0x5F01;
constexpr tlv::Tag kUnicodeVersionTag = 0x5F36;
constexpr tlv::Tag kTagListTag = 0x5C;

bool all_digits(std::string_view s, std::size_t count) {
    return s.size() == count && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<LdsFile> EfCom::listed_files() const {
    std::vector<LdsFile> out;
    for (std::uint8_t tag : tag_list) {
        if (auto f = file_by_tag(tag)) out.push_back(*f);
    }
    return out;
}

EfCom make_ef_com(const std::vector<LdsFile>& data_groups, std::string lds_version, std::string unicode_version) {
    EfCom com;
    com.lds_version = std::move(lds_version);
    com.unicode_version = std::move(unicode_version);
    for (LdsFile f : data_groups) {
        const auto& info = file_info(f);
        if (info.data_group == 0) throw InvalidArgument("EF.COM lists data groups only, not " + std::string(info.name));
        com.tag_list.push_back(static_cast<std::uint8_t>(info.tag));
    }
    return com;
}

Bytes encode(const EfCom& com) {
    if (!all_digits(com.lds_version, 4)) throw InvalidArgument("EF.COM: the LDS version must be 4 digits");
    if (!all_digits(com.unicode_version, 6)) throw InvalidArgument("EF.COM: the Unicode version must be 6 digits");
    return tlv::encode_constructed(kComTag, {tlv::encode(kLdsVersionTag, view(com.lds_version)),
                                             tlv::encode(kUnicodeVersionTag, view(com.unicode_version)),
                                             tlv::encode(kTagListTag, com.tag_list)});
}

EfCom decode_ef_com(ByteView bytes) {
    auto outer = detail::read_one(bytes, kComTag, kWhat);
    tlv::Reader r(outer.value);
    EfCom com;
    com.lds_version = to_string(detail::expect_tag(r, kLdsVersionTag, kWhat).value);
    com.unicode_version = to_string(detail::expect_tag(r, kUnicodeVersionTag, kWhat).value);
    auto list = detail::expect_tag(r, kTagListTag, kWhat);
    if (!r.at_end()) detail::fail(kWhat, "unexpected data after the tag list");
    if (!all_digits(com.lds_version, 4)) detail::fail(kWhat, "the LDS version is not 4 digits");
    if (!all_digits(com.unicode_version, 6)) detail::fail(kWhat, "the Unicode version is not 6 digits");
    com.tag_list.assign(list.value.begin(), list.value.end());
    return com;
}

}  // namespace cccd::lds
