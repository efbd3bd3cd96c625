// From a source table's definition to the PostgreSQL table the migration
// creates: names (identifier policy), column types (the documented mapping, then the
// user's per-type and per-column rules), identity, NOT NULL, defaults, CHECK
// constraints, comments, and the SQL run after the load (primary key, unique
// constraints, indexes) and at the end (foreign keys). What cannot be
// translated becomes a note, never silently dropped. Pure C++: the SQL text
// (and its quoting) is unit-tested without PostgreSQL.
//
// Everything read from the source is untrusted text: names only ever reach SQL
// through pg_quote_ident, values through pg_quote_literal, CHECK expressions
// only as rebuilt by translate_check (core/schema/expr_translate.hpp), defaults only
// as validated numbers, re-quoted strings or fixed keywords, referential
// actions only as one of the five PostgreSQL knows.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/schema/model.hpp"

namespace minibar {

struct MigrateRules {
  bool keep_case = false;  // false: fold names to lower case (ASCII)
  // Source type (lower case; the full type like "tinyint(1)" or "int(10) unsigned"
  // is tried first, then its name like "tinyint") -> PostgreSQL type.
  std::map<std::string, std::string> types;
  // "table.column" (source names) -> PostgreSQL type.
  std::map<std::string, std::string> columns;
};

struct Note {
  std::string kind;  // default, check, index, fulltext, prefix_index, on_update, ...
  std::string object;
  std::string detail;
};

struct PlannedColumn {
  std::string source_name;
  std::string name;  // target column name
  std::string type;  // PostgreSQL type as SQL text
  bool from_rule = false;
  bool identity = false;
  bool not_null = false;
  std::optional<std::string> default_expr;  // PostgreSQL expression
  std::string comment;
  std::vector<std::string> enum_labels;  // non-empty: type is an enum to create with these labels
  bool mysql_time = false;               // MySQL TIME: interval when values lie beyond 0..24h
};

struct PlannedCheck {
  std::string name;         // may be empty
  std::string expr;         // PostgreSQL expression: translate_check's output, nothing else
  std::string source_expr;  // the source text, cut for notes (note_excerpt)
};

// A primary key, unique constraint or index built after the load, as data:
// its statement is made by index_sql (every name quoted) when the step runs.
struct PlannedIndex {
  std::string kind;  // primary_key, unique (constraint), index, unique_index
  std::string name;
  std::vector<std::string> columns;  // target names
  std::vector<bool> descending;      // per column
};

struct PlannedForeignKey {
  std::string name;
  std::string ref_source_table;
  std::vector<std::string> columns, ref_columns;  // target names
  std::string on_delete, on_update;  // NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
};

struct TablePlan {
  std::string source_name;
  std::string schema;  // target schema
  std::string name;    // target table
  std::vector<PlannedColumn> columns;
  std::vector<PlannedCheck> checks;
  std::vector<std::string> key_columns;  // primary key (target names); empty: none
  std::vector<PlannedIndex> post_load;   // primary key, unique constraints, indexes
  std::vector<PlannedForeignKey> foreign_keys;
  std::string comment;
  std::vector<Note> notes;

  std::string qualified() const;  // "schema"."name"
};

// ASCII lower case unless keep_case.
std::string fold_identifier(const std::string &name, bool keep_case);
// name cut to PostgreSQL's 63 bytes at a UTF-8 character boundary.
std::string truncate_identifier(const std::string &name);

// An option value that names something the source does not have: the
// option's key and why. The caller reports it as 22023 before anything is
// created.
struct OptionProblem {
  std::string key;
  std::string why;
};

// Checks what options name against the tables a call reads (`schema`: after
// "tables", before "exclude"): every "exclude" entry is one of those tables;
// every "columns" rule names a column of a table the call migrates (not
// excluded); every "types" rule matches the declared type of at least one of
// their columns (as plan_table matches it). nullopt: all fine.
std::optional<OptionProblem> check_named_options(const MigrateRules &rules,
                                                 const std::vector<std::string> &exclude,
                                                 const SourceSchema &schema);

// The type a `columns` rule (first) or a `types` rule gives column col of
// table, or nullptr when no rule names it.
const std::string *rule_type_for(const MigrateRules &rules, Dialect dialect,
                                 const std::string &table, const SourceColumn &col);

// Plans one table. target_name: the table to create (empty: the folded source
// name). Throws Error (42710) when two columns fold to the same name. CHECKs
// go through translate_check; one it refuses, or one the column type already
// guarantees (boolean IN (0, 1), json_valid on jsonb), is a "check" note.
TablePlan plan_table(const SourceTable &table, Dialect dialect, const MigrateRules &rules,
                     const std::string &target_schema, const std::string &target_name = {});

// Resolves the foreign keys' referenced columns (the referenced table's
// primary key when the source leaves them out) and target names. tables maps
// source table name -> its plan; keys to tables outside, and keys with an
// ON DELETE / ON UPDATE action other than the five PostgreSQL knows, become notes.
void plan_foreign_keys(TablePlan &plan, const SourceTable &table,
                       const std::map<std::string, const TablePlan *> &tables);

// A source default as a PostgreSQL expression for pg_type, when the
// translation is exact; nullopt otherwise. The result is a number the source
// text spelled exactly ([+-]digits[.digits][e[+-]digits]), a string literal
// re-quoted with pg_quote_literal (an ARRAY of them for text[]), or a fixed
// keyword (true, false, now(), CURRENT_DATE); never other source text.
std::optional<std::string> translate_default(const std::string &value, Dialect dialect,
                                             const std::string &pg_type);

// SQL text.
std::string create_enum_sql(const std::string &schema, const std::string &name,
                            const std::vector<std::string> &labels);
std::string create_table_sql(const TablePlan &plan);
std::string add_check_sql(const TablePlan &plan, const PlannedCheck &check);
std::vector<std::string> comment_sql(const TablePlan &plan);
// The statement of a post-load step on the table named qualified (quoted,
// schema-qualified). Throws Error (22023) for an entry no plan makes.
std::string index_sql(const std::string &qualified, const PlannedIndex &idx);
// ALTER TABLE qualified ADD FOREIGN KEY ... REFERENCES ref_qualified. The
// referential actions must be one of the five SQL actions (else Error 22023).
std::string add_foreign_key_sql(const std::string &qualified, const PlannedForeignKey &fk,
                                const std::string &ref_qualified, bool not_valid);
// SELECT count(*), min(key text) of rows of plan whose non-NULL key has no
// referenced row: the orphans that keep fk from being valid.
std::string orphan_count_sql(const std::string &qualified, const PlannedForeignKey &fk,
                             const std::string &ref_qualified);

}  // namespace minibar
