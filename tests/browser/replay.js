#!/usr/bin/env node
// `cachecheck replay FILE --browser`: the steps of a counterexample in headless Chromium with real
// FullCalendar 6, against a calendar-server. cachecheck writes plan.json (the counterexample, the
// model replay's narration, each tab's FullCalendar view and browser zone, the server) and runs
//   node replay.js OUT/plan.json
// which writes OUT/step-NN.png (the step's tab after it), OUT/index.html (the timeline) and
// OUT/timeline.json (per step: the narration, what the browser did, the titles its tab shows).
//
// One browser context per user (its cookies: one session, one HTTP cache shared by its tabs), a
// page per tab. The page and the FullCalendar bundles come from a static server on 127.0.0.1 that
// also forwards /accounts/ and /oobc-management/ to the calendar-server, so the feed is
// same-origin, as in the application. Steps, as the model plays them (generate/*_actions.cpp):
//   open           log in (once per user), a new page, FullCalendar on the tab's view and date
//   refresh (F5)   reload; FullCalendar starts over on the date it showed
//   hard-refresh   the same with the browser cache disabled (Ctrl+Shift+R)
//   navigate       prev/next |delta| times; filter: the source again with the new extraParams
//   look           nothing happens (the picture shows the in-memory events)
//   click          GET the item's modal (404 for a deleted item: dangling)
//   create, edit   POST/PATCH with the CSRF token; delete: DELETE, then the tab removes the
//                  event from its calendar (the seed's optimistic removal)
//   advance, evict, evict-version, evict-random, flush, route: the admin API
//   concurrent     its steps one after another (a browser cannot force the interleaving)
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const { TIMEOUT_MS, fail, launchChromium, startStaticServer } = require('./lib');

const FEED = '/oobc-management/calendar/feed/';
const ITEMS = '/oobc-management/work-items/';

// Starts calendar-server on a free port; resolves to { url, stop }.
function startCalendarServer(binary, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`${binary} did not start in time`)); }, TIMEOUT_MS);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
      }
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${binary} exited with ${code} before listening`)); });
  });
}

// Forwards a request to the calendar-server as it came (method, path, headers, body).
function forward(base, req, res) {
  const target = new URL(base);
  const upstream = http.request({
    host: target.hostname, port: target.port, method: req.method, path: req.url,
    headers: { ...req.headers, host: target.host }, timeout: TIMEOUT_MS,
  }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('calendar-server timeout')));
  upstream.on('error', (e) => { res.writeHead(502, { 'Content-Type': 'application/json' }); res.end(JSON.stringify({ error: e.message })); });
  req.pipe(upstream);
}

async function admin(base, method, p, body) {
  const r = await fetch(base + p, {
    method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  return r.json().catch(() => ({}));
}

// In the page: FullCalendar on the tab's state; resolves when its feed has answered.
async function mount(page, tab) {
  await page.evaluate(async ({ t, feed, timeoutMs }) => {
    window.__loading = false;
    const params = {};
    if (t.type) params.type = t.type;
    if (t.status) params.status = t.status;
    const cal = new FullCalendar.Calendar(document.getElementById('calendar'), {
      initialView: t.view, initialDate: t.date, now: t.now, firstDay: t.firstDay, timeZone: 'local',
      height: 'auto', headerToolbar: { left: 'title', center: '', right: '' },
      events: { url: feed, extraParams: params },
      loading: (b) => { window.__loading = b; },
    });
    window.__calendar = cal;
    cal.render();
    await window.__settle(timeoutMs);
  }, { t: tab, feed: FEED, timeoutMs: TIMEOUT_MS });
}

const SETTLE = () => {
  window.__settle = async (timeoutMs) => {
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    while (window.__loading) {
      if (Date.now() - t0 > timeoutMs) throw new Error('the feed did not answer in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
};

async function main() {
  const planFile = process.argv[2];
  if (!planFile) fail('usage: replay.js PLAN.json (written by cachecheck replay --browser)');
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const script = plan.counterexample.script;
  const out = plan.out;
  fs.mkdirSync(out, { recursive: true });

  let server = plan.server.url ? { url: plan.server.url, stop: () => {} } : null;
  if (!server) server = await startCalendarServer(plan.server.binary, plan.server.args);
  const { server: web, origin } = await startStaticServer((req, res) => {
    if (!req.url.startsWith('/accounts/') && !req.url.startsWith('/oobc-management/')) return false;
    forward(server.url, req, res);
    return true;
  });
  const { browser, close } = await launchChromium();
  const rows = [];
  try {
    await admin(server.url, 'POST', '/__admin/reset', { users: script.setup.users, items: script.setup.items, visibility: script.setup.visibility });
    await admin(server.url, 'POST', '/__admin/clock', { now: script.setup.start_time });
    const nowDate = script.setup.start_time.slice(0, 10);
    const users = new Map();  // id → { context, csrf }
    const tabs = new Map();   // name → { page, state, user }
    let lastTab = null;

    const userContext = async (id, zone) => {
      if (users.has(id)) return users.get(id);
      const u = script.setup.users.find((x) => x.id === id);
      if (!u) throw new Error(`unknown user ${id}`);
      const context = await browser.newContext({ timezoneId: zone || 'UTC', locale: 'en-US', viewport: { width: 1100, height: 820 } });
      context.setDefaultTimeout(TIMEOUT_MS);
      await context.addInitScript(SETTLE);
      const r = await context.request.post(origin + '/accounts/login/', { form: { username: u.username, password: u.password }, timeout: TIMEOUT_MS });
      if (!r.ok()) throw new Error(`login as ${u.username}: ${r.status()}`);
      const csrf = (await context.cookies()).find((c) => c.name === 'csrftoken');
      const entry = { context, csrf: csrf ? csrf.value : '' };
      users.set(id, entry);
      return entry;
    };
    const api = async (userId, method, p, data) => {
      const { context, csrf } = await userContext(userId);
      const r = await context.request.fetch(origin + p, { method, data, headers: { 'X-CSRFToken': csrf }, timeout: TIMEOUT_MS });
      return { status: r.status(), body: await r.text() };
    };
    const shown = async (tab) => tab.page.evaluate(() => {
      const cal = window.__calendar;
      const { activeStart, activeEnd } = cal.view;
      return cal.getEvents().filter((e) => e.start < activeEnd && (e.end || e.start) >= activeStart).map((e) => e.title);
    });
    const currentDate = async (tab) => tab.page.evaluate(() => window.__calendar.formatIso(window.__calendar.getDate(), { omitTime: true }).slice(0, 10));
    const reload = async (tab, hard) => {
      tab.state.date = await currentDate(tab);
      const cdp = hard ? await tab.page.context().newCDPSession(tab.page) : null;
      if (cdp) { await cdp.send('Network.enable'); await cdp.send('Network.setCacheDisabled', { cacheDisabled: true }); }
      await tab.page.reload({ waitUntil: 'load' });
      await mount(tab.page, tab.state);
      if (cdp) { await cdp.send('Network.setCacheDisabled', { cacheDisabled: false }); await cdp.detach(); }
    };

    const play = async (step) => {
      switch (step.action) {
        case 'open': {
          const info = plan.tabs[step.tab];
          const { context } = await userContext(step.user, info.browser_time_zone);
          const page = await context.newPage();
          await page.goto(origin + '/', { waitUntil: 'load' });
          const tab = { page, user: step.user, state: {
            view: info.view, date: step.setup.focus, now: nowDate, firstDay: step.setup.first_day,
            type: step.type, status: step.status } };
          tabs.set(step.tab, tab);
          await mount(page, tab.state);
          return `${info.view} in ${info.browser_time_zone}`;
        }
        case 'refresh': await reload(tabs.get(step.tab), false); return 'reloaded (F5)';
        case 'hard-refresh': await reload(tabs.get(step.tab), true); return 'reloaded bypassing the cache';
        case 'navigate': {
          const tab = tabs.get(step.tab);
          await tab.page.evaluate(async ({ delta, timeoutMs }) => {
            for (let i = 0; i < Math.abs(delta); ++i) (delta < 0 ? window.__calendar.prev() : window.__calendar.next());
            await window.__settle(timeoutMs);
          }, { delta: step.delta, timeoutMs: TIMEOUT_MS });
          return step.delta < 0 ? `prev ×${-step.delta}` : `next ×${step.delta}`;
        }
        case 'filter': {
          const tab = tabs.get(step.tab);
          tab.state.type = step.type;
          tab.state.status = step.status;
          await tab.page.evaluate(async ({ t, feed, timeoutMs }) => {
            const cal = window.__calendar;
            cal.getEventSources().forEach((s) => s.remove());
            const params = {};
            if (t.type) params.type = t.type;
            if (t.status) params.status = t.status;
            cal.addEventSource({ url: feed, extraParams: params });
            await window.__settle(timeoutMs);
          }, { t: tab.state, feed: FEED, timeoutMs: TIMEOUT_MS });
          return 'the source again with the new filter';
        }
        case 'look': return 'no fetch';
        case 'click': {
          const r = await api(step.user, 'GET', `${ITEMS}${encodeURIComponent(step.item)}/modal/`);
          return `GET modal → ${r.status}`;
        }
        case 'create': { const r = await api(step.user, 'POST', ITEMS, step.fields); return `POST → ${r.status}`; }
        case 'edit': {
          const r = await api(step.user, 'PATCH', `${ITEMS}${encodeURIComponent(step.item)}/`, step.fields);
          return `PATCH → ${r.status}`;
        }
        case 'delete': {
          const r = await api(step.user, 'DELETE', `${ITEMS}${encodeURIComponent(step.item)}/delete/`);
          const tab = step.tab ? tabs.get(step.tab) : null;
          if (tab && r.status === 200)
            await tab.page.evaluate((id) => { const e = window.__calendar.getEventById(`work-item-${id}`); if (e) e.remove(); }, step.item);
          return `DELETE → ${r.status}${tab ? ', removed from the tab' : ''}`;
        }
        case 'advance': await admin(server.url, 'POST', '/__admin/clock', { advance_s: step.seconds }); return `clock +${step.seconds} s`;
        case 'evict': await admin(server.url, 'POST', '/__admin/cache/evict', { keys: step.keys }); return 'evicted keys';
        case 'evict-version':
          await admin(server.url, 'POST', '/__admin/cache/evict', { keys: [step.user == null ? 'calendar_version:global' : `calendar_version:${step.user}`] });
          return 'evicted the version key';
        case 'evict-random': await admin(server.url, 'POST', '/__admin/cache/evict', { random: step.count }); return `evicted ${step.count} at random`;
        case 'flush': await admin(server.url, 'POST', '/__admin/cache/flush', {}); return 'cache flushed';
        case 'route': await admin(server.url, 'POST', '/__admin/route', { worker: step.worker ?? null }); return 'routed';
        case 'concurrent': {
          const notes = [];
          for (const s of step.group) notes.push(`${s.action}: ${await play(s)}`);
          return `one after another here: ${notes.join('; ')}`;
        }
        default: return `not replayed in the browser (${step.action})`;
      }
    };

    const tabOf = (step) => step.tab || (step.action === 'concurrent' ? (step.group.find((s) => s.tab) || {}).tab : null);
    for (let i = 0; i < script.steps.length; ++i) {
      const step = script.steps[i];
      const note = await play(step);
      const name = tabOf(step) || lastTab;
      lastTab = name || lastTab;
      const row = { n: i + 1, narration: plan.timeline[i] || step.action, note, tab: name, shot: null, shown: [] };
      const tab = name ? tabs.get(name) : null;
      if (tab) {
        row.shot = `step-${String(i + 1).padStart(2, '0')}.png`;
        row.shown = await shown(tab);
        // The step where the model's replay saw the violation (its line carries ✗): the event in
        // red, its title saying so, before the picture.
        const v = plan.violation;
        if (v && v.tab === name && row.narration.includes('✗'))
          row.marked = await tab.page.evaluate(({ id, kind }) => {
            const e = window.__calendar.getEventById(`work-item-${id}`);
            if (!e) return false;
            e.setProp('color', '#c62828');
            e.setProp('title', `${e.title} ✗ ${kind}`);
            return true;
          }, { id: v.item, kind: v.kind });
        await tab.page.screenshot({ path: path.join(out, row.shot), fullPage: true, timeout: TIMEOUT_MS });
      }
      rows.push(row);
      console.log(`  browser ${row.n}. ${note}${tab ? ` → shows: ${row.shown.map((t) => `'${t}'`).join(' ') || 'nothing'}` : ''}`);
    }
  } finally {
    await close();
    web.close();
    server.stop();
  }
  fs.writeFileSync(path.join(out, 'index.html'), timelineHtml(plan, rows));
  fs.writeFileSync(path.join(out, 'timeline.json'), JSON.stringify(rows, null, 1) + '\n');
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function timelineHtml(plan, rows) {
  const c = plan.counterexample;
  const v = plan.violation;
  const stale = v ? (c.script.setup.items.find((it) => it.id === v.item) || {}).title : null;
  const head = `<h1>${esc(c.strategy)} × ${esc(c.scenario)} in Chromium</h1>
<p>${esc(plan.file)} — real FullCalendar 6 against calendar-server (strategy ${esc(c.config.strategy)}).
${v ? `The model's replay shows <b>${esc(v.kind)}</b>: '${esc(stale || v.item)}' in tab ${esc(v.tab)} (layer ${esc(v.layer)}).` : 'The model\'s replay shows no violation.'}</p>`;
  const body = rows.map((r) => `<section><h2>${r.n}. ${esc(r.narration)}</h2>
<p>browser: ${esc(r.note)}${r.tab ? ` — tab ${esc(r.tab)} shows ${r.shown.length ? r.shown.map((t) => `<span class="${t === stale ? 'stale' : ''}">'${esc(t)}'</span>`).join(' ') : 'nothing'}` : ''}</p>
${r.shot ? `<img src="${esc(r.shot)}" alt="step ${r.n}">` : ''}</section>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(c.strategy)} × ${esc(c.scenario)}</title>
<style>body{font-family:sans-serif;max-width:1150px;margin:1em auto}img{max-width:100%;border:1px solid #ccc}
section{margin-bottom:2em}.stale{background:#fdd;font-weight:bold}</style></head><body>
${head}
${body}
</body></html>
`;
}

main().catch((e) => fail(e.stack || String(e)));
