#include "pg/remote/datum_build.hpp"

namespace minibar::pg {

struct EnumCache {
  static constexpr int kMax = 64;  // labels remembered; the rest go through enum_in
  MemoryContext cxt;
  int n;
  struct {
    char *label;
    int len;
    Datum value;
  } entry[kMax];
};

namespace {

TargetKind target_kind(Oid typid, int32 typmod) {
  switch (typid) {
    case BOOLOID:
      return TargetKind::Bool;
    case INT2OID:
      return TargetKind::Int2;
    case INT4OID:
      return TargetKind::Int4;
    case INT8OID:
      return TargetKind::Int8;
    case FLOAT4OID:
      return TargetKind::Float4;
    case FLOAT8OID:
      return TargetKind::Float8;
    case NUMERICOID:
      return TargetKind::Numeric;
    case TEXTOID:
      return TargetKind::Text;
    case VARCHAROID:
      return typmod < 0 ? TargetKind::Text : TargetKind::Other;
    case BYTEAOID:
      return TargetKind::Bytea;
    case DATEOID:
      return TargetKind::Date;
    case TIMEOID:
      return typmod < 0 ? TargetKind::Time : TargetKind::Other;
    case TIMESTAMPOID:
      return typmod < 0 ? TargetKind::Timestamp : TargetKind::Other;
    case TIMESTAMPTZOID:
      return typmod < 0 ? TargetKind::TimestampTz : TargetKind::Other;
    case TEXTARRAYOID:
      return TargetKind::TextArray;
    default:
      return TargetKind::Other;  // includes domains: their input function checks constraints
  }
}

// Text from SQLite (UTF-8) in the database encoding, NUL-terminated, palloc'd.
char *server_text(std::string_view bytes) {
  int len = static_cast<int>(bytes.size());
  if (GetDatabaseEncoding() == PG_UTF8) return pnstrdup(bytes.data(), len);
  char *converted = pg_any_to_server(bytes.data(), len, PG_UTF8);
  return converted == bytes.data() ? pnstrdup(bytes.data(), len) : converted;
}

// numeric's typmod: precision and scale (PostgreSQL 15 allows a negative scale).
int typmod_precision(int32 typmod) {
  return ((typmod - VARHDRSZ) >> 16) & 0xffff;
}
int typmod_scale(int32 typmod) {
  return (((typmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024;
}

int decimal_digits(int64_t v) {
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  int n = 1;
  while (u >= 10) {
    u /= 10;
    n++;
  }
  return n;
}

// unscaled / 10^scale as numeric, with the display scale the text had (as
// numeric_in gives it); rounded and checked by numeric() only when the
// column's typmod asks for something else.
// n coerced to numeric(typmod), or 22003 when that would round it: a value
// is never changed silently (numeric() alone rounds 0.99994 to 0.9999 for
// numeric(4,4)). Overflow stays numeric()'s own 22003.
Datum numeric_fit(Datum n, int32 typmod) {
  Datum fitted = DirectFunctionCall2(numeric, n, Int32GetDatum(typmod));
  if (!DatumGetBool(DirectFunctionCall2(numeric_eq, n, fitted))) {
    char *have = DatumGetCString(DirectFunctionCall1(numeric_out, n));
    char *would = DatumGetCString(DirectFunctionCall1(numeric_out, fitted));
    ereport(ERROR,
            (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
             errmsg("value %s has more decimal places than numeric(%d,%d) holds; it would be "
                    "rounded to %s",
                    have, typmod_precision(typmod), typmod_scale(typmod), would),
             errhint("Give the column a larger scale (a \"columns\" rule), or load into "
                     "a column that holds the value.")));
  }
  return fitted;
}

Datum decimal_datum(int64_t unscaled, int scale, int32 typmod) {
  Datum n = NumericGetDatum(int64_div_fast_to_numeric(unscaled, scale));
  if (typmod >= VARHDRSZ &&
      (scale != typmod_scale(typmod) || decimal_digits(unscaled) > typmod_precision(typmod)))
    n = numeric_fit(n, typmod);
  return n;
}

Datum enum_datum(const ColumnTarget &t, std::string_view label) {
  EnumCache *c = t.enums;
  for (int i = 0; i < c->n; i++)
    if (c->entry[i].len == static_cast<int>(label.size()) &&
        memcmp(c->entry[i].label, label.data(), label.size()) == 0)
      return c->entry[i].value;
  Datum d =
      InputFunctionCall(const_cast<FmgrInfo *>(&t.infunc), server_text(label), t.ioparam, t.typmod);
  if (c->n < EnumCache::kMax) {
    auto &e = c->entry[c->n];
    e.label = static_cast<char *>(MemoryContextAlloc(c->cxt, label.size() + 1));
    memcpy(e.label, label.data(), label.size());
    e.label[label.size()] = '\0';
    e.len = static_cast<int>(label.size());
    e.value = d;
    c->n++;
  }
  return d;
}

}  // namespace

void column_target_init(ColumnTarget *target, Form_pg_attribute att) {
  target->attnum = att->attnum;
  target->attname = pstrdup(NameStr(att->attname));
  target->typid = att->atttypid;
  target->typmod = att->atttypmod;
  target->kind = target_kind(att->atttypid, att->atttypmod);
  Oid infunc;
  getTypeInputInfo(att->atttypid, &infunc, &target->ioparam);
  fmgr_info(infunc, &target->infunc);
  target->enums = nullptr;
  if (type_is_enum(att->atttypid) && GetDatabaseEncoding() == PG_UTF8) {
    target->enums = static_cast<EnumCache *>(palloc(sizeof(EnumCache)));
    target->enums->cxt = CurrentMemoryContext;
    target->enums->n = 0;
  }
}

Datum converted_to_datum(const Converted &v, const ColumnTarget &t, bool *isnull) {
  *isnull = false;
  switch (v.kind) {
    case Converted::Kind::Null:
      *isnull = true;
      return 0;
    case Converted::Kind::Bool:
      return BoolGetDatum(v.b);
    case Converted::Kind::Int:
      switch (t.kind) {
        case TargetKind::Int2:
          return Int16GetDatum(static_cast<int16>(v.i));
        case TargetKind::Int4:
          return Int32GetDatum(static_cast<int32>(v.i));
        case TargetKind::Numeric: {
          Datum n = NumericGetDatum(int64_to_numeric(v.i));
          if (t.typmod >= 0) n = DirectFunctionCall2(numeric, n, Int32GetDatum(t.typmod));
          return n;
        }
        default:
          return Int64GetDatum(v.i);
      }
    case Converted::Kind::Float:
      if (t.kind == TargetKind::Float4) return Float4GetDatum(static_cast<float4>(v.d));
      return Float8GetDatum(v.d);
    case Converted::Kind::Bytes:
      if (t.kind == TargetKind::Bytea) {
        auto *b = static_cast<bytea *>(palloc(v.bytes.size() + VARHDRSZ));
        SET_VARSIZE(b, v.bytes.size() + VARHDRSZ);
        memcpy(VARDATA(b), v.bytes.data(), v.bytes.size());
        return PointerGetDatum(b);
      } else if (GetDatabaseEncoding() == PG_UTF8) {
        // One copy, straight into the text value.
        return PointerGetDatum(
            cstring_to_text_with_len(v.bytes.data(), static_cast<int>(v.bytes.size())));
      } else {
        char *s = server_text(v.bytes);
        return PointerGetDatum(cstring_to_text(s));
      }
    case Converted::Kind::Date:
      if (!IS_VALID_DATE(v.i))
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("date out of range")));
      return DateADTGetDatum(static_cast<DateADT>(v.i));
    case Converted::Kind::Time:
      return TimeADTGetDatum(v.i);
    case Converted::Kind::Timestamp:
      if (!IS_VALID_TIMESTAMP(v.i))
        ereport(ERROR,
                (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
      return TimestampGetDatum(v.i);
    case Converted::Kind::Decimal:
      if (t.kind != TargetKind::Numeric) break;
      return decimal_datum(v.i, v.scale, t.typmod);
    case Converted::Kind::InputText:
      if (t.enums) return enum_datum(t, v.bytes);
      // varchar(n): text of at most n bytes has at most n characters.
      if (t.typid == VARCHAROID && t.typmod >= VARHDRSZ && GetDatabaseEncoding() == PG_UTF8 &&
          v.bytes.size() <= static_cast<size_t>(t.typmod - VARHDRSZ))
        return PointerGetDatum(
            cstring_to_text_with_len(v.bytes.data(), static_cast<int>(v.bytes.size())));
      if (t.typid == NUMERICOID && t.typmod >= VARHDRSZ)
        return numeric_fit(InputFunctionCall(const_cast<FmgrInfo *>(&t.infunc),
                                             server_text(v.bytes), t.ioparam, -1),
                           t.typmod);
      return InputFunctionCall(const_cast<FmgrInfo *>(&t.infunc), server_text(v.bytes), t.ioparam,
                               t.typmod);
    case Converted::Kind::Error:
      break;
  }
  ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("unexpected converted value kind")));
  pg_unreachable();
}

}  // namespace minibar::pg
