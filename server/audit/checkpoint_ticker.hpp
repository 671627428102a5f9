#pragma once
// Time-based checkpoints without traffic: a thread of its own asks the checkpointer every `period`
// whether a checkpoint is due (maybe_checkpoint), so an idle server still signs its last entries within
// the configured interval. Stopped and joined by stop() or the destructor.
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "server/audit/audit_log.hpp"

namespace cccd::server {

class CheckpointTicker {
public:
    // `on_error` hears what a failed attempt threw (the next tick tries again); it must not throw.
    // `before_checkpoint`, when given, runs first on each tick: other periodic audit writes (the counts
    // of anonymous refusals) land before the checkpoint that covers them.
    CheckpointTicker(AuditCheckpointer& checkpointer, std::chrono::milliseconds period,
                     std::function<void(const std::exception&)> on_error = {},
                     std::function<void()> before_checkpoint = {});
    ~CheckpointTicker();
    CheckpointTicker(const CheckpointTicker&) = delete;
    CheckpointTicker& operator=(const CheckpointTicker&) = delete;

    void stop();

private:
    void run(std::stop_token stop);

    AuditCheckpointer& checkpointer_;
    const std::chrono::milliseconds period_;
    std::function<void(const std::exception&)> on_error_;
    std::function<void()> before_checkpoint_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;  // last: started once everything it uses exists
};

}  // namespace cccd::server
