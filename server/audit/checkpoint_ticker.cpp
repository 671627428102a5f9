#include "server/audit/checkpoint_ticker.hpp"

namespace cccd::server {

CheckpointTicker::CheckpointTicker(AuditCheckpointer& checkpointer, std::chrono::milliseconds period,
                                   std::function<void(const std::exception&)> on_error,
                                   std::function<void()> before_checkpoint)
    : checkpointer_(checkpointer),
      period_(period),
      on_error_(std::move(on_error)),
      before_checkpoint_(std::move(before_checkpoint)),
      thread_([this](std::stop_token stop) { run(stop); }) {}

CheckpointTicker::~CheckpointTicker() { stop(); }

void CheckpointTicker::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();  // wakes the wait below through the stop token
    thread_.join();
}

void CheckpointTicker::run(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, stop, period_, [&stop] { return stop.stop_requested(); })) {
        lock.unlock();
        try {
            if (before_checkpoint_) before_checkpoint_();
            checkpointer_.maybe_checkpoint();
        } catch (const std::exception& e) {
            if (on_error_) on_error_(e);
        }
        lock.lock();
    }
}

}  // namespace cccd::server
