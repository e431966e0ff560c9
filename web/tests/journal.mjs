// The journal scenario (issue 8's must-show): the teacher enters marks and attendance with the keyboard only,
// reloads and sees them saved; a mark typed while the network is down is queued and saved when it returns;
// the parent sees them in the diary at 360 px and cannot open another child's diary; the teacher then takes
// the entries back. Run by run.mjs.
import { check, lessonDay } from './lib.mjs';

const child = 'student-136'; // the demo parent's child, in 5А

export default async function journal(ctx) {
  const { base, out } = ctx;
  const { session, axe } = ctx;
  const { date: lessonDate } = await lessonDay(base, '2026-5a');
  console.log(`lesson day: ${lessonDate}`);
  async function signIn(page, login) {
    await page.goto(base + '/');
    await page.getByLabel('Логин').waitFor();
    if (login === 'teacher') await axe(page, 'sign-in');
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Пароль').fill(ctx.password);
    await page.getByRole('button', { name: 'Войти' }).click();
  }

  async function settled(page) {
    await page.waitForFunction(() => {
      const s = document.querySelector('.status');
      return s && s.getAttribute('data-pending') === '0' && s.getAttribute('data-state') === 'saved';
    });
  }

  // oneTimePassword gives a person an account (or resets it) as the demo admin, through the API.
  async function oneTimePassword(person, login) {
    const api = (path, body, token) => fetch(base + path, {
      method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    const { access_token: admin } = await (await api('/v1/auth/login', { login: 'admin', password: ctx.password })).json();
    let r = await api(`/v1/people/${person}/account`, { login }, admin);
    if (r.status === 409) r = await api(`/v1/people/${person}/account/reset`, undefined, admin);
    if (!r.ok) throw new Error(`account for ${person}: ${r.status} ${await r.text()}`);
    return (await r.json()).one_time_password;
  }

  // setLesson sets the current lesson's topic and homework in the journal; it answers what they were.
  async function setLesson(page, topic, homework) {
    await page.getByRole('button', { name: 'Тема и д/з' }).click();
    const was = { topic: await page.getByLabel('Тема').inputValue(), homework: await page.getByLabel('Домашнее задание').inputValue() };
    await page.getByLabel('Тема').fill(topic);
    await page.getByLabel('Домашнее задание').fill(homework);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('button', { name: 'Тема и д/з' }).waitFor();
    return was;
  }

  // clear empties a journal cell with Backspace (each press takes back the last mark, then the absence).
  async function clear(page, td) {
    await td.click();
    const n = await td.locator('.mark, .att').count();
    if (!n) return;
    for (let i = 0; i < n; i++) await page.keyboard.press('Backspace');
    await settled(page);
  }

  // Teacher: the day's lessons, the 5А journal focused on that lesson's column.
  const { context, page } = await session({ width: 1280, height: 800 });
  await signIn(page, 'teacher');
  await page.goto(`${base}/#/?date=${lessonDate}`);
  const link = page.locator('a.lesson', { hasText: '5А' }).first();
  await link.waitFor();
  await page.screenshot({ path: `${out}/teacher-lessons.png` });
  await axe(page, 'teacher lessons');
  const href = await link.getAttribute('href');
  const lessonID = decodeURIComponent(href.split('lesson=')[1]);
  await link.click();

  // An expired access token is renewed with the refresh token on the next request.
  const oldRefresh = await page.evaluate(() => {
    const t = JSON.parse(localStorage.getItem('ej.tokens'));
    localStorage.setItem('ej.tokens', JSON.stringify({ ...t, expires_at: 0 }));
    return t.refresh_token;
  });
  await page.reload();
  const cell = (student) => page.locator(`td[data-student="${student}"][data-lesson="${lessonID}"]`);
  await cell(child).waitFor();
  check(await page.locator('td[tabindex="0"]').getAttribute('data-lesson') === lessonID, 'the journal opens on the lesson’s column');
  check(await page.evaluate((old) => JSON.parse(localStorage.getItem('ej.tokens')).refresh_token !== old, oldRefresh), 'an expired access token was renewed');

  // Keyboard only: go down to the child's row, type 5 and 4, move down with Enter, type н.
  const rows = await page.locator(`td[data-lesson="${lessonID}"]`).evaluateAll((tds) => tds.map((td) => td.dataset.student));
  const r = rows.indexOf(child);
  const next = rows[r + 1];
  await clear(page, cell(next));
  await clear(page, cell(child));
  await page.locator('td[tabindex="0"]').focus();
  for (let i = 0; i < r; i++) await page.keyboard.press('ArrowUp');
  for (let i = 0; i < r; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.type('54');
  await page.keyboard.press('Enter');
  // A Russian layout sends keydown with key "н"; Playwright cannot press a key missing from its US layout.
  await page.locator('td[tabindex="0"]').dispatchEvent('keydown', { key: 'н', code: 'KeyY', bubbles: true, cancelable: true });
  await settled(page);
  await page.screenshot({ path: `${out}/teacher-journal.png` });
  await axe(page, 'class journal');
  await page.reload();
  await cell(child).waitFor();
  const marks = await cell(child).locator('.mark').allTextContents();
  check([...marks].sort().join('') === '45', `marks 5 and 4 saved after reload (${marks.join(' ')})`);
  check((await cell(next).locator('.att').textContent()) === 'н', 'the absence is saved after reload');

  // The lesson's topic and homework.
  const topicBefore = await setLesson(page, 'Материки и океаны (проверка)', '§ 12, вопросы 1–3');
  check((await page.locator('.lesson-info p').textContent()).includes('Материки и океаны (проверка)'), 'the topic and homework are saved');

  // Offline: the mark waits in the queue, the header shows it, and it is sent when the network returns.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await cell(next).waitFor();
  check(true, 'offline, the service worker serves the app and the journal opens from the device');
  await cell(next).click();
  await page.keyboard.type('3');
  await cell(child).click();
  await page.keyboard.press('y'); // the key of н on a Latin layout
  await page.waitForFunction(() => document.querySelector('.status')?.getAttribute('data-state') === 'offline');
  check((await page.locator('.status').getAttribute('data-pending')) === '2', 'the offline mark and absence are pending (2)');
  await page.screenshot({ path: `${out}/teacher-offline.png` });
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.status')?.getAttribute('data-pending') === '2');
  check((await cell(next).locator('.mark.pending').count()) === 1, 'a reload while offline keeps the queue');
  await context.setOffline(false);
  await settled(page);
  await page.reload();
  await cell(next).waitFor();
  check((await cell(next).locator('.mark').allTextContents()).includes('3'), 'the queued mark is saved once the network returns');
  check((await cell(child).locator('.att').textContent()) === 'н', 'the queued absence (typed as Y) is saved too');

  // Parent at 360 px: the child's diary shows them; another child's diary is refused.
  const parent = await session({ width: 360, height: 740 });
  await signIn(parent.page, 'parent');
  await parent.page.goto(`${base}/#/diary/${child}/${lessonDate}`);
  const item = parent.page.locator(`li[data-lesson="${lessonID}"]`);
  await item.waitFor();
  const seen = await item.locator('.mark').allTextContents();
  check([...seen].sort().join('') === '45', `the parent sees 5 and 4 in the diary (${seen.join(' ')})`);
  check((await item.locator('.att').textContent()) === 'н', 'the parent sees the absence');
  check((await item.textContent()).includes('§ 12, вопросы 1–3'), 'the parent sees the topic and homework');
  const wide = await parent.page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 360, `the diary fits 360 px (${wide})`);
  await parent.page.screenshot({ path: `${out}/parent-diary-360.png`, fullPage: true });
  await axe(parent.page, 'diary at 360 px');
  await parent.page.goto(`${base}/#/diary/student-001/${lessonDate}`);
  await parent.page.locator('.error[role=alert]').waitFor();
  check(await parent.page.locator('li[data-lesson]').count() === 0, 'another child’s diary is refused');
  await parent.page.goto(`${base}/#/diary/${child}/${lessonDate}`);
  await item.waitFor();
  await parent.page.getByRole('button', { name: 'English' }).click();
  await parent.page.getByRole('button', { name: 'Sign out' }).waitFor();
  check(await parent.page.locator('h2', { hasText: 'Diary' }).count() === 1, 'the English switch translates the screen');
  await parent.page.reload();
  await parent.page.getByRole('button', { name: 'Sign out' }).waitFor();
  check(true, 'the language is kept across reloads');
  await parent.page.getByRole('button', { name: 'Русский' }).click();
  await parent.context.close();

  await setLesson(page, topicBefore.topic, topicBefore.homework);
  // Take the entries back with the keyboard: Backspace removes the last mark, then the absence.
  await clear(page, cell(child));
  await clear(page, cell(next));
  await page.reload();
  await cell(child).waitFor();
  check(await cell(child).locator('.mark, .att').count() === 0, 'Backspace removed the marks');

  // On a phone the buttons under the grid do what the keys do.
  await page.setViewportSize({ width: 360, height: 740 });
  await cell(child).click();
  await page.getByRole('button', { name: '5', exact: true }).click();
  await settled(page);
  check((await cell(child).locator('.mark').allTextContents()).join('') === '5', 'the 5 button gives a mark at 360 px');
  await page.screenshot({ path: `${out}/teacher-journal-360.png` });
  await axe(page, 'class journal at 360 px');
  await page.getByRole('button', { name: 'Убрать последнее' }).click();
  await settled(page);
  check(await cell(child).locator('.mark').count() === 0, 'the ⌫ button takes it back');
  check(await cell(next).locator('.mark, .att').count() === 0, 'Backspace removed the mark and the absence');
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.getByLabel('Логин').waitFor();
  check(await page.evaluate(() => localStorage.getItem('ej.tokens')) === null, 'sign-out forgets the session');
  await context.close();

  // Student: their own diary is the home screen.
  const student = await session({ width: 360, height: 740 });
  await signIn(student.page, 'student');
  await student.page.locator('.diary li[data-lesson]').first().waitFor();
  check(true, 'the student’s home is their diary');
  await student.context.close();

  // First sign-in with a one-time password asks for a new password, then opens the home screen.
  const otp = await oneTimePassword('parent-002-1', 'webcheck-parent');
  const fresh = await session({ width: 360, height: 740 });
  await fresh.page.goto(base + '/');
  await fresh.page.getByLabel('Логин').fill('webcheck-parent');
  await fresh.page.getByLabel('Пароль').fill(otp);
  await fresh.page.getByRole('button', { name: 'Войти' }).click();
  await fresh.page.getByLabel('Новый пароль').waitFor();
  await axe(fresh.page, 'password change');
  await fresh.page.getByLabel('Новый пароль').fill('Dnevnik-2026-proverka');
  await fresh.page.getByLabel('Повторите пароль').fill('Dnevnik-2026-proverka');
  await fresh.page.getByRole('button', { name: 'Сохранить' }).click();
  await fresh.page.locator('.diary h2').waitFor();
  check(true, 'first sign-in: the password is changed and the diary opens');
  await fresh.page.getByRole('link', { name: 'Сеансы' }).click();
  await fresh.page.locator('.sessions .badge').waitFor();
  await fresh.page.screenshot({ path: `${out}/sessions-360.png`, fullPage: true });
  await axe(fresh.page, 'sessions at 360 px');
  await fresh.page.getByRole('button', { name: 'Выйти на всех устройствах' }).click();
  await fresh.page.getByLabel('Логин').waitFor();
  check(await fresh.page.evaluate(() => localStorage.getItem('ej.tokens')) === null, 'sign-out everywhere ends the session');
  await fresh.context.close();

}
