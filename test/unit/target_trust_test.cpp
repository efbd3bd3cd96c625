#include "core/schema/target_trust.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

using minibar::target_refusal;
using minibar::TargetFacts;
using minibar::TargetRefusal;
using minibar::TargetRelation;

namespace {

// root migrates into schema "app", owned by schema_owner.
TargetFacts facts(const std::string &schema_owner = "root", bool schema_owner_trusted = true) {
  TargetFacts f;
  f.caller = "root";
  f.schema = "\"app\"";
  f.schema_owner = schema_owner;
  f.schema_owner_trusted = schema_owner_trusted;
  return f;
}

TargetRelation rel(const std::string &name, const std::string &owner, bool trusted = true) {
  TargetRelation r;
  r.name = name;
  r.owner = owner;
  r.owner_trusted = trusted;
  return r;
}

// facts() with one relation in the schema.
TargetFacts facts_with(TargetRelation r) {
  TargetFacts f = facts();
  f.relations.push_back(std::move(r));
  return f;
}

// The refusal of f; a failed check (and an empty refusal) when there is none.
TargetRefusal refused(const TargetFacts &f) {
  auto no = target_refusal(f);
  EXPECT_TRUE(no);
  return no.value_or(TargetRefusal{});
}

// The refusal's hint names the opt-in.
bool names_opt_in(const TargetRefusal &no) {
  return no.hint.find("{\"trust_target\": true}") != std::string::npos;
}

}  // namespace

TEST(TargetTrust, TrustedSchemaWithoutTableIsFine) {
  EXPECT_FALSE(target_refusal(facts()));
}

TEST(TargetTrust, SchemaOfAnotherRoleIsRefused) {
  TargetRefusal no = refused(facts("alice", false));
  EXPECT_EQ(no.message,
            "refusing to migrate into schema \"app\": it is owned by role \"alice\", not by "
            "\"root\" or a superuser");
  EXPECT_TRUE(names_opt_in(no));
  EXPECT_NE(no.hint.find("\"alice\""), std::string::npos);
}

TEST(TargetTrust, SchemaTheRunCreatedIsNotChecked) {
  TargetFacts f = facts("alice", false);
  f.schema_created = true;
  EXPECT_FALSE(target_refusal(f));
}

TEST(TargetTrust, TableOfAnotherRoleIsRefused) {
  TargetRefusal no = refused(facts_with(rel("\"app\".\"t\"", "alice", false)));
  EXPECT_EQ(no.message,
            "refusing to load into table \"app\".\"t\": it is owned by role \"alice\", not by "
            "\"root\" or a superuser");
  EXPECT_NE(no.detail.find("triggers, CHECK constraints"), std::string::npos);
  EXPECT_TRUE(names_opt_in(no));
}

TEST(TargetTrust, OwnTableIsFine) {
  TargetFacts f = facts_with(rel("\"app\".\"t\"", "root"));
  EXPECT_FALSE(target_refusal(f));
}

TEST(TargetTrust, TriggerIsRefusedWhoeverOwnsTheTable) {
  TargetFacts f = facts_with(rel("\"app\".\"t\"", "root"));
  f.relations[0].triggers = {"audit"};
  TargetRefusal no = refused(f);
  EXPECT_EQ(no.message,
            "refusing to load into table \"app\".\"t\" (owner \"root\"): it has trigger \"audit\"");
  EXPECT_TRUE(names_opt_in(no));
}

TEST(TargetTrust, PartitionsAreChecked) {
  TargetFacts f = facts_with(rel("\"app\".\"t\"", "root"));
  f.relations[0].kind = "partitioned table";
  f.relations.push_back(rel("\"app\".\"t_1\"", "root"));
  f.relations.push_back(rel("\"app\".\"t_2\"", "root"));
  EXPECT_FALSE(target_refusal(f));

  f.relations[2].triggers = {"a", "b"};
  TargetRefusal no = refused(f);
  EXPECT_EQ(no.message,
            "refusing to load into partition \"app\".\"t_2\" of partitioned table \"app\".\"t\" "
            "(owner \"root\"): it has triggers \"a\", \"b\"");

  f.relations[1].owner = "bob";
  f.relations[1].owner_trusted = false;
  no = refused(f);  // ownership is reported before triggers
  EXPECT_EQ(no.message,
            "refusing to load into partition \"app\".\"t_1\" of partitioned table \"app\".\"t\": "
            "it is owned by role \"bob\", not by \"root\" or a superuser");
}

TEST(TargetTrust, RowLevelSecurityIsRefused) {
  TargetFacts f = facts_with(rel("\"app\".\"t\"", "root"));
  f.row_security = true;
  TargetRefusal no = refused(f);
  EXPECT_EQ(no.message,
            "refusing to load into table \"app\".\"t\" (owner \"root\"): it has row-level security "
            "enabled");
  EXPECT_NE(no.detail.find("42501"), std::string::npos);
}

TEST(TargetTrust, ViewIsRefused) {
  TargetFacts f = facts_with(rel("\"app\".\"v\"", "root"));
  f.relations[0].kind = "view";
  TargetRefusal no = refused(f);
  EXPECT_EQ(no.message,
            "refusing to load into view \"app\".\"v\" (owner \"root\"): it is not a table");
}

TEST(TargetTrust, SchemaComesFirst) {
  TargetFacts f = facts("alice", false);
  f.relations.push_back(rel("\"app\".\"t\"", "bob", false));
  f.relations[0].triggers = {"x"};
  TargetRefusal no = refused(f);
  EXPECT_EQ(no.message.rfind("refusing to migrate into schema", 0), 0u);
}
