package demo

import (
	"math/rand/v2"
	"strings"

	"ejournal/internal/ejournal"
)

// Surnames in their masculine form; feminine derives the other.
var surnames = []string{
	"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
	"Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
	"Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
	"Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
	"Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
	"Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
	"Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
	"Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов",
	"Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов",
	"Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
	"Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Быков",
	"Маслов", "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв",
	"Голубев", "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов",
	"Леонов", "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв",
	"Котов", "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев", "Панов",
	"Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Анисимов", "Ерёмин",
	"Галкин", "Лукьянов", "Михеев", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов",
	"Харитонов", "Князев", "Цветков", "Мальцев", "Логинов", "Горшков", "Савин", "Краснов",
	"Демидов", "Елисеев", "Плотников", "Хохлов", "Жданов", "Шилов", "Воронцов", "Шестаков",
	"Пермяков", "Бажов", "Мамин", "Черепанов", "Ползунов",
	"Покровский", "Успенский", "Вознесенский", "Троицкий", "Преображенский", "Богословский",
	"Черных", "Седых", "Белых", "Долгих", "Кривых", "Толстых",
}

var (
	girlNames = []string{
		"Анна", "Мария", "София", "Анастасия", "Дарья", "Виктория", "Полина", "Алиса",
		"Ксения", "Варвара", "Вероника", "Елизавета", "Арина", "Ева", "Василиса", "Милана",
		"Кира", "Ульяна", "Александра", "Екатерина", "Валерия", "Таисия", "Злата", "Алёна",
		"Маргарита", "Диана", "Есения", "Агата",
	}
	boyNames = []string{
		"Александр", "Максим", "Артём", "Михаил", "Иван", "Дмитрий", "Даниил", "Кирилл",
		"Матвей", "Андрей", "Егор", "Никита", "Илья", "Алексей", "Роман", "Тимофей",
		"Марк", "Сергей", "Владимир", "Ярослав", "Фёдор", "Глеб", "Степан", "Лев",
		"Арсений", "Денис", "Павел", "Богдан", "Макар", "Захар", "Платон", "Савелий", "Семён",
	}
	womenNames = []string{
		"Ольга", "Наталья", "Елена", "Татьяна", "Ирина", "Светлана", "Людмила", "Галина",
		"Надежда", "Марина", "Оксана", "Юлия", "Екатерина", "Анна", "Любовь", "Валентина",
		"Вера", "Лариса", "Нина", "Алла",
	}
	menNames = []string{
		"Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Владимир", "Николай", "Игорь",
		"Евгений", "Михаил", "Юрий", "Виктор", "Олег", "Павел", "Константин", "Вячеслав",
	}
)

// patronymics are a father's first name and the masculine and feminine
// patronymics made from it.
var patronymics = [][3]string{
	{"Александр", "Александрович", "Александровна"}, {"Сергей", "Сергеевич", "Сергеевна"},
	{"Андрей", "Андреевич", "Андреевна"}, {"Алексей", "Алексеевич", "Алексеевна"},
	{"Дмитрий", "Дмитриевич", "Дмитриевна"}, {"Владимир", "Владимирович", "Владимировна"},
	{"Николай", "Николаевич", "Николаевна"}, {"Игорь", "Игоревич", "Игоревна"},
	{"Евгений", "Евгеньевич", "Евгеньевна"}, {"Михаил", "Михайлович", "Михайловна"},
	{"Юрий", "Юрьевич", "Юрьевна"}, {"Виктор", "Викторович", "Викторовна"},
	{"Олег", "Олегович", "Олеговна"}, {"Павел", "Павлович", "Павловна"},
	{"Иван", "Иванович", "Ивановна"}, {"Василий", "Васильевич", "Васильевна"},
	{"Анатолий", "Анатольевич", "Анатольевна"}, {"Валерий", "Валерьевич", "Валерьевна"},
	{"Геннадий", "Геннадьевич", "Геннадьевна"}, {"Пётр", "Петрович", "Петровна"},
	{"Константин", "Константинович", "Константиновна"}, {"Роман", "Романович", "Романовна"},
	{"Денис", "Денисович", "Денисовна"}, {"Максим", "Максимович", "Максимовна"},
	{"Антон", "Антонович", "Антоновна"}, {"Илья", "Ильич", "Ильинична"},
	{"Никита", "Никитич", "Никитична"}, {"Вячеслав", "Вячеславович", "Вячеславовна"},
}

// feminine turns a masculine surname into its feminine form: Иванов →
// Иванова, Ильин → Ильина, Троицкий → Троицкая; surnames in -ых do not change.
func feminine(s string) string {
	for _, r := range [][2]string{{"ский", "ская"}, {"цкий", "цкая"}, {"ой", "ая"}} {
		if base, ok := strings.CutSuffix(s, r[0]); ok {
			return base + r[1]
		}
	}
	for _, suffix := range []string{"ов", "ев", "ёв", "ин", "ын"} {
		if strings.HasSuffix(s, suffix) {
			return s + "а"
		}
	}
	return s
}

// names draws full names from a fixed-seed generator, never the same full
// name twice in one school.
type names struct {
	r    *rand.Rand
	seen map[string]bool
}

func newNames(seed uint64) *names {
	return &names{r: rand.New(rand.NewPCG(seed, 0x6a6f75726e616c)), seen: map[string]bool{}}
}

func (n *names) pick(list []string) string { return list[n.r.IntN(len(list))] }

// claim reports whether a full name is still free in the school and takes it.
func (n *names) claim(last, first, middle string) bool {
	full := last + " " + first + " " + middle
	if n.seen[full] {
		return false
	}
	n.seen[full] = true
	return true
}

// next returns last, first and middle name of a woman or a man, a child or an adult.
func (n *names) next(female, adult bool) (last, first, middle string) {
	firsts := map[[2]bool][]string{{true, false}: girlNames, {false, false}: boyNames, {true, true}: womenNames, {false, true}: menNames}[[2]bool{female, adult}]
	for {
		last, first = n.pick(surnames), n.pick(firsts)
		pair := patronymics[n.r.IntN(len(patronymics))]
		middle = pair[1]
		if female {
			last, middle = feminine(last), pair[2]
		}
		if n.claim(last, first, middle) {
			return last, first, middle
		}
	}
}

// parent returns the name of a child's mother or father: the family's
// surname and, for the father, the first name the child's patronymic comes
// from. When every such name is taken, any adult's name will do.
func (n *names) parent(child *ejournal.Person, mother bool) (last, first, middle string) {
	family := masculine(child.LastName)
	for range 4 * len(patronymics) {
		pair := patronymics[n.r.IntN(len(patronymics))]
		if mother {
			last, first, middle = feminine(family), n.pick(womenNames), pair[2]
		} else {
			last, first, middle = family, fatherOf(child.MiddleName), pair[1]
		}
		if n.claim(last, first, middle) {
			return last, first, middle
		}
	}
	return n.next(mother, true)
}

// masculine is the masculine form of a surname of the list (Иванова →
// Иванов); others are returned as they are.
func masculine(s string) string {
	for _, m := range surnames {
		if feminine(m) == s {
			return m
		}
	}
	return s
}

// fatherOf is the first name a patronymic is made from (Сергеевна → Сергей).
func fatherOf(patronymic string) string {
	for _, p := range patronymics {
		if p[1] == patronymic || p[2] == patronymic {
			return p[0]
		}
	}
	return menNames[0]
}
