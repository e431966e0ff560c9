// Shared pieces of the class teacher's screens: their texts, the school directory, the class's terms and
// the period picker, and moving between the screen's parts through the hash route.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { strings } from '../i18n';
import { loadDirectory, today, type Directory, type Term, type Year } from '../model';
import { errorText } from '../ui';

export const tr = strings({
  ru: {
    classTitle: 'Класс {name}',
    title: 'Классное руководство',
    noClass: 'Вы не классный руководитель ни одного класса.',
    overview: 'Сводка',
    attendance: 'Посещаемость',
    reports: 'Отчёты',
    term: 'Период',
    year: 'Год',
    ownPeriod: 'Свой период',
    from: 'С',
    to: 'По',
    show: 'Показать',
    student: 'Ученик',
    students: 'Ученики',
    subject: 'Предмет',
    noStudents: 'В классе нет учеников.',
    noSubjects: 'У класса нет предметов в этом году.',
    overviewTitle: 'Успеваемость: {term}',
    legend: 'В клетке: итоговая отметка (жирным — выставлена, курсивом — предлагаемая) и средний балл. Красным — «2» и н/а.',
    avgAll: 'Ср. по предметам',
    classAvg: 'Средний по классу',
    missed: 'Пропущено',
    missedOf: 'Пропущено (без причины)',
    marksLink: 'оценки',
    diaryLink: 'дневник',
    marksOf: 'Оценки: {name}',
    diaryOf: 'Дневник: {name}',
    suggestedMark: 'предлагаемая',
    attTitle: 'Посещаемость за {from} — {to}',
    lessons: 'Уроков',
    ill: 'По болезни',
    excused: 'По уваж. причине',
    unexcused: 'Без причины',
    late: 'Опозданий',
    percent: 'Посещ., %',
    classTotal: 'Весь класс',
    toJustify: 'Пропуски без причины',
    toJustifyHint: 'Отметка «н» станет «б» (по болезни) или «у» (уважительная причина); причина и документ записываются в журнал изменений.',
    noneToJustify: 'Пропусков без причины нет.',
    justified: 'Пропуски по болезни и с уважительной причиной',
    noneJustified: 'Таких пропусков нет.',
    justify: 'Оправдать',
    justifyAbsence: 'Оправдать пропуск: {name}, {date}',
    change: 'Изменить',
    changeAbsence: 'Изменить оправдание пропуска: {name}, {date}',
    justifyAs: 'Пропуск',
    reason: 'Причина',
    document: 'Документ (если есть)',
    documentShort: 'документ',
    justifiedBy: 'Оправдал(а): {name}, {when}',
    save: 'Сохранить',
    cancel: 'Отмена',
    saved: 'Сохранено: пропуск {name} {date} — {code}.',
    reasonIll: 'Болезнь',
    reasonParents: 'Заявление родителей',
    reasonDoctor: 'Справка от врача',
    reasonCompetition: 'Соревнования, олимпиада',
    reasonSchool: 'По распоряжению школы',
    docCertificate: 'Справка от врача',
    docParents: 'Заявление родителей',
    docOrder: 'Приказ по школе',
    periodNo: '{n}-й урок',
    absн: 'без причины',
    absб: 'по болезни',
    absу: 'уважительная причина',
    absо: 'опоздание',
    ctReport: 'Отчёт классного руководителя',
    sheet: 'Сводная ведомость',
    figures: 'Показатели класса',
    figure: 'Показатель',
    value: 'Значение',
    roll: 'Учеников в списке',
    attested: 'Аттестовано',
    excellent: 'Отличники',
    good: 'Хорошисты',
    satisfactory: 'С «3»',
    failing: 'Неуспевающие',
    na: 'н/а',
    success: 'Успеваемость, %',
    quality: 'Качество, %',
    sou: 'СОУ, %',
    average: 'Ср. балл',
    category: 'Категория',
    bySubject: 'По предметам',
    oneThree: 'С одной «3»',
    oneFour: 'С одной «4»',
    failingMarks: 'Неуспевающие: «2» и н/а',
    nobody: 'Нет.',
    catexcellent: 'отличник',
    catgood: 'хорошист',
    catsatisfactory: 'успевающий',
    catfailing: 'неуспевающий',
    downloads: 'Скачать',
    definition: 'Как считается',
  },
  en: {
    classTitle: 'Class {name}',
    title: 'Class teacher',
    noClass: 'You are not the class teacher of any class.',
    overview: 'Overview',
    attendance: 'Attendance',
    reports: 'Reports',
    term: 'Period',
    year: 'Year',
    ownPeriod: 'Custom period',
    from: 'From',
    to: 'To',
    show: 'Show',
    student: 'Student',
    students: 'Students',
    subject: 'Subject',
    noStudents: 'The class has no students.',
    noSubjects: 'The class has no subjects this year.',
    overviewTitle: 'Marks: {term}',
    legend: 'In a cell: the term mark (bold — given, italic — suggested) and the average. Red: 2 and n/a.',
    avgAll: 'Avg. of subjects',
    classAvg: 'Class average',
    missed: 'Missed',
    missedOf: 'Missed (no reason)',
    marksLink: 'marks',
    diaryLink: 'diary',
    marksOf: 'Marks: {name}',
    diaryOf: 'Diary: {name}',
    suggestedMark: 'suggested',
    attTitle: 'Attendance {from} — {to}',
    lessons: 'Lessons',
    ill: 'Ill',
    excused: 'Excused',
    unexcused: 'No reason',
    late: 'Late',
    percent: 'Present, %',
    classTotal: 'Whole class',
    toJustify: 'Absences without reason',
    toJustifyHint: 'The mark н becomes б (ill) or у (excused); the reason and the document are kept in the audit trail.',
    noneToJustify: 'No absences without reason.',
    justified: 'Absences for illness or with a good reason',
    noneJustified: 'None.',
    justify: 'Justify',
    justifyAbsence: 'Justify the absence: {name}, {date}',
    change: 'Change',
    changeAbsence: 'Change the justification: {name}, {date}',
    justifyAs: 'Absence',
    reason: 'Reason',
    document: 'Document (if any)',
    documentShort: 'document',
    justifiedBy: 'Justified by {name}, {when}',
    save: 'Save',
    cancel: 'Cancel',
    saved: 'Saved: the absence of {name} on {date} — {code}.',
    reasonIll: 'Illness',
    reasonParents: "A parent's note",
    reasonDoctor: "A doctor's note",
    reasonCompetition: 'A competition or olympiad',
    reasonSchool: "On the school's order",
    docCertificate: "A doctor's certificate",
    docParents: "A parent's note",
    docOrder: "The school's order",
    periodNo: 'lesson {n}',
    absн: 'no reason',
    absб: 'ill',
    absу: 'excused',
    absо: 'late',
    ctReport: "Class teacher's report",
    sheet: 'Summary sheet',
    figures: "The class's figures",
    figure: 'Figure',
    value: 'Value',
    roll: 'Students on the roll',
    attested: 'With term marks',
    excellent: 'Excellent (all 5)',
    good: 'Good (4 and 5)',
    satisfactory: 'With a 3',
    failing: 'Failing',
    na: 'n/a',
    success: 'Success, %',
    quality: 'Quality, %',
    sou: 'SOU, %',
    average: 'Average',
    category: 'Category',
    bySubject: 'By subject',
    oneThree: 'With a single 3',
    oneFour: 'With a single 4',
    failingMarks: 'Failing: 2 and n/a',
    nobody: 'None.',
    catexcellent: 'excellent',
    catgood: 'good',
    catsatisfactory: 'satisfactory',
    catfailing: 'failing',
    downloads: 'Download',
    definition: 'How it is counted',
  },
});

/** codeText is what an attendance code means, in the user's language. */
export function codeText(code: string): string {
  return ['н', 'б', 'у', 'о'].includes(code) ? tr(`abs${code}` as 'absн') : code;
}

/** useDirectory gives the school directory (years, subjects, classes), read once per sign-in. */
export function useDirectory(): { dir?: Directory; error?: string } {
  const [s, set] = useState<{ dir?: Directory; error?: string }>({});
  useEffect(() => {
    loadDirectory().then((dir) => set({ dir }), (e) => set({ error: errorText(e) }));
  }, []);
  return s;
}

/** yearOf is the class's school year, else the one holding today, else the last one. */
export function yearOf(dir: Directory, classID: string): Year | undefined {
  const id = dir.classes.get(classID)?.year_id;
  const d = today();
  return dir.years.find((y) => y.id === id) ?? dir.years.find((y) => y.start <= d && d <= y.end) ?? dir.years[dir.years.length - 1];
}

/** currentTerm is the term of the year holding today, or the last one begun before today, or the first. */
export function currentTerm(year: Year | undefined): Term | undefined {
  if (!year) return undefined;
  const d = today();
  return year.terms.find((t) => t.start <= d && d <= t.end) ?? [...year.terms].reverse().find((t) => t.start <= d) ?? year.terms[0];
}

/** goPart moves to a part of the class screen with a query (empty values left out). */
export function goPart(classID: string, part: string, q: Record<string, string | undefined>): void {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) s.set(k, v);
  const qs = s.toString();
  location.hash = `#/class/${encodeURIComponent(classID)}/${part}${qs ? `?${qs}` : ''}`;
}

/** TermSelect chooses one of the year's terms (and the whole year when year is given). */
export function TermSelect({ terms, value, onChange, year, other }: {
  terms: Term[];
  value: string;
  onChange: (id: string) => void;
  year?: boolean;
  other?: boolean;
}) {
  return (
    <label>
      {tr('term')}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {terms.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        {year && <option value="year">{tr('year')}</option>}
        {other && <option value="">{tr('ownPeriod')}</option>}
      </select>
    </label>
  );
}

/** Scroll is a wide table's box, scrolled sideways on a phone; it can take the focus, so the keyboard scrolls it. */
export function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
