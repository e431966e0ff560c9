package api

import (
	"context"
	"net/http"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// The names the role editor shows, in Russian and English.
var (
	roleNames = map[ejournal.Role]ejournal.Text{
		ejournal.Administrator:  ejournal.T("Администратор системы", "System administrator"),
		ejournal.AssistantAdmin: ejournal.T("Помощник администратора", "Assistant administrator"),
		ejournal.Director:       ejournal.T("Директор", "Director"),
		ejournal.HeadTeacher:    ejournal.T("Завуч", "Head teacher"),
		ejournal.Teacher:        ejournal.T("Учитель", "Teacher"),
		ejournal.ClassTeacher:   ejournal.T("Классный руководитель", "Class teacher"),
		ejournal.HR:             ejournal.T("Специалист по кадрам", "HR specialist"),
		ejournal.Clerk:          ejournal.T("Делопроизводитель", "Clerk"),
		ejournal.StudentRole:    ejournal.T("Ученик", "Student"),
		ejournal.ParentRole:     ejournal.T("Родитель", "Parent"),
	}
	capabilityNames = map[access.Capability]ejournal.Text{
		access.DirectoryRead:   ejournal.T("Просмотр структуры школы", "View the school's structure"),
		access.DirectoryWrite:  ejournal.T("Изменение структуры школы", "Change the school's structure"),
		access.PeopleRead:      ejournal.T("Просмотр списков людей", "View people"),
		access.RosterRead:      ejournal.T("Просмотр списков классов", "View class lists"),
		access.PersonalRead:    ejournal.T("Просмотр персональных данных", "View personal data"),
		access.StudentsWrite:   ejournal.T("Ведение учеников и родителей", "Keep student and parent records"),
		access.StaffRead:       ejournal.T("Просмотр личных карточек сотрудников", "View staff personal cards"),
		access.StaffWrite:      ejournal.T("Кадровый учёт сотрудников", "Keep staff records"),
		access.MovementRead:    ejournal.T("Просмотр движения учащихся", "View student movement"),
		access.AccountsManage:  ejournal.T("Управление учётными записями", "Manage accounts"),
		access.RolesManage:     ejournal.T("Управление ролями и правами", "Manage roles and rights"),
		access.AuditRead:       ejournal.T("Просмотр журнала аудита", "View the audit trail"),
		access.SchoolWrite:     ejournal.T("Настройки школы", "School settings"),
		access.JournalRead:     ejournal.T("Просмотр журнала", "View the journal"),
		access.LessonsWrite:    ejournal.T("Темы уроков и домашние задания", "Lesson topics and homework"),
		access.MarksWrite:      ejournal.T("Выставление отметок", "Enter marks"),
		access.MarksLateEdit:   ejournal.T("Исправление отметок задним числом", "Edit marks after the deadline"),
		access.AttendanceWrite: ejournal.T("Учёт посещаемости", "Record attendance"),
		access.AbsenceJustify:  ejournal.T("Уважительные причины пропусков", "Justify absences"),
		access.DiaryRead:       ejournal.T("Просмотр дневника", "View diaries"),
		access.TimetableRead:   ejournal.T("Просмотр расписания", "View the timetable"),
		access.TimetableWrite:  ejournal.T("Составление расписания", "Make the timetable"),
		access.PlansWrite:      ejournal.T("Календарно-тематическое планирование", "Calendar-thematic plans"),
		access.ReportsRead:     ejournal.T("Отчёты", "Reports"),
		access.MessagesSend:    ejournal.T("Отправка сообщений", "Send messages"),
		access.NotifySettings:  ejournal.T("Настройка уведомлений", "Notification settings"),
	}
	scopeNames = map[access.Scope]ejournal.Text{
		access.Self:     ejournal.T("Свои данные", "Own data"),
		access.Children: ejournal.T("Свои дети", "Own children"),
		access.Lessons:  ejournal.T("Свои уроки", "Own lessons"),
		access.Class:    ejournal.T("Свой класс", "Own class"),
		access.School:   ejournal.T("Вся школа", "Whole school"),
	}
)

// bilingual is a name in both languages, for screens that show either.
type bilingual struct {
	RU string `json:"ru"`
	EN string `json:"en"`
}

func bilingualOf(t ejournal.Text) bilingual { return bilingual{RU: t.RU, EN: t.EN} }

// catalogueEntry is a capability or scope of the role editor.
type catalogueEntry struct {
	ID   string    `json:"id"`
	Name bilingual `json:"name"`
}

// roleView is a role's permissions in the caller's school.
type roleView struct {
	Role        ejournal.Role      `json:"role"`
	Name        bilingual          `json:"name"`
	Permissions access.Permissions `json:"permissions"`
	Defaults    access.Permissions `json:"defaults"`
	// Customized is set when the school has changed the role's defaults.
	Customized bool `json:"customized"`
}

// rolesCatalogue is the role editor's data: every role and the names of
// capabilities and scopes.
type rolesCatalogue struct {
	Items        []roleView       `json:"items"`
	Capabilities []catalogueEntry `json:"capabilities"`
	Scopes       []catalogueEntry `json:"scopes"`
}

// personRoles is the roles a person holds and the permissions they give.
type personRoles struct {
	PersonID    string             `json:"person_id"`
	FullName    string             `json:"full_name"`
	Roles       []ejournal.Role    `json:"roles"`
	Permissions access.Permissions `json:"permissions"`
	Version     int64              `json:"version"`
}

func (s *Server) roleRoutes() []Route {
	return []Route{
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/roles", handle: s.listRoles},
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/roles/{role}", handle: s.getRole},
		{Function: FuncIdentity, Method: http.MethodPut, Pattern: "/v1/roles/{role}", handle: s.putRole},
		{Function: FuncIdentity, Method: http.MethodDelete, Pattern: "/v1/roles/{role}/permissions", handle: s.resetRole},
		{Function: FuncIdentity, Method: http.MethodGet, Pattern: "/v1/people/{id}/roles", handle: s.getPersonRoles},
		{Function: FuncIdentity, Method: http.MethodPut, Pattern: "/v1/people/{id}/roles", handle: s.putPersonRoles},
	}
}

// requireRolesManage lets through those who manage roles in the whole school.
func requireRolesManage(r *http.Request) (*ejournal.Principal, error) {
	p := ejournal.PrincipalFrom(r.Context())
	return p, access.Require(p, access.RolesManage, access.SchoolTarget(p.SchoolID))
}

// overrides reads the school's role overrides.
func (s *Server) overrides(ctx context.Context, schoolID string) (map[ejournal.Role]access.Permissions, error) {
	m, err := s.Identity.RolePermissions(ctx, schoolID)
	if err != nil {
		return nil, err
	}
	return access.Overrides(m), nil
}

func viewRole(role ejournal.Role, o map[ejournal.Role]access.Permissions) roleView {
	_, customized := o[role]
	return roleView{
		Role:        role,
		Name:        bilingualOf(roleNames[role]),
		Permissions: access.Effective([]ejournal.Role{role}, o),
		Defaults:    access.Defaults()[role],
		Customized:  customized,
	}
}

// pathRole reads the role of the path; an unknown role is not found.
func pathRole(r *http.Request) (ejournal.Role, error) {
	role := ejournal.Role(r.PathValue("role"))
	if !role.Valid() {
		return "", ejournal.NotFound(ejournal.T("Роль", "Role"))
	}
	return role, nil
}

func (s *Server) listRoles(w http.ResponseWriter, r *http.Request) error {
	p, err := requireRolesManage(r)
	if err != nil {
		return err
	}
	o, err := s.overrides(r.Context(), p.SchoolID)
	if err != nil {
		return err
	}
	out := rolesCatalogue{}
	for _, role := range ejournal.Roles {
		out.Items = append(out.Items, viewRole(role, o))
	}
	for _, c := range access.Capabilities {
		out.Capabilities = append(out.Capabilities, catalogueEntry{ID: c, Name: bilingualOf(capabilityNames[c])})
	}
	for _, sc := range access.Scopes {
		out.Scopes = append(out.Scopes, catalogueEntry{ID: sc, Name: bilingualOf(scopeNames[sc])})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// writeRole answers with the role's permissions as the school now has them.
func (s *Server) writeRole(w http.ResponseWriter, r *http.Request, schoolID string, role ejournal.Role) error {
	o, err := s.overrides(r.Context(), schoolID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewRole(role, o))
	return nil
}

func (s *Server) getRole(w http.ResponseWriter, r *http.Request) error {
	p, role, err := roleRequest(r)
	if err != nil {
		return err
	}
	return s.writeRole(w, r, p.SchoolID, role)
}

func (s *Server) putRole(w http.ResponseWriter, r *http.Request) error {
	p, role, err := roleRequest(r)
	if err != nil {
		return err
	}
	var in struct {
		Permissions map[string][]string `json:"permissions"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Permissions == nil {
		return ejournal.Problems{"permissions": ejournal.T("Укажите права роли.", "Give the role's permissions.")}.Err()
	}
	if err := s.Identity.SetRolePermissions(r.Context(), p.SchoolID, role, in.Permissions); err != nil {
		return err
	}
	return s.writeRole(w, r, p.SchoolID, role)
}

func (s *Server) resetRole(w http.ResponseWriter, r *http.Request) error {
	p, role, err := roleRequest(r)
	if err != nil {
		return err
	}
	if err := s.Identity.ResetRolePermissions(r.Context(), p.SchoolID, role); err != nil {
		return err
	}
	return s.writeRole(w, r, p.SchoolID, role)
}

// writePersonRoles answers with a person's roles and their permissions.
func (s *Server) writePersonRoles(w http.ResponseWriter, r *http.Request, person *ejournal.Person) error {
	o, err := s.overrides(r.Context(), person.SchoolID)
	if err != nil {
		return err
	}
	roles := person.Roles
	if roles == nil {
		roles = []ejournal.Role{}
	}
	writeJSON(w, http.StatusOK, personRoles{
		PersonID:    person.ID,
		FullName:    person.FullName(),
		Roles:       roles,
		Permissions: access.Effective(person.Roles, o),
		Version:     person.Version,
	})
	return nil
}

func (s *Server) getPersonRoles(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if !access.CanAny(p, access.RolesManage) {
		return access.Forbidden()
	}
	person, err := s.Directory.Person(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Require(p, access.RolesManage, access.Person(p.SchoolID, person.ID, person.ClassID)); err != nil {
		return err
	}
	return s.writePersonRoles(w, r, person)
}

func (s *Server) putPersonRoles(w http.ResponseWriter, r *http.Request) error {
	p, err := requireRolesManage(r)
	if err != nil {
		return err
	}
	var in struct {
		Roles   *[]ejournal.Role `json:"roles"`
		Version int64            `json:"version"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Roles == nil {
		return ejournal.Problems{"roles": ejournal.T("Укажите роли (пустой список — без ролей).", "Give the roles (an empty list for none).")}.Err()
	}
	person, err := s.Identity.SetPersonRoles(r.Context(), p.SchoolID, r.PathValue("id"), *in.Roles, in.Version)
	if err != nil {
		return err
	}
	return s.writePersonRoles(w, r, person)
}

// roleRequest checks the caller may manage roles and reads the role named
// in the path.
func roleRequest(r *http.Request) (*ejournal.Principal, ejournal.Role, error) {
	p, err := requireRolesManage(r)
	if err != nil {
		return nil, "", err
	}
	role, err := pathRole(r)
	if err != nil {
		return nil, "", err
	}
	return p, role, nil
}
