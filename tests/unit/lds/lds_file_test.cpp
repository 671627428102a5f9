#include "card/lds/lds_file.hpp"

#include <gtest/gtest.h>

using namespace cccd;
using namespace cccd::lds;

TEST(LdsFile, TableMatchesPart10) {
    EXPECT_EQ(file_info(LdsFile::Com).fid, 0x011E);
    EXPECT_EQ(file_info(LdsFile::Com).short_ef_id, 0x1E);
    EXPECT_EQ(file_info(LdsFile::Com).tag, 0x60u);
    EXPECT_EQ(file_info(LdsFile::Dg1).tag, 0x61u);
    EXPECT_EQ(file_info(LdsFile::Dg2).tag, 0x75u);
    EXPECT_EQ(file_info(LdsFile::Dg13).fid, 0x010D);
    EXPECT_EQ(file_info(LdsFile::Dg13).short_ef_id, 0x0D);
    EXPECT_EQ(file_info(LdsFile::Dg13).tag, 0x6Du);
    EXPECT_EQ(file_info(LdsFile::Dg13).data_group, 13);
    EXPECT_EQ(file_info(LdsFile::Dg16).tag, 0x70u);
    EXPECT_EQ(file_info(LdsFile::Sod).fid, 0x011D);
    EXPECT_EQ(file_info(LdsFile::Sod).tag, 0x77u);
    EXPECT_EQ(file_info(LdsFile::CardAccess).fid, 0x011C);
    EXPECT_EQ(file_info(LdsFile::CardAccess).short_ef_id, 0x1C);
    EXPECT_EQ(file_name(LdsFile::CardAccess), "EF.CardAccess");
    EXPECT_EQ(all_files().size(), 19u);
    for (std::size_t i = 0; i < all_files().size(); ++i) EXPECT_EQ(static_cast<std::size_t>(all_files()[i].file), i);
}

TEST(LdsFile, LooksUpByTagFidNameAndNumber) {
    EXPECT_EQ(file_by_tag(0x6E), LdsFile::Dg14);
    EXPECT_EQ(file_by_tag(0x77), LdsFile::Sod);
    EXPECT_FALSE(file_by_tag(0x7F61).has_value());
    EXPECT_EQ(file_by_fid(0x010F), LdsFile::Dg15);
    EXPECT_FALSE(file_by_fid(0x0111).has_value());
    EXPECT_EQ(file_by_short_ef_id(0x1D), LdsFile::Sod);
    EXPECT_EQ(file_by_name("DG13"), LdsFile::Dg13);
    EXPECT_EQ(file_by_name("dg2"), LdsFile::Dg2);
    EXPECT_EQ(file_by_name("EF.DG1"), LdsFile::Dg1);
    EXPECT_EQ(file_by_name("EF.COM"), LdsFile::Com);
    EXPECT_EQ(file_by_name("com"), LdsFile::Com);
    EXPECT_EQ(file_by_name("ef.sod"), LdsFile::Sod);
    EXPECT_EQ(file_by_name("CardAccess"), LdsFile::CardAccess);
    EXPECT_FALSE(file_by_name("DG17").has_value());
    EXPECT_FALSE(file_by_name("").has_value());
    EXPECT_EQ(data_group_file(16), LdsFile::Dg16);
    EXPECT_FALSE(data_group_file(0).has_value());
    EXPECT_FALSE(data_group_file(17).has_value());
}

TEST(LdsFile, DetectsKindFromFirstTag) {
    EXPECT_EQ(detect_file(from_hex("6D82017C30")), LdsFile::Dg13);
    EXPECT_EQ(detect_file(from_hex("3114")), LdsFile::CardAccess);
    EXPECT_EQ(detect_file(from_hex("60145F01")), LdsFile::Com);
    EXPECT_EQ(detect_file(from_hex("7782")), LdsFile::Sod);
    EXPECT_FALSE(detect_file(Bytes{}).has_value());
    EXPECT_FALSE(detect_file(from_hex("3000")).has_value());
}
