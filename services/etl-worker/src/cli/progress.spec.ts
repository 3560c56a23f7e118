import { formatCount, ProgressPrinter } from './progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 100, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

const progress = { phase: 'title.principals', file: 'x', fileIndex: 6, fileCount: 7, bytesRead: 50, bytesTotal: 200, rowsRead: 12_345_678, rowsKept: 4_321 };

describe('ProgressPrinter', () => {
  it('redraws one bar in place on a terminal', () => {
    const { stream, writes } = fakeStream(true);
    const printer = new ProgressPrinter(stream);
    printer.update(progress);
    printer.update({ ...progress, bytesRead: 100 });
    printer.done();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\r██████░{18}  25% title\.principals \(file 6\/7\) · 12\.3 M rows read, 4\.3 k kept/);
    expect(writes[1]).toMatch(/^\r█{12}░{12}  50%/);
    expect(writes[2]).toBe('\n');
  });

  it('prints plain lines, at most one per interval, elsewhere', () => {
    const { stream, writes } = fakeStream(false);
    const printer = new ProgressPrinter(stream, 60_000);
    printer.update(progress);
    printer.update({ ...progress, bytesRead: 100 });
    printer.done();
    expect(writes).toEqual(['progress: title.principals (file 6/7) 25% · 12.3 M rows read, 4.3 k kept\n']);
  });

  it('formats counts for people', () => {
    expect([formatCount(999), formatCount(1500), formatCount(98_100_000)]).toEqual(['999', '1.5 k', '98.1 M']);
  });
});
