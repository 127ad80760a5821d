// Writes sample.json: the configurations capture.js runs in real FullCalendar and compares with
// `cachecheck requests`. Deterministic (no randomness): rerun after editing, commit both.
//
// Coverage, by construction: every view with a JSON feed × firstDay 0 and 1; browser zones with a
// daylight-saving change inside the range (New York in March, Berlin at the end of October,
// Sydney in early October and April, Santiago whose change is AT midnight) and without (Kolkata
// +05:30, Manila, UTC); the three timeZone modes (local, UTC, a named zone without plugin); every
// action (next, prev, today, goto, view, refetch) with lazyFetching on and off; fixedWeekCount
// absent, false and true (global); extraParams including an array-index key.
'use strict';

const fs = require('fs');
const path = require('path');

const views = ['dayGridMonth', 'dayGridWeek', 'dayGridDay', 'timeGridWeek', 'timeGridDay',
  'listDay', 'listWeek', 'listMonth', 'listYear'];
// [browser zone, initial date, now]: each date sits next to that zone's change.
const places = [
  ['America/New_York', '2026-03-10', '2026-03-02'],
  ['Europe/Berlin', '2025-10-26', '2025-11-03'],
  ['Australia/Sydney', '2025-10-05', '2026-04-05'],
  ['America/Santiago', '2025-09-07', '2025-09-01'],
  ['Asia/Kolkata', '2024-02-29', '2025-12-31'],
  ['Asia/Manila', '2025-10-15', '2025-10-15'],
  ['UTC', '2025-12-31', '2026-01-01'],
];
const timeZones = ['local', 'local', 'UTC', 'Europe/Berlin', 'America/New_York'];
const actionLists = [
  [],
  ['next', 'prev'],
  ['today', 'refetch'],
  ['goto:2025-11-20', 'prev', 'next'],
  ['view:timeGridWeek', 'view:dayGridMonth', 'next'],
  ['prev', 'prev', 'next', 'today'],
  ['view:listYear', 'goto:2025-03-30', 'view:listDay', 'refetch'],
  ['view:dayGridWeek', 'next', 'view:listMonth', 'today', 'view:timeGridDay', 'prev'],
];
const extraParams = [[], [['type', 'task']], [['status', 'in progress'], ['type', 'activity'], ['2', 'x']]];
const fixedWeekCounts = [undefined, undefined, false, true];

const sample = [];
let i = 0;
for (const view of views) {
  for (const firstDay of [0, 1]) {
    const [browserTimeZone, date, now] = places[i % places.length];
    sample.push({
      name: `${String(i).padStart(3, '0')}-${view}-fd${firstDay}`,
      view, date, now, firstDay,
      timeZone: timeZones[i % timeZones.length],
      browserTimeZone,
      fixedWeekCount: fixedWeekCounts[i % fixedWeekCounts.length],
      lazyFetching: i % 5 !== 3,
      extraParams: extraParams[i % extraParams.length],
      actions: actionLists[i % actionLists.length],
    });
    ++i;
  }
}
// Each place once with the same month view and every action, lazy on and off.
for (const [browserTimeZone, date, now] of places) {
  for (const lazyFetching of [true, false]) {
    sample.push({
      name: `${String(i).padStart(3, '0')}-tour-${browserTimeZone.replace('/', '_')}-lazy-${lazyFetching}`,
      view: 'dayGridMonth', date, now, firstDay: i % 2, timeZone: 'local', browserTimeZone,
      fixedWeekCount: undefined, lazyFetching, extraParams: [],
      actions: ['next', 'prev', 'view:timeGridWeek', 'refetch', 'today', 'view:listMonth', 'goto:2026-02-14',
        'view:dayGridMonth', 'prev'],
    });
    ++i;
  }
}
fs.writeFileSync(path.join(__dirname, 'sample.json'), JSON.stringify(sample, null, 1) + '\n');
console.log(`sample.json: ${sample.length} configurations`);
