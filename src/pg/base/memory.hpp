// Small RAII helpers for PostgreSQL memory contexts used from C++ code.
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

// Switches CurrentMemoryContext for a scope and switches back on any exit,
// C++ exception included.
class MemoryContextScope {
 public:
  explicit MemoryContextScope(MemoryContext cxt) : old_(MemoryContextSwitchTo(cxt)) {}
  ~MemoryContextScope() { MemoryContextSwitchTo(old_); }
  MemoryContextScope(const MemoryContextScope &) = delete;
  MemoryContextScope &operator=(const MemoryContextScope &) = delete;

 private:
  MemoryContext old_;
};

}  // namespace minibar::pg
