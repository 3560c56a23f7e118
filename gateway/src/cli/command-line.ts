import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

type CommandLineConfig<O extends Options> = { args: string[]; allowPositionals: true; options: O & typeof HELP };

/** What the command line says once read: its options and words, or the exit code of a refusal or of `--help`. */
export type CommandLine<O extends Options> =
  | { readonly kind: 'run'; readonly values: ReturnType<typeof parseArgs<CommandLineConfig<O>>>['values']; readonly positionals: string[] }
  | { readonly kind: 'exit'; readonly code: 0 | 2 };

export interface UsageOutput {
  /** Where `--help` prints the usage. */
  out(text: string): void;
  /** Where a refusal prints its reason and the usage. */
  err(text: string): void;
}

/** Standard output and standard error: where a command line's usage goes unless a test says otherwise. */
export const processOutput: UsageOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * The CLIs' shared reading of their arguments: `options` plus `-h`/`--help`, words allowed. An
 * unknown option or a missing value prints the reason and the usage on stderr (exit 2); `--help`
 * prints the usage on stdout (exit 0).
 */
export function readCommandLine<O extends Options>(argv: string[], options: O, usage: string, output: UsageOutput = processOutput): CommandLine<O> {
  let parsed;
  try {
    parsed = parseArgs<CommandLineConfig<O>>({ args: argv, allowPositionals: true, options: { ...options, ...HELP } });
  } catch (err) {
    // parseArgs's errors are TypeErrors of node's own realm (not `instanceof Error` under a test's vm): the message either way.
    const message = typeof (err as { message?: unknown } | null)?.message === 'string' ? (err as Error).message : String(err);
    output.err(`${message}\n\n${usage}\n`);
    return { kind: 'exit', code: 2 };
  }
  if ((parsed.values as { help?: boolean }).help) {
    output.out(`${usage}\n`);
    return { kind: 'exit', code: 0 };
  }
  return { kind: 'run', values: parsed.values, positionals: parsed.positionals };
}
