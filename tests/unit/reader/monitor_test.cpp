// The pure parts of the reader layer: turning two looks at the readers into events, and the
// extended-length rule. The monitor's thread over the real pcscd is covered by
// tests/integration/pcsc_watch_test.sh.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "card/reader/monitor.hpp"
#include "card/reader/pcsc.hpp"

namespace cccd::reader {
namespace {

const Bytes kAtr{0x3B, 0x8F, 0x80, 0x01};
const Bytes kOtherAtr{0x3B, 0x88, 0x80, 0x01};

ReaderSnapshot empty_reader(const std::string& name) { return {name, false, {}, 0}; }
ReaderSnapshot reader_with_card(const std::string& name, const Bytes& atr = kAtr, std::uint32_t events = 1) {
    return {name, true, atr, events};
}

using Events = std::vector<ReaderEvent>;

TEST(DiffReaderStates, NothingChangedGivesNoEvents) {
    std::vector<ReaderSnapshot> look{empty_reader("A"), reader_with_card("B")};
    EXPECT_TRUE(diff_reader_states(look, look).empty());
    EXPECT_TRUE(diff_reader_states({}, {}).empty());
}

TEST(DiffReaderStates, InitialStateReportsReadersThenTheirCards) {
    auto events = diff_reader_states({}, {reader_with_card("A"), empty_reader("B")});
    EXPECT_EQ(events, (Events{ReaderAdded{"A"}, CardInserted{"A", kAtr}, ReaderAdded{"B"}}));
}

TEST(DiffReaderStates, ReaderUnpluggedWithACardRemovesTheCardFirst) {
    auto events = diff_reader_states({reader_with_card("A"), empty_reader("B")}, {});
    EXPECT_EQ(events, (Events{CardRemoved{"A"}, ReaderRemoved{"A"}, ReaderRemoved{"B"}}));
}

TEST(DiffReaderStates, CardInsertedAndRemoved) {
    EXPECT_EQ(diff_reader_states({empty_reader("A")}, {reader_with_card("A")}), (Events{CardInserted{"A", kAtr}}));
    EXPECT_EQ(diff_reader_states({reader_with_card("A")}, {empty_reader("A")}), (Events{CardRemoved{"A"}}));
}

TEST(DiffReaderStates, SwappedCardIsRemovedThenInserted) {
    // Another ATR, or the same ATR with pcsc-lite's card event count moved (out and back in between looks).
    EXPECT_EQ(diff_reader_states({reader_with_card("A")}, {reader_with_card("A", kOtherAtr)}),
              (Events{CardRemoved{"A"}, CardInserted{"A", kOtherAtr}}));
    EXPECT_EQ(diff_reader_states({reader_with_card("A", kAtr, 1)}, {reader_with_card("A", kAtr, 3)}),
              (Events{CardRemoved{"A"}, CardInserted{"A", kAtr}}));
}

TEST(DiffReaderStates, OneReaderReplacedByAnother) {
    auto events = diff_reader_states({reader_with_card("A"), empty_reader("B")}, {empty_reader("B"), reader_with_card("C")});
    EXPECT_EQ(events, (Events{CardRemoved{"A"}, ReaderRemoved{"A"}, ReaderAdded{"C"}, CardInserted{"C", kAtr}}));
}

TEST(DiffReaderStates, EmptyReaderWithCountMovedStaysQuiet) {
    // The count also moves for a card that came and went between two looks: nothing to report now.
    EXPECT_TRUE(diff_reader_states({{"A", false, {}, 2}}, {{"A", false, {}, 4}}).empty());
}

TEST(UseExtendedLength, ReaderLimitWinsOverTheProtocol) {
    EXPECT_TRUE(use_extended_length(65544, false));
    EXPECT_TRUE(use_extended_length(262, true));
    EXPECT_FALSE(use_extended_length(261, true));
    EXPECT_FALSE(use_extended_length(0, true));
}

TEST(UseExtendedLength, WithoutALimitT1Decides) {
    EXPECT_TRUE(use_extended_length(std::nullopt, true));
    EXPECT_FALSE(use_extended_length(std::nullopt, false));
}

TEST(ReaderMonitor, StopWithoutStartAndTwiceIsHarmless) {
    ReaderMonitor monitor([](const ReaderEvent&) {});
    monitor.stop();
    monitor.stop();
}

TEST(ReaderMonitor, StopsPromptlyWhetherOrNotPcscdRuns) {
    // With pcscd the thread sits in SCardGetStatusChange(INFINITE); without it, in the 500 ms retry wait.
    // Either way stop() must end it at once. Only reads PC/SC state, never changes it.
    ReaderMonitor monitor([](const ReaderEvent&) {});
    monitor.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto before = std::chrono::steady_clock::now();
    monitor.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
}

}  // namespace
}  // namespace cccd::reader
