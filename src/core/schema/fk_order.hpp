// The order tables are loaded in: referenced tables before the tables that
// reference them (self-references ignored); a cycle is broken at the table
// whose name sorts first, so the order is deterministic. Pure C++.
#pragma once

#include <cstddef>
#include <vector>

#include "core/schema/model.hpp"

namespace minibar {

// Indexes into schema.tables. References to tables outside the schema are ignored.
std::vector<size_t> foreign_key_order(const SourceSchema &schema);

}  // namespace minibar
