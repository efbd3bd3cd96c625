#include "core/convert/number_parse.hpp"
#include "pg/validate/table.hpp"

#include <algorithm>
#include <utility>

#include "core/plan/checksum_sql.hpp"
#include "core/error.hpp"
#include "core/convert/json_text.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/log.hpp"
#include "pg/base/json_options.hpp"
#include "pg/migrate/table_steps.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {

constexpr OptionsKind kValidation{
    "validation",
    "the options of validate_checksums in the documentation page \"Validation\" (validation.md)"};
constexpr int kMaxChunks = 10000;
constexpr int kFetch = 1000;  // target rows per cursor fetch

// PostgreSQL state of one comparison; palloc'd, set up by pg_setup.
struct PgSide {
  Relation rel;
  const char *relname;
  int n;  // compared columns
  ColumnTarget *targets;
  FmgrInfo *send;  // binary send function per compared column
  int *att;        // per compared column: its attnum - 1
  Datum *values;   // by attnum - 1 (RowStream::try_fill fills them so)
  bool *nulls;
  Datum *tvalues;  // target rows: per compared column, in column order
  bool *tnulls;
  int *identity;          // 0, 1, ..., n - 1
  int key;                // index of the key among the compared columns, or -1
  Oid key_type;           // INT2OID / INT4OID / INT8OID
  MemoryContext row_cxt;  // reset per source row / per target fetch
  MemoryContext caller_cxt;
  uint64 *hashes;  // per fetched target row
  int64 *keys;
};

// PostgreSQL calls: the row's hash from its values (send functions), column
// i's value at values[index[i]].
uint64_t pg_hash_row(PgSide *s, const Datum *values, const bool *nulls, const int *index) {
  RowHash h;
  for (int i = 0; i < s->n; i++) {
    if (nulls[index[i]]) {
      h.add_null();
    } else {
      bytea *b = SendFunctionCall(&s->send[i], values[index[i]]);
      h.add(VARDATA(b), VARSIZE(b) - VARHDRSZ);
    }
  }
  return h.value();
}

int64 pg_key_value(const PgSide *s, Datum d) {
  switch (s->key_type) {
    case INT2OID:
      return DatumGetInt16(d);
    case INT4OID:
      return DatumGetInt32(d);
    default:
      return DatumGetInt64(d);
  }
}

void pg_setup(PgSide *s, Oid relid, const std::vector<std::string> &columns,
              const std::string &key_column) {
  s->caller_cxt = CurrentMemoryContext;
  s->rel = table_open(relid, AccessShareLock);
  s->relname = pstrdup(RelationGetRelationName(s->rel));
  s->n = static_cast<int>(columns.size());
  s->targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (s->n + 1)));
  s->send = static_cast<FmgrInfo *>(palloc0(sizeof(FmgrInfo) * (s->n + 1)));
  const int natts = RelationGetDescr(s->rel)->natts;
  s->att = static_cast<int *>(palloc0(sizeof(int) * (s->n + 1)));
  s->identity = static_cast<int *>(palloc0(sizeof(int) * (s->n + 1)));
  s->values = static_cast<Datum *>(palloc0(sizeof(Datum) * (natts + 1)));
  s->nulls = static_cast<bool *>(palloc0(sizeof(bool) * (natts + 1)));
  s->tvalues = static_cast<Datum *>(palloc0(sizeof(Datum) * (s->n + 1)));
  s->tnulls = static_cast<bool *>(palloc0(sizeof(bool) * (s->n + 1)));
  s->hashes = static_cast<uint64 *>(palloc(sizeof(uint64) * kFetch));
  s->keys = static_cast<int64 *>(palloc(sizeof(int64) * kFetch));
  s->key = -1;
  s->key_type = InvalidOid;
  for (int i = 0; i < s->n; i++) {
    AttrNumber att = get_attnum(relid, columns[static_cast<size_t>(i)].c_str());
    if (att == InvalidAttrNumber)
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                      errmsg("column \"%s\" of \"%s\" is gone",
                             columns[static_cast<size_t>(i)].c_str(), s->relname)));
    Form_pg_attribute a = TupleDescAttr(RelationGetDescr(s->rel), att - 1);
    column_target_init(&s->targets[i], a);
    s->att[i] = att - 1;
    s->identity[i] = i;
    Oid send;
    bool varlena;
    getTypeBinaryOutputInfo(a->atttypid, &send, &varlena);
    fmgr_info(send, &s->send[i]);
    if (columns[static_cast<size_t>(i)] == key_column &&
        (a->atttypid == INT2OID || a->atttypid == INT4OID || a->atttypid == INT8OID)) {
      s->key = i;
      s->key_type = a->atttypid;
    }
  }
  s->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "minibar_migrate validate row",
                                     ALLOCSET_DEFAULT_SIZES);
}

void pg_teardown(PgSide *s) {
  MemoryContextSwitchTo(s->caller_cxt);
  MemoryContextDelete(s->row_cxt);
  table_close(s->rel, NoLock);
}

// One side of a chunk: its checksum, and (when asked) every row's key and hash.
struct SideHash {
  ChunkSum sum;       // streamed
  std::string total;  // pushdown: the decimal sum of the row hashes
  int64_t unconvertible = 0;
  std::string first_fault;
  std::vector<std::pair<int64_t, uint64_t>> rows;
};

// The hash of a source row the conversion refuses: its values as JSON after
// two NULL tags, scrambled, so it matches no converted row in practice and
// its chunk differs.
uint64_t unconvertible_hash(const std::string &row_json) {
  RowHash h;
  h.add_null();
  h.add_null();
  h.add(row_json.data(), row_json.size());
  return h.value() ^ 0x5a5a5a5a5a5a5a5aULL;
}

class Comparer {
 public:
  Comparer(MigrationSource &src, const std::string &table,
           const std::vector<std::string> &source_columns, PgSide *pg, std::string qualified,
           std::string key_target_column)
      : src_(src),
        table_(table),
        source_columns_(source_columns),
        pg_(pg),
        qualified_(std::move(qualified)),
        key_target_(std::move(key_target_column)) {}

  // Checksums computed in SQL on both servers (MySQL): row hash expressions
  // and the source's key column.
  void use_pushdown(const std::vector<PushdownColumn> &columns, const std::string &key_source) {
    mysql_hash_ = mysql_row_hash(columns);
    pg_hash_ = pg_row_hash(columns);
    key_source_ = key_source;
  }
  bool pushdown() const { return !mysql_hash_.empty(); }

  SideHash source_sql(const KeyRange &range, bool keep_rows) {
    SideHash out;
    KeyRange r = range;
    if (!r.whole()) r.column = key_source_;
    const std::string from =
        " FROM " + mysql_quote_ident(table_) + key_range_condition(r, Dialect::Mysql);
    if (!keep_rows) {
      auto rows = src_.query("SELECT COUNT(*), COALESCE(SUM(" + mysql_hash_ + "), 0)" + from);
      out.sum.rows = to_int64(rows.at(0).at(0).value_or("0"));
      out.total = rows.at(0).at(1).value_or("0");
      return out;
    }
    for (const auto &row :
         src_.query("SELECT " + mysql_quote_ident(key_source_) + ", " + mysql_hash_ + from)) {
      if ((out.rows.size() & 1023) == 0) check_for_interrupts();
      out.rows.emplace_back(row.at(0) ? to_int64(*row.at(0)) : INT64_MIN,
                            to_uint64(row.at(1).value_or("0")));
    }
    out.sum.rows = static_cast<int64_t>(out.rows.size());
    return out;
  }

  SideHash target_sql(const KeyRange &range, bool keep_rows) {
    SideHash out;
    const std::string from =
        " FROM " + qualified_ +
        (key_target_.empty() ? std::string() : pg_key_range_condition(key_target_, range));
    if (!keep_rows) {
      auto rows =
          spi_rows("SELECT count(*), coalesce(sum(" + pg_hash_ + "), 0)::pg_catalog.text" + from);
      out.sum.rows = to_int64(rows.at(0).at(0).value_or("0"));
      out.total = rows.at(0).at(1).value_or("0");
      return out;
    }
    for (const auto &row : spi_rows("SELECT " + pg_quote_ident(key_target_) +
                                    "::pg_catalog.int8, " + pg_hash_ + from)) {
      if ((out.rows.size() & 1023) == 0) check_for_interrupts();
      out.rows.emplace_back(row.at(0) ? to_int64(*row.at(0)) : INT64_MIN,
                            static_cast<uint64_t>(to_int64(row.at(1).value_or("0"))));
    }
    out.sum.rows = static_cast<int64_t>(out.rows.size());
    return out;
  }

  SideHash source(const KeyRange &range, bool keep_rows) {
    SideHash out;
    src_.begin_table(table_, range);
    std::unique_ptr<RowStream> rows =
        src_.rows(table_, source_columns_, pg_->targets, pg_->n, pg_->relname, range);
    Subxact sx;
    sx.begin();
    int64_t read = 0;
    while (rows->next()) {
      if ((++read & 1023) == 0 || InterruptPending) check_for_interrupts();
      RowFault fault;
      bool ok = false;
      uint64_t h = 0;
      int64_t key = 0;
      try {
        pg_call([&] {
          MemoryContextReset(pg_->row_cxt);
          MemoryContextSwitchTo(pg_->row_cxt);
        });
        ok = rows->try_fill(pg_->values, pg_->nulls, &fault);
        if (ok)
          pg_call([&] {
            h = pg_hash_row(pg_, pg_->values, pg_->nulls, pg_->att);
            const int k = pg_->key >= 0 ? pg_->att[pg_->key] : -1;
            if (k >= 0 && !pg_->nulls[k]) key = pg_key_value(pg_, pg_->values[k]);
          });
      } catch (const PgError &e) {
        ErrorData *ed = e.edata();
        sx.rollback();
        if (!is_data_error(ed)) throw;
        fault.reason = ed->message ? ed->message : "error";
        fault.sqlstate = sqlstate_of(ed);
        ok = false;
        sx.begin();
      }
      pg_call([&] { MemoryContextSwitchTo(pg_->caller_cxt); });
      if (!ok) {
        std::string row = "{";
        for (int i = 0; i < pg_->n; i++) {
          if (i) row += ", ";
          json_append_string(row, source_columns_[static_cast<size_t>(i)]);
          row += ": ";
          rows->append_json(row, i);
        }
        row += "}";
        out.unconvertible++;
        if (out.first_fault.empty())
          out.first_fault = "row " + row + ": " + fault.reason + " (" + fault.sqlstate + ")";
        h = unconvertible_hash(row);
        if (pg_->key >= 0) {
          std::string k;
          rows->append_json(k, pg_->key);
          try {
            key = to_int64(k);
          } catch (const std::exception &) {
            key = INT64_MIN;
          }
        }
      }
      out.sum.add(h);
      if (keep_rows) out.rows.emplace_back(key, h);
    }
    sx.commit();
    return out;
  }

  SideHash target(const KeyRange &range, bool keep_rows) {
    SideHash out;
    std::string sql = "SELECT ";
    for (int i = 0; i < pg_->n; i++)
      sql += (i ? ", " : "") + pg_quote_ident(pg_->targets[i].attname);
    sql += " FROM " + qualified_ +
           (key_target_.empty() ? std::string() : pg_key_range_condition(key_target_, range));
    Portal portal = nullptr;
    pg_call([&] {
      portal = SPI_cursor_open_with_args(nullptr, sql.c_str(), 0, nullptr, nullptr, nullptr, true,
                                         CURSOR_OPT_NO_SCROLL);
    });
    for (;;) {
      check_for_interrupts();
      int got = 0;
      pg_call([&] {
        MemoryContextReset(pg_->row_cxt);
        SPI_cursor_fetch(portal, true, kFetch);
        got = static_cast<int>(SPI_processed);
        MemoryContext old = MemoryContextSwitchTo(pg_->row_cxt);
        for (int r = 0; r < got; r++) {
          HeapTuple t = SPI_tuptable->vals[r];
          for (int i = 0; i < pg_->n; i++)
            pg_->tvalues[i] = SPI_getbinval(t, SPI_tuptable->tupdesc, i + 1, &pg_->tnulls[i]);
          pg_->hashes[r] = pg_hash_row(pg_, pg_->tvalues, pg_->tnulls, pg_->identity);
          pg_->keys[r] = pg_->key >= 0 && !pg_->tnulls[pg_->key]
                             ? pg_key_value(pg_, pg_->tvalues[pg_->key])
                             : 0;
        }
        MemoryContextSwitchTo(old);
        SPI_freetuptable(SPI_tuptable);
      });
      for (int r = 0; r < got; r++) {
        out.sum.add(pg_->hashes[r]);
        if (keep_rows) out.rows.emplace_back(pg_->keys[r], pg_->hashes[r]);
      }
      if (got < kFetch) break;
    }
    pg_call([&] { SPI_cursor_close(portal); });
    return out;
  }

 private:
  MigrationSource &src_;
  const std::string &table_;
  const std::vector<std::string> &source_columns_;
  PgSide *pg_;
  std::string qualified_;
  std::string key_target_;
  std::string mysql_hash_, pg_hash_, key_source_;
};

// The target column's kind for the SQL encoding (PostgreSQL calls), or Other
// when its type modifier could round what the source holds (timestamp(p) or
// numeric(p,s) narrower than the source), so that both sides might differ
// where the copy does not.
PgTextKind text_kind(const ColumnTarget &t, const SourceColumn &source, bool datetimes_in_utc) {
  switch (t.typid) {
    case INT2OID:
    case INT4OID:
    case INT8OID:
      return PgTextKind::Int;
    case NUMERICOID: {
      if (t.typmod < 0) return PgTextKind::Numeric;
      const int scale = (t.typmod - VARHDRSZ) & 0xffff;
      return scale >= source.mysql.numeric_scale.value_or(0) ? PgTextKind::Numeric
                                                             : PgTextKind::Other;
    }
    case BOOLOID:
      return PgTextKind::Bool;
    case TEXTOID:
    case VARCHAROID:
    case BPCHAROID:
      return PgTextKind::Text;
    case BYTEAOID:
      return PgTextKind::Bytea;
    case DATEOID:
      return PgTextKind::Date;
    case TIMESTAMPOID: {
      const std::string &ct = source.mysql.column_type;  // datetime or datetime(N)
      const size_t open = ct.find('(');
      const int fsp = open == std::string::npos ? 0 : std::atoi(ct.c_str() + open + 1);
      return t.typmod < 0 || t.typmod >= fsp ? PgTextKind::Timestamp : PgTextKind::Other;
    }
    case TIMESTAMPTZOID: {
      const bool utc = source.mysql.data_type == "timestamp" ||
                       (source.mysql.data_type == "datetime" && datetimes_in_utc);
      return utc && t.typmod < 0 ? PgTextKind::TimestampUtc : PgTextKind::Other;
    }
    default:
      return get_typtype(t.typid) == TYPTYPE_ENUM ? PgTextKind::Enum : PgTextKind::Other;
  }
}

// The rows of a differing chunk that differ, by key (both sides sorted).
void diff_rows(int chunk, SideHash &s, SideHash &t, int64_t limit, std::vector<RowDifference> &out,
               int64_t *found) {
  std::sort(s.rows.begin(), s.rows.end());
  std::sort(t.rows.begin(), t.rows.end());
  size_t i = 0, j = 0;
  auto report = [&](int64_t key, const std::string &what) {
    (*found)++;
    if (static_cast<int64_t>(out.size()) < limit)
      out.push_back({chunk, key == INT64_MIN ? "?" : std::to_string(key), what});
  };
  while (i < s.rows.size() || j < t.rows.size()) {
    const bool take_s =
        j >= t.rows.size() || (i < s.rows.size() && s.rows[i].first < t.rows[j].first);
    const bool take_t =
        i >= s.rows.size() || (j < t.rows.size() && t.rows[j].first < s.rows[i].first);
    if (take_s) {
      report(s.rows[i].first, "missing in target");
      i++;
    } else if (take_t) {
      report(t.rows[j].first, "extra in target");
      j++;
    } else {
      const int64_t key = s.rows[i].first;
      size_t i2 = i, j2 = j;
      while (i2 < s.rows.size() && s.rows[i2].first == key) i2++;
      while (j2 < t.rows.size() && t.rows[j2].first == key) j2++;
      if (i2 - i != j2 - j) {
        report(key, "key appears " + std::to_string(i2 - i) + " time(s) in the source, " +
                        std::to_string(j2 - j) + " in the target");
      } else {
        bool same = true;
        for (size_t k = 0; k < i2 - i; k++)
          same = same && s.rows[i + k].second == t.rows[j + k].second;
        if (!same) report(key, "different values");
      }
      i = i2;
      j = j2;
    }
  }
}

}  // namespace

ValidateOptions parse_validate_options(const std::string &json, bool database_level) {
  ValidateOptions o;
  for (const JsonOption &opt : json_options(json, kValidation)) {
    if (opt.key == "chunk_size")
      o.chunk_size = option_int(kValidation, opt, 1, INT64_MAX);
    else if (opt.key == "diff_rows")
      o.diff_rows = option_int(kValidation, opt, 0, 1000000);
    else if (opt.key == "ignore_missing_columns")
      o.ignore_missing = option_bool(kValidation, opt);
    else if (opt.key == "ignore_extra_columns")
      o.ignore_extra = option_bool(kValidation, opt);
    else if (opt.key == "pushdown")
      o.pushdown = option_bool(kValidation, opt);
    else if (database_level && (opt.key == "tables" || opt.key == "exclude")) {
      (opt.key == "tables" ? o.tables : o.exclude) = option_names(kValidation, json, opt);
    } else if (database_level && opt.key == "raise_on_mismatch")
      o.raise_on_mismatch = option_bool(kValidation, opt);
    else if (database_level && opt.key == "views")
      o.views = option_views(kValidation, opt);
    else
      bad_option(kValidation, opt.key, "unknown option");
  }
  return o;
}

ValidateResult validate_table(MigrationSource &src, const std::string &remote_table, Oid target,
                              const ValidateOptions &options) {
  SourceSchema schema = src.read_schema({remote_table}, false);
  const SourceTable *table = schema.table(remote_table);
  if (!table && schema.tables.size() == 1) table = &schema.tables[0];
  if (!table)
    throw Error(sqlstate::kFdwTableNotFound, "source table " + remote_table + " not found");
  ColumnMatch m = match_existing(*table, target, options.ignore_missing, options.ignore_extra);
  if (m.source_columns.empty())
    throw Error(sqlstate::kUndefinedColumn,
                "no column of " + m.qualified + " matches a column of " + remote_table);

  // The chunk key: the source's one-column integer primary key, fed to an
  // integer column of the target.
  std::string key_source = chunk_key_column(*table, src.dialect()), key_target;
  for (size_t i = 0; i < m.source_columns.size(); i++)
    if (!key_source.empty() && m.source_columns[i] == key_source) key_target = m.target_columns[i];

  auto *pg = static_cast<PgSide *>(nullptr);
  pg_call([&] {
    pg = static_cast<PgSide *>(palloc0(sizeof(PgSide)));
    pg_setup(pg, target, m.target_columns, key_target);
  });
  if (pg->key < 0) key_target.clear();

  ValidateResult result;
  result.target = m.qualified;
  std::vector<KeyRange> ranges{KeyRange{}};
  std::string whole_detail;
  if (!key_target.empty()) {
    auto bounds = src.key_bounds(table->name, key_source);
    auto t = spi_rows("SELECT min(" + pg_quote_ident(key_target) + ")::pg_catalog.int8, max(" +
                      pg_quote_ident(key_target) +
                      ")::pg_catalog.int8, (SELECT reltuples::"
                      "pg_catalog.int8 FROM pg_catalog.pg_class WHERE oid = " +
                      std::to_string(target) + ") FROM " + m.qualified);
    std::optional<int64_t> lo, hi;
    if (bounds) {
      lo = bounds->first;
      hi = bounds->second;
    }
    if (t.at(0).at(0)) {
      int64_t tlo = to_int64(*t[0][0]), thi = to_int64(*t[0][1]);
      lo = lo ? std::min(*lo, tlo) : tlo;
      hi = hi ? std::max(*hi, thi) : thi;
    }
    if (lo && hi) {
      // The target's statistics when it has been analyzed (exact after a
      // migration), else the source's estimate.
      int64_t rows = to_int64(t[0][2].value_or("-1"));
      if (rows <= 0) rows = src.estimate_rows(table->name);
      ranges = split_key_range(key_target, *lo, *hi,
                               chunk_count(rows, *lo, *hi, options.chunk_size, kMaxChunks));
    }
  } else {
    whole_detail =
        "no one-column integer key: compared as one chunk, order-independent; differing rows "
        "cannot be named";
    pg_call([&] {
      ereport(WARNING, (errmsg("%s has no one-column integer key: compared as one chunk",
                               remote_table.c_str()),
                        errdetail("The checksum still finds any difference, but not which row.")));
    });
  }

  Comparer cmp(src, table->name, m.source_columns, pg, m.qualified, key_target);
  if (options.pushdown && src.dialect() == Dialect::Mysql) {
    std::vector<PushdownColumn> cols;
    for (int i = 0; i < pg->n; i++) {
      const SourceColumn *sc = table->column(m.source_columns[static_cast<size_t>(i)]);
      PgTextKind kind = PgTextKind::Other;
      if (sc) pg_call([&] { kind = text_kind(pg->targets[i], *sc, src.datetimes_in_utc()); });
      std::optional<PushdownColumn> pc =
          sc ? pushdown_column(*sc, kind, m.target_columns[static_cast<size_t>(i)]) : std::nullopt;
      if (!pc) {
        cols.clear();
        break;
      }
      cols.push_back(*pc);
    }
    if (!cols.empty()) {
      cmp.use_pushdown(cols, key_source);
      result.pushdown = true;
    }
  }
  const std::string tag =
      "validate " + log_name(remote_table) + " against " + log_name(m.qualified);
  log_phase(tag + ": " + std::to_string(ranges.size()) + " chunk(s)" +
            (result.pushdown ? ", checksums on both servers" : ""));
  int64_t diffs_found = 0, chunks_differ = 0;
  for (size_t c = 0; c < ranges.size(); c++) {
    check_for_interrupts();
    ChunkReport rep;
    rep.chunk = static_cast<int>(c) + 1;
    rep.key_column = key_target;
    rep.range = ranges[c];
    SideHash s = cmp.pushdown() ? cmp.source_sql(ranges[c], false) : cmp.source(ranges[c], false);
    SideHash t = cmp.pushdown() ? cmp.target_sql(ranges[c], false) : cmp.target(ranges[c], false);
    rep.source_rows = s.sum.rows;
    rep.target_rows = t.sum.rows;
    rep.source_hash = cmp.pushdown() ? s.total : s.sum.hex();
    rep.target_hash = cmp.pushdown() ? t.total : t.sum.hex();
    rep.unconvertible = s.unconvertible;
    rep.detail = whole_detail;
    if (!s.first_fault.empty())
      rep.detail =
          std::to_string(s.unconvertible) +
          " source row(s) cannot be converted to the target's types; first: " + s.first_fault;
    if (!rep.ok() && !key_target.empty() &&
        static_cast<int64_t>(result.rows.size()) < options.diff_rows) {
      SideHash s2 = cmp.pushdown() ? cmp.source_sql(ranges[c], true) : cmp.source(ranges[c], true);
      SideHash t2 = cmp.pushdown() ? cmp.target_sql(ranges[c], true) : cmp.target(ranges[c], true);
      int64_t before = diffs_found;
      diff_rows(rep.chunk, s2, t2, options.diff_rows, result.rows, &diffs_found);
      std::string d = std::to_string(diffs_found - before) + " row(s) differ";
      rep.detail = rep.detail.empty() ? d : d + "; " + rep.detail;
    }
    if (!rep.ok()) chunks_differ++;
    if (log_phase_wanted())
      log_phase(tag + ": chunk " + std::to_string(rep.chunk) + ": count " +
                std::to_string(rep.source_rows) + " / " + std::to_string(rep.target_rows) +
                ", checksum " + rep.source_hash.substr(0, 32) + " / " +
                rep.target_hash.substr(0, 32) + (rep.ok() ? ", equal" : ", differ"));
    result.chunks.push_back(std::move(rep));
  }
  pg_call([&] { pg_teardown(pg); });
  result.rows_found = diffs_found;
  log_phase(tag + ": " +
            (chunks_differ ? std::to_string(chunks_differ) + " chunk(s) differ, " +
                                 std::to_string(diffs_found) + " row(s) named"
                           : std::string("equal")));
  return result;
}

std::vector<std::string> ranges_differ(MigrationSource &src, const std::string &remote_table,
                                       Oid target, const std::vector<std::string> &source_columns,
                                       const std::vector<std::string> &target_columns,
                                       const std::vector<KeyRange> &ranges) {
  std::vector<std::string> out;
  if (ranges.empty()) return out;
  SourceSchema schema = src.read_schema({remote_table}, false);
  const SourceTable *table = schema.table(remote_table);
  if (!table && schema.tables.size() == 1) table = &schema.tables[0];
  if (!table)
    throw Error(sqlstate::kFdwTableNotFound, "source table " + remote_table + " not found");
  std::string key_source = ranges[0].column, key_target;
  for (size_t i = 0; i < source_columns.size(); i++)
    if (!key_source.empty() && source_columns[i] == key_source) key_target = target_columns[i];
  std::string qualified = target_name(target, "(OID " + std::to_string(target) + ")");
  auto *pg = static_cast<PgSide *>(nullptr);
  pg_call([&] {
    pg = static_cast<PgSide *>(palloc0(sizeof(PgSide)));
    pg_setup(pg, target, target_columns, key_target);
  });
  if (pg->key < 0) key_target.clear();
  Comparer cmp(src, table->name, source_columns, pg, qualified, key_target);
  if (src.dialect() == Dialect::Mysql) {
    std::vector<PushdownColumn> cols;
    for (int i = 0; i < pg->n; i++) {
      const SourceColumn *sc = table->column(source_columns[static_cast<size_t>(i)]);
      PgTextKind kind = PgTextKind::Other;
      if (sc) pg_call([&] { kind = text_kind(pg->targets[i], *sc, src.datetimes_in_utc()); });
      std::optional<PushdownColumn> pc =
          sc ? pushdown_column(*sc, kind, target_columns[static_cast<size_t>(i)]) : std::nullopt;
      if (!pc) {
        cols.clear();
        break;
      }
      cols.push_back(*pc);
    }
    if (!cols.empty() && !key_source.empty()) cmp.use_pushdown(cols, key_source);
  }
  for (const KeyRange &range : ranges) {
    check_for_interrupts();
    if (!range.whole() && key_target.empty()) {
      out.push_back("the target has no key column for the range");
      continue;
    }
    SideHash s = cmp.pushdown() ? cmp.source_sql(range, false) : cmp.source(range, false);
    SideHash t = cmp.pushdown() ? cmp.target_sql(range, false) : cmp.target(range, false);
    const std::string sh = cmp.pushdown() ? s.total : s.sum.hex();
    const std::string th = cmp.pushdown() ? t.total : t.sum.hex();
    if (s.sum.rows != t.sum.rows)
      out.push_back("the source holds " + std::to_string(s.sum.rows) + " rows now, the target " +
                    std::to_string(t.sum.rows));
    else if (sh != th || s.unconvertible)
      out.push_back(std::to_string(s.sum.rows) + " rows on both sides, but their checksums differ");
    else
      out.push_back("");
  }
  pg_call([&] { pg_teardown(pg); });
  return out;
}

}  // namespace minibar::pg
