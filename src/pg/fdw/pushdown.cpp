#include "pg/fdw/pushdown.hpp"

namespace minibar::pg {

namespace {

// Largest IN list sent as parameters (SQLite allows 32766 in all).
constexpr int kMaxInList = 1000;

enum class Family { None, Integer, Float, Text, Numeric };

Family type_family(Oid type) {
  switch (type) {
    case INT2OID:
    case INT4OID:
    case INT8OID:
      return Family::Integer;
    case FLOAT4OID:
    case FLOAT8OID:
      return Family::Float;
    case TEXTOID:
    case VARCHAROID:
      return Family::Text;
    case NUMERICOID:
      return Family::Numeric;
    default:
      return Family::None;
  }
}

// Whether a column of PostgreSQL type coltype over a remote column of class
// cls is compared remotely as PostgreSQL compares it.
bool column_fits(Oid coltype, char cls, Dialect dialect) {
  Family f = type_family(coltype);
  if (dialect == Dialect::Mysql) {
    switch (f) {
      case Family::Integer:
      case Family::Numeric:
        return cls == 'i' || cls == 'n';
      case Family::Text:
        return cls == 's';
      default:
        return false;  // FLOAT rounding; no NaN or Infinity in MySQL
    }
  }
  char affinity = cls;
  switch (f) {
    case Family::Integer:
      return affinity == 'I' || affinity == 'R' || affinity == 'N';
    case Family::Float:
      // Only double precision over REAL affinity, where SQLite stores doubles:
      // a real column is the double rounded to float (SQLite compares the
      // double), and INTEGER / NUMERIC affinity keeps integers beyond 2^53
      // that a double rounds (SQLite compares them exactly).
      return coltype == FLOAT8OID && affinity == 'R';
    case Family::Text:
      return affinity == 'T';
    default:
      return false;
  }
}

// Whether a constant (or array element) of the given type may be sent as the
// value of a pushed comparison (float_value_pushable, mysql_decimal_pushable).
bool value_pushable(Oid type, Datum value, bool isnull, Dialect dialect) {
  if (isnull) return true;
  switch (type) {
    case FLOAT4OID:
      return float_value_pushable(static_cast<double>(DatumGetFloat4(value)));
    case FLOAT8OID:
      return float_value_pushable(DatumGetFloat8(value));
    case NUMERICOID: {
      if (dialect != Dialect::Mysql) return false;  // SQLite would compare a double
      char *text = DatumGetCString(DirectFunctionCall1(numeric_out, value));
      bool ok = mysql_decimal_pushable(text);
      pfree(text);
      return ok;
    }
    default:
      return true;
  }
}

// A comparison whose value is a float or numeric parameter: its value is
// known only when the scan starts, so a flag parameter lets the scan turn
// the condition off (param_value_pushable) and the clause is rechecked.
bool needs_flag(Family family) {
  return family == Family::Float || family == Family::Numeric;
}

// SQLite orders text above every number, so a float comparison there passes
// text-stored values for > >= <> and drops them for = < <=. PostgreSQL reads
// 'NaN', 'Infinity' and '-Infinity' text as floats: the condition is made to
// pass text for = < <= and IN too, and the clause is rechecked locally.
bool sqlite_float(Family family, Dialect dialect) {
  return family == Family::Float && dialect == Dialect::Sqlite;
}

Expr *strip_relabel(Expr *e) {
  while (e && IsA(e, RelabelType)) e = reinterpret_cast<RelabelType *>(e)->arg;
  return e;
}

// The foreign table's column behind e, or 0.
AttrNumber column_of(Expr *e, const PushRelInfo *info) {
  e = strip_relabel(e);
  if (!e || !IsA(e, Var)) return 0;
  auto *var = reinterpret_cast<Var *>(e);
  if (static_cast<Index>(var->varno) != info->relid || var->varlevelsup != 0) return 0;
  if (var->varattno <= 0 || var->varattno > info->natts) return 0;
  if (!info->remote_names[var->varattno - 1] || !info->remote_class[var->varattno - 1]) return 0;
  return var->varattno;
}

bool is_value(Expr *e) {
  e = strip_relabel(e);
  return e && (IsA(e, Const) || IsA(e, Param));
}

const char *static_op(const char *name) {
  static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
  for (const char *op : ops)
    if (strcmp(op, name) == 0) return op;
  return nullptr;
}

const char *commuted(const char *op) {
  if (strcmp(op, "<") == 0) return ">";
  if (strcmp(op, "<=") == 0) return ">=";
  if (strcmp(op, ">") == 0) return "<";
  if (strcmp(op, ">=") == 0) return "<=";
  return op;
}

// A built-in comparison operator whose meaning the remote side shares for
// this family and collation; returns its static name, or nullptr.
const char *usable_operator(Oid opno, Family family, Oid collation, Dialect dialect) {
  HeapTuple tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
  if (!HeapTupleIsValid(tuple)) return nullptr;
  auto *form = reinterpret_cast<Form_pg_operator>(GETSTRUCT(tuple));
  const char *op = nullptr;
  if (form->oprnamespace == PG_CATALOG_NAMESPACE && type_family(form->oprleft) == family &&
      type_family(form->oprright) == family)
    op = static_op(NameStr(form->oprname));
  ReleaseSysCache(tuple);
  if (!op || family != Family::Text) return op;
  // MySQL text: equality only, rechecked locally (the remote answer is a superset).
  if (dialect == Dialect::Mysql) return strcmp(op, "=") == 0 ? op : nullptr;
  // SQLite compares text byte by byte (BINARY collation): equality agrees with
  // any deterministic collation, ordering only with C / POSIX.
  if (!OidIsValid(collation)) return nullptr;
  if (strcmp(op, "=") == 0 || strcmp(op, "<>") == 0)
    return get_collation_isdeterministic(collation) ? op : nullptr;
  return lc_collate_is_c(collation) ? op : nullptr;
}

PushCond *make_cond(RemoteCond::Kind kind) {
  auto *c = static_cast<PushCond *>(palloc0(sizeof(PushCond)));
  c->kind = kind;
  return c;
}

PushCond *push_opexpr(OpExpr *op, const PushRelInfo *info, List **params) {
  if (list_length(op->args) != 2) return nullptr;
  auto *left = static_cast<Expr *>(linitial(op->args));
  auto *right = static_cast<Expr *>(lsecond(op->args));
  bool swapped = false;
  AttrNumber att = column_of(left, info);
  Expr *value = right;
  if (!att) {
    att = column_of(right, info);
    value = left;
    swapped = true;
  }
  if (!att || !is_value(value)) return nullptr;
  Oid coltype = exprType(
      reinterpret_cast<Node *>(strip_relabel(static_cast<Expr *>(swapped ? right : left))));
  Family family = type_family(coltype);
  if (family == Family::None || !column_fits(coltype, info->remote_class[att - 1], info->dialect))
    return nullptr;
  if (type_family(exprType(reinterpret_cast<Node *>(value))) != family) return nullptr;
  const char *name = usable_operator(op->opno, family, op->inputcollid, info->dialect);
  if (!name) return nullptr;
  Expr *bare = strip_relabel(value);
  bool param = IsA(bare, Param);
  if (!param) {
    auto *k = reinterpret_cast<Const *>(bare);
    if (!value_pushable(k->consttype, k->constvalue, k->constisnull, info->dialect)) return nullptr;
  }
  PushCond *c = make_cond(RemoteCond::Kind::Compare);
  c->column = info->remote_names[att - 1];
  c->op = swapped ? commuted(name) : name;
  c->nparams = 1;
  c->flag_param = param && needs_flag(family);
  if (sqlite_float(family, info->dialect))
    c->pass_text = strcmp(c->op, "=") == 0 || strcmp(c->op, "<") == 0 || strcmp(c->op, "<=") == 0;
  c->recheck = (family == Family::Text && info->dialect == Dialect::Mysql) || c->flag_param ||
               sqlite_float(family, info->dialect);
  *params = lappend(*params, value);
  return c;
}

PushCond *push_in_list(ScalarArrayOpExpr *saop, const PushRelInfo *info, List **params) {
  if (!saop->useOr || list_length(saop->args) != 2) return nullptr;
  auto *left = static_cast<Expr *>(linitial(saop->args));
  auto *right = strip_relabel(static_cast<Expr *>(lsecond(saop->args)));
  AttrNumber att = column_of(left, info);
  if (!att || !right || !IsA(right, Const)) return nullptr;
  auto *array = reinterpret_cast<Const *>(right);
  if (array->constisnull) return nullptr;
  Oid coltype = exprType(reinterpret_cast<Node *>(strip_relabel(left)));
  Family family = type_family(coltype);
  if (family == Family::None || !column_fits(coltype, info->remote_class[att - 1], info->dialect))
    return nullptr;
  Oid elemtype = get_element_type(array->consttype);
  if (type_family(elemtype) != family) return nullptr;
  const char *name = usable_operator(saop->opno, family, saop->inputcollid, info->dialect);
  if (!name || strcmp(name, "=") != 0) return nullptr;

  ArrayType *arr = DatumGetArrayTypeP(array->constvalue);
  int16 typlen;
  bool typbyval;
  char typalign;
  get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
  Datum *elems;
  bool *nulls;
  int n;
  deconstruct_array(arr, elemtype, typlen, typbyval, typalign, &elems, &nulls, &n);
  if (n < 1 || n > kMaxInList) return nullptr;
  for (int i = 0; i < n; i++)
    if (!value_pushable(elemtype, elems[i], nulls[i], info->dialect)) return nullptr;
  List *mine = NIL;
  for (int i = 0; i < n; i++)
    mine = lappend(
        mine, makeConst(elemtype, -1, array->constcollid, typlen, elems[i], nulls[i], typbyval));
  PushCond *c = make_cond(RemoteCond::Kind::In);
  c->column = info->remote_names[att - 1];
  c->nparams = n;
  c->pass_text = sqlite_float(family, info->dialect);
  c->recheck = (family == Family::Text && info->dialect == Dialect::Mysql) ||
               sqlite_float(family, info->dialect);
  *params = list_concat(*params, mine);
  return c;
}

}  // namespace

char affinity_code(SqliteAffinity a) {
  switch (a) {
    case SqliteAffinity::Integer:
      return 'I';
    case SqliteAffinity::Text:
      return 'T';
    case SqliteAffinity::Blob:
      return 'B';
    case SqliteAffinity::Real:
      return 'R';
    case SqliteAffinity::Numeric:
      return 'N';
  }
  return 0;
}

char mysql_class_code(const char *t) {
  static const char *const ints[] = {"tinyint", "smallint", "mediumint", "int",
                                     "integer", "bigint",   "year"};
  static const char *const decimals[] = {"decimal", "numeric", "fixed"};
  static const char *const strings[] = {"char",       "varchar",  "tinytext", "text",
                                        "mediumtext", "longtext", "enum"};
  for (const char *s : ints)
    if (pg_strcasecmp(t, s) == 0) return 'i';
  for (const char *s : decimals)
    if (pg_strcasecmp(t, s) == 0) return 'n';
  for (const char *s : strings)
    if (pg_strcasecmp(t, s) == 0) return 's';
  return 'x';
}

PushCond *remote_pushable(Expr *clause, const PushRelInfo *info, List **params) {
  if (!clause) return nullptr;
  switch (nodeTag(clause)) {
    case T_OpExpr:
      return push_opexpr(reinterpret_cast<OpExpr *>(clause), info, params);
    case T_ScalarArrayOpExpr:
      return push_in_list(reinterpret_cast<ScalarArrayOpExpr *>(clause), info, params);
    case T_NullTest: {
      auto *nt = reinterpret_cast<NullTest *>(clause);
      if (nt->argisrow) return nullptr;
      AttrNumber att = column_of(nt->arg, info);
      if (!att) return nullptr;
      // MySQL: a zero date is NULL here but not there; only plain classes.
      if (info->dialect == Dialect::Mysql && !strchr("ins", info->remote_class[att - 1]))
        return nullptr;
      PushCond *c = make_cond(nt->nulltesttype == IS_NULL ? RemoteCond::Kind::IsNull
                                                          : RemoteCond::Kind::IsNotNull);
      c->column = info->remote_names[att - 1];
      return c;
    }
    case T_BoolExpr: {
      auto *b = reinterpret_cast<BoolExpr *>(clause);
      RemoteCond::Kind kind = b->boolop == AND_EXPR  ? RemoteCond::Kind::And
                              : b->boolop == OR_EXPR ? RemoteCond::Kind::Or
                                                     : RemoteCond::Kind::Not;
      List *mine = NIL;
      List *args = NIL;
      bool recheck = false;
      ListCell *lc;
      foreach (lc, b->args) {
        PushCond *arg = remote_pushable(static_cast<Expr *>(lfirst(lc)), info, &mine);
        if (!arg) return nullptr;  // all or nothing: *params untouched
        args = lappend(args, arg);
        recheck = recheck || arg->recheck;
      }
      if (kind == RemoteCond::Kind::Not ? list_length(args) != 1 : list_length(args) < 2)
        return nullptr;
      // NOT of a superset is a subset: rows would be lost.
      if (kind == RemoteCond::Kind::Not && recheck) return nullptr;
      PushCond *c = make_cond(kind);
      c->args = args;
      c->recheck = recheck;
      *params = list_concat(*params, mine);
      return c;
    }
    default:
      return nullptr;
  }
}

RemoteCond to_remote_cond(const PushCond *cond) {
  RemoteCond r;
  r.kind = cond->kind;
  if (cond->column) r.column = cond->column;
  if (cond->op) r.op = cond->op;
  r.params = cond->kind == RemoteCond::Kind::Compare ? 1 : cond->nparams;
  r.flag_param = cond->flag_param;
  r.pass_text = cond->pass_text;
  const ListCell *lc;
  foreach (lc, cond->args)
    r.args.push_back(to_remote_cond(static_cast<const PushCond *>(lfirst(lc))));
  return r;
}

List *push_param_flags(const PushCond *cond, List *flags) {
  switch (cond->kind) {
    case RemoteCond::Kind::Compare:
      return lappend_int(flags, cond->flag_param ? 1 : 0);
    case RemoteCond::Kind::In:
      for (int i = 0; i < cond->nparams; i++) flags = lappend_int(flags, 0);
      return flags;
    case RemoteCond::Kind::IsNull:
    case RemoteCond::Kind::IsNotNull:
      return flags;
    default: {
      const ListCell *lc;
      foreach (lc, cond->args)
        flags = push_param_flags(static_cast<const PushCond *>(lfirst(lc)), flags);
      return flags;
    }
  }
}

}  // namespace minibar::pg
