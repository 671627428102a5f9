#include "base/bytes.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

using namespace cccd;

TEST(Bytes, HexRoundTrips) {
    EXPECT_EQ(to_hex(from_hex("00ff 7A:b1")), "00FF7AB1");
    EXPECT_THROW(from_hex("0G"), InvalidArgument);
    EXPECT_THROW(from_hex("ABC"), InvalidArgument);
}

TEST(Bytes, ConstantTimeEqualComparesContentAndLength) {
    EXPECT_TRUE(constant_time_equal(from_hex("0102"), from_hex("0102")));
    EXPECT_FALSE(constant_time_equal(from_hex("0102"), from_hex("0103")));
    EXPECT_FALSE(constant_time_equal(from_hex("0102"), from_hex("010200")));
}

TEST(Bytes, BigEndian) {
    EXPECT_EQ(to_hex(be_bytes(1, 4)), "00000001");
    EXPECT_EQ(to_hex(be_bytes(0x0102030405060708ull, 8)), "0102030405060708");
}

TEST(Bytes, SecretBytesWipesOnMoveFrom) {
    SecretBytes a(from_hex("AABB"));
    SecretBytes b(std::move(a));
    EXPECT_EQ(b.size(), 2u);
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
}
