// The kiosk's spoken prompts (station/core/speech.hpp): espeak-ng's Vietnamese voice renders a prompt
// to a WAV file that holds speech, not silence; failures of the program are errors, not hangs.
#include "station/core/speech.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "base/error.hpp"
#include "base/file.hpp"

namespace cccd::station {
namespace {

namespace fs = std::filesystem;

// What a 16-bit PCM WAV file holds, for these tests only (the product never reads WAV).
struct Wav {
    unsigned sample_rate = 0;
    unsigned channels = 0;
    double seconds = 0;
    double rms = 0;  // 0..1 of full scale
};

std::uint32_t le32(const Bytes& b, std::size_t at) {
    return static_cast<std::uint32_t>(b.at(at)) | static_cast<std::uint32_t>(b.at(at + 1)) << 8 |
           static_cast<std::uint32_t>(b.at(at + 2)) << 16 | static_cast<std::uint32_t>(b.at(at + 3)) << 24;
}
std::uint16_t le16(const Bytes& b, std::size_t at) { return static_cast<std::uint16_t>(b.at(at) | b.at(at + 1) << 8); }
bool tag_is(const Bytes& b, std::size_t at, const char* tag) {
    return at + 4 <= b.size() && std::memcmp(b.data() + at, tag, 4) == 0;
}

Wav read_wav(const Bytes& b) {
    Wav out;
    if (!tag_is(b, 0, "RIFF") || !tag_is(b, 8, "WAVE")) throw ParseError("not a RIFF/WAVE file");
    std::size_t at = 12;
    std::size_t data_at = 0, data_size = 0;
    while (at + 8 <= b.size()) {
        const std::size_t size = le32(b, at + 4);
        const std::size_t length = std::min(size, b.size() - (at + 8));  // espeak-ng may leave 0x7FFFFFFF
        if (tag_is(b, at, "fmt ")) {
            if (le16(b, at + 8) != 1 || le16(b, at + 22) != 16) throw ParseError("not 16-bit PCM");
            out.channels = le16(b, at + 10);
            out.sample_rate = le32(b, at + 12);
        } else if (tag_is(b, at, "data")) {
            data_at = at + 8;
            data_size = length;
        }
        at += 8 + length + (length & 1);
    }
    if (out.sample_rate == 0 || out.channels == 0 || data_at == 0) throw ParseError("no fmt or no data chunk");
    const std::size_t count = data_size / 2;
    double sum = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double v = static_cast<std::int16_t>(le16(b, data_at + 2 * i)) / 32768.0;
        sum += v * v;
    }
    out.rms = count ? std::sqrt(sum / static_cast<double>(count)) : 0;
    out.seconds = static_cast<double>(count) / out.channels / out.sample_rate;
    return out;
}

class SpeechTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("cccd-speech-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(SpeechTest, AVietnamesePromptIsSpeechNotSilence) {
    // scripts/setup.sh installs espeak-ng: its absence is a broken setup, not a reason to skip.
    const fs::path wav = dir_ / "prompt.wav";
    render_speech("Vui lòng đặt thẻ căn cước lên đầu đọc", wav);
    const Wav spoken = read_wav(read_file(wav));
    EXPECT_EQ(spoken.channels, 1u);
    EXPECT_GE(spoken.sample_rate, 16000u);
    EXPECT_GT(spoken.seconds, 1.0) << "nine syllables take more than a second";
    EXPECT_GT(spoken.rms, 0.02) << "the prompt is (nearly) silent";
}

TEST_F(SpeechTest, ALongerPromptTakesLonger) {
    render_speech("Xin chào", dir_ / "short.wav");
    render_speech("Xin chào. Vui lòng nhập sáu chữ số in trên mặt trước của thẻ, rồi nhấn Tiếp tục.", dir_ / "long.wav");
    EXPECT_GT(read_wav(read_file(dir_ / "long.wav")).seconds, 2 * read_wav(read_file(dir_ / "short.wav")).seconds);
}

TEST_F(SpeechTest, TextThatLooksLikeAnOptionIsSpokenNotObeyed) {
    // "-w /etc/x" after "--" is text: nothing is written anywhere but the chosen file.
    const fs::path wav = dir_ / "dash.wav";
    render_speech("-w " + (dir_ / "other.wav").string(), wav);
    EXPECT_TRUE(fs::exists(wav));
    EXPECT_FALSE(fs::exists(dir_ / "other.wav"));
}

TEST_F(SpeechTest, TheVietnameseVoiceIsThereAndAnUnknownOneIsNot) {
    EXPECT_TRUE(has_voice());
    SpeechOptions south;
    south.voice = "vi-vn-x-south";
    EXPECT_TRUE(has_voice(south));
    SpeechOptions unknown;
    unknown.voice = "no-such-voice";  // espeak-ng lists Norwegian for it: a prefix is not the voice
    EXPECT_FALSE(has_voice(unknown));
}

TEST_F(SpeechTest, AMissingProgramAnUnknownVoiceOrNoTextIsAnError) {
    SpeechOptions missing;
    missing.program = "/nonexistent/espeak-ng";
    EXPECT_THROW(render_speech("Xin chào", dir_ / "a.wav", missing), Error);
    SpeechOptions unknown_voice;
    unknown_voice.voice = "no-such-voice";
    EXPECT_THROW(render_speech("Xin chào", dir_ / "b.wav", unknown_voice), Error);
    EXPECT_THROW(render_speech("", dir_ / "c.wav"), InvalidArgument);
}

TEST_F(SpeechTest, TheSpeakerCarriesOnSilentlyWithoutItsProgram) {
    SpeechOptions missing;
    missing.program = "/nonexistent/espeak-ng";
    Speaker speaker(missing);
    EXPECT_FALSE(speaker.say("Xin chào"));
    speaker.stop();  // nothing running: nothing to do
}

TEST_F(SpeechTest, TheSpeakerStopsAPromptThatIsStillPlaying) {
    // A stand-in voice that would run for a minute: say() again and stop() return at once.
    const fs::path slow = dir_ / "slow-voice";
    {
        std::FILE* f = std::fopen(slow.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs("#!/bin/sh\ncase \"$1\" in --voices=*) printf 'Pty Language\\n 5  vi  --/M  x  y\\n'; exit 0;; esac\n"
                   "exec sleep 60\n", f);
        std::fclose(f);
        fs::permissions(slow, fs::perms::owner_all);
    }
    // It answers the voice check (any arguments but --voices... sleep a minute).
    SpeechOptions options;
    options.program = slow.string();
    options.voice = "vi";
    Speaker speaker(options);
    ASSERT_TRUE(speaker.say("Xin chào"));
    ASSERT_TRUE(speaker.say("Vui lòng đặt thẻ"));  // cuts the first one
    speaker.stop();                                  // returns only after reaping the second
    SUCCEED();
}

}  // namespace
}  // namespace cccd::station
