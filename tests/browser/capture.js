#!/usr/bin/env node
// The team's ground truth for the client model (issue 13): runs each configuration of a sample
// in real FullCalendar 6 (npm, pinned) in Debian's Chromium, headless, records the query string
// of every feed request as the server receives it on the request line, and compares them with
// `cachecheck requests` for the same configuration.
//
//   node capture.js --cachecheck build/bin/cachecheck [--sample sample.json] [--every K]
//                   [--only NAME] [--out captured.json]
//
// One browser context per configuration (its time zone is Playwright's timezoneId), the page
// from a static server on 127.0.0.1 whose /feed answers [] with no-store. An action is taken
// after the previous fetch has answered, as the model assumes; a request is attributed to the
// action that called fetch() synchronously. Exit 0 when every configuration matches, 1 when one
// differs, 2 when the environment is missing (Chromium, node_modules, cachecheck).
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { TIMEOUT_MS, fail, launchChromium, startStaticServer } = require('./lib');

function parseArgs(argv) {
  const a = { sample: path.join(__dirname, 'sample.json'), every: 1, only: null, out: null, cachecheck: null };
  for (let i = 2; i < argv.length; ++i) {
    const k = argv[i], v = argv[i + 1];
    if (k === '--sample') a.sample = v;
    else if (k === '--every') a.every = Number(v);
    else if (k === '--only') a.only = v;
    else if (k === '--out') a.out = v;
    else if (k === '--cachecheck') a.cachecheck = v;
    else if (k === '--help') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 16).join('\n'));
      process.exit(0);
    } else fail(`unknown argument ${k} (see --help)`);
    ++i;
  }
  if (!a.cachecheck) fail('--cachecheck PATH (the cachecheck binary) is required');
  if (!fs.existsSync(a.cachecheck)) fail(`${a.cachecheck} not found: build it first`);
  if (!(a.every >= 1)) fail('--every takes a number ≥ 1');
  return a;
}

// What the model says: `cachecheck requests` for the same configuration.
function modelLines(cachecheck, c) {
  const args = ['requests', '--client', c.view, '--date', c.date, '--now', c.now, '--first-day', String(c.firstDay),
    '--time-zone', c.timeZone, '--browser-time-zone', c.browserTimeZone,
    '--lazy-fetching', String(c.lazyFetching)];
  if (c.fixedWeekCount !== undefined) args.push('--fixed-week-count', String(c.fixedWeekCount));
  for (const [k, v] of c.extraParams) args.push('--extra-param', `${k}=${v}`);
  if (c.actions.length) args.push('--actions', c.actions.join(','));
  const r = spawnSync(cachecheck, args, { encoding: 'utf8', timeout: TIMEOUT_MS });
  if (r.status !== 0) return [`(cachecheck exit ${r.status}: ${(r.stderr || '').trim()})`];
  return r.stdout.trimEnd().split('\n');
}

// In the page: wrap fetch() to count calls; run the calendar; wait for the feed to answer.
const PAGE_HELPERS = () => {
  window.__fetches = 0;
  window.__pending = [];
  window.__loading = false;
  const original = window.fetch.bind(window);
  window.fetch = (...args) => {
    window.__fetches += 1;
    const p = original(...args);
    window.__pending.push(p.catch(() => {}));
    return p;
  };
  window.__idle = async (timeoutMs) => {
    const t0 = Date.now();
    for (;;) {
      const pending = window.__pending;
      window.__pending = [];
      await Promise.all(pending);
      await new Promise((r) => setTimeout(r, 5));
      if (!window.__pending.length && !window.__loading) return;
      if (Date.now() - t0 > timeoutMs) throw new Error('the feed did not answer in time');
    }
  };
};

async function runInBrowser(browser, origin, feedLog, c) {
  const context = await browser.newContext({ timezoneId: c.browserTimeZone, locale: 'en-US' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.addInitScript(PAGE_HELPERS);
    await page.goto(origin + '/', { waitUntil: 'load' });
    const lines = [];
    const take = async (started) => {
      const from = feedLog.taken;
      const deadline = Date.now() + TIMEOUT_MS;
      while (feedLog.lines.length - from < started && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const got = feedLog.lines.slice(from);
      feedLog.taken = feedLog.lines.length;
      if (got.length !== started) throw new Error(`fetch() called ${started} time(s) but the server saw ${got.length}`);
      lines.push(...(got.length ? got : ['(no request)']));
    };
    const options = {
      initialView: c.view, initialDate: c.date, now: c.now, firstDay: c.firstDay, timeZone: c.timeZone,
      lazyFetching: c.lazyFetching, extraParams: c.extraParams,
    };
    if (c.fixedWeekCount !== undefined) options.fixedWeekCount = c.fixedWeekCount;
    feedLog.taken = feedLog.lines.length;
    await take(await page.evaluate(async ({ o, timeoutMs }) => {
      const n0 = window.__fetches;
      const calendar = new FullCalendar.Calendar(document.getElementById('calendar'), {
        initialView: o.initialView, initialDate: o.initialDate, now: o.now, firstDay: o.firstDay,
        timeZone: o.timeZone, lazyFetching: o.lazyFetching,
        ...(o.fixedWeekCount === undefined ? {} : { fixedWeekCount: o.fixedWeekCount }),
        events: { url: '/feed', extraParams: Object.fromEntries(o.extraParams) },
        loading: (isLoading) => { window.__loading = isLoading; },
      });
      window.__calendar = calendar;
      calendar.render();
      const started = window.__fetches - n0;
      await window.__idle(timeoutMs);
      return started;
    }, { o: options, timeoutMs: TIMEOUT_MS }));
    for (const action of c.actions) {
      await take(await page.evaluate(async ({ a, timeoutMs }) => {
        const cal = window.__calendar;
        const n0 = window.__fetches;
        if (a === 'next') cal.next();
        else if (a === 'prev') cal.prev();
        else if (a === 'today') cal.today();
        else if (a === 'refetch') cal.refetchEvents();
        else if (a.startsWith('goto:')) cal.gotoDate(a.slice(5));
        else if (a.startsWith('view:')) cal.changeView(a.slice(5));
        else throw new Error(`unknown action ${a}`);
        const started = window.__fetches - n0;
        await window.__idle(timeoutMs);
        return started;
      }, { a: action, timeoutMs: TIMEOUT_MS }));
    }
    return lines;
  } finally {
    await context.close();
  }
}

async function main() {
  const args = parseArgs(process.argv);
  let sample = JSON.parse(fs.readFileSync(args.sample, 'utf8'));
  sample = sample.filter((c, i) => (args.only ? c.name === args.only : i % args.every === 0));
  if (!sample.length) fail('the selection is empty');
  const feedLog = { lines: [], taken: 0 };
  const { server, origin } = await startStaticServer((req, res) => {
    if (!req.url.startsWith('/feed')) return false;
    const q = req.url.indexOf('?');
    feedLog.lines.push(q < 0 ? '' : req.url.slice(q + 1));  // the raw query as on the request line
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end('[]');
    return true;
  });
  const { browser, close } = await launchChromium();
  const results = [];
  let matched = 0;
  try {
    for (const c of sample) {
      const browserLines = await runInBrowser(browser, origin, feedLog, c);
      const model = modelLines(args.cachecheck, c);
      const same = JSON.stringify(browserLines) === JSON.stringify(model);
      if (same) ++matched;
      results.push({ name: c.name, match: same, browser: browserLines, model });
      console.log(`${same ? 'ok  ' : 'DIFF'} ${c.name}`);
      if (!same) {
        const n = Math.max(browserLines.length, model.length);
        for (let i = 0; i < n; ++i) {
          const step = i === 0 ? 'load' : c.actions[i - 1] || '?';
          const mark = browserLines[i] === model[i] ? '  ' : '≠ ';
          console.log(`  ${mark}${step}\n      browser: ${browserLines[i]}\n      model:   ${model[i]}`);
        }
      }
    }
  } finally {
    await close();
    server.close();
  }
  console.log(`${matched} of ${sample.length} sampled configurations match`);
  if (args.out) fs.writeFileSync(args.out, JSON.stringify(results, null, 1) + '\n');
  process.exit(matched === sample.length ? 0 : 1);
}

main().catch((e) => fail(e.stack || String(e)));
