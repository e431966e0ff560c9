package dynamo

import (
	"context"

	"ejournal/internal/ejournal"
)

var _ ejournal.NotifySettingsService = (*DB)(nil)

var (
	whatNotifySettings   = ejournal.T("Настройки уведомлений", "Notification settings")
	whatNotifyPreference = ejournal.T("Настройка уведомлений родителя", "Parent's notification preference")
)

func notifySettingsEntity(sid string) entity {
	return entity{key: notifySettingsKey(sid), kind: "notify_settings", what: whatNotifySettings, audit: auditRef{sid, "notify_settings", sid}}
}

// notifyPreferenceEntity files a preference's audit entries in its
// parent's trail of kind "notify_preference".
func notifyPreferenceEntity(p *ejournal.NotifyPreference) entity {
	return entity{key: notifyPrefKey(p.SchoolID, p.ParentID, p.ChildID), kind: "notify_preference", what: whatNotifyPreference, audit: auditRef{p.SchoolID, "notify_preference", p.ParentID}}
}

// NotifySettings implements ejournal.NotifySettingsService.
func (db *DB) NotifySettings(ctx context.Context, schoolID string) (*ejournal.NotifySettings, error) {
	s := new(ejournal.NotifySettings)
	err := db.get(ctx, notifySettingsEntity(schoolID), s)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return ejournal.DefaultNotifySettings(schoolID), nil
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// SaveNotifySettings implements ejournal.NotifySettingsService. s.Version
// is the version the caller read: 0 (the defaults) creates the settings;
// on success it is the new version.
func (db *DB) SaveNotifySettings(ctx context.Context, s *ejournal.NotifySettings) error {
	s.UpdatedAt = db.Now()
	if err := s.Validate(); err != nil {
		return err
	}
	e := notifySettingsEntity(s.SchoolID)
	if s.Version == 0 {
		return db.insert(ctx, e, s, &s.Version, schoolRef(s.SchoolID))
	}
	return db.update(ctx, e, s, &s.Version)
}

// NotifyPreferences implements ejournal.NotifySettingsService.
func (db *DB) NotifyPreferences(ctx context.Context, schoolID, parentID string) ([]*ejournal.NotifyPreference, error) {
	if !ejournal.ValidID(parentID) {
		return nil, nil
	}
	return list[ejournal.NotifyPreference](ctx, db, query{pk: notifyPrefPartition(schoolID, parentID), skPrefix: notifyChildPrefix, consistent: true})
}

// NotifyPreferencesFor implements ejournal.NotifySettingsService: one
// Query per parent (a child has one or two).
func (db *DB) NotifyPreferencesFor(ctx context.Context, schoolID string, parentIDs []string) ([]*ejournal.NotifyPreference, error) {
	var out []*ejournal.NotifyPreference
	seen := map[string]bool{}
	for _, id := range parentIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		ps, err := db.NotifyPreferences(ctx, schoolID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// SaveNotifyPreference implements ejournal.NotifySettingsService. The
// parent must be linked to the child (checked in the same transaction);
// p.Version is the version the caller read, 0 for a first choice.
func (db *DB) SaveNotifyPreference(ctx context.Context, p *ejournal.NotifyPreference) error {
	p.UpdatedAt = db.Now()
	if err := p.Validate(); err != nil {
		return err
	}
	e := notifyPreferenceEntity(p)
	link := ref{key: linkKey(p.SchoolID, p.ParentID, p.ChildID), field: "child_id", what: whatLink}
	if p.Version == 0 {
		return db.insert(ctx, e, p, &p.Version, link)
	}
	return db.update(ctx, e, p, &p.Version, link)
}
