// ANALYZE of a minibar_sqlite foreign table: one streaming pass over the
// remote table with reservoir sampling, so the planner gets real statistics
// and row counts.
#include "core/plan/remote_query.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/memory.hpp"
#include "pg/fdw/row_sampler.hpp"
#include "pg/fdw/sqlite/handler.hpp"
#include "pg/fdw/sqlite/plan.hpp"
#include "pg/remote/sqlite_reader.hpp"

namespace minibar::pg {

namespace {

int acquire_sample(Relation rel, int elevel, HeapTuple *rows, int targrows, double *totalrows,
                   double *totaldeadrows) {
  RowSampler sampler;
  sampler.init(rows, targrows);
  pg_entry([&] {
    Oid relid = RelationGetRelid(rel);
    SqliteServerConfig config;
    sqlite_server_config(GetForeignTable(relid)->serverid, &config);
    const char *remote_table = sqlite_remote_table(relid);
    const char *relname = pstrdup(RelationGetRelationName(rel));
    AnalyzeColumns cols;
    cols.init(rel, sqlite_remote_column);
    std::unique_ptr<SqliteDatabase> db = sqlite_open(config);
    std::optional<std::vector<SqliteColumn>> remote_cols = db->columns(remote_table);
    if (!remote_cols)
      throw Error(sqlstate::kFdwTableNotFound,
                  db->options().label + ": SQLite table \"" + remote_table + "\" does not exist");
    RemoteSelect q;
    q.table = remote_table;
    q.row_locator = db->row_locator(remote_table, *remote_cols);
    for (int i = 0; i < cols.ntargets; i++) q.columns.emplace_back(cols.names[i]);
    bool locator = !q.row_locator.empty();
    SqliteReader reader(std::move(db), deparse_select(q, Dialect::Sqlite), cols.targets,
                        cols.ntargets, locator, relname, remote_table);
    reader.start({});
    sampler.sample_all(reader, cols);
  });
  *totalrows = sampler.seen;
  *totaldeadrows = 0;
  ereport(elevel, (errmsg("\"%s\": SQLite table contains %.0f rows; %d rows in sample",
                          RelationGetRelationName(rel), sampler.seen, sampler.numrows)));
  return sampler.numrows;
}

}  // namespace

bool sqlite_analyze(Relation relation, AcquireSampleRowsFunc *func, BlockNumber *totalpages) {
  *func = acquire_sample;
  *totalpages = 1;  // SQLite pages are not PostgreSQL pages; the row count is what matters
  return true;
}

}  // namespace minibar::pg
