package api

import (
	"net/http"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

func (s *Server) generateRoutes() []Route {
	return []Route{
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: "/v1/years/{id}/lessons/generate", handle: s.generateLessons},
	}
}

// generateInput is the body of POST /v1/years/{id}/lessons/generate: a
// range of dates, or a term of the year, and optionally one class.
type generateInput struct {
	From    ejournal.Date `json:"from"`
	To      ejournal.Date `json:"to"`
	Term    string        `json:"term"`
	ClassID string        `json:"class_id"`
}

// generateOutput is the answer: the range generated and what was done.
type generateOutput struct {
	YearID  string        `json:"year_id"`
	ClassID string        `json:"class_id,omitempty"`
	From    ejournal.Date `json:"from"`
	To      ejournal.Date `json:"to"`
	*ejournal.GenerateResult
}

// generateLessons brings the lessons of a range of dates in line with the
// timetable (timetable.write in the whole school).
func (s *Server) generateLessons(w http.ResponseWriter, r *http.Request) error {
	y, err := s.timetableYear(r, access.TimetableWrite)
	if err != nil {
		return err
	}
	var in generateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	from, to, err := generateRange(y, in)
	if err != nil {
		return err
	}
	if in.ClassID != "" && !ejournal.ValidID(in.ClassID) {
		return ejournal.Problems{"class_id": ejournal.T("Неверный идентификатор класса.", "Invalid class id.")}.Err()
	}
	res, err := s.Generator.GenerateLessons(r.Context(), y.SchoolID, y.ID, in.ClassID, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, generateOutput{YearID: y.ID, ClassID: in.ClassID, From: from, To: to, GenerateResult: res})
	return nil
}

// generateRange is the dates the input names: a term of y, or from..to
// inside y, at most a year long.
func generateRange(y *ejournal.SchoolYear, in generateInput) (from, to ejournal.Date, err error) {
	switch {
	case in.Term != "" && (in.From != "" || in.To != ""):
		return "", "", ejournal.Problems{"term": ejournal.T("Укажите либо четверть, либо даты from и to.", "Give either a term or the dates from and to.")}.Err()
	case in.Term != "":
		for _, t := range y.Terms {
			if t.ID == in.Term {
				return t.Start, t.End, nil
			}
		}
		return "", "", ejournal.Problems{"term": ejournal.T("Такой четверти (триместра, полугодия) в учебном году нет.", "The school year has no such term.")}.Err()
	}
	return in.From, in.To, ejournal.CheckGenerateRange(y, in.From, in.To)
}
