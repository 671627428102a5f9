// vcard::ChipChannel: the chip in process as a card channel — what reached the chip, the reader's
// extended-length flag, and a card pulled after N commands that the chip never sees.
#include "vcard/chip_channel.hpp"

#include <gtest/gtest.h>

#include "card/perso/commands.hpp"

using namespace cccd;

namespace {

const Bytes kTransportKey = from_hex("000102030405060708090A0B0C0D0E0F");

}  // namespace

TEST(ChipChannel, PassesCommandsToTheChipAndCountsWhatCrossed) {
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    vcard::ChipChannel channel(chip);
    EXPECT_FALSE(channel.extended_length());
    Bytes select = apdu::select_application(apdu::emrtd_aid()).encode();
    EXPECT_EQ(channel.transmit(select), from_hex("9000"));
    Bytes serial = channel.transmit(perso::get_data(perso::InfoReference::ChipSerial).encode());
    ASSERT_EQ(serial.size(), 10u);  // the 8-byte serial and 9000
    EXPECT_EQ(Bytes(serial.begin(), serial.begin() + 8), chip.contents().chip_serial);
    EXPECT_EQ(channel.traffic().apdus, 2u);
    EXPECT_EQ(channel.traffic().bytes_sent, select.size() + 5u);  // GET DATA: 00 CA 00 02 00
    EXPECT_EQ(channel.traffic().bytes_received, 2u + serial.size());
    EXPECT_TRUE(vcard::ChipChannel(chip, true).extended_length());
}

TEST(ChipChannel, APulledCardAnswersNothingMoreAndTheChipSeesNothing) {
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    vcard::ChipChannel channel(chip);
    channel.pull_after(1);
    EXPECT_NO_THROW(channel.transmit(apdu::select_application(apdu::emrtd_aid()).encode()));
    Bytes select_file = apdu::select_file(0x011E).encode();
    EXPECT_THROW(channel.transmit(select_file), channel::CardRemovedError);
    EXPECT_THROW(channel.transmit(select_file), channel::CardRemovedError);  // it stays out
    EXPECT_EQ(channel.traffic().apdus, 1u);
    EXPECT_FALSE(chip.selected_file().has_value());
}
