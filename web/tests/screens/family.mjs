// Browser scenario of the family screens: marks, homework, debts and the timetable as a parent and a student
// at 360 px, the teacher's timetable at desktop width, and a parent refused another family's child.
// It arranges what the screens show through the API (a mark, homework, a term mark of 2 closed by a retake,
// a cancelled lesson) and takes back what it can (the mark, the homework, the cancellation).
const phone = { width: 360, height: 740 };
const desktop = { width: 1280, height: 800 };
const student = 'student-136';
const classID = '2026-5a';

const pad = (n) => String(n).padStart(2, '0');
const iso = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const addDays = (s, n) => {
  const d = new Date(`${s}T12:00:00`);
  d.setDate(d.getDate() + n);
  return iso(d);
};
const ru = (n) => n.toLocaleString('ru-RU', { maximumFractionDigits: 2 });

/** isoWeek is the ISO week (YYYY-Www) of a date. */
function isoWeek(s) {
  const d = new Date(`${s}T12:00:00`);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) + 3);
  const first = new Date(d.getFullYear(), 0, 4, 12);
  first.setDate(first.getDate() - ((first.getDay() + 6) % 7) + 3);
  return `${d.getFullYear()}-W${pad(1 + Math.round((d - first) / (7 * 86400000)))}`;
}

export default async function (ctx) {
  const { check } = ctx;
  const today = iso(new Date());
  const parentAPI = await ctx.api('parent');
  const teacherAPI = await ctx.api('teacher');
  const headAPI = await ctx.api('headteacher');
  const stamp = Date.now();

  // Arrange: the demo's geography lessons of 5А (the demo teacher's): one past in the current term, one coming.
  const { items: years } = await parentAPI.get('/v1/years');
  const year = years.find((y) => y.start <= today && today <= y.end);
  const term = year.terms.find((t) => t.start <= today && today <= t.end);
  const diary = await parentAPI.get(`/v1/students/${student}/diary?from=${term.start}&to=${addDays(today, 14)}`);
  const geo = diary.days.flatMap((d) => d.lessons.filter((l) => l.subject_id === 'geo').map((l) => ({ ...l, date: d.date })));
  const past = geo.find((l) => l.date < today); // the term's first: the journal scenario uses the latest
  const coming = geo.find((l) => l.date > today);
  check(past && coming, `5А has geography lessons before and after ${today} (${past?.date}, ${coming?.date})`);

  const summary = async () => (await parentAPI.get(`/v1/students/${student}/summary?term_id=${term.id}`)).subjects.find((s) => s.id === 'geo');

  // ---- Parent at 360 px: marks, then a mark given through the API appears after a reload.
  const p = await ctx.as('parent', phone);
  const page = p.page;
  await ctx.open(page, `#/marks/${student}`, '.family h3, .family [role=alert]');
  await page.locator('.family h3').first().waitFor();
  check(await page.locator('.family h2').innerText().then((t) => t.includes('Семёнова Агата')), 'marks: the child\'s name is in the heading');
  check(await page.locator('.tabs a[aria-current=page]').innerText() === term.name, `marks: the current term (${term.name}) is chosen`);

  const given = await teacherAPI.send('POST', `/v1/lessons/${past.lesson_id}/marks`, { marks: [{ student_id: student, value: 5, work_type: 'test', comment: `family ${stamp}` }] });
  check(given.status === 201 || given.status === 200, `teacher gives a test mark on ${past.date} (${given.status})`);
  const mark = given.body.marks[0];
  try {
    await page.reload();
    const row = page.locator('li[data-subject=geo]');
    await row.waitFor();
    const geoSum = await summary();
    check(geoSum && geoSum.average !== undefined, `API: geography average ${geoSum?.average}`);
    const rowText = await row.innerText();
    check(rowText.includes(geoSum.name), `marks: "${geoSum.name}" is shown`);
    check(await row.locator('.average').innerText() === ru(geoSum.average), `marks: the average ${ru(geoSum.average)} is the API's`);
    check(await row.locator('.chips > li').count() === geoSum.marks.length, `marks: ${geoSum.marks.length} geography marks shown`);
    check(await row.locator('.chips .weight').count() >= 1, 'marks: the test mark shows its weight');
    const expectTerm = geoSum.term_mark ?? geoSum.suggested;
    check(rowText.includes(expectTerm), `marks: the term mark or suggestion (${expectTerm}) is shown`);
    await page.locator('table.year').waitFor();
    check(await page.locator('table.year tbody tr').count() >= 1, 'marks: the year table lists subjects');
    await ctx.axe(page, 'family: marks (parent, 360 px)');
    await ctx.fits(page, 'marks (parent)');
    await ctx.shot(page, 'family-marks-parent-360', true);

    // ---- Homework: set on the coming geography lesson through the API, shown due on the next one.
    const lesson = await teacherAPI.get(`/v1/lessons/${coming.lesson_id}`);
    const text = `Параграф 7, вопросы 1–3 (проверка ${stamp})`;
    const setHW = await teacherAPI.send('PATCH', `/v1/lessons/${coming.lesson_id}`, { homework: text, homework_links: ['https://example.org/geo-7'], version: lesson.version });
    check(setHW.status === 200, `teacher sets homework on ${coming.date} (${setHW.status})`);
    try {
      await ctx.open(page, `#/homework/${student}`, '.homework');
      const item = page.locator(`li[data-lesson="${coming.lesson_id}"]`);
      await item.waitFor();
      check((await item.innerText()).includes(text), 'homework: the new homework is shown');
      check(await item.locator('a[href="https://example.org/geo-7"]').count() === 1, 'homework: its link is shown');
      const due = await item.evaluate((el) => el.closest('.hw-day').dataset.due);
      const next = geo.find((l) => l.date > coming.date)?.date ?? '';
      check(due === next, `homework: due on the next geography lesson (${next || 'unknown'})`);
      await ctx.axe(page, 'family: homework (parent, 360 px)');
      await ctx.fits(page, 'homework (parent)');
      await ctx.shot(page, 'family-homework-parent-360', true);

      // ---- Student at 360 px: homework and the timetable.
      const s = await ctx.as('student', phone);
      await ctx.open(s.page, '#/homework', '.homework');
      await s.page.locator(`li[data-lesson="${coming.lesson_id}"]`).waitFor();
      check(await s.page.locator('.family h2').innerText().then((t) => t.includes('Семёнова Агата')), 'student: own homework');
      await ctx.axe(s.page, 'family: homework (student, 360 px)');
      await ctx.fits(s.page, 'homework (student)');
      await ctx.shot(s.page, 'family-homework-student-360', true);
      await s.page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Расписание' }).click();
      await s.page.locator('article.day').first().waitFor();
      const week = await (await ctx.api('student')).get(`/v1/classes/${classID}/timetable`);
      const first = week.days.find((d) => d.slots.length);
      const shown = await s.page.locator(`article.day[data-date="${first.date}"] .tt-day > li`).count();
      check(shown === first.slots.length, `student timetable: ${first.date} has the API's ${first.slots.length} lessons`);
      check(await s.page.locator(`article.day[data-date="${first.date}"]`).innerText().then((t) => t.includes(first.slots[0].start) && t.includes(first.slots[0].room ?? '')), 'student timetable: bells and rooms shown');
      await ctx.axe(s.page, 'family: timetable (student, 360 px)');
      await ctx.fits(s.page, 'timetable (student)');
      await ctx.shot(s.page, 'family-timetable-student-360', true);
      await ctx.open(s.page, '#/marks', '.family h3');
      await ctx.axe(s.page, 'family: marks (student, 360 px)');
      await ctx.fits(s.page, 'marks (student)');
      await s.context.close();
    } finally {
      const now = await teacherAPI.get(`/v1/lessons/${coming.lesson_id}`);
      const back = await teacherAPI.send('PATCH', `/v1/lessons/${coming.lesson_id}`, { homework: lesson.homework ?? '', homework_links: lesson.homework_links ?? [], version: now.version });
      check(back.status === 200, `the homework is put back (${back.status})`);
    }

    // ---- Debts: a term mark of 2 in the previous term makes an open debt; a retake closes it.
    const prevTerm = [...year.terms].reverse().find((t) => t.end < today);
    const debtKey = (d) => d.subject_id === 'geo' && d.period === prevTerm.id;
    let debt = (await parentAPI.get(`/v1/students/${student}/debts`)).items.find(debtKey);
    let marker = teacherAPI;
    if (!debt) {
      const sheet = await teacherAPI.get(`/v1/classes/${classID}/term-marks?subject_id=geo&term_id=${prevTerm.id}`);
      const confirmed = (sheet.rows ?? sheet.items ?? []).find((r) => r.student_id === student)?.confirmed;
      if (!confirmed) {
        let put = await teacherAPI.send('PUT', '/v1/term-marks', { student_id: student, subject_id: 'geo', term_id: prevTerm.id, value: '2' });
        if (put.status === 403) {
          marker = headAPI;
          put = await headAPI.send('PUT', '/v1/term-marks', { student_id: student, subject_id: 'geo', term_id: prevTerm.id, value: '2' });
        }
        check(put.status === 200 || put.status === 201, `a term mark of 2 in geography for ${prevTerm.name} (${put.status} ${JSON.stringify(put.body?.error ?? '')})`);
        debt = (await parentAPI.get(`/v1/students/${student}/debts`)).items.find(debtKey);
      }
    }
    await ctx.open(page, `#/debts/${student}`, '.family .card + .card, .family [role=status]:not(:empty)');
    await page.locator('.debts, .family p[role=status]').first().waitFor();
    if (debt && debt.retake_value === undefined) {
      const open = page.locator('.debts').first().locator(`li[data-subject=geo][data-period="${prevTerm.id}"]`);
      await open.waitFor();
      check((await open.innerText()).includes('География') && (await open.innerText()).includes(prevTerm.name), 'debts: the open geography debt is listed with its term');
      await ctx.shot(page, 'family-debts-open-360', true);
      const close = await marker.send('POST', `/v1/students/${student}/debts/close`, { subject_id: 'geo', term_id: prevTerm.id, retake_value: 4, retake_date: today, version: debt.version });
      check(close.status === 200, `the debt is closed by a retake (${close.status} ${JSON.stringify(close.body?.error ?? '')})`);
      debt = (await parentAPI.get(`/v1/students/${student}/debts`)).items.find(debtKey);
      await page.reload();
    }
    const all = (await parentAPI.get(`/v1/students/${student}/debts`)).items;
    if (debt) {
      const closed = page.locator('.debts').last().locator(`li[data-subject=geo][data-period="${prevTerm.id}"]`);
      await closed.waitFor();
      check(debt.retake_value !== undefined && (await closed.innerText()).includes(`на ${debt.retake_value}`), `debts: the closed debt shows its retake (${debt.retake_value}, ${debt.retake_date})`);
    }
    check(await page.locator('.debts li[data-subject]').count() === all.length, `debts: the API's ${all.length} debts are listed`);
    await ctx.axe(page, 'family: debts (parent, 360 px)');
    await ctx.fits(page, 'debts (parent)');
    await ctx.shot(page, 'family-debts-parent-360', true);

    // ---- Timetable: a lesson cancelled through the API in two weeks' time shows for the class and the teacher.
    const target = isoWeek(addDays(today, 14));
    const tw = await parentAPI.get(`/v1/classes/${classID}/timetable?week=${target}`);
    const day = tw.days.find((d) => d.slots.some((x) => x.subject_id === 'geo' && !x.substitution));
    check(day, `a geography lesson of 5А in ${target}`);
    const slot = day.slots.find((x) => x.subject_id === 'geo' && !x.substitution);
    const reason = `проверка ${stamp}`;
    const sub = await headAPI.send('POST', `/v1/years/${year.id}/substitutions`, { entry_id: slot.entry_id, date: day.date, cancelled: true, reason });
    check(sub.status === 201 || sub.status === 200, `head teacher cancels the ${day.date} geography lesson (${sub.status} ${JSON.stringify(sub.body?.error ?? '')})`);
    try {
      await ctx.open(page, `#/timetable/class/${classID}`, 'article.day');
      await ctx.axe(page, 'family: timetable (parent, 360 px)');
      await ctx.fits(page, 'timetable (parent)');
      await ctx.shot(page, 'family-timetable-parent-360', true);
      await page.getByRole('button', { name: 'Следующая неделя' }).click();
      await page.waitForURL(`**/timetable/class/${classID}/${isoWeek(addDays(today, 7))}`);
      await page.getByRole('button', { name: 'Следующая неделя' }).click();
      await page.waitForURL(`**/timetable/class/${classID}/${target}`);
      const cell = page.locator(`article.day[data-date="${day.date}"] .slot[data-entry="${slot.entry_id}"]`);
      await cell.waitFor();
      const cellText = await cell.innerText();
      check(cellText.includes('Урок отменён') && cellText.includes(reason), 'parent timetable: the cancelled lesson and its reason are shown');
      check(await page.getByRole('button', { name: 'Эта неделя' }).count() === 1, 'parent timetable: a way back to this week');
      await ctx.shot(page, 'family-timetable-parent-cancelled-360', true);

      // The teacher's own week at desktop width: a grid with bells, rooms and the cancellation.
      const t = await ctx.as('teacher', desktop);
      await t.page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Расписание' }).click();
      await t.page.locator('table.tt-grid').waitFor();
      check(await t.page.locator('.family h2').innerText() === 'Моё расписание', 'teacher: own timetable from the menu, as a grid');
      const tweek = await teacherAPI.get('/v1/teachers/teacher-20/timetable');
      const lessons = tweek.days.reduce((n, d) => n + d.slots.length, 0);
      check(await t.page.locator('table.tt-grid .slot').count() === lessons, `teacher timetable: the API's ${lessons} lessons of the week`);
      await ctx.axe(t.page, 'family: timetable (teacher, desktop)');
      await ctx.shot(t.page, 'family-timetable-teacher-desktop');
      const tcell = `table.tt-grid td[data-date="${day.date}"] .slot[data-entry="${slot.entry_id}"]`;
      await ctx.open(t.page, `#/timetable/teacher/teacher-20/${target}`, tcell);
      check((await t.page.locator(tcell).innerText()).includes('Урок отменён'), 'teacher timetable: the cancelled lesson is marked');
      await t.page.locator(`${tcell} a`).click();
      await t.page.waitForURL(`**/timetable/class/${classID}/${target}`);
      await t.page.locator('table.tt-grid').waitFor();
      check((await t.page.locator('.family h2').innerText()).includes('5А'), 'teacher: a class in the grid opens that class\'s week');
      await ctx.shot(t.page, 'family-timetable-class-desktop');
      await t.context.close();
    } finally {
      const del = await headAPI.send('DELETE', `/v1/years/${year.id}/substitutions/${sub.body.id}?version=${sub.body.version}`);
      check(del.status === 200 || del.status === 204, `the cancellation is taken back (${del.status})`);
    }

    // ---- Another family's child: the API's refusal, nobody's data.
    const refusal = await parentAPI.send('GET', `/v1/students/student-001/summary?term_id=${term.id}`);
    check(refusal.status === 403, 'API: the parent may not read student-001');
    await ctx.open(page, '#/marks/student-001', '.family [role=alert]');
    check(await page.locator('.family [role=alert]').innerText() === refusal.body.error.message, `marks of student-001: "${refusal.body.error.message}"`);
    check(await page.locator('li[data-subject]').count() === 0, 'marks of student-001: no marks shown');
    await ctx.open(page, '#/timetable/class/2026-5b', '.family [role=alert]');
    check(await page.locator('.family [role=alert]').innerText() === refusal.body.error.message, 'timetable of another class: refused');
    await ctx.shot(page, 'family-refused-360');
    await p.context.close();
  } finally {
    // Take back the mark given above (past the edit window a reason and the head teacher's late-edit right).
    const del = await headAPI.send('DELETE', `/v1/marks/${encodeURIComponent(mark.id)}?version=${mark.version ?? 1}&reason=${encodeURIComponent('проверка экрана оценок')}`);
    check(del.status === 200 || del.status === 204, `the mark is taken back (${del.status} ${JSON.stringify(del.body?.error ?? "")})`);
  }
}
