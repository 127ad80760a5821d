// Value generators the actions and the scenario kit share. Each draws from
// RapidCheck inside rc::gen::exec, so every choice is seeded and shrinkable.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <rapidcheck.h>

#include "generate/params.h"
#include "model/domain.h"

namespace cachecheck {

// The fixture's users, by id: alice (1), bob (2), carol (3).
inline const char* const kUserNames[] = {"alice", "bob", "carol"};

// RapidCheck scales ranges with the case's size; choices here should be uniform
// whatever the size (the size already scales the number of steps).
template <class G>
auto uniform(G gen) {
  return rc::gen::resize(rc::kNominalSize, std::move(gen));
}

int gen_int(int low, int high);  // in [low, high)
template <class T>
T pick(const std::vector<T>& v) {
  return *uniform(rc::gen::elementOf(v));
}
std::string gen_work_type();
std::string gen_status();
// Half the items start in today's month (where views and writes meet, so bugs
// show in few steps), the rest anywhere within the spread.
Date gen_start(const ScenarioParams& p, Date today);
std::vector<UserId> gen_assignees(const ScenarioParams& p, const std::vector<UserId>& users);
// A create's fields (`full`) or an edit's (one field group changed), titled with n.
nlohmann::json gen_fields(const ScenarioParams& p, Date today, const std::vector<UserId>& users, bool full, int n);

// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012): one case's corner of a
// scenario. One case in four is the whole scenario; the others leave out each kind
// of step and shape of the mix with probability 1/2 and multiply the weight of the
// rest by 1, 2 or 4, and keep a random non-empty part of each list of choices
// (views, firstDay, offsets, filters, visibilities, start times, idle times), and
// half of them have no hidden items. A case then goes deep into a narrow corner
// (only deletes and hard refreshes, only Sunday weeks, …), where uniform choices
// would dilute each rare combination over all the others. Shrinking leads back to
// the whole scenario (kept is the first choice of every draw).
ScenarioParams gen_swarm(const ScenarioParams& p);

}  // namespace cachecheck
