/**
 * Privileges are compared as they take effect: no ACL (the object's defaults) equals the default
 * ACL written out, which a GRANT followed by its REVOKE leaves behind.
 *
 * The catalog queries behind a schema snapshot, one per kind of object, each returning its rows
 * as one JSON text; the same on PostgreSQL 15 and 18 (and PGlite). Objects that belong to
 * extensions are left out: the extension itself stands for them. (Separate queries: on PGlite one
 * json_build_object over all of them takes twice as long as the twelve.)
 */

const USER_SCHEMA = (col: string) =>
  `${col} NOT IN ('pg_catalog', 'information_schema') AND ${col} NOT LIKE 'pg\\_toast%' AND ${col} NOT LIKE 'pg\\_temp\\_%'`;

const NOT_EXTENSION = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;

const agg = (select: string) =>
  `SELECT coalesce(json_agg(x), '[]'::json)::text AS rows FROM (${select}) x`;

export const SNAPSHOT_QUERIES: Record<string, string> = {
  schemas: agg(`
  SELECT n.nspname AS name, coalesce(n.nspacl, acldefault('n', n.nspowner))::text AS acl, obj_description(n.oid, 'pg_namespace') AS comment
  FROM pg_namespace n
  WHERE ${USER_SCHEMA('n.nspname')} AND ${NOT_EXTENSION('pg_namespace', 'n.oid')}`),
  extensions: agg(`
  SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname <> 'plpgsql'`),
  relations: agg(`
  SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relpersistence AS persistence,
    c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls, c.relreplident AS replica_identity,
    array_to_string(c.reloptions, ',') AS options,
    pg_get_expr(c.relpartbound, c.oid) AS partition_bound,
    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
    (SELECT string_agg(quote_ident(pn.nspname) || '.' || quote_ident(p.relname), ', ' ORDER BY i.inhseqno)
       FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) AS parents,
    CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,
    coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))::text AS acl, obj_description(c.oid, 'pg_class') AS comment,
    (SELECT json_build_object('type', format_type(s.seqtypid, NULL), 'start', s.seqstart,
       'increment', s.seqincrement, 'max', s.seqmax, 'min', s.seqmin, 'cache', s.seqcache,
       'cycle', s.seqcycle)::text FROM pg_sequence s WHERE s.seqrelid = c.oid) AS sequence,
    (SELECT quote_ident(tn.nspname) || '.' || quote_ident(t.relname) || '.' || quote_ident(a.attname)
       FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
       JOIN pg_namespace tn ON tn.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refobjsubid > 0
         AND d.deptype IN ('a', 'i') AND c.relkind = 'S' LIMIT 1) AS owned_by
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${USER_SCHEMA('n.nspname')}
    AND ${NOT_EXTENSION('pg_class', 'c.oid')}`),
  columns: agg(`
  SELECT n.nspname AS schema, c.relname AS rel, c.relkind AS relkind, a.attname AS name,
    format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
    pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity AS identity,
    a.attgenerated AS generated,
    CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
    col_description(c.oid, a.attnum) AS comment, a.attacl::text AS acl
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
    AND ${USER_SCHEMA('n.nspname')} AND ${NOT_EXTENSION('pg_class', 'c.oid')}
    AND (c.relkind <> 'c' OR ${NOT_EXTENSION('pg_type', 'c.reltype')})`),
  constraints: agg(`
  SELECT n.nspname AS schema, c.relname AS rel, co.conname AS name, co.contype AS type,
    pg_get_constraintdef(co.oid) AS definition, obj_description(co.oid, 'pg_constraint') AS comment
  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE co.contype <> 'n' AND ${USER_SCHEMA('n.nspname')} AND ${NOT_EXTENSION('pg_class', 'c.oid')}`),
  indexes: agg(`
  SELECT n.nspname AS schema, ic.relname AS name, tc.relname AS rel,
    pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid,
    obj_description(ic.oid, 'pg_class') AS comment
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
  WHERE ${USER_SCHEMA('n.nspname')} AND ${NOT_EXTENSION('pg_class', 'tc.oid')}`),
  types: agg(`
  SELECT n.nspname AS schema, t.typname AS name, t.typtype AS kind,
    CASE t.typtype
      WHEN 'e' THEN (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text
                     FROM pg_enum e WHERE e.enumtypid = t.oid)
      WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
        || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
        || coalesce(' DEFAULT ' || t.typdefault, '')
        || coalesce((SELECT ' ' || string_agg(quote_ident(dc.conname) || ' ' || pg_get_constraintdef(dc.oid), ', ' ORDER BY dc.conname)
                     FROM pg_constraint dc WHERE dc.contypid = t.oid AND dc.contype <> 'n'), '')
      WHEN 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)
    END AS definition,
    obj_description(t.oid, 'pg_type') AS comment, coalesce(t.typacl, acldefault('T', t.typowner))::text AS acl
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE (t.typtype IN ('e', 'd', 'r')
     OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
    AND ${USER_SCHEMA('n.nspname')} AND ${NOT_EXTENSION('pg_type', 't.oid')}`),
  functions: agg(`
  SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
    p.prokind AS kind, CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END AS definition,
    obj_description(p.oid, 'pg_proc') AS comment, coalesce(p.proacl, acldefault('f', p.proowner))::text AS acl
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE ${USER_SCHEMA('n.nspname')} AND ${NOT_EXTENSION('pg_proc', 'p.oid')}`),
  triggers: agg(`
  SELECT n.nspname AS schema, c.relname AS rel, tg.tgname AS name,
    pg_get_triggerdef(tg.oid) AS definition, tg.tgenabled AS enabled,
    obj_description(tg.oid, 'pg_trigger') AS comment
  FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE NOT tg.tgisinternal AND ${USER_SCHEMA('n.nspname')} AND ${NOT_EXTENSION('pg_class', 'c.oid')}`),
  policies: agg(`
  SELECT n.nspname AS schema, c.relname AS rel, p.polname AS name, p.polcmd AS command,
    p.polpermissive AS permissive,
    (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r) END, ', ' ORDER BY 1)
       FROM unnest(p.polroles) r) AS roles,
    pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace`),
  default_privileges: agg(`
  SELECT pg_get_userbyid(d.defaclrole) AS role, n.nspname AS schema, d.defaclobjtype AS objtype,
    d.defaclacl::text AS acl
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace`),
  event_triggers: agg(`
  SELECT e.evtname AS name, e.evtevent AS event, e.evtfoid::regproc::text AS function,
    e.evtenabled AS enabled, array_to_string(e.evttags, ',') AS tags
  FROM pg_event_trigger e WHERE ${NOT_EXTENSION('pg_event_trigger', 'e.oid')}`),
};
