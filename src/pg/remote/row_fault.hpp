// Why one remote row could not be converted, as the migration records it in
// minibar_migrate.rejects instead of failing the load.
#pragma once

#include <string>
#include <vector>

namespace minibar::pg {

// One value that does not fit its column (or the row as a whole).
struct ColumnFault {
  int column = -1;  // index into the reader's targets; -1: the row as a whole
  std::string sqlstate;
  std::string reason;
  std::string value;  // the remote value, described for people
};

// The first fault of a row, and every further column whose value does not
// fit either (the pure C++ conversion checks every value of the row).
struct RowFault : ColumnFault {
  std::vector<ColumnFault> more;
};

}  // namespace minibar::pg
