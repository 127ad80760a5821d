// What capture.js and replay.js share: Debian's Chromium launched headless through
// playwright-core, and a static server on 127.0.0.1 for the FullCalendar bundles (npm, pinned in
// package-lock.json) and the page that shows them.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

const CHROMIUM = process.env.CACHECHECK_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// The four bundles, in the order they must load (core defines window.FullCalendar; each plugin
// registers itself in FullCalendar.globalPlugins).
const BUNDLES = ['core', 'daygrid', 'timegrid', 'list'];
const TIMEOUT_MS = 15000;  // every wait on the browser or the network

function fail(message, code = 2) {
  process.stderr.write(`${path.basename(process.argv[1])}: ${message}\n`);
  process.exit(code);
}

function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch (e) {
    fail(`playwright-core is not installed in ${__dirname}/node_modules: run scripts/install-deps.sh (npm ci there)`);
  }
  return null;
}

async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} not found: install Debian's chromium (scripts/install-deps.sh)`);
  const { chromium } = loadPlaywright();
  // launch() starts Chromium on a fresh temporary user-data-dir of its own (it refuses one
  // given in args) and removes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: TIMEOUT_MS, args: CHROMIUM_ARGS,
  }).catch((e) => fail(`cannot launch ${CHROMIUM}: ${e.message.split('\n')[0]}`));
  const close = async () => {
    await browser.close().catch(() => {});
  };
  return { browser, close };
}

function bundlePath(name) {
  return path.join(__dirname, 'node_modules', '@fullcalendar', name, 'index.global.min.js');
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>cachecheck calendar</title>
${BUNDLES.map((b) => `<script src="/fc/${b}.js"></script>`).join('\n')}
<style>body{font-family:sans-serif;margin:8px}#calendar{max-width:1100px}</style>
</head><body><div id="calendar"></div></body></html>`;

// Serves the page at / and the bundles at /fc/NAME.js; `extra(req, res)` may answer anything else
// (true when it did). Resolves to { server, origin }.
function startStaticServer(extra = () => false) {
  for (const b of BUNDLES)
    if (!fs.existsSync(bundlePath(b)))
      fail(`${bundlePath(b)} missing: run scripts/install-deps.sh (npm ci in tests/browser)`);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const m = /^\/fc\/([a-z]+)\.js$/.exec(url.pathname);
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(PAGE);
    } else if (m && BUNDLES.includes(m[1])) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      fs.createReadStream(bundlePath(m[1])).pipe(res);
    } else if (!extra(req, res)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

module.exports = { CHROMIUM, TIMEOUT_MS, fail, launchChromium, startStaticServer };
