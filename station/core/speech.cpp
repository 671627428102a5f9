#include "station/core/speech.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <optional>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "base/error.hpp"

extern char** environ;

namespace cccd::station {

namespace {

// posix_spawn's file actions, released on every path.
class FileActions {
public:
    FileActions() {
        if (::posix_spawn_file_actions_init(&actions_) != 0) throw Error("speech: cannot prepare the voice program");
    }
    ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_{};
};

// Starts `options.program` with the voice and speed, `extra` arguments, then "--" and the text; its
// standard streams on /dev/null. The child's pid, or -1 when it could not be started.
pid_t spawn_voice(const SpeechOptions& options, const std::vector<std::string>& extra, std::string_view text) {
    std::vector<std::string> args{options.program, "-v", options.voice, "-s", std::to_string(options.words_per_minute)};
    args.insert(args.end(), extra.begin(), extra.end());
    args.emplace_back("--");
    args.emplace_back(text);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    FileActions actions;
    for (int fd : {0, 1, 2}) {
        const int flags = fd == 0 ? O_RDONLY : O_WRONLY;
        if (::posix_spawn_file_actions_addopen(actions.get(), fd, "/dev/null", flags, 0) != 0) return -1;
    }
    pid_t pid = -1;
    if (::posix_spawnp(&pid, options.program.c_str(), actions.get(), nullptr, argv.data(), environ) != 0) return -1;
    return pid;
}

// The child's exit status, or -1 when it died of a signal.
int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The program's standard output for `args` (stdin and stderr on /dev/null); nothing when it cannot
// be started or does not exit 0.
std::optional<std::string> output_of(const std::string& program, std::vector<std::string> args) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return std::nullopt;
    const int read_end = pipe_fds[0], write_end = pipe_fds[1];
    std::vector<char*> argv;
    args.insert(args.begin(), program);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    {
        FileActions actions;
        const bool ready = ::posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0) == 0 &&
                           ::posix_spawn_file_actions_adddup2(actions.get(), write_end, 1) == 0 &&
                           ::posix_spawn_file_actions_addopen(actions.get(), 2, "/dev/null", O_WRONLY, 0) == 0;
        if (!ready || ::posix_spawnp(&pid, program.c_str(), actions.get(), nullptr, argv.data(), environ) != 0) pid = -1;
    }
    ::close(write_end);
    std::string out;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(read_end, buffer, sizeof buffer);
        if (n > 0 && out.size() < 1024 * 1024) out.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
    ::close(read_end);
    if (pid < 0 || wait_for(pid) != 0) return std::nullopt;
    return out;
}

}  // namespace

bool has_voice(const SpeechOptions& options) {
    // "--voices=LANG" lists every voice whose language starts with LANG ("no" for "no-such"): the
    // second column must be the voice itself.
    const auto listing = output_of(options.program, {"--voices=" + options.voice});
    if (!listing) return false;
    std::istringstream lines(*listing);
    std::string line;
    std::getline(lines, line);  // the heading
    while (std::getline(lines, line)) {
        std::istringstream columns(line);
        std::string priority, language;
        if (columns >> priority >> language && language == options.voice) return true;
    }
    return false;
}

void render_speech(std::string_view text, const std::filesystem::path& wav, const SpeechOptions& options) {
    if (text.empty()) throw InvalidArgument("speech: there is no text to speak");
    // espeak-ng speaks with its default voice when asked for one it lacks: Vietnamese read as English.
    if (!has_voice(options)) {
        throw Error("speech: " + options.program + " cannot be started or has no voice \"" + options.voice +
                    "\" (install Debian's espeak-ng)");
    }
    const pid_t pid = spawn_voice(options, {"-w", wav.string()}, text);
    if (pid < 0) throw Error("speech: cannot start " + options.program + " (is the espeak-ng package installed?)");
    const int status = wait_for(pid);
    if (status != 0) {
        throw Error("speech: " + options.program + " failed (exit " + std::to_string(status) + ") with the voice \"" +
                    options.voice + "\"");
    }
}

Speaker::Speaker(SpeechOptions options) : options_(std::move(options)), voice_ready_(has_voice(options_)) {}

Speaker::~Speaker() { stop(); }

bool Speaker::say(std::string_view text) {
    stop();
    if (!voice_ready_) return false;
    if (text.empty()) return true;
    child_ = spawn_voice(options_, {}, text);
    return child_ >= 0;
}

void Speaker::stop() noexcept {
    if (child_ < 0) return;
    ::kill(child_, SIGTERM);
    (void)wait_for(child_);
    child_ = -1;
}

}  // namespace cccd::station
