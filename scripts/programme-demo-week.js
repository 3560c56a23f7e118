#!/usr/bin/env node
/**
 * docs/programme-demo.csv (the week of Wednesday 9 December 2026) moved to the next programme
 * week, the one starting on the coming Wednesday in Paris, or on the Wednesday given, so that
 * the demo's séances are never in the past (customers are not shown those).
 *
 *   node scripts/programme-demo-week.js > semaine.csv               the coming Wednesday's week
 *   node scripts/programme-demo-week.js 2027-01-06 > semaine.csv    that week
 *
 * The CSV goes to stdout; the week's Wednesday (what "publish" wants) to stderr.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const DEMO = join(__dirname, '..', 'docs', 'programme-demo.csv');
const DEMO_WEDNESDAY = '2026-12-09';
const DAY_MS = 86_400_000;

const dayNumber = (date) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function comingWednesday() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const weekday = new Date(`${today}T12:00:00Z`).getUTCDay();
  // Strictly after today: on a Wednesday, next week's (today's séances may be over).
  return dateOf(dayNumber(today) + 7 - ((weekday - 3 + 7) % 7));
}

const wanted = process.argv[2] ?? comingWednesday();
if (!/^\d{4}-\d\d-\d\d$/.test(wanted) || Number.isNaN(dayNumber(wanted)) || new Date(`${wanted}T12:00:00Z`).getUTCDay() !== 3) {
  process.stderr.write(`usage: node scripts/programme-demo-week.js [YYYY-MM-DD, a Wednesday]; got "${wanted}"\n`);
  process.exit(2);
}
const shift = dayNumber(wanted) - dayNumber(DEMO_WEDNESDAY);
// Only the first column is a date; the header line does not start with one.
const csv = readFileSync(DEMO, 'utf8').replace(/^(\d{4}-\d\d-\d\d),/gm, (_m, date) => `${dateOf(dayNumber(date) + shift)},`);
process.stdout.write(csv);
process.stderr.write(`${wanted}\n`);
