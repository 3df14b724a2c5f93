/**
 * Undoing COMMENT, GRANT / REVOKE (on objects, of roles, default privileges): the earlier comment
 * comes back; a grant is revoked unless the model knows the privilege was already held, a revoke
 * grants back what the model knows was held.
 */
import type { Statement } from '../parser/parse';
import { between } from '../schema/definitions';
import { granteeName, grantEntries, grantTargets, resolveTarget } from '../schema/keepAcl';
import { sourceOf, spanText } from '../schema/source';
import { targetExists } from '../schema/stale';
import { excerpt, suggest, type InvertContext } from './context';
import { grantItems } from './aclSql';
import { literal } from './sql';
import type { DownItem } from './types';

export function invertComment(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const target = between(ctx.stmt, 'ON', 'IS');
  if (!target) return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
  const key = resolveTarget(ctx.before, a.objtype, a.object);
  if (!key || ctx.before.opaque || !targetExists(ctx.before, key))
    return [
      suggest(
        `the earlier comment on ${target} is not known to the schema model`,
        `COMMENT ON ${target} IS NULL`,
      ),
    ];
  const prev = ctx.before.comments.get(key);
  return [{ sql: `COMMENT ON ${target} IS ${prev === undefined ? 'NULL' : literal(prev)}` }];
}

/**
 * The statement with GRANT and REVOKE (and TO and FROM) swapped, grant options and CASCADE left
 * out: `GRANT SELECT ON t TO r` ↔ `REVOKE SELECT ON t FROM r`.
 */
export function swapGrant(stmt: Statement): string | undefined {
  const src = sourceOf(stmt);
  const parts: string[] = [];
  let depth = 0;
  let verb = -1;
  let last = src.tokens.length;
  for (let i = 0; i < src.tokens.length; i++) {
    const t = src.tokens[i];
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth !== 0) continue;
    if (verb < 0 && (t.keyword === 'GRANT' || t.keyword === 'REVOKE')) verb = i;
    if (verb >= 0 && i > verb && (t.keyword === 'CASCADE' || t.keyword === 'RESTRICT'))
      last = Math.min(last, i);
    if (verb >= 0 && i > verb && t.keyword === 'WITH' && src.tokens[i + 1]?.keyword === 'GRANT')
      last = Math.min(last, i);
    if (verb >= 0 && i > verb && t.keyword === 'GRANTED') last = Math.min(last, i);
  }
  if (verb < 0) return undefined;
  const grant = src.tokens[verb].keyword === 'GRANT';
  let from = verb + 1;
  // REVOKE GRANT OPTION FOR …: the privileges themselves stay
  if (!grant && src.tokens[from]?.keyword === 'GRANT' && src.tokens[from + 2]?.keyword === 'FOR')
    return undefined;
  parts.push(spanText(src, { from: 0, to: verb }), grant ? 'REVOKE' : 'GRANT');
  depth = 0;
  for (let i = from; i < last; i++) {
    const t = src.tokens[i];
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth === 0 && t.keyword === (grant ? 'TO' : 'FROM')) {
      parts.push(spanText(src, { from, to: i }), grant ? 'FROM' : 'TO');
      from = i + 1;
    }
  }
  parts.push(spanText(src, { from, to: last }));
  return parts.filter((p) => p !== '').join(' ');
}

export function invertGrant(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const swapped = swapGrant(ctx.stmt);
  if (!swapped) return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
  const targets = a.targtype === 'ACL_TARGET_OBJECT' ? grantTargets(ctx.before, a) : undefined;
  const known =
    !!targets &&
    !ctx.before.opaque &&
    targets.every((k) => targetExists(ctx.before, k)) &&
    !ctx.before.grants.has('default-privileges');
  const grantees: string[] = (a.grantees ?? []).map(granteeName);
  // a role this UP created held nothing before: whatever was granted to it goes
  const newRoles = grantees.length > 0 && grantees.every((g) => ctx.roleCreatedHere(g));
  if (a.is_grant) {
    if (!known && newRoles) return [{ sql: swapped }];
    if (!known)
      return [
        suggest(
          'the privileges held before this GRANT are not known to the schema model; if there were none, revoke them',
          swapped,
        ),
      ];
    const items: DownItem[] = [];
    let allNew = true;
    const perTarget = targets!.map((key) => {
      const held = ctx.before.grants.get(key) ?? new Set<string>();
      const fresh = grantees.flatMap((g) =>
        held.has(`${g} all`) ? [] : grantEntries(a, g).filter((e) => !held.has(e)),
      );
      if (fresh.length !== grantees.flatMap((g) => grantEntries(a, g)).length) allNew = false;
      return { key, fresh };
    });
    if (allNew) return [{ sql: swapped }];
    for (const { key, fresh } of perTarget) items.push(...grantItems(ctx.before, key, fresh, true));
    return items;
  }
  if (!known)
    return [
      suggest('the privileges held before this REVOKE are not known to the schema model', swapped),
    ];
  const items: DownItem[] = [];
  for (const key of targets!) {
    const held = ctx.before.grants.get(key) ?? new Set<string>();
    const back = [...held].filter((e) => {
      const g = e.slice(0, e.indexOf(' '));
      if (!grantees.includes(g)) return false;
      return !a.privileges || grantEntries(a, g).includes(e);
    });
    items.push(...grantItems(ctx.before, key, back));
  }
  return items;
}

/** GRANT role TO role, ALTER DEFAULT PRIVILEGES: swapped, as the model does not follow them. */
export function invertSwapped(ctx: InvertContext): DownItem[] {
  const swapped = swapGrant(ctx.stmt);
  if (!swapped) return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
  const revoke = /^\s*(ALTER\s+DEFAULT\s+PRIVILEGES\b.*?\s)?REVOKE\b/is.test(ctx.stmt.text);
  if (revoke)
    return [
      suggest('what was granted before this REVOKE is not known to the schema model', swapped),
    ];
  return [{ sql: swapped }];
}

/** Whether the object an ALTER … OWNER TO names was created by this migration's UP. */
function ownedObjectCreatedHere(ctx: InvertContext): boolean {
  const a = ctx.stmt.ast;
  const key = resolveTarget(ctx.before, a.objectType, a.object);
  if (!key) return false;
  const rest = key.slice(key.indexOf(':') + 1);
  const created = key.startsWith('schema:')
    ? ctx.before.schemas.get(rest)?.createdIn
    : key.startsWith('type:')
      ? ctx.before.types.get(rest)?.createdIn
      : ctx.before.objects.get(key)?.createdIn;
  return created === ctx.migrationId;
}

/** The statement up to its OWNER keyword: `ALTER FUNCTION f(int)`. */
function beforeOwner(ctx: InvertContext): string | undefined {
  const src = sourceOf(ctx.stmt);
  const at = src.tokens.findIndex((t) => t.keyword === 'OWNER');
  return at > 0 ? spanText(src, { from: 0, to: at }) : undefined;
}

export const OWNER_NOTE = 'the UP created it: it goes back to the role that runs the migrations';

/**
 * OWNER TO: an object this UP created was owned by the role that ran it, so the DOWN (run by the
 * same role) gives it back to CURRENT_USER; an older object's earlier owner is not known.
 */
export function invertOwner(ctx: InvertContext): DownItem[] {
  const head = beforeOwner(ctx);
  if (head && ownedObjectCreatedHere(ctx))
    return [{ sql: `${head} OWNER TO CURRENT_USER`, note: OWNER_NOTE }];
  return [
    {
      todo: `${excerpt(ctx.stmt)}: the earlier owner is not known to pgmig; set it back by hand if it matters`,
    },
  ];
}

/** ALTER ROLE of a role this UP created: dropping the role undoes it. */
export function invertAlterRole(ctx: InvertContext): DownItem[] {
  const role = ctx.stmt.ast.role?.rolename;
  if (role && ctx.roleCreatedHere(role)) return [];
  return [
    { todo: `restore the earlier settings of role ${role ?? ''}: they are not known to pgmig` },
  ];
}
