#include "core/convert/number_parse.hpp"
#include "core/mysql/schema.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

std::optional<long long> to_ll(const std::optional<std::string> &v) {
  if (!v || v->empty()) return std::nullopt;
  std::optional<int64_t> n = parse_int64(*v);
  if (!n) return std::nullopt;
  return static_cast<long long>(*n);
}

const std::string &str(const MysqlRow &r, size_t i) {
  static const std::string empty;
  return i < r.size() && r[i] ? *r[i] : empty;
}

// `name` -> name (backticks doubled inside).
std::string unquote_backticks(const std::string &s) {
  if (s.size() < 2 || s.front() != '`' || s.back() != '`') return s;
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); i++) {
    out += s[i];
    if (s[i] == '`' && i + 2 < s.size() && s[i + 1] == '`') i++;
  }
  return out;
}

// MariaDB's JSON: a LONGTEXT with CHECK (json_valid(`col`)) named after the column.
std::optional<std::string> json_valid_column(const std::string &clause) {
  const std::string head = "json_valid(";
  if (clause.rfind(head, 0) != 0 || clause.back() != ')') return std::nullopt;
  std::string inner = clause.substr(head.size(), clause.size() - head.size() - 1);
  if (inner.size() < 3 || inner.front() != '`' || inner.back() != '`') return std::nullopt;
  // Exactly one identifier: every backtick inside it doubled.
  for (size_t i = 1; i + 1 < inner.size(); i++)
    if (inner[i] == '`') {
      if (i + 2 >= inner.size() || inner[i + 1] != '`') return std::nullopt;
      i++;
    }
  return unquote_backticks(inner);
}

std::string rule(const std::string &r) {
  std::string u = r;
  for (char &c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (u == "CASCADE" || u == "SET NULL" || u == "SET DEFAULT" || u == "RESTRICT") return u;
  return "NO ACTION";
}

}  // namespace

std::vector<std::string> parse_mysql_enum_labels(const std::string &column_type) {
  std::vector<std::string> labels;
  std::string l = ascii_lower(column_type.substr(0, 5));
  size_t open = column_type.find('(');
  if ((l.rfind("enum(", 0) != 0 && ascii_lower(column_type.substr(0, 4)) != "set(") ||
      open == std::string::npos)
    return labels;
  size_t i = open + 1;
  while (i < column_type.size() && column_type[i] == '\'') {
    std::string label;
    i++;
    bool closed = false;
    while (i < column_type.size()) {
      char c = column_type[i];
      if (c == '\'') {
        if (i + 1 < column_type.size() && column_type[i + 1] == '\'') {
          label += '\'';
          i += 2;
          continue;
        }
        closed = true;
        i++;
        break;
      }
      if (c == '\\' && i + 1 < column_type.size()) {
        label += column_type[i + 1];
        i += 2;
        continue;
      }
      label += c;
      i++;
    }
    if (!closed) return {};
    labels.push_back(std::move(label));
    if (i < column_type.size() && column_type[i] == ',') i++;
  }
  if (i >= column_type.size() || column_type[i] != ')') return {};
  return labels;
}

SourceSchema read_mysql_schema(MysqlConnection &c, const std::string &db,
                               const std::vector<std::string> &only, bool views) {
  SourceSchema schema;
  schema.dialect = Dialect::Mysql;
  const std::string qdb = c.quote_literal(db);
  if (c.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + qdb).empty())
    throw Error(sqlstate::kFdwSchemaNotFound, c.options().label + ": MySQL database " +
                                                  mysql_quote_ident(db) +
                                                  " does not exist or is not visible");
  std::set<std::string> wanted(only.begin(), only.end());
  auto want = [&](const std::string &t) { return wanted.empty() || wanted.count(t) > 0; };

  std::map<std::string, size_t> index_of;
  std::map<std::string, std::string> view_comment;  // MariaDB: why an invalid view cannot be read
  for (const MysqlRow &r : c.query("SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS, TABLE_COMMENT FROM "
                                   "information_schema.TABLES WHERE TABLE_SCHEMA = " +
                                   qdb + " ORDER BY TABLE_NAME")) {
    const std::string &name = str(r, 0);
    if (name.empty()) continue;
    const bool view = str(r, 1) == "VIEW";
    if (view && !(wanted.empty() ? views : wanted.count(name) > 0)) {
      if (wanted.empty())
        schema.others.push_back({"view", name, "views are not migrated; recreate it by hand"});
      continue;
    }
    if (!want(name)) continue;
    SourceTable t;
    t.name = name;
    t.view = view;
    if (view) {
      view_comment[name] = str(r, 3);
    } else {
      t.comment = str(r, 3);
      t.estimated_rows = to_ll(r.size() > 2 ? r[2] : std::nullopt).value_or(-1);
    }
    index_of[name] = schema.tables.size();
    schema.tables.push_back(std::move(t));
  }
  for (const std::string &t : wanted)
    if (!index_of.count(t))
      throw Error(sqlstate::kFdwTableNotFound, c.options().label + ": MySQL table " +
                                                   mysql_quote_ident(db) + "." +
                                                   mysql_quote_ident(t) + " does not exist");

  // CHECK constraints; MariaDB's JSON columns are LONGTEXT with a json_valid() check.
  std::set<std::pair<std::string, std::string>> json_columns;
  try {
    for (const MysqlRow &r :
         c.query("SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM "
                 "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
                 qdb + " ORDER BY TABLE_NAME, CONSTRAINT_NAME")) {
      auto it = index_of.find(str(r, 0));
      if (it == index_of.end()) continue;
      if (std::optional<std::string> col = json_valid_column(str(r, 2))) {
        json_columns.insert({str(r, 0), *col});
        continue;
      }
      schema.tables[it->second].checks.push_back({str(r, 1), str(r, 2)});
    }
  } catch (const Error &) {
    // MySQL (not MariaDB) lists no TABLE_NAME there; it has a real JSON type.
  }

  for (const MysqlRow &r : c.query(
           "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, "
           "NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
           "COLUMN_COMMENT, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
           qdb + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
    auto it = index_of.find(str(r, 0));
    if (it == index_of.end()) continue;
    SourceColumn col;
    col.name = str(r, 1);
    col.mysql.data_type = ascii_lower(str(r, 2));
    col.mysql.column_type = str(r, 3);
    col.declared = col.mysql.column_type;
    col.mysql.char_max_length = to_ll(r[4]);
    col.mysql.numeric_precision = to_ll(r[5]);
    col.mysql.numeric_scale = to_ll(r[6]);
    col.mysql.is_json = json_columns.count({str(r, 0), col.name}) > 0;
    col.nullable = str(r, 7) != "NO";
    col.default_value = r.size() > 8 ? r[8] : std::nullopt;
    if (col.default_value && ascii_lower(*col.default_value) == "null") col.default_value.reset();
    std::string extra = ascii_lower(str(r, 9));
    col.auto_increment = extra.find("auto_increment") != std::string::npos;
    col.on_update_now = extra.find("on update") != std::string::npos;
    col.generated = extra.find("generated") != std::string::npos;
    col.comment = str(r, 10);
    col.collation = r.size() > 11 ? str(r, 11) : std::string();
    if (col.mysql.data_type == "enum") col.enum_labels = parse_mysql_enum_labels(col.declared);
    if (schema.tables[it->second].view) view_column(col);
    schema.tables[it->second].columns.push_back(std::move(col));
  }

  // Indexes, the primary key first.
  for (const MysqlRow &r :
       c.query("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE, "
               "COLLATION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
               qdb + " ORDER BY TABLE_NAME, INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX")) {
    auto it = index_of.find(str(r, 0));
    if (it == index_of.end()) continue;
    SourceTable &t = schema.tables[it->second];
    const std::string &name = str(r, 1);
    if (t.indexes.empty() || t.indexes.back().name != name) {
      SourceIndex idx;
      idx.name = name;
      idx.primary = name == "PRIMARY";
      idx.unique = str(r, 2) == "0";
      idx.method = str(r, 5);
      t.indexes.push_back(std::move(idx));
    }
    IndexColumn ic;
    ic.column = str(r, 3);
    ic.prefix = static_cast<int>(to_ll(r[4]).value_or(0));
    ic.descending = str(r, 6) == "D";
    if (ic.column.empty()) t.indexes.back().expression = true;
    t.indexes.back().columns.push_back(std::move(ic));
  }

  // Foreign keys with their actions.
  for (const MysqlRow &r :
       c.query("SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
               "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, rc.DELETE_RULE, rc.UPDATE_RULE "
               "FROM information_schema.KEY_COLUMN_USAGE k JOIN "
               "information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = "
               "k.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND rc.TABLE_NAME = "
               "k.TABLE_NAME WHERE k.TABLE_SCHEMA = " +
               qdb +
               " AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, "
               "k.ORDINAL_POSITION")) {
    auto it = index_of.find(str(r, 0));
    if (it == index_of.end()) continue;
    SourceTable &t = schema.tables[it->second];
    const std::string &name = str(r, 1);
    if (t.foreign_keys.empty() || t.foreign_keys.back().name != name) {
      SourceForeignKey fk;
      fk.name = name;
      fk.ref_table = str(r, 4);
      if (str(r, 3) != db) fk.ref_table = str(r, 3) + "." + fk.ref_table;  // noted later
      fk.on_delete = rule(str(r, 6));
      fk.on_update = rule(str(r, 7));
      t.foreign_keys.push_back(std::move(fk));
    }
    t.foreign_keys.back().columns.push_back(str(r, 2));
    t.foreign_keys.back().ref_columns.push_back(str(r, 5));
  }

  // A view the server cannot run (a table or column it uses is gone, or its
  // definer lacks rights) lists no columns in information_schema.COLUMNS.
  std::vector<SourceTable> kept;
  for (SourceTable &t : schema.tables) {
    if (!t.view || !t.columns.empty()) {
      kept.push_back(std::move(t));
      continue;
    }
    const std::string why =
        "the source cannot read it (" +
        (view_comment[t.name].empty() ? "it lists no columns" : view_comment[t.name]) + ")";
    if (!wanted.empty())
      throw Error(sqlstate::kFdwError, c.options().label + ": MySQL view " + mysql_quote_ident(db) +
                                           "." + mysql_quote_ident(t.name) +
                                           " cannot be copied: " + why);
    schema.others.push_back({"view", t.name, "not materialized: " + why});
  }
  schema.tables = std::move(kept);

  if (wanted.empty()) {
    for (const MysqlRow &r :
         c.query("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION "
                 "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
                 qdb + " ORDER BY TRIGGER_NAME"))
      schema.others.push_back({"trigger", str(r, 0),
                               str(r, 2) + " " + str(r, 3) + " on " + str(r, 1) +
                                   "; triggers are not migrated, rewrite it in PL/pgSQL"});
    for (const MysqlRow &r :
         c.query("SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE "
                 "ROUTINE_SCHEMA = " +
                 qdb + " ORDER BY ROUTINE_NAME"))
      schema.others.push_back({"routine", str(r, 0),
                               ascii_lower(str(r, 1)) +
                                   "; routines are not migrated, rewrite it in "
                                   "PL/pgSQL"});
    for (const MysqlRow &r :
         c.query("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = " + qdb +
                 " ORDER BY EVENT_NAME"))
      schema.others.push_back(
          {"event", str(r, 0), "events are not migrated; schedule it with pg_cron"});
  }
  return schema;
}

}  // namespace minibar
