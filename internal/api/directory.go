package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// resource describes a school-scoped record kept by the directory so that
// its create, read, list and update routes share one implementation.
type resource[T any] struct {
	path   string
	fields func(*T) (id, school *string, version *int64, created *time.Time)
	create func(context.Context, *T) error
	get    func(ctx context.Context, schoolID, id string) (*T, error)
	update func(context.Context, *T) error
	list   func(ctx context.Context, schoolID string, r *http.Request) ([]*T, error)
	// fixed restores fields of a patched record that may not change.
	fixed func(old, patched *T)
	// class, when set, names the class a record belongs to: such records
	// are visible only to those who may read that class's structure.
	// Records without a class (years, subjects) are visible to everyone
	// who may read the directory at all.
	class func(*T) string
}

// visible reports whether p may read v.
func (res resource[T]) visible(p *ejournal.Principal, v *T) bool {
	if res.class == nil {
		return access.CanAny(p, access.DirectoryRead)
	}
	return access.Can(p, access.DirectoryRead, access.ClassTarget(p.SchoolID, res.class(v), ""))
}

func (res resource[T]) routes(s *Server) []Route {
	return []Route{
		{Function: FuncDirectory, Method: http.MethodGet, Pattern: res.path, handle: res.handleList},
		{Function: FuncDirectory, Method: http.MethodPost, Pattern: res.path, handle: res.handleCreate},
		{Function: FuncDirectory, Method: http.MethodGet, Pattern: res.path + "/{id}", handle: res.handleGet},
		{Function: FuncDirectory, Method: http.MethodPatch, Pattern: res.path + "/{id}", handle: res.handlePatch},
	}
}

func (res resource[T]) handleList(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if !access.CanAny(p, access.DirectoryRead) {
		return access.Forbidden()
	}
	items, err := res.list(r.Context(), p.SchoolID, r)
	if err != nil {
		return err
	}
	shown := items[:0]
	for _, v := range items {
		if res.visible(p, v) {
			shown = append(shown, v)
		}
	}
	writeList(w, shown)
	return nil
}

func (res resource[T]) handleGet(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	v, err := res.get(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !res.visible(p, v) {
		return access.Forbidden()
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (res resource[T]) handleCreate(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(p, access.DirectoryWrite, access.SchoolTarget(p.SchoolID)); err != nil {
		return err
	}
	v := new(T)
	if err := decode(r, v); err != nil {
		return err
	}
	id, school, _, _ := res.fields(v)
	if *school != "" && *school != p.SchoolID {
		return ejournal.Problems{"school_id": ejournal.T("Можно создавать записи только в своей школе.", "Records can only be created in your own school.")}.Err()
	}
	*school = p.SchoolID
	if *id != "" && !ejournal.ValidID(*id) {
		return ejournal.Problems{"id": ejournal.T("Неверный идентификатор.", "Invalid identifier.")}.Err()
	}
	if err := res.create(r.Context(), v); err != nil {
		return err
	}
	w.Header().Set("Location", res.path+"/"+*id)
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// handlePatch applies the fields present in the body to the stored record
// (JSON merge of top-level fields) and saves it if "version" is current.
func (res resource[T]) handlePatch(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(p, access.DirectoryWrite, access.SchoolTarget(p.SchoolID)); err != nil {
		return err
	}
	body, version, err := readPatch(r)
	if err != nil {
		return err
	}
	cur, err := res.get(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	old := *cur
	if err := decodeJSON(body, cur); err != nil {
		return err
	}
	id, school, ver, created := res.fields(cur)
	oid, oschool, _, ocreated := res.fields(&old)
	*id, *school, *created, *ver = *oid, *oschool, *ocreated, version
	if res.fixed != nil {
		res.fixed(&old, cur)
	}
	if err := res.update(r.Context(), cur); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cur)
	return nil
}

// readPatch reads a PATCH body and its required "version".
func readPatch(r *http.Request) (body []byte, version int64, err error) {
	body, err = readBody(r)
	if err != nil {
		return nil, 0, err
	}
	var meta struct {
		Version *int64 `json:"version"`
	}
	if err := json.Unmarshal(body, &meta); err != nil {
		return nil, 0, jsonError(err)
	}
	if meta.Version == nil || *meta.Version < 1 {
		return nil, 0, ejournal.Problems{"version": ejournal.T("Укажите версию записи, которую вы изменяете.", "Give the version of the record you are changing.")}.Err()
	}
	return body, *meta.Version, nil
}

// queryID reads an optional identifier from the query string.
func queryID(r *http.Request, name string) (string, error) {
	v := r.URL.Query().Get(name)
	if v != "" && !ejournal.ValidID(v) {
		return "", ejournal.Problems{name: ejournal.T("Неверный идентификатор.", "Invalid identifier.")}.Err()
	}
	return v, nil
}

func (s *Server) directoryRoutes() []Route {
	d := func() ejournal.DirectoryService { return s.Directory }
	var rs []Route
	rs = append(rs, s.schoolRoutes()...)
	rs = append(rs, resource[ejournal.SchoolYear]{
		path: "/v1/years",
		fields: func(v *ejournal.SchoolYear) (*string, *string, *int64, *time.Time) {
			return &v.ID, &v.SchoolID, &v.Version, &v.CreatedAt
		},
		create: func(ctx context.Context, v *ejournal.SchoolYear) error { return d().CreateYear(ctx, v) },
		get:    func(ctx context.Context, sid, id string) (*ejournal.SchoolYear, error) { return d().Year(ctx, sid, id) },
		update: func(ctx context.Context, v *ejournal.SchoolYear) error { return d().UpdateYear(ctx, v) },
		list: func(ctx context.Context, sid string, r *http.Request) ([]*ejournal.SchoolYear, error) {
			return d().Years(ctx, sid)
		},
	}.routes(s)...)
	rs = append(rs, resource[ejournal.Class]{
		path: "/v1/classes",
		fields: func(v *ejournal.Class) (*string, *string, *int64, *time.Time) {
			return &v.ID, &v.SchoolID, &v.Version, &v.CreatedAt
		},
		create: func(ctx context.Context, v *ejournal.Class) error { return d().CreateClass(ctx, v) },
		get:    func(ctx context.Context, sid, id string) (*ejournal.Class, error) { return d().Class(ctx, sid, id) },
		update: func(ctx context.Context, v *ejournal.Class) error { return d().UpdateClass(ctx, v) },
		list: func(ctx context.Context, sid string, r *http.Request) ([]*ejournal.Class, error) {
			year, err := queryID(r, "year_id")
			if err != nil {
				return nil, err
			}
			return d().Classes(ctx, sid, ejournal.ClassFilter{YearID: year})
		},
		// A class stays in its school year; next year's 6А is a new class.
		fixed: func(old, v *ejournal.Class) { v.YearID = old.YearID },
		class: func(v *ejournal.Class) string { return v.ID },
	}.routes(s)...)
	rs = append(rs, resource[ejournal.Group]{
		path: "/v1/groups",
		fields: func(v *ejournal.Group) (*string, *string, *int64, *time.Time) {
			return &v.ID, &v.SchoolID, &v.Version, &v.CreatedAt
		},
		create: func(ctx context.Context, v *ejournal.Group) error { return d().CreateGroup(ctx, v) },
		get:    func(ctx context.Context, sid, id string) (*ejournal.Group, error) { return d().Group(ctx, sid, id) },
		update: func(ctx context.Context, v *ejournal.Group) error { return d().UpdateGroup(ctx, v) },
		list: func(ctx context.Context, sid string, r *http.Request) ([]*ejournal.Group, error) {
			class, err := queryID(r, "class_id")
			if err != nil {
				return nil, err
			}
			return d().Groups(ctx, sid, ejournal.GroupFilter{ClassID: class})
		},
		fixed: func(old, v *ejournal.Group) { v.ClassID = old.ClassID },
		class: func(v *ejournal.Group) string { return v.ClassID },
	}.routes(s)...)
	rs = append(rs, resource[ejournal.Subject]{
		path: "/v1/subjects",
		fields: func(v *ejournal.Subject) (*string, *string, *int64, *time.Time) {
			return &v.ID, &v.SchoolID, &v.Version, &v.CreatedAt
		},
		create: func(ctx context.Context, v *ejournal.Subject) error { return d().CreateSubject(ctx, v) },
		get:    func(ctx context.Context, sid, id string) (*ejournal.Subject, error) { return d().Subject(ctx, sid, id) },
		update: func(ctx context.Context, v *ejournal.Subject) error { return d().UpdateSubject(ctx, v) },
		list: func(ctx context.Context, sid string, r *http.Request) ([]*ejournal.Subject, error) {
			return d().Subjects(ctx, sid)
		},
	}.routes(s)...)
	rs = append(rs, resource[ejournal.Assignment]{
		path: "/v1/assignments",
		fields: func(v *ejournal.Assignment) (*string, *string, *int64, *time.Time) {
			return &v.ID, &v.SchoolID, &v.Version, &v.CreatedAt
		},
		create: func(ctx context.Context, v *ejournal.Assignment) error { return d().CreateAssignment(ctx, v) },
		get: func(ctx context.Context, sid, id string) (*ejournal.Assignment, error) {
			return d().Assignment(ctx, sid, id)
		},
		update: func(ctx context.Context, v *ejournal.Assignment) error { return d().UpdateAssignment(ctx, v) },
		list: func(ctx context.Context, sid string, r *http.Request) ([]*ejournal.Assignment, error) {
			var f ejournal.AssignmentFilter
			var err error
			for name, dst := range map[string]*string{"year_id": &f.YearID, "teacher_id": &f.TeacherID, "class_id": &f.ClassID} {
				if *dst, err = queryID(r, name); err != nil {
					return nil, err
				}
			}
			return d().Assignments(ctx, sid, f)
		},
		class: func(v *ejournal.Assignment) string { return v.ClassID },
	}.routes(s)...)
	return rs
}

// schoolRoutes serve the school records themselves. Listing and creating
// schools is a deployment operator's task; a school's own staff read and
// (the administrator) update their own school only.
func (s *Server) schoolRoutes() []Route {
	return []Route{
		{Function: FuncDirectory, Method: http.MethodGet, Pattern: "/v1/schools", handle: s.listSchools},
		{Function: FuncDirectory, Method: http.MethodPost, Pattern: "/v1/schools", handle: s.createSchool},
		{Function: FuncDirectory, Method: http.MethodGet, Pattern: "/v1/schools/{id}", handle: s.getSchool},
		{Function: FuncDirectory, Method: http.MethodPatch, Pattern: "/v1/schools/{id}", handle: s.patchSchool},
	}
}

var errOperatorOnly = ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T("Список школ и создание школ доступны только оператору системы.", "Only the system operator may list and create schools."))

func (s *Server) listSchools(w http.ResponseWriter, r *http.Request) error {
	if !ejournal.PrincipalFrom(r.Context()).Operator {
		return errOperatorOnly
	}
	items, err := s.Directory.Schools(r.Context())
	if err != nil {
		return err
	}
	writeList(w, items)
	return nil
}

func (s *Server) createSchool(w http.ResponseWriter, r *http.Request) error {
	if !ejournal.PrincipalFrom(r.Context()).Operator {
		return errOperatorOnly
	}
	var v ejournal.School
	if err := decode(r, &v); err != nil {
		return err
	}
	if err := s.Directory.CreateSchool(r.Context(), &v); err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/schools/"+v.ID)
	writeJSON(w, http.StatusCreated, &v)
	return nil
}

// ownSchool returns the caller's school if id names it; any other school is
// reported as not found, so its existence is not revealed.
func (s *Server) ownSchool(r *http.Request) (*ejournal.School, error) {
	p := ejournal.PrincipalFrom(r.Context())
	id := r.PathValue("id")
	if id != p.SchoolID && !p.Operator {
		return nil, ejournal.NotFound(ejournal.T("Школа", "School"))
	}
	return s.Directory.School(r.Context(), id)
}

func (s *Server) getSchool(w http.ResponseWriter, r *http.Request) error {
	v, err := s.ownSchool(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) patchSchool(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if !p.Operator && !access.Can(p, access.SchoolWrite, access.SchoolTarget(p.SchoolID)) {
		return access.Forbidden()
	}
	body, version, err := readPatch(r)
	if err != nil {
		return err
	}
	v, err := s.ownSchool(r)
	if err != nil {
		return err
	}
	old := *v
	if err := decodeJSON(body, v); err != nil {
		return err
	}
	v.ID, v.CreatedAt, v.Version = old.ID, old.CreatedAt, version
	if err := s.Directory.UpdateSchool(r.Context(), v); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}
