#include "pg/sync/apply.hpp"

#include "core/convert/describe.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/remote/mysql_reader.hpp"
#include "pg/remote/target_columns.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

TableApplier::TableApplier(const SyncTableSpec &spec, pg_tz *tz, bool zero_date_is_error,
                           MemoryContext keep)
    : spec_(spec), tz_(tz) {
  convert_.zero_date_is_error = zero_date_is_error;
  size_t n = spec_.target_columns.size();
  if (n == 0 || spec_.source_columns.size() != n)
    throw TableDiverged("55000", "table " + spec_.source_table + " has no column mapping");
  for (const std::string &k : spec_.key_columns) {
    size_t i = 0;
    while (i < n && spec_.source_columns[i] != k) ++i;
    if (i == n)
      throw TableDiverged(
          "55000", "primary key column " + k + " of " + spec_.source_table + " was not copied");
    key_.push_back(i);
  }
  if (key_.empty())
    throw TableDiverged("55000", "table " + spec_.source_table + " has no primary key");
  scratch_.resize(n);
  std::vector<std::string> names(n);
  for (size_t k = 0; k < n; ++k) names[k] = pg_quote_ident(spec_.target_columns[k]);
  const char *current_name = nullptr;
  Relation rel = nullptr;
  MemoryContext old = nullptr;
  pg_call([&] {
    old = MemoryContextSwitchTo(keep);
    row_cxt_ = AllocSetContextCreate(keep, "minibar sync row", ALLOCSET_SMALL_SIZES);
    rel = try_relation_open(spec_.target_relid, AccessShareLock);
    if (rel)
      current_name = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                                RelationGetRelationName(rel));
  });
  ColumnTarget *found = nullptr;
  std::string missing;
  if (rel) {
    try {
      found = target_columns(rel, spec_.target_columns, spec_.target_table);
    } catch (const Error &e) {
      missing = e.what();
    }
    pg_call([&] { table_close(rel, AccessShareLock); });
  }
  pg_call([&] { MemoryContextSwitchTo(old); });
  if (!rel) throw TableDiverged("42P01", "target table " + spec_.target_table + " does not exist");
  if (!found) throw TableDiverged("42703", missing);
  targets_.assign(found, found + n);
  pg_call([&] { pfree(found); });  // the copies keep what it points to
  std::vector<Oid> types(n);
  for (size_t k = 0; k < n; ++k) types[k] = targets_[k].typid;

  std::string cols, params, sets, where;
  std::vector<Oid> update_types = types, key_types;
  for (size_t k = 0; k < n; ++k) {
    std::string p = "$" + std::to_string(k + 1);
    cols += (k ? ", " : "") + names[k];
    params += (k ? ", " : "") + p;
    sets += (k ? ", " : "") + names[k] + " = " + p;
  }
  std::string upd_where, del_where;
  for (size_t j = 0; j < key_.size(); ++j) {
    const std::string &name = names[key_[j]];
    upd_where += (j ? " AND " : "") + name + " = $" + std::to_string(n + j + 1);
    del_where += (j ? " AND " : "") + name + " = $" + std::to_string(j + 1);
    update_types.push_back(types[key_[j]]);
    key_types.push_back(types[key_[j]]);
  }
  // The statements name the target as the catalog does now, by its OID.
  const std::string t = current_name;
  std::string ins =
      "INSERT INTO " + t + " (" + cols + ") OVERRIDING SYSTEM VALUE VALUES (" + params + ")";
  std::string upd = "UPDATE " + t + " SET " + sets + " WHERE " + upd_where;
  std::string del = "DELETE FROM " + t + " WHERE " + del_where;
  pg_call([&] {
    // Kept for the life of the worker.
    insert_ = pg_spi_prepare(ins, types, true);
    update_ = pg_spi_prepare(upd, update_types, true);
    delete_ = pg_spi_prepare(del, key_types, true);
  });
}

TableApplier::~TableApplier() {
  // Plans and contexts live until the worker exits; freeing them here could
  // raise an error in a destructor.
}

void TableApplier::bind(const TableMap &map) {
  if (!map.has_names)
    throw TableDiverged("55000",
                        "the binlog's table map of " + spec_.source_table + " has no column names",
                        "", "Set binlog_row_metadata = FULL on the source.");
  binlog_.assign(spec_.source_columns.size(), 0);
  for (size_t k = 0; k < spec_.source_columns.size(); ++k) {
    size_t i = 0;
    while (i < map.columns.size() && map.columns[i].name != spec_.source_columns[k]) ++i;
    if (i == map.columns.size())
      throw TableDiverged("55000",
                          "column " + spec_.source_columns[k] + " of " + spec_.source_table +
                              " is no longer in the source table",
                          "", "The table changed on the source; migrate it again.");
    binlog_[k] = i;
  }
}

std::string TableApplier::describe_key(const RowImage &img) const {
  std::string out;
  for (size_t j = 0; j < key_.size(); ++j) {
    size_t k = key_[j];
    out +=
        (j ? ", " : "") + spec_.source_columns[k] + " = " + describe_mycell(img.cells[binlog_[k]]);
  }
  return out;
}

// PostgreSQL calls inside; row_cxt_ is current.
Datum TableApplier::value(const RowImage &img, size_t k, bool *isnull) {
  size_t i = binlog_[k];
  Converted v = convert_mysql_cell(img.cells[i], targets_[k].kind, convert_, scratch_[k]);
  if (v.kind == Converted::Kind::Error)
    throw TableDiverged(v.sqlstate ? v.sqlstate : "22P02",
                        "column " + spec_.source_columns[k] + " of " + spec_.source_table +
                            ": value " + describe_mycell(img.cells[i]) + ": " +
                            (v.reason ? v.reason : "does not convert"));
  Datum d = 0;
  const ColumnTarget &t = targets_[k];
  pg_call([&] {
    if (!mysql_datetime_to_utc(&v, t.kind, tz_)) pg_local_time_gap_error(tz_);
    d = converted_to_datum(v, t, isnull);
  });
  return d;
}

void TableApplier::apply(RowChange change, const RowImage *before, const RowImage *after) {
  size_t n = targets_.size();
  const RowImage *img = change == RowChange::Delete ? before : after;
  if (!img || (change == RowChange::Update && !before))
    throw TableDiverged("XX000", "row change without its row image");
  for (size_t k = 0; k < n; ++k)
    if (!img->present[binlog_[k]] ||
        (change == RowChange::Update && !before->present[binlog_[k]] && k < n))
      throw TableDiverged("55000",
                          "the binlog row image of " + spec_.source_table + " lacks column " +
                              spec_.source_columns[k],
                          "", "Set binlog_row_image = FULL on the source.");
  std::vector<Datum> values;
  std::vector<char> nulls;
  pg_call([&] { MemoryContextReset(row_cxt_); });
  MemoryContext old = nullptr;
  pg_call([&] { old = MemoryContextSwitchTo(row_cxt_); });
  auto push = [&](const RowImage &from, size_t k) {
    bool isnull = false;
    Datum d = value(from, k, &isnull);
    values.push_back(d);
    nulls.push_back(isnull ? 'n' : ' ');
  };
  try {
    if (change != RowChange::Delete)
      for (size_t k = 0; k < n; ++k) push(*img, k);
    if (change != RowChange::Insert)
      for (size_t k : key_) push(*before, k);
  } catch (...) {
    pg_call([&] { MemoryContextSwitchTo(old); });
    throw;
  }
  SPIPlanPtr plan = change == RowChange::Insert   ? insert_
                    : change == RowChange::Update ? update_
                                                  : delete_;
  int rc = 0;
  uint64 processed = 0;
  pg_call([&] {
    MemoryContextSwitchTo(old);
    rc = SPI_execute_plan(plan, values.data(), nulls.data(), false, 0);
    processed = SPI_processed;
  });
  if (rc < 0)
    throw Error("XX000", std::string("SPI_execute_plan failed: ") + SPI_result_code_string(rc));
  if (processed != 1)
    throw TableDiverged("55000",
                        std::string(change == RowChange::Update ? "UPDATE" : "DELETE") + " of " +
                            spec_.source_table + " row " + describe_key(*before) + " found " +
                            std::to_string(processed) + " rows in the target",
                        "", "The target differs from the source: migrate the table again.");
}

}  // namespace minibar::pg
