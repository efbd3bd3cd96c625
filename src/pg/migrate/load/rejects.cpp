#include "pg/migrate/load/rejects.hpp"

#include "pg/base/spi.hpp"

#include "pg/base/guard.hpp"

namespace minibar::pg {

RejectLog::RejectLog(int64_t run_id, std::string source_table, std::string target_table)
    : run_id_(run_id),
      source_table_(std::move(source_table)),
      target_table_(std::move(target_table)) {}

RejectLog::~RejectLog() {
  if (!plan_) return;
  try {
    pg_call([&] { SPI_freeplan(static_cast<SPIPlanPtr>(plan_)); });
  } catch (...) {
    // The plan is freed with its memory context at the end of the transaction anyway.
  }
}

void RejectLog::add(const RejectRecord &r) {
  if (count_ == 0) first_ = r;
  count_++;
  // Release 0.1's rejects table has no problems column; the library serves
  // it until ALTER EXTENSION ... UPDATE.
  if (!plan_) with_problems_ = state_table_has_column("rejects", "problems");
  pg_call([&] {
    if (!plan_) {
      Oid types[9] = {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
                      TEXTOID, TEXTOID, TEXTOID, TEXTOID};
      SPIPlanPtr p = SPI_prepare(
          with_problems_
              ? "INSERT INTO minibar_migrate.rejects (run_id, source_table, target_table, "
                "row_data, column_name, reason, sqlstate, value, problems) VALUES ($1, $2, $3, "
                "$4::pg_catalog.jsonb, $5, $6, $7, $8, $9::pg_catalog.jsonb)"
              : "INSERT INTO minibar_migrate.rejects (run_id, source_table, target_table, "
                "row_data, column_name, reason, sqlstate, value) VALUES ($1, $2, $3, "
                "$4::pg_catalog.jsonb, $5, $6, $7, $8)",
          with_problems_ ? 9 : 8, types);
      if (!p) elog(ERROR, "SPI_prepare failed for the rejects insert");
      SPI_keepplan(p);
      plan_ = p;
    }
    Datum values[9];
    char nulls[9] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
    values[0] = Int64GetDatum(run_id_);
    values[1] = CStringGetTextDatum(source_table_.c_str());
    values[2] = CStringGetTextDatum(target_table_.c_str());
    values[3] = CStringGetTextDatum(r.row.c_str());
    values[4] = CStringGetTextDatum(r.column.c_str());
    values[5] = CStringGetTextDatum(r.reason.c_str());
    values[6] = CStringGetTextDatum(r.sqlstate.c_str());
    values[7] = CStringGetTextDatum(r.value.c_str());
    if (r.column.empty()) nulls[4] = 'n';
    if (r.value.empty()) nulls[7] = 'n';
    values[8] = CStringGetTextDatum(r.problems.c_str());
    if (r.problems.empty()) nulls[8] = 'n';
    int rc = pg_state_execute_plan(static_cast<SPIPlanPtr>(plan_), values, nulls);
    if (rc != SPI_OK_INSERT) elog(ERROR, "inserting a reject failed (%d)", rc);
  });
}

}  // namespace minibar::pg
