#pragma once
// A private PostgreSQL 15 server for tests: initdb into a temporary directory, `postgres` listening
// only on 127.0.0.1 at a free port (and a socket in that directory), a fresh database per call to
// create_database(), stopped by PID (SIGTERM, then wait) and removed at the end. It never touches a
// system cluster. As root, initdb and postgres run as the `postgres` user (initdb refuses root).
// Header-only so any suite can use it without build changes:
//   static PostgresServer& server = PostgresServer::shared();   // started on first use
//   std::string conninfo = server.create_database();            // "host=127.0.0.1 port=... dbname=..."
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

namespace cccd::test {

class PostgresServer {
public:
    static constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";

    // The one server of this test process, started on first use and stopped at exit.
    static PostgresServer& shared() {
        static PostgresServer server;
        return server;
    }

    PostgresServer() {
        char pattern[] = "/tmp/cccd-pg-XXXXXX";
        if (!mkdtemp(pattern)) throw std::runtime_error("postgres fixture: mkdtemp failed");
        root_ = pattern;
        data_ = root_ + "/data";
        resolve_user();
        if (chown(root_.c_str(), uid_, gid_) != 0) throw std::runtime_error("postgres fixture: chown failed");
        // -N: no fsync during initdb (a throw-away cluster); trust: only 127.0.0.1 and our socket can reach it.
        run_and_wait({bin("initdb"), "-D", data_, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"},
                     root_ + "/initdb.log");
        for (int attempt = 0; attempt < 5 && pid_ <= 0; ++attempt) {
            port_ = free_port();
            start();
        }
        if (pid_ <= 0) throw std::runtime_error("postgres fixture: the server did not start; see " + root_ + "/server.log");
    }

    ~PostgresServer() {
        if (pid_ > 0) {
            // Smart shutdown first (clients are gone by now); then fast, then immediate.
            kill(pid_, SIGTERM);
            if (!wait_for_exit(std::chrono::seconds(5))) {
                kill(pid_, SIGINT);
                if (!wait_for_exit(std::chrono::seconds(10))) {
                    kill(pid_, SIGQUIT);
                    wait_for_exit(std::chrono::seconds(10));
                }
            }
        }
        std::error_code ignored;
        std::filesystem::remove_all(root_, ignored);
    }

    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    int port() const noexcept { return port_; }

    // A libpq connection string for database `name` on this server.
    std::string conninfo(const std::string& name) const {
        return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + name + " user=postgres";
    }

    // A new, empty database; returns its connection string.
    std::string create_database() {
        static std::atomic<int> counter{0};
        const std::string name = "cccd_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
        pqxx::connection admin(conninfo("postgres"));
        pqxx::nontransaction work(admin);
        work.exec("CREATE DATABASE " + name);
        return conninfo(name);
    }

private:
    std::string bin(const char* name) const { return std::string(kBinDir) + "/" + name; }

    void resolve_user() {
        if (getuid() != 0) {
            uid_ = getuid();
            gid_ = getgid();
            return;
        }
        const passwd* user = getpwnam("postgres");
        if (!user) user = getpwnam("nobody");
        if (!user) throw std::runtime_error("postgres fixture: running as root and no unprivileged user to run as");
        drop_to_ = true;
        uid_ = user->pw_uid;
        gid_ = user->pw_gid;
    }

    static int free_port() {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        socklen_t length = sizeof address;
        if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            if (fd >= 0) close(fd);
            throw std::runtime_error("postgres fixture: no free port");
        }
        close(fd);
        return ntohs(address.sin_port);
    }

    // fork + (drop privileges) + exec; stdout and stderr go to `log`.
    pid_t spawn(const std::vector<std::string>& argv, const std::string& log, bool die_with_parent) const {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        const pid_t pid = fork();
        if (pid < 0) throw std::runtime_error("postgres fixture: fork failed");
        if (pid == 0) {
            const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (out >= 0) {
                dup2(out, STDOUT_FILENO);
                dup2(out, STDERR_FILENO);
                close(out);
            }
            if (drop_to_ && (setgroups(0, nullptr) != 0 || setgid(gid_) != 0 || setuid(uid_) != 0)) _exit(126);
            // Set after the credential change (which clears it): a crashed test never leaves a server behind.
            if (die_with_parent) prctl(PR_SET_PDEATHSIG, SIGTERM);
            execv(args[0], args.data());
            _exit(127);
        }
        return pid;
    }

    void run_and_wait(const std::vector<std::string>& argv, const std::string& log) const {
        const pid_t pid = spawn(argv, log, false);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            throw std::runtime_error("postgres fixture: " + argv[0] + " failed; see " + log);
        }
    }

    void start() {
        const pid_t pid = spawn({bin("postgres"), "-D", data_, "-k", root_, "-h", "127.0.0.1", "-p",
                                 std::to_string(port_), "-c", "max_connections=50"},
                                root_ + "/server.log", true);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (waitpid(pid, &status, WNOHANG) == pid) return;  // exited (port taken?): caller retries
            try {
                pqxx::connection probe(conninfo("postgres"));
                pid_ = pid;
                return;
            } catch (const std::exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }

    bool wait_for_exit(std::chrono::seconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    std::string root_, data_;
    bool drop_to_ = false;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace cccd::test
