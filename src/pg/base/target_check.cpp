#include "pg/base/target_check.hpp"

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/schema/quote.hpp"
#include "core/schema/target_trust.hpp"
#include "pg/base/guard.hpp"

namespace minibar::pg {

namespace {

// PostgreSQL calls (inside pg_call): the role an object's owner stands for.
// pg_database_owner is the current database's owner.
Oid pg_effective_owner(Oid owner) {
  if (owner != ROLE_PG_DATABASE_OWNER) return owner;
  HeapTuple tup = SearchSysCache1(DATABASEOID, ObjectIdGetDatum(MyDatabaseId));
  if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for database %u", MyDatabaseId);
  Oid dba = reinterpret_cast<Form_pg_database>(GETSTRUCT(tup))->datdba;
  ReleaseSysCache(tup);
  return dba;
}

// Trusted: the caller, a role the caller is a member of (a superuser caller is
// not taken for a member of every role), or a superuser.
bool pg_owner_trusted(Oid owner, Oid caller) {
  return owner == caller || superuser_arg(owner) || is_member_of_role_nosuper(caller, owner);
}

const char *kind_name(char relkind) {
  switch (relkind) {
    case RELKIND_RELATION:
      return "table";
    case RELKIND_PARTITIONED_TABLE:
      return "partitioned table";
    case RELKIND_VIEW:
      return "view";
    case RELKIND_MATVIEW:
      return "materialized view";
    case RELKIND_FOREIGN_TABLE:
      return "foreign table";
    default:
      return "relation";
  }
}

// One relation's facts as PostgreSQL gives them (palloc'd).
struct PgRel {
  const char *nsp;
  const char *name;
  char relkind;
  Oid owner;  // effective
  bool owner_trusted;
  const char *owner_name;
  int ntriggers;
  const char **triggers;
};

void pg_rel_facts(Oid relid, Oid caller, PgRel *out) {
  Relation rel = relation_open(relid, NoLock);  // locked by the caller
  out->nsp = get_namespace_name(RelationGetNamespace(rel));
  out->name = pstrdup(RelationGetRelationName(rel));
  out->relkind = rel->rd_rel->relkind;
  out->owner = pg_effective_owner(rel->rd_rel->relowner);
  out->owner_trusted = pg_owner_trusted(out->owner, caller);
  out->owner_name = GetUserNameFromId(out->owner, true);
  out->ntriggers = 0;
  out->triggers = nullptr;
  if (TriggerDesc *td = rel->trigdesc) {
    out->triggers = static_cast<const char **>(palloc(sizeof(char *) * (td->numtriggers + 1)));
    for (int i = 0; i < td->numtriggers; i++)
      if (!td->triggers[i].tgisinternal)
        out->triggers[out->ntriggers++] = pstrdup(td->triggers[i].tgname);
  }
  relation_close(rel, NoLock);
}

std::string str(const char *s, const std::string &otherwise) {
  return s ? std::string(s) : otherwise;
}

}  // namespace

void check_target(Oid nspid, Oid relid, bool schema_created, bool trust, LOCKMODE lockmode) {
  if (trust) return;
  TargetFacts facts;
  Oid caller = InvalidOid;
  const char *caller_name = nullptr;
  const char *nsp_name = nullptr;
  const char *nsp_owner_name = nullptr;
  Oid nsp_owner = InvalidOid;
  bool nsp_trusted = true;
  List *rels = NIL;
  bool row_security = false;
  pg_call([&] {
    caller = GetUserId();
    caller_name = GetUserNameFromId(caller, true);
    HeapTuple tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nspid));
    if (HeapTupleIsValid(tup)) {
      auto *form = reinterpret_cast<Form_pg_namespace>(GETSTRUCT(tup));
      nsp_name = pstrdup(NameStr(form->nspname));
      nsp_owner = pg_effective_owner(form->nspowner);
      ReleaseSysCache(tup);
      nsp_trusted = pg_owner_trusted(nsp_owner, caller);
      nsp_owner_name = GetUserNameFromId(nsp_owner, true);
    }
    if (OidIsValid(relid)) {
      Relation rel = relation_open(relid, lockmode);
      row_security = rel->rd_rel->relrowsecurity;
      bool partitioned = rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
      relation_close(rel, NoLock);
      // The target first, then every partition (locked, so that none gains a
      // trigger or an owner after the check).
      rels = partitioned ? find_all_inheritors(relid, lockmode, nullptr) : list_make1_oid(relid);
    }
  });
  facts.caller = str(caller_name, "role " + std::to_string(caller));
  facts.schema = pg_quote_ident(str(nsp_name, std::to_string(nspid)));
  facts.schema_owner = str(nsp_owner_name, std::to_string(nsp_owner));
  facts.schema_owner_trusted = nsp_trusted;
  facts.schema_created = schema_created;
  facts.row_security = row_security;
  const int n = list_length(rels);
  for (int i = 0; i < n; i++) {
    Oid oid = list_nth_oid(rels, i);
    PgRel pr{};
    pg_call([&] { pg_rel_facts(oid, caller, &pr); });
    TargetRelation r;
    r.name = pg_quote_ident(str(pr.nsp, "")) + "." + pg_quote_ident(str(pr.name, ""));
    r.kind = kind_name(pr.relkind);
    r.owner = str(pr.owner_name, std::to_string(pr.owner));
    r.owner_trusted = pr.owner_trusted;
    for (int t = 0; t < pr.ntriggers; t++) r.triggers.emplace_back(pr.triggers[t]);
    facts.relations.push_back(std::move(r));
  }
  if (std::optional<TargetRefusal> no = target_refusal(facts))
    throw Error(sqlstate::kInsufficientPrivilege, no->message, no->detail, no->hint);
}

bool rls_applies(Oid relid) {
  bool on = false;
  pg_call([&] { on = check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED; });
  return on;
}

}  // namespace minibar::pg
