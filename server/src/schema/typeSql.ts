/**
 * A TypeName node written back as SQL that names the same type: what the schema model keeps to
 * restore a column's earlier type or recreate a dropped column. Undefined when the node holds
 * something this cannot spell exactly (interval field restrictions, %TYPE, non-integer modifiers).
 */
import { quoteIdent, stringList } from '../parser/ast';
import type { Ast } from '../parser/parse';

// PostgreSQL's internal names of the SQL-standard types, as the grammar emits them
const STANDARD: Record<string, { name: string; zone?: string }> = {
  int2: { name: 'smallint' },
  int4: { name: 'integer' },
  int8: { name: 'bigint' },
  float4: { name: 'real' },
  float8: { name: 'double precision' },
  bool: { name: 'boolean' },
  varchar: { name: 'character varying' },
  bpchar: { name: 'character' },
  varbit: { name: 'bit varying' },
  bit: { name: 'bit' },
  numeric: { name: 'numeric' },
  timestamptz: { name: 'timestamp', zone: ' with time zone' },
  timestamp: { name: 'timestamp', zone: ' without time zone' },
  timetz: { name: 'time', zone: ' with time zone' },
  time: { name: 'time', zone: ' without time zone' },
  interval: { name: 'interval' },
};

// serial types are integer columns with a sequence default: the column's type is the integer
const SERIAL: Record<string, string> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

// a lone type name the grammar would read as a keyword type unless quoted ("char" is not char)
const KEYWORD_TYPES = new Set(
  'bigint bit boolean char character dec decimal double float int integer interval national nchar numeric precision real setof smallint time timestamp varchar'.split(
    ' ',
  ),
);

export function serialKind(typeName: Ast): string | undefined {
  const names = stringList(typeName?.names);
  const last = (names[names.length - 1] ?? '').toLowerCase();
  return names.length === 1 && SERIAL[last] ? last : undefined;
}

export function typeSql(typeName: Ast): string | undefined {
  if (!typeName || typeName.pct_type || typeName.setof) return undefined;
  const names = stringList(typeName.names);
  if (names.length === 0) return undefined;
  const mods: string[] = [];
  for (const m of typeName.typmods ?? []) {
    const c = m?.A_Const;
    if (!c?.ival) return undefined;
    mods.push(String(c.ival.ival ?? 0));
  }
  const modText = mods.length ? `(${mods.join(',')})` : '';
  const arrays = (typeName.arrayBounds ?? [])
    .map((b: Ast) => {
      const n = b?.Integer?.ival;
      return typeof n === 'number' && n >= 0 ? `[${n}]` : '[]';
    })
    .join('');
  let base: string;
  if (names.length === 2 && names[0] === 'pg_catalog' && STANDARD[names[1]]) {
    const std = STANDARD[names[1]];
    // interval modifiers encode field restrictions (DAY TO SECOND) as a bit mask
    if (names[1] === 'interval' && mods.length > 0) return undefined;
    base = std.name + modText + (std.zone ?? '');
  } else if (names.length === 1 && SERIAL[names[0].toLowerCase()]) {
    base = SERIAL[names[0].toLowerCase()];
  } else {
    const parts = names.map((n, i) =>
      i === names.length - 1 && names.length === 1 && KEYWORD_TYPES.has(n)
        ? `"${n}"`
        : quoteIdent(n),
    );
    base = parts.join('.') + modText;
  }
  return base + arrays;
}
