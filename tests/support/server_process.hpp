#pragma once
// The real cccd-server binary as a child process for integration tests: `serve --config FILE` with the
// given environment (passphrases), stdout read up to its "listening on https://ADDR:PORT" line, stderr
// appended to server.log beside the configuration. Stopped by PID: SIGTERM by default, SIGKILL to
// simulate a crash.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

namespace cccd::test {

class ServerProcess {
public:
    ServerProcess(const std::string& binary, const std::filesystem::path& config,
                  const std::map<std::string, std::string>& environment) {
        int out[2];
        if (::pipe(out) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            int log = ::open((config.parent_path() / "server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            ::dup2(log, STDERR_FILENO);
            ::close(out[0]);
            for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
            ::execl(binary.c_str(), binary.c_str(), "serve", "--config", config.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(out[1]);
        std::string line;
        char c = 0;
        while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
        ::close(out[0]);
        auto colon = line.rfind(':');
        if (line.rfind("listening on", 0) == 0 && colon != std::string::npos) {
            port_ = static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
        }
    }
    ~ServerProcess() { stop(SIGTERM); }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // 0 when the server did not start (see server.log).
    unsigned short port() const { return port_; }
    void stop(int signal_number = SIGTERM) {
        if (pid_ <= 0) return;
        ::kill(pid_, signal_number);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

}  // namespace cccd::test
