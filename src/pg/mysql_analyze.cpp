// ANALYZE of a minibar_mysql foreign table: real statistics from a streamed
// sample of the remote rows. Small tables are read whole; for big ones MySQL
// first keeps a random fraction (RAND() < f, about three times the target
// sample), and the reservoir picks the final rows from those.
#include "core/quote.hpp"
#include "core/remote_query.hpp"
#include "pg/guard.hpp"
#include "pg/memory.hpp"
#include "pg/mysql_fdw.hpp"
#include "pg/mysql_options.hpp"
#include "pg/mysql_reader.hpp"
#include "pg/row_sampler.hpp"

namespace minibar::pg {

namespace {

// InnoDB's row estimate for the table, or -1 when MySQL gives none (views).
double remote_row_estimate(const MysqlServerConfig &config, const char *db, const char *table) {
  MysqlLease lease = mysql_acquire(config);
  MysqlConnection &c = *lease.conn;
  std::vector<MysqlRow> rows =
      c.query("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
              c.quote_literal(db) + " AND TABLE_NAME = " + c.quote_literal(table));
  if (rows.empty())
    throw Error(sqlstate::kFdwTableNotFound, c.options().label + ": MySQL table " +
                                                 mysql_quote_ident(db) + "." +
                                                 mysql_quote_ident(table) + " does not exist");
  if (rows[0].empty() || !rows[0][0]) return -1;
  return std::stod(*rows[0][0]);
}

int acquire_sample(Relation rel, int elevel, HeapTuple *rows, int targrows, double *totalrows,
                   double *totaldeadrows) {
  RowSampler sampler;
  sampler.init(rows, targrows);
  double fraction = 1;
  pg_entry([&] {
    Oid relid = RelationGetRelid(rel);
    TupleDesc desc = RelationGetDescr(rel);
    mysql_connection_cache_init();
    auto *config = static_cast<MysqlServerConfig *>(palloc0(sizeof(MysqlServerConfig)));
    mysql_server_config(GetForeignTable(relid)->serverid, config);
    const char *remote_db = mysql_remote_db(relid, *config);
    const char *remote_table = mysql_remote_table(relid);
    const char *relname = pstrdup(RelationGetRelationName(rel));
    pg_tz *tz = pg_strcasecmp(config->source_timezone, "UTC") == 0
                    ? nullptr
                    : pg_tzset(config->source_timezone);
    auto *targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (desc->natts + 1)));
    auto **names = static_cast<const char **>(palloc0(sizeof(char *) * (desc->natts + 1)));
    int ntargets = 0;
    for (int i = 0; i < desc->natts; i++) {
      Form_pg_attribute att = TupleDescAttr(desc, i);
      if (att->attisdropped) continue;
      column_target_init(&targets[ntargets], att);
      names[ntargets++] = mysql_remote_column(relid, att->attnum);
    }
    auto *values = static_cast<Datum *>(palloc0(sizeof(Datum) * (desc->natts + 1)));
    auto *nulls = static_cast<bool *>(palloc0(sizeof(bool) * (desc->natts + 1)));
    MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "minibar_mysql analyze",
                                                  ALLOCSET_DEFAULT_SIZES);

    double estimate = remote_row_estimate(*config, remote_db, remote_table);
    RemoteSelect q;
    q.schema = remote_db;
    q.table = remote_table;
    for (int i = 0; i < ntargets; i++) q.columns.emplace_back(names[i]);
    if (estimate > 10.0 * targrows) {
      fraction = 3.0 * targrows / estimate;
      q.sample_fraction = fraction;
    }
    std::string label = mysql_quote_ident(remote_db) + "." + mysql_quote_ident(remote_table);
    MysqlReader reader(*config, deparse_select(q, Dialect::Mysql), targets, ntargets, relname,
                       label.c_str(), tz);
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
  *totalrows = sampler.seen / fraction;
  *totaldeadrows = 0;
  ereport(elevel,
          (errmsg("\"%s\": MySQL table has about %.0f rows; %.0f read, %d rows in sample",
                  RelationGetRelationName(rel), *totalrows, sampler.seen, sampler.numrows)));
  return sampler.numrows;
}

}  // namespace

bool mysql_analyze(Relation relation, AcquireSampleRowsFunc *func, BlockNumber *totalpages) {
  *func = acquire_sample;
  *totalpages = 1;  // MySQL pages are not PostgreSQL pages; the row count is what matters
  return true;
}

}  // namespace minibar::pg
