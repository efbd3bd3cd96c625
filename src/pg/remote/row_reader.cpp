#include "pg/remote/row_reader.hpp"

#include "pg/base/guard.hpp"

extern "C" {
#include "common/md5.h"
}

namespace minibar::pg {

std::string value_md5_hex(std::string_view bytes) {
  char hexsum[33] = {0};
  bool ok = false;
  pg_call([&] {
    const char *err = nullptr;
    ok = pg_md5_hash(bytes.data(), bytes.size(), hexsum, &err);
  });
  return ok ? std::string(hexsum, 32) : std::string();
}

RowReader::RowReader(const ColumnTarget *targets, int ntargets, const char *relname,
                     const char *remote_table)
    : targets_(targets),
      ntargets_(ntargets),
      remote_table_(remote_table),
      relname_(relname),
      converted_(static_cast<size_t>(ntargets)) {}

void RowReader::conversion_failed(int column, const Converted &c) const {
  const ColumnTarget &t = targets_[column];
  throw Error(c.sqlstate ? c.sqlstate : sqlstate::kInvalidText,
              "cannot convert the value of column \"" + std::string(t.attname) + "\" of " +
                  std::string(relkind_) + " \"" + relname_ +
                  "\": " + (c.reason ? c.reason : "invalid"),
              row_label() + ", value " + describe_value(column),
              "Fix the value in the source, or give the column a type that can hold it.");
}

void RowReader::fill(Datum *values, bool *nulls) {
  fill_row(values, nulls, nullptr);
}

bool RowReader::try_fill(Datum *values, bool *nulls, RowFault *fault) {
  return fill_row(values, nulls, fault);
}

void RowReader::build_column(int column) {
  bool isnull = false;
  pg_call([&] {
    (void)converted_to_datum(converted_[static_cast<size_t>(column)], targets_[column], &isnull);
  });
}

bool RowReader::fill_row(Datum *values, bool *nulls, RowFault *fault) {
  // Pure C++ first: convert and check every value before any PostgreSQL call.
  // With a fault to fill, every value that does not fit is described there.
  current_ = -1;
  bool failed = false;
  if (fault) fault->more.clear();
  for (int i = 0; i < ntargets_; i++) {
    Converted &v = converted_[static_cast<size_t>(i)];
    convert(i, &v);
    if (v.kind == Converted::Kind::Error) {
      if (!fault) conversion_failed(i, v);
      ColumnFault f{i, v.sqlstate ? v.sqlstate : sqlstate::kInvalidText,
                    v.reason ? v.reason : "invalid", describe_value(i)};
      if (failed)
        fault->more.push_back(std::move(f));
      else
        static_cast<ColumnFault &>(*fault) = std::move(f);
      failed = true;
    }
  }
  if (failed) return false;
  // PostgreSQL: build the Datums; a PostgreSQL error (e.g. invalid JSON for a
  // jsonb column) gets the column and row added to its context.
  try {
    pg_call([&] {
      for (int i = 0; i < ntargets_; i++) {
        current_ = i;
        AttrNumber att = targets_[i].attnum;
        values[att - 1] =
            converted_to_datum(converted_[static_cast<size_t>(i)], targets_[i], &nulls[att - 1]);
      }
    });
  } catch (const PgError &e) {
    if (fault) throw;
    int col = current_;
    std::string where = col < 0 ? row_label()
                                : "column \"" + std::string(targets_[col].attname) + "\" of " +
                                      std::string(relkind_) + " \"" + relname_ + "\", " +
                                      row_label() + ", value " + describe_value(col);
    ErrorData *edata = e.edata();
    pg_call([&] {
      edata->context = edata->context ? psprintf("%s\n%s", where.c_str(), edata->context)
                                      : pstrdup(where.c_str());
    });
    throw;
  }
  return true;
}

}  // namespace minibar::pg
