#include "core/schema/model.hpp"

namespace minibar {

const SourceColumn *SourceTable::column(const std::string &n) const {
  for (const SourceColumn &c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

const SourceIndex *SourceTable::primary_key() const {
  for (const SourceIndex &i : indexes)
    if (i.primary) return &i;
  return nullptr;
}

void view_column(SourceColumn &c) {
  c.nullable = true;
  c.default_value.reset();
  c.auto_increment = false;
  c.on_update_now = false;
  c.generated = false;
  c.comment.clear();
}

bool SourceSchema::noted_view(const std::string &n) const {
  for (const SourceObject &o : others)
    if (o.kind == "view" && o.name == n) return true;
  return false;
}

const SourceTable *SourceSchema::table(const std::string &n) const {
  for (const SourceTable &t : tables)
    if (t.name == n) return &t;
  return nullptr;
}

}  // namespace minibar
