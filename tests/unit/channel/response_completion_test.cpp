// How the transport completes a response before the session sees it: 61xx answered with GET RESPONSE
// until the final status word, 6Cxx answered by sending the command again with the right Le; and how
// read_file takes what cards in the field send: a short read, the end of the file with 6282, a file
// smaller than the first block. Scripted, byte for byte.
#include "card/channel/response_completion.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "card/channel/files.hpp"
#include "card/channel/secure_channel.hpp"
#include "card/lds/lds_file.hpp"
#include "tests/fixtures/scripted_channel.hpp"

using namespace cccd;
using channel::ResponseCompletion;
using channel::SecureChannel;
using fixtures::ScriptedChannel;

namespace {

const lds::LdsFileInfo& card_access() { return lds::file_info(lds::LdsFile::CardAccess); }
const lds::LdsFileInfo& dg1() { return lds::file_info(lds::LdsFile::Dg1); }

// A file of `size` bytes: 61 82 len, then filler.
Bytes file_of(std::size_t size) {
    Bytes f = {0x61, 0x82, static_cast<std::uint8_t>((size - 4) >> 8), static_cast<std::uint8_t>((size - 4) & 0xFF)};
    for (std::size_t i = 4; i < size; ++i) f.push_back(static_cast<std::uint8_t>(i));
    return f;
}

std::string hex_of(ByteView bytes) { return to_hex(bytes); }

}  // namespace

TEST(ResponseCompletion, GetResponseRoundsCollectTheDataUntilTheFinalStatusWord) {
    ResponseCompletion completion(from_hex("0C B0 00 00 0D 97 01 DF 8E 08 0102030405060708 00"));
    auto next = completion.accept(from_hex("6110"));
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, from_hex("00C0000010"));  // plain GET RESPONSE, never wrapped
    next = completion.accept(from_hex("00112233445566778899AABBCCDDEEFF 6104"));
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, from_hex("00C0000004"));
    EXPECT_FALSE(completion.accept(from_hex("01020304 9000")));
    EXPECT_EQ(completion.response(), from_hex("00112233445566778899AABBCCDDEEFF01020304 9000"));
}

TEST(ResponseCompletion, SixtyOneZeroZeroAsksFor256Bytes) {
    ResponseCompletion completion(from_hex("00B0000000"));
    auto next = completion.accept(from_hex("6100"));
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, from_hex("00C0000000"));
}

TEST(ResponseCompletion, WrongLeSendsTheSameCommandAgainWithTheLeTheCardNamedOnce) {
    ResponseCompletion completion(from_hex("00 B0 00 00 DF"));
    auto next = completion.accept(from_hex("6C36"));
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, from_hex("00 B0 00 00 36"));
    // A second 6Cxx is the card's answer: no loop.
    EXPECT_FALSE(completion.accept(from_hex("6C20")));
    EXPECT_EQ(completion.response(), from_hex("6C20"));
}

TEST(ResponseCompletion, WrongLeOnACommandWithDataKeepsTheData) {
    ResponseCompletion completion(from_hex("00 88 00 00 08 0102030405060708 00"));
    auto next = completion.accept(from_hex("6C40"));
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, from_hex("00 88 00 00 08 0102030405060708 40"));
}

TEST(ResponseCompletion, WrongLeInAGetResponseRoundAsksAgainForWhatIsThere) {
    ResponseCompletion completion(from_hex("00 88 00 00 08 0102030405060708"));
    ASSERT_EQ(completion.accept(from_hex("6140")), from_hex("00C0000040"));
    ASSERT_EQ(completion.accept(from_hex("6C20")), from_hex("00C0000020"));
    EXPECT_FALSE(completion.accept(from_hex("AA 9000")));
    EXPECT_EQ(completion.response(), from_hex("AA9000"));
}

TEST(ResponseCompletion, WrongLeOnAnExtendedCommandStandsAsTheAnswer) {
    ResponseCompletion completion(from_hex("00 B0 00 00 00 08 00"));
    EXPECT_FALSE(completion.accept(from_hex("6C36")));
    EXPECT_EQ(completion.response(), from_hex("6C36"));
}

TEST(ResponseCompletion, OtherStatusWordsAreFinalAtOnce) {
    for (const char* answer : {"9000", "6282", "6A82", "0102 9000", "6300"}) {
        ResponseCompletion completion(from_hex("00 B0 00 00 08"));
        EXPECT_FALSE(completion.accept(from_hex(answer))) << answer;
        EXPECT_EQ(completion.response(), from_hex(answer));
    }
}

TEST(ResponseCompletion, ACardThatNeverStopsAnnouncingMoreDataEndsWithAProtocolErrorNotAHang) {
    ResponseCompletion completion(from_hex("00 B0 00 00 08"));
    std::size_t rounds = 0;
    EXPECT_THROW(
        {
            while (completion.accept(from_hex("AA 6101"))) ++rounds;
        },
        ProtocolError);
    EXPECT_EQ(rounds, channel::kMaxResponseRounds);
}

TEST(ResponseCompletion, AnAnswerWithoutAStatusWordIsAParseError) {
    ResponseCompletion completion(from_hex("00 B0 00 00 08"));
    EXPECT_THROW(completion.accept(from_hex("90")), ParseError);
    EXPECT_THROW(completion.accept({}), ParseError);
}

// ---- through the channel and the file loop ----

TEST(ReaderBehaviour, T0GetResponseAndWrongLeUnderReadFile) {
    const Bytes file = file_of(40);
    ScriptedChannel card({
        {"00 B0 81 00 DF", "6C 28"},  // DG1 by its short EF identifier; wrong Le: 40 bytes are there
        {"00 B0 81 00 28", "61 28"},  // then handed out through GET RESPONSE
        {"00 C0 00 00 28", hex_of(file) + "9000"},
    });
    SecureChannel link(card);
    auto content = channel::read_file(link, dg1());
    ASSERT_TRUE(content);
    EXPECT_EQ(*content, file);
    EXPECT_TRUE(card.done());
    EXPECT_EQ(link.traffic().apdus, 3u);  // every exchange on the wire counts
}

TEST(ReaderBehaviour, EndOfFileWarningWithTheLastBytesCompletesTheFile) {
    const Bytes file = file_of(300);
    ScriptedChannel card({
        {"00 B0 81 00 DF", hex_of(ByteView(file).first(223)) + "9000"},
        {"00 B0 00 DF 4D", hex_of(ByteView(file).subspan(223)) + "6282"},  // the end, said with 6282
    });
    SecureChannel link(card);
    auto content = channel::read_file(link, dg1());
    ASSERT_TRUE(content);
    EXPECT_EQ(*content, file);

    // A small file answers the first block with 6282.
    const Bytes small = file_of(20);
    ScriptedChannel small_card({{"00 B0 9C 00 DF", hex_of(small) + "6282"}});
    SecureChannel small_link(small_card);
    EXPECT_EQ(channel::read_file(small_link, card_access()), small);
}

TEST(ReaderBehaviour, EndOfFileBeforeTheAnnouncedSizeIsAProtocolError) {
    const Bytes file = file_of(300);
    ScriptedChannel card({
        {"00 B0 81 00 DF", hex_of(ByteView(file).first(100)) + "6282"},
    });
    SecureChannel link(card);
    try {
        channel::read_file(link, dg1());
        FAIL() << "a file cut short was accepted";
    } catch (const ProtocolError& e) {
        EXPECT_NE(std::string(e.what()).find("DG1 ended before its announced size"), std::string::npos) << e.what();
    }
}

TEST(ReaderBehaviour, ShortReadsGoOnFromWhereTheDataEnded) {
    const Bytes file = file_of(300);
    ScriptedChannel card({
        {"00 B0 81 00 DF", hex_of(ByteView(file).first(3)) + "9000"},  // not even the whole header
        {"00 B0 00 03 DF", hex_of(ByteView(file).subspan(3, 100)) + "9000"},
        {"00 B0 00 67 C5", hex_of(ByteView(file).subspan(103)) + "9000"},  // 197 bytes left
    });
    SecureChannel link(card);
    std::vector<channel::Progress> progress;
    auto content = channel::read_file(link, dg1(), [&](const channel::Progress& p) { progress.push_back(p); });
    ASSERT_TRUE(content);
    EXPECT_EQ(*content, file);
    ASSERT_EQ(progress.size(), 3u);
    EXPECT_EQ(progress[0].total, 0u);  // the size is not known from 3 bytes
    EXPECT_EQ(progress[1].total, 300u);
    EXPECT_EQ(progress[2].read, 300u);
}

TEST(ReaderBehaviour, BytesBeyondTheOuterTlvAreNotPartOfTheFile) {
    // Some chips pad a file; the first full block then brings bytes past the TLV, which are dropped.
    Bytes padded = file_of(20);
    padded.resize(60, 0xFF);
    ScriptedChannel card({{"00 B0 81 00 DF", hex_of(padded) + "9000"}});
    SecureChannel link(card);
    EXPECT_EQ(channel::read_file(link, dg1()), file_of(20));
}
