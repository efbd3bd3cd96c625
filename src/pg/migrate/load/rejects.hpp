// Writes rejected rows to minibar_migrate.rejects (run, source table, target,
// the row's key or values as jsonb, column, reason, SQLSTATE, value) through
// one prepared statement. The caller has done SPI_connect.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace minibar::pg {

struct RejectRecord {
  std::string row;  // JSON object: the key columns, or the whole row (long values cut)
  std::string column;
  std::string reason;
  std::string sqlstate;
  std::string value;
  // Every column whose value does not fit, the first included, as a JSON
  // array of {column, sqlstate, reason, value}; empty: not a column's fault.
  std::string problems;
};

class RejectLog {
 public:
  RejectLog(int64_t run_id, std::string source_table, std::string target_table);
  ~RejectLog();
  RejectLog(const RejectLog &) = delete;
  RejectLog &operator=(const RejectLog &) = delete;
  void add(const RejectRecord &r);
  int64_t count() const { return count_; }
  // The first reject, for error messages.
  const RejectRecord *first() const { return count_ ? &first_ : nullptr; }

 private:
  int64_t run_id_;
  std::string source_table_, target_table_;
  void *plan_ = nullptr;       // SPIPlanPtr
  bool with_problems_ = true;  // the rejects table has the column (0.2 on)
  int64_t count_ = 0;
  RejectRecord first_;
};

}  // namespace minibar::pg
