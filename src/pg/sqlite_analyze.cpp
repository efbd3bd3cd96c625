// ANALYZE of a minibar_sqlite foreign table: one streaming pass over the
// remote table with reservoir sampling, so the planner gets real statistics
// and row counts.
#include "core/remote_query.hpp"
#include "pg/guard.hpp"
#include "pg/memory.hpp"
#include "pg/row_sampler.hpp"
#include "pg/sqlite_fdw.hpp"
#include "pg/sqlite_plan.hpp"
#include "pg/sqlite_reader.hpp"

namespace minibar::pg {

namespace {

int acquire_sample(Relation rel, int elevel, HeapTuple *rows, int targrows, double *totalrows,
                   double *totaldeadrows) {
  RowSampler sampler;
  sampler.init(rows, targrows);
  pg_entry([&] {
    Oid relid = RelationGetRelid(rel);
    TupleDesc desc = RelationGetDescr(rel);
    SqliteServerConfig config;
    sqlite_server_config(GetForeignTable(relid)->serverid, &config);
    const char *remote_table = sqlite_remote_table(relid);
    const char *relname = pstrdup(RelationGetRelationName(rel));
    auto *targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (desc->natts + 1)));
    auto **names = static_cast<const char **>(palloc0(sizeof(char *) * (desc->natts + 1)));
    int ntargets = 0;
    for (int i = 0; i < desc->natts; i++) {
      Form_pg_attribute att = TupleDescAttr(desc, i);
      if (att->attisdropped) continue;
      column_target_init(&targets[ntargets], att);
      names[ntargets++] = sqlite_remote_column(relid, att->attnum);
    }
    auto *values = static_cast<Datum *>(palloc0(sizeof(Datum) * (desc->natts + 1)));
    auto *nulls = static_cast<bool *>(palloc0(sizeof(bool) * (desc->natts + 1)));
    MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "minibar_sqlite analyze",
                                                  ALLOCSET_DEFAULT_SIZES);
    std::unique_ptr<SqliteDatabase> db = sqlite_open(config);
    std::optional<std::vector<SqliteColumn>> cols = db->columns(remote_table);
    if (!cols)
      throw Error(sqlstate::kFdwTableNotFound,
                  db->options().label + ": SQLite table \"" + remote_table + "\" does not exist");
    RemoteSelect q;
    q.table = remote_table;
    q.row_locator = db->row_locator(remote_table, *cols);
    for (int i = 0; i < ntargets; i++) q.columns.emplace_back(names[i]);
    bool locator = !q.row_locator.empty();
    SqliteReader reader(std::move(db), deparse_select(q, Dialect::Sqlite), targets, ntargets,
                        locator, relname, remote_table);
    reader.start({});
    while (reader.next()) {
      check_for_interrupts();
      int pos = sampler.next_slot();
      if (pos < 0) continue;
      MemoryContextReset(row_cxt);
      memset(nulls, true, sizeof(bool) * desc->natts);
      {
        MemoryContextScope in_row(row_cxt);
        reader.fill(values, nulls);
      }
      pg_call([&] { sampler.store(pos, desc, values, nulls); });
    }
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
