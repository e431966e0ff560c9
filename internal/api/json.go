package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"ejournal/internal/ejournal"
)

// statuses maps error codes to HTTP statuses; it is the only such map.
var statuses = map[string]int{
	ejournal.EINVALID:      http.StatusBadRequest,
	ejournal.EUNAUTHORIZED: http.StatusUnauthorized,
	ejournal.EFORBIDDEN:    http.StatusForbidden,
	ejournal.ENOTFOUND:     http.StatusNotFound,
	ejournal.ECONFLICT:     http.StatusConflict,
	ejournal.ERATELIMITED:  http.StatusTooManyRequests,
	ejournal.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the error envelope every failed request gets.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := statuses[ejournal.ErrorCode(err)]
	if errors.Is(err, errTooLarge) {
		status = http.StatusRequestEntityTooLarge
	}
	writeErrorStatus(w, r, status, err)
}

// writeErrorStatus writes err with an explicit status (405, 413).
func writeErrorStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	var e *ejournal.Error
	if !errors.As(err, &e) {
		e = ejournal.Internal(err)
	}
	if e.Code == ejournal.EINTERNAL && e.Err != nil {
		// The cause goes to the log, never to the user.
		if l := loggerFrom(r); l != nil {
			l.Error("internal error", "request_id", info(r).id, "error", e.Err.Error())
		}
		e = ejournal.Internal(nil)
	}
	lang := info(r).lang
	body := errorBody{Error: errorDetail{Code: e.Code, Message: e.Message.In(lang)}}
	if len(e.Fields) > 0 {
		body.Error.Fields = make(map[string]string, len(e.Fields))
		for k, v := range e.Fields {
			body.Error.Fields[k] = v.In(lang)
		}
	}
	w.Header().Set("Content-Language", lang)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":{"code":"internal","message":"internal error"}}`))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// list is the envelope of every list response.
type list[T any] struct {
	Items []T `json:"items"`
}

func writeList[T any](w http.ResponseWriter, items []T) {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, list[T]{Items: items})
}

var errTooLarge = ejournal.Errorf(ejournal.EINVALID, ejournal.T("Слишком большой запрос.", "The request is too large."))

// readBody reads a whole request body within the size limit.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	} else if err != nil {
		return nil, ejournal.Errorf(ejournal.EINVALID, ejournal.T("Не удалось прочитать запрос.", "Could not read the request."))
	}
	return b, nil
}

// decodeJSON decodes body into v strictly: unknown fields, wrong types,
// trailing data and an empty body are errors naming the offending field.
func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return ejournal.Errorf(ejournal.EINVALID, ejournal.T("Пустой запрос: ожидается JSON.", "Empty request: JSON expected."))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return ejournal.Errorf(ejournal.EINVALID, ejournal.T("После JSON-объекта есть лишние данные.", "Unexpected data after the JSON object."))
	}
	return nil
}

// decode reads and decodes a request body.
func decode(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeJSON(body, v)
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return ejournal.Errorf(ejournal.EINVALID, ejournal.T("Некорректный JSON.", "Malformed JSON."))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return ejournal.Errorf(ejournal.EINVALID, ejournal.T("Ожидается JSON-объект.", "A JSON object is expected."))
		}
		return ejournal.Problems{field: ejournal.Text{
			RU: fmt.Sprintf("Неверный тип значения: ожидается %s.", typeName(typ.Type.Kind().String(), "ru")),
			EN: fmt.Sprintf("Wrong type of value: %s expected.", typeName(typ.Type.Kind().String(), "en")),
		}}.Err()
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return ejournal.Problems{field: ejournal.T("Неизвестное поле.", "Unknown field.")}.Err()
	}
	return ejournal.Errorf(ejournal.EINVALID, ejournal.T("Некорректный JSON.", "Malformed JSON."))
}

func typeName(kind, lang string) string {
	ru := map[string]string{"string": "строка", "int": "целое число", "int64": "целое число", "float64": "число", "bool": "true или false", "slice": "список", "struct": "объект", "map": "объект"}
	en := map[string]string{"string": "a string", "int": "an integer", "int64": "an integer", "float64": "a number", "bool": "true or false", "slice": "a list", "struct": "an object", "map": "an object"}
	m := en
	if lang == "ru" {
		m = ru
	}
	if s, ok := m[kind]; ok {
		return s
	}
	return kind
}
