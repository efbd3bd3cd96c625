#include "pg/migrate/rerun.hpp"

#include <algorithm>

#include "core/convert/number_parse.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/spi.hpp"
#include "pg/base/target_check.hpp"
#include "pg/migrate/table_steps.hpp"

namespace minibar::pg {

namespace {

// "a, b and 3 more": the tables an error names, bounded.
std::string name_list(const std::vector<std::string> &names) {
  constexpr size_t kShown = 10;
  std::string s;
  for (size_t i = 0; i < names.size() && i < kShown; i++) s += (i ? ", " : "") + names[i];
  if (names.size() > kShown) s += " and " + std::to_string(names.size() - kShown) + " more";
  return s;
}

const char *const kChoices =
    "Choose with the option \"if_exists\": \"append\" (load into them as they are), "
    "\"truncate\" (empty them, then load) or \"recreate\" (drop them and create them again "
    "from the source).";

}  // namespace

std::map<std::string, std::vector<Note>> prepare_existing_targets(
    const std::vector<SourceTable> &tables, const std::vector<TablePlan> &plans,
    const MigrateOptions &opts, Oid target_nsp, bool schema_created, bool chunked, bool resumable) {
  std::map<std::string, std::vector<Note>> notes;
  struct Existing {
    size_t i;
    Oid relid;
    std::string name;
  };
  std::vector<Existing> existing;
  std::vector<std::string> missing;
  for (size_t i = 0; i < plans.size(); i++) {
    Oid relid = find_table(plans[i].schema, plans[i].name);
    if (OidIsValid(relid))
      existing.push_back({i, relid, plans[i].qualified()});
    else
      missing.push_back(plans[i].qualified());
  }
  if (opts.data_only && !missing.empty())
    throw Error(sqlstate::kUndefinedTable,
                "data_only: target table(s) " + name_list(missing) + " do not exist",
                "A run with {\"data_only\": true} loads existing tables and creates none. "
                "Nothing was loaded.",
                "Create them first (for example with {\"schema_only\": true}), or leave their "
                "source tables out with \"tables\" / \"exclude\".");
  const std::string mode = opts.if_exists.empty() ? "error" : opts.if_exists;
  if (existing.empty() || mode == "append") return notes;
  if (mode != "error" && chunked && !resumable)
    throw Error(sqlstate::kFeatureNotSupported,
                "if_exists \"" + mode + "\" with background workers needs {\"resume\": true}",
                "Background workers commit each chunk on its own, and a failed run without "
                "\"resume\" is rolled back: the rows the " +
                    mode + " removed would be gone and the new ones too. Nothing was changed.",
                "Use {\"workers\": 0} (one transaction: a failure leaves the tables as they "
                "were), or add {\"resume\": true}.");
  const LOCKMODE lock = mode == "error" ? AccessShareLock : AccessExclusiveLock;
  std::vector<std::string> chosen;  // holding rows (error, truncate), or all (recreate)
  for (const Existing &e : existing) {
    // The same trust check as a load (before anything reads it), kept locked.
    check_target(target_nsp, e.relid, schema_created, opts.trust_target, lock);
    const std::string name = target_name(e.relid, e.name);
    const std::string &source = tables[e.i].name;
    if (mode == "recreate") {
      // Never a table of another role, trusted or not (a superuser caller is
      // not taken for a member of every role, as in the trust check).
      auto r = spi_rows(
          "SELECT c.relowner, c.relowner::pg_catalog.regrole FROM pg_catalog.pg_class c WHERE "
          "c.oid = $1::pg_catalog.oid",
          {std::to_string(e.relid)});
      const Oid owner = r.empty() ? InvalidOid : to_uint32(r[0].at(0).value_or("0"));
      bool own = false;
      pg_call([&] {
        own = OidIsValid(owner) &&
              (owner == GetUserId() || is_member_of_role_nosuper(GetUserId(), owner));
      });
      if (!own)
        throw Error(sqlstate::kInsufficientPrivilege,
                    "if_exists \"recreate\" drops only tables the caller owns: " + name +
                        " is owned by role " + (r.empty() ? "?" : r[0].at(1).value_or("?")),
                    "Nothing was dropped or loaded.",
                    "Ask its owner to drop it, or use \"truncate\" or \"append\".");
      chosen.push_back(name);
      notes[source].push_back({"if_exists", name,
                               "recreate: the existing table was dropped and created again from "
                               "the source"});
      continue;
    }
    auto r = spi_rows("SELECT EXISTS (SELECT FROM " + name + ")");
    if (r.at(0).at(0).value_or("f") != "t") continue;
    chosen.push_back(name);
    if (mode == "truncate") {
      const int64_t n = count_target_rows(e.relid);
      notes[source].push_back({"if_exists", name,
                               "truncate: " + std::to_string(n) +
                                   " row(s) the table held were deleted before the load"});
    }
  }
  if (chosen.empty()) return notes;
  std::sort(chosen.begin(), chosen.end());
  std::string list;
  for (const std::string &n : chosen) list += (list.empty() ? "" : ", ") + n;
  if (mode == "error")
    throw Error(sqlstate::kDuplicateTable,
                "target table(s) " + name_list(chosen) + " already hold rows",
                "A run loads into an existing table only when told what to do with its rows "
                "(option \"if_exists\", default \"error\"). Nothing was created or loaded.",
                kChoices);
  if (mode == "truncate") {
    // One statement: foreign keys between the targets do not stop it; a key
    // from a table the run does not load does (RESTRICT).
    spi_exec("TRUNCATE TABLE " + list + " RESTRICT");
    return notes;
  }
  try {
    spi_exec("DROP TABLE " + list + " RESTRICT");
  } catch (const PgError &e) {
    const ErrorData *ed = e.edata();
    if (std::string(unpack_sql_state(ed->sqlerrcode)) != sqlstate::kDependentObjectsStillExist)
      throw;
    throw Error(
        sqlstate::kDependentObjectsStillExist,
        "if_exists \"recreate\" cannot drop " + name_list(chosen) + ": other objects depend on it",
        std::string(ed->detail ? ed->detail : "") + (ed->detail ? "\n" : "") +
            "Nothing was dropped or loaded.",
        "Drop or change those objects first (dropping the table would take them along), "
        "or use \"truncate\".");
  }
  return notes;
}

}  // namespace minibar::pg
