// ANALYZE of a minibar_mysql foreign table: real statistics from a streamed
// sample of the remote rows. Small tables are read whole; for big ones MySQL
// first keeps a random fraction (RAND() < f, about three times the target
// sample), and the reservoir picks the final rows from those.
#include "core/convert/number_parse.hpp"
#include "core/schema/quote.hpp"
#include "core/plan/remote_query.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/memory.hpp"
#include "pg/fdw/mysql/handler.hpp"
#include "pg/remote/server/mysql_options.hpp"
#include "pg/remote/mysql_reader.hpp"
#include "pg/fdw/row_sampler.hpp"

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
  return to_double(*rows[0][0]);
}

int acquire_sample(Relation rel, int elevel, HeapTuple *rows, int targrows, double *totalrows,
                   double *totaldeadrows) {
  RowSampler sampler;
  sampler.init(rows, targrows);
  double fraction = 1;
  pg_entry([&] {
    Oid relid = RelationGetRelid(rel);
    auto *config = static_cast<MysqlServerConfig *>(palloc0(sizeof(MysqlServerConfig)));
    mysql_server_config(GetForeignTable(relid)->serverid, config);
    const char *remote_db = mysql_remote_db(relid, *config);
    const char *remote_table = mysql_remote_table(relid);
    const char *relname = pstrdup(RelationGetRelationName(rel));
    pg_tz *tz = mysql_source_tz(*config);
    AnalyzeColumns cols;
    cols.init(rel, mysql_remote_column);

    double estimate = remote_row_estimate(*config, remote_db, remote_table);
    RemoteSelect q;
    q.schema = remote_db;
    q.table = remote_table;
    for (int i = 0; i < cols.ntargets; i++) q.columns.emplace_back(cols.names[i]);
    if (estimate > 10.0 * targrows) {
      fraction = 3.0 * targrows / estimate;
      q.sample_fraction = fraction;
    }
    std::string label = mysql_quote_ident(remote_db) + "." + mysql_quote_ident(remote_table);
    MysqlReader reader(*config, deparse_select(q, Dialect::Mysql), cols.targets, cols.ntargets,
                       relname, label.c_str(), tz);
    reader.start({});
    sampler.sample_all(reader, cols);
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
