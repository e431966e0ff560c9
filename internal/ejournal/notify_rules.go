package ejournal

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Notification rules: the texts parents receive, how many SMS segments a
// text costs, when quiet hours end, when a digest goes out and whether the
// school's SMS budget allows one more message. Everything here is pure; the
// pipeline that applies the rules lives in the adapters.

// Defaults of a school that has not changed its notification settings.
const (
	DefaultQuietStart        = "21:00"
	DefaultQuietEnd          = "08:00"
	DefaultDigestTime        = "19:00"
	DefaultMonthlySMSBudget  = 3000
	DefaultSegmentCost       = Hundredths(350) // 3.50 ₽ a segment
	DefaultCorrectionMinutes = 5
)

// Limits of the settings.
const (
	maxMonthlySMSBudget  = 1_000_000
	maxSegmentCost       = Hundredths(100_00) // 100 ₽
	maxCorrectionMinutes = 60
	// MessageMaxSegments is how many segments the SMS copy of a message may
	// take; longer messages are cut with "…" (the whole text is in the inbox).
	MessageMaxSegments = 2
	// DigestMaxSegments is how many segments a digest may take; what does
	// not fit is counted as "+N в журнале".
	DigestMaxSegments = 4
	// maxFirstName caps a first name in a text, so that a mistyped name
	// cannot push a notice into a second segment by itself.
	maxFirstName = 20
	// maxSenderName caps the sender's name in a message's text.
	maxSenderName = 40
)

// NoticeFacts are what a notice says: only the child's first name and the
// facts of one event, never a surname or anything about other children.
type NoticeFacts struct {
	Kind NoticeKind
	// ChildFirstName is the child's first name; only its first word is used.
	ChildFirstName string
	// Subject is the subject's name or short name; texts abbreviate it with
	// SubjectAbbrev.
	Subject string
	// Value is the mark (NoticeMark) or a numeric term mark (NoticeTermMark).
	Value int
	// TermValue is the term mark when it is not a number (н/а, осв.); it
	// wins over Value when set.
	TermValue TermValue
	// Changed says that an earlier mark was changed to Value.
	Changed bool
	Code    AttendanceCode
	// Date is the lesson's date (marks and absences).
	Date Date
	// Term is the term's name ("2 четверть") or YearPeriod.
	Term string
	// Sender is the name a message is signed with (Имя Отчество), and Body
	// its text (NoticeMessage).
	Sender, Body string
}

// NoticeText is the SMS text of one notice, in Russian, fitting one UCS-2
// segment for the usual names and subjects (a message takes at most
// MessageMaxSegments). Examples:
//
//	Маша: оценка 5, матем., 28.11
//	Маша: пропуск урока (н), физ-ра, 28.11
//	Маша: итоговая оценка 4 за 2 четв., матем.
//	Сообщение от Анны Петровны: Завтра собрание в 18:00…
//
// Subjects are labels, never declined ("по физике" would need the dative
// of every subject and abbreviation); a sender's name is put in the
// genitive when it is a first name and patronymic.
func NoticeText(n NoticeFacts) string {
	name := firstName(n.ChildFirstName)
	subj := lowerFirst(SubjectAbbrev(n.Subject))
	switch n.Kind {
	case NoticeMark:
		what := fmt.Sprintf("оценка %d", n.Value)
		if n.Changed {
			what = fmt.Sprintf("оценка изменена на %d", n.Value)
		}
		return name + ": " + joinNonEmpty(what, subj, onDate("", n.Date))
	case NoticeAbsence:
		return name + ": " + joinNonEmpty(absenceWords(n.Code), subj, onDate("", n.Date))
	case NoticeTermMark:
		return name + ": " + joinNonEmpty(fmt.Sprintf("итоговая оценка %s за %s", n.termValue(), termAbbrev(n.Term)), subj)
	case NoticeMessage:
		return fitSegments("Сообщение"+from(n.Sender)+": ", oneLine(n.Body), MessageMaxSegments)
	}
	return ""
}

// DigestText is the daily digest for one child: the day's marks grouped by
// subject, absences and term marks, compactly, e.g.
//
//	Маша, 28.11: матем. 5, 4; рус.яз. 3; физ-ра пропуск (н)
//
// Items of different dates carry their date. A digest takes at most
// DigestMaxSegments; what does not fit is counted at the end ("+3 в
// журнале"). No items give "".
func DigestText(childFirstName string, items []NoticeFacts) string {
	if len(items) == 0 {
		return ""
	}
	// One date among the dated items goes in the head; several go with
	// each item.
	var date Date
	sameDate := true
	for _, it := range items {
		if it.Date != "" && date != "" && it.Date != date {
			sameDate = false
		}
		if date == "" {
			date = it.Date
		}
	}
	head := firstName(childFirstName)
	if sameDate {
		head += onDate(", ", date)
	}
	head += ": "

	// Marks of one subject and date share an entry: "матем. 5, 4". Entries
	// keep the order of first appearance.
	type entry struct {
		text, dated string
		marks       []string
	}
	var entries []*entry
	bySubject := map[string]*entry{}
	for _, it := range items {
		subj := lowerFirst(SubjectAbbrev(it.Subject))
		dated := ""
		if !sameDate && it.Date != "" {
			dated = onDate(" (", it.Date) + ")"
		}
		switch it.Kind {
		case NoticeMark:
			key := subj + "\x00" + string(it.Date)
			if e := bySubject[key]; e != nil {
				e.marks = append(e.marks, strconv.Itoa(it.Value))
				continue
			}
			e := &entry{text: subj, dated: dated, marks: []string{strconv.Itoa(it.Value)}}
			bySubject[key] = e
			entries = append(entries, e)
		case NoticeAbsence:
			entries = append(entries, &entry{text: subj + " " + absenceShort(it.Code), dated: dated})
		case NoticeTermMark:
			entries = append(entries, &entry{text: "итог " + termAbbrev(it.Term) + " " + subj + " " + string(it.termValue())})
		case NoticeMessage:
			entries = append(entries, &entry{text: "сообщение" + from(it.Sender)})
		}
	}
	parts := make([]string, len(entries))
	counts := make([]int, len(entries))
	for i, e := range entries {
		parts[i], counts[i] = strings.TrimSpace(e.text)+e.dated, 1
		if e.marks != nil {
			parts[i], counts[i] = strings.TrimSpace(e.text+" "+strings.Join(e.marks, ", "))+e.dated, len(e.marks)
		}
	}
	for shown := len(parts); shown > 0; shown-- {
		text := head + strings.Join(parts[:shown], "; ")
		if rest := sum(counts[shown:]); rest > 0 {
			text += fmt.Sprintf("; +%d в журнале", rest)
		}
		if n, _ := SMSSegments(text); n <= DigestMaxSegments {
			return text
		}
	}
	return fitSegments(head, fmt.Sprintf("%d в журнале", sum(counts)), DigestMaxSegments)
}

// joinNonEmpty joins the parts that are not empty with commas.
func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

func (n NoticeFacts) termValue() TermValue {
	if n.TermValue != "" {
		return n.TermValue
	}
	return TermValueOf(n.Value)
}

// firstName is the first word of name, at most maxFirstName letters; a
// surname typed into the field is never used.
func firstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return "Ребёнок"
	}
	r := []rune(f[0])
	if len(r) > maxFirstName {
		r = r[:maxFirstName]
	}
	return string(r)
}

// onDate is sep and "dd.mm" of d, or "" for no date.
func onDate(sep string, d Date) string {
	t := d.Time()
	if t.IsZero() {
		return ""
	}
	return sep + t.Format("02.01")
}

func absenceWords(c AttendanceCode) string {
	switch c {
	case Absent:
		return "пропуск урока (н)"
	case Ill:
		return "пропуск по болезни (б)"
	case Excused:
		return "пропуск по уваж. причине (у)"
	case Late:
		return "опоздание на урок (о)"
	}
	return "отметка посещаемости"
}

func absenceShort(c AttendanceCode) string {
	switch c {
	case Absent, Excused:
		return "пропуск (" + string(c) + ")"
	case Ill:
		return "болезнь (б)"
	case Late:
		return "опоздание (о)"
	}
	return "посещаемость"
}

// from is " от " and the sender's name in the genitive ("Анна Петровна" →
// " от Анны Петровны"); any other name (with a surname, initials, a
// title) follows a dash instead: " — Иванова А. П.". No sender gives "".
func from(sender string) string {
	words := strings.Fields(oneLine(sender))
	if len(words) == 0 {
		return ""
	}
	if len(words) == 2 {
		female := strings.HasSuffix(words[1], "на")
		first, ok1 := genitive(words[0], female, false)
		patronymic, ok2 := genitive(words[1], female, true)
		if ok1 && ok2 {
			return " от " + first + " " + patronymic
		}
	}
	name := []rune(strings.Join(words, " "))
	if len(name) > maxSenderName {
		name = append(name[:maxSenderName-1], '…')
	}
	return " — " + string(name)
}

// irregularGenitives are first names whose vowel drops in the genitive.
var irregularGenitives = map[string]string{"Пётр": "Петра", "Петр": "Петра", "Павел": "Павла", "Лев": "Льва"}

// genitive declines a Russian first name or patronymic; ok is false for
// a word it does not recognise as one (initials, a surname).
func genitive(w string, female, patronymic bool) (string, bool) {
	r := []rune(w)
	if len(r) < 2 || !unicode.IsUpper(r[0]) || strings.ContainsAny(w, ".-") {
		return "", false
	}
	if g, ok := irregularGenitives[w]; ok {
		return g, true
	}
	last, stem := r[len(r)-1], string(r[:len(r)-1])
	switch {
	case patronymic && strings.HasSuffix(w, "ич"):
		return w + "а", true
	case patronymic && strings.HasSuffix(w, "на"):
		return stem + "ы", true
	case patronymic:
		return "", false
	case strings.HasSuffix(w, "ия"), strings.HasSuffix(w, "ья"), last == 'я':
		return stem + "и", true
	case last == 'а' && strings.ContainsRune("гкхжшщч", r[len(r)-2]):
		return stem + "и", true
	case last == 'а':
		return stem + "ы", true
	case last == 'й':
		return stem + "я", true
	case last == 'ь' && female:
		return stem + "и", true
	case last == 'ь':
		return stem + "я", true
	case isConsonant(last) && !female:
		return w + "а", true
	}
	return w, true
}

// termAbbrev shortens a term's name: "2 четверть" → "2 четв.", "year" → "год".
func termAbbrev(term string) string {
	t := oneLine(term)
	if t == YearPeriod || strings.EqualFold(t, "год") || t == "" {
		return "год"
	}
	for _, r := range []struct{ long, short string }{
		{"четверть", "четв."}, {"полугодие", "полуг."}, {"триместр", "трим."},
	} {
		t = strings.ReplaceAll(t, r.long, r.short)
	}
	return t
}

// subjectAbbrevs maps the usual subjects of Russian schools (normalised:
// lower case, ё as е, single spaces) to the short forms used in SMS.
var subjectAbbrevs = map[string]string{
	"русский язык":                        "Рус.яз.",
	"литература":                          "Лит-ра",
	"литературное чтение":                 "Лит.чт.",
	"родной язык":                         "Родн.яз.",
	"родной язык (русский)":               "Родн.яз.",
	"родная литература":                   "Родн.лит.",
	"литературное чтение на родном языке": "Родн.чт.",
	"английский язык":                     "Англ.яз.",
	"немецкий язык":                       "Нем.яз.",
	"французский язык":                    "Франц.яз.",
	"испанский язык":                      "Исп.яз.",
	"китайский язык":                      "Кит.яз.",
	"иностранный язык":                    "Ин.яз.",
	"второй иностранный язык":             "2-й ин.яз.",
	"математика":                          "Матем.",
	"алгебра":                             "Алгебра",
	"геометрия":                           "Геом.",
	"алгебра и начала математического анализа": "Алгебра",
	"вероятность и статистика":                 "Вер.и стат.",
	"информатика":       "Информ.",
	"информатика и икт": "Информ.",
	"окружающий мир":    "Окр.мир",
	"основы религиозных культур и светской этики":         "ОРКСЭ",
	"основы духовно-нравственной культуры народов россии": "ОДНКНР",
	"история":                   "История",
	"история россии":            "Ист.России",
	"всеобщая история":          "Всеобщ.ист.",
	"обществознание":            "Общество",
	"география":                 "Геогр.",
	"биология":                  "Биол.",
	"физика":                    "Физика",
	"химия":                     "Химия",
	"астрономия":                "Астрон.",
	"естествознание":            "Естеств.",
	"музыка":                    "Музыка",
	"изобразительное искусство": "ИЗО",
	"мировая художественная культура": "МХК",
	"технология":          "Технол.",
	"труд (технология)":   "Труд",
	"труд":                "Труд",
	"физическая культура": "Физ-ра",
	"основы безопасности и защиты родины":   "ОБЗР",
	"основы безопасности жизнедеятельности": "ОБЖ",
	"индивидуальный проект":                 "Инд.проект",
	"экономика": "Эконом.",
	"право":     "Право",
	"черчение":  "Черчение",
	"основы финансовой грамотности": "Фин.грам.",
}

// SubjectAbbrev is the short form of a subject's name used in SMS:
// "Математика" → "Матем.", "Русский язык" → "Рус.яз.". A name the table
// does not know is shortened by rule: a bracketed part is dropped, three or
// more words make an acronym, long words are cut after a consonant.
func SubjectAbbrev(name string) string {
	s := oneLine(name)
	key := strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	if short, ok := subjectAbbrevs[key]; ok {
		return short
	}
	if i := strings.IndexByte(s, '('); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	var words []string
	for _, w := range strings.Fields(s) {
		if utf8.RuneCountInString(w) > 2 || len(words) == 0 {
			words = append(words, w)
		}
	}
	switch {
	case len(words) == 0:
		return ""
	case len(words) >= 3:
		var b strings.Builder
		for _, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToUpper(r))
		}
		return b.String()
	case len(words) == 2:
		return cutWord(words[0], 4) + cutWord(words[1], 4)
	}
	if utf8.RuneCountInString(words[0]) <= 8 {
		return words[0]
	}
	return cutWord(words[0], 6)
}

// cutWord keeps at most n letters of w and ends the cut after a consonant
// with a dot ("Математика" → "Матем."); a word of up to n+1 letters stays.
func cutWord(w string, n int) string {
	r := []rune(w)
	if len(r) <= n+1 {
		return w
	}
	i := n
	for i > 2 && !isConsonant(r[i-1]) {
		i--
	}
	return string(r[:i]) + "."
}

func isConsonant(r rune) bool {
	return unicode.IsLetter(r) && !strings.ContainsRune("аеёиоуыэюяьъйaeiouy", unicode.ToLower(r))
}

// lowerFirst lowers the first letter of a word that is not an acronym:
// "Матем." → "матем.", "ОРКСЭ" stays.
func lowerFirst(s string) string {
	if s == "" {
		return ""
	}
	first, n := utf8.DecodeRuneInString(s)
	second, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(second) {
		return s
	}
	return string(unicode.ToLower(first)) + s[n:]
}

// oneLine collapses runs of white space (line breaks included) into single
// spaces and drops other control characters.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// fitSegments is prefix+body, with body cut (at a word boundary when one is
// near) and ended with "…" so that the text takes at most max segments.
func fitSegments(prefix, body string, max int) string {
	if n, _ := SMSSegments(prefix + body); n <= max {
		return prefix + body
	}
	r := []rune(body)
	// The longest cut that fits: segments grow with length.
	k := sort.Search(len(r)+1, func(k int) bool {
		n, _ := SMSSegments(prefix + string(r[:k]) + "…")
		return n > max
	}) - 1
	if k < 0 {
		k = 0
	}
	cut := string(r[:k])
	if i := strings.LastIndexByte(cut, ' '); i > 0 && utf8.RuneCountInString(cut[i:]) <= 15 {
		cut = cut[:i]
	}
	return prefix + strings.TrimRight(cut, " ,.;:-") + "…"
}

// gsmBasic is the GSM 03.38 default alphabet; gsmExtension are the
// characters sent with an escape, counting two septets.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

// SMSSegments is how many SMS segments text takes and whether it needs
// UCS-2. Text entirely in the GSM-7 alphabet takes one segment up to 160
// septets (extension characters such as € count two) and 153 per segment
// beyond; any other character makes the text UCS-2: 70 UTF-16 code units in
// one segment, 67 per segment beyond (an emoji counts two). The empty text
// takes no segments.
func SMSSegments(text string) (segments int, ucs2 bool) {
	septets, units := 0, 0
	for _, r := range text {
		units += utf16.RuneLen(r)
		if n := gsmSeptets[r]; n > 0 {
			septets += n
		} else {
			ucs2 = true
		}
	}
	if ucs2 {
		return parts(units, 70, 67), true
	}
	return parts(septets, 160, 153), false
}

// gsmSeptets is how many septets each GSM-7 character takes.
var gsmSeptets = func() map[rune]int {
	m := map[rune]int{}
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

func parts(n, single, multi int) int {
	switch {
	case n == 0:
		return 0
	case n <= single:
		return 1
	}
	return (n + multi - 1) / multi
}

var hhmmPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// parseHHMM reads "HH:MM" as minutes after midnight.
func parseHHMM(s string) (int, bool) {
	m := hhmmPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	return int(m[1][0]-'0')*600 + int(m[1][1]-'0')*60 + int(m[2][0]-'0')*10 + int(m[2][1]-'0'), true
}

// at is the time minutes after midnight of the day of t, days later, in loc.
func at(t time.Time, days, minutes int, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()+days, minutes/60, minutes%60, 0, 0, loc)
}

// QuietUntil tells when a message may go out: when now (read in the
// school's zone loc) falls in the quiet hours from start to end ("HH:MM",
// the window may cross midnight), it returns the end of the quiet hours and
// true; otherwise now and false. Equal or invalid start and end mean no
// quiet hours.
func QuietUntil(now time.Time, loc *time.Location, start, end string) (time.Time, bool) {
	s, ok1 := parseHHMM(start)
	e, ok2 := parseHHMM(end)
	if !ok1 || !ok2 || s == e {
		return now, false
	}
	local := now.In(loc)
	m := local.Hour()*60 + local.Minute()
	switch {
	case s < e && m >= s && m < e, s > e && m < e:
		return at(local, 0, e, loc), true
	case s > e && m >= s:
		return at(local, 1, e, loc), true
	}
	return now, false
}

// NextDigest is the next time at ("HH:MM" in loc) at or after now; an
// invalid at means DefaultDigestTime.
func NextDigest(now time.Time, loc *time.Location, atTime string) time.Time {
	m, ok := parseHHMM(atTime)
	if !ok {
		m, _ = parseHHMM(DefaultDigestTime)
	}
	local := now.In(loc)
	if t := at(local, 0, m, loc); !t.Before(now) {
		return t
	}
	return at(local, 1, m, loc)
}

// BudgetDecision tells whether an SMS of segments may be sent when
// usedSegments of the month's budget are spent: allowed while the total
// stays within the budget (a budget of 0 allows none); warn when the total
// after this send reaches 80% of the budget (or the send is refused because
// of it).
func BudgetDecision(usedSegments, budget, segments int) (allowed bool, warn bool) {
	if budget <= 0 {
		return false, false
	}
	after := usedSegments + segments
	return after <= budget, after*5 >= budget*4
}

// Cost is the estimated price of segments.
func (s *NotifySettings) Cost(segments int) Hundredths {
	return Hundredths(segments) * s.SegmentCost
}

// DefaultNotifySettings are the settings of a school that has not chosen
// its own: quiet 21:00–08:00, immediate SMS and in-app notices, digests at
// 19:00, 3000 segments a month at 3.50 ₽, a 5-minute correction window.
func DefaultNotifySettings(schoolID string) *NotifySettings {
	return &NotifySettings{
		SchoolID:          schoolID,
		QuietStart:        DefaultQuietStart,
		QuietEnd:          DefaultQuietEnd,
		DefaultMode:       NotifyImmediate,
		DefaultDigestTime: DefaultDigestTime,
		DefaultSMS:        true,
		DefaultInApp:      true,
		MonthlySMSBudget:  DefaultMonthlySMSBudget,
		SegmentCost:       DefaultSegmentCost,
		CorrectionMinutes: DefaultCorrectionMinutes,
	}
}

// Preference is what the parent hears about the child: p when the parent
// chose (an empty digest time taking the school's), else the school's
// defaults.
func (s *NotifySettings) Preference(parentID, childID string, p *NotifyPreference) NotifyPreference {
	if p != nil {
		out := *p
		if out.DigestTime == "" {
			out.DigestTime = s.DefaultDigestTime
		}
		return out
	}
	return NotifyPreference{
		SchoolID: s.SchoolID, ParentID: parentID, ChildID: childID,
		Mode: s.DefaultMode, DigestTime: s.DefaultDigestTime, SMS: s.DefaultSMS, InApp: s.DefaultInApp,
	}
}

var hhmmText = T("Время в виде ЧЧ:ММ, например 08:00.", "A time as HH:MM, e.g. 08:00.")

// Validate checks the settings' fields. Equal quiet_start and quiet_end
// are valid and mean no quiet hours; a budget of 0 means no SMS.
func (s *NotifySettings) Validate() error {
	p := Problems{}
	checkRequiredIDs(p, map[string]string{"school_id": s.SchoolID})
	for field, v := range map[string]string{"quiet_start": s.QuietStart, "quiet_end": s.QuietEnd, "default_digest_time": s.DefaultDigestTime} {
		if _, ok := parseHHMM(v); !ok {
			p.Add(field, hhmmText)
		}
	}
	if !s.DefaultMode.Valid() {
		p.Add("default_mode", modeText)
	}
	if s.MonthlySMSBudget < 0 || s.MonthlySMSBudget > maxMonthlySMSBudget {
		p.Add("monthly_sms_budget", T(fmt.Sprintf("От 0 до %d сегментов в месяц.", maxMonthlySMSBudget), fmt.Sprintf("From 0 to %d segments a month.", maxMonthlySMSBudget)))
	}
	if s.SegmentCost < 0 || s.SegmentCost > maxSegmentCost {
		p.Add("segment_cost", T("Цена сегмента от 0 до 100 ₽.", "A segment costs from 0 to 100 ₽."))
	}
	if s.CorrectionMinutes < 0 || s.CorrectionMinutes > maxCorrectionMinutes {
		p.Add("correction_minutes", T(fmt.Sprintf("От 0 до %d минут.", maxCorrectionMinutes), fmt.Sprintf("From 0 to %d minutes.", maxCorrectionMinutes)))
	}
	return p.Err()
}

var modeText = T("Режим: immediate (сразу), digest (сводка раз в день) или off (не уведомлять).", "The mode is immediate, digest or off.")

// Valid reports whether m is one of the modes.
func (m NotifyMode) Valid() bool {
	return m == NotifyImmediate || m == NotifyDigest || m == NotifyOff
}

// Validate checks the preference's fields; an empty digest time means the
// school's.
func (p *NotifyPreference) Validate() error {
	pr := Problems{}
	checkRequiredIDs(pr, map[string]string{"school_id": p.SchoolID, "parent_id": p.ParentID, "child_id": p.ChildID})
	if !p.Mode.Valid() {
		pr.Add("mode", modeText)
	}
	if _, ok := parseHHMM(p.DigestTime); p.DigestTime != "" && !ok {
		pr.Add("digest_time", hhmmText)
	}
	return pr.Err()
}
