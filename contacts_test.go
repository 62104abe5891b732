package sendbee

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContactsListWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contacts_list.json"))

	page, err := c.Contacts.List(context.Background(), &ListContactsParams{
		ListOptions: ListOptions{Page: 2, Limit: 50},
		Tags:        []string{"vip customer", "Tom & Jerry"},
		Status:      ContactSubscribed,
		SearchQuery: "Tom & Jerry +385 #1 čšž 100%",
	})
	require.NoError(t, err)

	r := srv.Only(t)
	assertSigned(t, r)
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "/contacts", r.Path)
	assert.Equal(t, map[string][]string{
		"page":         {"2"},
		"limit":        {"50"},
		"tags":         {"vip customer,Tom & Jerry"},
		"status":       {"subscribed"},
		"search_query": {"Tom & Jerry +385 #1 čšž 100%"},
	}, map[string][]string(r.Query))
	assert.Empty(t, r.Body)

	require.Len(t, page.Items, 2)
	got := page.Items[0]
	assert.Equal(t, "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001", got.ID)
	assert.Equal(t, "HR.13491208655302741918", got.WhatsAppUserID)
	assert.Equal(t, ContactSubscribed, got.Status)
	assert.Equal(t, time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), got.CreatedAt.Time)
	assert.Equal(t, time.Unix(1700000000, 0).UTC(), got.ModifiedAt.Time)
	assert.True(t, bool(got.HasMessagingConsent))
	require.Len(t, got.Tags, 1)
	assert.Equal(t, "vip customer", got.Tags[0].Name)
	assert.True(t, bool(got.Tags[0].Editable))
	assert.JSONEq(t, `{"color":"red"}`, string(got.Tags[0].Icons))
	require.Len(t, got.ContactFields, 4)
	assert.Equal(t, "42", got.ContactFields[0].Value.String())
	assert.Equal(t, "Zagreb", got.ContactFields[1].Value.String())
	assert.Equal(t, "true", got.ContactFields[2].Value.String())
	assert.True(t, got.ContactFields[3].Value.IsNull())
	assert.Equal(t, []Note{{ID: "n1", Value: "Prefers WhatsApp"}}, got.Notes)
	assert.True(t, page.Items[1].CreatedAt.IsZero())

	assert.Equal(t, Meta{CurrentPage: 1, LastPage: 3, PerPage: 2, Total: 6, From: 1, To: 2}, page.Meta)
	assert.Equal(t, "https://api-v2.sendbee.io/contacts?page=2", page.Links.Next)
	assert.True(t, page.HasNext())
	assert.Equal(t, 2, page.NextPage())
	assert.Equal(t, http.StatusOK, page.Response.StatusCode)
}
