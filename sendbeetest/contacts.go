package sendbeetest

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/sendbee/sendbee-go"
)

func contactID(c sendbee.Contact) string { return c.ID }

// AddContact stores c as a contact and returns it as stored: an ID is
// assigned when c has none, CreatedAt and ModifiedAt default to now, Status
// to subscribed, and tags are matched to tag records by name (missing ones
// are created). A contact with c's ID is replaced.
func (s *Server) AddContact(c sendbee.Contact) sendbee.Contact {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c = cloneContact(c)
	if c.ID == "" {
		c.ID = st.newID()
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = st.stamp()
	}
	if c.ModifiedAt.IsZero() {
		c.ModifiedAt = st.stamp()
	}
	if c.Status == "" {
		c.Status = sendbee.ContactSubscribed
	}
	names := make([]string, len(c.Tags))
	for i, t := range c.Tags {
		names[i] = t.Name
	}
	c.Tags = st.tagsNamed(names)
	if i := indexByID(st.contacts, c.ID, contactID); i >= 0 {
		st.contacts[i] = c
	} else {
		st.contacts = append(st.contacts, c)
	}
	return cloneContact(c)
}

// Contacts returns the stored contacts, oldest first.
func (s *Server) Contacts() []sendbee.Contact {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]sendbee.Contact, len(st.contacts))
	for i, c := range st.contacts {
		out[i] = cloneContact(c)
	}
	return out
}

// cloneContact copies c deeply enough that neither copy can change the
// other, without its Response. Its lists are never nil, so a contact
// without tags, notes or fields goes on the wire with [] as the API sends
// it, not null.
func cloneContact(c sendbee.Contact) sendbee.Contact {
	c.Response = nil
	c.Tags = append([]sendbee.Tag{}, filter(c.Tags, func(sendbee.Tag) bool { return true }, cloneTag)...)
	c.Notes = append([]sendbee.Note{}, c.Notes...)
	c.ContactFields = append([]sendbee.ContactFieldValue{}, c.ContactFields...)
	for i := range c.ContactFields {
		c.ContactFields[i].Value.Raw = slices.Clone(c.ContactFields[i].Value.Raw)
	}
	return c
}

// contactChanges is what a subscribe or an update asks to change.
type contactChanges struct {
	name, phone, whatsAppUserID string
	tags, notes                 []string
	fields                      map[string]any
}

// apply changes the contact at index i: non-empty names and numbers
// replace the stored ones, tags are added (created by name when missing),
// notes are appended, and values of existing contact fields overwrite the
// stored ones (unknown field names are ignored). The caller holds mu.
func (st *store) apply(i int, ch contactChanges) {
	c := &st.contacts[i]
	if ch.name != "" {
		c.Name = ch.name
	}
	if ch.phone != "" {
		c.Phone = ch.phone
	}
	if ch.whatsAppUserID != "" {
		c.WhatsAppUserID = ch.whatsAppUserID
	}
	for _, t := range st.tagsNamed(ch.tags) {
		if !slices.ContainsFunc(c.Tags, func(have sendbee.Tag) bool { return have.ID == t.ID }) {
			c.Tags = append(c.Tags, t)
		}
	}
	for _, n := range ch.notes {
		c.Notes = append(c.Notes, sendbee.Note{ID: st.newID(), Value: n})
	}
	st.setFieldValues(c, ch.fields)
	c.ModifiedAt = st.stamp()
}

// setFieldValues writes values of known contact fields on c, in name order.
func (st *store) setFieldValues(c *sendbee.Contact, values map[string]any) {
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fi := st.fieldIndexByName(name)
		if fi < 0 {
			continue
		}
		raw, err := json.Marshal(values[name])
		if err != nil {
			continue
		}
		key := st.fields[fi].Name
		value := sendbee.ContactFieldValue{Key: key, Value: sendbee.Scalar{Raw: raw}}
		if k := slices.IndexFunc(c.ContactFields, func(v sendbee.ContactFieldValue) bool { return v.Key == key }); k >= 0 {
			c.ContactFields[k] = value
		} else {
			c.ContactFields = append(c.ContactFields, value)
		}
	}
}

// contactFor returns the index of the contact with this phone or WhatsApp
// user ID, creating a subscribed contact when there is none. The caller
// holds mu.
func (st *store) contactFor(phone, whatsAppUserID string) int {
	i := slices.IndexFunc(st.contacts, func(c sendbee.Contact) bool {
		return (phone != "" && c.Phone == phone) || (whatsAppUserID != "" && c.WhatsAppUserID == whatsAppUserID)
	})
	if i >= 0 {
		return i
	}
	st.contacts = append(st.contacts, sendbee.Contact{
		ID:                  st.newID(),
		Phone:               phone,
		WhatsAppUserID:      whatsAppUserID,
		Status:              sendbee.ContactSubscribed,
		CreatedAt:           st.stamp(),
		ModifiedAt:          st.stamp(),
		HasMessagingConsent: true,
	})
	return len(st.contacts) - 1
}

// listContacts answers GET /contacts: tags keeps contacts with at least one
// of the tags (by name, ignoring case), status keeps subscribed or
// unsubscribed ones, and search_query matches name, phone or WhatsApp user
// ID by substring, ignoring case.
func (s *Server) listContacts(in *incoming) (any, error) {
	status := in.query.Get("status")
	if err := oneOf("status", status, string(sendbee.ContactSubscribed), string(sendbee.ContactUnsubscribed)); err != nil {
		return nil, err
	}
	tags := in.list("tags")
	search := strings.ToLower(in.query.Get("search_query"))
	return serveList(s, in, true, func(st *store) ([]sendbee.Contact, error) {
		return filter(st.contacts, func(c sendbee.Contact) bool {
			return (status == "" || string(c.Status) == status) && hasAnyTag(c, tags) &&
				(contains(c.Name, search) || contains(c.Phone, search) || contains(c.WhatsAppUserID, search))
		}, cloneContact), nil
	})
}

// hasAnyTag reports whether c has one of the named tags; true when names is empty.
func hasAnyTag(c sendbee.Contact, names []string) bool {
	if len(names) == 0 {
		return true
	}
	return slices.ContainsFunc(c.Tags, func(t sendbee.Tag) bool {
		return slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, t.Name) })
	})
}

// subscribeContact answers POST /contacts/subscribe: phone or
// whatsapp_user_id is required; the contact with that phone (or WhatsApp
// user ID) is updated and subscribed again, or a new one is created. The
// block flags are accepted and not modelled.
func (s *Server) subscribeContact(in *incoming) (any, error) {
	var params sendbee.SubscribeContactParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if params.Phone == "" && params.WhatsAppUserID == "" {
		return nil, invalid("The phone field is required when whatsapp_user_id is not present.")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	i := st.contactFor(params.Phone, params.WhatsAppUserID)
	st.contacts[i].Status = sendbee.ContactSubscribed
	st.apply(i, contactChanges{
		name: params.Name, phone: params.Phone, whatsAppUserID: params.WhatsAppUserID,
		tags: params.Tags, notes: params.Notes, fields: params.ContactFields,
	})
	return dataEnvelope{Data: cloneContact(st.contacts[i])}, nil
}

// updateContact answers PUT /contacts: id is required; see store.apply for
// what changes (notes are appended).
func (s *Server) updateContact(in *incoming) (any, error) {
	var params sendbee.UpdateContactParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if params.ID == "" {
		return nil, required("id")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	i, err := findByID(st.contacts, params.ID, contactID, "Contact")
	if err != nil {
		return nil, err
	}
	st.apply(i, contactChanges{
		name: params.Name, phone: params.Phone, whatsAppUserID: params.WhatsAppUserID,
		tags: params.Tags, notes: params.Notes, fields: params.ContactFields,
	})
	return dataEnvelope{Data: cloneContact(st.contacts[i])}, nil
}
