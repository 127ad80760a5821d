// The oracle: see oracle.h for the semantics and the complexity.
#include "model/oracle.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace cachecheck {
namespace {

using FeedQuery = Query;
using WorkItem = Item;

// The state after an indeterminate edit: unknown. Any shown content is admissible
// for it, and it never "must" appear (so it cannot make an item missing).
const WorkItem kUnknownState{};

// A write whose completion is unknown (indeterminate): it may take effect at any
// time after its invocation, so it is concurrent with every later read.
constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();

// One successful write's effect on one item.
struct WriteRec {
  TimeMs invoke = 0, complete = 0;
  std::size_t op = 0;
  const WorkItem* item = nullptr;  // the state after; nullptr = deleted
};

bool write_order(const WriteRec& a, const WriteRec& b) {
  if (a.complete != b.complete) return a.complete < b.complete;
  if (a.invoke != b.invoke) return a.invoke < b.invoke;
  return a.op < b.op;
}

std::string fields_key(const std::string& title, const std::string& work_type, const std::string& status,
                       Date start, Date end, const std::optional<std::string>& parent) {
  std::string k;
  k.reserve(title.size() + work_type.size() + status.size() + 64);
  k += title;
  k += '\x1f';
  k += work_type;
  k += '\x1f';
  k += status;
  k += '\x1f';
  k += std::to_string(start.days());
  k += '\x1f';
  k += std::to_string(end.days());
  k += '\x1f';
  if (parent) {
    k += '+';
    k += *parent;
  }
  return k;
}
std::string fields_key(const WorkItem& i) {
  return fields_key(i.title, i.work_type, i.status, i.start_date, i.due_date, i.parent_id);
}
std::string fields_key(const ShownEvent& e) {
  return fields_key(e.title, e.work_type, e.status, e.start, e.end, e.parent_id);
}

bool same_fields(const ShownEvent& e, const WorkItem& i) {
  if (&i == &kUnknownState) return true;
  return e.title == i.title && e.work_type == i.work_type && e.status == i.status && e.start == i.start_date &&
         e.end == i.due_date && e.parent_id == i.parent_id;
}

// An item's timeline of successful writes.
struct Timeline {
  std::string id;
  const WorkItem* initial = nullptr;  // nullptr = absent before any write
  std::vector<WriteRec> writes;       // sorted by write_order
  std::vector<TimeMs> prefix_max_invoke;
  TimeMs max_duration = 0;               // over writes with a known completion
  std::size_t indefinite_begin = 0;      // writes[indefinite_begin..] are indeterminate (complete = kNever)
  int first_delete = -1;  // position of the earliest-completing delete, -1 when none
  // Present states by their shown fields → positions in `writes` (ascending); -1 = initial.
  std::unordered_map<std::string, std::vector<int>> by_fields;

  const WorkItem* state(int pos) const { return pos < 0 ? initial : writes[static_cast<std::size_t>(pos)].item; }
};

// The admissible states of one item for an interval [invoke, complete].
struct Window {
  int completed = 0;             // writes[0, completed) completed before `invoke`
  int final_begin = 0;           // writes[final_begin, completed) are the possible last ones
  std::vector<int> positions;    // admissible positions (-1 = initial), final ones first
  std::size_t concurrent_begin = 0;  // positions[concurrent_begin..] are concurrent writes
};

void admissible(const Timeline& t, TimeMs invoke, TimeMs complete, Window& w) {
  w.positions.clear();
  const auto& ws = t.writes;
  auto k_it = std::lower_bound(ws.begin(), ws.end(), invoke,
                               [](const WriteRec& r, TimeMs v) { return r.complete < v; });
  const int k = static_cast<int>(k_it - ws.begin());
  w.completed = k;
  if (t.first_delete >= 0 && t.first_delete < k) {
    // A delete is final (ids are never reused; editing a deleted item fails), so
    // once one has completed, "deleted" is the only admissible state.
    w.final_begin = t.first_delete;
    w.positions.push_back(t.first_delete);
    w.concurrent_begin = w.positions.size();
    return;
  }
  if (k == 0) {
    w.final_begin = 0;
    w.positions.push_back(-1);
  } else {
    const TimeMs m = t.prefix_max_invoke[static_cast<std::size_t>(k - 1)];
    auto j_it = std::lower_bound(ws.begin(), k_it, m, [](const WriteRec& r, TimeMs v) { return r.complete < v; });
    w.final_begin = static_cast<int>(j_it - ws.begin());
    for (int p = w.final_begin; p < k; ++p) w.positions.push_back(p);
  }
  w.concurrent_begin = w.positions.size();
  // Concurrent: complete >= invoke (all of writes[k..]) and write.invoke <= complete.
  // A write completing after complete + max_duration was invoked after `complete`.
  const auto indefinite = ws.begin() + static_cast<std::ptrdiff_t>(t.indefinite_begin);
  for (auto it = k_it; it < indefinite; ++it) {
    if (it->complete > complete && it->complete - complete > t.max_duration) break;
    if (it->invoke <= complete) w.positions.push_back(static_cast<int>(it - ws.begin()));
  }
  for (auto it = std::max(k_it, indefinite); it != ws.end(); ++it)
    if (it->invoke <= complete) w.positions.push_back(static_cast<int>(it - ws.begin()));
}

double seconds(TimeMs ms) { return ms <= 0 ? 0.0 : static_cast<double>(ms) / 1000.0; }

bool is_success(int status) { return status >= 200 && status < 300; }

bool is_judged_view(const Op& op) {
  if (op.kind != OpKind::view || op.outcome != Outcome::ok) return false;
  if (op.status == 200 || op.status == 304) return true;
  return op.status == 0 && op.layer && (*op.layer == Layer::client_store || *op.layer == Layer::http_cache);
}

std::string describe_query(const FeedQuery& q) {
  std::string s = "[" + (q.start ? q.start->iso() : std::string("-")) + ", " +
                  (q.end ? q.end->iso() : std::string("-")) + ")";
  if (q.type) s += " type=" + *q.type;
  if (q.status) s += " status=" + *q.status;
  return s;
}

std::string describe(const WorkItem& i) {
  return "'" + i.title + "' " + i.work_type + " " + i.status + " " + i.start_date.iso() + ".." +
         i.due_date.iso() + (i.parent_id ? " parent " + *i.parent_id : std::string());
}
std::string describe(const ShownEvent& e) {
  return "'" + e.title + "' " + e.work_type + " " + e.status + " " + e.start.iso() + ".." + e.end.iso() +
         (e.parent_id ? " parent " + *e.parent_id : std::string());
}

std::string at(TimeMs t) { return "t=" + std::to_string(t) + "ms"; }

std::string secs(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", x);
  return buf;
}

class Judge {
 public:
  explicit Judge(const History& h) : h_(h), sem_(h.semantics), buckets_(h.ops.size()) {}

  Verdict run() {
    build_timelines();
    judge_views();
    judge_clicks();
    return assemble();
  }

 private:
  const History& h_;
  const Semantics& sem_;
  std::vector<Timeline> timelines_;
  // Indeterminate creates: the item's id is unknown, its title is not.
  std::vector<std::pair<TimeMs, std::string>> unknown_creates_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::vector<Violation>> buckets_;  // per op
  std::vector<std::optional<ReadSample>> samples_;
  std::vector<const WorkItem*> equal_;  // scratch for judge_shown

  std::size_t intern(const std::string& id) {
    auto [it, inserted] = index_.try_emplace(id, timelines_.size());
    if (inserted) {
      timelines_.emplace_back();
      timelines_.back().id = id;
    }
    return it->second;
  }

  const Timeline* find(const std::string& id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &timelines_[it->second];
  }

  // Every id that may be in the subtree of `root`, by any parent link the history knows.
  std::vector<std::string> possible_subtree(const std::string& root) const {
    std::unordered_map<std::string, std::vector<std::string>> children;
    auto link = [&](const WorkItem& i) {
      if (i.parent_id) children[*i.parent_id].push_back(i.id);
    };
    for (const auto& i : h_.initial_items) link(i);
    for (const auto& op : h_.ops)
      if (op.written) link(*op.written);
    std::vector<std::string> out{root}, todo{root};
    std::unordered_set<std::string> seen{root};
    while (!todo.empty()) {
      std::string id = todo.back();
      todo.pop_back();
      for (const auto& c : children[id])
        if (seen.insert(c).second) {
          out.push_back(c);
          todo.push_back(c);
        }
    }
    return out;
  }

  // An indeterminate write: it may have happened at any time from its invocation on.
  void add_indeterminate(const Op& op, std::size_t i) {
    if (op.kind == OpKind::create) {
      unknown_creates_.emplace_back(op.invoke, op.request.is_object() ? op.request.value("title", std::string()) : "");
    } else if (op.kind == OpKind::edit && !op.item_id.empty()) {
      timelines_[intern(op.item_id)].writes.push_back({op.invoke, kNever, i, &kUnknownState});
    } else if (op.kind == OpKind::remove && !op.item_id.empty()) {
      for (const auto& id : possible_subtree(op.item_id))
        timelines_[intern(id)].writes.push_back({op.invoke, kNever, i, nullptr});
    }
  }

  void build_timelines() {
    for (const auto& item : h_.initial_items) timelines_[intern(item.id)].initial = &item;
    for (std::size_t i = 0; i < h_.ops.size(); ++i) {
      const Op& op = h_.ops[i];
      if (op.outcome == Outcome::indeterminate) {
        add_indeterminate(op, i);
        continue;
      }
      if (op.outcome != Outcome::ok || !is_success(op.status)) continue;
      if (op.kind == OpKind::create || op.kind == OpKind::edit) {
        if (!op.written) continue;
        const std::string& id = op.written->id.empty() ? op.item_id : op.written->id;
        if (id.empty()) continue;
        timelines_[intern(id)].writes.push_back({op.invoke, op.complete, i, &*op.written});
      } else if (op.kind == OpKind::remove) {
        std::vector<std::string> ids = op.deleted;
        if (ids.empty() && !op.item_id.empty()) ids.push_back(op.item_id);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (const auto& id : ids) timelines_[intern(id)].writes.push_back({op.invoke, op.complete, i, nullptr});
      }
    }
    for (auto& t : timelines_) {
      std::sort(t.writes.begin(), t.writes.end(), write_order);
      t.prefix_max_invoke.resize(t.writes.size());
      TimeMs m = std::numeric_limits<TimeMs>::min();
      t.indefinite_begin = t.writes.size();
      for (std::size_t p = 0; p < t.writes.size(); ++p) {
        m = std::max(m, t.writes[p].invoke);
        t.prefix_max_invoke[p] = m;
        if (t.writes[p].complete == kNever) {
          t.indefinite_begin = std::min(t.indefinite_begin, p);
          continue;
        }
        t.max_duration = std::max(t.max_duration, t.writes[p].complete - t.writes[p].invoke);
        if (t.writes[p].item) t.by_fields[fields_key(*t.writes[p].item)].push_back(static_cast<int>(p));
        else if (t.first_delete < 0) t.first_delete = static_cast<int>(p);
      }
      if (t.initial) {
        auto& v = t.by_fields[fields_key(*t.initial)];
        v.insert(v.begin(), -1);
      }
    }
  }

  bool qualifies(const WorkItem* item, UserId user, const FeedQuery& q) const {
    return item && item != &kUnknownState && sem_.selects(h_.visibility, user, q, *item);
  }

  Violation make(ViolationKind kind, const Op& op, const std::string& item_id, Layer layer, double staleness,
                 std::string detail) const {
    Violation v;
    v.kind = kind;
    v.item_id = item_id;
    v.user = op.user;
    v.tab = op.tab;
    v.layer = layer;
    v.staleness_s = staleness;
    v.op_index = op.index;
    v.detail = std::move(detail);
    return v;
  }

  // Appends `v` to the op's bucket, and a bound-exceeded beside it when due.
  void report(std::size_t op_pos, Violation v) {
    auto& bucket = buckets_[op_pos];
    const bool bounded = v.kind == kStaleVisible || v.kind == kStaleContent || v.kind == kMissing;
    if (bounded && h_.bound_s && v.staleness_s > *h_.bound_s) {
      Violation b = v;
      b.kind = kBoundExceeded;
      b.detail = std::string(to_string(v.kind)) + " staleness " + secs(v.staleness_s) + " exceeds the bound " + secs(*h_.bound_s);
      bucket.push_back(std::move(v));
      bucket.push_back(std::move(b));
    } else {
      bucket.push_back(std::move(v));
    }
  }

  // The earliest position of the trailing run of writes[0, end) satisfying `pred`;
  // -1 when the run reaches the initial state and `pred(initial)` holds; `end` when
  // writes[end-1] fails (or end == 0 and the initial state fails).
  template <class Pred>
  int run_start(const Timeline& t, int end, Pred pred) const {
    int p = end - 1;
    while (p >= 0 && pred(t.writes[static_cast<std::size_t>(p)].item)) --p;
    if (p < 0 && pred(t.initial)) return -1;
    return p + 1;
  }

  void judge_views() {
    std::vector<std::size_t> views;
    for (std::size_t i = 0; i < h_.ops.size(); ++i)
      if (is_judged_view(h_.ops[i])) views.push_back(i);
    std::sort(views.begin(), views.end(), [&](std::size_t a, std::size_t b) {
      if (h_.ops[a].invoke != h_.ops[b].invoke) return h_.ops[a].invoke < h_.ops[b].invoke;
      return a < b;
    });

    // Write effects in completion order, applied to the live index as views are swept.
    struct Effect {
      const WriteRec* rec;
      std::size_t item;
    };
    std::vector<Effect> effects;
    for (std::size_t i = 0; i < timelines_.size(); ++i)
      for (const auto& r : timelines_[i].writes) effects.push_back({&r, i});
    std::sort(effects.begin(), effects.end(), [](const Effect& a, const Effect& b) {
      if (write_order(*a.rec, *b.rec)) return true;
      if (write_order(*b.rec, *a.rec)) return false;
      return a.item < b.item;
    });
    // Items whose latest completed state exists, by that state's start date.
    // The mapped value is that latest state: it is always admissible, so an item
    // whose latest state does not qualify cannot be missing (a cheap pre-check).
    std::map<std::pair<std::int64_t, std::size_t>, const WorkItem*> live;
    std::vector<std::optional<std::int64_t>> live_key(timelines_.size());
    // The longest (due − start) of any state ever live: an item starting before
    // Q.start − max_span ends before Q.start, so the scan can begin there.
    std::int64_t max_span = 0;
    std::vector<bool> dead(timelines_.size(), false);  // a delete completed: final
    auto set_live = [&](std::size_t item, const WorkItem* state) {
      if (dead[item]) return;
      if (!state) dead[item] = true;
      if (live_key[item]) live.erase({*live_key[item], item});
      live_key[item].reset();
      if (state) {
        max_span = std::max(max_span, state->due_date.days() - state->start_date.days());
        live_key[item] = state->start_date.days();
        live.emplace(std::make_pair(*live_key[item], item), state);
      }
    };
    for (std::size_t i = 0; i < timelines_.size(); ++i)
      if (timelines_[i].initial) set_live(i, timelines_[i].initial);

    samples_.assign(h_.ops.size(), std::nullopt);
    std::size_t next_effect = 0;
    Window w;
    std::unordered_set<std::string_view> shown_ids;
    std::vector<std::size_t> missing;
    for (std::size_t vi : views) {
      const Op& v = h_.ops[vi];
      while (next_effect < effects.size() && effects[next_effect].rec->complete < v.invoke) {
        set_live(effects[next_effect].item, effects[next_effect].rec->item);
        ++next_effect;
      }
      const Layer layer = v.layer.value_or(Layer::store);
      double read_staleness = 0;
      auto note = [&](Violation viol) {
        if (viol.kind == kStaleVisible || viol.kind == kStaleContent || viol.kind == kMissing)
          read_staleness = std::max(read_staleness, viol.staleness_s);
        report(vi, std::move(viol));
      };

      shown_ids.clear();
      for (const auto& e : v.shown) {
        shown_ids.insert(e.item_id);
        judge_shown(v, layer, e, w, note);
      }

      // missing: live items starting in [Q.start − max_span, Q.end).
      missing.clear();
      auto begin = v.query.start ? live.lower_bound({v.query.start->days() - max_span, 0}) : live.begin();
      auto stop = v.query.end ? live.lower_bound({v.query.end->days(), 0}) : live.end();
      for (auto it = begin; it != stop && (!v.query.end || it->first.first < v.query.end->days()); ++it) {
        if (!qualifies(it->second, v.user, v.query)) continue;
        const Timeline& t = timelines_[it->first.second];
        if (shown_ids.count(t.id)) continue;
        admissible(t, v.invoke, v.complete, w);
        bool all = true;
        for (int p : w.positions)
          if (!qualifies(t.state(p), v.user, v.query)) {
            all = false;
            break;
          }
        if (all) missing.push_back(it->first.second);
      }
      std::sort(missing.begin(), missing.end(),
                [&](std::size_t a, std::size_t b) { return timelines_[a].id < timelines_[b].id; });
      for (std::size_t mi : missing) {
        const Timeline& t = timelines_[mi];
        admissible(t, v.invoke, v.complete, w);
        int start = run_start(t, w.completed, [&](const WorkItem* s) { return qualifies(s, v.user, v.query); });
        double staleness = 0;
        std::string since = "the initial state";
        if (start >= 0 && start < w.completed) {
          const WriteRec& r = t.writes[static_cast<std::size_t>(start)];
          staleness = seconds(v.invoke - r.complete);
          since = "op " + std::to_string(h_.ops[r.op].index) + " completed at " + at(r.complete);
        }
        note(make(kMissing, v, t.id, layer, staleness,
                  "not shown by a view of " + describe_query(v.query) + " invoked at " + at(v.invoke) +
                      ", though it must appear since " + since));
      }
      samples_[vi] = ReadSample{v.index, layer, read_staleness};
    }
  }

  template <class Note>
  void judge_shown(const Op& v, Layer layer, const ShownEvent& e, Window& w, Note& note) {
    const Timeline* t = find(e.item_id);
    if (!t) {
      for (const auto& [invoke, title] : unknown_creates_)
        if (invoke <= v.complete && title == e.title) return;  // perhaps an indeterminate create's
      note(make(kStaleContent, v, e.item_id, layer, 0,
                "shows " + describe(e) + ", an item the history never created"));
      return;
    }
    admissible(*t, v.invoke, v.complete, w);
    bool any_present = false;
    std::vector<const WorkItem*>& equal = equal_;
    equal.clear();
    for (int p : w.positions) {
      const WorkItem* s = t->state(p);
      if (!s) continue;
      any_present = true;
      if (same_fields(e, *s)) equal.push_back(s);
    }
    if (!any_present) {
      if (w.completed == 0) {
        note(make(kStaleContent, v, e.item_id, layer, 0,
                  "shows " + describe(e) + ", an item that did not exist before the view"));
        return;
      }
      // No existing state and a completed write: a delete completed (see admissible()).
      const WriteRec& del = t->writes[static_cast<std::size_t>(t->first_delete)];
      note(make(kStaleVisible, v, e.item_id, layer, seconds(v.invoke - del.complete),
                "shown by a view invoked at " + at(v.invoke) + " after its delete (op " +
                    std::to_string(h_.ops[del.op].index) + ") completed at " + at(del.complete)));
      return;
    }
    if (equal.empty()) {
      // Which version is shown? The latest one before the admissible final states.
      double staleness = 0;
      std::string why;
      auto it = t->by_fields.find(fields_key(e));
      int version = -2;
      if (it != t->by_fields.end()) {
        const auto& ps = it->second;
        auto lb = std::lower_bound(ps.begin(), ps.end(), w.final_begin);
        if (lb != ps.begin() && w.completed > 0) version = *(lb - 1);
      }
      if (version >= -1 && version + 1 < w.completed) {
        const WriteRec& sup = t->writes[static_cast<std::size_t>(version + 1)];
        staleness = seconds(v.invoke - sup.complete);
        why = "superseded by op " + std::to_string(h_.ops[sup.op].index) + " completed at " + at(sup.complete);
      } else if (w.completed > 0) {
        const WriteRec& last = t->writes[static_cast<std::size_t>(w.completed - 1)];
        staleness = seconds(v.invoke - last.complete);
        why = "unknown version; last write op " + std::to_string(h_.ops[last.op].index) + " completed at " +
              at(last.complete);
      } else {
        why = "unknown version";
      }
      const WorkItem* expected = nullptr;
      for (int p : w.positions)
        if (t->state(p)) {
          expected = t->state(p);
          break;
        }
      note(make(kStaleContent, v, e.item_id, layer, staleness,
                "shows " + describe(e) + " but expected " + (expected ? describe(*expected) : std::string("?")) +
                    " (" + why + ")"));
      return;
    }
    bool all_out_of_range = true;
    for (const WorkItem* s : equal) {
      if (s == &kUnknownState) return;
      const bool range_ok = sem_.in_range(v.query, *s);
      if (range_ok && sem_.matches_filter(v.query, *s) && sem_.can_see(h_.visibility, v.user, *s)) return;
      all_out_of_range = all_out_of_range && !range_ok;
    }
    const WorkItem& s = *equal.front();
    if (all_out_of_range) {
      note(make(kRangeViolation, v, e.item_id, layer, 0,
                "shows " + describe(e) + " outside the range " + describe_query(v.query)));
    } else {
      std::string why;
      if (!sem_.matches_filter(v.query, s)) why = "does not match the filter " + describe_query(v.query);
      else if (!s.is_calendar_visible) why = "is not calendar-visible";
      else why = "is not visible to user " + std::to_string(v.user) + " under visibility " +
                 std::string(to_string(h_.visibility));
      note(make(kFilterViolation, v, e.item_id, layer, 0, "shows " + describe(e) + ", which " + why));
    }
  }

  void judge_clicks() {
    std::map<std::pair<UserId, std::string>, std::size_t> last_view;  // (user, tab) → op position
    Window w;
    for (std::size_t i = 0; i < h_.ops.size(); ++i) {
      const Op& op = h_.ops[i];
      if (is_judged_view(op)) {
        last_view[{op.user, op.tab}] = i;
        continue;
      }
      if (op.kind != OpKind::click || op.outcome != Outcome::ok || op.status != 404) continue;
      auto lv = last_view.find({op.user, op.tab});
      if (lv == last_view.end()) continue;
      const Op& view = h_.ops[lv->second];
      bool shown = false;
      for (const auto& e : view.shown) shown = shown || e.item_id == op.item_id;
      if (!shown) continue;
      double staleness = 0;
      std::string why = "no completed delete explains it";
      // The layer to blame: the view's, when the view itself was served after the
      // delete completed; the tab's (client-store), when the view was fresh and the
      // tab simply never refetched.
      Layer layer = view.layer.value_or(Layer::store);
      if (const Timeline* t = find(op.item_id)) {
        admissible(*t, op.invoke, op.complete, w);
        bool concurrent_delete = false;
        for (std::size_t p = w.concurrent_begin; p < w.positions.size(); ++p)
          concurrent_delete = concurrent_delete || t->state(w.positions[p]) == nullptr;
        if (concurrent_delete) continue;
        if (t->first_delete >= 0 && t->first_delete < w.completed) {
          const WriteRec& del = t->writes[static_cast<std::size_t>(t->first_delete)];
          staleness = seconds(op.invoke - del.complete);
          why = "deleted by op " + std::to_string(h_.ops[del.op].index) + " completed at " + at(del.complete);
          if (view.invoke <= del.complete) layer = Layer::client_store;
        }
      }
      Violation v = make(kDangling, op, op.item_id, layer, staleness,
                         "click at " + at(op.invoke) + " answered 404 for an event view op " +
                             std::to_string(view.index) + " showed (" + why + ")");
      report(i, std::move(v));
    }
  }

  Verdict assemble() {
    Verdict verdict;
    for (std::size_t i = 0; i < h_.ops.size(); ++i) {
      if (samples_[i]) {
        verdict.reads.push_back(*samples_[i]);
        ++verdict.reads_checked;
      }
      for (auto& v : buckets_[i]) {
        verdict.max_staleness_s = std::max(verdict.max_staleness_s, v.staleness_s);
        verdict.violations.push_back(std::move(v));
      }
    }
    return verdict;
  }
};

}  // namespace

std::string_view to_string(ViolationKind k) {
  switch (k) {
    case ViolationKind::stale_visible: return "stale-visible";
    case ViolationKind::stale_content: return "stale-content";
    case ViolationKind::missing: return "missing";
    case ViolationKind::dangling: return "dangling";
    case ViolationKind::filter_violation: return "filter-violation";
    case ViolationKind::range_violation: return "range-violation";
    case ViolationKind::bound_exceeded: return "bound-exceeded";
  }
  return "?";
}

std::optional<ViolationKind> parse_violation_kind(std::string_view s) {
  for (auto k : kViolationKinds)
    if (to_string(k) == s) return k;
  return std::nullopt;
}

nlohmann::json to_json(const Violation& v) {
  return {{"kind", std::string(to_string(v.kind))},
          {"item", v.item_id},
          {"user", v.user},
          {"tab", v.tab},
          {"layer", std::string(to_string(v.layer))},
          {"staleness_s", v.staleness_s},
          {"op_index", v.op_index},
          {"detail", v.detail}};
}

std::size_t Verdict::count(ViolationKind kind, const Filter& counted) const {
  std::size_t n = 0;
  for (const auto& v : violations)
    if (v.kind == kind && (!counted || counted(v))) ++n;
  return n;
}

std::map<std::string, std::size_t> Verdict::counts(const Filter& counted) const {
  std::map<std::string, std::size_t> out;
  for (const auto& v : violations)
    if (!counted || counted(v)) ++out[std::string(to_string(v.kind))];
  return out;
}

const Violation* Verdict::first(const Filter& counted) const {
  for (const auto& v : violations)
    if (!counted || counted(v)) return &v;
  return nullptr;
}

double Verdict::p99_staleness_s(const LayerFilter& layers) const {
  std::vector<double> xs;
  for (const auto& r : reads)
    if (!layers || layers(r.layer)) xs.push_back(r.staleness_s);
  if (xs.empty()) return 0;
  std::sort(xs.begin(), xs.end());
  auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(xs.size())));
  return xs[std::max<std::size_t>(rank, 1) - 1];
}

double Verdict::max_staleness(const Filter& counted) const {
  double m = 0;
  for (const auto& v : violations)
    if (!counted || counted(v)) m = std::max(m, v.staleness_s);
  return m;
}

Verdict judge(const History& h) { return Judge(h).run(); }

}  // namespace cachecheck
