package ejournal_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
)

func TestNoticeText(t *testing.T) {
	tests := []struct {
		name string
		in   ejournal.NoticeFacts
		want string
	}{
		{"mark", ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: "Маша", Subject: "Математика", Value: 5, Date: "2026-11-28"},
			"Маша: оценка 5, матем., 28.11"},
		{"changed mark", ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: "Маша", Subject: "Русский язык", Value: 4, Changed: true, Date: "2026-11-28"},
			"Маша: оценка изменена на 4, рус.яз., 28.11"},
		{"surname dropped", ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: " Иван  Петров ", Subject: "ОРКСЭ", Value: 3, Date: "2026-01-05"},
			"Иван: оценка 3, ОРКСЭ, 05.01"},
		{"no name", ejournal.NoticeFacts{Kind: ejournal.NoticeMark, Subject: "Физика", Value: 2, Date: "2026-11-28"},
			"Ребёнок: оценка 2, физика, 28.11"},
		{"no date", ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: "Маша", Subject: "Химия", Value: 5},
			"Маша: оценка 5, химия"},
		{"н", ejournal.NoticeFacts{Kind: ejournal.NoticeAbsence, ChildFirstName: "Маша", Subject: "Физическая культура", Code: ejournal.Absent, Date: "2026-11-28"},
			"Маша: пропуск урока (н), физ-ра, 28.11"},
		{"б", ejournal.NoticeFacts{Kind: ejournal.NoticeAbsence, ChildFirstName: "Лев", Subject: "Литература", Code: ejournal.Ill, Date: "2026-11-28"},
			"Лев: пропуск по болезни (б), лит-ра, 28.11"},
		{"у", ejournal.NoticeFacts{Kind: ejournal.NoticeAbsence, ChildFirstName: "Лев", Subject: "Английский язык", Code: ejournal.Excused, Date: "2026-11-28"},
			"Лев: пропуск по уваж. причине (у), англ.яз., 28.11"},
		{"о", ejournal.NoticeFacts{Kind: ejournal.NoticeAbsence, ChildFirstName: "Лев", Subject: "Изобразительное искусство", Code: ejournal.Late, Date: "2026-11-28"},
			"Лев: опоздание на урок (о), ИЗО, 28.11"},
		{"term", ejournal.NoticeFacts{Kind: ejournal.NoticeTermMark, ChildFirstName: "Маша", Subject: "Математика", Term: "2 четверть", Value: 4},
			"Маша: итоговая оценка 4 за 2 четв., матем."},
		{"term н/а", ejournal.NoticeFacts{Kind: ejournal.NoticeTermMark, ChildFirstName: "Маша", Subject: "Геометрия", Term: "1 полугодие", Value: 5, TermValue: ejournal.NotAssessed},
			"Маша: итоговая оценка н/а за 1 полуг., геом."},
		{"year", ejournal.NoticeFacts{Kind: ejournal.NoticeTermMark, ChildFirstName: "Маша", Subject: "Музыка", Term: ejournal.YearPeriod, Value: 5},
			"Маша: итоговая оценка 5 за год, музыка"},
		{"message", ejournal.NoticeFacts{Kind: ejournal.NoticeMessage, Sender: "Анна Петровна", Body: "Завтра\nсобрание  в 18:00."},
			"Сообщение от Анны Петровны: Завтра собрание в 18:00."},
		{"no subject", ejournal.NoticeFacts{Kind: ejournal.NoticeAbsence, ChildFirstName: "Маша", Code: ejournal.Absent, Date: "2026-11-28"},
			"Маша: пропуск урока (н), 28.11"},
		{"message without sender", ejournal.NoticeFacts{Kind: ejournal.NoticeMessage, Body: "Текст"}, "Сообщение: Текст"},
		{"unknown kind", ejournal.NoticeFacts{Kind: "x"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ejournal.NoticeText(tt.in)
			if got != tt.want {
				t.Errorf("NoticeText = %q, want %q", got, tt.want)
			}
			if n, _ := ejournal.SMSSegments(got); got != "" && n != 1 {
				t.Errorf("%q takes %d segments, want 1", got, n)
			}
		})
	}
}

// TestNoticeTextLongest checks the longest demo names with the longest
// subjects and absence words still fit one segment.
func TestNoticeTextLongest(t *testing.T) {
	for _, code := range []ejournal.AttendanceCode{ejournal.Absent, ejournal.Ill, ejournal.Excused, ejournal.Late} {
		for _, subj := range []string{"Вероятность и статистика", "Основы духовно-нравственной культуры народов России", "Литературное чтение"} {
			text := ejournal.NoticeText(ejournal.NoticeFacts{Kind: ejournal.NoticeAbsence, ChildFirstName: "Александра", Subject: subj, Code: code, Date: "2026-12-31"})
			if n, ucs2 := ejournal.SMSSegments(text); n != 1 || !ucs2 {
				t.Errorf("%q: %d segments (ucs2 %v), want 1 UCS-2", text, n, ucs2)
			}
		}
	}
}

func TestNoticeTextLongMessage(t *testing.T) {
	body := strings.Repeat("Уважаемые родители, напоминаем о собрании. ", 20)
	text := ejournal.NoticeText(ejournal.NoticeFacts{Kind: ejournal.NoticeMessage, Sender: "Анна Петровна", Body: body})
	n, _ := ejournal.SMSSegments(text)
	if n != ejournal.MessageMaxSegments {
		t.Errorf("%q: %d segments, want %d", text, n, ejournal.MessageMaxSegments)
	}
	if !strings.HasPrefix(text, "Сообщение от Анны Петровны: Уважаемые") || !strings.HasSuffix(text, "…") {
		t.Errorf("text = %q", text)
	}
	// The cut keeps as much as fits: one more word would not.
	if u := len([]rune(text)); u < 120 || u > 134 {
		t.Errorf("text has %d characters, want 120..134", u)
	}
	if strings.HasSuffix(text, " …") || strings.HasSuffix(text, ",…") {
		t.Errorf("cut leaves a separator: %q", text)
	}
	// A single long word cannot be cut at a space.
	text = ejournal.NoticeText(ejournal.NoticeFacts{Kind: ejournal.NoticeMessage, Body: strings.Repeat("а", 300)})
	if n, _ := ejournal.SMSSegments(text); n != 2 || len([]rune(text)) != 134 {
		t.Errorf("%q: %d segments, %d characters", text, n, len([]rune(text)))
	}
}

func TestMessageSender(t *testing.T) {
	tests := []struct{ sender, want string }{
		{"Анна Петровна", "от Анны Петровны"},
		{"Ольга Ильинична", "от Ольги Ильиничны"},
		{"Наталья Юрьевна", "от Натальи Юрьевны"},
		{"Мария Ивановна", "от Марии Ивановны"},
		{"Любовь Николаевна", "от Любови Николаевны"},
		{"Сергей Иванович", "от Сергея Ивановича"},
		{"Игорь Олегович", "от Игоря Олеговича"},
		{"Константин Ильич", "от Константина Ильича"},
		{"Никита Сергеевич", "от Никиты Сергеевича"},
		{"Илья Павлович", "от Ильи Павловича"},
		{"Пётр Андреевич", "от Петра Андреевича"},
		{"Павел Петрович", "от Павла Петровича"},
		{"Лев Николаевич", "от Льва Николаевича"},
		{"Иванова Анна Петровна", "— Иванова Анна Петровна"},
		{"Иванова А. П.", "— Иванова А. П."},
		{"Администрация школы", "— Администрация школы"},
		{"Директор", "— Директор"},
		{strings.Repeat("Очень ", 10) + "длинное имя", "— Очень Очень Очень Очень Очень Очень Оче…"},
	}
	for _, tt := range tests {
		got := ejournal.NoticeText(ejournal.NoticeFacts{Kind: ejournal.NoticeMessage, Sender: tt.sender, Body: "x"})
		if want := "Сообщение " + tt.want + ": x"; got != want {
			t.Errorf("sender %q: %q, want %q", tt.sender, got, want)
		}
	}
}

func TestSubjectAbbrev(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Математика", "Матем."},
		{"математика", "Матем."},
		{"Русский  язык", "Рус.яз."},
		{"Литература", "Лит-ра"},
		{"Физическая культура", "Физ-ра"},
		{"Английский язык", "Англ.яз."},
		{"Основы духовно-нравственной культуры народов России", "ОДНКНР"},
		{"Труд (технология)", "Труд"},
		{"Физика", "Физика"},
		// Names the table does not know.
		{"Черчение и графика", "Черч.граф."},
		{"Основы проектной деятельности", "ОПД"},
		{"Краеведение", "Краев."},
		{"Шахматы", "Шахматы"},
		{"Матем.", "Матем."},
		{"Театр (кружок)", "Театр"},
		{"Экология родного края", "ЭРК"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ejournal.SubjectAbbrev(tt.in); got != tt.want {
			t.Errorf("SubjectAbbrev(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSMSSegments(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		segments int
		ucs2     bool
	}{
		{"empty", "", 0, false},
		{"gsm 1", "a", 1, false},
		{"gsm 160", strings.Repeat("a", 160), 1, false},
		{"gsm 161", strings.Repeat("a", 161), 2, false},
		{"gsm 306", strings.Repeat("a", 306), 2, false},
		{"gsm 307", strings.Repeat("a", 307), 3, false},
		{"gsm extension counts two", strings.Repeat("a", 158) + "€", 1, false},
		{"gsm extension over", strings.Repeat("a", 159) + "€", 2, false},
		{"gsm basic specials", "@£$¥èéΔ_ÄÖÑÜ§¿äöñüà", 1, false},
		{"ucs2 70", strings.Repeat("я", 70), 1, true},
		{"ucs2 71", strings.Repeat("я", 71), 2, true},
		{"ucs2 134", strings.Repeat("я", 134), 2, true},
		{"ucs2 135", strings.Repeat("я", 135), 3, true},
		{"one cyrillic letter makes ucs2", strings.Repeat("a", 70) + "я", 2, true},
		{"emoji counts two", strings.Repeat("я", 68) + "😀", 1, true},
		{"emoji over", strings.Repeat("я", 69) + "😀", 2, true},
		{"dash is not gsm", "a—b", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ucs2 := ejournal.SMSSegments(tt.text)
			if n != tt.segments || ucs2 != tt.ucs2 {
				t.Errorf("SMSSegments = %d, %v; want %d, %v", n, ucs2, tt.segments, tt.ucs2)
			}
		})
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestQuietUntil(t *testing.T) {
	ekb := mustZone(t, "Asia/Yekaterinburg") // UTC+5
	berlin := mustZone(t, "Europe/Berlin")
	local := func(loc *time.Location, s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name       string
		loc        *time.Location
		now        time.Time
		start, end string
		want       time.Time
		quiet      bool
	}{
		{"evening", ekb, local(ekb, "2026-11-28 22:30:00"), "21:00", "08:00", local(ekb, "2026-11-29 08:00:00"), true},
		{"at start", ekb, local(ekb, "2026-11-28 21:00:00"), "21:00", "08:00", local(ekb, "2026-11-29 08:00:00"), true},
		{"just before start", ekb, local(ekb, "2026-11-28 20:59:59"), "21:00", "08:00", local(ekb, "2026-11-28 20:59:59"), false},
		{"after midnight", ekb, local(ekb, "2026-11-29 03:00:00"), "21:00", "08:00", local(ekb, "2026-11-29 08:00:00"), true},
		{"just before end", ekb, local(ekb, "2026-11-29 07:59:59"), "21:00", "08:00", local(ekb, "2026-11-29 08:00:00"), true},
		{"at end", ekb, local(ekb, "2026-11-29 08:00:00"), "21:00", "08:00", local(ekb, "2026-11-29 08:00:00"), false},
		{"day", ekb, local(ekb, "2026-11-29 12:00:00"), "21:00", "08:00", local(ekb, "2026-11-29 12:00:00"), false},
		{"month end", ekb, local(ekb, "2026-12-31 23:00:00"), "21:00", "08:00", local(ekb, "2027-01-01 08:00:00"), true},
		// The UTC instant is 17:30, i.e. 22:30 in Yekaterinburg.
		{"read in the zone", ekb, time.Date(2026, 11, 28, 17, 30, 0, 0, time.UTC), "21:00", "08:00", local(ekb, "2026-11-29 08:00:00"), true},
		{"window within a day", ekb, local(ekb, "2026-11-28 13:30:00"), "13:00", "15:00", local(ekb, "2026-11-28 15:00:00"), true},
		{"before window within a day", ekb, local(ekb, "2026-11-28 12:59:00"), "13:00", "15:00", local(ekb, "2026-11-28 12:59:00"), false},
		{"after window within a day", ekb, local(ekb, "2026-11-28 15:00:00"), "13:00", "15:00", local(ekb, "2026-11-28 15:00:00"), false},
		{"from midnight", ekb, local(ekb, "2026-11-28 00:00:00"), "00:00", "07:00", local(ekb, "2026-11-28 07:00:00"), true},
		{"equal bounds: no quiet hours", ekb, local(ekb, "2026-11-28 03:00:00"), "08:00", "08:00", local(ekb, "2026-11-28 03:00:00"), false},
		{"invalid: no quiet hours", ekb, local(ekb, "2026-11-28 03:00:00"), "8:00", "21:00", local(ekb, "2026-11-28 03:00:00"), false},
		// Spring forward in Berlin (29 March 2026, 02:00 → 03:00): the night is
		// one hour shorter but the end is still 08:00 local.
		{"over DST change", berlin, local(berlin, "2026-03-28 22:00:00"), "21:00", "08:00", local(berlin, "2026-03-29 08:00:00"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, quiet := ejournal.QuietUntil(tt.now, tt.loc, tt.start, tt.end)
			if !got.Equal(tt.want) || quiet != tt.quiet {
				t.Errorf("QuietUntil = %v, %v; want %v, %v", got, quiet, tt.want, tt.quiet)
			}
		})
	}
	// From 23:00 the wait is 9 hours on other nights, 8 over the spring-forward one.
	got, _ := ejournal.QuietUntil(local(berlin, "2026-03-28 23:00:00"), berlin, "21:00", "08:00")
	if d := got.Sub(local(berlin, "2026-03-28 23:00:00")); d != 8*time.Hour {
		t.Errorf("wait over DST change = %v, want 8h", d)
	}
}

func TestNextDigest(t *testing.T) {
	ekb := mustZone(t, "Asia/Yekaterinburg")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ekb)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		now  time.Time
		at   string
		want time.Time
	}{
		{at("2026-11-28 10:00"), "19:00", at("2026-11-28 19:00")},
		{at("2026-11-28 19:00"), "19:00", at("2026-11-28 19:00")},
		{at("2026-11-28 19:01"), "19:00", at("2026-11-29 19:00")},
		{at("2026-12-31 20:00"), "07:30", at("2027-01-01 07:30")},
		{at("2026-11-28 10:00"), "bad", at("2026-11-28 19:00")},
		// 13:00 UTC is 18:00 in Yekaterinburg: today's digest is still ahead.
		{time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC), "19:00", at("2026-11-28 19:00")},
		// 14:30 UTC is 19:30 there: tomorrow's.
		{time.Date(2026, 11, 28, 14, 30, 0, 0, time.UTC), "19:00", at("2026-11-29 19:00")},
	}
	for _, tt := range tests {
		if got := ejournal.NextDigest(tt.now, ekb, tt.at); !got.Equal(tt.want) {
			t.Errorf("NextDigest(%v, %q) = %v, want %v", tt.now, tt.at, got, tt.want)
		}
	}
}

func TestDigestText(t *testing.T) {
	mark := func(subj string, v int, d ejournal.Date) ejournal.NoticeFacts {
		return ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: "Другое Имя", Subject: subj, Value: v, Date: d}
	}
	tests := []struct {
		name  string
		items []ejournal.NoticeFacts
		want  string
	}{
		{"none", nil, ""},
		{"one day", []ejournal.NoticeFacts{
			mark("Математика", 5, "2026-11-28"),
			mark("Русский язык", 3, "2026-11-28"),
			mark("Математика", 4, "2026-11-28"),
			{Kind: ejournal.NoticeAbsence, Subject: "Физическая культура", Code: ejournal.Absent, Date: "2026-11-28"},
			{Kind: ejournal.NoticeAbsence, Subject: "Химия", Code: ejournal.Late, Date: "2026-11-28"},
		}, "Маша, 28.11: матем. 5, 4; рус.яз. 3; физ-ра пропуск (н); химия опоздание (о)"},
		{"several days", []ejournal.NoticeFacts{
			mark("Математика", 5, "2026-11-28"),
			mark("Математика", 2, "2026-11-27"),
			{Kind: ejournal.NoticeAbsence, Subject: "Биология", Code: ejournal.Ill, Date: "2026-11-27"},
			{Kind: ejournal.NoticeTermMark, Subject: "Математика", Term: "2 четверть", Value: 4},
		}, "Маша: матем. 5 (28.11); матем. 2 (27.11); биол. болезнь (б) (27.11); итог 2 четв. матем. 4"},
		{"message", []ejournal.NoticeFacts{
			mark("Алгебра", 5, "2026-11-28"),
			{Kind: ejournal.NoticeMessage, Sender: "Анна Петровна", Body: "не в сводке", Date: "2026-11-28"},
		}, "Маша, 28.11: алгебра 5; сообщение от Анны Петровны"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ejournal.DigestText("Маша", tt.items); got != tt.want {
				t.Errorf("DigestText = %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDigestTextCapped(t *testing.T) {
	var items []ejournal.NoticeFacts
	subjects := []string{"Математика", "Русский язык", "Литература", "Физика", "Химия", "История", "Биология", "География"}
	for i := range 40 {
		items = append(items, ejournal.NoticeFacts{Kind: ejournal.NoticeAbsence, Subject: subjects[i%len(subjects)], Code: ejournal.Excused, Date: "2026-11-28"})
	}
	text := ejournal.DigestText("Маша", items)
	n, _ := ejournal.SMSSegments(text)
	if n != ejournal.DigestMaxSegments {
		t.Errorf("%q: %d segments, want %d", text, n, ejournal.DigestMaxSegments)
	}
	shown := strings.Count(text, "пропуск (у)")
	if want := "; +" + strconv.Itoa(40-shown) + " в журнале"; !strings.HasSuffix(text, want) {
		t.Errorf("%q does not end with %q", text, want)
	}
}

func TestBudgetDecision(t *testing.T) {
	tests := []struct {
		used, budget, segments int
		allowed, warn          bool
	}{
		{0, 0, 1, false, false},
		{0, 100, 1, true, false},
		{78, 100, 1, true, false},
		{79, 100, 1, true, true}, // 80% after this send
		{90, 100, 10, true, true},
		{99, 100, 2, false, true},
		{100, 100, 1, false, true},
		{0, 3000, 2, true, false},
		{2398, 3000, 2, true, true},
		{2397, 3000, 2, true, false},
	}
	for _, tt := range tests {
		allowed, warn := ejournal.BudgetDecision(tt.used, tt.budget, tt.segments)
		if allowed != tt.allowed || warn != tt.warn {
			t.Errorf("BudgetDecision(%d, %d, %d) = %v, %v; want %v, %v", tt.used, tt.budget, tt.segments, allowed, warn, tt.allowed, tt.warn)
		}
	}
}

func TestNotifySettingsValidate(t *testing.T) {
	def := ejournal.DefaultNotifySettings("s1")
	if err := def.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if def.QuietStart != "21:00" || def.QuietEnd != "08:00" || def.DefaultMode != ejournal.NotifyImmediate || !def.DefaultSMS || !def.DefaultInApp ||
		def.MonthlySMSBudget <= 0 || def.SegmentCost <= 0 || def.CorrectionMinutes != 5 {
		t.Errorf("defaults = %+v", def)
	}
	if got := def.Cost(3); got != 3*def.SegmentCost {
		t.Errorf("Cost(3) = %v", got)
	}
	tests := []struct {
		name   string
		edit   func(s *ejournal.NotifySettings)
		fields []string
	}{
		{"budget 0 is valid", func(s *ejournal.NotifySettings) { s.MonthlySMSBudget = 0 }, nil},
		{"school", func(s *ejournal.NotifySettings) { s.SchoolID = "a#b" }, []string{"school_id"}},
		{"times", func(s *ejournal.NotifySettings) { s.QuietStart, s.QuietEnd, s.DefaultDigestTime = "24:00", "8:00", "" }, []string{"quiet_start", "quiet_end", "default_digest_time"}},
		{"mode", func(s *ejournal.NotifySettings) { s.DefaultMode = "weekly" }, []string{"default_mode"}},
		{"budget", func(s *ejournal.NotifySettings) { s.MonthlySMSBudget = -1 }, []string{"monthly_sms_budget"}},
		{"cost", func(s *ejournal.NotifySettings) { s.SegmentCost = -1 }, []string{"segment_cost"}},
		{"window", func(s *ejournal.NotifySettings) { s.CorrectionMinutes = 61 }, []string{"correction_minutes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ejournal.DefaultNotifySettings("s1")
			tt.edit(s)
			checkFields(t, s.Validate(), tt.fields)
		})
	}
}

func TestNotifyPreferenceValidate(t *testing.T) {
	ok := ejournal.NotifyPreference{SchoolID: "s1", ParentID: "p1", ChildID: "c1", Mode: ejournal.NotifyDigest, DigestTime: "20:30", SMS: true}
	tests := []struct {
		name   string
		edit   func(p *ejournal.NotifyPreference)
		fields []string
	}{
		{"ok", func(*ejournal.NotifyPreference) {}, nil},
		{"school digest time", func(p *ejournal.NotifyPreference) { p.DigestTime = "" }, nil},
		{"off", func(p *ejournal.NotifyPreference) { p.Mode = ejournal.NotifyOff }, nil},
		{"ids", func(p *ejournal.NotifyPreference) { p.ParentID, p.ChildID = "", "x y" }, []string{"parent_id", "child_id"}},
		{"mode", func(p *ejournal.NotifyPreference) { p.Mode = "" }, []string{"mode"}},
		{"time", func(p *ejournal.NotifyPreference) { p.DigestTime = "20:60" }, []string{"digest_time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.edit(&p)
			checkFields(t, p.Validate(), tt.fields)
		})
	}
}

func TestNotifySettingsPreference(t *testing.T) {
	s := ejournal.DefaultNotifySettings("s1")
	got := s.Preference("p1", "c1", nil)
	want := ejournal.NotifyPreference{SchoolID: "s1", ParentID: "p1", ChildID: "c1", Mode: ejournal.NotifyImmediate, DigestTime: "19:00", SMS: true, InApp: true}
	if got != want {
		t.Errorf("default preference = %+v, want %+v", got, want)
	}
	own := &ejournal.NotifyPreference{SchoolID: "s1", ParentID: "p1", ChildID: "c1", Mode: ejournal.NotifyDigest}
	if got := s.Preference("p1", "c1", own); got.Mode != ejournal.NotifyDigest || got.DigestTime != "19:00" || got.SMS {
		t.Errorf("own preference = %+v", got)
	}
}

// checkFields asserts err is EINVALID naming exactly fields (nil for none).
func checkFields(t *testing.T, err error, fields []string) {
	t.Helper()
	if fields == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var e *ejournal.Error
	if !errors.As(err, &e) || e.Code != ejournal.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if len(e.Fields) != len(fields) {
		t.Errorf("fields = %v, want %v", e.Fields, fields)
	}
	for _, f := range fields {
		if _, ok := e.Fields[f]; !ok {
			t.Errorf("field %s not named: %v", f, e.Fields)
		}
	}
}
