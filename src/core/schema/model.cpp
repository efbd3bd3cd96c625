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

const SourceTable *SourceSchema::table(const std::string &n) const {
  for (const SourceTable &t : tables)
    if (t.name == n) return &t;
  return nullptr;
}

}  // namespace minibar
