#include "core/schema/target_trust.hpp"

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

std::string role(const std::string &name) {
  return pg_quote_ident(name);
}

// "table "s"."t"" or "table "s"."t" (its partition "s"."p")": where a finding is.
std::string where(const TargetFacts &f, size_t i) {
  const TargetRelation &target = f.relations.front();
  if (i == 0) return target.kind + " " + target.name;
  return "partition " + f.relations[i].name + " of " + target.kind + " " + target.name;
}

std::string opt_in_hint(const std::string &what) {
  return what + ", then pass " + kTrustTargetOption + " to load into it anyway.";
}

}  // namespace

std::optional<TargetRefusal> target_refusal(const TargetFacts &f) {
  const std::string caller = role(f.caller);
  if (!f.schema_created && !f.schema_owner_trusted)
    return TargetRefusal{
        "refusing to migrate into schema " + f.schema + ": it is owned by role " +
            role(f.schema_owner) + ", not by " + caller + " or a superuser",
        "The owner of a schema can drop, rename and replace the tables in it while the run "
        "loads them, and code it places there would run with the rights of role " +
            caller + ", who runs the migration.",
        "Migrate into a schema that you or a superuser own; or check the schema and its tables " +
            opt_in_hint(std::string("if you trust role ") + role(f.schema_owner))};
  if (f.relations.empty()) return std::nullopt;
  const TargetRelation &target = f.relations.front();
  if (target.kind != "table" && target.kind != "partitioned table")
    return TargetRefusal{"refusing to load into " + target.kind + " " + target.name + " (owner " +
                             role(target.owner) + "): it is not a table",
                         "Rows written into it go wherever its definition sends them, with the "
                         "rights of role " +
                             caller + ", who runs the migration.",
                         opt_in_hint("Load into a table; or check the " + target.kind)};
  for (size_t i = 0; i < f.relations.size(); i++) {
    const TargetRelation &r = f.relations[i];
    if (r.owner_trusted) continue;
    return TargetRefusal{
        "refusing to load into " + where(f, i) + ": it is owned by role " + role(r.owner) +
            ", not by " + caller + " or a superuser",
        "Its owner's code (triggers, CHECK constraints, defaults, index expressions, row-level "
        "security policies) would run with the rights of role " +
            caller + ", who runs the migration.",
        "Load into a table that you or a superuser own; or check the table " +
            opt_in_hint(std::string("if you trust role ") + role(r.owner))};
  }
  for (size_t i = 0; i < f.relations.size(); i++) {
    const TargetRelation &r = f.relations[i];
    if (r.triggers.empty()) continue;
    std::string names;
    for (const std::string &t : r.triggers) names += (names.empty() ? "" : ", ") + role(t);
    return TargetRefusal{
        "refusing to load into " + where(f, i) + " (owner " + role(r.owner) + "): it has " +
            (r.triggers.size() == 1 ? "trigger " : "triggers ") + names,
        "Triggers fire with the rights of role " + caller +
            ", who runs the migration: whoever can change a trigger or its function acts with "
            "those rights.",
        "Drop the triggers for the load; or " + opt_in_hint("check them and their functions")};
  }
  if (f.row_security)
    return TargetRefusal{
        "refusing to load into " + where(f, 0) + " (owner " + role(target.owner) +
            "): it has row-level security enabled",
        "The bulk load writes the heap the way COPY FROM does and would bypass the policies. With "
        "the option, rows go through INSERT, so the policies that apply to role " +
            caller +
            " check them (their expressions run with its rights), and a row a policy refuses is "
            "rejected with SQLSTATE 42501.",
        opt_in_hint("Check the table's policies")};
  return std::nullopt;
}

}  // namespace minibar
