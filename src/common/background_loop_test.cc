#include "common/background_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace entente {
namespace {

using std::chrono::milliseconds;

// Waits up to 5 s for `condition`.
template <typename F>
bool Eventually(F condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return condition();
}

TEST(BackgroundLoopTest, RunsEveryPeriodAndAtOnceWhenWoken) {
  std::atomic<int> runs{0};
  BackgroundLoop loop("test", std::chrono::hours(1), [&] {
    ++runs;
    return false;
  });
  loop.Start();
  EXPECT_TRUE(Eventually([&] { return runs == 1; }));  // the first turn at start
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(runs, 1);  // then it waits for the period...
  loop.Wake();
  EXPECT_TRUE(Eventually([&] { return runs == 2; }));  // ...or a wake
  loop.Stop();
  EXPECT_EQ(loop.turns(), 2);
}

TEST(BackgroundLoopTest, RunsAgainAtOnceWhileThereIsMoreToDo) {
  std::atomic<int> runs{0};
  BackgroundLoop loop("test", std::chrono::hours(1), [&] { return ++runs < 5; });
  loop.Start();
  EXPECT_TRUE(Eventually([&] { return runs == 5; }));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(runs, 5);
  loop.Stop();
}

TEST(BackgroundLoopTest, TheFirstTurnCanWait) {
  std::atomic<int> runs{0};
  BackgroundLoop loop(
      "test", std::chrono::hours(1),
      [&] {
        ++runs;
        return false;
      },
      /*first_delay=*/milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  loop.Start();
  EXPECT_TRUE(Eventually([&] { return runs == 1; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(190));
  loop.Stop();
}

TEST(BackgroundLoopTest, StopLetsTheTurnFinishAndAnExceptionDoesNotEndTheLoop) {
  std::atomic<int> runs{0};
  std::atomic<bool> finished{false};
  BackgroundLoop loop("test", milliseconds(10), [&] {
    if (++runs == 1) throw std::runtime_error("one bad turn");
    std::this_thread::sleep_for(milliseconds(100));
    finished = true;
    return false;
  });
  loop.Start();
  EXPECT_TRUE(Eventually([&] { return runs >= 2; }));
  loop.Stop();
  EXPECT_TRUE(finished);
  loop.Stop();   // idempotent
  loop.Start();  // and it starts again
  EXPECT_TRUE(Eventually([&] { return runs >= 3; }));
}

}  // namespace
}  // namespace entente
