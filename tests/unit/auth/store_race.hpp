#pragma once
// The take-and-delete race every challenge store must win exactly once: `rounds` times, a fresh
// challenge and eight threads released together to take it.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "auth/challenge.hpp"
#include "auth/challenge_store.hpp"

namespace cccd::auth::test {

inline void expect_exactly_one_taker(ChallengeStore& store, Instant now, int rounds) {
    for (int round = 0; round < rounds; ++round) {
        const Challenge c = make_challenge("bank-01", now);
        store.put(c);
        std::atomic<int> winners{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i) {
            threads.emplace_back([&] {
                while (!go.load()) std::this_thread::yield();
                if (store.take(c.id)) ++winners;
            });
        }
        go = true;
        for (auto& t : threads) t.join();
        ASSERT_EQ(winners.load(), 1) << "round " << round;
    }
}

}  // namespace cccd::auth::test
