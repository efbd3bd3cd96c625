# PGXS build of the minibar_migrate extension (C++17).
#   make && make install && make installcheck
# WERROR=1 turns warnings in our own files into errors (CI sets it).

MODULE_big = minibar_migrate
EXTENSION = minibar_migrate
# The install script is assembled from each feature's SQL file, in this
# order (later parts use the tables of earlier ones).
SQL_PARTS = src/pg/fdw/fdw.sql src/pg/migrate/migrate.sql src/pg/validate/validate.sql \
	src/pg/upkeep/upkeep.sql src/pg/preflight/preflight.sql src/pg/sync/sync.sql \
	src/pg/sync/sync_table.sql
# The version being built is the control file's default_version; its install
# script is built. The upgrade scripts (minibar_migrate--A--B.sql) are kept
# in versions/, with the commit of each release (versions/RELEASES).
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(sort $(wildcard versions/$(EXTENSION)--*--*.sql))
PGFILEDESC = "minibar_migrate - migrate MySQL/MariaDB and SQLite into PostgreSQL"
# Documentation: installed into $(pg_config --docdir)/extension/minibar_migrate/
# (a folder of our own, so README.md meets no other extension's README.md).
DOCS = README.md $(sort $(wildcard docs/*.md))

# Sources are picked up by folder: every .cpp below src/core and src/pg.
CORE_SRCS := $(sort $(shell find src/core -name '*.cpp'))
PG_SRCS := $(sort $(shell find src/pg -name '*.cpp'))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

REGRESS = boundary sqlite_fdw sqlite_pushdown sqlite_import sqlite_errors mysql_fdw phase_log
REGRESS_OPTS = --load-extension=minibar_migrate
# A test database of our own (contrib_regression_minibar_migrate), not the shared one.
USE_MODULE_DB = 1

PG_CONFIG ?= pg_config
MARIADB_CFLAGS := $(shell mariadb_config --include)
MARIADB_LIBS := $(shell mariadb_config --libs)
PG_CPPFLAGS = -I$(srcdir)/src
PG_CXXFLAGS = -std=c++17 -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-Wno-register -fvisibility=hidden
ifeq ($(WERROR),1)
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK = -lsqlite3 $(MARIADB_LIBS) -lstdc++
# No clang-14 bitcode for the C++ sources (it would compile them as C++14).
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
docmoduledir := extension/minibar_migrate

# libmariadb's headers are only for the pure core (mysql.h clashes with PostgreSQL's).
$(CORE_SRCS:.cpp=.o): override CPPFLAGS += $(MARIADB_CFLAGS)

# Every object depends on every header: simple and always right for a small tree.
HEADERS := $(shell find src -name '*.hpp')
$(OBJS): $(HEADERS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@
