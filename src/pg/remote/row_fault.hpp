// Why one remote row could not be converted, as the migration records it in
// minibar_migrate.rejects instead of failing the load.
#pragma once

#include <string>

namespace minibar::pg {

struct RowFault {
  int column = -1;  // index into the reader's targets; -1: the row as a whole
  std::string sqlstate;
  std::string reason;
  std::string value;  // the remote value, described for people
};

}  // namespace minibar::pg
