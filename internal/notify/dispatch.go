package notify

import (
	"context"
	"time"

	"ejournal/internal/ejournal"
	"ejournal/internal/sms"
)

// Dispatch limits.
const (
	// dispatchBatch is how many due SMS one round reads.
	dispatchBatch = 100
	// maxRounds bounds one Dispatch call (the scheduled function runs every
	// 5 minutes; what is left waits for the next run).
	maxRounds = 20
	// lease is how long a dispatcher holds an SMS it is sending.
	lease = 2 * time.Minute
	// maxAttempts is how often an SMS is tried before it fails for good.
	maxAttempts = 6
)

// DispatchResult counts what one Dispatch did.
type DispatchResult struct {
	Sent       int `json:"sent"`
	Failed     int `json:"failed"`
	Suppressed int `json:"suppressed"`
	// Deferred are SMS put back for later (quiet hours, transient errors).
	Deferred int `json:"deferred"`
}

// Dispatch sends the SMS that are due: each is claimed (so two dispatchers
// never send one twice), checked against quiet hours, the recipient's
// opt-out and the school's monthly budget, sent, and recorded as sent,
// failed (a permanent error, or too many attempts) or suppressed.
func (p *Pipeline) Dispatch(ctx context.Context) (DispatchResult, error) {
	var res DispatchResult
	inv := newInvocation(p)
	for range maxRounds {
		now := p.now()
		due, err := p.Store.DueMessages(ctx, now, dispatchBatch)
		if err != nil {
			return res, err
		}
		progress := false
		for _, m := range due {
			ok, err := p.Store.ClaimMessage(ctx, m, now.Add(lease))
			if err != nil {
				return res, err
			}
			if !ok {
				continue
			}
			progress = true
			if err := p.deliver(ctx, inv, m, now, &res); err != nil {
				return res, err
			}
		}
		if len(due) < dispatchBatch || !progress {
			break
		}
	}
	return res, nil
}

// deliver decides and records the outcome of one claimed SMS.
func (p *Pipeline) deliver(ctx context.Context, inv *invocation, m *ejournal.OutboxMessage, now time.Time, res *DispatchResult) error {
	log := p.logger().With("school_id", m.SchoolID, "outbox_id", m.ID)
	sc, err := inv.school(ctx, m.SchoolID)
	if err != nil {
		return err
	}
	if after, isQuiet := ejournal.QuietUntil(now, sc.loc, sc.settings.QuietStart, sc.settings.QuietEnd); isQuiet {
		m.SendAfter = after.UTC()
		res.Deferred++
		return p.Store.FinishMessage(ctx, m)
	}
	optedOut, err := p.Sender.OptedOut(ctx, m.Phone)
	switch {
	case err != nil:
		log.Warn("sms opt-out check failed", "code", sms.Code(err))
		return p.retry(ctx, m, now, "opt_out_check", res)
	case optedOut:
		return p.suppress(ctx, m, ejournal.ReasonOptedOut, res)
	}
	month := now.In(sc.loc).Format("2006-01")
	limit := sc.settings.MonthlySMSBudget
	allowed, b, err := p.Store.SpendBudget(ctx, m.SchoolID, month, m.Segments, limit)
	if err != nil {
		return err
	}
	used := b.Used
	if allowed {
		used -= m.Segments
	}
	if _, warn := ejournal.BudgetDecision(used, limit, m.Segments); warn && !b.Warned && limit > 0 {
		if first, err := p.Store.WarnBudget(ctx, m.SchoolID, month); err != nil {
			return err
		} else if first {
			log.Warn("the school's monthly SMS budget is 80% spent", "month", month, "used", b.Used, "budget", limit)
		}
	}
	if !allowed {
		return p.suppress(ctx, m, ejournal.ReasonBudget, res)
	}
	id, err := p.Sender.Send(ctx, m)
	if err != nil {
		if rerr := p.Store.RefundBudget(ctx, m.SchoolID, month, m.Segments); rerr != nil {
			log.Error("sms budget refund failed", "error", rerr.Error())
		}
		if sms.IsPermanent(err) {
			log.Warn("sms failed", "code", sms.Code(err))
			m.State, m.Reason = ejournal.OutboxFailed, "rejected:"+sms.Code(err)
			res.Failed++
			return p.Store.FinishMessage(ctx, m)
		}
		log.Warn("sms not sent, will retry", "code", sms.Code(err), "attempts", m.Attempts)
		return p.retry(ctx, m, now, "send", res)
	}
	m.State, m.SNSMessageID, m.SentAt, m.Reason = ejournal.OutboxSent, id, now, ""
	res.Sent++
	log.Info("sms sent", "segments", m.Segments)
	return p.Store.FinishMessage(ctx, m)
}

// retry puts m back for a later attempt with a growing delay, or fails it
// after maxAttempts.
func (p *Pipeline) retry(ctx context.Context, m *ejournal.OutboxMessage, now time.Time, what string, res *DispatchResult) error {
	if m.Attempts >= maxAttempts {
		m.State, m.Reason = ejournal.OutboxFailed, ejournal.ReasonGaveUp+":"+what
		res.Failed++
		return p.Store.FinishMessage(ctx, m)
	}
	m.SendAfter = now.Add(time.Minute << min(m.Attempts, 6)).UTC()
	res.Deferred++
	return p.Store.FinishMessage(ctx, m)
}

func (p *Pipeline) suppress(ctx context.Context, m *ejournal.OutboxMessage, reason string, res *DispatchResult) error {
	m.State, m.Reason = ejournal.OutboxSuppressed, reason
	res.Suppressed++
	return p.Store.FinishMessage(ctx, m)
}
