package demo

import "slices"

// subjectSpec is a subject of the basic school curriculum with its weekly
// hours per grade for a five-day week (federal programmes ФОП НОО, grades
// 1–4, and ФОП ООО, grades 5–9).
type subjectSpec struct {
	id, name, short string
	hours           map[int]int
	// inGroups subjects are taught to each of a class's two groups apart.
	inGroups bool
}

// grades lists the grades that study the subject, in order.
func (s subjectSpec) grades() []int {
	gs := make([]int, 0, len(s.hours))
	for g := range s.hours {
		gs = append(gs, g)
	}
	slices.Sort(gs)
	return gs
}

// each gives hours per week to every grade from first to last.
func each(first, last, hours int) map[int]int {
	m := map[int]int{}
	for g := first; g <= last; g++ {
		m[g] = hours
	}
	return m
}

// Subject ids of the demo schools.
const (
	Russian         = "rus"
	LiteraryReading = "litread"
	Literature      = "lit"
	English         = "eng"
	Mathematics     = "math"
	Algebra         = "alg"
	Geometry        = "geom"
	Probability     = "prob"
	Informatics     = "inf"
	WorldAround     = "world"
	ORKSE           = "orkse"
	History         = "hist"
	SocialStudies   = "soc"
	Geography       = "geo"
	Biology         = "bio"
	Physics         = "phys"
	Chemistry       = "chem"
	ODNKNR          = "odnknr"
	Music           = "music"
	Art             = "art"
	Technology      = "tech"
	PE              = "pe"
	OBZR            = "obzr"
)

// curriculum is the subject catalogue of both demo schools.
var curriculum = []subjectSpec{
	{id: Russian, name: "Русский язык", short: "Рус. яз.", hours: map[int]int{1: 5, 2: 5, 3: 5, 4: 5, 5: 5, 6: 6, 7: 4, 8: 3, 9: 3}},
	{id: LiteraryReading, name: "Литературное чтение", short: "Лит. чт.", hours: map[int]int{1: 4, 2: 4, 3: 4, 4: 3}},
	{id: Literature, name: "Литература", short: "Лит-ра", hours: map[int]int{5: 3, 6: 3, 7: 2, 8: 2, 9: 3}},
	{id: English, name: "Английский язык", short: "Англ. яз.", hours: map[int]int{2: 2, 3: 2, 4: 2, 5: 3, 6: 3, 7: 3, 8: 3, 9: 3}, inGroups: true},
	{id: Mathematics, name: "Математика", short: "Матем.", hours: map[int]int{1: 4, 2: 4, 3: 4, 4: 4, 5: 5, 6: 5}},
	{id: Algebra, name: "Алгебра", short: "Алгебра", hours: each(7, 9, 3)},
	{id: Geometry, name: "Геометрия", short: "Геометрия", hours: each(7, 9, 2)},
	{id: Probability, name: "Вероятность и статистика", short: "Вер. и стат.", hours: each(7, 9, 1)},
	{id: Informatics, name: "Информатика", short: "Информ.", hours: each(7, 9, 1)},
	{id: WorldAround, name: "Окружающий мир", short: "Окр. мир", hours: each(1, 4, 2)},
	{id: ORKSE, name: "Основы религиозных культур и светской этики", short: "ОРКСЭ", hours: map[int]int{4: 1}},
	{id: History, name: "История", short: "История", hours: each(5, 9, 2)},
	{id: SocialStudies, name: "Обществознание", short: "Общество", hours: each(6, 9, 1)},
	{id: Geography, name: "География", short: "География", hours: map[int]int{5: 1, 6: 1, 7: 2, 8: 2, 9: 2}},
	{id: Biology, name: "Биология", short: "Биология", hours: map[int]int{5: 1, 6: 1, 7: 1, 8: 2, 9: 2}},
	{id: Physics, name: "Физика", short: "Физика", hours: map[int]int{7: 2, 8: 2, 9: 3}},
	{id: Chemistry, name: "Химия", short: "Химия", hours: each(8, 9, 2)},
	{id: ODNKNR, name: "Основы духовно-нравственной культуры народов России", short: "ОДНКНР", hours: each(5, 6, 1)},
	{id: Music, name: "Музыка", short: "Музыка", hours: each(1, 8, 1)},
	{id: Art, name: "Изобразительное искусство", short: "ИЗО", hours: each(1, 7, 1)},
	{id: Technology, name: "Труд (технология)", short: "Труд", hours: map[int]int{1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 7: 2, 8: 1, 9: 1}},
	{id: PE, name: "Физическая культура", short: "Физ-ра", hours: each(1, 9, 2)},
	{id: OBZR, name: "Основы безопасности и защиты Родины", short: "ОБЗР", hours: each(8, 9, 1)},
}

// primarySubjects are what a primary class teacher (учитель начальных
// классов) teaches their own class.
var primarySubjects = []string{Russian, LiteraryReading, Mathematics, WorldAround, Art, Technology, ORKSE}
