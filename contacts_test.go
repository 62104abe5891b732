package sendbee

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
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

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/contacts", query: url.Values{
		"page":         {"2"},
		"limit":        {"50"},
		"tags":         {"vip customer,Tom & Jerry"},
		"status":       {"subscribed"},
		"search_query": {"Tom & Jerry +385 #1 čšž 100%"},
	}})

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

	assert.Equal(t, Meta{CurrentPage: 1, LastPage: 2, PerPage: 2, Total: 3, From: 1, To: 2}, page.Meta)
	assert.Equal(t, "https://api-v2.sendbee.io/contacts?page=2", page.Links.Next)
	assert.True(t, page.HasNext())
	assert.Equal(t, 2, page.NextPage())
	assert.Equal(t, http.StatusOK, page.Response.StatusCode)
}

func TestContactsListWireWithoutParams(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contacts_list.json"))
	page, err := c.Contacts.List(context.Background(), nil)
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/contacts"})
	assert.Len(t, page.Items, 2)
}

// assertPagedRequests checks the requests of an All walk: each a signed GET
// of path with the query want plus the page number it asked for.
func assertPagedRequests(t *testing.T, reqs []wireRequest, path string, want url.Values, wantPages ...string) {
	t.Helper()
	require.Len(t, reqs, len(wantPages))
	for i, r := range reqs {
		q := url.Values{}
		for k, v := range want {
			q[k] = v
		}
		if wantPages[i] != "" {
			q.Set("page", wantPages[i])
		}
		assertRequest(t, r, wantRequest{method: http.MethodGet, path: path, query: q})
	}
}

// TestContactsAllWire walks the recorded contacts_list.json (page 1 of 2)
// and contacts_list_page2.json, and checks every decoded contact whole.
func TestContactsAllWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondPages(t, "contacts_list.json", "contacts_list_page2.json"))
	params := &ListContactsParams{
		ListOptions: ListOptions{Limit: 2},
		Tags:        []string{"vip customer", "new"},
		Status:      ContactUnsubscribed,
		SearchQuery: "Tom & Jerry +385 #1 čšž 100%",
	}

	contacts, err := collect(c.Contacts.All(context.Background(), params))
	require.NoError(t, err)

	assertPagedRequests(t, srv.Requests(), "/contacts", url.Values{
		"limit":        {"2"},
		"tags":         {"vip customer,new"},
		"status":       {"unsubscribed"},
		"search_query": {"Tom & Jerry +385 #1 čšž 100%"},
	}, "", "2")
	assert.Equal(t, 0, params.Page, "All does not change the caller's params")
	assert.Equal(t, []Contact{
		// page 1
		{
			ID:                  "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001",
			Name:                "Tom Jerry",
			Phone:               "+385991234567",
			WhatsAppUserID:      "HR.13491208655302741918",
			Status:              ContactSubscribed,
			Folder:              "open",
			CreatedAt:           Time{Time: time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), Raw: "2020-02-29 23:36:55"},
			ModifiedAt:          Time{Time: time.Unix(1700000000, 0).UTC(), Raw: "1700000000"},
			HasMessagingConsent: true,
			Tags: []Tag{{
				ID: "5c1e7a6e-0000-4000-8000-000000000001", Name: "vip customer", Editable: true, DisableContact: false,
				Icons: json.RawMessage(`{"color": "red"}`),
			}},
			ContactFields: []ContactFieldValue{
				{Key: "age", Value: Scalar{Raw: json.RawMessage(`42`)}},
				{Key: "city", Value: Scalar{Raw: json.RawMessage(`"Zagreb"`)}},
				{Key: "newsletter", Value: Scalar{Raw: json.RawMessage(`true`)}},
				{Key: "birthday", Value: Scalar{Raw: json.RawMessage(`null`)}},
			},
			Notes: []Note{{ID: "n1", Value: "Prefers WhatsApp"}},
		},
		{
			ID:            "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0002",
			Name:          "Jerry",
			Phone:         "+385991234568",
			Status:        ContactUnsubscribed,
			Tags:          []Tag{},
			ContactFields: []ContactFieldValue{},
			Notes:         []Note{},
		},
		// page 2
		{
			ID:                  "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0003",
			Name:                "Ana O'Brien",
			Phone:               "+385991234569",
			WhatsAppUserID:      "HR.13491208655302741919",
			Status:              ContactUnsubscribed,
			Folder:              "done",
			CreatedAt:           Time{Time: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), Raw: "1714979289"},
			ModifiedAt:          Time{Time: time.Date(2024, 5, 7, 10, 0, 0, 0, time.UTC), Raw: "2024-05-07T10:00:00Z"},
			HasMessagingConsent: false,
			Tags: []Tag{
				{ID: "5c1e7a6e-0000-4000-8000-000000000001", Name: "vip customer"},
				{
					ID: "5c1e7a6e-0000-4000-8000-000000000002", Name: "Tom & Jerry", Editable: false, DisableContact: true,
					Icons: json.RawMessage(`[]`),
				},
			},
			ContactFields: []ContactFieldValue{
				{Key: "age", Value: Scalar{Raw: json.RawMessage(`"42"`)}},
				{Key: "height", Value: Scalar{Raw: json.RawMessage(`1.75`)}},
				{Key: "newsletter", Value: Scalar{Raw: json.RawMessage(`false`)}},
				{Key: "nickname", Value: Scalar{Raw: json.RawMessage(`"Ančica"`)}},
			},
			Notes: []Note{{Value: "Met at the fair"}, {ID: "n3", Value: "Likes čšž"}},
		},
	}, contacts)
}

// assertSubscribedContact checks the decoded testdata/contact_subscribe.json.
func assertSubscribedContact(t *testing.T, got *Contact) {
	t.Helper()
	require.NotNil(t, got)
	assert.Equal(t, "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0003", got.ID)
	assert.Equal(t, "Ana O'Brien", got.Name)
	assert.Equal(t, "+385991234569", got.Phone)
	assert.Equal(t, "HR.13491208655302741919", got.WhatsAppUserID)
	assert.Equal(t, ContactSubscribed, got.Status)
	assert.Equal(t, "open", got.Folder)
	assert.Equal(t, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), got.CreatedAt.Time)
	assert.True(t, got.ModifiedAt.IsZero())
	assert.True(t, bool(got.HasMessagingConsent))
	assert.Equal(t, []Tag{{ID: "5c1e7a6e-0000-4000-8000-000000000001", Name: "vip customer"}}, got.Tags)
	require.Len(t, got.ContactFields, 2)
	assert.Equal(t, "age", got.ContactFields[0].Key)
	assert.Equal(t, "42", got.ContactFields[0].Value.String())
	assert.Equal(t, "false", got.ContactFields[1].Value.String())
	assert.Equal(t, []Note{{Value: "Met at the fair"}}, got.Notes)
}

func TestContactsSubscribeWire(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		params   SubscribeContactParams
		wantBody map[string]any
	}{
		{
			name:   "phone only: unset block flags go out as true",
			params: SubscribeContactParams{Phone: "+385991234569"},
			wantBody: map[string]any{
				"phone": "+385991234569", "block_notifications": true, "block_automation": true,
			},
		},
		{
			name:   "whatsapp_user_id only",
			params: SubscribeContactParams{WhatsAppUserID: "HR.13491208655302741919"},
			wantBody: map[string]any{
				"whatsapp_user_id": "HR.13491208655302741919", "block_notifications": true, "block_automation": true,
			},
		},
		{
			name:   "explicit false goes out as false",
			params: SubscribeContactParams{Phone: "+385991234569", BlockNotifications: Ptr(false), BlockAutomation: Ptr(false)},
			wantBody: map[string]any{
				"phone": "+385991234569", "block_notifications": false, "block_automation": false,
			},
		},
		{
			name:   "one flag set, the other unset",
			params: SubscribeContactParams{Phone: "+385991234569", BlockAutomation: Ptr(false)},
			wantBody: map[string]any{
				"phone": "+385991234569", "block_notifications": true, "block_automation": false,
			},
		},
		{
			name: "every parameter",
			params: SubscribeContactParams{
				ID:             "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0009",
				Phone:          "+385991234569",
				WhatsAppUserID: "HR.13491208655302741919",
				Name:           "Ana O'Brien",
				Tags:           []string{"vip customer", "Tom & Jerry"},
				Notes:          []string{"Met at the fair", "Likes čšž"},
				ContactFields: map[string]any{
					"city": "Zagreb", "age": 42, "height": 1.75, "newsletter": true, "vip": false,
				},
				BlockNotifications: Ptr(true),
				BlockAutomation:    Ptr(true),
			},
			wantBody: map[string]any{
				"id":               "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0009",
				"phone":            "+385991234569",
				"whatsapp_user_id": "HR.13491208655302741919",
				"name":             "Ana O'Brien",
				"tags":             []any{"vip customer", "Tom & Jerry"},
				"notes":            []any{"Met at the fair", "Likes čšž"},
				"contact_fields": map[string]any{
					"city": "Zagreb", "age": float64(42), "height": 1.75, "newsletter": true, "vip": false,
				},
				"block_notifications": true,
				"block_automation":    true,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contact_subscribe.json"))
			params := tc.params
			got, err := c.Contacts.Subscribe(context.Background(), params)
			require.NoError(t, err)

			assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPost, path: "/contacts/subscribe", body: tc.wantBody})
			assert.Equal(t, tc.params, params, "the caller's params are not changed")
			assertSubscribedContact(t, got)
		})
	}
}

func TestContactsUpdateWire(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		params   UpdateContactParams
		wantBody map[string]any
	}{
		{
			name:     "ID only: nothing else is sent",
			params:   UpdateContactParams{ID: "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001"},
			wantBody: map[string]any{"id": "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001"},
		},
		{
			name: "every parameter",
			params: UpdateContactParams{
				ID:                 "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001",
				Phone:              "+385991234567",
				WhatsAppUserID:     "HR.13491208655302741918",
				Name:               "Tom J. Jerry",
				Tags:               []string{"vip customer"},
				Notes:              []string{"Called back"},
				ContactFields:      map[string]any{"city": "Split", "age": 43, "newsletter": false},
				BlockNotifications: Ptr(false),
				BlockAutomation:    Ptr(true),
			},
			wantBody: map[string]any{
				"id":                  "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001",
				"phone":               "+385991234567",
				"whatsapp_user_id":    "HR.13491208655302741918",
				"name":                "Tom J. Jerry",
				"tags":                []any{"vip customer"},
				"notes":               []any{"Called back"},
				"contact_fields":      map[string]any{"city": "Split", "age": float64(43), "newsletter": false},
				"block_notifications": false,
				"block_automation":    true,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respondFile(t, http.StatusOK, "contact_update.json"))
			got, err := c.Contacts.Update(context.Background(), tc.params)
			require.NoError(t, err)

			assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPut, path: "/contacts", body: tc.wantBody})

			require.NotNil(t, got)
			assert.Equal(t, "6a0b0a2e-6d2b-4f4b-9a57-5e0a3c1f0001", got.ID)
			assert.Equal(t, "Tom J. Jerry", got.Name)
			assert.Equal(t, "done", got.Folder)
			assert.Equal(t, time.Unix(1582990615, 0).UTC(), got.CreatedAt.Time)
			assert.Equal(t, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), got.ModifiedAt.Time)
			assert.Empty(t, got.Tags)
			assert.Equal(t, "Split", got.ContactFields[0].Value.String())
			assert.Equal(t, []Note{{ID: "n1", Value: "Prefers WhatsApp"}, {ID: "n2", Value: "Called back"}}, got.Notes)
		})
	}
}
