package sendbeetest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

func noteValues(c sendbee.Contact) []string {
	var out []string
	for _, n := range c.Notes {
		out = append(out, n.Value)
	}
	return out
}

func tagNames(c sendbee.Contact) []string {
	var out []string
	for _, t := range c.Tags {
		out = append(out, t.Name)
	}
	return out
}

func fieldValues(c sendbee.Contact) map[string]string {
	out := map[string]string{}
	for _, f := range c.ContactFields {
		out[f.Key] = string(f.Value.Raw)
	}
	return out
}

func TestSubscribeCreatesThenUpdatesByPhone(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC().Truncate(time.Second)
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithClock(func() time.Time { return now })})
	srv.AddContactField(sendbee.ContactField{Name: "Size", Type: sendbee.ContactFieldText})
	ctx := context.Background()

	first, err := client.Contacts.Subscribe(ctx, sendbee.SubscribeContactParams{
		Phone: "+385991234567", Name: "Ana", Tags: []string{"vip"}, Notes: []string{"first"},
		ContactFields: map[string]any{"size": "M", "Unknown": 1},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, first.ID)
	assert.Equal(t, sendbee.ContactSubscribed, first.Status)
	assert.Equal(t, now, first.CreatedAt.Time)
	assert.Equal(t, []string{"vip"}, tagNames(*first))
	assert.Equal(t, []string{"first"}, noteValues(*first))
	assert.Equal(t, map[string]string{"Size": `"M"`}, fieldValues(*first), "known fields by name, ignoring case; unknown ones ignored")

	again, err := client.Contacts.Subscribe(ctx, sendbee.SubscribeContactParams{
		Phone: "+385991234567", Tags: []string{"VIP", "new"}, Notes: []string{"second"},
	})
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "the same phone is the same contact")
	assert.Equal(t, "Ana", again.Name, "an empty name leaves the name")
	assert.Equal(t, []string{"vip", "new"}, tagNames(*again), "tags are matched by name, ignoring case")
	assert.Equal(t, []string{"first", "second"}, noteValues(*again))

	assert.Len(t, srv.Contacts(), 1)
	assert.Len(t, srv.Tags(), 2)
}

func TestUpdateContact(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	srv.AddContactField(sendbee.ContactField{Name: "Age", Type: sendbee.ContactFieldNumber})
	c := srv.AddContact(sendbee.Contact{Name: "Ana", Phone: "+385991234567", Notes: []sendbee.Note{{ID: "n0", Value: "seeded"}}})
	ctx := context.Background()

	updated, err := client.Contacts.Update(ctx, sendbee.UpdateContactParams{
		ID: c.ID, Name: "Ana Horvat", Notes: []string{"called"}, Tags: []string{"lead"}, ContactFields: map[string]any{"Age": 41},
	})
	require.NoError(t, err)
	assert.Equal(t, "Ana Horvat", updated.Name)
	assert.Equal(t, "+385991234567", updated.Phone, "an empty phone leaves the phone")
	assert.Equal(t, []string{"seeded", "called"}, noteValues(*updated), "notes are appended")
	assert.Equal(t, []string{"lead"}, tagNames(*updated))
	assert.Equal(t, map[string]string{"Age": "41"}, fieldValues(*updated))

	updated, err = client.Contacts.Update(ctx, sendbee.UpdateContactParams{ID: c.ID, ContactFields: map[string]any{"Age": 42}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"Age": "42"}, fieldValues(*updated), "a field value is overwritten")
	assert.Equal(t, []string{"seeded", "called"}, noteValues(*updated))

	_, err = client.Contacts.Update(ctx, sendbee.UpdateContactParams{ID: "missing", Name: "x"})
	assert.ErrorIs(t, err, sendbee.ErrNotFound)
	assert.Len(t, srv.Contacts(), 1, "a failed update creates nothing")
}

func TestAddContactAssignsWhatIsMissing(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := sendbeetest.NewServer(sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)

	c := srv.AddContact(sendbee.Contact{Name: "Ana", Tags: []sendbee.Tag{{Name: "vip"}}})
	assert.NotEmpty(t, c.ID)
	assert.Equal(t, sendbee.ContactSubscribed, c.Status)
	assert.Equal(t, now, c.CreatedAt.Time)
	require.Len(t, c.Tags, 1)
	assert.Equal(t, srv.Tags()[0], c.Tags[0], "the tag record was created")

	kept := srv.AddContact(sendbee.Contact{ID: "own-id", Status: sendbee.ContactUnsubscribed})
	assert.Equal(t, "own-id", kept.ID)
	assert.Equal(t, sendbee.ContactUnsubscribed, kept.Status)

	replaced := srv.AddContact(sendbee.Contact{ID: "own-id", Name: "Replaced"})
	assert.Equal(t, "Replaced", replaced.Name)
	assert.Len(t, srv.Contacts(), 2)
}

func TestTagsCRUDReachesContacts(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ctx := context.Background()
	tag, err := client.Tags.Create(ctx, sendbee.CreateTagParams{Name: "vip"})
	require.NoError(t, err)
	assert.True(t, bool(tag.Editable))
	_, err = client.Tags.Create(ctx, sendbee.CreateTagParams{Name: "VIP"})
	assert.ErrorContains(t, err, "422", "a duplicate name")
	c := srv.AddContact(sendbee.Contact{Phone: "+1", Tags: []sendbee.Tag{{Name: "vip"}}})
	require.Equal(t, tag.ID, c.Tags[0].ID)

	renamed, err := client.Tags.Update(ctx, sendbee.UpdateTagParams{ID: tag.ID, Name: "gold"})
	require.NoError(t, err)
	assert.Equal(t, "gold", renamed.Name)
	assert.Equal(t, []string{"gold"}, tagNames(srv.Contacts()[0]), "the contact shows the new name")

	msg, err := client.Tags.Delete(ctx, tag.ID)
	require.NoError(t, err)
	assert.Equal(t, "Tag deleted", msg.Message)
	assert.Empty(t, srv.Tags())
	assert.Empty(t, srv.Contacts()[0].Tags, "the contact lost the tag")

	_, err = client.Tags.Update(ctx, sendbee.UpdateTagParams{ID: tag.ID, Name: "x"})
	assert.ErrorIs(t, err, sendbee.ErrNotFound)
}

func TestContactFieldsCRUD(t *testing.T) {
	t.Parallel()
	now := time.Now()
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithClock(func() time.Time { return now })})
	ctx := context.Background()

	field, err := client.ContactFields.Create(ctx, sendbee.CreateContactFieldParams{Name: "Size", Type: sendbee.ContactFieldList, Options: []string{"S", "M"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"S", "M"}, field.Options)
	srv.AddContact(sendbee.Contact{Phone: "+1", ContactFields: []sendbee.ContactFieldValue{{Key: "Size", Value: sendbee.Scalar{Raw: []byte(`"M"`)}}}})

	resp := do(t, srv, http.MethodPut, "/contacts/fields", `{"id":"`+field.ID+`","options":[]}`, signed(srv, now))
	assert.Equal(t, http.StatusUnprocessableEntity, resp.Status, "a list needs options: %s", resp.Body)

	renamed, err := client.ContactFields.Update(ctx, sendbee.UpdateContactFieldParams{ID: field.ID, Name: "Shirt size", Type: sendbee.ContactFieldText})
	require.NoError(t, err)
	renamed.Response = nil
	assert.Equal(t, sendbee.ContactField{ID: field.ID, Name: "Shirt size", Type: sendbee.ContactFieldText}, *renamed, "options go with the list type")
	assert.Equal(t, map[string]string{"Shirt size": `"M"`}, fieldValues(srv.Contacts()[0]), "contacts' values follow the rename")

	_, err = client.ContactFields.Create(ctx, sendbee.CreateContactFieldParams{Name: "shirt SIZE", Type: sendbee.ContactFieldText})
	assert.ErrorContains(t, err, "422", "a duplicate name")

	msg, err := client.ContactFields.Delete(ctx, field.ID)
	require.NoError(t, err)
	assert.Equal(t, "Contact field deleted", msg.Message)
	assert.Empty(t, srv.ContactFields())
	assert.Empty(t, srv.Contacts()[0].ContactFields, "values of a deleted field are gone")
}
