/*
 * server/pgcatalog_data.c — the tables of the emulated catalog and their
 * rows: the fixed ones (schemas, built-in types, roles, access methods,
 * settings, ranges, the catalog tables themselves) created once, and the
 * ones describing sluice's streams and views, replaced whenever the
 * catalog changes (see pgcatalog.h).
 *
 * INTERFACE (pgcatalog_int.h)
 *   pgcat_create_schema, pgcat_fill_user
 *
 * Column types are declared as "<pg type>_<affinity>" (oid_int, name_text,
 * bool_int, _aclitem_text...): SQLite takes its affinity from the suffix,
 * and the result description its PostgreSQL type from the prefix
 * (pgcatalog.c). Streams are relations of kind 'r' (ordinary tables: they
 * take INSERT and COPY and are listed by \dt and getTables("TABLE")), views
 * are kind 'v'.
 */
#include "server/pgcatalog_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/value.h"
#include "planner/catalog.h"

static const char schema_sql[] =
    "CREATE TABLE pg_namespace(oid oid_int, nspname name_text, nspowner oid_int,"
    " nspacl _aclitem_text);"
    "CREATE TABLE pg_class(oid oid_int, relname name_text, relnamespace oid_int,"
    " reltype oid_int, reloftype oid_int, relowner oid_int, relam oid_int, relfilenode oid_int,"
    " reltablespace oid_int, relpages int4_int, reltuples float4_real, relallvisible int4_int,"
    " reltoastrelid oid_int, relhasindex bool_int, relisshared bool_int,"
    " relpersistence char_text, relkind char_text, relnatts int2_int, relchecks int2_int,"
    " relhasrules bool_int, relhastriggers bool_int, relhassubclass bool_int,"
    " relrowsecurity bool_int, relforcerowsecurity bool_int, relispopulated bool_int,"
    " relreplident char_text, relispartition bool_int, relrewrite oid_int,"
    " relfrozenxid xid_int, relminmxid xid_int, relacl _aclitem_text, reloptions _text_text,"
    " relpartbound pg_node_tree_text);"
    "CREATE TABLE pg_attribute(attrelid oid_int, attname name_text, atttypid oid_int,"
    " attstattarget int4_int, attlen int2_int, attnum int2_int, attndims int4_int,"
    " attcacheoff int4_int, atttypmod int4_int, attbyval bool_int, attalign char_text,"
    " attstorage char_text, attcompression char_text, attnotnull bool_int, atthasdef bool_int,"
    " atthasmissing bool_int, attidentity char_text, attgenerated char_text,"
    " attisdropped bool_int, attislocal bool_int, attinhcount int4_int, attcollation oid_int,"
    " attacl _aclitem_text, attoptions _text_text, attfdwoptions _text_text,"
    " attmissingval text);"
    "CREATE TABLE pg_type(oid oid_int, typname name_text, typnamespace oid_int,"
    " typowner oid_int, typlen int2_int, typbyval bool_int, typtype char_text,"
    " typcategory char_text, typispreferred bool_int, typisdefined bool_int,"
    " typdelim char_text, typrelid oid_int, typsubscript regproc_text, typelem oid_int,"
    " typarray oid_int, typinput regproc_text, typoutput regproc_text,"
    " typreceive regproc_text, typsend regproc_text, typmodin regproc_text,"
    " typmodout regproc_text, typanalyze regproc_text, typalign char_text,"
    " typstorage char_text, typnotnull bool_int, typbasetype oid_int, typtypmod int4_int,"
    " typndims int4_int, typcollation oid_int, typdefaultbin pg_node_tree_text,"
    " typdefault text, typacl _aclitem_text);"
    "CREATE TABLE pg_database(oid oid_int, datname name_text, datdba oid_int,"
    " encoding int4_int, datlocprovider char_text, datistemplate bool_int,"
    " datallowconn bool_int, datconnlimit int4_int, datfrozenxid xid_int, datminmxid xid_int,"
    " dattablespace oid_int, datcollate text, datctype text, daticulocale text,"
    " datcollversion text, datacl _aclitem_text);"
    "CREATE TABLE pg_settings(name text, setting text, unit text, category text,"
    " short_desc text, extra_desc text, context text, vartype text, source text,"
    " min_val text, max_val text, enumvals _text_text, boot_val text, reset_val text,"
    " sourcefile text, sourceline int4_int, pending_restart bool_int);"
    "CREATE TABLE pg_range(rngtypid oid_int, rngsubtype oid_int, rngmultitypid oid_int,"
    " rngcollation oid_int, rngsubopc oid_int, rngcanonical regproc_text,"
    " rngsubdiff regproc_text);"
    "CREATE TABLE pg_proc(oid oid_int, proname name_text, pronamespace oid_int,"
    " proowner oid_int, prolang oid_int, procost float4_real, prorows float4_real,"
    " provariadic oid_int, prosupport regproc_text, prokind char_text, prosecdef bool_int,"
    " proleakproof bool_int, proisstrict bool_int, proretset bool_int,"
    " provolatile char_text, proparallel char_text, pronargs int2_int,"
    " pronargdefaults int2_int, prorettype oid_int, proargtypes oidvector_text,"
    " proallargtypes _oid_text, proargmodes _char_text, proargnames _text_text,"
    " proargdefaults pg_node_tree_text, protrftypes _oid_text, prosrc text, probin text,"
    " prosqlbody pg_node_tree_text, proconfig _text_text, proacl _aclitem_text);"
    "CREATE TABLE pg_index(indexrelid oid_int, indrelid oid_int, indnatts int2_int,"
    " indnkeyatts int2_int, indisunique bool_int, indnullsnotdistinct bool_int,"
    " indisprimary bool_int, indisexclusion bool_int, indimmediate bool_int,"
    " indisclustered bool_int, indisvalid bool_int, indcheckxmin bool_int,"
    " indisready bool_int, indislive bool_int, indisreplident bool_int,"
    " indkey int2vector_text, indcollation oidvector_text, indclass oidvector_text,"
    " indoption int2vector_text, indexprs pg_node_tree_text, indpred pg_node_tree_text);"
    "CREATE TABLE pg_constraint(oid oid_int, conname name_text, connamespace oid_int,"
    " contype char_text, condeferrable bool_int, condeferred bool_int,"
    " convalidated bool_int, conrelid oid_int, contypid oid_int, conindid oid_int,"
    " conparentid oid_int, confrelid oid_int, confupdtype char_text, confdeltype char_text,"
    " confmatchtype char_text, conislocal bool_int, coninhcount int4_int,"
    " connoinherit bool_int, conkey _int2_text, confkey _int2_text, conpfeqop _oid_text,"
    " conppeqop _oid_text, conffeqop _oid_text, confdelsetcols _int2_text,"
    " conexclop _oid_text, conbin pg_node_tree_text);"
    "CREATE TABLE pg_description(objoid oid_int, classoid oid_int, objsubid int4_int,"
    " description text);"
    "CREATE TABLE pg_shdescription(objoid oid_int, classoid oid_int, description text);"
    "CREATE TABLE pg_am(oid oid_int, amname name_text, amhandler regproc_text,"
    " amtype char_text);"
    "CREATE TABLE pg_authid(oid oid_int, rolname name_text, rolsuper bool_int,"
    " rolinherit bool_int, rolcreaterole bool_int, rolcreatedb bool_int,"
    " rolcanlogin bool_int, rolreplication bool_int, rolbypassrls bool_int,"
    " rolconnlimit int4_int, rolpassword text, rolvaliduntil timestamptz_text);"
    "CREATE TABLE pg_auth_members(oid oid_int, roleid oid_int, member oid_int,"
    " grantor oid_int, admin_option bool_int);"
    "CREATE TABLE pg_inherits(inhrelid oid_int, inhparent oid_int, inhseqno int4_int,"
    " inhdetachpending bool_int);"
    "CREATE TABLE pg_attrdef(oid oid_int, adrelid oid_int, adnum int2_int,"
    " adbin pg_node_tree_text);"
    "CREATE TABLE pg_collation(oid oid_int, collname name_text, collnamespace oid_int,"
    " collowner oid_int, collprovider char_text, collisdeterministic bool_int,"
    " collencoding int4_int, collcollate text, collctype text, colliculocale text,"
    " collversion text);"
    "CREATE TABLE pg_extension(oid oid_int, extname name_text, extowner oid_int,"
    " extnamespace oid_int, extrelocatable bool_int, extversion text,"
    " extconfig _oid_text, extcondition _text_text);"
    "CREATE TABLE pg_tablespace(oid oid_int, spcname name_text, spcowner oid_int,"
    " spcacl _aclitem_text, spcoptions _text_text);"
    "CREATE TABLE pg_depend(classid oid_int, objid oid_int, objsubid int4_int,"
    " refclassid oid_int, refobjid oid_int, refobjsubid int4_int, deptype char_text);"
    "CREATE TABLE pg_policy(oid oid_int, polname name_text, polrelid oid_int,"
    " polcmd char_text, polpermissive bool_int, polroles _oid_text,"
    " polqual pg_node_tree_text, polwithcheck pg_node_tree_text);"
    "CREATE TABLE pg_statistic_ext(oid oid_int, stxrelid oid_int, stxname name_text,"
    " stxnamespace oid_int, stxowner oid_int, stxstattarget int4_int,"
    " stxkeys int2vector_text, stxkind _char_text, stxexprs pg_node_tree_text);"
    "CREATE TABLE pg_publication(oid oid_int, pubname name_text, pubowner oid_int,"
    " puballtables bool_int, pubinsert bool_int, pubupdate bool_int, pubdelete bool_int,"
    " pubtruncate bool_int, pubviaroot bool_int);"
    "CREATE TABLE pg_publication_rel(oid oid_int, prpubid oid_int, prrelid oid_int,"
    " prqual pg_node_tree_text, prattrs int2vector_text);"
    "CREATE TABLE pg_publication_namespace(oid oid_int, pnpubid oid_int, pnnspid oid_int);"
    "CREATE TABLE pg_trigger(oid oid_int, tgrelid oid_int, tgparentid oid_int,"
    " tgname name_text, tgfoid oid_int, tgtype int2_int, tgenabled char_text,"
    " tgisinternal bool_int, tgconstrrelid oid_int, tgconstrindid oid_int,"
    " tgconstraint oid_int, tgdeferrable bool_int, tginitdeferred bool_int,"
    " tgnargs int2_int, tgattr int2vector_text, tgargs bytea_text,"
    " tgqual pg_node_tree_text, tgoldtable name_text, tgnewtable name_text);"
    "CREATE TABLE pg_rewrite(oid oid_int, rulename name_text, ev_class oid_int,"
    " ev_type char_text, ev_enabled char_text, is_instead bool_int,"
    " ev_qual pg_node_tree_text, ev_action pg_node_tree_text);"
    "CREATE TABLE pg_enum(oid oid_int, enumtypid oid_int, enumsortorder float4_real,"
    " enumlabel name_text);"
    "CREATE TABLE pg_operator(oid oid_int, oprname name_text, oprnamespace oid_int,"
    " oprowner oid_int, oprkind char_text, oprcanmerge bool_int, oprcanhash bool_int,"
    " oprleft oid_int, oprright oid_int, oprresult oid_int, oprcom oid_int,"
    " oprnegate oid_int, oprcode regproc_text, oprrest regproc_text, oprjoin regproc_text);"
    "CREATE TABLE pg_language(oid oid_int, lanname name_text, lanowner oid_int,"
    " lanispl bool_int, lanpltrusted bool_int, lanplcallfoid oid_int, laninline oid_int,"
    " lanvalidator oid_int, lanacl _aclitem_text);"
    "CREATE TABLE pg_cast(oid oid_int, castsource oid_int, casttarget oid_int,"
    " castfunc oid_int, castcontext char_text, castmethod char_text);"
    "CREATE TABLE pg_sequence(seqrelid oid_int, seqtypid oid_int, seqstart int8_int,"
    " seqincrement int8_int, seqmax int8_int, seqmin int8_int, seqcache int8_int,"
    " seqcycle bool_int);"
    "CREATE TABLE pg_foreign_table(ftrelid oid_int, ftserver oid_int, ftoptions _text_text);"
    "CREATE TABLE pg_partitioned_table(partrelid oid_int, partstrat char_text,"
    " partnatts int2_int, partdefid oid_int, partattrs int2vector_text,"
    " partclass oidvector_text, partcollation oidvector_text,"
    " partexprs pg_node_tree_text);"
    "CREATE TABLE pg_event_trigger(oid oid_int, evtname name_text, evtevent name_text,"
    " evtowner oid_int, evtfoid oid_int, evtenabled char_text, evttags _text_text);"
    "CREATE TABLE sluice_viewdef(oid oid_int, definition text);"
    /* views of the catalog that PostgreSQL defines in SQL: SQLite views too */
    "CREATE VIEW pg_roles AS SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb,"
    " rolcanlogin, rolreplication, rolconnlimit, '********' AS rolpassword, rolvaliduntil,"
    " rolbypassrls, NULL AS rolconfig, oid FROM pg_authid;"
    "CREATE VIEW pg_user AS SELECT rolname AS usename, oid AS usesysid,"
    " rolcreatedb AS usecreatedb, rolsuper AS usesuper, rolreplication AS userepl,"
    " rolbypassrls AS usebypassrls, '********' AS passwd, rolvaliduntil AS valuntil,"
    " NULL AS useconfig FROM pg_authid WHERE rolcanlogin;"
    "CREATE VIEW pg_tables AS SELECT n.nspname AS schemaname, c.relname AS tablename,"
    " pg_get_userbyid(c.relowner) AS tableowner, NULL AS tablespace,"
    " c.relhasindex AS hasindexes, c.relhasrules AS hasrules,"
    " c.relhastriggers AS hastriggers, c.relrowsecurity AS rowsecurity"
    " FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p');"
    "CREATE VIEW pg_views AS SELECT n.nspname AS schemaname, c.relname AS viewname,"
    " pg_get_userbyid(c.relowner) AS viewowner, pg_get_viewdef(c.oid) AS definition"
    " FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'v';"
    "CREATE VIEW pg_matviews AS SELECT n.nspname AS schemaname, c.relname AS matviewname,"
    " pg_get_userbyid(c.relowner) AS matviewowner, NULL AS tablespace,"
    " c.relhasindex AS hasindexes, c.relispopulated AS ispopulated,"
    " pg_get_viewdef(c.oid) AS definition"
    " FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'm';"
    /* information_schema (an attached database of that name) */
    "CREATE TABLE information_schema.schemata(catalog_name name_text, schema_name name_text,"
    " schema_owner name_text, default_character_set_catalog name_text,"
    " default_character_set_schema name_text, default_character_set_name name_text,"
    " sql_path text);"
    "CREATE TABLE information_schema.tables(table_catalog name_text, table_schema name_text,"
    " table_name name_text, table_type text, self_referencing_column_name name_text,"
    " reference_generation text, user_defined_type_catalog name_text,"
    " user_defined_type_schema name_text, user_defined_type_name name_text,"
    " is_insertable_into text, is_typed text, commit_action text);"
    "CREATE TABLE information_schema.columns(table_catalog name_text, table_schema name_text,"
    " table_name name_text, column_name name_text, ordinal_position int4_int,"
    " column_default text, is_nullable text, data_type text,"
    " character_maximum_length int4_int, character_octet_length int4_int,"
    " numeric_precision int4_int, numeric_precision_radix int4_int,"
    " numeric_scale int4_int, datetime_precision int4_int, interval_type text,"
    " interval_precision int4_int, character_set_catalog name_text,"
    " character_set_schema name_text, character_set_name name_text,"
    " collation_catalog name_text, collation_schema name_text, collation_name name_text,"
    " domain_catalog name_text, domain_schema name_text, domain_name name_text,"
    " udt_catalog name_text, udt_schema name_text, udt_name name_text,"
    " scope_catalog name_text, scope_schema name_text, scope_name name_text,"
    " maximum_cardinality int4_int, dtd_identifier name_text, is_self_referencing text,"
    " is_identity text, identity_generation text, identity_start text,"
    " identity_increment text, identity_maximum text, identity_minimum text,"
    " identity_cycle text, is_generated text, generation_expression text,"
    " is_updatable text);"
    "CREATE TABLE information_schema.views(table_catalog name_text, table_schema name_text,"
    " table_name name_text, view_definition text, check_option text, is_updatable text,"
    " is_insertable_into text, is_trigger_updatable text, is_trigger_deletable text,"
    " is_trigger_insertable_into text);"
    /* fixed rows */
    "INSERT INTO pg_namespace VALUES (11, 'pg_catalog', 10, NULL), (99, 'pg_toast', 10, NULL),"
    " (2200, 'public', 6171, NULL), (13000, 'information_schema', 10, NULL);"
    "INSERT INTO pg_am VALUES (2, 'heap', 'heap_tableam_handler', 't'),"
    " (403, 'btree', 'bthandler', 'i'), (405, 'hash', 'hashhandler', 'i');"
    "INSERT INTO pg_tablespace VALUES (1663, 'pg_default', 10, NULL, NULL),"
    " (1664, 'pg_global', 10, NULL, NULL);"
    "INSERT INTO pg_collation VALUES (100, 'default', 11, 10, 'd', 1, -1, NULL, NULL, NULL,"
    " NULL), (950, 'C', 11, 10, 'c', 1, -1, 'C', 'C', NULL, NULL),"
    " (951, 'POSIX', 11, 10, 'c', 1, -1, 'POSIX', 'POSIX', NULL, NULL);"
    "INSERT INTO pg_language VALUES (12, 'internal', 10, 0, 0, 0, 0, 2246, NULL),"
    " (13, 'c', 10, 0, 0, 0, 0, 2247, NULL), (14, 'sql', 10, 0, 1, 0, 0, 2248, NULL);"
    "INSERT INTO pg_range VALUES (3904, 23, 4451, 0, 1978, 'int4range_canonical',"
    " 'int4range_subdiff'), (3906, 1700, 4532, 0, 3125, '-', 'numrange_subdiff'),"
    " (3908, 1114, 4533, 0, 3128, '-', 'tsrange_subdiff'),"
    " (3910, 1184, 4534, 0, 3127, '-', 'tstzrange_subdiff'),"
    " (3912, 1082, 4535, 0, 3122, 'daterange_canonical', 'daterange_subdiff'),"
    " (3926, 20, 4536, 0, 3124, 'int8range_canonical', 'int8range_subdiff');"
    "INSERT INTO information_schema.schemata VALUES"
    " (NULL, 'pg_catalog', NULL, NULL, NULL, NULL, NULL),"
    " (NULL, 'public', 'pg_database_owner', NULL, NULL, NULL, NULL),"
    " (NULL, 'information_schema', NULL, NULL, NULL, NULL, NULL);";

/* name, setting, unit, category, vartype, context */
static const char *const settings[][5] = {
    {"server_version", "15.0", "Preset Options", "string", "internal"},
    {"server_version_num", "150000", "Preset Options", "integer", "internal"},
    {"server_encoding", "UTF8", "Preset Options", "string", "internal"},
    {"client_encoding", "UTF8", "Client Connection Defaults", "string", "user"},
    {"DateStyle", "ISO, MDY", "Client Connection Defaults", "string", "user"},
    {"IntervalStyle", "postgres", "Client Connection Defaults", "enum", "user"},
    {"TimeZone", "UTC", "Client Connection Defaults", "string", "user"},
    {"integer_datetimes", "on", "Preset Options", "bool", "internal"},
    {"standard_conforming_strings", "on", "Version and Platform Compatibility", "bool", "user"},
    {"max_identifier_length", "63", "Preset Options", "integer", "internal"},
    {"max_index_keys", "32", "Preset Options", "integer", "internal"},
    {"block_size", "8192", "Preset Options", "integer", "internal"},
    {"search_path", "\"$user\", public", "Client Connection Defaults", "string", "user"},
    {"default_transaction_isolation", "read committed", "Client Connection Defaults", "enum",
     "user"},
    {"transaction_isolation", "read committed", "Client Connection Defaults", "enum", "user"},
    {"default_transaction_read_only", "off", "Client Connection Defaults", "bool", "user"},
    {"transaction_read_only", "off", "Client Connection Defaults", "bool", "user"},
    {"lc_collate", "C", "Preset Options", "string", "internal"},
    {"lc_ctype", "C", "Preset Options", "string", "internal"},
    {"lc_messages", "C", "Client Connection Defaults", "string", "superuser"},
    {"extra_float_digits", "1", "Client Connection Defaults", "integer", "user"},
    {"is_superuser", "off", "Preset Options", "bool", "internal"},
    {"max_connections", "100", "Connections and Authentication", "integer", "postmaster"},
    {"statement_timeout", "0", "Client Connection Defaults", "integer", "user"},
    {"bytea_output", "hex", "Client Connection Defaults", "enum", "user"},
    {"default_tablespace", "", "Client Connection Defaults", "string", "user"},
    {"application_name", "", "Reporting and Logging", "string", "user"},
};

static int
exec_bound(sqlite3 *db, sqlite3_stmt **st, const char *sql, char **errmsg)
{
    if (!*st && sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
        *errmsg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static int
step_reset(sqlite3 *db, sqlite3_stmt *st, char **errmsg)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        *errmsg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static const char *
regproc_of(const PgcType *t, const char *suffix)
{
    static char buf[96];
    if (t->category == 'A')
        snprintf(buf, sizeof buf, "array_%s", suffix);
    else if (t->type == 'r')
        snprintf(buf, sizeof buf, "range_%s", suffix);
    else
        snprintf(buf, sizeof buf, "%s%s", t->name, suffix);
    return buf;
}

static int
fill_types(sqlite3 *db, char **errmsg)
{
    sqlite3_stmt *st = NULL;
    if (exec_bound(db, &st,
                   "INSERT INTO pg_type VALUES (?1, ?2, 11, 10, ?3, ?4, ?5, ?6, ?7, 1, ?8, 0,"
                   " ?9, ?10, ?11, ?12, ?13, ?14, ?15, '-', '-', '-', ?16, ?17, 0, 0, -1, 0,"
                   " ?18, NULL, NULL, NULL)",
                   errmsg) != 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < pgcat_ntypes() && rc == 0; i++) {
        const PgcType *t = pgcat_type_at(i);
        bool byval = t->len == 1 || t->len == 2 || t->len == 4 || t->len == 8;
        bool preferred = t->oid == 25 || t->oid == 701 || t->oid == 16 || t->oid == 1184 ||
                         t->oid == 1186 || t->oid == 26;
        bool textual = t->category == 'S' && t->oid != 19;
        char in[96], out[96], recv[96], send[96];
        snprintf(in, sizeof in, "%s", regproc_of(t, "in"));
        snprintf(out, sizeof out, "%s", regproc_of(t, "out"));
        snprintf(recv, sizeof recv, "%s", regproc_of(t, "recv"));
        snprintf(send, sizeof send, "%s", regproc_of(t, "send"));
        char delim[2] = {',', 0};
        char typtype[2] = {t->type, 0}, cat[2] = {t->category, 0};
        sqlite3_bind_int64(st, 1, t->oid);
        sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, t->len);
        sqlite3_bind_int(st, 4, byval);
        sqlite3_bind_text(st, 5, typtype, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, cat, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 7, preferred);
        sqlite3_bind_text(st, 8, delim, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 9, t->category == 'A' ? "array_subscript_handler" : "-", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 10, t->elem);
        sqlite3_bind_int64(st, 11, t->array);
        sqlite3_bind_text(st, 12, in, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 13, out, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 14, recv, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 15, send, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 16,
                          t->len == 8   ? "d"
                          : t->len == 2 ? "s"
                          : t->len == 1 ? "c"
                                        : "i",
                          -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 17, t->len == -1 ? "x" : "p", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 18, textual ? 100 : 0);
        rc = step_reset(db, st, errmsg);
    }
    sqlite3_finalize(st);
    return rc;
}

static int
fill_settings(sqlite3 *db, char **errmsg)
{
    sqlite3_stmt *st = NULL;
    if (exec_bound(db, &st,
                   "INSERT INTO pg_settings VALUES (?1, ?2, NULL, ?3, NULL, NULL, ?5, ?4,"
                   " 'default', NULL, NULL, NULL, ?2, ?2, NULL, NULL, 0)",
                   errmsg) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < SL_ARRAY_LEN(settings) && rc == 0; i++) {
        for (int k = 0; k < 5; k++)
            sqlite3_bind_text(st, k + 1, settings[i][k], -1, SQLITE_STATIC);
        rc = step_reset(db, st, errmsg);
    }
    sqlite3_finalize(st);
    return rc;
}

/* A few functions, so that completion and \df see something real: the ones
 * registered above that clients call, and sluice's aggregates. */
static int
fill_procs(sqlite3 *db, char **errmsg)
{
    static const struct {
        const char *name;
        char kind;
        uint32_t ret;
        const char *args;
        int nargs;
    } procs[] = {
        {"count", 'a', 20, "", 0},
        {"sum", 'a', 701, "701", 1},
        {"avg", 'a', 701, "701", 1},
        {"min", 'a', 2283, "2283", 1},
        {"max", 'a', 2283, "2283", 1},
        {"stddev", 'a', 701, "701", 1},
        {"variance", 'a', 701, "701", 1},
        {"lower", 'f', 25, "25", 1},
        {"upper", 'f', 25, "25", 1},
        {"length", 'f', 23, "25", 1},
        {"version", 'f', 25, "", 0},
        {"current_schema", 'f', 19, "", 0},
        {"current_database", 'f', 19, "", 0},
        {"format_type", 'f', 25, "26 23", 2},
        {"pg_get_userbyid", 'f', 19, "26", 1},
        {"pg_table_is_visible", 'f', 16, "26", 1},
        {"pg_backend_pid", 'f', 23, "", 0},
        {"current_setting", 'f', 25, "25", 1},
    };
    sqlite3_stmt *st = NULL;
    if (exec_bound(db, &st,
                   "INSERT INTO pg_proc VALUES (?1, ?2, 11, 10, 12, 1, 0, 0, '-', ?3, 0, 0, 1,"
                   " 0, 'i', 's', ?4, 0, ?5, ?6, NULL, NULL, NULL, NULL, NULL, ?2, NULL, NULL,"
                   " NULL, NULL)",
                   errmsg) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < SL_ARRAY_LEN(procs) && rc == 0; i++) {
        char kind[2] = {procs[i].kind, 0};
        sqlite3_bind_int64(st, 1, 9000 + (sqlite3_int64)i);
        sqlite3_bind_text(st, 2, procs[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, procs[i].nargs);
        sqlite3_bind_int64(st, 5, procs[i].ret);
        sqlite3_bind_text(st, 6, procs[i].args, -1, SQLITE_STATIC);
        rc = step_reset(db, st, errmsg);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The catalog tables are relations of pg_catalog, with their columns. */
static const struct {
    const char *name;
    uint32_t oid;
} catalog_oids[] = {
    {"pg_type", 1247},      {"pg_attribute", 1249},  {"pg_proc", 1255},
    {"pg_class", 1259},     {"pg_authid", 1260},     {"pg_database", 1262},
    {"pg_namespace", 2615}, {"pg_constraint", 2606}, {"pg_description", 2609},
    {"pg_index", 2610},     {"pg_inherits", 2611},   {"pg_am", 2601},
    {"pg_attrdef", 2604},   {"pg_depend", 2608},     {"pg_collation", 3456},
    {"pg_extension", 3079}, {"pg_range", 3541},      {"pg_tablespace", 1213},
    {"pg_trigger", 2620},   {"pg_rewrite", 2618},
};

static uint32_t
decl_oid(const char *decl)
{
    if (!decl)
        return 25;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", decl);
    char *us = strrchr(buf, '_');
    if (us && us != buf)
        *us = 0;
    const PgcType *t = pgcat_type_by_name(buf);
    return t ? t->oid : 25;
}

static int
fill_catalog_relations(sqlite3 *db, char **errmsg)
{
    sqlite3_stmt *tabs = NULL, *cls = NULL, *att = NULL;
    int rc = -1;
    if (exec_bound(db, &tabs,
                   "SELECT name, type, 'main' FROM sqlite_schema WHERE name LIKE 'pg\\_%'"
                   " UNION ALL SELECT name, 'view', 'information_schema'"
                   " FROM information_schema.sqlite_schema WHERE type = 'table' ORDER BY 1",
                   errmsg) != 0 ||
        exec_bound(db, &cls,
                   "INSERT INTO pg_class VALUES (?1, ?2, ?3, 0, 0, 10, ?4, 0, 0, 0, -1, 0, 0,"
                   " 0, 0, 'p', ?5, ?6, 0, 0, 0, 0, 0, 0, 1, 'n', 0, 0, 0, 0, NULL, NULL, NULL)",
                   errmsg) != 0 ||
        exec_bound(db, &att,
                   "INSERT INTO pg_attribute VALUES (?1, ?2, ?3, -1, ?4, ?5, 0, -1, -1, 0, 'i',"
                   " 'p', '', 0, 0, 0, '', '', 0, 1, 0, ?6, NULL, NULL, NULL, NULL)",
                   errmsg) != 0)
        goto done;
    uint32_t next = 12000;
    while (sqlite3_step(tabs) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tabs, 0);
        const char *type = (const char *)sqlite3_column_text(tabs, 1);
        const char *dbn = (const char *)sqlite3_column_text(tabs, 2);
        if (strcmp(type, "table") && strcmp(type, "view"))
            continue;
        bool info = strcmp(dbn, "main") != 0;
        uint32_t oid = 0;
        for (size_t i = 0; i < SL_ARRAY_LEN(catalog_oids) && !info; i++)
            if (!strcmp(catalog_oids[i].name, name))
                oid = catalog_oids[i].oid;
        if (!oid)
            oid = next++;
        char sql[200];
        snprintf(sql, sizeof sql, "PRAGMA %s.table_info(\"%s\")", dbn, name);
        sqlite3_stmt *cols;
        if (sqlite3_prepare_v2(db, sql, -1, &cols, NULL) != SQLITE_OK) {
            *errmsg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
            goto done;
        }
        int ncol = 0;
        while (sqlite3_step(cols) == SQLITE_ROW) {
            const char *decl = (const char *)sqlite3_column_text(cols, 2);
            const PgcType *t = pgcat_type_by_oid(decl_oid(decl && *decl ? decl : NULL));
            sqlite3_bind_int64(att, 1, oid);
            sqlite3_bind_text(att, 2, (const char *)sqlite3_column_text(cols, 1), -1,
                              SQLITE_TRANSIENT);
            sqlite3_bind_int64(att, 3, t ? t->oid : 25);
            sqlite3_bind_int(att, 4, t ? t->len : -1);
            sqlite3_bind_int(att, 5, ++ncol);
            sqlite3_bind_int(att, 6, t && t->category == 'S' && t->oid != 19 ? 100 : 0);
            if (step_reset(db, att, errmsg) != 0) {
                sqlite3_finalize(cols);
                goto done;
            }
        }
        sqlite3_finalize(cols);
        sqlite3_bind_int64(cls, 1, oid);
        sqlite3_bind_text(cls, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(cls, 3, info ? PGCAT_NS_INFO : PGCAT_NS_CATALOG);
        bool view = !strcmp(type, "view");
        sqlite3_bind_int(cls, 4, view ? 0 : 2);
        sqlite3_bind_text(cls, 5, view ? "v" : "r", -1, SQLITE_STATIC);
        sqlite3_bind_int(cls, 6, ncol);
        if (step_reset(db, cls, errmsg) != 0)
            goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(tabs);
    sqlite3_finalize(cls);
    sqlite3_finalize(att);
    return rc;
}

int
pgcat_create_schema(sqlite3 *db, char **errmsg)
{
    if (sqlite3_exec(db, schema_sql, NULL, NULL, errmsg) != SQLITE_OK)
        return -1;
    if (fill_types(db, errmsg) != 0 || fill_settings(db, errmsg) != 0 ||
        fill_procs(db, errmsg) != 0 || fill_catalog_relations(db, errmsg) != 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ sluice's objects */

/* What pg_get_viewdef shows: the view's query, from its SELECT on (the
 * defining statement if none is found). */
static const char *
view_query(const char *sql)
{
    if (!sql)
        return "";
    for (const char *p = sql; *p; p++) {
        if (*p == '\'') { /* skip string literals */
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p++)
                if (*p == '\'' && p[1] == '\'')
                    p++;
            if (!*p)
                break;
            continue;
        }
        if (strncasecmp(p, "select", 6) == 0 && (p == sql || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[6]) && p[6] != '_')
            return p;
    }
    return sql;
}

static const char *const user_delete_sql = "DELETE FROM pg_class WHERE oid >= 16384;"
                                           "DELETE FROM pg_attribute WHERE attrelid >= 16384;"
                                           "DELETE FROM sluice_viewdef;"
                                           "DELETE FROM pg_database;"
                                           "DELETE FROM pg_authid;"
                                           "DELETE FROM information_schema.tables;"
                                           "DELETE FROM information_schema.columns;"
                                           "DELETE FROM information_schema.views;";

int
pgcat_fill_user(sqlite3 *db, const Catalog *cat, const char *user, const char *dbname,
                PgcOidOf oid_of, void *ctx, char **errmsg)
{
    if (sqlite3_exec(db, user_delete_sql, NULL, NULL, errmsg) != SQLITE_OK)
        return -1;
    sqlite3_stmt *db_st = NULL, *role = NULL, *cls = NULL, *att = NULL, *vdef = NULL, *itab = NULL,
                 *icol = NULL, *iview = NULL;
    int rc = -1;
    if (exec_bound(db, &db_st,
                   "INSERT INTO pg_database VALUES (16383, ?1, 10, 6, 'c', 0, 1, -1, 0, 1,"
                   " 1663, 'C', 'C', NULL, NULL, NULL)",
                   errmsg) != 0 ||
        exec_bound(db, &role,
                   "INSERT INTO pg_authid VALUES (?1, ?2, ?3, 1, ?3, ?3, ?4, 0, 0, -1, NULL,"
                   " NULL)",
                   errmsg) != 0 ||
        exec_bound(db, &cls,
                   "INSERT INTO pg_class VALUES (?1, ?2, 2200, 0, 0, 10, ?3, ?1, 0, 0, -1, 0,"
                   " 0, 0, 0, 'p', ?4, ?5, 0, ?6, 0, 0, 0, 0, 1, ?7, 0, 0, 0, 0, NULL, NULL,"
                   " NULL)",
                   errmsg) != 0 ||
        exec_bound(db, &att,
                   "INSERT INTO pg_attribute VALUES (?1, ?2, ?3, -1, ?4, ?5, 0, -1, -1, ?6,"
                   " ?7, ?8, '', ?9, 0, 0, '', '', 0, 1, 0, ?10, NULL, NULL, NULL, NULL)",
                   errmsg) != 0 ||
        exec_bound(db, &vdef, "INSERT INTO sluice_viewdef VALUES (?1, ?2)", errmsg) != 0 ||
        exec_bound(db, &itab,
                   "INSERT INTO information_schema.tables VALUES (?1, 'public', ?2, ?3, NULL,"
                   " NULL, NULL, NULL, NULL, ?4, 'NO', NULL)",
                   errmsg) != 0 ||
        exec_bound(db, &icol,
                   "INSERT INTO information_schema.columns (table_catalog, table_schema,"
                   " table_name, column_name, ordinal_position, is_nullable, data_type,"
                   " numeric_precision, numeric_precision_radix, numeric_scale,"
                   " datetime_precision, udt_catalog, udt_schema, udt_name, dtd_identifier,"
                   " is_self_referencing, is_identity, is_generated, is_updatable)"
                   " VALUES (?1, 'public', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?1,"
                   " 'pg_catalog', ?11, ?4, 'NO', 'NO', 'NEVER', ?12)",
                   errmsg) != 0 ||
        exec_bound(db, &iview,
                   "INSERT INTO information_schema.views VALUES (?1, 'public', ?2, ?3, 'NONE',"
                   " 'NO', 'NO', 'NO', 'NO', 'NO')",
                   errmsg) != 0)
        goto done;
    sqlite3_bind_text(db_st, 1, dbname, -1, SQLITE_TRANSIENT);
    if (step_reset(db, db_st, errmsg) != 0)
        goto done;
    sqlite3_bind_int(role, 1, 10);
    sqlite3_bind_text(role, 2, user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(role, 3, 1);
    sqlite3_bind_int(role, 4, 1);
    if (step_reset(db, role, errmsg) != 0)
        goto done;
    sqlite3_bind_int(role, 1, 6171);
    sqlite3_bind_text(role, 2, "pg_database_owner", -1, SQLITE_STATIC);
    sqlite3_bind_int(role, 3, 0);
    sqlite3_bind_int(role, 4, 0);
    if (step_reset(db, role, errmsg) != 0)
        goto done;
    for (const CatObject *o = cat ? cat->head : NULL; o; o = o->next) {
        if (o->kind == CAT_SINK)
            continue; /* not a relation: it writes into one elsewhere */
        uint32_t oid = oid_of(ctx, o->name);
        bool view = o->kind == CAT_VIEW;
        sqlite3_bind_int64(cls, 1, oid);
        sqlite3_bind_text(cls, 2, o->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(cls, 3, view ? 0 : 2);
        sqlite3_bind_text(cls, 4, view ? "v" : "r", -1, SQLITE_STATIC);
        sqlite3_bind_int(cls, 5, o->ncols);
        sqlite3_bind_int(cls, 6, view);
        sqlite3_bind_text(cls, 7, view ? "n" : "d", -1, SQLITE_STATIC);
        if (step_reset(db, cls, errmsg) != 0)
            goto done;
        if (view) {
            sqlite3_bind_int64(vdef, 1, oid);
            sqlite3_bind_text(vdef, 2, view_query(o->sql), -1, SQLITE_STATIC);
            if (step_reset(db, vdef, errmsg) != 0)
                goto done;
            sqlite3_bind_text(iview, 1, dbname, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(iview, 2, o->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(iview, 3, view_query(o->sql), -1, SQLITE_STATIC);
            if (step_reset(db, iview, errmsg) != 0)
                goto done;
        }
        sqlite3_bind_text(itab, 1, dbname, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(itab, 2, o->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(itab, 3, view ? "VIEW" : "BASE TABLE", -1, SQLITE_STATIC);
        sqlite3_bind_text(itab, 4, view ? "NO" : "YES", -1, SQLITE_STATIC);
        if (step_reset(db, itab, errmsg) != 0)
            goto done;
        for (int i = 0; i < o->ncols; i++) {
            const CatColumn *c = &o->cols[i];
            uint32_t toid = type_pg_oid(c->type);
            const PgcType *t = pgcat_type_by_oid(toid);
            sqlite3_bind_int64(att, 1, oid);
            sqlite3_bind_text(att, 2, c->name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(att, 3, toid);
            sqlite3_bind_int(att, 4, type_pg_len(c->type));
            sqlite3_bind_int(att, 5, i + 1);
            sqlite3_bind_int(att, 6, type_pg_len(c->type) > 0 && type_pg_len(c->type) <= 8);
            sqlite3_bind_text(att, 7,
                              type_pg_len(c->type) == 8   ? "d"
                              : type_pg_len(c->type) == 1 ? "c"
                                                          : "i",
                              -1, SQLITE_STATIC);
            sqlite3_bind_text(att, 8, type_pg_len(c->type) == -1 ? "x" : "p", -1, SQLITE_STATIC);
            sqlite3_bind_int(att, 9, c->not_null);
            sqlite3_bind_int(att, 10, c->type == TYPE_TEXT ? 100 : 0);
            if (step_reset(db, att, errmsg) != 0)
                goto done;
            sqlite3_bind_text(icol, 1, dbname, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(icol, 2, o->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(icol, 3, c->name, -1, SQLITE_STATIC);
            sqlite3_bind_int(icol, 4, i + 1);
            sqlite3_bind_text(icol, 5, c->not_null ? "NO" : "YES", -1, SQLITE_STATIC);
            sqlite3_bind_text(icol, 6, t ? t->sqlname : "text", -1, SQLITE_STATIC);
            if (c->type == TYPE_BIGINT) {
                sqlite3_bind_int(icol, 7, 64);
                sqlite3_bind_int(icol, 8, 2);
                sqlite3_bind_int(icol, 9, 0);
            } else if (c->type == TYPE_DOUBLE) {
                sqlite3_bind_int(icol, 7, 53);
                sqlite3_bind_int(icol, 8, 2);
            }
            if (c->type == TYPE_TIMESTAMP || c->type == TYPE_INTERVAL)
                sqlite3_bind_int(icol, 10, 6);
            sqlite3_bind_text(icol, 11, t ? t->name : "text", -1, SQLITE_STATIC);
            sqlite3_bind_text(icol, 12, view ? "NO" : "YES", -1, SQLITE_STATIC);
            if (step_reset(db, icol, errmsg) != 0)
                goto done;
        }
    }
    rc = 0;
done:
    sqlite3_finalize(db_st);
    sqlite3_finalize(role);
    sqlite3_finalize(cls);
    sqlite3_finalize(att);
    sqlite3_finalize(vdef);
    sqlite3_finalize(itab);
    sqlite3_finalize(icol);
    sqlite3_finalize(iview);
    return rc;
}
