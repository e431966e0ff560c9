// Browser scenario of the people area (admin/people, import, roles, movements, audit): a clerk edits a 5А
// student's card and finds the change after a reload (then puts it back), checks an import file with a bad row;
// an administrator changes a role's right and restores it, enrols a student made for the test and sees the order
// in the list, and finds the clerk's edit in the audit trail; HR opens the staff list and a card at 360 px; a
// teacher has no People section and is refused.

// unique is a letters-only suffix (names take letters) that differs on every run.
function unique() {
  return String(Date.now()).slice(-7).split('').map((d) => 'абвгдежзик'[Number(d)]).join('');
}

// localDate is today as the browser's date inputs give it (YYYY-MM-DD, local time).
function localDate() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export default async function (ctx) {
  const { check } = ctx;
  const stamp = unique();
  const address = `ул. Проверочная, ${stamp}`;
  const clerkAPI = await ctx.api('clerk');
  const adminAPI = await ctx.api('admin');

  // Clerk: the 5А list, a card edited and reloaded, a refused bad phone, an import file checked.
  let studentID;
  {
    const { context, page } = await ctx.as('clerk');
    check(await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Люди' }).isVisible(), 'clerk: the menu has People');
    await ctx.open(page, '#/people/students', 'table.data tbody tr');
    await page.getByLabel('Класс').selectOption({ label: '5А' });
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table.data tbody tr td:nth-child(2)')].map((td) => td.textContent);
      return cells.length > 0 && cells.every((c) => c === '5А');
    });
    const n = await page.locator('table.data tbody tr').count();
    check(n > 5, `clerk: the students of 5А are listed (${n})`);
    await ctx.axe(page, 'people: students list');
    await ctx.shot(page, 'admin-people-students');

    const first = page.locator('table.data tbody tr a').first();
    studentID = decodeURIComponent((await first.getAttribute('href')).split('/').pop());
    const name = await first.textContent();
    await first.click();
    await page.getByRole('heading', { level: 2, name }).waitFor();
    const field = page.getByLabel('Адрес');
    const before = await field.inputValue();
    try {
      await field.fill(address);
      await page.getByRole('button', { name: 'Сохранить' }).first().click();
      await page.getByRole('status').filter({ hasText: 'Сохранено' }).first().waitFor();
      await page.reload();
      await page.getByLabel('Адрес').waitFor();
      check((await page.getByLabel('Адрес').inputValue()) === address, 'clerk: the changed address is there after a reload');
      await ctx.axe(page, 'people: student card');
      await ctx.shot(page, 'admin-people-card', true);

      // Someone else changes the card meanwhile: saving the stale form shows the API's conflict and reloads.
      const now = await clerkAPI.get(`/v1/students/${encodeURIComponent(studentID)}`);
      const theirs = `${address}, кв. 2`;
      const patched = await clerkAPI.send('PATCH', `/v1/students/${encodeURIComponent(studentID)}`, { personal: { address: theirs }, version: now.version });
      check(patched.status === 200, `clerk: a concurrent change through the API (${patched.status})`);
      await page.getByLabel('Адрес').fill(`${address}, кв. 3`);
      await page.getByRole('button', { name: 'Сохранить' }).first().click();
      await page.locator('.adm [role=alert]').first().waitFor();
      await page.waitForFunction((v) => document.querySelector('input[name=address]')?.value === v, theirs);
      check(true, 'clerk: a stale version shows the conflict and the card reloads with the other change');

      // A bad phone: the API's message next to the field, the typed text kept.
      await page.getByLabel('Телефон').fill('12ab');
      await page.getByRole('button', { name: 'Сохранить' }).first().click();
      await page.locator('.field-error').first().waitFor();
      check((await page.getByLabel('Телефон').inputValue()) === '12ab', 'clerk: a refused phone shows the error and keeps the input');
      await page.reload();
      await page.getByLabel('Адрес').fill(before);
      await page.getByRole('button', { name: 'Сохранить' }).first().click();
      await page.getByRole('status').filter({ hasText: 'Сохранено' }).first().waitFor();
    } finally {
      const after = await clerkAPI.get(`/v1/students/${encodeURIComponent(studentID)}`);
      if ((after.personal?.address ?? '') !== before) await clerkAPI.send('PATCH', `/v1/students/${encodeURIComponent(studentID)}`, { personal: { address: before }, version: after.version });
    }
    const after = await clerkAPI.get(`/v1/students/${encodeURIComponent(studentID)}`);
    check((after.personal?.address ?? '') === before, 'clerk: the address is put back');

    // Import: a dry run reports the bad row with its line and column; a good file may then be imported.
    await ctx.open(page, '#/import', 'form');
    const csv = `Фамилия;Имя;Отчество;Дата рождения;Класс\nПроверкин;Иван${stamp};;01.09.2015;5А\nОшибкин;Пётр;;31.02.2015;5А\n`;
    await page.getByLabel('Файл CSV или XLSX').setInputFiles({ name: 'students.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    const row = page.locator('table.data tbody tr').first();
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    check(cells[0] === '3' && cells[1] === 'Дата рождения', `import: the bad row's error has its line and column (${cells.join(' | ')})`);
    check(await page.getByRole('status').filter({ hasText: 'Ничего не записано' }).isVisible(), 'import: an invalid file writes nothing');
    check(!(await page.getByRole('button', { name: 'Импортировать' }).isVisible()), 'import: no import button for an invalid file');
    await ctx.axe(page, 'import: dry-run report');
    await ctx.shot(page, 'admin-import-report', true);
    await page.getByLabel('Файл CSV или XLSX').setInputFiles({ name: 'students.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.split('\n').slice(0, 2).join('\n')) });
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    await page.getByRole('status').filter({ hasText: 'Ошибок нет' }).first().waitFor();
    check(await page.getByRole('button', { name: 'Импортировать' }).isVisible(), 'import: a valid file can be imported after the check');
    await context.close();
  }

  // Admin: the roles editor, a movement, the audit trail.
  {
    const role = await adminAPI.get('/v1/roles/assistant_admin');
    if (role.customized) await adminAPI.send('DELETE', '/v1/roles/assistant_admin/permissions');
    const { context, page } = await ctx.as('admin');
    page.on('dialog', (d) => d.accept());
    try {
      await ctx.open(page, '#/roles/assistant_admin', 'table.perm');
      const box = page.getByLabel('Отчёты — Вся школа');
      check(!(await box.isChecked()), 'roles: assistant_admin starts without reports');
      await box.check();
      await page.getByRole('status').filter({ hasText: 'Несохранённых изменений: 1' }).first().waitFor();
      await page.getByRole('button', { name: 'Сохранить' }).click();
      await page.getByRole('status').filter({ hasText: 'Сохранено' }).first().waitFor();
      await page.reload();
      await page.locator('table.perm').waitFor();
      check(await page.getByLabel('Отчёты — Вся школа').isChecked(), 'roles: the new right is there after a reload');
      check(await page.locator('.diff ins').filter({ hasText: 'Отчёты' }).isVisible(), 'roles: the difference from the defaults is shown');
      const changed = await adminAPI.get('/v1/roles/assistant_admin');
      check(changed.customized && changed.permissions['reports.read']?.includes('school'), 'roles: the API has the change');
      await ctx.axe(page, 'roles editor');
      await ctx.shot(page, 'admin-roles', true);
      await page.getByRole('button', { name: 'Вернуть права по умолчанию' }).click();
      await page.getByRole('status').filter({ hasText: 'Права по умолчанию восстановлены' }).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('input[name="reports.read:school"]')?.checked && !document.querySelector('.pill.warn'));
      check(true, 'roles: the defaults are back on the screen');
    } finally {
      if ((await adminAPI.get('/v1/roles/assistant_admin')).customized) await adminAPI.send('DELETE', '/v1/roles/assistant_admin/permissions');
    }
    check(!(await adminAPI.get('/v1/roles/assistant_admin')).customized, 'roles: the API has the defaults back');

    // A student made on the form (no class) is enrolled into 9Б by an order, then leaves through the API.
    const last = 'Движенцев';
    const first = `Тест${stamp}`;
    await ctx.open(page, '#/people/students/new', 'form');
    await page.locator('input[name=last_name]').fill(last);
    await page.locator('input[name=first_name]').fill(first);
    await page.getByRole('button', { name: 'Создать' }).click();
    await page.getByRole('heading', { level: 2, name: `${last} ${first}` }).waitFor();
    const made = { body: { id: decodeURIComponent(page.url().split('/').pop()) } };
    check(made.body.id !== 'new', `people: a test student is created on the form (${made.body.id})`);
    const order = `T-${stamp}`;
    try {
      await ctx.open(page, '#/movements', 'form');
      await page.getByRole('combobox', { name: /^Движение/ }).selectOption('enrol');
      await page.getByLabel('Поиск ученика').fill(first);
      await page.getByRole('combobox', { name: /^Ученик/ }).locator('option', { hasText: first }).waitFor({ state: 'attached' });
      await page.getByLabel('В класс').selectOption({ label: '9Б' });
      await page.getByLabel('Номер приказа').fill(order);
      await page.getByRole('button', { name: 'Провести приказ' }).click();
      await page.getByRole('status').filter({ hasText: 'Проведено' }).first().waitFor();
      await page.reload();
      const line = page.locator('table.data tbody tr').filter({ hasText: first });
      await line.first().waitFor();
      check((await line.first().textContent()).includes(order), 'movement: the order is in the list after a reload');
      await ctx.axe(page, 'movements');
      await ctx.shot(page, 'admin-movements', true);
      await line.first().getByRole('link').click();
      await page.getByRole('heading', { name: new RegExp(first) }).waitFor();
      await page.locator('ul.plain li').filter({ hasText: 'Зачисление' }).first().waitFor();
      check(true, 'movement: the student history shows the enrolment');

      // The same student gets an account: the one-time password is shown once.
      await ctx.open(page, `#/people/students/${encodeURIComponent(made.body.id)}`, 'form');
      await page.getByLabel('Логин').fill(`t${Date.now()}`);
      await page.getByRole('button', { name: 'Выдать логин' }).click();
      const secret = page.locator('[role=status] .secret');
      await secret.waitFor();
      check((await secret.textContent()).length >= 8, 'people: a new account shows its one-time password');
      // Giving an account changes the person's version, and the roles card reads itself again: let it finish
      // before ticking, or the re-read would untick the box before it is saved.
      await page.waitForLoadState('networkidle');
      await page.getByLabel('Ученик', { exact: true }).check();
      await page.waitForLoadState('networkidle');
      check(await page.getByLabel('Ученик', { exact: true }).isChecked(), 'people: the student role is ticked on the card');
      await page.getByRole('button', { name: 'Сохранить' }).last().click();
      await page.getByRole('status').filter({ hasText: 'Роли сохранены' }).first().waitFor();
      check((await adminAPI.get(`/v1/people/${encodeURIComponent(made.body.id)}/roles`)).roles.includes('student'), 'people: the role given on the card is saved');
      await ctx.shot(page, 'admin-people-account', true);
    } finally {
      // The test student leaves again, so the class keeps its roster.
      const st = await adminAPI.get(`/v1/students/${encodeURIComponent(made.body.id)}`);
      if (st.class_id && !st.left) {
        const left = await adminAPI.send('POST', '/v1/movements', { kind: 'leave', student_id: made.body.id, date: localDate(), order_no: order });
        check(left.status === 201, `movement: the test student leaves again (${left.status})`);
      }
    }

    // The audit trail of the student the clerk edited shows the change with old and new values.
    await ctx.open(page, `#/audit?entity=person&id=${encodeURIComponent(studentID)}`, 'table.data tbody tr');
    const edit = page.locator('table.data tbody tr').filter({ hasText: address }).first();
    await edit.waitFor();
    const text = await edit.textContent();
    check(text.includes('изменение') && text.includes('Адрес'), 'audit: the clerk\'s edit is in the trail with the field');
    await page.getByLabel('Скрыть просмотры персональных данных').check();
    await page.waitForFunction(() => ![...document.querySelectorAll('table.data tbody td')].some((td) => td.textContent === 'просмотр'));
    await ctx.axe(page, 'audit trail');
    await ctx.shot(page, 'admin-audit');
    await ctx.open(page, '#/audit', 'table.data tbody tr');
    check((await page.locator('table.data tbody tr').count()) > 0, 'audit: the day log lists entries');
    await context.close();
  }

  // HR at 360 px: the staff list and a staff card with the employment record.
  {
    const { context, page } = await ctx.as('hr', { width: 360, height: 740 });
    await ctx.open(page, '#/people/staff', 'table.data tbody tr');
    check(await page.getByRole('columnheader', { name: 'Должность' }).isVisible(), 'hr: the staff list shows positions');
    await ctx.fits(page, 'hr: staff list');
    await ctx.axe(page, 'people: staff list');
    await ctx.shot(page, 'admin-people-staff-360');
    await page.locator('table.data tbody tr').filter({ hasNot: page.locator('.pill') }).first().locator('a').click();
    await page.getByLabel('Должность').waitFor();
    check((await page.getByLabel('Должность').inputValue()) !== '', 'hr: the staff card shows the position');
    check(await page.getByRole('heading', { name: 'Увольнение' }).isVisible(), 'hr: the card offers the dismissal');
    await ctx.fits(page, 'hr: staff card');
    await ctx.axe(page, 'people: staff card');
    await ctx.shot(page, 'admin-people-staff-card-360', true);
    await context.close();
  }

  // Teacher: no People in the menu, and the screens refuse.
  {
    const { context, page } = await ctx.as('teacher');
    check((await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Люди' }).count()) === 0, 'teacher: the menu lacks People');
    for (const route of ['#/people', '#/roles', '#/audit', '#/import', '#/movements']) {
      await ctx.open(page, route, '.adm [role=alert]');
      check(/Недостаточно прав/.test(await page.locator('.adm [role=alert]').textContent()), `teacher: ${route} is refused`);
    }
    await ctx.axe(page, 'people: refusal');
    await context.close();
  }
}
