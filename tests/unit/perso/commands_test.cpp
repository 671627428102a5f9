// The personalization commands: exact bytes of each builder, and the chip-side decoders taking back
// what the builders make and refusing malformed data.
#include "card/perso/commands.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

using namespace cccd;
using namespace cccd::perso;

TEST(PersoCommands, CreateFileCarriesSizeFidAndShortId) {
    FileSpec dg2{0x0102, 15000, std::uint8_t{0x02}};
    EXPECT_EQ(to_hex(create_file(dg2).encode()), "00E000000D620B8002" "3A98" "83020102" "880110");
    EXPECT_EQ(decode_create_file(create_file(dg2).data), dg2);
    FileSpec plain{0x011E, 24, std::nullopt};
    EXPECT_EQ(decode_create_file(create_file(plain).data), plain);
}

TEST(PersoCommands, CreateFileRefusesImpossibleSizesAndMalformedData) {
    EXPECT_THROW(create_file({0x0101, 0, std::nullopt}), InvalidArgument);
    EXPECT_THROW(create_file({0x0101, 70000, std::nullopt}), InvalidArgument);
    EXPECT_THROW(decode_create_file(from_hex("6206800200008302")), ParseError);          // truncated
    EXPECT_THROW(decode_create_file(from_hex("620880020000830201 01")), ParseError);    // size 0
    EXPECT_THROW(decode_create_file(from_hex("62098002001083020101880111")), ParseError);  // SFI low bits set
    EXPECT_THROW(decode_create_file(from_hex("620A800200108302010199 0100")), ParseError);  // unknown trailing DO
}

TEST(PersoCommands, UpdateBinaryUsesTheOddInstructionBeyond32K) {
    Bytes data = from_hex("0102");
    EXPECT_EQ(to_hex(apdu::update_binary(0x1234, data).encode()), "00D61234020102");
    auto odd = apdu::update_binary(0x8000, data);
    EXPECT_EQ(to_hex(odd.encode()), "00D7000008" "54028000" "53020102");
    auto decoded = decode_update_binary_odd(odd.data);
    EXPECT_EQ(decoded.offset, 0x8000u);
    EXPECT_EQ(decoded.data, data);
    EXPECT_THROW(apdu::update_binary(0, {}), InvalidArgument);
    EXPECT_THROW(decode_update_binary_odd(from_hex("54010053 00")), ParseError);  // no data
    EXPECT_THROW(decode_update_binary_odd(from_hex("5404 01000000 5301AA")), ParseError);  // 4-byte offset
}

TEST(PersoCommands, KeySpecsRoundTrip) {
    auto ec = generate_key_pair(KeyReference::ActiveAuthentication, KeySpec::ec(13));
    EXPECT_EQ(ec.ins, kInsGenerateKeyPair);
    EXPECT_EQ(ec.p2, 0x01);
    EXPECT_EQ(to_hex(ec.data), "AC06800101" "84010D");
    EXPECT_EQ(decode_key_spec(ec.data), KeySpec::ec(13));
    auto rsa = generate_key_pair(KeyReference::ChipAuthentication, KeySpec::rsa(2048));
    EXPECT_EQ(rsa.p2, 0x02);
    EXPECT_EQ(decode_key_spec(rsa.data), KeySpec::rsa(2048));
    EXPECT_TRUE(rsa.ne.has_value());
    EXPECT_THROW(decode_key_spec(from_hex("AC03800103")), ParseError);  // unknown algorithm
    EXPECT_THROW(decode_key_spec(from_hex("AC03800101")), ParseError);  // EC without parameters
}

TEST(PersoCommands, DataLockAndLifeCycleNames) {
    EXPECT_EQ(to_hex(put_data(DataReference::Can, view(std::string("345678"))).encode()), "00DA000106333435363738");
    EXPECT_EQ(to_hex(get_data(InfoReference::LifeCycle).encode()), "00CA000100");
    EXPECT_EQ(to_hex(lock().encode()), "00440000");
    EXPECT_EQ(to_hex(delete_file(0x0102).encode()), "00E40000020102");
    EXPECT_EQ(life_cycle_name(LifeCycle::Blank), "blank");
    EXPECT_EQ(life_cycle_name(LifeCycle::Locked), "locked");
}
