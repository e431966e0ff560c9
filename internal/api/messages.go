package api

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// messageRoutes are the routes of messages, inboxes and notification
// settings (notify.go).
func (s *Server) messageRoutes() []Route {
	return append([]Route{
		{Function: FuncMessages, Method: http.MethodPost, Pattern: "/v1/messages", handle: s.sendMessage},
		{Function: FuncMessages, Method: http.MethodPost, Pattern: "/v1/messages/preview", handle: s.previewMessage},
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/messages", handle: s.inbox},
		{Function: FuncMessages, Method: http.MethodPost, Pattern: "/v1/messages/inbox/{item_id}/read", handle: s.markRead},
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/messages/sent", handle: s.sentMessages},
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/messages/{id}", handle: s.getMessage},
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/messages/{id}/readers", handle: s.messageReaders},
	}, s.notifyRoutes()...)
}

// messageInput is the body of POST /v1/messages and /v1/messages/preview.
type messageInput struct {
	Title    string            `json:"title"`
	Body     string            `json:"body"`
	Audience ejournal.Audience `json:"audience"`
	SMS      bool              `json:"sms"`
}

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// authorizedMessage reads a message to send from the request, resolves its
// audience and checks that the caller may write to it: the whole school
// takes MessagesSend at school scope; a class, group or student takes it
// for that class (a teacher of the class, its group or subject; its class
// teacher; the administration). An Idempotency-Key header gives the message
// an id derived from it, so that a retried request sends nothing twice.
func (s *Server) authorizedMessage(r *http.Request) (*ejournal.Message, error) {
	p := ejournal.PrincipalFrom(r.Context())
	if !access.CanAny(p, access.MessagesSend) {
		return nil, access.Forbidden()
	}
	var in messageInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	m := &ejournal.Message{SchoolID: p.SchoolID, SenderID: p.PersonID, SenderName: p.FullName, Title: in.Title, Body: in.Body, Audience: in.Audience, SMS: in.SMS}
	if key := r.Header.Get("Idempotency-Key"); key != "" {
		if utf8.RuneCountInString(key) > maxIdempotencyKey {
			return nil, ejournal.Problems{"Idempotency-Key": ejournal.T("Ключ повтора — не длиннее 200 символов.", "The idempotency key is at most 200 characters.")}.Err()
		}
		m.ID = ejournal.MessageIDFor(p.SchoolID, p.PersonID, key)
	} else {
		m.ID = ejournal.NewID()
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := s.Messages.ResolveAudience(r.Context(), m); err != nil {
		return nil, err
	}
	a := m.Audience
	t := access.SchoolTarget(p.SchoolID)
	if !a.School {
		t = access.Target{SchoolID: p.SchoolID, PersonID: a.StudentID, ClassID: m.ClassID, GroupID: a.GroupID, SubjectID: a.SubjectID}
	}
	if err := access.Require(p, access.MessagesSend, t); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.authorizedMessage(r)
	if err != nil {
		return err
	}
	if err := s.Messages.SendMessage(r.Context(), m); err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/messages/"+m.ID)
	writeJSON(w, http.StatusCreated, m)
	return nil
}

func (s *Server) previewMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.authorizedMessage(r)
	if err != nil {
		return err
	}
	pv, err := s.Messages.PreviewMessage(r.Context(), m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pv)
	return nil
}

// pageParams reads ?cursor= and ?limit= (1..MaxPageSize).
func pageParams(r *http.Request) (string, int, error) {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > ejournal.MaxPageSize {
			return "", 0, ejournal.Problems{"limit": ejournal.T("Размер страницы — от 1 до 100.", "The page size is from 1 to 100.")}.Err()
		}
		limit = n
	}
	return q.Get("cursor"), limit, nil
}

// inbox lists the caller's own inbox: everyone signed in has one.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	cursor, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	page, err := s.Messages.Inbox(r.Context(), p.SchoolID, p.PersonID, cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// markRead marks an item of the caller's own inbox read; another person's
// item is not found.
func (s *Server) markRead(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	it, err := s.Messages.MarkRead(r.Context(), p.SchoolID, p.PersonID, r.PathValue("item_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (s *Server) sentMessages(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	cursor, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	page, err := s.Messages.SentMessages(r.Context(), p.SchoolID, p.PersonID, cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// messageAccess is how the caller stands to a message.
type messageAccess int

const (
	noAccess messageAccess = iota
	recipientAccess
	// senderAccess: the sender, or the administration (MessagesSend at
	// school scope), who may also see who read it.
	senderAccess
)

// loadMessage reads the message {id} and how the caller stands to it. A
// message is not found for those who neither sent nor received it nor
// oversee the school's messages.
func (s *Server) loadMessage(r *http.Request) (*ejournal.Message, messageAccess, error) {
	p := ejournal.PrincipalFrom(r.Context())
	m, err := s.Messages.Message(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return nil, noAccess, err
	}
	if m.SenderID == p.PersonID || access.Can(p, access.MessagesSend, access.SchoolTarget(p.SchoolID)) {
		return m, senderAccess, nil
	}
	_, err = s.Messages.InboxItem(r.Context(), p.SchoolID, p.PersonID, ejournal.MessageInboxID(m.ID, p.PersonID))
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return nil, noAccess, ejournal.NotFound(ejournal.T("Сообщение", "Message"))
	} else if err != nil {
		return nil, noAccess, err
	}
	return m, recipientAccess, nil
}

func (s *Server) getMessage(w http.ResponseWriter, r *http.Request) error {
	m, _, err := s.loadMessage(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) messageReaders(w http.ResponseWriter, r *http.Request) error {
	m, how, err := s.loadMessage(r)
	if err != nil {
		return err
	}
	if how != senderAccess {
		return access.Forbidden()
	}
	readers, err := s.Messages.MessageReaders(r.Context(), m.SchoolID, m.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, readers)
	return nil
}
