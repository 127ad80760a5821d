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

// `audience` that does not invalidate on a create ("a new item cannot make anything
// stale"): only a create followed by a read with no other write between shows it
// (any later write bumps the versions and hides it) — the create_read shape.
class AudienceNoCreate final : public calendar::Strategy {
 public:
  std::string_view name() const override { return "audience-no-create"; }
  double staleness_bound_s(int) const override { return 0; }
  std::optional<std::string> read_key(calendar::StrategyEnv& env, UserId user, const calendar::FeedQuery& q) override {
    return inner_->read_key(env, user, q);
  }
  void on_write(calendar::StrategyEnv& env, const calendar::WriteEvent& e) override {
    if (e.kind != calendar::WriteKind::create) inner_->on_write(env, e);  // the mutation
  }

 private:
  std::unique_ptr<calendar::Strategy> inner_ = calendar::make_strategy("audience");
};

const bool registered_no_create = calendar::register_strategy("audience-no-create", 101,
                                                              [] { return std::make_unique<AudienceNoCreate>(); });

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

// The rare bugs at the default settings (issue 12): seed 0, 100 cases, no tuning.
TEST(Mutation, TheDefaultSettingsCatchAFillThatReadsTheVersionAfterTheStore) {
  MatrixOptions o;
  o.out_dir = "";
  o.cases = 100;
  o.seed = 0;
  CellResult mutant = run_cell("versioned-fill-after-store", "read-delete-race", o, Expectation{"pass", "", {}, {}});
  EXPECT_EQ(mutant.verdict, "fail");
  EXPECT_EQ(run_cell("versioned", "read-delete-race", o, Expectation{"pass", "", {}, {}}).verdict, "pass");
}

TEST(Mutation, TheDefaultSettingsCatchACreateThatIsNotInvalidated) {
  MatrixOptions o;
  o.out_dir = "";
  o.cases = 100;
  o.seed = 0;
  for (const char* scenario : {"edits", "cross-month", "multi-tab"}) {
    CellResult mutant = run_cell("audience-no-create", scenario, o, Expectation{"pass", "", {}, {}});
    EXPECT_EQ(mutant.verdict, "fail") << scenario;
    ASSERT_TRUE(mutant.first_violation) << scenario;
    EXPECT_EQ(mutant.first_violation->kind, "missing") << scenario;
    EXPECT_EQ(run_cell("audience", scenario, o, Expectation{"pass", "", {}, {}}).verdict, "pass") << scenario;
  }
}

}  // namespace
