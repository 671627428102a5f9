#pragma once
// Spoken prompts at the kiosk, for citizens who cannot read the screen. The voice is espeak-ng's
// Vietnamese ("vi", Debian's espeak-ng package). espeak-ng is GPL: it runs as a separate program, never
// linked into the kiosk; the text reaches it as one argument after "--", never through a shell.
//
//   render_speech(text, wav)   the prompt as a WAV file (for tests and for a kiosk that plays files)
//   Speaker::say(text)         aloud, at once; a new prompt cuts the one still playing
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace cccd::station {

struct SpeechOptions {
    std::string program = "espeak-ng";  // looked up in PATH unless it holds a '/'
    std::string voice = "vi";           // espeak-ng's Northern Vietnamese voice
    int words_per_minute = 140;         // espeak-ng's default 175 is fast for a public kiosk
};

// Whether the program runs and has the voice (espeak-ng falls back to its default voice otherwise).
bool has_voice(const SpeechOptions& options = {});

// Writes `text` spoken to `wav` (16-bit PCM). Error naming the program when it cannot be started or
// fails (not installed, unknown voice); InvalidArgument for empty text.
void render_speech(std::string_view text, const std::filesystem::path& wav, const SpeechOptions& options = {});

// Speaks through the machine's audio output. Owns at most one running espeak-ng: say() stops the one
// still speaking first, and the destructor stops and reaps it. Not thread-safe: one owner (the kiosk's
// window). say() returns false, and the kiosk carries on silently, when the program cannot be started
// or lacks the voice (checked once, when the speaker is made).
class Speaker {
public:
    explicit Speaker(SpeechOptions options = {});
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    bool say(std::string_view text);
    void stop() noexcept;

private:
    SpeechOptions options_;
    bool voice_ready_ = false;
    pid_t child_ = -1;
};

}  // namespace cccd::station
