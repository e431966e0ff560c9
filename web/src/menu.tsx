// Menu is the list of screens the signed-in person may open, by their roles and permissions.
import type { Me } from './api';
import { strings } from './i18n';
import { can } from './ui';

const tr = strings({
  ru: {
    menu: 'Разделы', lessons: 'Уроки', diary: 'Дневник', marks: 'Оценки', homework: 'Задания', debts: 'Долги',
    timetable: 'Расписание', messages: 'Сообщения', settings: 'Уведомления', classOf: 'Класс {name}',
    dashboard: 'Обзор', reports: 'Отчёты', warnings: 'Группа риска', people: 'Люди', import: 'Импорт',
    roles: 'Роли и права', movements: 'Движение', setup: 'Школа', ttEdit: 'Составление расписания',
    plans: 'КТП', events: 'События', audit: 'Журнал изменений',
  },
  en: {
    menu: 'Sections', lessons: 'Lessons', diary: 'Diary', marks: 'Marks', homework: 'Homework', debts: 'Debts',
    timetable: 'Timetable', messages: 'Messages', settings: 'Notifications', classOf: 'Class {name}',
    dashboard: 'Dashboard', reports: 'Reports', warnings: 'At risk', people: 'People', import: 'Import',
    roles: 'Roles and rights', movements: 'Movement', setup: 'School', ttEdit: 'Timetable editor',
    plans: 'Plans', events: 'Events', audit: 'Audit trail',
  },
});

interface Item { id: string; href: string; label: string }

/** menuItems are the screens of a person, in the order shown; id is the route name. */
export function menuItems(me: Me): Item[] {
  const items: Item[] = [];
  const add = (id: string, href: string, label: string) => items.push({ id, href, label });
  const teaches = me.roles.includes('teacher') || me.assignments.length > 0;
  const child = me.roles.includes('student') ? { id: me.id, class_id: me.class_id } : me.children[0];

  if (teaches) {
    add('', '#/', tr('lessons'));
    add('timetable', `#/timetable/teacher/${encodeURIComponent(me.id)}`, tr('timetable'));
  }
  for (const c of me.class_teacher_of) add('class', `#/class/${encodeURIComponent(c.id)}`, tr('classOf', { name: c.name }));
  if (child && !teaches) {
    const s = encodeURIComponent(child.id);
    add('diary', `#/diary/${s}`, tr('diary'));
    add('marks', `#/marks/${s}`, tr('marks'));
    add('homework', `#/homework/${s}`, tr('homework'));
    add('debts', `#/debts/${s}`, tr('debts'));
    if (child.class_id) add('timetable', `#/timetable/class/${encodeURIComponent(child.class_id)}`, tr('timetable'));
  }
  if (can(me, 'reports.read', 'school')) {
    add('dashboard', '#/dashboard', tr('dashboard'));
    add('reports', '#/reports', tr('reports'));
    add('warnings', '#/warnings', tr('warnings'));
  }
  if (can(me, 'people.read', 'school') || can(me, 'staff.read', 'school')) add('people', '#/people', tr('people'));
  if (can(me, 'students.write') || can(me, 'staff.write')) add('import', '#/import', tr('import'));
  if (can(me, 'movement.read')) add('movements', '#/movements', tr('movements'));
  if (can(me, 'school.write') || can(me, 'directory.write') || can(me, 'timetable.write', 'school')) add('setup', '#/setup', tr('setup'));
  if (can(me, 'timetable.write')) add('timetable-edit', '#/timetable-edit', tr('ttEdit'));
  if (can(me, 'plans.write')) add('plans', '#/plans', tr('plans'));
  if (me.kind === 'staff') add('events', '#/events', tr('events'));
  if (can(me, 'roles.manage')) add('roles', '#/roles', tr('roles'));
  if (can(me, 'audit.read')) add('audit', '#/audit', tr('audit'));
  add('messages', '#/messages', tr('messages'));
  if (can(me, 'notify.settings') || can(me, 'reports.read', 'school')) add('settings', '#/settings', tr('settings'));
  return items;
}

export function Menu({ me, current }: { me: Me; current: string }) {
  const items = menuItems(me);
  if (items.length < 2) return null;
  return (
    <nav class="menu" aria-label={tr('menu')}>
      <ul>
        {items.map((i) => (
          <li key={i.href}>
            <a href={i.href} aria-current={i.id === current ? 'page' : undefined}>{i.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
