// Secrets taken from the environment: gone from getenv, from /proc/self/environ (also for a variable of
// the environment block the process started with) and from child processes; still there for a second
// read in the same process.
#include "base/environment.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "base/error.hpp"

using namespace cccd;

namespace {

constexpr const char* kVariable = "CCCD_TEST_SECRET_PASSPHRASE";
constexpr const char* kValue = "b3 secret passphrase 51f0";
// Set only in the copy of this test binary that TheOriginalEnvironmentBlock starts.
constexpr const char* kChildMarker = "CCCD_ENVIRONMENT_TEST_CHILD";

std::string proc_self_environ() {
    std::ifstream in("/proc/self/environ", std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Runs `argv` with `envp` (or this process's environment when null) and returns what it printed.
std::string output_of(const std::vector<std::string>& argv, const std::vector<std::string>* envp, int* exit_status = nullptr) {
    int out[2];
    if (::pipe(out) != 0) return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (envp == nullptr) {
            ::execv(args[0], args.data());
        } else {
            std::vector<char*> env;
            for (const auto& e : *envp) env.push_back(const_cast<char*>(e.c_str()));
            env.push_back(nullptr);
            ::execve(args[0], args.data(), env.data());
        }
        ::_exit(127);
    }
    ::close(out[1]);
    std::string text;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = ::read(out[0], buffer.data(), buffer.size())) > 0) text.append(buffer.data(), static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (exit_status) *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return text;
}

std::string text_of(const SecretBytes& secret) { return to_string(secret.view()); }

// What every case checks once the secret was taken.
void expect_taken_everywhere() {
    EXPECT_EQ(std::getenv(kVariable), nullptr);
    EXPECT_EQ(proc_self_environ().find(kValue), std::string::npos);
    const std::string child = output_of({"/usr/bin/env"}, nullptr);
    EXPECT_NE(child.find("PATH="), std::string::npos) << "env printed nothing: " << child;
    EXPECT_EQ(child.find(kVariable), std::string::npos) << child;
    EXPECT_EQ(child.find(kValue), std::string::npos) << child;
}

}  // namespace

TEST(EnvironmentSecret, IsTakenOutOfTheEnvironmentAndKeptForASecondRead) {
    forget_secret_from_environment(kVariable);
    ::setenv(kVariable, kValue, 1);
    const auto first = take_secret_from_environment(kVariable);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(text_of(*first), kValue);
    expect_taken_everywhere();
    const auto second = take_secret_from_environment(kVariable);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(text_of(*second), kValue);

    // A value set again later wins over the one remembered, and is taken out too.
    ::setenv(kVariable, "a newer passphrase", 1);
    EXPECT_EQ(text_of(take_secret_from_environment(kVariable).value()), "a newer passphrase");
    EXPECT_EQ(std::getenv(kVariable), nullptr);

    forget_secret_from_environment(kVariable);
    EXPECT_FALSE(take_secret_from_environment(kVariable).has_value());
}

TEST(EnvironmentSecret, AnEmptyValueIsNotASecretButIsRemoved) {
    forget_secret_from_environment(kVariable);
    ::setenv(kVariable, "", 1);
    EXPECT_FALSE(take_secret_from_environment(kVariable).has_value());
    EXPECT_EQ(std::getenv(kVariable), nullptr);
}

TEST(EnvironmentSecret, TheVariableComesFirstThenTheFirstLineOfTheNamedFileWhichStays) {
    const std::string file_variable = std::string(kVariable) + "_FILE";
    const std::string file = ::testing::TempDir() + "cccd_environment_test_secret";
    std::ofstream(file) << "from the file\r\nsecond line\n";
    forget_secret_from_environment(kVariable);
    ::unsetenv(kVariable);
    ::setenv(file_variable.c_str(), file.c_str(), 1);
    EXPECT_EQ(text_of(secret_from_environment(kVariable, file_variable).value()), "from the file");
    EXPECT_STREQ(std::getenv(file_variable.c_str()), file.c_str());  // a file name is no secret

    ::setenv(kVariable, kValue, 1);
    EXPECT_EQ(text_of(secret_from_environment(kVariable, file_variable).value()), kValue);
    EXPECT_EQ(std::getenv(kVariable), nullptr);

    forget_secret_from_environment(kVariable);
    std::ofstream(file) << "\n";
    EXPECT_THROW(secret_from_environment(kVariable, file_variable), ParseError);
    std::filesystem::remove(file);
    EXPECT_THROW(secret_from_environment(kVariable, file_variable), ParseError);
    ::unsetenv(file_variable.c_str());
    EXPECT_FALSE(secret_from_environment(kVariable, file_variable).has_value());
}

// The variable in the environment block the kernel laid out at exec (the memory /proc/PID/environ
// reads), as a passphrase exported by a shell arrives: this binary runs itself with only that
// variable set, and ChildTakesTheSecretFromItsOriginalEnvironmentBlock checks there.
TEST(EnvironmentSecret, TheOriginalEnvironmentBlockNoLongerShowsIt) {
    const std::vector<std::string> env = {std::string(kChildMarker) + "=1", std::string(kVariable) + "=" + kValue,
                                          "PATH=/usr/bin:/bin"};
    int status = -1;
    const std::string out = output_of(
        {"/proc/self/exe", "--gtest_filter=EnvironmentSecret.ChildTakesTheSecretFromItsOriginalEnvironmentBlock"}, &env,
        &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("[  PASSED  ] 1 test."), std::string::npos) << out;
}

TEST(EnvironmentSecret, ChildTakesTheSecretFromItsOriginalEnvironmentBlock) {
    if (std::getenv(kChildMarker) == nullptr) GTEST_SKIP() << "runs only as started by TheOriginalEnvironmentBlockNoLongerShowsIt";
    ASSERT_NE(proc_self_environ().find(kValue), std::string::npos) << "the variable is not in the original block";
    const auto first = take_secret_from_environment(kVariable);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(text_of(*first), kValue);
    expect_taken_everywhere();
    const auto second = take_secret_from_environment(kVariable);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(text_of(*second), kValue);
}
