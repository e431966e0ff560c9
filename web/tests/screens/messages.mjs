// Messages and notification settings: the class teacher writes to the parents of 5А (the preview shows the
// recipients and the SMS cost, a double click sends once); the parent (360 px) finds it unread in the inbox,
// opens it (read, still read after a reload) and has no compose; the sender's sent list shows the parent among
// the readers; the parent switches a child to the daily digest, finds it after a reload and puts it back; the
// student opens the inbox and the settings; the administrator opens the school's settings and the SMS report; a
// teacher has no notification settings.
const phone = { width: 360, height: 740 };

export default async function messages(ctx) {
  const { check } = ctx;
  const stamp = Date.now();
  const title = `Собрание ${stamp}`;
  const parentAPI = await ctx.api('parent');
  const parentMe = await parentAPI.get('/v1/me');

  // The class teacher composes, previews and sends.
  const t = await ctx.as('classteacher');
  await t.page.setViewportSize(phone);
  await ctx.open(t.page, '#/messages/new', 'form.compose');
  await ctx.fits(t.page, 'the compose form');
  await ctx.shot(t.page, 'messages-compose-360', true);
  await t.page.setViewportSize({ width: 1280, height: 800 });
  await t.page.getByLabel('Весь класс').check();
  await t.page.getByLabel('Класс', { exact: true }).selectOption('2026-5a');
  await t.page.getByLabel('Родители').check();
  await t.page.getByLabel('Ученики').uncheck();
  await t.page.getByLabel('Копия SMS родителям').check();
  await t.page.getByLabel('Тема (необязательно)').fill(title);
  await t.page.getByLabel('Текст', { exact: true }).fill(`Родительское собрание в пятницу в 18:00, каб. 12. (${stamp})`);
  await ctx.axe(t.page, 'messages: compose');
  await t.page.getByRole('button', { name: 'Проверить получателей' }).click();
  const preview = t.page.locator('.preview');
  await preview.waitFor();
  const pt = await preview.innerText();
  const recipients = Number(/Всего получателей: (\d+)/.exec(pt)?.[1] ?? 0);
  check(recipients > 0 && /SMS получат: \d+/.test(pt) && /Частей в одном SMS: \d+/.test(pt) && /Стоимость SMS: [\d\s,]+ ₽/.test(pt),
    `the preview shows recipients (${recipients}), SMS recipients, parts and cost`);
  await ctx.axe(t.page, 'messages: compose with preview');
  await ctx.shot(t.page, 'messages-compose-preview', true);
  await t.page.getByRole('button', { name: 'Отправить' }).dblclick();
  await t.page.locator('.compose .ok', { hasText: 'Отправлено' }).waitFor();
  const sent = (await (await ctx.api('classteacher')).get('/v1/messages/sent?limit=50')).items.filter((m) => m.title === title);
  check(sent.length === 1 && sent[0].recipients === recipients, `a double click sent the message once, to ${recipients} recipients (${sent.length})`);
  check(await t.page.getByLabel('Текст', { exact: true }).inputValue() === '', 'the form is cleared after sending');

  // The parent at 360 px: unread in the inbox, opened, still read after a reload; no compose.
  const p = await ctx.as('parent', phone);
  await ctx.open(p.page, '#/messages', '.unread-count');
  const item = p.page.locator('.msg-list > li', { hasText: title });
  for (let i = 0; i < 5 && (await item.count()) === 0; i++) {
    const more = p.page.getByRole('button', { name: 'Показать ещё' });
    if ((await more.count()) === 0) break;
    await more.click();
    await p.page.waitForTimeout(300);
  }
  check((await item.getAttribute('class')) === 'unread' && (await item.locator('.new-mark').count()) === 1, 'the parent sees the message unread, marked "новое"');
  const unread = async () => Number(/(\d+)/.exec(await p.page.locator('.unread-count').innerText())?.[1]);
  const before = await unread();
  check((await p.page.getByRole('link', { name: 'Написать' }).count()) === 0, 'the parent has no compose tab');
  await ctx.axe(p.page, 'messages: inbox (parent, 360 px)');
  await ctx.fits(p.page, 'the parent’s inbox');
  await ctx.shot(p.page, 'messages-inbox-parent-360');
  await item.locator('summary').click();
  await p.page.locator('.msg-list > li.read', { hasText: title }).waitFor();
  check((await unread()) === before - 1, `the unread count went down by one (${before} → ${await unread()})`);
  await ctx.axe(p.page, 'messages: inbox with an opened message');
  await ctx.shot(p.page, 'messages-inbox-opened-360');
  await p.page.reload();
  await p.page.locator('.unread-count').waitFor();
  const again = p.page.locator('.msg-list > li', { hasText: title });
  await again.first().waitFor({ timeout: 3000 }).catch(() => undefined);
  if ((await again.count()) > 0) check((await again.getAttribute('class')) === 'read', 'after a reload the message stays read');
  else check((await parentAPI.get('/v1/messages?limit=100')).items.some((x) => x.title === title && x.read_at), 'after a reload the message stays read');
  await ctx.open(p.page, '#/messages/new', '.messages [role=alert]');
  check(/права нет/.test(await p.page.locator('.messages [role=alert]').innerText()) && (await p.page.locator('form.compose').count()) === 0, 'the parent is refused the compose route');

  // The sender's sent list shows the parent among the readers.
  await ctx.open(t.page, '#/messages/sent', '.msg-list, .messages p.muted');
  const mine = t.page.locator('.msg-list > li', { hasText: title });
  await mine.locator('summary').click();
  await mine.locator('.readers').waitFor();
  const readersText = await mine.locator('.readers').innerText();
  const readPart = readersText.split('Не прочитали')[0];
  check(readPart.includes(parentMe.full_name), `the sent list shows ${parentMe.full_name} among the readers`);
  await ctx.axe(t.page, 'messages: sent with readers');
  await ctx.shot(t.page, 'messages-sent-readers', true);
  // A teacher has no notification settings.
  await ctx.open(t.page, '#/settings', '.notify [role=alert]');
  check((await t.page.locator('.menu a[href="#/settings"]').count()) === 0, 'a teacher has no notification settings in the menu, and the route says so');
  await t.context.close();

  // The parent's notification preference: digest at 20:30, kept after a reload, then put back.
  const original = (await parentAPI.get('/v1/notify/preferences')).items.find((x) => x.child_id === 'student-136');
  await ctx.open(p.page, '#/settings', 'form.pref');
  const form = p.page.locator('form.pref[data-child="student-136"]');
  await ctx.axe(p.page, 'settings: parent (360 px)');
  await ctx.fits(p.page, 'the parent’s notification settings');
  await form.getByLabel('Раз в день, сводкой').check();
  await form.getByLabel('Время сводки').fill('20:30');
  await form.getByRole('button', { name: 'Сохранить' }).click();
  await form.locator('.ok', { hasText: 'Сохранено' }).waitFor();
  await ctx.shot(p.page, 'settings-parent-360', true);
  await p.page.reload();
  await p.page.locator('form.pref').first().waitFor();
  const kept = p.page.locator('form.pref[data-child="student-136"]');
  check(await kept.getByLabel('Раз в день, сводкой').isChecked() && (await kept.getByLabel('Время сводки').inputValue()) === '20:30', 'the digest at 20:30 is kept after a reload');
  check((await parentAPI.get('/v1/notify/preferences')).items.find((x) => x.child_id === 'student-136').mode === 'digest', 'the API has the digest');
  const label = { immediate: 'Сразу', digest: 'Раз в день, сводкой', off: 'Не сообщать' }[original.mode];
  await kept.getByLabel(label).check();
  if (original.mode === 'digest') await kept.getByLabel('Время сводки').fill(original.digest_time ?? '');
  if (original.mode !== 'off') {
    await kept.getByLabel('SMS', { exact: true }).setChecked(original.sms);
    await kept.getByLabel('В приложении').setChecked(original.in_app);
  }
  await kept.getByRole('button', { name: 'Сохранить' }).click();
  await kept.locator('.ok', { hasText: 'Сохранено' }).waitFor();
  const back = (await parentAPI.get('/v1/notify/preferences')).items.find((x) => x.child_id === 'student-136');
  check(back.mode === original.mode && back.sms === original.sms && back.in_app === original.in_app, `the preference is put back (${back.mode})`);
  check((await p.page.locator('.consent').innerText()).includes('SMS'), 'the parent sees the SMS consent');
  await p.context.close();

  // The student: the inbox and what the settings say.
  const s = await ctx.as('student', phone);
  await ctx.open(s.page, '#/messages', '.unread-count');
  await ctx.axe(s.page, 'messages: inbox (student, 360 px)');
  await ctx.fits(s.page, 'the student’s inbox');
  await ctx.shot(s.page, 'messages-inbox-student-360');
  await ctx.open(s.page, '#/settings', '.notify p a[href="#/messages"]');
  await ctx.axe(s.page, 'settings: student');
  await ctx.shot(s.page, 'settings-student-360');
  await s.context.close();

  // The administrator: the school's settings and the month's SMS report.
  const a = await ctx.as('admin');
  await ctx.open(a.page, '#/settings', 'form.school-settings');
  const budget = await a.page.getByLabel('Бюджет SMS в месяц, частей (0 — без SMS)').inputValue();
  const api = await (await ctx.api('admin')).get('/v1/notify/settings');
  check(budget === String(api.monthly_sms_budget) && (await a.page.getByLabel('С', { exact: true }).inputValue()) === api.quiet_start, `the school's settings are shown (budget ${budget}, quiet from ${api.quiet_start})`);
  await ctx.axe(a.page, 'settings: school');
  await ctx.shot(a.page, 'settings-school', true);
  await a.page.getByRole('link', { name: 'Отчёт по SMS' }).click();
  await a.page.locator('.report table.data').waitFor();
  const rt = await a.page.locator('.report table.data').innerText();
  check(/Отправлено SMS/.test(rt) && /Бюджет, частей\s+\d+/.test(rt), 'the SMS delivery report of the month is shown');
  await ctx.axe(a.page, 'settings: SMS report');
  await ctx.shot(a.page, 'settings-report', true);
  await a.context.close();
}
