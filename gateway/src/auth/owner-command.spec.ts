import { OWNER_USAGE, readOwnerCommand } from './owner-command';

/** The output a reading wrote, by stream. */
function reading(argv: string[]) {
  const written = { out: '', err: '' };
  const line = readOwnerCommand(argv, { out: (t) => (written.out += t), err: (t) => (written.err += t) });
  return { line, ...written };
}

describe('npm run owner: reading the command line', () => {
  it.each([
    [['add', 'gerant@cinema.fr'], { command: 'add', email: 'gerant@cinema.fr', passwordStdin: false }],
    [['reset', 'gerant@cinema.fr', '--password-stdin'], { command: 'reset', email: 'gerant@cinema.fr', passwordStdin: true }],
    [['--password-stdin', 'add', 'gerant@cinema.fr'], { command: 'add', email: 'gerant@cinema.fr', passwordStdin: true }],
    [['remove', 'gerant@cinema.fr'], { command: 'remove', email: 'gerant@cinema.fr', passwordStdin: false }],
  ])('%j → %j', (argv, expected) => {
    const { line, out, err } = reading(argv);
    expect(line).toEqual({ kind: 'run', ...expected });
    expect([out, err]).toEqual(['', '']);
  });

  it.each([[[]], [['add']], [['delete', 'gerant@cinema.fr']], [['add', 'a@b.fr', 'c@d.fr']], [['remove', 'gerant@cinema.fr', '--password-stdin']]])(
    'refuses %j with the usage on stderr (exit 2)',
    (argv) => {
      const { line, out, err } = reading(argv);
      expect(line).toEqual({ kind: 'exit', code: 2 });
      expect(out).toBe('');
      expect(err).toBe(`${OWNER_USAGE}\n`);
    },
  );

  it('names an unknown option before the usage (exit 2)', () => {
    const { line, err } = reading(['add', 'gerant@cinema.fr', '--pasword-stdin']);
    expect(line).toEqual({ kind: 'exit', code: 2 });
    expect(err).toMatch(/^Unknown option '--pasword-stdin'.*\n\nUsage: npm run owner/s);
  });

  it('prints the usage on stdout for --help and -h (exit 0)', () => {
    for (const flag of ['--help', '-h']) {
      const { line, out, err } = reading([flag]);
      expect(line).toEqual({ kind: 'exit', code: 0 });
      expect([out, err]).toEqual([`${OWNER_USAGE}\n`, '']);
    }
  });
});
