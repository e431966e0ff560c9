// Student movement (#/movements/<student?>): orders of enrolment, transfer between classes and leaving, the
// movements of a period with the movement report per class, and one student's history.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { strings } from '../i18n';
import { className, loadDirectory, today, type Directory } from '../model';
import { can, DownloadButtons, ErrorNote, errorText, fmtDate, useLoad, Wait, type ScreenProps } from '../ui';
import './people.css';

const tr = strings({
  ru: {
    title: 'Движение учащихся', refused: 'Недостаточно прав для этого раздела.', newOrder: 'Новый приказ', kind: 'Движение',
    enrol: 'Зачисление', transfer: 'Перевод в другой класс', leave: 'Выбытие', find: 'Поиск ученика', student: 'Ученик',
    toClass: 'В класс', date: 'Дата движения', orderNo: 'Номер приказа', orderDate: 'Дата приказа', reason: 'Причина',
    record: 'Провести приказ', saving: 'Сохранение…', done: 'Проведено: {name}, {what}.', noMatch: 'Никого не нашлось.',
    left: 'выбыл', noClass: 'без класса', period: 'Приказы за период', from: 'С', to: 'По', none: 'За период движения не было.',
    fromTo: 'Откуда → куда', order: 'Приказ', orderOf: '№{no} от {date}', orderNo1: '№{no}', report: 'Отчёт о движении', klass: 'Класс',
    atStart: 'На начало', arrived: 'Прибыло', leftN: 'Выбыло', tin: 'Переведено в', tout: 'Переведено из', atEnd: 'На конец',
    total: 'Итого', history: 'История: {name}', noHistory: 'Движений нет.', card: 'Карточка ученика', orders: 'Приказы',
    pupils: 'учеников: {n}', pick: 'Выберите ученика.', shown: 'Показаны первые {n}; уточните поиск.',
  },
  en: {
    title: 'Student movement', refused: 'You have no access to this section.', newOrder: 'New order', kind: 'Movement',
    enrol: 'Enrolment', transfer: 'Transfer to another class', leave: 'Leaving', find: 'Find a student', student: 'Student',
    toClass: 'To class', date: 'Date of the movement', orderNo: 'Order number', orderDate: 'Order date', reason: 'Reason',
    record: 'Record the order', saving: 'Saving…', done: 'Recorded: {name}, {what}.', noMatch: 'Nobody found.',
    left: 'left', noClass: 'no class', period: 'Orders of the period', from: 'From', to: 'To', none: 'No movement in the period.',
    fromTo: 'From → to', order: 'Order', orderOf: 'No. {no} of {date}', orderNo1: 'No. {no}', report: 'Movement report', klass: 'Class',
    atStart: 'At start', arrived: 'Arrived', leftN: 'Left', tin: 'Transferred in', tout: 'Transferred out', atEnd: 'At end',
    total: 'Total', history: 'History: {name}', noHistory: 'No movements.', card: 'Student card', orders: 'Orders',
    pupils: 'students: {n}', pick: 'Choose a student.', shown: 'The first {n} shown; narrow the search.',
  },
});

type Kind = 'enrol' | 'transfer' | 'leave';
interface Person { id: string; full_name: string; class_id?: string; left?: boolean }
interface Movement {
  id: string;
  student_id: string;
  kind: Kind;
  from_class_id?: string;
  to_class_id?: string;
  date: string;
  order_no: string;
  order_date?: string;
  reason?: string;
}
interface Counts { at_start: number; arrived: number; left: number; transferred_in: number; transferred_out: number; at_end: number }
interface Period {
  movements: Movement[];
  report: { classes: (Counts & { class_id: string; class_name?: string })[]; total: Counts; orders: { order_no: string; order_date?: string; student_ids: string[] }[] };
}

const enc = encodeURIComponent;
const fold = (s: string) => s.toLowerCase().replaceAll('ё', 'е');
const countKeys: [keyof Counts, 'atStart' | 'arrived' | 'leftN' | 'tin' | 'tout' | 'atEnd'][] = [
  ['at_start', 'atStart'], ['arrived', 'arrived'], ['left', 'leftN'], ['transferred_in', 'tin'], ['transferred_out', 'tout'], ['at_end', 'atEnd'],
];

/** orderOf is "№12-у от 28.11.2026", or the number alone when the order has no date. */
function orderOf(o: { order_no: string; order_date?: string }): string {
  return o.order_date ? tr('orderOf', { no: o.order_no, date: fmtDate(o.order_date) }) : tr('orderNo1', { no: o.order_no });
}

/** yearStart is 1 September of the school year containing today. */
function yearStart(): string {
  const t = today();
  const y = Number(t.slice(0, 4)) - (Number(t.slice(5, 7)) < 9 ? 1 : 0);
  return `${y}-09-01`;
}

export default function Movements({ me, args }: ScreenProps) {
  const allowed = can(me, 'movement.read');
  const [dir, setDir] = useState<Directory>();
  const [from, setFrom] = useState(yearStart());
  const [to, setTo] = useState(today());
  const [tick, setTick] = useState(0);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const list = useLoad<Period>(allowed && valid ? `v1/movements?from=${from}&to=${to}` : null);
  const students = useLoad<{ items: Person[] }>(allowed ? 'v1/students' : null);
  const sid = args[0];
  useEffect(() => {
    loadDirectory().then(setDir, () => undefined);
  }, []);

  if (!allowed) {
    return <section class="card adm"><h2>{tr('title')}</h2><p class="error" role="alert">{tr('refused')}</p></section>;
  }
  const names = new Map((students.data?.items ?? []).map((s) => [s.id, s]));
  const name = (id: string) => names.get(id)?.full_name ?? id;
  const cls = (id?: string) => (id ? className(dir, id) : '—');
  const recorded = () => {
    list.reload();
    students.reload();
    setTick((n) => n + 1);
  };

  return (
    <div class="adm">
      <section class="card">
        <h2>{tr('title')}</h2>
        {sid && <History key={`${sid}/${tick}`} id={sid} name={name(sid)} cls={cls} />}
        {can(me, 'students.write') && (
          <OrderForm key={sid ?? ''} dir={dir} students={students.data?.items ?? []} initial={sid} cls={cls} onDone={recorded} />
        )}
      </section>
      <section class="card">
        <h3>{tr('period')}</h3>
        <div class="filters">
          <label>{tr('from')}<input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
          <label>{tr('to')}<input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
          {can(me, 'reports.read', 'school') && valid && <DownloadButtons path={`v1/reports/movement?from=${from}&to=${to}`} />}
        </div>
        <Wait l={list}>
          {(d) => (
            <>
              {d.movements.length ? (
                <div class="table-wrap">
                  <table class="data">
                    <thead>
                      <tr>
                        <th>{tr('date')}</th><th>{tr('student')}</th><th>{tr('kind')}</th><th>{tr('fromTo')}</th><th>{tr('order')}</th><th>{tr('reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.movements.map((m) => (
                        <tr key={m.id}>
                          <td>{fmtDate(m.date)}</td>
                          <td><a href={`#/movements/${enc(m.student_id)}`}>{name(m.student_id)}</a></td>
                          <td>{tr(m.kind)}</td>
                          <td>{cls(m.from_class_id)} → {cls(m.to_class_id)}</td>
                          <td>{orderOf(m)}</td>
                          <td>{m.reason ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : <p>{tr('none')}</p>}
              <h3>{tr('report')}</h3>
              <div class="table-wrap">
                <table class="data">
                  <thead>
                    <tr>
                      <th>{tr('klass')}</th>
                      {countKeys.map(([k, label]) => <th key={k} class="num">{tr(label)}</th>)}
                    </tr>
                  </thead>
                  <tbody>
                    {d.report.classes.map((c) => (
                      <tr key={c.class_id}>
                        <th scope="row">{c.class_name ?? cls(c.class_id)}</th>
                        {countKeys.map(([k]) => <td key={k} class="num">{c[k]}</td>)}
                      </tr>
                    ))}
                    <tr>
                      <th scope="row">{tr('total')}</th>
                      {countKeys.map(([k]) => <td key={k} class="num"><strong>{d.report.total[k]}</strong></td>)}
                    </tr>
                  </tbody>
                </table>
              </div>
              {d.report.orders.length > 0 && (
                <>
                  <h3>{tr('orders')}</h3>
                  <ul class="plain">
                    {d.report.orders.map((o) => (
                      <li key={o.order_no + o.order_date}>
                        <span>{orderOf(o)}</span>
                        <span class="muted">{tr('pupils', { n: o.student_ids.length })}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </Wait>
      </section>
    </div>
  );
}

function History({ id, name, cls }: { id: string; name: string; cls: (id?: string) => string }) {
  const l = useLoad<{ items: Movement[] }>(`v1/students/${enc(id)}/movements`);
  return (
    <div>
      <h3>{tr('history', { name })}</h3>
      <Wait l={l}>
        {(d) => d.items.length ? (
          <ul class="plain">
            {d.items.map((m) => (
              <li key={m.id}>
                <span>{fmtDate(m.date)} — {tr(m.kind)}: {cls(m.from_class_id)} → {cls(m.to_class_id)}</span>
                <span class="muted">{orderOf(m)}</span>
              </li>
            ))}
          </ul>
        ) : <p>{tr('noHistory')}</p>}
      </Wait>
      <p><a href={`#/people/students/${enc(id)}`}>{tr('card')}</a></p>
    </div>
  );
}

interface FormProps {
  dir?: Directory;
  students: Person[];
  initial?: string;
  cls: (id?: string) => string;
  onDone: () => void;
}

function OrderForm({ dir, students, initial, cls, onDone }: FormProps) {
  const [kind, setKind] = useState<Kind>('transfer');
  const [q, setQ] = useState('');
  const [pick, setPick] = useState(initial ?? '');
  const [toClass, setToClass] = useState('');
  const [date, setDate] = useState(today());
  const [orderNo, setOrderNo] = useState('');
  const [orderDate, setOrderDate] = useState(today());
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [ok, setOk] = useState('');

  const needle = fold(q.trim());
  const all = students.filter((s) => s.id === pick || (needle && fold(s.full_name).includes(needle)));
  const matches = all.slice(0, 50);
  const chosen = matches.some((s) => s.id === pick) ? pick : matches[0]?.id ?? '';
  const t = today();
  const year = dir?.years.find((y) => y.start <= t && t <= y.end);
  const classes = [...(dir?.classes.values() ?? [])].filter((c) => !year || c.year_id === year.id).sort((a, b) => a.grade - b.grade || a.letter.localeCompare(b.letter));
  const label = (s: Person) => `${s.full_name} (${s.left ? tr('left') : s.class_id ? cls(s.class_id) : tr('noClass')})`;
  const err = (k: string) => fields[k] && <span class="field-error">{fields[k]}</span>;

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    setFields({});
    setOk('');
    if (!chosen) return setError(tr('pick'));
    const body: Record<string, string> = { kind, student_id: chosen, date, order_no: orderNo };
    if (kind !== 'leave') body.to_class_id = toClass;
    if (orderDate) body.order_date = orderDate;
    if (reason.trim()) body.reason = reason.trim();
    setBusy(true);
    try {
      const m = await call<Movement>('POST', 'v1/movements', body);
      const who = students.find((s) => s.id === chosen)?.full_name ?? chosen;
      setOk(tr('done', { name: who, what: `${tr(m.kind).toLowerCase()} ${cls(m.from_class_id)} → ${cls(m.to_class_id)}` }));
      setPick('');
      setQ('');
      setReason('');
      onDone();
    } catch (x) {
      setError(errorText(x));
      if (x instanceof ApiError && x.fields) setFields(x.fields);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <h3>{tr('newOrder')}</h3>
      <form class="form" onSubmit={submit} noValidate>
        <div class="grid2">
          <label>
            {tr('kind')}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
              {(['enrol', 'transfer', 'leave'] as Kind[]).map((k) => <option key={k} value={k}>{tr(k)}</option>)}
            </select>
          </label>
          <label>{tr('find')}<input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} /></label>
          <label>
            {tr('student')}
            <select value={chosen} onChange={(e) => setPick(e.currentTarget.value)} disabled={!matches.length}>
              {matches.map((s) => <option key={s.id} value={s.id}>{label(s)}</option>)}
            </select>
            {err('student_id')}
            {needle && !all.length && <span class="muted">{tr('noMatch')}</span>}
            {all.length > matches.length && <span class="muted">{tr('shown', { n: matches.length })}</span>}
          </label>
          {kind !== 'leave' && (
            <label>
              {tr('toClass')}
              <select value={toClass} onChange={(e) => setToClass(e.currentTarget.value)}>
                <option value="">—</option>
                {classes.map((c) => <option key={c.id} value={c.id}>{className(dir, c.id)}</option>)}
              </select>
              {err('to_class_id')}
            </label>
          )}
          <label>{tr('date')}<input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />{err('date')}</label>
          <label>{tr('orderNo')}<input value={orderNo} onInput={(e) => setOrderNo(e.currentTarget.value)} />{err('order_no')}</label>
          <label>{tr('orderDate')}<input type="date" value={orderDate} onInput={(e) => setOrderDate(e.currentTarget.value)} />{err('order_date')}</label>
          <label>{tr('reason')}<input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />{err('reason')}</label>
        </div>
        <ErrorNote error={error} />
        {ok && <p class="ok" role="status">{ok}</p>}
        <div class="actions"><button class="primary" type="submit" disabled={busy}>{busy ? tr('saving') : tr('record')}</button></div>
      </form>
    </div>
  );
}
