package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/ejournal"
)

var _ ejournal.MessageService = (*DB)(nil)

var (
	whatMessage   = ejournal.T("Сообщение", "Message")
	whatInboxItem = ejournal.T("Запись во входящих", "Inbox item")
)

// messageItem is a stored message: the message and a digest of the request
// that sent it, so that an idempotency key reused for another message is
// refused.
type messageItem struct {
	ejournal.Message
	RequestHash string `json:"request_hash"`
}

func messageEntity(m *ejournal.Message) entity {
	return entity{key: messageKey(m.SchoolID, m.ID), idx: messageIndex(m), kind: "message", what: whatMessage}
}

// inboxEntity is an inbox item. Its item is of type "inbox": the
// notification pipeline reads new ones from the table's stream and sends the
// SMS copies they ask for.
func inboxEntity(it *ejournal.InboxItem) entity {
	return entity{key: inboxKey(it.SchoolID, it.RecipientID, it.ID), idx: inboxIndex(it), kind: "inbox", what: whatInboxItem}
}

// PutInboxItems implements ejournal.MessageService. The items are written
// in batches, unconditionally: an item written again replaces the first
// (read state included). Each item's request id is its own id, so writing
// the same item twice gives the stream the same rid.
func (db *DB) PutInboxItems(ctx context.Context, items []*ejournal.InboxItem) error {
	ms := make([]item, 0, len(items))
	for _, it := range items {
		if it.ID == "" {
			it.ID = ejournal.NewID()
		}
		if it.CreatedAt.IsZero() {
			it.CreatedAt = db.Now()
		}
		if !ejournal.ValidID(it.SchoolID) || !ejournal.ValidID(it.RecipientID) || !ejournal.ValidID(it.ID) || it.MessageID != "" && !ejournal.ValidID(it.MessageID) {
			return ejournal.Internal(fmt.Errorf("inbox item %q of %q: invalid identifier", it.ID, it.RecipientID))
		}
		m, err := inboxEntity(it).toItem(it, 1, it.ID)
		if err != nil {
			return ejournal.Internal(err)
		}
		ms = append(ms, m)
	}
	return db.batchPut(ctx, ms)
}

// ResolveAudience implements ejournal.MessageService.
func (db *DB) ResolveAudience(ctx context.Context, m *ejournal.Message) error {
	a := &m.Audience
	if err := a.Validate(); err != nil {
		return err
	}
	notHere := func(field string, what ejournal.Text) error {
		return ejournal.Problems{"audience." + field: ejournal.T(what.RU+" не найден(а) в этой школе.", what.EN+" not found in this school.")}.Err()
	}
	switch {
	case a.School:
		m.ClassID = ""
	case a.ClassID != "":
		c, err := db.Class(ctx, m.SchoolID, a.ClassID)
		if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
			return notHere("class_id", whatClass)
		} else if err != nil {
			return err
		}
		m.ClassID = c.ID
	case a.GroupID != "":
		g, err := db.Group(ctx, m.SchoolID, a.GroupID)
		if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
			return notHere("group_id", ejournal.T("Группа", "Group"))
		} else if err != nil {
			return err
		}
		m.ClassID = g.ClassID
	default:
		p, err := db.Person(ctx, m.SchoolID, a.StudentID)
		if ejournal.ErrorCode(err) == ejournal.ENOTFOUND || err == nil && p.InClass() == "" {
			return notHere("student_id", whatStudent)
		} else if err != nil {
			return err
		}
		m.ClassID = p.ClassID
	}
	return nil
}

// delivery is what sending a message does: its recipients and the counts
// of the preview.
type delivery struct {
	ejournal.Recipients
	preview ejournal.MessagePreview
}

// plan resolves the recipients of m and counts what sending it would do.
// The students come from the class collection (or the school's students);
// their parents from one Query of the school's family links (a single
// student's from the student's links), not one Query per student.
func (db *DB) plan(ctx context.Context, m *ejournal.Message) (*delivery, error) {
	if err := db.ResolveAudience(ctx, m); err != nil {
		return nil, err
	}
	if s, err := db.Person(ctx, m.SchoolID, m.SenderID); err == nil && ejournal.Signature(s) != "" {
		m.SenderName = ejournal.Signature(s)
	}
	a := m.Audience
	var students []*ejournal.Person
	var links []*ejournal.Link
	var err error
	switch {
	case a.School:
		students, err = list[ejournal.Person](ctx, db, query{index: indexGSI2, pk: kindCollection(m.SchoolID, ejournal.Student), skPrefix: personPrefix})
	case a.StudentID != "":
		var p *ejournal.Person
		if p, err = db.Person(ctx, m.SchoolID, a.StudentID); err == nil {
			students = []*ejournal.Person{p}
		}
	default:
		students, err = db.ClassStudents(ctx, m.SchoolID, m.ClassID)
	}
	if err != nil {
		return nil, err
	}
	if a.ToParents {
		if a.StudentID != "" {
			links, err = db.Parents(ctx, m.SchoolID, a.StudentID)
		} else {
			links, err = list[ejournal.Link](ctx, db, query{pk: schoolPK(m.SchoolID), skPrefix: linkPrefix})
		}
		if err != nil {
			return nil, err
		}
	}
	d := &delivery{Recipients: ejournal.MessageRecipients(a, students, links)}
	pv := &d.preview
	pv.Students, pv.Parents = len(d.Students), len(d.Parents)
	pv.Recipients = pv.Students + pv.Parents
	parents, err := db.people(ctx, m.SchoolID, d.Parents)
	if err != nil {
		return nil, err
	}
	for _, p := range parents {
		if p.Personal != nil && p.Personal.Phone != "" && p.Personal.SMSConsent {
			pv.SMSRecipients++
		}
	}
	settings, err := db.NotifySettings(ctx, m.SchoolID)
	if err != nil {
		return nil, err
	}
	pv.SMSText = m.SMSText()
	pv.Segments, pv.UCS2 = ejournal.SMSSegments(pv.SMSText)
	pv.Cost = settings.Cost(pv.Segments * pv.SMSRecipients)
	return d, nil
}

// PreviewMessage implements ejournal.MessageService.
func (db *DB) PreviewMessage(ctx context.Context, m *ejournal.Message) (*ejournal.MessagePreview, error) {
	if m.ID == "" {
		m.ID = ejournal.NewID()
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	d, err := db.plan(ctx, m)
	if err != nil {
		return nil, err
	}
	return &d.preview, nil
}

// requestHash digests what the sender asked for.
func requestHash(m *ejournal.Message) string {
	b, _ := json.Marshal(struct {
		Title, Body string
		Audience    ejournal.Audience
		SMS         bool
	}{m.Title, m.Body, m.Audience, m.SMS})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// SendMessage implements ejournal.MessageService. The message is created
// in state sending, then its inbox items are written in batches, then it
// becomes sent. A retry with the same id finds the message first: a sent
// one is returned as it is; a half-sent one gets the inbox items still
// missing (items already written keep their read state) and becomes sent.
func (db *DB) SendMessage(ctx context.Context, m *ejournal.Message) error {
	if m.ID == "" {
		m.ID = ejournal.NewID()
	}
	m.CreatedAt, m.State, m.SentAt = db.Now(), ejournal.MessageSending, time.Time{}
	if err := m.Validate(); err != nil {
		return err
	}
	hash := requestHash(m)
	old, err := db.earlierSend(ctx, m, hash)
	if err != nil {
		return err
	}
	if old != nil && old.State == ejournal.MessageSent {
		*m = old.Message
		return nil
	}
	d, err := db.plan(ctx, m)
	if err != nil {
		return err
	}
	m.Students, m.Parents, m.Recipients = d.preview.Students, d.preview.Parents, d.preview.Recipients
	m.SMSRecipients, m.Segments, m.Cost = 0, 0, 0
	if m.SMS {
		m.SMSRecipients, m.Segments, m.Cost = d.preview.SMSRecipients, d.preview.Segments, d.preview.Cost
	}
	stored := &messageItem{Message: *m, RequestHash: hash}
	stored.Version = 1
	if old != nil {
		m.CreatedAt, stored.CreatedAt, stored.Version = old.CreatedAt, old.CreatedAt, old.Version
	} else if err := db.create(ctx, messageEntity(m), stored); ejournal.ErrorCode(err) == ejournal.ECONFLICT {
		return ejournal.Conflict(ejournal.T("Это сообщение уже отправляется. Повторите запрос чуть позже.", "This message is being sent right now. Please retry in a moment."))
	} else if err != nil {
		return err
	}
	if err := db.deliver(ctx, m, d, old != nil); err != nil {
		return err
	}
	stored.State, stored.SentAt = ejournal.MessageSent, db.Now()
	stored.Version++
	if err := db.replace(ctx, messageEntity(&stored.Message), stored, stored.Version-1); err != nil {
		return err
	}
	*m = stored.Message
	return nil
}

// earlierSend reads the message of m's id if an earlier request stored it
// (nil if none), refusing one that another sender or another request made.
func (db *DB) earlierSend(ctx context.Context, m *ejournal.Message, hash string) (*messageItem, error) {
	old := new(messageItem)
	err := db.get(ctx, messageEntity(m), old)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case old.RequestHash != hash || old.SenderID != m.SenderID:
		return nil, ejournal.Conflict(ejournal.T("Этот ключ повтора уже использован для другого сообщения.", "This idempotency key was used for another message."))
	}
	return old, nil
}

// deliver writes the inbox items of m; when resumed, only those missing.
func (db *DB) deliver(ctx context.Context, m *ejournal.Message, d *delivery, resumed bool) error {
	var items []*ejournal.InboxItem
	add := func(ids []string, sms bool) {
		for _, id := range ids {
			items = append(items, &ejournal.InboxItem{
				ID: ejournal.MessageInboxID(m.ID, id), SchoolID: m.SchoolID, RecipientID: id, Kind: ejournal.NoticeMessage,
				MessageID: m.ID, SenderID: m.SenderID, SenderName: m.SenderName, Title: m.Title, Body: m.Body,
				SMS: sms, CreatedAt: m.CreatedAt,
			})
		}
	}
	// SMS copies go to parents only.
	add(d.Parents, m.SMS)
	add(d.Students, false)
	if resumed {
		keys := make([]key, len(items))
		for i, it := range items {
			keys[i] = inboxEntity(it).key
		}
		exists, err := db.existingKeys(ctx, keys)
		if err != nil {
			return err
		}
		missing := items[:0]
		for _, it := range items {
			if !exists[inboxEntity(it).key] {
				missing = append(missing, it)
			}
		}
		items = missing
	}
	return db.PutInboxItems(ctx, items)
}

// Message implements ejournal.MessageService.
func (db *DB) Message(ctx context.Context, schoolID, id string) (*ejournal.Message, error) {
	stored, err := getByKey[messageItem](ctx, db, messageEntity(&ejournal.Message{SchoolID: schoolID, ID: id}), id)
	if err != nil {
		return nil, err
	}
	return &stored.Message, nil
}

// SentMessages implements ejournal.MessageService.
func (db *DB) SentMessages(ctx context.Context, schoolID, senderID, cursor string, limit int) (*ejournal.SentPage, error) {
	out := &ejournal.SentPage{Items: []*ejournal.Message{}}
	if !ejournal.ValidID(senderID) {
		return out, nil
	}
	var err error
	out.Cursor, err = db.page(ctx, query{index: indexGSI1, pk: sentCollection(schoolID, senderID), descending: true}, cursor, limit, func(m item) error {
		v := new(messageItem)
		if err := unmarshal(m, v); err != nil {
			return ejournal.Internal(err)
		}
		out.Items = append(out.Items, &v.Message)
		return nil
	})
	return out, err
}

// Inbox implements ejournal.MessageService.
func (db *DB) Inbox(ctx context.Context, schoolID, personID, cursor string, limit int) (*ejournal.InboxPage, error) {
	out := &ejournal.InboxPage{Items: []*ejournal.InboxItem{}}
	if !ejournal.ValidID(personID) {
		return out, nil
	}
	var err error
	out.Cursor, err = db.page(ctx, query{index: indexGSI2, pk: inboxPartition(schoolID, personID), descending: true}, cursor, limit, func(m item) error {
		v := new(ejournal.InboxItem)
		if err := unmarshal(m, v); err != nil {
			return ejournal.Internal(err)
		}
		out.Items = append(out.Items, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Unread, err = db.count(ctx, query{index: indexGSI3, pk: unreadCollection(schoolID, personID)})
	return out, err
}

// InboxItem implements ejournal.MessageService.
func (db *DB) InboxItem(ctx context.Context, schoolID, personID, itemID string) (*ejournal.InboxItem, error) {
	if !ejournal.ValidID(personID) {
		return nil, ejournal.NotFound(whatInboxItem)
	}
	return getByKey[ejournal.InboxItem](ctx, db, inboxEntity(&ejournal.InboxItem{SchoolID: schoolID, RecipientID: personID, ID: itemID}), itemID)
}

// MarkRead implements ejournal.MessageService: one conditional update sets
// the read time (unless set) and takes the item out of the unread index.
func (db *DB) MarkRead(ctx context.Context, schoolID, personID, itemID string) (*ejournal.InboxItem, error) {
	if !ejournal.ValidID(personID) || !ejournal.ValidID(itemID) {
		return nil, ejournal.NotFound(whatInboxItem)
	}
	now, err := attributevalue.Marshal(db.Now())
	if err != nil {
		return nil, ejournal.Internal(err)
	}
	e := inboxEntity(&ejournal.InboxItem{SchoolID: schoolID, RecipientID: personID, ID: itemID})
	out, err := db.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &db.table,
		Key:                       e.keyAV(),
		UpdateExpression:          aws.String("SET read_at = if_not_exists(read_at, :now) REMOVE GSI3PK, GSI3SK"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: item{":now": now},
		ReturnValues:              types.ReturnValueAllNew,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return nil, ejournal.NotFound(whatInboxItem)
	} else if err != nil {
		return nil, ejournal.Internal(fmt.Errorf("mark read %s/%s: %w", e.key.PK, e.key.SK, err))
	}
	it := new(ejournal.InboxItem)
	if err := unmarshal(out.Attributes, it); err != nil {
		return nil, ejournal.Internal(err)
	}
	return it, nil
}

// MessageReaders implements ejournal.MessageService: the message's inbox
// items are one GSI1 Query, the recipients' names one batch read.
func (db *DB) MessageReaders(ctx context.Context, schoolID, messageID string) (*ejournal.MessageReaders, error) {
	if _, err := db.Message(ctx, schoolID, messageID); err != nil {
		return nil, err
	}
	items, err := list[ejournal.InboxItem](ctx, db, query{index: indexGSI1, pk: messagePartition(schoolID, messageID), skPrefix: recipientPrefix})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.RecipientID
	}
	people, err := db.people(ctx, schoolID, ids)
	if err != nil {
		return nil, err
	}
	out := &ejournal.MessageReaders{Read: []ejournal.MessageReader{}, Unread: []ejournal.MessageReader{}}
	for _, it := range items {
		r := ejournal.MessageReader{PersonID: it.RecipientID, ReadAt: it.ReadAt}
		if p := people[it.RecipientID]; p != nil {
			r.Name, r.Kind = p.FullName(), p.Kind
		}
		if it.ReadAt != nil {
			out.Read = append(out.Read, r)
		} else {
			out.Unread = append(out.Unread, r)
		}
	}
	for _, rs := range [][]ejournal.MessageReader{out.Read, out.Unread} {
		sort.SliceStable(rs, func(i, j int) bool {
			if rs[i].Name != rs[j].Name {
				return rs[i].Name < rs[j].Name
			}
			return rs[i].PersonID < rs[j].PersonID
		})
	}
	return out, nil
}

// people reads the people of ids in batches, by id; missing ones are left out.
func (db *DB) people(ctx context.Context, schoolID string, ids []string) (map[string]*ejournal.Person, error) {
	keys := make([]key, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, personKey(schoolID, id))
	}
	out := make(map[string]*ejournal.Person, len(ids))
	err := db.batchGet(ctx, keys, "", func(m item) error {
		p := new(ejournal.Person)
		if err := unmarshal(m, p); err != nil {
			return ejournal.Internal(err)
		}
		out[p.ID] = p
		return nil
	})
	return out, err
}

// page runs one page of q (limit items, DefaultPageSize when 0, at most
// MaxPageSize) from cursor, calls each for every item and returns the
// cursor of the next page ("" after the last).
func (db *DB) page(ctx context.Context, q query, cursor string, limit int, each func(item) error) (string, error) {
	switch {
	case limit <= 0:
		limit = ejournal.DefaultPageSize
	case limit > ejournal.MaxPageSize:
		limit = ejournal.MaxPageSize
	}
	q.limit = limit
	in := q.input(db.table)
	if cursor != "" {
		start, err := decodeCursor(cursor, in.ExpressionAttributeNames["#pk"], q.pk)
		if err != nil {
			return "", err
		}
		in.ExclusiveStartKey = start
	}
	out, err := db.api.Query(ctx, in)
	if err != nil {
		return "", ejournal.Internal(fmt.Errorf("query %s %s: %w", q.index, q.pk, err))
	}
	for _, m := range out.Items {
		if err := each(m); err != nil {
			return "", err
		}
	}
	if len(out.LastEvaluatedKey) == 0 {
		return "", nil
	}
	return encodeCursor(out.LastEvaluatedKey), nil
}

// encodeCursor turns a LastEvaluatedKey (string attributes only) into an
// opaque cursor.
func encodeCursor(k item) string {
	m := make(map[string]string, len(k))
	for name, v := range k {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			m[name] = s.Value
		}
	}
	b, _ := json.Marshal(m)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursor = ejournal.Problems{"cursor": ejournal.T("Неверный курсор: начните список сначала.", "Invalid cursor: start the list again.")}.Err()

// decodeCursor reads a cursor back, accepting it only within the partition
// the query reads (pkName = pk), so that it cannot lead anywhere else.
func decodeCursor(cursor, pkName, pk string) (item, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, errCursor
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || m[pkName] != pk || m[attrPK] == "" || m[attrSK] == "" {
		return nil, errCursor
	}
	out := make(item, len(m))
	for name, v := range m {
		switch name {
		case attrPK, attrSK, attrGSI1PK, attrGSI1SK, attrGSI2PK, attrGSI2SK, attrGSI3PK, attrGSI3SK:
			out[name] = str(v)
		default:
			return nil, errCursor
		}
	}
	return out, nil
}

// count counts the items q selects with counting Queries.
func (db *DB) count(ctx context.Context, q query) (int, error) {
	in := q.input(db.table)
	in.Select = types.SelectCount
	p := dynamodb.NewQueryPaginator(db.api, in)
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return 0, ejournal.Internal(fmt.Errorf("count %s %s: %w", q.index, q.pk, err))
		}
		n += int(out.Count)
	}
	return n, nil
}

// batchGet reads the items of keys (duplicates allowed) with consistent
// BatchGetItem requests of up to 100 keys, resending unprocessed keys with
// backoff, and calls each for every item found. A non-empty projection
// reads only those attributes.
func (db *DB) batchGet(ctx context.Context, keys []key, projection string, each func(item) error) error {
	seen := map[key]bool{}
	uniq := make([]key, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	for start := 0; start < len(uniq); start += maxBatchGet {
		req := make([]item, 0, maxBatchGet)
		for _, k := range uniq[start:min(start+maxBatchGet, len(uniq))] {
			req = append(req, item{attrPK: str(k.PK), attrSK: str(k.SK)})
		}
		ka := types.KeysAndAttributes{Keys: req, ConsistentRead: aws.Bool(true)}
		if projection != "" {
			ka.ProjectionExpression = aws.String(projection)
		}
		pending := map[string]types.KeysAndAttributes{db.table: ka}
		backoff := 25 * time.Millisecond
		for attempt := 1; len(pending) > 0; attempt++ {
			res, err := db.api.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return ejournal.Internal(fmt.Errorf("batch get: %w", err))
			}
			for _, m := range res.Responses[db.table] {
				if err := each(m); err != nil {
					return err
				}
			}
			pending = res.UnprocessedKeys
			if len(pending) == 0 {
				break
			}
			if attempt == maxBatchAttempts {
				return ejournal.Internal(errors.New("batch get: keys still unprocessed"))
			}
			select {
			case <-ctx.Done():
				return ejournal.Internal(ctx.Err())
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 2*time.Second)
		}
	}
	return nil
}
