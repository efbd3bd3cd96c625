#include "core/plan/migrate_plan.hpp"

#include <regex>
#include <set>

#include "core/error.hpp"
#include "core/schema/expr_translate.hpp"
#include "core/convert/number_parse.hpp"
#include "core/mysql/types.hpp"
#include "core/schema/quote.hpp"
#include "core/sqlite/types.hpp"

namespace minibar {

namespace {

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool starts_with(const std::string &s, const std::string &p) {
  return s.rfind(p, 0) == 0;
}

bool is_integer_type(const std::string &t) {
  return t == "smallint" || t == "integer" || t == "bigint" || t == "int2" || t == "int4" ||
         t == "int8" || t == "int";
}

// [+-]digits[.digits][e[+-]digits]: the only source text a default may keep as it is.
bool is_number_literal(const std::string &s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) i++;
  bool digits = false, dot = false, exp = false, exp_digits = false;
  for (; i < s.size(); i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (exp) exp_digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      if (i + 1 < s.size() && (s[i + 1] == '-' || s[i + 1] == '+')) i++;
    } else {
      return false;
    }
  }
  return digits && (!exp || exp_digits) && s.size() <= 100;
}

std::string strip_parens(std::string s) {
  s = trim(s);
  while (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    // Only when the outer parentheses match each other.
    int depth = 0;
    bool outer = true;
    for (size_t i = 0; i < s.size(); i++) {
      if (s[i] == '(') depth++;
      if (s[i] == ')') depth--;
      if (depth == 0 && i + 1 < s.size()) {
        outer = false;
        break;
      }
    }
    if (!outer) break;
    s = trim(s.substr(1, s.size() - 2));
  }
  return s;
}

bool is_timestamp_type(const std::string &t) {
  return starts_with(t, "timestamp");
}

std::string key_of(const std::string &table, const std::string &column) {
  return table + "." + column;
}

// A referential action as PostgreSQL spells it, from one of the five the
// source may report (any case, any spacing); nullopt for anything else.
std::optional<std::string> fk_action(const std::string &action) {
  std::string words;
  for (size_t i = 0; i < action.size();) {
    while (i < action.size() && (action[i] == ' ' || action[i] == '\t')) i++;
    size_t start = i;
    while (i < action.size() && action[i] != ' ' && action[i] != '\t') i++;
    if (i > start) words += (words.empty() ? "" : " ") + action.substr(start, i - start);
  }
  std::string u = ascii_lower(words);
  static const char *const known[][2] = {{"no action", "NO ACTION"},
                                         {"restrict", "RESTRICT"},
                                         {"cascade", "CASCADE"},
                                         {"set null", "SET NULL"},
                                         {"set default", "SET DEFAULT"}};
  for (const auto &k : known)
    if (u == k[0]) return std::string(k[1]);
  return std::nullopt;
}

std::string join_quoted(const std::vector<std::string> &names) {
  std::string out;
  for (size_t i = 0; i < names.size(); i++) {
    if (i) out += ", ";
    out += pg_quote_ident(names[i]);
  }
  return out;
}

}  // namespace

std::string TablePlan::qualified() const {
  return pg_quote_ident(schema) + "." + pg_quote_ident(name);
}

std::string fold_identifier(const std::string &name, bool keep_case) {
  return keep_case ? name : ascii_lower(name);
}

std::string truncate_identifier(const std::string &name) {
  if (name.size() <= 63) return name;
  size_t n = 63;
  while (n > 0 && (static_cast<unsigned char>(name[n]) & 0xC0) == 0x80) n--;
  return name.substr(0, n);
}

std::optional<std::string> translate_default(const std::string &value, Dialect dialect,
                                             const std::string &pg_type) {
  std::string v = dialect == Dialect::Sqlite ? strip_parens(value) : trim(value);
  std::string l = ascii_lower(v);
  bool is_bool = pg_type == "boolean";
  bool is_num = is_integer_type(pg_type) || pg_type == "real" || pg_type == "double precision" ||
                starts_with(pg_type, "numeric");
  bool is_text = pg_type == "text" || starts_with(pg_type, "character varying") ||
                 starts_with(pg_type, "varchar") || starts_with(pg_type, "character(") ||
                 starts_with(pg_type, "char");
  // MySQL (not MariaDB) reports DEFAULT '' as an empty, non-NULL COLUMN_DEFAULT.
  if (v.empty() && dialect == Dialect::Mysql && is_text) return pg_quote_literal("");
  if (v.empty() || l == "null") return std::nullopt;
  // SQLite: a double-quoted token in DEFAULT is a string literal (no column
  // can be named there): "" is the empty string.
  if (dialect == Dialect::Sqlite && v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string inner;
    for (size_t i = 1; i + 1 < v.size(); i++) {
      if (v[i] == '"') {
        if (i + 2 < v.size() && v[i + 1] == '"') {
          inner += '"';
          i++;
          continue;
        }
        return std::nullopt;
      }
      if (v[i] == '\0') return std::nullopt;
      inner += v[i];
    }
    std::string quoted = "'";
    for (char c : inner) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return translate_default(quoted + "'", dialect, pg_type);
  }
  // MySQL BIT(n) (bit varying(n) here): b'101' is the number 5, copied as n
  // digits, so the default is the same n digits.
  if (dialect == Dialect::Mysql && starts_with(pg_type, "bit varying(") && l.size() >= 3 &&
      starts_with(l, "b'") && l.back() == '\'') {
    std::optional<int64_t> n =
        parse_int64(pg_type.substr(12, pg_type.size() > 13 ? pg_type.size() - 13 : 0));
    std::string digits = l.substr(2, l.size() - 3);
    if (!n || *n < 1 || *n > 64 || digits.empty() ||
        digits.find_first_not_of("01") != std::string::npos)
      return std::nullopt;
    size_t first = digits.find('1');
    digits = first == std::string::npos ? "" : digits.substr(first);
    if (static_cast<int64_t>(digits.size()) > *n) return std::nullopt;
    return pg_quote_literal(std::string(static_cast<size_t>(*n) - digits.size(), '0') + digits);
  }
  if (is_number_literal(v)) {
    if (is_bool) {
      if (v == "0") return std::string("false");
      if (v == "1") return std::string("true");
      return std::nullopt;
    }
    if (is_num) return v;
    return std::nullopt;
  }
  if (is_bool) {
    if (l == "true" || l == "b'1'") return std::string("true");
    if (l == "false" || l == "b'0'") return std::string("false");
    return std::nullopt;
  }
  bool now = l == "current_timestamp" || starts_with(l, "current_timestamp(") || l == "now()" ||
             starts_with(l, "now(") || l == "localtimestamp" || starts_with(l, "localtimestamp(") ||
             (dialect == Dialect::Sqlite &&
              (l == "datetime('now')" || l == "datetime(\"now\")" || l == "datetime('now','utc')" ||
               l == "datetime('now', 'utc')"));
  if (now) {
    if (is_timestamp_type(pg_type)) return std::string("now()");
    return std::nullopt;
  }
  // SQLite strftime(format, 'now') with a format that is exactly
  // datetime('now') / date('now') / epoch seconds.
  // (case matters inside the format: %S is seconds, %s epoch seconds)
  std::string compact;
  for (char c : v)
    if (c != ' ' || (!compact.empty() && compact.back() != ',' && compact.back() != '('))
      compact += c;
  for (size_t p; (p = compact.find(" ,")) != std::string::npos;) compact.erase(p, 1);
  for (size_t p; (p = compact.find(" )")) != std::string::npos;) compact.erase(p, 1);
  if (compact.size() > 9) compact = ascii_lower(compact.substr(0, 9)) + compact.substr(9);
  bool sqlite_strftime = dialect == Dialect::Sqlite && starts_with(compact, "strftime(");
  if (sqlite_strftime) {
    if (compact == "strftime('%Y-%m-%d %H:%M:%S','now')" ||
        compact == "strftime('%Y-%m-%d %H:%M:%f','now')") {
      // %f is seconds with milliseconds: now() to the millisecond
      if (!is_timestamp_type(pg_type)) return std::nullopt;
      return std::string(compact.find("%f") != std::string::npos
                             ? "date_trunc('milliseconds', now())"
                             : "date_trunc('seconds', now())");
    }
    if (compact == "strftime('%Y-%m-%d','now')") l = "date('now')";
    if (compact == "strftime('%s','now')") {
      // epoch seconds: an integer, not a timestamp
      if (!is_integer_type(pg_type)) return std::nullopt;
      return std::string("floor(date_part('epoch', now()))::bigint");
    }
  }
  bool today =
      l == "current_date" || l == "curdate()" || (dialect == Dialect::Sqlite && l == "date('now')");
  if (today) {
    if (pg_type == "date") return std::string("CURRENT_DATE");
    // SQLite: the UTC date as text, read into a timestamptz as midnight UTC.
    if (dialect == Dialect::Sqlite && pg_type == "timestamp with time zone")
      return std::string("date_trunc('day', now(), 'UTC')");
    return std::nullopt;
  }
  std::optional<std::string> s = unquote_sql_string(v, dialect == Dialect::Mysql);
  if (!s) return std::nullopt;
  if (is_num) {
    // '0' on a number column: the number, validated (integers: digits only).
    if (!is_number_literal(*s)) return std::nullopt;
    if (is_integer_type(pg_type) && !parse_int64(*s)) return std::nullopt;
    return *s;
  }
  // Zero dates have no PostgreSQL value.
  if (starts_with(*s, "0000-00-00")) return std::nullopt;
  if (pg_type == "bytea") return std::nullopt;
  if (pg_type == "text[]") {  // a MySQL SET default: 'a,b'
    std::string arr = "ARRAY[";
    size_t start = 0;
    bool any = false;
    while (!s->empty() && start <= s->size()) {
      size_t comma = s->find(',', start);
      if (comma == std::string::npos) comma = s->size();
      arr += (any ? ", " : "") + pg_quote_literal(s->substr(start, comma - start));
      any = true;
      start = comma + 1;
    }
    return arr + "]::text[]";
  }
  return pg_quote_literal(*s);
}

std::optional<OptionProblem> check_named_options(const MigrateRules &rules,
                                                 const std::vector<std::string> &exclude,
                                                 const SourceSchema &schema) {
  std::set<std::string> excluded;
  for (const std::string &name : exclude) {
    if (!schema.table(name) && !schema.noted_view(name))
      return OptionProblem{
          "exclude", "the source has no table \"" + name + "\" (among the tables this call reads)"};
    excluded.insert(name);
  }
  for (const auto &[key, type] : rules.columns) {
    // "table.column": table names may hold dots, so try every split.
    const SourceTable *table_found = nullptr;
    bool column_found = false;
    for (size_t dot = key.find('.'); dot != std::string::npos && !column_found;
         dot = key.find('.', dot + 1)) {
      const SourceTable *t = schema.table(key.substr(0, dot));
      if (!t) continue;
      table_found = t;
      column_found = t->column(key.substr(dot + 1)) != nullptr;
    }
    if (!table_found)
      return OptionProblem{"columns", "rule \"" + key +
                                          "\" names a table the source does not have (among "
                                          "the tables this call reads)"};
    if (!column_found)
      return OptionProblem{"columns", "rule \"" + key + "\": table \"" + table_found->name +
                                          "\" has no such column"};
    if (excluded.count(table_found->name))
      return OptionProblem{"columns", "rule \"" + key + "\" names table \"" + table_found->name +
                                          "\", which \"exclude\" leaves out"};
  }
  for (const auto &[key, type] : rules.types) {
    bool used = false;
    for (const SourceTable &t : schema.tables) {
      if (excluded.count(t.name)) continue;
      for (const SourceColumn &col : t.columns) {
        std::string declared = ascii_lower(trim(col.declared));
        std::string base = trim(declared.substr(0, declared.find('(')));
        if (key == declared || key == base ||
            (schema.dialect == Dialect::Mysql && key == col.mysql.data_type))
          used = true;
      }
    }
    if (!used)
      return OptionProblem{"types", "rule \"" + key +
                                        "\" matches the declared type of no column of the "
                                        "tables this call migrates"};
  }
  return std::nullopt;
}

const std::string *rule_type_for(const MigrateRules &rules, Dialect dialect,
                                 const std::string &table, const SourceColumn &col) {
  auto by_column = rules.columns.find(key_of(table, col.name));
  if (by_column != rules.columns.end()) return &by_column->second;
  std::string declared = ascii_lower(trim(col.declared));
  std::string base = declared.substr(0, declared.find('('));
  base = trim(base);
  auto by_type = rules.types.find(declared);
  if (by_type == rules.types.end() && dialect == Dialect::Mysql)
    by_type = rules.types.find(col.mysql.data_type);
  if (by_type == rules.types.end()) by_type = rules.types.find(base);
  return by_type == rules.types.end() ? nullptr : &by_type->second;
}

TablePlan plan_table(const SourceTable &table, Dialect dialect, const MigrateRules &rules,
                     const std::string &target_schema, const std::string &target_name) {
  TablePlan plan;
  plan.source_name = table.name;
  plan.schema = target_schema;
  plan.name = truncate_identifier(target_name.empty() ? fold_identifier(table.name, rules.keep_case)
                                                      : target_name);
  plan.comment = table.comment;
  std::map<std::string, std::string> target_of;  // source column -> target column
  std::map<std::string, std::string> seen;       // target column -> source column
  for (const SourceColumn &col : table.columns) {
    PlannedColumn pc;
    pc.source_name = col.name;
    pc.name = truncate_identifier(fold_identifier(col.name, rules.keep_case));
    auto dup = seen.find(pc.name);
    if (dup != seen.end())
      throw Error(sqlstate::kDuplicateColumn,
                  "columns \"" + dup->second + "\" and \"" + col.name + "\" of table \"" +
                      table.name + "\" both become column \"" + pc.name + "\" in PostgreSQL",
                  "", "Keep the case of identifiers with the option {\"keep_case\": true}.");
    seen[pc.name] = col.name;
    target_of[col.name] = pc.name;
    pc.comment = col.comment;

    if (const std::string *rule = rule_type_for(rules, dialect, table.name, col)) {
      pc.type = *rule;
      pc.from_rule = true;
    } else if (dialect == Dialect::Mysql) {
      if (col.mysql.data_type == "enum" && !col.enum_labels.empty()) {
        pc.enum_labels = col.enum_labels;
        pc.type = truncate_identifier(plan.name + "_" + pc.name);
      } else if (col.mysql.data_type == "time") {
        pc.type = "time without time zone";
        pc.mysql_time = true;
      } else {
        PgTypeChoice choice = mysql_to_pg_type(col.mysql);
        pc.type = choice.type;
        if (!choice.notice.empty()) plan.notes.push_back({"type", col.name, choice.notice});
      }
    } else {
      pc.type = sqlite_type_to_pg(col.declared);
      if (col.values) {
        SqliteTypeChoice choice = sqlite_type_for_values(col.declared, *col.values);
        pc.type = choice.type;
        if (!choice.note.empty()) plan.notes.push_back({"type", col.name, choice.note});
      }
    }

    if (col.auto_increment) {
      if (pc.type == "numeric(20,0)") {
        pc.type = "bigint";
        plan.notes.push_back({"type", col.name,
                              "AUTO_INCREMENT BIGINT UNSIGNED became a bigint identity; values "
                              "above 9223372036854775807 are rejected"});
      }
      if (is_integer_type(pc.type))
        pc.identity = true;
      else
        plan.notes.push_back({"identity", col.name,
                              "auto-increment column mapped to " + pc.type +
                                  ", which cannot be an identity column; no sequence"});
    }
    // A primary-key column is NOT NULL in PostgreSQL. SQLite lets a
    // PRIMARY KEY column of an ordinary table hold NULL (a legacy quirk), so
    // such a row is rejected with a reason instead of failing the key build.
    bool in_primary_key = false;
    if (const SourceIndex *pk = table.primary_key())
      for (const IndexColumn &ic : pk->columns)
        if (ic.column == col.name) in_primary_key = true;
    pc.not_null = !col.nullable || pc.identity || in_primary_key;
    if (col.default_value && !pc.identity) {
      std::string d = trim(*col.default_value);
      std::string pg_type = pc.enum_labels.empty() ? pc.type : "enum";
      std::optional<std::string> expr = translate_default(d, dialect, pg_type);
      if (expr)
        pc.default_expr = expr;
      else if (!d.empty() && ascii_lower(strip_parens(d)) != "null")
        plan.notes.push_back({"default", col.name,
                              "default " + d + " has no PostgreSQL translation for type " +
                                  pc.type + "; the column has no default"});
    }
    if (col.on_update_now)
      plan.notes.push_back({"on_update", col.name,
                            "ON UPDATE CURRENT_TIMESTAMP is not kept; use a BEFORE UPDATE "
                            "trigger that sets the column to now()"});
    if (col.generated)
      plan.notes.push_back(
          {"generated", col.name, "generated column copied as a plain column with its values"});
    plan.columns.push_back(std::move(pc));
  }

  std::set<std::string> column_names;
  for (const PlannedColumn &c : plan.columns) column_names.insert(c.name);
  // A column named in a CHECK: by its exact name, else by its only ASCII
  // case-insensitive match (both sources compare column names that way).
  ExprColumnResolver resolve = [&](const std::string &name) -> std::optional<ExprColumn> {
    const SourceColumn *found = nullptr;
    const PlannedColumn *planned = nullptr;
    int matches = 0;
    for (size_t i = 0; i < table.columns.size(); i++)
      if (table.columns[i].name == name) {
        found = &table.columns[i];
        planned = &plan.columns[i];
        matches = 1;
        break;
      } else if (ascii_lower(table.columns[i].name) == ascii_lower(name)) {
        found = &table.columns[i];
        planned = &plan.columns[i];
        matches++;
      }
    if (!found || matches != 1) return std::nullopt;
    ExprColumn c;
    c.target = planned->name;
    c.type = expr_type_of_pg_type(planned->type, !planned->enum_labels.empty());
    if (dialect == Dialect::Mysql) c.collation = ascii_lower(found->collation);
    return c;
  };
  for (const SourceCheck &chk : table.checks) {
    std::string object = note_excerpt(chk.name.empty() ? chk.expr : chk.name, 63);
    std::string shown = "CHECK (" + note_excerpt(chk.expr) + ")";
    // SQLAlchemy's CHECK (flag IN (0, 1)) on a boolean column says what the
    // PostgreSQL type already guarantees.
    static const std::regex boolean_check(
        R"(^\s*[`"\[]?(\w+)[`"\]]?\s+in\s*\(\s*0\s*,\s*1\s*\)\s*$)", std::regex::icase);
    std::smatch m;
    if (chk.expr.size() <= 200 && std::regex_match(chk.expr, m, boolean_check)) {
      auto it = target_of.find(m[1].str());
      const PlannedColumn *bc = nullptr;
      for (const PlannedColumn &c : plan.columns)
        if (it != target_of.end() && c.name == it->second) bc = &c;
      if (bc && bc->type == "boolean") {
        plan.notes.push_back({"check", object,
                              shown + " dropped: the column is boolean, which "
                                      "holds only true and false"});
        continue;
      }
    }
    ExprTranslation tr = translate_check(chk.expr, dialect, resolve);
    if (tr.outcome == ExprOutcome::Redundant) {
      plan.notes.push_back({"check", object, shown + " dropped: " + tr.reason});
      continue;
    }
    if (tr.outcome != ExprOutcome::Translated) {
      plan.notes.push_back({"check", object,
                            "check not translated: " + note_excerpt(tr.reason) +
                                "; no constraint was created for " + shown});
      continue;
    }
    for (const std::string &c : tr.caveats)
      plan.notes.push_back({"check_collation", object, shown + ": " + c});
    PlannedCheck pc;
    pc.source_expr = note_excerpt(chk.expr);
    pc.expr = std::move(tr.expr);  // only ever the translator's output
    if (!chk.name.empty()) {
      std::string n = fold_identifier(chk.name, rules.keep_case);
      if (column_names.count(n)) n = plan.name + "_" + n + "_check";
      pc.name = truncate_identifier(n);
    }
    plan.checks.push_back(std::move(pc));
  }

  auto target_cols = [&](const SourceIndex &idx) {
    std::vector<std::string> out;
    for (const IndexColumn &ic : idx.columns) {
      auto it = target_of.find(ic.column);
      out.push_back(it != target_of.end() ? it->second
                                          : fold_identifier(ic.column, rules.keep_case));
    }
    return out;
  };
  // Names of the table's indexes and key constraints share the schema's
  // namespace with the table: each is cut to 63 bytes keeping its suffix, and
  // made unique within the table with a number, the way PostgreSQL names them.
  std::set<std::string> used{plan.name};
  auto unique_name = [&](const std::string &base, const std::string &suffix) {
    for (int i = 0;; i++) {
      std::string tail = (i ? std::to_string(i) : "") + suffix;
      std::string n =
          truncate_identifier(base.substr(0, 63 > tail.size() ? 63 - tail.size() : 0)) + tail;
      if (used.insert(n).second) return n;
    }
  };
  auto index_name = [&](const SourceIndex &idx, const std::vector<std::string> &cols,
                        const char *suffix) {
    std::string n = fold_identifier(idx.name, rules.keep_case);
    if (dialect == Dialect::Sqlite && starts_with(idx.name, "sqlite_autoindex_")) {
      n = plan.name;
      for (const std::string &c : cols) n += "_" + c;
      return unique_name(n, suffix);
    }
    if (dialect == Dialect::Mysql && !starts_with(n, plan.name + "_"))
      n = plan.name + "_" + n;  // MySQL index names are per table, PostgreSQL's per schema
    return unique_name(n, "");
  };
  for (const SourceIndex &idx : table.indexes) {
    std::vector<std::string> cols = target_cols(idx);
    bool any_prefix = false, any_desc = false;
    std::vector<bool> desc;
    for (size_t i = 0; i < cols.size(); i++) {
      desc.push_back(idx.columns[i].descending);
      any_desc = any_desc || idx.columns[i].descending;
      if (idx.columns[i].prefix > 0) any_prefix = true;
    }
    std::string method = ascii_lower(idx.method);
    if (idx.primary) {
      plan.key_columns = cols;
      plan.post_load.push_back(
          {"primary_key", unique_name(plan.name, "_pkey"), cols, std::vector<bool>(cols.size())});
      if (any_prefix)
        plan.notes.push_back({"prefix_index", idx.name,
                              "primary key over a column prefix became a full-column key"});
      continue;
    }
    if (idx.expression || idx.partial) {
      plan.notes.push_back({"index", idx.name,
                            std::string(idx.expression ? "expression" : "partial") +
                                " index not translated: " + idx.definition});
      continue;
    }
    if (method == "fulltext") {
      std::string doc;
      for (size_t i = 0; i < cols.size(); i++)
        doc +=
            (i ? " || ' ' || " : "") + std::string("coalesce(") + pg_quote_ident(cols[i]) + ", '')";
      plan.notes.push_back(
          {"fulltext", idx.name,
           "FULLTEXT index not created; suggested: CREATE INDEX " +
               pg_quote_ident(
                   truncate_identifier(plan.name + "_" + ascii_lower(idx.name) + "_fts")) +
               " ON " + plan.qualified() + " USING gin (to_tsvector('simple', " + doc + "))"});
      continue;
    }
    if (method == "spatial") {
      plan.notes.push_back({"spatial", idx.name,
                            "SPATIAL index not created (geometry is stored as WKB bytea); with "
                            "PostGIS, convert the column and create a GiST index"});
      continue;
    }
    std::string name = index_name(idx, cols, idx.unique ? "_key" : "_idx");
    plan.post_load.push_back(
        {idx.unique ? (any_desc ? "unique_index" : "unique") : "index", name, cols, desc});
    if (any_prefix) {
      std::string what;
      for (const IndexColumn &ic : idx.columns)
        if (ic.prefix > 0)
          what += (what.empty() ? "" : ", ") + ic.column + "(" + std::to_string(ic.prefix) + ")";
      plan.notes.push_back({"prefix_index", idx.name,
                            "prefix index on " + what + " became a full-column index " + name});
    }
  }
  return plan;
}

void plan_foreign_keys(TablePlan &plan, const SourceTable &table,
                       const std::map<std::string, const TablePlan *> &tables) {
  std::map<std::string, std::string> target_of;
  for (const PlannedColumn &c : plan.columns) target_of[c.source_name] = c.name;
  for (const SourceForeignKey &fk : table.foreign_keys) {
    auto ref = tables.find(fk.ref_table);
    if (ref == tables.end()) {
      plan.notes.push_back({"foreign_key", fk.name.empty() ? fk.ref_table : fk.name,
                            "references table " + fk.ref_table +
                                ", which is not part of this migration; not created"});
      continue;
    }
    const TablePlan &rp = *ref->second;
    PlannedForeignKey p;
    p.name = fk.name.empty() ? "" : truncate_identifier(fold_identifier(fk.name, false));
    p.ref_source_table = fk.ref_table;
    std::optional<std::string> on_delete = fk_action(fk.on_delete),
                               on_update = fk_action(fk.on_update);
    if (!on_delete || !on_update) {
      plan.notes.push_back(
          {"foreign_key", note_excerpt(fk.name.empty() ? fk.ref_table : fk.name, 63),
           "foreign key to " + note_excerpt(fk.ref_table, 63) + " has the action " +
               note_excerpt(on_delete ? fk.on_update : fk.on_delete, 40) +
               ", which is not one PostgreSQL knows; not created"});
      continue;
    }
    p.on_delete = *on_delete;
    p.on_update = *on_update;
    // Appends the target names of columns to out; false when one has none.
    auto target_names = [](const std::vector<std::string> &columns,
                           const std::map<std::string, std::string> &names,
                           std::vector<std::string> *out) {
      bool all = true;
      for (const std::string &c : columns) {
        auto it = names.find(c);
        if (it == names.end())
          all = false;
        else
          out->push_back(it->second);
      }
      return all;
    };
    bool ok = target_names(fk.columns, target_of, &p.columns);
    if (fk.ref_columns.empty()) {
      p.ref_columns = rp.key_columns;
    } else {
      std::map<std::string, std::string> ref_target;
      for (const PlannedColumn &c : rp.columns) ref_target[c.source_name] = c.name;
      if (!target_names(fk.ref_columns, ref_target, &p.ref_columns)) ok = false;
    }
    if (!ok || p.columns.size() != p.ref_columns.size() || p.columns.empty()) {
      plan.notes.push_back(
          {"foreign_key", fk.name.empty() ? fk.ref_table : fk.name,
           "foreign key to " + fk.ref_table + " names columns that do not exist; not created"});
      continue;
    }
    plan.foreign_keys.push_back(std::move(p));
  }
}

std::string create_enum_sql(const std::string &schema, const std::string &name,
                            const std::vector<std::string> &labels) {
  std::string sql =
      "CREATE TYPE " + pg_quote_ident(schema) + "." + pg_quote_ident(name) + " AS ENUM (";
  for (size_t i = 0; i < labels.size(); i++) sql += (i ? ", " : "") + pg_quote_literal(labels[i]);
  return sql + ")";
}

std::string create_table_sql(const TablePlan &plan) {
  std::string sql = "CREATE TABLE " + plan.qualified() + " (";
  for (size_t i = 0; i < plan.columns.size(); i++) {
    const PlannedColumn &c = plan.columns[i];
    sql += i ? ",\n  " : "\n  ";
    sql += pg_quote_ident(c.name) + " ";
    sql +=
        c.enum_labels.empty() ? c.type : pg_quote_ident(plan.schema) + "." + pg_quote_ident(c.type);
    if (c.identity) sql += " GENERATED BY DEFAULT AS IDENTITY";
    if (c.not_null) sql += " NOT NULL";
    if (c.default_expr) sql += " DEFAULT " + *c.default_expr;
  }
  return sql + "\n)";
}

std::string add_check_sql(const TablePlan &plan, const PlannedCheck &check) {
  return "ALTER TABLE " + plan.qualified() + " ADD " +
         (check.name.empty() ? "" : "CONSTRAINT " + pg_quote_ident(check.name) + " ") + "CHECK (" +
         check.expr + ")";
}

std::vector<std::string> comment_sql(const TablePlan &plan) {
  std::vector<std::string> out;
  if (!plan.comment.empty())
    out.push_back("COMMENT ON TABLE " + plan.qualified() + " IS " + pg_quote_literal(plan.comment));
  for (const PlannedColumn &c : plan.columns)
    if (!c.comment.empty())
      out.push_back("COMMENT ON COLUMN " + plan.qualified() + "." + pg_quote_ident(c.name) +
                    " IS " + pg_quote_literal(c.comment));
  return out;
}

std::string index_sql(const std::string &qualified, const PlannedIndex &idx) {
  if (idx.columns.empty() || idx.descending.size() != idx.columns.size() || idx.name.empty())
    throw Error(sqlstate::kInvalidParameterValue,
                "invalid index entry \"" + idx.name + "\" in a run's plan");
  std::string list;
  for (size_t i = 0; i < idx.columns.size(); i++) {
    if (i) list += ", ";
    list += pg_quote_ident(idx.columns[i]);
    if (idx.descending[i]) list += " DESC";
  }
  const std::string name = pg_quote_ident(idx.name);
  if (idx.kind == "primary_key")
    return "ALTER TABLE " + qualified + " ADD CONSTRAINT " + name + " PRIMARY KEY (" +
           join_quoted(idx.columns) + ")";
  if (idx.kind == "unique")
    return "ALTER TABLE " + qualified + " ADD CONSTRAINT " + name + " UNIQUE (" + list + ")";
  if (idx.kind == "index" || idx.kind == "unique_index")
    return std::string(idx.kind == "index" ? "CREATE INDEX " : "CREATE UNIQUE INDEX ") + name +
           " ON " + qualified + " (" + list + ")";
  throw Error(sqlstate::kInvalidParameterValue,
              "invalid index kind \"" + idx.kind + "\" in a run's plan");
}

std::string add_foreign_key_sql(const std::string &qualified, const PlannedForeignKey &fk,
                                const std::string &ref_qualified, bool not_valid) {
  std::string sql = "ALTER TABLE " + qualified + " ADD ";
  if (!fk.name.empty()) sql += "CONSTRAINT " + pg_quote_ident(fk.name) + " ";
  std::optional<std::string> on_delete = fk_action(fk.on_delete),
                             on_update = fk_action(fk.on_update);
  if (!on_delete || !on_update)  // plan_foreign_keys lets only the five through
    throw Error(sqlstate::kInternal, "foreign key with an unknown referential action");
  sql += "FOREIGN KEY (" + join_quoted(fk.columns) + ") REFERENCES " + ref_qualified + " (" +
         join_quoted(fk.ref_columns) + ") ON DELETE " + *on_delete + " ON UPDATE " + *on_update;
  if (not_valid) sql += " NOT VALID";
  return sql;
}

std::string orphan_count_sql(const std::string &qualified, const PlannedForeignKey &fk,
                             const std::string &ref_qualified) {
  std::string key, notnull, match;
  for (size_t i = 0; i < fk.columns.size(); i++) {
    std::string c = "c." + pg_quote_ident(fk.columns[i]);
    key += (i ? ", " : "") + c + "::text";
    notnull += (i ? " AND " : "") + c + " IS NOT NULL";
    match += (i ? " AND " : "") + std::string("p.") + pg_quote_ident(fk.ref_columns[i]) + " = " + c;
  }
  return "SELECT count(*), min(concat_ws(', ', " + key + ")) FROM " + qualified + " c WHERE " +
         notnull + " AND NOT EXISTS (SELECT 1 FROM " + ref_qualified + " p WHERE " + match + ")";
}

}  // namespace minibar
