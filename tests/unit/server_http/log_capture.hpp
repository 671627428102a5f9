#pragma once
// The server's log lines kept for a test (a Logger sink), and the request lines among them parsed.
// The server logs an answer after writing it, so a test waits for the lines it expects.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "server/http/log.hpp"

namespace cccd::server::http::testing {

class LogCapture {
public:
    Logger::Sink sink() {
        return [this](std::string_view line) {
            std::lock_guard lock(mutex_);
            text_.append(line);
            changed_.notify_all();
        };
    }
    std::string text() const {
        std::lock_guard lock(mutex_);
        return text_;
    }
    // The request lines of a json log, parsed; waits up to 10 s until there are at least `count`.
    std::vector<boost::json::object> requests(std::size_t count) {
        std::unique_lock lock(mutex_);
        std::vector<boost::json::object> found;
        changed_.wait_for(lock, std::chrono::seconds(10), [&] {
            found = parse_requests();
            return found.size() >= count;
        });
        return found;
    }

private:
    std::vector<boost::json::object> parse_requests() const {
        std::vector<boost::json::object> lines;
        std::size_t start = 0;
        while (start < text_.size()) {
            const std::size_t end = text_.find('\n', start);
            if (end == std::string::npos) break;
            boost::json::value line = boost::json::parse(std::string_view(text_).substr(start, end - start));
            if (line.as_object().contains("event")) lines.push_back(line.as_object());
            start = end + 1;
        }
        return lines;
    }
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::string text_;
};

}  // namespace cccd::server::http::testing
