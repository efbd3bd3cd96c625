#include "core/schema/fk_order.hpp"

#include <map>
#include <set>

namespace minibar {

std::vector<size_t> foreign_key_order(const SourceSchema &schema) {
  const size_t n = schema.tables.size();
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < n; i++) by_name[schema.tables[i].name] = i;
  // deps[i]: the tables i references (other than itself).
  std::vector<std::set<size_t>> deps(n);
  for (size_t i = 0; i < n; i++)
    for (const SourceForeignKey &fk : schema.tables[i].foreign_keys) {
      auto it = by_name.find(fk.ref_table);
      if (it != by_name.end() && it->second != i) deps[i].insert(it->second);
    }
  std::vector<bool> done(n, false);
  std::vector<size_t> order;
  // Tables by name, so ties and cycle breaks are deterministic.
  std::vector<size_t> names;
  for (const auto &kv : by_name) names.push_back(kv.second);
  while (order.size() < n) {
    bool progressed = false;
    for (size_t i : names) {
      if (done[i]) continue;
      bool ready = true;
      for (size_t d : deps[i])
        if (!done[d]) ready = false;
      if (ready) {
        done[i] = true;
        order.push_back(i);
        progressed = true;
      }
    }
    if (!progressed) {
      // Stuck on a cycle: take the first remaining table (by name) that is on
      // one, i.e. reaches itself through tables not yet loaded.
      auto on_cycle = [&](size_t start) {
        std::vector<bool> seen(n, false);
        std::vector<size_t> stack(deps[start].begin(), deps[start].end());
        while (!stack.empty()) {
          size_t t = stack.back();
          stack.pop_back();
          if (t == start) return true;
          if (done[t] || seen[t]) continue;
          seen[t] = true;
          stack.insert(stack.end(), deps[t].begin(), deps[t].end());
        }
        return false;
      };
      size_t pick = n;
      for (size_t i : names)
        if (!done[i] && on_cycle(i)) {
          pick = i;
          break;
        }
      for (size_t i : names)  // cannot happen (stuck implies a cycle), but never loop forever
        if (pick == n && !done[i]) pick = i;
      done[pick] = true;
      order.push_back(pick);
    }
  }
  return order;
}

}  // namespace minibar
