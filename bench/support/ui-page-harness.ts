/**
 * The script the UI bench puts into the page before the app loads. It defines `window.orgconnect` (the API the
 * renderer takes from an Electron preload when present) over the bench's contract-checked data, and
 * `window.__bench`, which times interactions inside the page: from the DOM event to the first frame after the
 * table shows the result, polled each animation frame — no Playwright round trip in the figure.
 *
 * Plain JavaScript in a string: it runs in the page, and this project's Node tsconfig has no DOM types.
 */
import type { UiStubData } from './ui-stub-data.js';

export function pageHarness(data: UiStubData): string {
  return `(() => {
  const data = ${JSON.stringify(data)};
  const listeners = new Set();
  const emit = (event) => { for (const listener of listeners) listener(event); };
  const ok = (value) => async () => structuredClone(value);
  const refused = async () => { throw { code: 'NOT_IN_BENCH', message: 'The UI bench does not do this.' }; };
  const control = async () => ({ runId: data.runId, status: 'running' });
  window.orgconnect = {
    profiles: { list: ok(data.profiles) },
    identity: { whoami: ok(data.identity) },
    org: { discover: ok(data.snapshot) },
    sso: { login: refused },
    plan: { create: ok(data.planned) },
    runs: { list: ok([]), get: ok(data.runState) },
    deploy: { start: control, pause: control, resume: control, cancel: control, retryFailed: control },
    health: {
      check: ok(data.health),
      watch: async (r) => ({ profile: r.profile, everyMinutes: r.everyMinutes ?? null }),
      series: ok({ series: [] }),
      timeline: ok({ entries: [] }),
    },
    disconnect: { plan: refused, start: refused },
    report: { export: refused },
    templates: { get: ok(data.templates), export: refused },
    cur: { status: ok({ status: 'pass', summary: 'CUR report bench meets the requirements of the platform.', bucket: 'bench-cur', report: 'CUR report bench' }) },
    mfa: { answer: async () => ({ accepted: false }) },
    platform: { describe: ok(data.platform) },
    onEvent(listener) { listeners.add(listener); return () => listeners.delete(listener); },
  };

  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const tableNamed = (name) => [...document.querySelectorAll('table')].find((table) => {
    if (table.getAttribute('aria-label') === name) return true;
    const ids = (table.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
    return ids.some((id) => (document.getElementById(id)?.textContent || '').trim() === name);
  });
  const rows = (name) => [...(tableNamed(name)?.querySelectorAll('tbody tr') || [])];
  const inputLabelled = (label) => document.querySelector('input[aria-label="' + label + '"]');
  const buttonNamed = (text) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === text);
  const setInput = (input, value) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const sortHeader = (table, header) => {
    const th = [...(tableNamed(table)?.querySelectorAll('thead th') || [])].find((cell) => cell.textContent.trim().startsWith(header));
    return th && (th.querySelector('[role="button"]') || th.querySelector('button') || th);
  };

  /** ms from the action to the first frame painted after the condition holds. */
  async function measure(action, done, timeoutMs = 60000) {
    const started = performance.now();
    action();
    while (!done()) {
      if (performance.now() - started > timeoutMs) throw new Error('timed out');
      await frame();
    }
    await frame();
    return performance.now() - started;
  }

  let monitor;
  const counts = { total: data.streamOrder.length, pending: data.streamOrder.length, deploying: 0, connected: 0, skipped: 0, failed: 0, cancelled: 0, unknown: 0 };
  let next = 0;
  const accountEvent = (target, state) => {
    if (state === 'deploying') { counts.pending -= 1; counts.deploying += 1; }
    else { counts.deploying -= 1; counts.connected += 1; }
    emit({ type: 'run-event', runId: data.runId, status: 'running', counts: { ...counts }, event: {
      type: 'account-state', at: new Date().toISOString(), accountId: target.accountId, kind: target.kind, state,
      ...(state === 'connected' ? { outcome: 'created', roleArn: 'arn:aws:iam::' + target.accountId + ':role/orgconnect-platform-' + target.kind } : {}),
    } });
  };
  /** One update: an account starts deploying, and the one that started 8 updates earlier connects. */
  const step = () => {
    const target = data.streamOrder[next];
    if (target) accountEvent(target, 'deploying');
    const finishing = data.streamOrder[next - 8];
    if (finishing) accountEvent(finishing, 'connected');
    next += 1;
  };

  /** One health update: the next connection flips between healthy and unhealthy (a failing role-trust check). */
  let nextHealth = 0;
  const healthStep = () => {
    const rows = data.health.connections;
    const row = rows[nextHealth % rows.length];
    const flips = Math.floor(nextHealth / rows.length) % 2 === 0;
    nextHealth += 1;
    const broken = flips ? row.overall === 'healthy' : row.overall !== 'healthy';
    emit({ type: 'health-checked', profile: 'bench', organizationId: data.health.organizationId, changed: true, connection: {
      ...row,
      overall: broken ? 'unhealthy' : 'healthy',
      checkedAt: new Date().toISOString(),
      checks: broken
        ? [{ id: 'role-trust', status: 'fail', summary: 'The role trusts 999999999999.', fix: 'Deploy the connection again.' }]
        : row.checks,
    } });
  };
  const streamWith = (update, ratePerSecond, durationMs) => new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * ratePerSecond);
      while (sent < due) { update(); sent += 1; }
      if (performance.now() - started >= durationMs) { clearInterval(timer); resolve(sent); }
    }, 1000 / ratePerSecond);
  });

  window.__bench = {
    rowCount: (table) => rows(table).length,
    firstRowText: (table) => rows(table)[0]?.textContent || '',
    measureClick: (text, table, minRows) => measure(() => buttonNamed(text).click(), () => rows(table).length >= minRows),
    measureFilter: (table, label, value, expectRows, expectText) => measure(
      () => setInput(inputLabelled(label), value),
      // expectRows < 0: any number above one (a cleared filter shows the page again, however the table pages it).
      () => (expectRows < 0 ? rows(table).length > 1 : rows(table).length === expectRows) &&
        (expectText === '' || rows(table)[0].textContent.includes(expectText))),
    measureSort: (table, header, expectFirst) => measure(
      () => sortHeader(table, header).click(),
      () => (rows(table)[0]?.textContent || '').includes(expectFirst)),
    measureText: (text, expected) => measure(() => buttonNamed(text).click(), () => document.body.textContent.includes(expected)),
    startFrames() {
      monitor = { last: performance.now(), longest: 0, frames: 0, over50: 0, running: true };
      const tick = (now) => {
        if (!monitor.running) return;
        const gap = now - monitor.last;
        monitor.last = now;
        monitor.frames += 1;
        if (gap > monitor.longest) monitor.longest = gap;
        if (gap > 50) monitor.over50 += 1;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    stopFrames() { monitor.running = false; return { frames: monitor.frames, longestFrameMs: monitor.longest, framesOver50ms: monitor.over50 }; },
    /** ratePerSecond updates for durationMs, each on its own timer tick, as host events arrive. */
    stream: (ratePerSecond, durationMs) => streamWith(step, ratePerSecond, durationMs),
    /** health-checked events at ratePerSecond for durationMs (the Health table's live updates). */
    streamHealth: (ratePerSecond, durationMs) => streamWith(healthStep, ratePerSecond, durationMs),
    /** The rest of the run at once (in chunks, off the measured part), then run-finished. */
    async finishRun() {
      while (next < data.streamOrder.length + 8) {
        for (let i = 0; i < 250; i++) step();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      emit({ type: 'run-event', runId: data.runId, status: 'finished', counts: { ...counts }, event: {
        type: 'run-finished', at: new Date().toISOString(), status: 'completed', counts: { ...counts } } });
    },
  };
})();`;
}
