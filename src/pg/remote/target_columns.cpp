#include "pg/remote/target_columns.hpp"

#include "core/error.hpp"
#include "pg/base/guard.hpp"

namespace minibar::pg {

ColumnTarget *target_columns(Relation rel, const std::vector<std::string> &names,
                             const std::string &what) {
  const size_t n = names.size();
  ColumnTarget *targets = nullptr;
  pg_call([&] { targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (n + 1))); });
  for (size_t i = 0; i < n; i++) {
    bool found = false;
    pg_call([&] {
      AttrNumber att = get_attnum(RelationGetRelid(rel), names[i].c_str());
      if (att <= 0) return;  // none (or dropped), or a system column
      column_target_init(&targets[i], TupleDescAttr(RelationGetDescr(rel), att - 1));
      found = true;
    });
    if (!found) throw Error("42703", "column \"" + names[i] + "\" of " + what + " is gone");
  }
  return targets;
}

}  // namespace minibar::pg
