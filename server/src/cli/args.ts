/** Command-line arguments as every `pgmig` command reads them: options, positionals, `--help`. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FORMAT_IDS, type FormatId } from '../folder/model';
import type { Io } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>
>;

/**
 * Parses `argv` for `pgmig <command>`. A number is the exit status to return at once: 0 after
 * printing `help` for `--help`, 2 after saying what is wrong with the arguments.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: string[],
  io: Io,
  help: string,
  options: O,
): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true as const, options });
  } catch (e) {
    io.stderr.write(`pgmig ${command}: ${(e as Error).message}\n`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(help);
    return 0;
  }
  return parsed;
}

/** What is wrong with the command line: the command says it and exits 2. */
export class UsageError extends Error {}

/** `--migration-format`, checked against the formats pgmig knows. */
export function migrationFormatArg(value: string | undefined): FormatId | undefined {
  if (value === undefined) return undefined;
  if (!(FORMAT_IDS as readonly string[]).includes(value))
    throw new UsageError(`--migration-format must be one of ${FORMAT_IDS.join(', ')}`);
  return value as FormatId;
}

/** `--format` of the commands that print text or JSON. */
export function textOrJsonArg(value: string | undefined): 'text' | 'json' {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  return format;
}
