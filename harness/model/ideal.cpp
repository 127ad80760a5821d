#include "model/ideal.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace cachecheck {
namespace {

bool is_write(const Op& op) {
  return (op.kind == OpKind::create || op.kind == OpKind::edit || op.kind == OpKind::remove) &&
         op.outcome == Outcome::ok && op.status >= 200 && op.status < 300;
}

bool is_server_read(const Op& op) {
  return op.kind == OpKind::view && op.outcome == Outcome::ok && op.status == 200 && op.layer &&
         (*op.layer == Layer::store || *op.layer == Layer::server_cache || *op.layer == Layer::server);
}

// The truth as the model knows it: the items that exist now.
class Truth {
 public:
  explicit Truth(const std::vector<Item>& initial) {
    for (const auto& item : initial) items_[item.id] = item;
  }

  // What an item shows, as a feed event with its level; nullopt when it does not exist.
  struct Shown {
    const Item* item;
    int level;
  };
  std::optional<Shown> shown(const std::string& id) const {
    auto it = items_.find(id);
    if (it == items_.end()) return std::nullopt;
    return Shown{&it->second, level(it->second)};
  }

  // The ids a write may change the shown events of: those it writes or deletes, and
  // (when an item's parent may change) every item below it.
  std::vector<std::string> touched(const Op& op) const {
    std::vector<std::string> ids;
    if (op.kind == OpKind::remove) {
      ids = op.deleted;
      if (ids.empty() && !op.item_id.empty()) ids.push_back(op.item_id);
      return ids;
    }
    if (!op.written) return ids;
    const std::string id = op.written->id.empty() ? op.item_id : op.written->id;
    if (id.empty()) return ids;
    ids.push_back(id);
    auto it = items_.find(id);
    if (it != items_.end() && it->second.parent_id != op.written->parent_id) append_descendants(id, ids);
    return ids;
  }

  void apply(const Op& op) {
    if (op.kind == OpKind::remove) {
      for (const auto& id : touched(op)) items_.erase(id);
    } else if (op.written) {
      Item item = *op.written;
      if (item.id.empty()) item.id = op.item_id;
      if (!item.id.empty()) items_[item.id] = std::move(item);
    }
  }

 private:
  int level(const Item& item) const {
    int depth = 0;
    std::set<std::string> seen{item.id};
    const Item* cur = &item;
    while (cur->parent_id) {
      auto it = items_.find(*cur->parent_id);
      if (it == items_.end() || !seen.insert(it->first).second) break;
      cur = &it->second;
      ++depth;
    }
    return depth;
  }

  void append_descendants(const std::string& root, std::vector<std::string>& out) const {
    std::multimap<std::string, std::string> children;
    for (const auto& [id, item] : items_)
      if (item.parent_id) children.emplace(*item.parent_id, id);
    std::set<std::string> seen{root};
    std::vector<std::string> queue{root};
    for (std::size_t i = 0; i < queue.size(); ++i) {
      auto [b, e] = children.equal_range(queue[i]);
      for (auto it = b; it != e; ++it)
        if (seen.insert(it->second).second) {
          queue.push_back(it->second);
          out.push_back(it->second);
        }
    }
  }

  std::unordered_map<std::string, Item> items_;
};

using Key = std::tuple<UserId, std::optional<Date>, std::optional<Date>, std::optional<std::string>,
                       std::optional<std::string>>;

// Whether `key`'s answer shows `s` differently from `t` (absent, or not selected,
// counts as not shown).
bool differs(const History& h, const Key& key, const std::optional<Truth::Shown>& s,
             const std::optional<Truth::Shown>& t) {
  const UserId user = std::get<0>(key);
  const Query q{std::get<1>(key), std::get<2>(key), std::get<3>(key), std::get<4>(key)};
  const bool in_s = s && h.semantics.selects(h.visibility, user, q, *s->item);
  const bool in_t = t && h.semantics.selects(h.visibility, user, q, *t->item);
  if (in_s != in_t) return true;
  if (!in_s) return false;
  const Item &a = *s->item, &b = *t->item;
  return s->level != t->level || a.title != b.title || a.work_type != b.work_type || a.status != b.status ||
         a.start_date != b.start_date || a.due_date != b.due_date || a.parent_id != b.parent_id;
}

}  // namespace

IdealHits ideal_hits(const History& h, double ttl_s) {
  // Writes at completion, reads at invocation; a write first on a tie.
  struct Event {
    TimeMs at;
    int order;  // 0 write, 1 read
    std::size_t index;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    const Op& op = h.ops[i];
    if (is_write(op)) events.push_back({op.complete, 0, i});
    else if (is_server_read(op)) events.push_back({op.invoke, 1, i});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return std::tie(a.at, a.order) < std::tie(b.at, b.order); });

  const auto ttl_ms = static_cast<TimeMs>(ttl_s * 1000.0);
  Truth truth(h.initial_items);
  std::map<Key, TimeMs> filled;  // key → when its valid entry was filled
  IdealHits out;
  for (const Event& e : events) {
    const Op& op = h.ops[e.index];
    if (e.order == 1) {
      const Key key{op.user, op.query.start, op.query.end, op.query.type, op.query.status};
      ++out.reads;
      auto it = filled.find(key);
      if (it != filled.end() && op.invoke < it->second + ttl_ms) {
        ++out.hits;
      } else {
        filled[key] = op.invoke;
      }
      continue;
    }
    const std::vector<std::string> ids = truth.touched(op);
    std::vector<std::optional<Truth::Shown>> before;
    std::vector<Item> before_items;  // copies: apply() replaces the stored items
    before_items.reserve(ids.size());
    for (const auto& id : ids) {
      auto s = truth.shown(id);
      if (s) {
        before_items.push_back(*s->item);
        s->item = &before_items.back();
      }
      before.push_back(s);
    }
    truth.apply(op);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto after = truth.shown(ids[i]);
      for (auto it = filled.begin(); it != filled.end();)
        it = differs(h, it->first, before[i], after) ? filled.erase(it) : std::next(it);
    }
  }
  return out;
}

}  // namespace cachecheck
