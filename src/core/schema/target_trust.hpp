// Whether a run may write into a target that existed before it: code that
// others can change (triggers, the owner's CHECKs, defaults and index
// expressions, row-level security policies) runs with the rights of the role
// that runs the migration, often a superuser. The PostgreSQL layer gathers
// the facts (pg/base/target_check.cpp); this decides, so that the planner and the
// load refuse the same targets with the same words. Pure C++, unit-tested.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace minibar {

// A relation rows are written to: the target, or one of its partitions.
struct TargetRelation {
  std::string name;            // quoted and qualified
  std::string kind = "table";  // "table", "partitioned table", "view", "foreign table", ...
  std::string owner;           // role name (pg_database_owner resolved to the database's owner)
  bool owner_trusted = true;   // the caller, a role it is a member of, or a superuser
  std::vector<std::string> triggers;  // user triggers (not internal ones)
};

struct TargetFacts {
  std::string caller;  // role name of the user that loads
  std::string schema;  // quoted
  std::string schema_owner;
  bool schema_owner_trusted = true;
  bool schema_created = false;  // this run created the schema: nothing to check
  // Empty when the table does not exist yet (the run creates it); else the
  // target first, then its partitions (all levels).
  std::vector<TargetRelation> relations;
  bool row_security = false;  // relrowsecurity of the target
};

struct TargetRefusal {
  std::string message, detail, hint;
};

// The JSON that lets a run go on (the HINT names it).
inline constexpr const char *kTrustTargetOption = "{\"trust_target\": true}";

// The first reason to refuse the target (SQLSTATE 42501), or nullopt. In
// order: a schema owned by a role the caller does not trust; a target that is
// not a table; a target or partition owned by such a role; a user trigger on
// the target or a partition; row-level security enabled on the target.
std::optional<TargetRefusal> target_refusal(const TargetFacts &facts);

}  // namespace minibar
