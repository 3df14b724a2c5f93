/**
 * Undoing CREATE TABLE and ALTER TABLE: subcommands are undone in reverse order, as one ALTER
 * TABLE where they can be; what a subcommand dropped is recreated from the schema model.
 */
import { rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import type { TableInfo } from '../schema/catalog';
import { excerpt, ifItDidNotExist, type InvertContext } from './context';
import { OWNER_NOTE } from './invertAcl';
import { addedConstraints, constraintNames } from './addedConstraints';
import { typeBack } from './columnType';
import { recreateVanished } from './recreate';
import { qkey, qname, quoteIdent } from './sql';
import type { Step } from './steps';
import type { DownItem } from './types';

export function invertCreateTable(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.relation);
  if (a.if_not_exists && ctx.before.tables.has(relKey(rel))) return [];
  const drop = { sql: `DROP TABLE ${qname(rel.schema, rel.name)}` };
  if (a.if_not_exists && ctx.before.opaque)
    return [ifItDidNotExist(ctx, `table ${relKey(rel)}`, drop)];
  return [drop];
}

/** CREATE TABLE … AS and SELECT … INTO: the table goes, with the rows the UP put in it. */
export function invertCreateTableAs(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.into?.rel);
  const matview = a.objtype === 'OBJECT_MATVIEW';
  if (a.if_not_exists && (matview ? ctx.before.matviews : ctx.before.tables).has(relKey(rel)))
    return [];
  return [
    { sql: `DROP ${matview ? 'MATERIALIZED VIEW' : 'TABLE'} ${qname(rel.schema, rel.name)}` },
  ];
}

export function invertAlterTable(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const objtype = a.objtype ?? 'OBJECT_TABLE';
  if (objtype === 'OBJECT_TYPE') return invertAlterType(ctx);
  const rel = rangeVarName(a.relation);
  const key = relKey(rel);
  // IF EXISTS goes back too: undoing what did not happen must not fail either
  const target = `${a.missing_ok ? 'IF EXISTS ' : ''}${a.relation?.inh === false ? 'ONLY ' : ''}${qname(rel.schema, rel.name)}`;
  if (objtype !== 'OBJECT_TABLE' && objtype !== 'OBJECT_FOREIGN_TABLE')
    return invertAlterOther(ctx, objtype);
  // after dynamic SQL the model is uncertain; what it saw of this table is still used, and the
  // DOWN says what that assumes (a table the model itself marked uncertain stays unknown)
  const t = ctx.before.tables.get(key);
  const steps: Step[] = [];
  const added = new Set<string>();
  let drops = false;
  const names = constraintNames(ctx, t, key);
  const droppedHere = new Set<string>(
    (a.cmds ?? [])
      .map((w: Ast) => w.AlterTableCmd)
      .filter((cmd: Ast) => cmd?.subtype === 'AT_DropConstraint')
      .map((cmd: Ast) => cmd.name),
  );
  for (const w of a.cmds ?? []) {
    const cmd = w.AlterTableCmd;
    if (!cmd) continue;
    if (cmd.subtype === 'AT_DropColumn' || cmd.subtype === 'AT_DropConstraint') {
      drops = true;
      continue;
    }
    // ADD CONSTRAINT … USING INDEX takes the index over: it comes back with what was dropped
    if (cmd.def?.Constraint?.indexname) drops = true;
    steps.push(...invertCmd(ctx, t, key, cmd, added, droppedHere, names));
  }
  steps.reverse();
  const out: DownItem[] = [];
  let actions: string[] = [];
  const flush = () => {
    if (actions.length) out.push({ sql: `ALTER TABLE ${target} ${actions.join(', ')}` });
    actions = [];
  };
  for (const s of steps) {
    if (s.action) actions.push(s.action);
    else if (s.item) {
      flush();
      out.push(s.item);
    }
  }
  flush();
  if (drops) out.push(...recreateDropped(ctx, key));
  return assumeUnchanged(ctx, key, out);
}

/** Items built from what the model saw of a table, after dynamic SQL ran: one note says so. */
export function assumeUnchanged(ctx: InvertContext, key: string, items: DownItem[]): DownItem[] {
  if (!ctx.before.opaque) return items;
  const first = items.findIndex((i) => i.sql && !i.note);
  if (first < 0) return items;
  const note = `the schema model is uncertain (${ctx.before.opaqueReason ?? 'dynamic SQL ran'}): this assumes it left ${key} as the model saw it`;
  return items.map((i, n) => (n === first ? { ...i, note } : i));
}

/** What DROP COLUMN / DROP CONSTRAINT took: the column comes back empty. */
function recreateDropped(ctx: InvertContext, key: string): DownItem[] {
  // a column or constraint dropped and added back by the same statement is recreated too
  const dropped = (subtype: string) =>
    new Set<string>(
      (ctx.stmt.ast.cmds ?? [])
        .map((w: Ast) => w.AlterTableCmd)
        .filter((cmd: Ast) => cmd?.subtype === subtype)
        .map((cmd: Ast) => `${key}.${cmd.name}`),
    );
  const items = recreateVanished(
    ctx.before,
    ctx.after(),
    { columns: dropped('AT_DropColumn'), constraints: dropped('AT_DropConstraint') },
    ctx.written,
  );
  const known = ctx.before.tables.get(key);
  const before = known && !known.uncertain ? known : undefined;
  const after = ctx.after().tables.get(key);
  const out: DownItem[] = [];
  // what the model never knew cannot be recreated: say so instead of writing nothing
  for (const w of ctx.stmt.ast.cmds ?? []) {
    const cmd = w.AlterTableCmd;
    if (cmd?.subtype === 'AT_DropColumn' && !before?.columns.has(cmd.name) && !cmd.missing_ok)
      out.push({
        todo: `recreate column ${key}.${cmd.name} by hand: the schema model does not know it`,
      });
    if (
      cmd?.subtype === 'AT_DropConstraint' &&
      !before?.constraints.has(cmd.name) &&
      !cmd.missing_ok
    )
      out.push({
        todo: `recreate constraint ${cmd.name} on ${key} by hand: the schema model does not know it`,
      });
  }
  const lost = before ? [...before.columns.keys()].filter((c) => !after?.columns.has(c)) : [];
  if (lost.length > 0) {
    const cols = lost.map((c) => `${key}.${c}`).join(', ');
    out.push({
      todo: `DROP COLUMN cannot be undone: the values of ${cols} are gone; ${lost.length > 1 ? 'they are' : 'it is'} recreated empty`,
    });
  }
  return [...out, ...items];
}

function invertCmd(
  ctx: InvertContext,
  t: TableInfo | undefined,
  key: string,
  cmd: Ast,
  added: Set<string>,
  droppedHere: Set<string>,
  names: () => string | undefined,
): Step[] {
  const name: string | undefined = cmd.name;
  const col = name && t && !t.uncertain ? t.columns.get(name) : undefined;
  const c = name ? quoteIdent(name) : '';
  // later subcommands on a column this statement adds are undone by dropping it
  if (name && added.has(name)) return [];
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef;
      if (!def) return [];
      // what the model saw is trusted for existence even when other facts are uncertain
      if (cmd.missing_ok && ctx.before.tables.get(key)?.columns.has(def.colname)) return [];
      added.add(def.colname);
      const action = `DROP COLUMN ${quoteIdent(def.colname)}`;
      if (cmd.missing_ok && (!t || t.uncertain))
        return [
          {
            item: ifItDidNotExist(ctx, `column ${key}.${def.colname}`, {
              sql: `ALTER TABLE ${ctx.stmt.ast.missing_ok ? 'IF EXISTS ' : ''}${qkey(key)} ${action}`,
            }),
          },
        ];
      return [{ action }];
    }
    case 'AT_AlterColumnType':
      return typeBack(ctx, t, key, cmd);
    case 'AT_SetNotNull':
      if (!col) return unknownColumn(ctx, key, name);
      return col.notNull ? [] : [{ action: `ALTER COLUMN ${c} DROP NOT NULL` }];
    case 'AT_DropNotNull':
      if (!col) return unknownColumn(ctx, key, name);
      return col.notNull ? [{ action: `ALTER COLUMN ${c} SET NOT NULL` }] : [];
    case 'AT_ColumnDefault': {
      if (!col) return unknownColumn(ctx, key, name);
      if (!col.hasDefault) return [{ action: `ALTER COLUMN ${c} DROP DEFAULT` }];
      if (col.defaultText) return [{ action: `ALTER COLUMN ${c} SET DEFAULT ${col.defaultText}` }];
      return [
        {
          item: {
            todo: `restore the earlier default of ${key}.${name}: the schema model does not know it`,
          },
        },
      ];
    }
    case 'AT_AddConstraint':
      return addedConstraints(ctx, t, key, cmd, droppedHere, names);
    case 'AT_ValidateConstraint': {
      const con = t?.constraints.get(name ?? '');
      if (con?.validated) return [];
      if (!con?.definition)
        return [
          {
            item: {
              todo: `constraint ${name} on ${key} cannot be marked NOT VALID again without knowing its definition`,
            },
          },
        ];
      return [
        { action: `DROP CONSTRAINT ${c}` },
        { action: `ADD CONSTRAINT ${c} ${con.definition.text} NOT VALID` },
      ].reverse();
    }
    case 'AT_EnableRowSecurity':
      return flagBack(t, t?.rowSecurity, 'DISABLE ROW LEVEL SECURITY', key, 'row level security');
    case 'AT_DisableRowSecurity':
      return flagBack(t, !t?.rowSecurity, 'ENABLE ROW LEVEL SECURITY', key, 'row level security');
    case 'AT_ForceRowSecurity':
      return flagBack(
        t,
        t?.forceRowSecurity,
        'NO FORCE ROW LEVEL SECURITY',
        key,
        'FORCE ROW LEVEL SECURITY',
      );
    case 'AT_NoForceRowSecurity':
      return flagBack(
        t,
        !t?.forceRowSecurity,
        'FORCE ROW LEVEL SECURITY',
        key,
        'FORCE ROW LEVEL SECURITY',
      );
    case 'AT_SetLogged':
      return flagBack(t, !t?.unlogged, 'SET UNLOGGED', key, 'LOGGED');
    case 'AT_SetUnLogged':
      return flagBack(t, t?.unlogged, 'SET LOGGED', key, 'UNLOGGED');
    case 'AT_AddIdentity':
      return [{ action: `ALTER COLUMN ${c} DROP IDENTITY` }];
    case 'AT_DropIdentity':
      if (cmd.missing_ok && col && !col.identity) return [];
      if (col?.identityText) return [{ action: `ALTER COLUMN ${c} ADD ${col.identityText}` }];
      return [
        {
          item: {
            todo: `restore the identity of ${key}.${name}: the schema model does not know how it was defined`,
          },
        },
      ];
    case 'AT_AttachPartition': {
      const part = rangeVarName(cmd.def?.PartitionCmd?.name);
      return [{ action: `DETACH PARTITION ${qname(part.schema, part.name)}` }];
    }
    case 'AT_AddInherit': {
      const p = rangeVarName(cmd.def);
      return [{ action: `NO INHERIT ${qname(p.schema, p.name)}` }];
    }
    case 'AT_DropInherit': {
      const p = rangeVarName(cmd.def);
      return [{ action: `INHERIT ${qname(p.schema, p.name)}` }];
    }
    case 'AT_SetRelOptions': {
      // options the table was created with, or set since, are not followed by the model
      const keys = (cmd.def?.List?.items ?? []).map((d: Ast) => d.DefElem?.defname).filter(Boolean);
      if (t && !t.uncertain && !t.notRecreatable && !/\bWITH\s*\(/i.test(t.tail?.text ?? ''))
        return [{ action: `RESET (${keys.join(', ')})` }];
      return [
        {
          item: {
            todo: `restore the storage parameters ${keys.join(', ')} of ${key}: their earlier values are not known`,
          },
        },
      ];
    }
    case 'AT_ChangeOwner':
      if (t?.createdIn === ctx.migrationId) return [{ action: 'OWNER TO CURRENT_USER' }];
      return [
        {
          item: {
            todo: `OWNER TO: the earlier owner of ${key} is not known to pgmig; set it back by hand if it matters`,
          },
        },
      ];
    default:
      return [
        {
          item: {
            todo: `pgmig cannot undo ${subcommandWords(cmd.subtype)} in ${excerpt(ctx.stmt)}`,
          },
        },
      ];
  }
}

function unknownColumn(ctx: InvertContext, key: string, name: string | undefined): Step[] {
  const why = ctx.before.opaque
    ? (ctx.before.opaqueReason ?? 'the schema model is uncertain')
    : `the schema model does not know ${key}.${name ?? ''} exactly`;
  return [{ item: { todo: `cannot tell the earlier state of ${key}.${name ?? ''}: ${why}` } }];
}

function flagBack(
  t: TableInfo | undefined,
  wasSet: boolean | undefined,
  action: string,
  key: string,
  what: string,
): Step[] {
  if (!t || t.uncertain)
    return [{ item: { todo: `cannot tell whether ${key} had ${what} before` } }];
  return wasSet ? [] : [{ action }];
}

function subcommandWords(subtype: string): string {
  return subtype
    .replace(/^AT_/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

const OTHER_WORDS: Record<string, [string, string]> = {
  OBJECT_VIEW: ['VIEW', 'view'],
  OBJECT_MATVIEW: ['MATERIALIZED VIEW', 'matview'],
  OBJECT_SEQUENCE: ['SEQUENCE', 'sequence'],
};

/** ALTER VIEW / SEQUENCE … OWNER TO on one this UP created; anything else there is a TODO. */
function invertAlterOther(ctx: InvertContext, objtype: string): DownItem[] {
  const a = ctx.stmt.ast;
  const words = OTHER_WORDS[objtype];
  const rel = rangeVarName(a.relation);
  const key = relKey(rel);
  const created =
    words?.[1] === 'matview'
      ? ctx.before.matviews.get(key)?.createdIn
      : ctx.before.objects.get(`${words?.[1]}:${key}`)?.createdIn;
  const cmds: Ast[] = (a.cmds ?? []).map((w: Ast) => w.AlterTableCmd);
  if (words && created === ctx.migrationId && cmds.every((c) => c?.subtype === 'AT_ChangeOwner'))
    return [
      {
        sql: `ALTER ${words[0]} ${qname(rel.schema, rel.name)} OWNER TO CURRENT_USER`,
        note: OWNER_NOTE,
      },
    ];
  return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
}

/** ALTER TYPE … ADD / DROP / ALTER ATTRIBUTE on a composite type. */
function invertAlterType(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.relation);
  const out: DownItem[] = [];
  for (const w of [...(a.cmds ?? [])].reverse()) {
    const cmd = w.AlterTableCmd;
    if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef)
      out.push({
        sql: `ALTER TYPE ${qname(rel.schema, rel.name)} DROP ATTRIBUTE ${quoteIdent(cmd.def.ColumnDef.colname)}`,
      });
    else out.push({ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` });
  }
  return out;
}
