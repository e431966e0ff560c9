// Browser scenario of the school set-up screens: every part of #/setup (a new subject, seen after a reload), the
// timetable editor of 5А (a clash refused naming the clashing lesson, then a valid entry added and deleted), a plan
// (КТП) imported from CSV after a dry run that shows the bad row, its topics, export and deletion, an event created
// and deleted, a teacher's plans screen limited to her own classes and subjects, and a parent refused #/setup.
// Rerunnable: names are unique, and what it adds is removed (a subject cannot be: the API has no DELETE for it).
const classID = '2026-5a';
const planSubject = 'odnknr';
const roomPrefix = 'тест-';
const eventPrefix = 'Проверка экрана событий';

function iso(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export default async function (ctx) {
  const { check } = ctx;
  const stamp = Date.now();
  const admin = await ctx.api('admin');
  const today = iso(new Date());
  const years = (await admin.get('/v1/years')).items;
  const year = years.find((y) => y.start <= today && today <= y.end) ?? years[years.length - 1];
  const Y = `/v1/years/${year.id}`;

  // Leftovers of an interrupted run.
  for (const e of (await admin.get(`${Y}/timetable`)).items.filter((e) => e.room?.startsWith(roomPrefix))) {
    await admin.send('DELETE', `${Y}/timetable/${e.id}?version=${e.version}`);
  }
  const later = new Date();
  later.setDate(later.getDate() + 30);
  for (const e of (await admin.get(`/v1/events?from=${today}&to=${iso(later)}`)).items.filter((e) => e.title.startsWith(eventPrefix))) {
    await admin.send('DELETE', `/v1/events/${e.id}?version=${e.version}`);
  }
  for (const p of (await admin.get(`${Y}/plans?class_id=${classID}`)).items.filter((p) => p.subject_id === planSubject)) {
    await admin.send('DELETE', `${Y}/plans/${p.id}?version=${p.version}`);
  }

  // ---- Set-up, as the administrator ----
  const { context, page } = await ctx.as('admin');
  await ctx.open(page, '#/setup', 'form input');
  await ctx.axe(page, 'setup: school');
  await ctx.shot(page, 'admin-school-setup');
  // Every part opens; axe on those with different widgets (classes and groups are plain lists like years).
  for (const [part, selector, axe] of [
    ['years', 'table.data', true],
    ['calendar', 'input[type=time]', true],
    ['classes', 'table.data', false],
    ['groups', 'ul.event-list', false],
    ['assignments', 'table.data', true],
    ['grading', 'input[type=number]', true],
  ]) {
    await ctx.open(page, `#/setup/${part}?year=${year.id}&class=${classID}`, selector);
    if (axe) await ctx.axe(page, `setup: ${part}`);
  }
  await ctx.shot(page, 'admin-school-setup-grading');

  // A new subject; on a server where an earlier run left one (the API cannot delete subjects), that one is renamed
  // instead, so reruns add nothing.
  const subject = `Проверка ${stamp}`;
  const earlier = (await admin.get('/v1/subjects')).items.find((s) => /^Проверка \d+$/.test(s.name));
  await ctx.open(page, '#/setup/subjects', 'table.data');
  await page.getByRole('button', { name: earlier ? `Изменить: ${earlier.name}` : 'Новый предмет' }).click();
  await page.getByLabel('Название', { exact: true }).fill(subject);
  await page.getByLabel('Краткое название').fill(`П${stamp % 1e6}`);
  await page.getByLabel('11', { exact: true }).check();
  await ctx.axe(page, 'setup: subjects (form)');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('status').filter({ hasText: 'Сохранено' }).waitFor();
  await page.reload();
  await page.locator('table.data').getByRole('cell', { name: subject, exact: true }).waitFor();
  check(true, `setup: the ${earlier ? 'renamed' : 'new'} subject "${subject}" is listed after a reload`);
  await ctx.shot(page, 'admin-school-setup-subjects');

  // ---- Timetable editor of 5А ----
  const entries = (await admin.get(`${Y}/timetable`)).items;
  const staff = (await admin.get('/v1/staff')).items.filter((s) => s.roles.includes('teacher'));
  let slot;
  for (let wd = 1; wd <= 5 && !slot; wd++) {
    for (let p = 1; p <= 7 && !slot; p++) {
      const at = entries.filter((e) => e.weekday === wd && e.period === p);
      if (at.some((e) => e.class_id === classID)) continue;
      const other = at.find((e) => e.class_id !== classID && !e.group_id);
      const free = staff.find((s) => !at.some((e) => e.teacher_id === s.id));
      if (other && free) slot = { wd, p, other, free };
    }
  }
  check(!!slot, `timetable: a free period of 5А with another class's lesson at the same time (${slot?.wd}-${slot?.p})`);
  const days = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница'];
  const classes = (await admin.get(`/v1/classes?year_id=${year.id}`)).items;
  const otherClass = classes.find((c) => c.id === slot.other.class_id);
  const room = `${roomPrefix}${stamp % 1e6}`;

  await ctx.open(page, `#/timetable-edit/${classID}`, '.tt-grid [data-entry]');
  await ctx.shot(page, 'admin-school-timetable');
  await page.getByRole('button', { name: `Добавить урок: ${days[slot.wd - 1]}, урок ${slot.p}` }).click();
  const panel = page.locator('#entry-panel');
  await panel.getByLabel('Предмет').selectOption('music');
  await panel.getByLabel(/^Учитель/).selectOption(slot.other.teacher_id);
  await panel.getByLabel('Кабинет').fill(room);
  await panel.getByRole('button', { name: 'Сохранить' }).click();
  const alert = panel.getByRole('alert');
  await alert.waitFor();
  const clashText = await alert.textContent();
  check(clashText.includes(`${otherClass.grade}${otherClass.letter}`) && clashText.includes(slot.other.id), `timetable: the clash names the lesson it clashes with ("${clashText}")`);
  check((await panel.locator('.field-error').count()) > 0, 'timetable: the clash is shown at the field');
  await ctx.axe(page, 'timetable editor (with a clash)');
  await ctx.shot(page, 'admin-school-timetable-clash');

  await panel.getByLabel(/^Учитель/).selectOption(slot.free.id);
  await panel.getByRole('button', { name: 'Сохранить' }).click();
  await panel.getByRole('status').filter({ hasText: 'Сохранено' }).waitFor();
  const added = (await admin.get(`${Y}/timetable`)).items.find((e) => e.room === room);
  check(added && added.teacher_id === slot.free.id && added.weekday === slot.wd && added.period === slot.p, `timetable: the entry was added (${added?.id})`);
  await page.reload();
  await page.locator(`[data-slot="${slot.wd}-${slot.p}"] [data-entry="${added.id}"]`).waitFor();
  check(true, 'timetable: the new entry is in the grid after a reload');
  await page.locator(`[data-entry="${added.id}"]`).click();
  page.once('dialog', (d) => d.accept());
  await panel.getByRole('button', { name: 'Удалить урок' }).click();
  await page.getByRole('status').filter({ hasText: 'Урок удалён' }).waitFor();
  await page.locator(`[data-entry="${added.id}"]`).waitFor({ state: 'detached' });
  check(!(await admin.get(`${Y}/timetable`)).items.some((e) => e.id === added.id), 'timetable: the entry was deleted');

  // ---- Plans (КТП): import with a dry run ----
  const topic = `Тема проверки ${stamp}`;
  const bad = 'Раздел;Тема;Часы;Дата\nВведение;Первая тема;1;\n;Вторая тема;много;\n';
  const good = `Раздел;Тема;Часы;Дата\nВведение;${topic};1;\n;Вторая тема;2;\nИтоги;Повторение;1;\n`;
  await ctx.open(page, '#/plans', '#plan-import');
  await ctx.axe(page, 'plans');
  const imp = page.locator('#plan-import');
  await imp.getByLabel(/^Класс/).selectOption(classID);
  await imp.getByLabel('Предмет').selectOption(planSubject);
  await imp.getByLabel('Файл CSV или XLSX').setInputFiles({ name: 'ktp-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await imp.getByRole('button', { name: 'Проверить' }).click();
  const problem = imp.locator('#import-problems tbody tr').first();
  await problem.waitFor();
  const cells = await problem.locator('td').allTextContents();
  check(cells[0] === '3' && cells[1] === 'Часы', `plans: the dry run shows the bad row and column (${cells.join(' | ')})`);
  await ctx.axe(page, 'plans (import errors)');
  await ctx.shot(page, 'admin-school-plans-errors');
  check(!(await admin.get(`${Y}/plans?class_id=${classID}`)).items.some((p) => p.subject_id === planSubject), 'plans: the dry run wrote nothing');

  await imp.getByLabel('Файл CSV или XLSX').setInputFiles({ name: 'ktp.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await imp.getByRole('button', { name: 'Проверить' }).click();
  await imp.getByRole('status').filter({ hasText: 'Ошибок нет' }).waitFor();
  await imp.getByRole('button', { name: 'Загрузить' }).click();
  await imp.getByRole('status').filter({ hasText: 'Сохранено: тем 3' }).waitFor();
  const planID = `${classID}.${planSubject}`;
  await page.locator(`#plan-list [data-plan="${planID}"]`).waitFor();
  await imp.getByRole('link', { name: /Открыть план/ }).click();
  await page.locator('table.topics').getByText(topic).waitFor();
  await page.locator('#plan-lag').waitFor();
  check(true, 'plans: the imported plan shows its topics and progress');
  await ctx.axe(page, 'plans: plan');
  await ctx.shot(page, 'admin-school-plan');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать XLSX' }).click()]);
  check(file.suggestedFilename().endsWith('.xlsx'), `plans: export gives an XLSX file (${file.suggestedFilename()})`);

  // A teacher sees only her own classes and subjects.
  const teacher = await ctx.as('teacher');
  await ctx.open(teacher.page, '#/plans', '#plan-import');
  const choice = teacher.page.locator('#plan-import').getByLabel('Класс и предмет');
  await choice.locator('option', { hasText: 'География' }).first().waitFor({ state: 'attached' });
  const options = await choice.locator('option').allTextContents();
  const meT = await (await ctx.api('teacher')).get('/v1/me');
  check(options.length === meT.assignments.length + 1 && options.slice(1).every((o) => o.includes('География')), `plans: the teacher may import only for her own classes and subjects (${options.length - 1})`);
  check((await teacher.page.locator(`[data-plan="${planID}"]`).count()) === 0, "plans: the teacher does not see another teacher's plan");
  await ctx.axe(teacher.page, 'plans (teacher)');
  await ctx.shot(teacher.page, 'admin-school-plans-teacher');
  await teacher.context.close();

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Удалить план' }).click();
  await page.locator('#plan-import').waitFor();
  check(!(await admin.get(`${Y}/plans?class_id=${classID}`)).items.some((p) => p.id === planID), 'plans: the plan was deleted');

  // ---- Events ----
  const title = `${eventPrefix} ${stamp}`;
  const day = new Date();
  day.setDate(day.getDate() + 3);
  await ctx.open(page, '#/events', '.school .card');
  await page.getByRole('button', { name: 'Новое событие' }).click();
  await page.getByLabel('Название').fill(title);
  await page.getByLabel('Дата', { exact: true }).fill(iso(day));
  await page.getByLabel('Начало').fill('15:00');
  await page.getByLabel('Окончание').fill('16:00');
  await page.getByLabel('Место').fill('Актовый зал');
  await page.getByLabel('Для кого').selectOption('classes');
  await page.getByLabel('5А', { exact: true }).check();
  await ctx.axe(page, 'events (form)');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('status').filter({ hasText: 'Сохранено' }).waitFor();
  await page.reload();
  const item = page.locator('#events li').filter({ hasText: title });
  await item.filter({ hasText: 'классы: 5А' }).waitFor();
  check(true, 'events: the new class event is listed after a reload, for 5А');
  await ctx.shot(page, 'admin-school-events');
  await page.setViewportSize({ width: 360, height: 740 });
  await ctx.fits(page, 'events at phone width');
  await ctx.shot(page, 'admin-school-events-phone');
  page.once('dialog', (d) => d.accept());
  await item.getByRole('button', { name: `Удалить: ${title}` }).click();
  await page.getByRole('status').filter({ hasText: 'Событие удалено' }).waitFor();
  await item.waitFor({ state: 'detached' });
  const left = (await admin.get(`/v1/events?from=${today}&to=${iso(later)}`)).items.filter((e) => e.title === title);
  check(left.length === 0, 'events: the event was deleted');
  await ctx.open(page, '#/setup/subjects', 'table.data');
  await ctx.fits(page, 'setup at phone width');
  await context.close();

  // ---- A parent may not set up the school ----
  const parent = await ctx.as('parent', { width: 360, height: 740 });
  check((await parent.page.locator('nav.menu a', { hasText: 'Школа' }).count()) === 0, 'setup: not in the parent menu');
  await ctx.open(parent.page, '#/setup', '.refusal [role=alert]');
  check(true, 'setup: a parent is refused');
  await ctx.axe(parent.page, 'setup (parent refused)');
  await ctx.fits(parent.page, 'setup refusal at 360 px');
  await ctx.shot(parent.page, 'admin-school-setup-parent');
  await parent.context.close();
}
