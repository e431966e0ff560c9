// A tiny dictionary: Russian by default, English on request. Keys are English phrases' ids.

export type Lang = 'ru' | 'en';

const ru = {
  appName: 'Электронный журнал',
  loading: 'Загрузка…',
  login: 'Логин',
  password: 'Пароль',
  signIn: 'Войти',
  signingIn: 'Вход…',
  signInWith: 'Войти через {name}',
  signOut: 'Выйти',
  sessions: 'Сеансы',
  thisDevice: 'это устройство',
  signedInAt: 'вход',
  lastUsed: 'активность',
  endSession: 'Завершить',
  signOutEverywhere: 'Выйти на всех устройствах',
  changePassword: 'Смена пароля',
  changePasswordIntro: 'Это первый вход: задайте свой пароль (не короче 8 символов, буквы и цифры).',
  newPassword: 'Новый пароль',
  repeatPassword: 'Повторите пароль',
  passwordsDiffer: 'Пароли не совпадают.',
  save: 'Сохранить',
  language: 'English',
  languageLabel: 'Switch to English',
  offline: 'Нет сети',
  networkError: 'Нет связи с сервером. Проверьте подключение.',
  sessionExpired: 'Сеанс закончился, войдите снова.',
  hello: 'Здравствуйте',
  home: 'Главная',
  back: 'Назад',
  todayLessons: 'Уроки',
  noLessons: 'Уроков нет.',
  prevDay: 'Предыдущий день',
  nextDay: 'Следующий день',
  today: 'Сегодня',
  period: 'урок',
  journal: 'Журнал',
  openJournal: 'Открыть журнал',
  term: 'Период',
  student: 'Ученик',
  average: 'Ср.',
  suggested: 'Итог (предл.)',
  journalHelp: 'Клавиши: 5 4 3 2 — отметка (можно несколько), н б у о — посещаемость, Backspace — убрать, стрелки, Tab и Enter — переход.',
  entryButtons: 'Ввод отметок и посещаемости',
  remove: 'Убрать последнее',
  saving: 'Сохранение…',
  saved: 'Сохранено',
  failed: 'Ошибка сохранения',
  pending: 'Не отправлено: {n}',
  waitingNetwork: 'ждёт сети',
  failedItems: 'Не сохранено',
  dismiss: 'Убрать',
  retry: 'Повторить',
  unsentOnSignOut: 'Не отправлено записей: {n}. Они останутся на этом устройстве и уйдут после следующего входа. Выйти?',
  diary: 'Дневник',
  child: 'Ребёнок',
  prevWeek: 'Предыдущая неделя',
  nextWeek: 'Следующая неделя',
  thisWeek: 'Эта неделя',
  topic: 'Тема',
  homework: 'Д/з',
  homeworkFull: 'Домашнее задание',
  editLesson: 'Тема и д/з',
  cancel: 'Отмена',
  noLessonsDay: 'Уроков нет',
  absence: { н: 'не был', б: 'болел', у: 'уваж. причина', о: 'опоздал' } as Record<string, string>,
  missedTotal: 'Пропущено уроков: {n}',
  myClasses: 'Классное руководство',
  notYet: 'Экраны для вашей роли появятся позже. Пока доступны данные через API.',
  weekdays: ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'],
  months: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
  room: 'каб.',
  error: 'Ошибка',
};

type Dict = typeof ru;

const en: Dict = {
  appName: 'E-journal',
  loading: 'Loading…',
  login: 'Login',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInWith: 'Sign in with {name}',
  signOut: 'Sign out',
  sessions: 'Sessions',
  thisDevice: 'this device',
  signedInAt: 'signed in',
  lastUsed: 'last used',
  endSession: 'End',
  signOutEverywhere: 'Sign out everywhere',
  changePassword: 'Change password',
  changePasswordIntro: 'This is your first sign-in: choose your own password (8 characters or more, letters and digits).',
  newPassword: 'New password',
  repeatPassword: 'Repeat the password',
  passwordsDiffer: 'The passwords differ.',
  save: 'Save',
  language: 'Русский',
  languageLabel: 'Переключить на русский',
  offline: 'Offline',
  networkError: 'No connection to the server. Check the network.',
  sessionExpired: 'The session has ended; sign in again.',
  hello: 'Hello',
  home: 'Home',
  back: 'Back',
  todayLessons: 'Lessons',
  noLessons: 'No lessons.',
  prevDay: 'Previous day',
  nextDay: 'Next day',
  today: 'Today',
  period: 'lesson',
  journal: 'Journal',
  openJournal: 'Open the journal',
  term: 'Term',
  student: 'Student',
  average: 'Avg.',
  suggested: 'Suggested',
  journalHelp: 'Keys: 5 4 3 2 — a mark (several allowed), н б у о — attendance, Backspace — remove, arrows, Tab and Enter — move.',
  entryButtons: 'Marks and attendance',
  remove: 'Remove the last entry',
  saving: 'Saving…',
  saved: 'Saved',
  failed: 'Not saved',
  pending: 'Unsent: {n}',
  waitingNetwork: 'waiting for the network',
  failedItems: 'Not saved',
  dismiss: 'Dismiss',
  retry: 'Retry',
  unsentOnSignOut: '{n} entries are unsent. They stay on this device and are sent after the next sign-in. Sign out?',
  diary: 'Diary',
  child: 'Child',
  prevWeek: 'Previous week',
  nextWeek: 'Next week',
  thisWeek: 'This week',
  topic: 'Topic',
  homework: 'Homework',
  homeworkFull: 'Homework',
  editLesson: 'Topic and homework',
  cancel: 'Cancel',
  noLessonsDay: 'No lessons',
  absence: { н: 'absent', б: 'ill', у: 'excused', о: 'late' },
  missedTotal: 'Lessons missed: {n}',
  myClasses: 'Class teacher of',
  notYet: 'Screens for your role come later. The API already serves the data.',
  weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  room: 'room',
  error: 'Error',
};

type StringKey = { [K in keyof Dict]: Dict[K] extends string ? K : never }[keyof Dict];

let current: Lang = localStorage.getItem('ej.lang') === 'en' ? 'en' : 'ru';
document.documentElement.lang = current;

/** lang is the language of the interface. */
export function lang(): Lang {
  return current;
}

/** setLang switches the language and remembers it on this device. */
export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem('ej.lang', l);
  document.documentElement.lang = l;
}

/** dict is the dictionary of the current language, for lists and maps. */
export function dict(): Dict {
  return current === 'en' ? en : ru;
}

/** t translates a key, replacing {name} with vars[name]. */
export function t(key: StringKey, vars?: Record<string, string | number>): string {
  let s = dict()[key] as string;
  if (vars) {
    for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
  }
  return s;
}

/** Strings is a screen's own dictionary: the same keys in Russian and English. Screens loaded lazily keep
 * their texts in their own chunk this way. */
export type Strings<K extends string> = { ru: Record<K, string>; en: Record<K, string> };

/** strings makes a translate function for a screen's own dictionary: tr('key', {n: 3}) replaces {n}. */
export function strings<K extends string>(d: Strings<K>): (key: K, vars?: Record<string, string | number>) => string {
  return (key, vars) => {
    let s = (current === 'en' ? d.en : d.ru)[key] ?? key;
    if (vars) {
      for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    }
    return s;
  };
}
