import { addressBucket, type TasteLimits, VisitLedger } from './visit-ledger';

const LIMITS: TasteLimits = { maxFilmsPerVisit: 5, maxVisitsPerAddressAndFilm: 2, maxVisitsPerAddress: 100, maxVisitsPerDay: 3 };
const A = 'tt0000001';
const B = 'tt0000002';
const C = 'tt0000003';
const D = 'tt0000004';
const VISIT_1 = '11111111-1111-4111-8111-111111111111';
const VISIT_2 = '22222222-2222-4222-8222-222222222222';
const VISIT_3 = '33333333-3333-4333-8333-333333333333';
const VISIT_4 = '44444444-4444-4444-8444-444444444444';

function clock(start = '2026-12-07T10:00:00Z') {
  let at = Date.parse(start);
  return { now: () => new Date(at), set: (iso: string) => (at = Date.parse(iso)) };
}

describe('VisitLedger', () => {
  it('counts a visit once: the same basket again adds nothing, a longer one adds its new film and the pairs it makes', () => {
    const ledger = new VisitLedger(LIMITS, clock().now);
    expect(ledger.admit(VISIT_1, '192.0.2.1', [B, A], [C]).contribution).toEqual({ likes: [B, A], dislikes: [C], pairs: [[A, B]] });
    expect(ledger.admit(VISIT_1, '192.0.2.1', [B, A], [C]).contribution).toEqual({ likes: [], dislikes: [], pairs: [] });
    // A film already counted as disliked stays so: the visit's first word on a film is kept.
    expect(ledger.admit(VISIT_1, '192.0.2.1', [A, B, C, D], []).contribution).toEqual({ likes: [D], dislikes: [], pairs: [[B, D], [A, D]] });
  });

  it('stops a visit at its film cap', () => {
    const ledger = new VisitLedger(LIMITS, clock().now);
    const films = Array.from({ length: 8 }, (_, i) => `tt10000${String(i).padStart(2, '0')}`);
    const { contribution } = ledger.admit(VISIT_1, '192.0.2.1', films, []);
    expect(contribution.likes).toEqual(films.slice(0, 5));
    expect(contribution.pairs).toHaveLength((5 * 4) / 2);
    expect(ledger.admit(VISIT_1, '192.0.2.1', films.slice(5), []).contribution.likes).toEqual([]);
  });

  it('lets one address count a film in at most the capped number of visits a day, whatever the visit ids', () => {
    const ledger = new VisitLedger({ ...LIMITS, maxVisitsPerDay: 100 }, clock().now);
    const counted = [VISIT_1, VISIT_2, VISIT_3, VISIT_4].map((visit) => ledger.admit(visit, '192.0.2.1', [A, B], []).contribution);
    expect(counted.map((c) => c.likes.length)).toEqual([2, 2, 0, 0]);
    expect(counted.map((c) => c.pairs.length)).toEqual([1, 1, 0, 0]);
    // Another address is another bucket; so is another /64, but not another address of the same /64.
    expect(ledger.admit(VISIT_3, '192.0.2.2', [A, B], []).contribution.likes).toEqual([A, B]);
    expect(ledger.admit('55555555-5555-4555-8555-555555555555', '2001:db8:1:2::1', [A, B], []).contribution.likes).toEqual([A, B]);
    expect(ledger.admit('66666666-6666-4666-8666-666666666666', '2001:db8:1:2::1', [A, B], []).contribution.likes).toEqual([A, B]);
    expect(ledger.admit('77777777-7777-4777-8777-777777777777', '2001:db8:1:2:ffff::9', [A, B], []).contribution.likes).toEqual([]);
    expect(ledger.admit('88888888-8888-4888-8888-888888888888', '2001:db8:1:3::1', [A, B], []).contribution.likes).toEqual([A, B]);
  });

  it('forgets the day when it changes: visits and buckets start again, under a new salt', () => {
    const c = clock('2026-12-07T23:59:00Z');
    const salts: Buffer[] = [];
    const ledger = new VisitLedger(LIMITS, c.now, () => {
      salts.push(Buffer.alloc(32, salts.length + 1));
      return salts[salts.length - 1]!;
    });
    expect(ledger.admit(VISIT_1, '192.0.2.1', [A, B], []).contribution.likes).toEqual([A, B]);
    expect(ledger.admit(VISIT_1, '192.0.2.1', [A, B], []).contribution.likes).toEqual([]);
    c.set('2026-12-08T00:00:01Z');
    expect(ledger.admit(VISIT_1, '192.0.2.1', [A, B], []).contribution.likes).toEqual([A, B]);
    expect(salts).toHaveLength(2);
    expect(salts[0]!.equals(salts[1]!)).toBe(false);
  });

  it('gives a failed write back: undo lets the same visit count the films again', () => {
    const ledger = new VisitLedger(LIMITS, clock().now);
    const first = ledger.admit(VISIT_1, '192.0.2.1', [A, B], []);
    first.undo();
    expect(ledger.admit(VISIT_1, '192.0.2.1', [A, B], []).contribution).toEqual({ likes: [A, B], dislikes: [], pairs: [[A, B]] });
    // The address's cap was given back too: two more visits may still count A.
    expect(ledger.admit(VISIT_2, '192.0.2.1', [A, C], []).contribution.likes).toEqual([A, C]);
    expect(ledger.admit(VISIT_3, '192.0.2.1', [A, D], []).contribution.likes).toEqual([D]);
  });

  it('pauses when the day has seen its maximum of visits, and says so', () => {
    const ledger = new VisitLedger(LIMITS, clock().now);
    for (const [i, visit] of [VISIT_1, VISIT_2, VISIT_3].entries()) expect(ledger.admit(visit, `192.0.2.${i}`, [A, B], []).paused).toBe(false);
    const fourth = ledger.admit(VISIT_4, '192.0.2.9', [A, B], []);
    expect(fourth).toMatchObject({ paused: true, contribution: { likes: [], dislikes: [], pairs: [] } });
    // A visit already known still counts its new films.
    expect(ledger.admit(VISIT_1, '192.0.2.0', [A, B, C], []).contribution.likes).toEqual([C]);
  });

  it('remembers only visits that taught something, and at most so many per address: invented visits cannot fill the day', () => {
    const ledger = new VisitLedger(LIMITS, clock().now);
    // Two visits reach the address's cap on A and B; a thousand more teach nothing and take no memory.
    for (let n = 0; n < 1000; n++) ledger.admit(`${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`, '192.0.2.1', [A, B], []);
    const other = ledger.admit(VISIT_4, '192.0.2.2', [A, B], []);
    expect(other).toMatchObject({ paused: false, contribution: { likes: [A, B] } });
    // One address's own limit of remembered visits.
    const strict = new VisitLedger({ ...LIMITS, maxVisitsPerAddress: 2, maxVisitsPerDay: 100 }, clock().now);
    expect(strict.admit(VISIT_1, '192.0.2.1', [A], []).contribution.likes).toEqual([A]);
    expect(strict.admit(VISIT_2, '192.0.2.1', [B], []).contribution.likes).toEqual([B]);
    expect(strict.admit(VISIT_3, '192.0.2.1', [C], []).contribution.likes).toEqual([]);
    expect(strict.admit(VISIT_1, '192.0.2.1', [A, D], []).contribution.likes).toEqual([D]);
    expect(strict.admit(VISIT_3, '192.0.2.9', [C], []).contribution.likes).toEqual([C]);
  });

  it('clear() forgets the visits (the owner wiped the store)', () => {
    const ledger = new VisitLedger(LIMITS, clock().now);
    ledger.admit(VISIT_1, '192.0.2.1', [A, B], []);
    ledger.clear();
    expect(ledger.admit(VISIT_1, '192.0.2.1', [A, B], []).contribution.likes).toEqual([A, B]);
  });
});

describe('addressBucket', () => {
  it('keeps an IPv4 address, unwraps an IPv4-mapped one, and cuts IPv6 to its /64 whatever its spelling', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:0:1::42')).toBe('2001:db8:0:1::/64');
    expect(addressBucket('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
