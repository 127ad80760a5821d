// Mutation check: a deliberately broken copy of `versioned` (it reads the
// version for its fill AFTER the store query instead of before) must be caught
// by the matrix, while the real one passes the same cell.
#include <gtest/gtest.h>

#include "run/matrix.h"
#include "calendar/strategy.h"

using namespace cachecheck;

namespace {

class VersionedFillAfterStore final : public calendar::Strategy {
 public:
  std::string_view name() const override { return "versioned-fill-after-store"; }
  double staleness_bound_s(int ttl_s) const override { return ttl_s; }
  std::optional<std::string> read_key(calendar::StrategyEnv& env, UserId user,
                                      const calendar::FeedQuery& q) override {
    auto v = env.cache.get(calendar::version_key(user));
    return calendar::versioned_feed_key(user, v ? *v : "0", q);
  }
  std::string fill_key(calendar::StrategyEnv& env, UserId user, const calendar::FeedQuery& q,
                       const std::string&) override {
    auto v = env.cache.get(calendar::version_key(user));  // the mutation: read after the store
    return calendar::versioned_feed_key(user, v ? *v : "0", q);
  }
  void on_write(calendar::StrategyEnv& env, const calendar::WriteEvent& e) override {
    env.cache.incr(calendar::version_key(e.actor));
  }
};

const bool registered = calendar::register_strategy("versioned-fill-after-store", 100,
                                                    [] { return std::make_unique<VersionedFillAfterStore>(); });

TEST(Mutation, TheRaceScenarioCatchesAVersionReadAfterTheStore) {
  MatrixOptions o;
  o.cases = 200;
  o.seed = 11;
  o.out_dir = "";
  CellResult mutant = run_cell("versioned-fill-after-store", "read-delete-race", o, Expectation{"pass", "", {}, {}});
  EXPECT_EQ(mutant.verdict, "fail");
  ASSERT_TRUE(mutant.first_violation);
  EXPECT_EQ(mutant.first_violation->kind, "stale-visible");
  CellResult real = run_cell("versioned", "read-delete-race", o, Expectation{"pass", "", {}, {}});
  EXPECT_EQ(real.verdict, "pass");
}

}  // namespace
