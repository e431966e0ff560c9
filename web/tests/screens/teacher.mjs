// The teacher's journal beyond keyboard entry (issue 8): a column's work type (F2) is the lesson's on the server,
// marks typed into it get that type, marks queued before a change keep theirs, an old queued entry without a type
// takes the lesson's, and a change of the column's type carries its saved marks of the old type along; the term
// mark beside the suggested one, saved from the keyboard, a conflict showing the API's message, removed with "—";
// the lesson topic picked from the КТП and linked to it. A parent is refused the journal. Everything changed is put
// back at the end (the lesson's type, topic and plan link, the marks, the term mark).
import { lessonDay } from '../lib.mjs';

const classID = '2026-5a';
const child = 'student-136'; // the demo parent's child; journal.mjs uses its row and the next one

export default async function teacher(ctx) {
  const { base, check } = ctx;
  const { date, lessonID, subjectID } = await lessonDay(base, classID);
  const api = await ctx.api('teacher');
  const { items: years } = await api.get('/v1/years');
  const year = years.find((y) => y.start <= date && date <= y.end);
  const term = year.terms.find((t) => t.start <= date && date <= t.end);
  const journalPath = `/v1/classes/${classID}/journal?subject_id=${subjectID}&term_id=${term.id}`;
  const sheetPath = `/v1/classes/${classID}/term-marks?subject_id=${subjectID}&term_id=${term.id}`;

  // The row this scenario writes in: the last student of the class, away from journal.mjs's rows.
  const before = await api.get(journalPath);
  const student = [...before.students].reverse().find((s) => s.id !== child && s.id !== before.students[before.students.findIndex((x) => x.id === child) + 1]?.id);
  const cellMarks = async () => (await api.get(journalPath)).students.find((s) => s.id === student.id).cells[lessonID]?.marks ?? [];
  const clearCell = async () => {
    for (const m of await cellMarks()) await api.send('DELETE', `/v1/marks/${encodeURIComponent(m.id)}?version=${m.version ?? 1}`);
  };
  await clearCell(); // left by an interrupted run

  // A КТП for the class and subject: the one there is, or a small one made for this run (deleted at the end).
  const plans = `/v1/years/${year.id}/plans`;
  let plan = (await api.get(`${plans}?class_id=${classID}`)).items.find((p) => p.subject_id === subjectID && !p.group_id);
  let madePlan = null;
  if (!plan) {
    const r = await api.send('POST', plans, {
      class_id: classID,
      subject_id: subjectID,
      topics: [
        { section: 'Введение', title: 'Что изучает география', hours: 1 },
        { section: 'Введение', title: 'Как люди открывали Землю', hours: 2 },
        { section: 'Земля во Вселенной', title: 'Солнечная система', hours: 1 },
        { section: 'Земля во Вселенной', title: 'Форма и размеры Земли', hours: 1 },
      ],
    });
    check(r.status === 201, `a КТП for ${classID} ${subjectID} is made for the check (${r.status} ${JSON.stringify(r.body?.error ?? '')})`);
    plan = madePlan = r.body;
  }
  const lessonBefore = await api.get(`/v1/lessons/${lessonID}`);
  const sheetBefore = (await api.get(sheetPath)).items.find((x) => x.student_id === student.id);
  const termBefore = sheetBefore.confirmed; // null when never set

  const journalHash = `#/journal/${classID}/${subjectID}/${term.id}?lesson=${encodeURIComponent(lessonID)}`;
  const { context, page } = await ctx.as('teacher', { width: 1280, height: 800 });
  try {
    const cell = page.locator(`td[data-student="${student.id}"][data-lesson="${lessonID}"]`);
    const settled = () => page.waitForFunction(() => {
      const s = document.querySelector('.status');
      return s && s.getAttribute('data-pending') === '0' && s.getAttribute('data-state') === 'saved';
    });
    await ctx.open(page, journalHash, `td[data-lesson="${lessonID}"]`);
    const header = page.locator('.grid thead th.current');

    // Work type per column: F2 from a cell opens the column's type, Escape goes back to the cell.
    const typesLoaded = () => page.locator('.wt-pick select:enabled').waitFor();
    await typesLoaded();
    await cell.click();
    await page.keyboard.press('F2');
    const typeSelect = page.locator('.wt-pick select');
    check(await typeSelect.evaluate((el) => el === document.activeElement), 'F2 in a cell focuses the column’s work type');
    const defaultType = await typeSelect.inputValue();
    await typeSelect.selectOption('independent');
    await page.keyboard.press('Escape');
    check(await cell.evaluate((el) => el === document.activeElement), 'Escape goes back to the cell');
    check((await header.locator('small.wt').textContent()) === 'СР', 'the column header shows the work type (СР)');
    // (Polled: when an interrupted run left the type there, nothing is sent.)
    let typed = '';
    for (let i = 0; i < 50 && typed !== 'independent'; i++) {
      if (i) await page.waitForTimeout(200);
      typed = (await api.get(`/v1/lessons/${lessonID}`)).work_type;
    }
    check(typed === 'independent', 'the lesson has the work type on the server');

    // Offline, a mark typed as "independent" waits in the queue; the column becomes "oral" and the next mark is oral.
    await context.setOffline(true);
    await page.keyboard.type('4');
    await page.waitForFunction(() => document.querySelector('.status')?.getAttribute('data-state') === 'offline');
    await page.keyboard.press('F2');
    await typeSelect.selectOption('oral');
    await page.keyboard.press('Escape');
    await page.keyboard.type('5');
    const queued = (await cell.locator('.mark.pending').evaluateAll((ms) => ms.map((m) => `${m.textContent}:${m.dataset.wt}`))).join(' ');
    check(queued === '4:independent 5:oral', `queued marks keep the type of their column when typed (${queued})`);
    check((await header.locator('small.wt').textContent()) === 'Уст', 'offline, the column shows the type chosen, waiting to be sent (Уст)');
    await context.setOffline(false);
    await settled();
    check((await api.get(`/v1/lessons/${lessonID}`)).work_type === 'oral', 'the type chosen offline reaches the server once the network returns');

    // An entry queued by an older version of the app (no work_type) still sends, and takes the lesson's type.
    const me = await api.get('/v1/me');
    await page.evaluate(({ key, entry }) => {
      const q = JSON.parse(localStorage.getItem(key) || '{}');
      localStorage.setItem(key, JSON.stringify({ entries: [...(q.entries ?? []), entry], failed: q.failed ?? [] }));
    }, { key: `ej.queue.${me.id}`, entry: { id: `old${Date.now().toString(36)}`, kind: 'mark', lesson_id: lessonID, student_id: student.id, value: 3, date } });
    await page.reload();
    await cell.waitFor();
    await typesLoaded();
    await settled();
    await page.reload();
    await cell.waitFor();
    await typesLoaded();
    const shown = await cell.locator('.mark').evaluateAll((ms) => ms.map((m) => `${m.textContent}:${m.dataset.wt}`).sort());
    check(shown.join(' ') === '3:oral 4:independent 5:oral', `after a reload the cell shows each mark’s type (${shown.join(' ')})`);
    check((await cell.locator('.mark.heavy').getAttribute('title')).startsWith('Самостоятельная работа'), 'a heavier mark is marked and titled with its type');
    const saved = (await cellMarks()).map((m) => `${m.value}:${m.work_type}:${m.weight}`).sort();
    check(saved.join(' ') === '3:oral:1 4:independent:2 5:oral:1', `the API has the marks with their types and weights (${saved.join(' ')})`);
    check((await header.locator('small.wt').textContent()) === 'Уст', 'after a reload the column shows the lesson’s type from the server (Уст)');

    // The column becomes a test: its marks of the old type (oral) follow with the test's weight, the independent work stays.
    await cell.click();
    await page.keyboard.press('F2');
    await typeSelect.selectOption('test');
    await page.keyboard.press('Escape');
    await settled();
    const retyped = (await cellMarks()).map((m) => `${m.value}:${m.work_type}:${m.weight}`).sort();
    check(retyped.join(' ') === '3:test:3 4:independent:2 5:test:3', `the column’s oral marks became test marks (${retyped.join(' ')})`);
    await page.reload();
    await cell.waitFor();
    await typesLoaded();
    check((await header.locator('small.wt').textContent()) === 'КР', 'the column is a test after a reload (КР)');
    check((await cell.locator('.mark.heavy').count()) === 3, 'all three marks are heavier than the default now');
    await ctx.shot(page, 'teacher-journal-worktypes');

    // Term mark: the suggested mark beside it; typed in the term column, saved, seen after a reload.
    const termCell = page.locator(`td.term[data-term="${student.id}"]`);
    const termSelect = termCell.locator('select');
    const want = termBefore?.value === '5' ? '4' : '5';
    await cell.click();
    await page.keyboard.press('End');
    // Wait until End has moved the focus to the row's last lesson before the next key.
    await page.waitForFunction(() => {
      const a = document.activeElement;
      const row = a?.closest('tr');
      const cells = row ? [...row.querySelectorAll('td[data-lesson]')] : [];
      return cells.length > 0 && a === cells[cells.length - 1];
    }, undefined, { timeout: 5000 });
    await page.keyboard.press('ArrowRight');
    // Focus moves once the grid has re-rendered the new position: wait for it (at most 5 s) instead of sampling once.
    const reached = await termSelect.evaluate((el) => new Promise((done) => {
      const t0 = Date.now();
      const poll = () => (el === document.activeElement ? done(true) : Date.now() - t0 > 5000 ? done(false) : requestAnimationFrame(poll));
      poll();
    }));
    check(reached, 'End and → reach the term column from the keyboard');
    const suggested = await page.locator(`tr:has(td[data-term="${student.id}"]) td.sug`).textContent();
    check((await page.locator('#term-explain').textContent()).includes(`предложено ${suggested}`), `the term column explains the suggested mark (${suggested})`);
    await page.keyboard.type(want);
    await page.locator('.save-badge.saved').waitFor();
    check((await page.locator('.save-badge').textContent()).includes(want), `the term mark ${want} is saved and says so`);
    await ctx.axe(page, 'class journal, term column');
    await ctx.shot(page, 'teacher-journal-term');
    await page.reload();
    await termSelect.waitFor();
    await typesLoaded();
    check((await termSelect.inputValue()) === want, `the term mark ${want} is there after a reload`);

    // Someone else changes it meanwhile: the next change gets 409 with the API's message, and the list shows the
    // server's mark again.
    const now = (await api.get(sheetPath)).items.find((x) => x.student_id === student.id).confirmed;
    const other = want === '5' ? '4' : '5';
    const r409 = await api.send('PUT', '/v1/term-marks', { student_id: student.id, subject_id: subjectID, term_id: term.id, value: other, version: now.version });
    check(r409.status === 200, 'the term mark is changed behind the journal’s back');
    await termSelect.selectOption('3');
    const alert = page.locator('.gradebook p.error[role=alert]');
    await alert.waitFor();
    check((await alert.textContent()).length > 30, `a conflict shows the API's message (${await alert.textContent()})`);
    await page.waitForFunction(({ id, v }) => document.querySelector(`td.term[data-term="${id}"] select`)?.value === v, { id: student.id, v: other });
    check(true, 'after the conflict the journal shows the server’s term mark');
    await termSelect.selectOption(want);
    await page.locator('.save-badge.saved').waitFor();
    check(await alert.count() === 0, 'with the fresh version the term mark saves');

    // "—" removes the term mark: gone from the API, and from the journal after a reload.
    await termSelect.selectOption('');
    await page.waitForFunction(() => (document.querySelector('.save-badge.saved')?.textContent ?? '').includes('убрана'));
    check((await api.get(sheetPath)).items.find((x) => x.student_id === student.id).confirmed === null, 'the API no longer has the term mark');
    await page.reload();
    await termSelect.waitFor();
    await typesLoaded();
    check((await termSelect.inputValue()) === '', 'after a reload the term column shows “—”');

    // The lesson's topic from the КТП, the next untaught topic first.
    await cell.click();
    await page.getByRole('button', { name: 'Тема и д/з' }).click();
    const fromPlan = page.getByLabel('Из КТП');
    await fromPlan.waitFor();
    const first = (await fromPlan.locator('option').nth(1).textContent()) ?? '';
    check(first.includes('следующая'), `the next untaught topic is offered first (${first})`);
    await fromPlan.selectOption({ index: 1 });
    const title = await page.getByLabel('Тема', { exact: true }).inputValue();
    check(first.includes(title) && title.length > 0, `picking it fills the topic (${title})`);
    await ctx.axe(page, 'lesson form with the КТП');
    await ctx.shot(page, 'teacher-lesson-plan');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('button', { name: 'Тема и д/з' }).waitFor();
    await page.reload();
    await cell.waitFor();
    await typesLoaded();
    check((await page.locator('.lesson-info p').textContent()).includes(title), 'the КТП topic is saved');
    const linked = await api.get(`/v1/lessons/${lessonID}`);
    const topicID = plan.topics.find((x) => x.title === title)?.id;
    check(linked.topic === title && linked.plan_topic_id === topicID, `the API has the lesson’s new topic, linked to the plan’s topic (${linked.plan_topic_id})`);
    const progress = await api.get(`${plans}/${encodeURIComponent(plan.id)}/progress`);
    const counted = progress.topics.find((x) => x.id === topicID);
    check(counted && counted.held + counted.scheduled >= 1, 'the plan’s progress counts the lesson toward the topic');

    // On a phone the journal scrolls inside its frame; the type and term controls fit.
    await page.setViewportSize({ width: 360, height: 740 });
    await cell.waitFor();
    await ctx.fits(page, 'the journal at 360 px');
    await ctx.shot(page, 'teacher-journal-types-360');

    // Free text unlinks the lesson from the plan: put the topic back through the form.
    await page.setViewportSize({ width: 1280, height: 800 });
    const freeText = `Повторение ${Date.now()}`;
    await page.getByRole('button', { name: 'Тема и д/з' }).click();
    await page.getByLabel('Тема', { exact: true }).fill(freeText);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('button', { name: 'Тема и д/з' }).waitFor();
    const unlinked = await api.get(`/v1/lessons/${lessonID}`);
    check(unlinked.topic === freeText && !unlinked.plan_topic_id, 'a topic typed by hand is saved unlinked from the plan');
  } finally {
    // Put back what is left even when a check failed: the marks, the lesson's type, topic and plan link, the term
    // mark (removed if there was none before), the КТП made for this run.
    await context.close();
    await clearCell();
    const lesson = await api.get(`/v1/lessons/${lessonID}`);
    const back = { topic: lessonBefore.topic ?? '', plan_topic_id: lessonBefore.plan_topic_id ?? '', work_type: lessonBefore.work_type ?? '' };
    if (Object.entries(back).some(([k, v]) => (lesson[k] ?? '') !== v)) {
      const r = await api.send('PATCH', `/v1/lessons/${lessonID}`, { ...back, version: lesson.version });
      check(r.status === 200, `the lesson is put back (${r.status} ${JSON.stringify(r.body?.error ?? '')})`);
    }
    const cur = (await api.get(sheetPath)).items.find((x) => x.student_id === student.id).confirmed;
    const termMark = `/v1/term-marks/${student.id}/${subjectID}/${term.id}`;
    if (termBefore && cur?.value !== termBefore.value) {
      await api.send('PUT', '/v1/term-marks', { student_id: student.id, subject_id: subjectID, term_id: term.id, value: termBefore.value, ...(cur ? { version: cur.version } : {}) });
    } else if (!termBefore && cur) {
      await api.send('DELETE', `${termMark}?version=${cur.version}`);
    }
    if (madePlan) await api.send('DELETE', `${plans}/${encodeURIComponent(madePlan.id)}?version=${madePlan.version}`);
  }
  check((await cellMarks()).length === 0, 'the marks are removed');
  const lessonAfter = await api.get(`/v1/lessons/${lessonID}`);
  check((lessonAfter.topic ?? '') === (lessonBefore.topic ?? '') && (lessonAfter.plan_topic_id ?? '') === (lessonBefore.plan_topic_id ?? '') && (lessonAfter.work_type ?? '') === (lessonBefore.work_type ?? ''),
    'the lesson’s topic, plan link and work type are put back');
  const termAfter = (await api.get(sheetPath)).items.find((x) => x.student_id === student.id).confirmed;
  check((termAfter?.value ?? null) === (termBefore?.value ?? null), `the term mark is as it was (${termBefore?.value ?? 'none'})`);
  if (madePlan) check((await api.send('GET', `${plans}/${encodeURIComponent(madePlan.id)}`)).status === 404, 'the КТП made for the check is deleted');

  // A parent may not open a class journal nor set a term mark.
  const parent = await ctx.as('parent', { width: 360, height: 740 });
  check(await parent.page.locator('.menu a[href^="#/journal"]').count() === 0, 'the parent’s menu has no journal');
  await ctx.open(parent.page, journalHash, '.error[role=alert]');
  check(await parent.page.locator('td[data-lesson]').count() === 0, 'the parent is refused the class journal');
  await ctx.axe(parent.page, 'class journal refused to a parent');
  const parentAPI = await ctx.api('parent');
  const refused = await parentAPI.send('PUT', '/v1/term-marks', { student_id: child, subject_id: subjectID, term_id: term.id, value: '5' });
  check(refused.status === 403, `the API refuses a parent's term mark (${refused.status})`);
  await parent.context.close();
}
