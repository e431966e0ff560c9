// The class teacher's screens (#/class/<class>/<part>) as 'classteacher' (Наумова, class teacher of 5А, who
// also teaches 5А Russian and literature): the overview, the attendance totals and the class's absences, and
// justifying as ill (б, with a reason and a document) an absence she marked through the API first — listed with
// the reason and who justified it after a reload, the totals changed —, the reports with an XLSX download, a
// phone-width check, and the API's refusal of a class that is not hers. The lesson's attendance is put back at
// the end, so the scenario can run again.
import { readFileSync } from 'node:fs';

const classID = '2026-5a';
const otherClass = '2026-6a';

const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export default async function (ctx) {
  const ct = await ctx.api('classteacher');
  const me = await ct.get('/v1/me');
  ctx.check(me.class_teacher_of.some((c) => c.id === classID), `classteacher is the class teacher of ${classID}`);

  // Arrange: one of her 5А lessons on a past school day, and a student of the class (not the one the family
  // scenarios use) absent without reason there.
  const { items: years } = await ct.get('/v1/years');
  const todayISO = iso(new Date());
  const term = years.flatMap((y) => y.terms).find((t) => t.start <= todayISO && todayISO <= t.end);
  let lesson;
  const day = new Date();
  for (let i = 0; i < 90 && !lesson; i++) {
    day.setDate(day.getDate() - 1);
    const { items } = await ct.get(`/v1/teachers/${me.id}/lessons?date=${iso(day)}`);
    lesson = items.find((l) => l.class_id === classID);
  }
  ctx.check(!!lesson, `a past lesson of classteacher in ${classID} (${lesson?.id})`);
  const { items: roster } = await ct.get(`/v1/classes/${classID}/students`);
  const student = [...roster].reverse().find((s) => s.id !== 'student-136');
  const { items: before } = await ct.get(`/v1/lessons/${lesson.id}/attendance`);
  const original = before.find((r) => r.student_id === student.id)?.code ?? '';
  const inTerm = term && term.start <= lesson.date;
  const from = inTerm ? term.start : lesson.date;
  const to = inTerm ? todayISO : lesson.date;
  const period = inTerm ? '' : `?from=${from}&to=${to}`;
  const totalsOf = async () => (await ct.get(`/v1/classes/${classID}/attendance?from=${from}&to=${to}`)).students.find((s) => s.student_id === student.id)?.totals;

  const put = await ct.send('PUT', `/v1/lessons/${lesson.id}/attendance`, { records: [{ student_id: student.id, code: 'н' }] });
  ctx.check(put.status === 200, `arranged: ${student.full_name} absent without reason on ${lesson.date} (${put.status})`);
  try {
    const otherTerm = years.flatMap((y) => y.terms).find((t) => t.id !== term?.id);
    await scenario(ctx, { me, student, lesson, roster, period, totalsOf, otherTerm, t0: await totalsOf() });
  } finally {
    const back = await ct.send('PUT', `/v1/lessons/${lesson.id}/attendance`, { records: [{ student_id: student.id, code: original }] });
    ctx.check(back.status === 200, `the lesson's attendance is put back (${JSON.stringify(original)})`);
  }

  // A parent is refused the class's overview by the API.
  const parent = await ctx.api('parent');
  const refused = await parent.send('GET', `/v1/classes/${classID}/overview?term_id=${term?.id ?? 'q1'}`);
  ctx.check(refused.status === 403, `a parent is refused the class overview (${refused.status})`);
}

async function scenario(ctx, { me, student, lesson, roster, period, totalsOf, otherTerm, t0 }) {
  const ct = await ctx.api('classteacher');
  const { context, page } = await ctx.as('classteacher');
  try {
    // The menu offers her class only.
    ctx.check(await page.locator(`nav.menu a[href="#/class/${classID}"]`).count() === 1, 'the menu links to 5А');
    ctx.check(await page.locator(`nav.menu a[href="#/class/${otherClass}"]`).count() === 0, 'the menu has no other class');

    // Overview: every student × every subject, with links to the diary and the marks.
    await ctx.open(page, `#/class/${classID}/overview`, 'table.ct-grid tbody tr');
    const rows = await page.locator('table.ct-grid tbody tr').count();
    ctx.check(rows === roster.length, `overview lists the class's ${roster.length} students (${rows})`);
    ctx.check(await page.locator(`a[href="#/diary/${student.id}"]`).count() === 1 && await page.locator(`a[href="#/marks/${student.id}"]`).count() === 1, 'overview links to the diary and marks of a student');
    ctx.check(await page.locator('.ct-grid thead th').count() > 10, 'overview has a column per subject');
    await ctx.axe(page, 'class overview');
    await ctx.shot(page, 'classteacher-overview');
    if (otherTerm) {
      await page.getByLabel('Период').selectOption(otherTerm.id);
      await page.locator('.ct h3', { hasText: otherTerm.name }).waitFor();
      ctx.check(page.url().includes(`term=${otherTerm.id}`), `the term selector shows ${otherTerm.name}`);
    }

    // Attendance: the arranged absence is in the list to justify, and the totals show it.
    const item = `li[data-lesson="${lesson.id}"][data-student="${student.id}"]`;
    await ctx.open(page, `#/class/${classID}/attendance${period}`, `#ct-unexcused ${item}`);
    const cell = (n) => page.locator(`table.ct-totals tbody tr[data-student="${student.id}"] td:nth-child(${n})`).innerText();
    ctx.check(Number(await cell(6)) === t0.unexcused && Number(await cell(5)) === t0.excused && Number(await cell(4)) === t0.ill,
      `attendance totals of the student match the API (по болезни ${t0.ill}, уваж. ${t0.excused}, без причины ${t0.unexcused})`);
    const listed = await page.locator(`#ct-unexcused ${item}`).innerText();
    ctx.check(listed.includes(student.full_name) && listed.includes(lesson.date.split('-').reverse().join('.')), `the absence is listed with the student and the date (${listed.replace(/\s+/g, ' ')})`);
    await ctx.axe(page, 'class attendance');
    await ctx.shot(page, 'classteacher-attendance', true);

    // Justify it as ill: an empty reason shows the API's refusal next to the field; then a reason and a document save.
    const row = page.locator(`#ct-unexcused ${item}`);
    await row.getByRole('button', { name: /Оправдать/ }).click();
    ctx.check(await row.getByRole('radio', { name: /уважительная/ }).isChecked(), 'the form offers б and у, у chosen');
    await row.getByRole('button', { name: 'Сохранить' }).click();
    await row.locator('.error').waitFor();
    ctx.check((await row.locator('.error').innerText()).length > 0, `an empty reason shows the API's error (${await row.locator('.error').innerText()})`);
    await row.getByRole('radio', { name: /по болезни/ }).check();
    await ctx.axe(page, 'class attendance, justify form');
    await ctx.shot(page, 'classteacher-justify');
    const stamp = Date.now();
    const reason = `ОРВИ (webcheck ${stamp})`;
    const doc = `Справка № ${stamp % 1000}`;
    await row.getByLabel('Причина', { exact: true }).fill(reason);
    await row.getByLabel('Документ').fill(doc);
    await row.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('.ct-saved', { hasText: 'Сохранено' }).waitFor();
    const done = page.locator(`#ct-excused ${item}[data-code="б"]`);
    await done.waitFor();
    ctx.check(await page.locator(`#ct-unexcused ${item}`).count() === 0, 'the justified absence moved to the justified list');
    await page.waitForFunction(
      ({ s, n }) => document.querySelector(`table.ct-totals tbody tr[data-student="${s}"] td:nth-child(4)`)?.textContent === String(n),
      { s: student.id, n: t0.ill + 1 },
    );
    ctx.check(Number(await cell(6)) === t0.unexcused - 1 && Number(await cell(5)) === t0.excused, 'the totals on the screen updated (one less without reason, one more ill)');
    const { items: after } = await ct.get(`/v1/lessons/${lesson.id}/attendance`);
    const rec = after.find((r) => r.student_id === student.id);
    ctx.check(rec?.code === 'б' && rec.reason === reason && rec.document === doc && rec.justified_by === me.id,
      `the API has the absence as ill with the reason and the document, justified by her (${rec?.code}, ${rec?.justified_by_name})`);
    const t1 = await totalsOf();
    ctx.check(t1.unexcused === t0.unexcused - 1 && t1.ill === t0.ill + 1 && t1.excused === t0.excused, "the API's class totals changed");
    const { items: absences } = await ct.get(`/v1/classes/${classID}/absences?from=${lesson.date}&to=${lesson.date}`);
    const abs = absences.find((a) => a.lesson_id === lesson.id && a.student_id === student.id);
    ctx.check(abs?.code === 'б' && abs.reason === reason && abs.justified_by_name === me.full_name && abs.subject_name,
      `the class's absences list it (${abs?.subject_name}, ${abs?.justified_by_name})`);

    // After a reload the list shows it as ill with the reason, the document and who justified it.
    await page.reload();
    await done.waitFor();
    const text = (await done.innerText()).replace(/\s+/g, ' ');
    ctx.check(text.includes(reason) && text.includes(doc) && text.includes('по болезни') && text.includes(`Оправдал(а): ${me.full_name}`),
      `after a reload the absence is listed as ill with the reason and who justified it (${text})`);
    ctx.check(await done.getByRole('button', { name: /Изменить/ }).count() === 1, 'a justified absence can be changed');

    // Reports: both tables, and an XLSX download.
    await ctx.open(page, `#/class/${classID}/reports`, 'table.ct-sheet');
    await page.locator('table.ct-figures').waitFor();
    ctx.check(await page.locator('table.ct-sheet tbody tr').count() === roster.length, 'the summary sheet lists the class');
    await ctx.axe(page, 'class reports');
    await ctx.shot(page, 'classteacher-reports', true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.downloads').first().getByRole('button', { name: 'XLSX' }).click()]);
    const file = await download.path();
    const bytes = readFileSync(file);
    ctx.check(bytes.subarray(0, 2).toString() === 'PK' && download.suggestedFilename().endsWith('.xlsx'), `the class teacher's report downloads as XLSX (${download.suggestedFilename()}, ${bytes.length} bytes)`);

    // Another class: the API's refusal is shown.
    await ctx.open(page, `#/class/${otherClass}/overview`, '.ct [role=alert]');
    const refusal = await page.locator('.ct [role=alert]').first().innerText();
    ctx.check(/прав/i.test(refusal), `another class shows the API's refusal (${refusal})`);
    await ctx.axe(page, 'class overview, refused');
  } finally {
    await context.close();
  }

  // A phone: the attendance and the overview fit 360 px (wide tables scroll inside their box).
  const phone = await ctx.as('classteacher', { width: 360, height: 740 });
  try {
    await ctx.open(phone.page, `#/class/${classID}/attendance${period}`, '#ct-excused li');
    await ctx.fits(phone.page, 'class attendance');
    await ctx.axe(phone.page, 'class attendance (phone)');
    await ctx.shot(phone.page, 'classteacher-attendance-360', true);
    await ctx.open(phone.page, `#/class/${classID}/overview`, 'table.ct-grid tbody tr');
    await ctx.fits(phone.page, 'class overview');
    await ctx.shot(phone.page, 'classteacher-overview-360');
  } finally {
    await phone.context.close();
  }
}
