// Import (#/import): students with their parents, or staff, from a CSV or XLSX file. The file is checked first
// (dry run: the report with every problem's line and column, nothing written), then imported for real.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, FileBody } from '../api';
import { strings } from '../i18n';
import { loadDirectory, today, type Year } from '../model';
import { can, errorText, type ScreenProps } from '../ui';
import './people.css';

const tr = strings({
  ru: {
    title: 'Импорт', refused: 'Недостаточно прав для импорта.', what: 'Что загружаем', students: 'Ученики с родителями',
    staff: 'Сотрудники', year: 'Учебный год (для столбца «Класс»)', file: 'Файл CSV или XLSX', check: 'Проверить файл',
    checking: 'Проверка…', run: 'Импортировать', running: 'Импорт…', template: 'Скачать образец CSV',
    columnsStudents: 'Столбцы: Фамилия*, Имя*, Отчество, Дата рождения*, Класс*, Адрес, Документ; родитель: Фамилия родителя, Имя родителя, Отчество родителя, Телефон родителя, Согласие на SMS (да/нет), Кем приходится (мать/отец/опекун); второй родитель — те же столбцы с « 2». Даты ДД.ММ.ГГГГ.',
    columnsStaff: 'Столбцы: Фамилия*, Имя*, Отчество, Должность*, Дата приёма*, Приказ, Телефон, Дата рождения. Даты ДД.ММ.ГГГГ. Роли назначаются потом в карточке.',
    steps: 'Сначала файл проверяется без записи; импорт доступен, когда ошибок нет. Повторный импорт того же файла ничего не удваивает.',
    report: 'Отчёт проверки', result: 'Результат импорта', rows: 'Строк с данными: {n}.', valid: 'Ошибок нет — файл можно импортировать.',
    invalid: 'Найдено ошибок: {n}. Ничего не записано — исправьте файл и проверьте снова.',
    holds: 'В файле: учеников {students}, родителей {parents}, связей {links}.', holdsStaff: 'В файле сотрудников: {staff}.',
    done: 'Импорт выполнен: учеников {students}, родителей {parents}, связей {links}.', doneStaff: 'Импорт выполнен: сотрудников {staff}.',
    line: 'Строка', column: 'Столбец', problem: 'Ошибка', whole: 'файл', pickFile: 'Выберите файл.', current: 'текущий',
    open: 'Открыть список',
  },
  en: {
    title: 'Import', refused: 'You have no right to import.', what: 'What to import', students: 'Students with parents',
    staff: 'Staff', year: 'School year (for the Class column)', file: 'CSV or XLSX file', check: 'Check the file',
    checking: 'Checking…', run: 'Import', running: 'Importing…', template: 'Download a sample CSV',
    columnsStudents: 'Columns: Last name*, First name*, Middle name, Birth date*, Class*, Address, Document; parent: Parent last name, Parent first name, Parent middle name, Parent phone, SMS consent (yes/no), Relation (mother/father/guardian); a second parent: the same columns ending in " 2". Dates DD.MM.YYYY.',
    columnsStaff: 'Columns: Last name*, First name*, Middle name, Position*, Hired on*, Order, Phone, Birth date. Dates DD.MM.YYYY. Roles are given afterwards on the card.',
    steps: 'The file is checked first without writing; importing is possible once it has no problems. Importing the same file again doubles nothing.',
    report: 'Check report', result: 'Import result', rows: 'Data rows: {n}.', valid: 'No problems: the file can be imported.',
    invalid: 'Problems found: {n}. Nothing was written: correct the file and check it again.',
    holds: 'The file holds: students {students}, parents {parents}, links {links}.', holdsStaff: 'Staff members in the file: {staff}.',
    done: 'Imported: students {students}, parents {parents}, links {links}.', doneStaff: 'Imported: staff members {staff}.',
    line: 'Line', column: 'Column', problem: 'Problem', whole: 'file', pickFile: 'Choose a file.', current: 'current',
    open: 'Open the list',
  },
});

type Kind = 'students' | 'staff';
interface Problem { line: number; column: string; message: string }
interface Report { valid: boolean; rows: number; errors: Problem[]; summary: Record<string, number> }

const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const templates: Record<Kind, string> = {
  students: 'Фамилия;Имя;Отчество;Дата рождения;Класс;Адрес;Документ;Фамилия родителя;Имя родителя;Отчество родителя;Телефон родителя;Согласие на SMS;Кем приходится\r\n'
    + 'Иванов;Иван;Иванович;01.09.2015;5А;г. Талица, ул. Ленина, 1;Свидетельство о рождении II-АИ 123456;Иванова;Мария;Петровна;+79120000000;да;мать\r\n',
  staff: 'Фамилия;Имя;Отчество;Должность;Дата приёма;Приказ;Телефон;Дата рождения\r\nПетрова;Анна;Сергеевна;Учитель математики;01.09.2026;15-к;+79120000001;12.03.1990\r\n',
};

/** contentType is the file's type for the request, by its name when the browser gives none. */
function contentType(f: File): string {
  const n = f.name.toLowerCase();
  if (n.endsWith('.xlsx')) return xlsx;
  if (n.endsWith('.csv') || n.endsWith('.txt')) return 'text/csv';
  return f.type || 'application/octet-stream';
}

function saveTemplate(kind: Kind) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(['\ufeff' + templates[kind]], { type: 'text/csv' }));
  a.download = kind === 'students' ? 'students.csv' : 'staff.csv';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export default function Import({ me }: ScreenProps) {
  const kinds = (['students', 'staff'] as Kind[]).filter((k) => can(me, k === 'students' ? 'students.write' : 'staff.write'));
  const [kind, setKind] = useState<Kind>(kinds[0] ?? 'students');
  const [years, setYears] = useState<Year[]>([]);
  const [year, setYear] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<{ r: Report; real: boolean } | null>(null);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    loadDirectory().then((d) => setYears(d.years), () => undefined);
  }, []);

  if (!kinds.length) {
    return <section class="card adm"><h2>{tr('title')}</h2><p class="error" role="alert">{tr('refused')}</p></section>;
  }
  const t = today();
  const currentYear = years.find((y) => y.start <= t && t <= y.end);

  function reset() {
    setReport(null);
    setError('');
  }

  async function send(real: boolean) {
    if (!file) return setError(tr('pickFile'));
    setBusy(real ? 'run' : 'check');
    reset();
    const q = new URLSearchParams();
    if (!real) q.set('dry_run', 'true');
    if (kind === 'students' && year) q.set('year_id', year);
    const qs = q.toString();
    try {
      const r = await call<Report>('POST', `v1/import/${kind}${qs ? '?' + qs : ''}`, new FileBody(file, contentType(file)));
      setReport({ r, real });
    } catch (e) {
      // A rejected file comes as an error whose fields are keyed "<line>:<column>".
      const fields = e instanceof ApiError ? Object.entries(e.fields ?? {}) : [];
      if (fields.length && fields.every(([k]) => /^\d+:/.test(k))) {
        const errors = fields.map(([k, message]) => {
          const i = k.indexOf(':');
          return { line: Number(k.slice(0, i)), column: k.slice(i + 1), message };
        });
        setReport({ r: { valid: false, rows: 0, errors, summary: {} }, real: false });
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy('');
    }
  }

  const r = report?.r;
  const s = r?.summary ?? {};
  const counts = { students: s.students ?? 0, parents: s.parents ?? 0, links: s.links ?? 0, staff: s.staff ?? 0 };
  return (
    <div class="adm">
      <section class="card">
        <h2>{tr('title')}</h2>
        <p class="muted">{tr('steps')}</p>
        <form class="form" onSubmit={(e) => { e.preventDefault(); send(false); }}>
          <fieldset>
            <legend>{tr('what')}</legend>
            {kinds.map((k) => (
              <label class="check" key={k}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => { setKind(k); reset(); }} />
                {tr(k)}
              </label>
            ))}
          </fieldset>
          <p class="muted">{tr(kind === 'students' ? 'columnsStudents' : 'columnsStaff')}</p>
          <div class="grid2">
            {kind === 'students' && (
              <label>
                {tr('year')}
                <select value={year} onChange={(e) => { setYear(e.currentTarget.value); reset(); }}>
                  <option value="">{currentYear ? `${currentYear.name} (${tr('current')})` : tr('current')}</option>
                  {years.filter((y) => y !== currentYear).map((y) => <option key={y.id} value={y.id}>{y.name}</option>)}
                </select>
              </label>
            )}
            <label>
              {tr('file')}
              <input type="file" accept={`.csv,.xlsx,text/csv,${xlsx}`} onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); reset(); }} />
            </label>
          </div>
          {error && <p class="error" role="alert">{error}</p>}
          <div class="actions">
            <button class="primary" type="submit" disabled={busy !== ''}>{busy === 'check' ? tr('checking') : tr('check')}</button>
            {r?.valid && !report?.real && (
              <button class="primary" type="button" disabled={busy !== ''} onClick={() => send(true)}>{busy === 'run' ? tr('running') : tr('run')}</button>
            )}
            <button class="btn" type="button" onClick={() => saveTemplate(kind)}>{tr('template')}</button>
          </div>
        </form>
      </section>
      {r && (
        <section class="card" aria-live="polite">
          <h3>{tr(report.real ? 'result' : 'report')}</h3>
          <div role="status">
            {report.real ? (
              <p class="ok">{tr(kind === 'students' ? 'done' : 'doneStaff', counts)}</p>
            ) : (
              <>
                {r.rows > 0 && <p>{tr('rows', { n: r.rows })}</p>}
                {r.valid ? <p class="ok">{tr('valid')}</p> : <p class="error">{tr('invalid', { n: r.errors.length })}</p>}
                {r.valid && <p>{tr(kind === 'students' ? 'holds' : 'holdsStaff', counts)}</p>}
              </>
            )}
          </div>
          {report.real && <p><a href={`#/people/${kind}`}>{tr('open')}</a></p>}
          {r.errors.length > 0 && (
            <div class="table-wrap">
              <table class="data">
                <thead>
                  <tr><th class="num">{tr('line')}</th><th>{tr('column')}</th><th>{tr('problem')}</th></tr>
                </thead>
                <tbody>
                  {[...r.errors].sort((a, b) => a.line - b.line).map((x, i) => (
                    <tr key={i}>
                      <td class="num">{x.line || tr('whole')}</td>
                      <td>{x.column || '—'}</td>
                      <td>{x.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
