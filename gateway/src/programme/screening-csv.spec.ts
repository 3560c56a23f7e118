import { CsvFieldError, parseScreeningCsv } from './screening-csv';

const PARIS = 'Europe/Paris';

function problem(text: string): string {
  try {
    parseScreeningCsv(text, PARIS);
  } catch (error) {
    if (error instanceof CsvFieldError) return error.message;
    throw error;
  }
  throw new Error('no problem found');
}

describe('séance CSV', () => {
  it('reads comma or semicolon files, quoted fields, oui/non and labels into séance bodies', () => {
    const text =
      '\uFEFFdate,time,tconst,room,version,format,sme,ad,labels,price_note,booking_url\r\n' +
      '2027-10-30,20:30,tt0068646,Salle 1,vost,,oui,non,patrimoine|art-et-essai,"Tarif réduit, 5 €",https://billets.example/1\r\n' +
      '\r\n' +
      '2027-10-31,14h00,tt0110357,Salle 2,VF,3D,,,,,\n';
    expect(parseScreeningCsv(text, PARIS)).toEqual([
      {
        line: 2,
        input: {
          tconst: 'tt0068646',
          startsAt: '2027-10-30T20:30:00+02:00',
          room: 'Salle 1',
          version: 'VOST',
          accessibility: { sme: true, ad: false },
          labels: ['patrimoine', 'art-et-essai'],
          priceNote: 'Tarif réduit, 5 €',
          bookingUrl: 'https://billets.example/1',
        },
      },
      {
        line: 4,
        input: {
          tconst: 'tt0110357',
          startsAt: '2027-10-31T14:00:00+01:00',
          room: 'Salle 2',
          version: 'VF',
          format: '3D',
          accessibility: { sme: false, ad: false },
          labels: [],
          priceNote: null,
          bookingUrl: null,
        },
      },
    ]);
    const semicolons = 'date;time;tconst;room;version\n2027-10-30;20:30;tt0068646;Salle 1;VF\n';
    expect(parseScreeningCsv(semicolons, PARIS)[0]!.input.startsAt).toBe('2027-10-30T20:30:00+02:00');
  });

  it('names the line and the field of the first problem', () => {
    const head = 'date,time,tconst,room,version,booking_url\n';
    const good = '2027-10-30,20:30,tt0068646,Salle 1,VF,\n';
    expect(problem(`${head}${good}2027-02-30,20:30,tt0068646,Salle 1,VF,\n`)).toBe('line 3, field date: "2027-02-30" is not a date YYYY-MM-DD');
    expect(problem(`${head}${good}2027-10-30,25:00,tt0068646,Salle 1,VF,\n`)).toMatch(/^line 3, field time: /);
    expect(problem(`${head}${good}2027-10-30,20:30,tt68646,Salle 1,VF,\n`)).toMatch(/^line 3, field tconst: /);
    expect(problem(`${head}${good}2027-10-30,20:30,tt0068646,Salle 1,VOSTFR,\n`)).toMatch(/^line 3, field version: /);
    expect(problem(`${head}${good}2027-10-30,20:30,tt0068646,Salle 1,VF,http://billets.example\n`)).toMatch(/^line 3, field booking_url: /);
    // A quoted field may hold a newline: the next record is then on line 4.
    expect(problem(`${head}"2027-10-30\n",20:30,tt0068646,Salle 1,VF,\n2027-10-30,20:30,tt0068646,,VF,\n`)).toBe('line 4, field room: must NOT have fewer than 1 characters');
    expect(problem('date,time,tconst,salle,version\n')).toBe('line 1, field salle: unknown column; the columns are date,time,tconst,room,version,format,sme,ad,labels,price_note,booking_url');
    expect(problem('date,time,tconst,version\n')).toBe('line 1, field room: required column missing');
    expect(problem('date,time,tconst,room,version,sme\n2027-10-30,20:30,tt0068646,Salle 1,VF,peut-être\n')).toBe('line 2, field sme: "peut-être" is not oui/non');
    expect(problem('date,time,tconst,room,version,labels\n2027-10-30,20:30,tt0068646,Salle 1,VF,gala\n')).toMatch(/^line 2, field labels: /);
  });
});
