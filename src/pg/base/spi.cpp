#include "pg/base/spi.hpp"

#include <cstring>

namespace minibar::pg {

void Subxact::begin() {
  pg_call([&] {
    cxt_ = CurrentMemoryContext;
    owner_ = CurrentResourceOwner;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(cxt_);
  });
  active_ = true;
}

Subxact::~Subxact() {
  if (!active_) return;
  try {
    rollback();
  } catch (...) {
    // Unwinding already: the error that got us here is the one reported, and
    // the transaction's abort cleans up whatever this rollback could not.
  }
}

void Subxact::end(void (*end_subxact)()) {
  active_ = false;
  pg_call([&] {
    end_subxact();
    MemoryContextSwitchTo(cxt_);
    CurrentResourceOwner = owner_;
  });
}

void Subxact::commit() {
  end(ReleaseCurrentSubTransaction);
}

void Subxact::rollback() {
  end(RollbackAndReleaseCurrentSubTransaction);
}

bool is_data_error(const ErrorData *edata) {
  int category = ERRCODE_TO_CATEGORY(edata->sqlerrcode);
  return category == ERRCODE_DATA_EXCEPTION || category == ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION;
}

bool is_policy_refusal(const ErrorData *edata) {
  static constexpr char kPrefix[] = "new row violates row-level security policy";
  return edata->sqlerrcode == ERRCODE_INSUFFICIENT_PRIVILEGE && edata->message_id &&
         std::strncmp(edata->message_id, kPrefix, sizeof kPrefix - 1) == 0;
}

std::string sqlstate_of(const ErrorData *edata) {
  return unpack_sql_state(edata->sqlerrcode);
}

int spi_begin_pinned() {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  int level = NewGUCNestLevel();
  (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                          GUC_ACTION_SAVE, true, 0, false);
  return level;
}

void spi_end_pinned(int guc_level) {
  AtEOXact_GUC(true, guc_level);
  SPI_finish();
}

namespace {

// PostgreSQL calls: refuses (42601) a string that is not exactly one statement.
void pg_require_one_statement(const char *sql) {
  List *parsed = raw_parser(sql, RAW_PARSE_DEFAULT);
  if (list_length(parsed) != 1)
    ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("minibar_migrate refused to run generated SQL that is %d statements, "
                           "not one",
                           list_length(parsed)),
                    errdetail("Statement text: %.200s", sql)));
  list_free_deep(parsed);
}

// The owner of the state tables: the owner of minibar_migrate.runs.
Oid pg_state_owner() {
  Oid nsp = get_namespace_oid("minibar_migrate", false);
  Oid rel = get_relname_relid("runs", nsp);
  if (!OidIsValid(rel))
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("minibar_migrate.runs is missing: the extension is not installed "
                           "in this database")));
  HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
  if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for relation %u", rel);
  Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup))->relowner;
  ReleaseSysCache(tup);
  return owner;
}

}  // namespace

void pg_state_owner_enter(StateOwner *sw) {
  Oid owner = pg_state_owner();
  GetUserIdAndSecContext(&sw->saved_user, &sw->saved_sec);
  sw->guc_level = NewGUCNestLevel();
  (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                          GUC_ACTION_SAVE, true, 0, false);
  SetUserIdAndSecContext(
      owner, sw->saved_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
}

void pg_state_owner_leave(const StateOwner *sw, bool ok) {
  SetUserIdAndSecContext(sw->saved_user, sw->saved_sec);
  AtEOXact_GUC(ok, sw->guc_level);
}

int pg_state_execute_plan(SPIPlanPtr plan, Datum *values, const char *nulls) {
  StateOwner sw;
  pg_state_owner_enter(&sw);
  int rc = 0;
  PG_TRY();
  { rc = SPI_execute_plan(plan, values, nulls, false, 0); }
  PG_CATCH();
  {
    pg_state_owner_leave(&sw, false);
    PG_RE_THROW();
  }
  PG_END_TRY();
  pg_state_owner_leave(&sw, true);
  return rc;
}

namespace {

// PostgreSQL calls: runs sql (one statement) with text parameters, as the
// current user or (as_owner) as the state tables' owner.
void pg_run(const std::string &sql, const std::vector<std::string> &args, bool as_owner) {
  pg_require_one_statement(sql.c_str());
  int nargs = static_cast<int>(args.size());
  Oid *types = nargs ? static_cast<Oid *>(palloc(sizeof(Oid) * nargs)) : nullptr;
  Datum *values = nargs ? static_cast<Datum *>(palloc(sizeof(Datum) * nargs)) : nullptr;
  for (int i = 0; i < nargs; i++) {
    types[i] = TEXTOID;
    values[i] = CStringGetTextDatum(args[static_cast<size_t>(i)].c_str());
  }
  StateOwner sw;
  if (as_owner) pg_state_owner_enter(&sw);
  int rc = 0;
  PG_TRY();
  {
    rc = nargs ? SPI_execute_with_args(sql.c_str(), nargs, types, values, nullptr, false, 0)
               : SPI_execute(sql.c_str(), false, 0);
  }
  PG_CATCH();
  {
    if (as_owner) pg_state_owner_leave(&sw, false);
    PG_RE_THROW();
  }
  PG_END_TRY();
  if (as_owner) pg_state_owner_leave(&sw, true);
  if (rc < 0) elog(ERROR, "SPI_execute failed (%d): %s", rc, sql.c_str());
}

SpiRows run_rows(const std::string &sql, const std::vector<std::string> &args, bool as_owner) {
  SpiRows out;
  uint64 nrows = 0;
  int ncols = 0;
  pg_call([&] {
    pg_run(sql, args, as_owner);
    nrows = SPI_processed;
    ncols = SPI_tuptable ? SPI_tuptable->tupdesc->natts : 0;
  });
  for (uint64 r = 0; r < nrows; r++) {
    std::vector<std::optional<std::string>> row;
    for (int c = 1; c <= ncols; c++) {
      char *v = nullptr;
      pg_call([&] { v = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c); });
      row.push_back(v ? std::optional<std::string>(v) : std::nullopt);
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

void spi_exec(const std::string &sql) {
  pg_call([&] { pg_run(sql, {}, false); });
}

bool state_table_has_column(const std::string &table, const std::string &column) {
  return !spi_rows(
              "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
              "pg_catalog.to_regclass('minibar_migrate.' || pg_catalog.quote_ident($1)) "
              "AND attname = $2 AND NOT attisdropped",
              {table, column})
              .empty();
}

SpiRows spi_rows(const std::string &sql, const std::vector<std::string> &args) {
  return run_rows(sql, args, false);
}

SpiRows state_rows(const std::string &sql, const std::vector<std::string> &args) {
  return run_rows(sql, args, true);
}

std::string current_role_name() {
  std::string name;
  pg_call([&] { name = GetUserNameFromId(GetUserId(), false); });
  return name;
}

std::optional<SpiFailure> spi_try_code(const std::string &sql) {
  Subxact sx;
  sx.begin();
  try {
    spi_exec(sql);
  } catch (const PgError &e) {
    sx.rollback();
    int category = ERRCODE_TO_CATEGORY(e.edata()->sqlerrcode);
    if (category == ERRCODE_TO_CATEGORY(ERRCODE_QUERY_CANCELED) ||
        category == ERRCODE_TO_CATEGORY(ERRCODE_OUT_OF_MEMORY) ||
        category == ERRCODE_TO_CATEGORY(ERRCODE_INTERNAL_ERROR))
      throw;
    return SpiFailure{sqlstate_of(e.edata()), e.edata()->message ? e.edata()->message : "error"};
  }
  sx.commit();
  return std::nullopt;
}

std::optional<std::string> spi_try(const std::string &sql) {
  std::optional<SpiFailure> f = spi_try_code(sql);
  if (!f) return std::nullopt;
  return f->message;
}

SPIPlanPtr pg_spi_prepare(const std::string &sql, const std::vector<Oid> &types, bool keep) {
  SPIPlanPtr plan =
      SPI_prepare(sql.c_str(), static_cast<int>(types.size()), const_cast<Oid *>(types.data()));
  if (!plan)
    elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql.c_str(),
         SPI_result_code_string(SPI_result));
  if (keep && SPI_keepplan(plan)) elog(ERROR, "SPI_keepplan failed");
  return plan;
}

}  // namespace minibar::pg
