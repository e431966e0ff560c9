// Shared set-up of the browser tests: Debian's Chromium through playwright-core, sign-in, axe checks,
// screenshots, an API client for arranging data, and the checks every page must pass (no request to another
// host, no script error).
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export const password = process.env.DEMO_PASSWORD ?? 'demo12345';

/** check fails the run with what was expected, or prints it as passed. */
export function check(ok, what) {
  if (!ok) throw new Error(`FAILED: ${what}`);
  console.log(`ok - ${what}`);
}

/** api signs in through the API (not the browser) and returns a small JSON client acting as that login. */
export async function api(base, login, pass = password) {
  const r = await fetch(`${base}/v1/auth/login`, { method: 'POST', body: JSON.stringify({ login, password: pass }), headers: { 'Content-Type': 'application/json' } });
  if (!r.ok) throw new Error(`API sign-in as ${login}: ${r.status} ${await r.text()}`);
  const { access_token: token } = await r.json();
  const send = async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    token,
    send,
    async get(path) {
      const res = await send('GET', path);
      if (res.status !== 200) throw new Error(`GET ${path} as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}

/** lessonDay finds the latest school day up to today on which the demo teacher teaches class classID
 * (the demo's lessons are those of the current term), and that lesson's id. */
export async function lessonDay(base, classID) {
  const teacher = await api(base, 'teacher');
  const me = await teacher.get('/v1/me');
  const day = new Date();
  for (let i = 0; i < 120; i++, day.setDate(day.getDate() - 1)) {
    const d = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    const { items } = await teacher.get(`/v1/teachers/${me.id}/lessons?date=${d}`);
    const l = items.find((x) => x.class_id === classID);
    if (l) return { date: d, lessonID: l.id, subjectID: l.subject_id };
  }
  throw new Error(`no lesson of the demo teacher in ${classID} in the last 120 days: is the demo seeded?`);
}

/** start launches the browser and returns the context every scenario gets. */
export async function start({ base, out }) {
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const foreign = [];
  const errors = [];
  const screens = new Set();
  // The external sign-in provider (a test Gosuslugi) is the one other host the browser may visit.
  const allowed = [base, ...(process.env.OIDC_ISSUER ? [process.env.OIDC_ISSUER] : [])];

  const ctx = {
    base,
    out,
    browser,
    check,
    password,
    api: (login, pass) => api(base, login, pass),

    /** session opens a new browser context (its own storage) with one page. */
    async session(viewport = { width: 1280, height: 800 }, locale = 'ru-RU') {
      const context = await browser.newContext({ viewport, locale });
      const page = await context.newPage();
      page.on('request', (r) => {
        if (!allowed.some((a) => r.url().startsWith(a)) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      return { context, page };
    },

    /** signIn signs in on the sign-in screen and waits for the app's header. */
    async signIn(page, login, pass = password) {
      await page.goto(base + '/');
      await page.getByLabel('Логин').waitFor();
      await page.getByLabel('Логин').fill(login);
      await page.getByLabel('Пароль').fill(pass);
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.getByRole('button', { name: 'Выйти' }).waitFor();
    },

    /** as opens a signed-in page for a demo login: ctx.as('parent', {width: 360, height: 740}). */
    async as(login, viewport) {
      const s = await ctx.session(viewport);
      await ctx.signIn(s.page, login);
      return s;
    },

    /** axe checks the page for serious or critical accessibility violations. */
    async axe(page, screen) {
      const { violations } = await new AxeBuilder({ page }).analyze();
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      screens.add(screen);
      check(bad.length === 0, `axe: ${screen} has no serious or critical violation${bad.map((v) => `\n  ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`).join('')}`);
    },

    /** shot saves a screenshot as <out>/<name>.png. */
    async shot(page, name, fullPage = false) {
      await page.screenshot({ path: `${out}/${name}.png`, fullPage });
    },

    /** fits checks the page needs no horizontal scrolling at its width. */
    async fits(page, what) {
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
      check(scroll <= width, `${what} fits ${width} px (${scroll})`);
    },

    /** open goes to a hash route (e.g. '#/marks/student-136') and waits for the selector. */
    async open(page, hash, selector) {
      await page.goto(`${base}/${hash}`);
      if (selector) await page.locator(selector).first().waitFor();
    },

    async finish() {
      await browser.close();
      check(foreign.length === 0, `no request to another host (${foreign.join(', ')})`);
      check(errors.length === 0, `no script errors (${errors.join('; ')})`);
      console.log(`axe-checked screens: ${screens.size}`);
    },
  };
  return ctx;
}
