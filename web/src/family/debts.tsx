// Debts: a student's academic debts (#/debts/<student>) — term or year marks of 2 or н/а of every school year,
// open ones first, closed ones with the retake's mark and date.
import { strings } from '../i18n';
import type { Directory } from '../model';
import { fmtDate, useLoad, type ScreenProps } from '../ui';
import { ChildSwitch, markClass, NoStudent, useDirectory, useStudent, withName } from './common';

const tr = strings({
  ru: {
    title: 'Академические задолженности', loading: 'Загрузка…', none: 'Академических задолженностей нет.',
    open: 'Не закрыты', closed: 'Закрыты', noneOpen: 'Незакрытых задолженностей нет.', year: 'год',
    mark: 'Отметка', retake: 'Пересдано на {value}, {date}', toRetake: 'Нужно пересдать',
    hint: 'Задолженность — отметка «2» или «н/а» за четверть (полугодие, триместр) или за год. Её закрывает пересдача.',
  },
  en: {
    title: 'Academic debts', loading: 'Loading…', none: 'No academic debts.',
    open: 'Open', closed: 'Closed', noneOpen: 'No open debts.', year: 'year',
    mark: 'Mark', retake: 'Retaken with {value} on {date}', toRetake: 'To be retaken',
    hint: 'A debt is a term or year mark of 2 or н/а (not assessed). A retake closes it.',
  },
});

/** Debt is an item of GET /v1/students/{id}/debts. */
interface Debt {
  year_id: string;
  subject_id: string;
  period: string;
  value: string;
  retake_value?: number;
  retake_date?: string;
}

/** periodName is "2 четверть, 2026/27" or "год 2026/27". */
function periodName(dir: Directory | undefined, d: Debt): string {
  const y = dir?.years.find((x) => x.id === d.year_id);
  const year = y?.name ?? d.year_id;
  if (d.period === 'year') return `${tr('year')} ${year}`;
  return `${y?.terms.find((t) => t.id === d.period)?.name ?? d.period}, ${year}`;
}

export default function Debts({ me, args }: ScreenProps) {
  const student = useStudent(me, args[0]);
  const { dir } = useDirectory();
  const debts = useLoad<{ items: Debt[] }>(student ? `v1/students/${encodeURIComponent(student.id)}/debts` : null);
  if (!student) return <NoStudent />;

  const data = debts.loading ? undefined : debts.data;
  const items = data?.items ?? [];
  const open = items.filter((d) => d.retake_value === undefined);
  const closed = items.filter((d) => d.retake_value !== undefined);
  const row = (d: Debt) => (
    <li key={`${d.year_id}/${d.period}/${d.subject_id}`} data-subject={d.subject_id} data-period={d.period}>
      <div class="subject-head">
        <strong>{dir?.subjects.get(d.subject_id)?.name ?? d.subject_id}</strong>
        <span>{tr('mark')} <b class={markClass(d.value)}>{d.value}</b></span>
      </div>
      <div class="muted">{periodName(dir, d)}</div>
      {d.retake_value !== undefined
        ? <div class="ok">{tr('retake', { value: d.retake_value, date: d.retake_date ? fmtDate(d.retake_date) : '—' })}</div>
        : <div class="error">{tr('toRetake')}</div>}
    </li>
  );

  return (
    <section class="family">
      <div class="card">
        <ChildSwitch me={me} id={student.id} route="debts" />
        <h2>{withName(tr('title'), student)}</h2>
        <p class="muted small">{tr('hint')}</p>
      </div>
      {debts.error && <p class="error card" role="alert">{debts.error}</p>}
      {!debts.error && !data && <p class="card" role="status">{tr('loading')}</p>}
      {data && items.length === 0 && <p class="card" role="status">{tr('none')}</p>}
      {items.length > 0 && (
        <>
          <div class="card debts">
            <h3>{tr('open')} ({open.length})</h3>
            {open.length === 0 ? <p class="muted">{tr('noneOpen')}</p> : <ul class="subjects">{open.map(row)}</ul>}
          </div>
          {closed.length > 0 && (
            <div class="card debts">
              <h3>{tr('closed')} ({closed.length})</h3>
              <ul class="subjects">{closed.map(row)}</ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
