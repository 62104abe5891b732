package sendbee

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplatesListWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "templates_list.json"))

	page, err := c.Templates.List(context.Background(), &ListTemplatesParams{
		ListOptions: ListOptions{Page: 1, Limit: 4},
		Status:      TemplateApproved,
		SearchQuery: "order & shipping 50%",
	})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/conversations/messages/templates", query: map[string][]string{
		"page":         {"1"},
		"limit":        {"4"},
		"status":       {"approved"},
		"search_query": {"order & shipping 50%"},
	}})

	require.Len(t, page.Items, 4)
	shipped := page.Items[0]
	assert.Equal(t, "t0000000-0000-4000-8000-000000000001", shipped.ID)
	assert.Equal(t, TemplateApproved, shipped.Status)
	assert.Equal(t, "order_shipped", shipped.Keyword)
	assert.Equal(t, "Hi {{1}}, order {{2}} has shipped. Track it below.", shipped.Text)
	assert.Equal(t, "en", shipped.Language)
	assert.Equal(t, "Order shipped", shipped.Name)
	assert.Equal(t, "UTILITY", shipped.Category)
	assert.Empty(t, shipped.RejectedReason, "null reason")
	assert.Equal(t, []TemplateTag{{Name: "1"}, {Name: "2"}}, shipped.Tags)
	assert.Equal(t, []TemplateTag{{Name: "1"}}, shipped.ButtonTags)
	require.Len(t, shipped.Buttons, 2)
	assert.Equal(t, TemplateButton{
		Index: 0, Type: "url", Title: "Track order", Value: "https://example.com/track/{{1}}",
		URLType: "dynamic", Icon: []byte(`{"name": "truck"}`),
	}, shipped.Buttons[0], "index as a string")
	assert.Equal(t, Int(1), shipped.Buttons[1].Index, "index as a number")
	assert.Equal(t, "quick_reply", shipped.Buttons[1].Type)
	assert.JSONEq(t, `[]`, string(shipped.Buttons[1].Icon))

	rejected := page.Items[3]
	assert.Equal(t, TemplateRejected, rejected.Status)
	assert.Equal(t, "Promotional content is not allowed in this category", rejected.RejectedReason)
	assert.Empty(t, rejected.Tags)
	assert.Nil(t, rejected.Buttons, "buttons absent for older accounts")

	assert.Equal(t, Meta{CurrentPage: 1, LastPage: 2, PerPage: 4, Total: 5, From: 1, To: 4}, page.Meta)
}

func TestTemplateAttachmentKinds(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respondFile(t, http.StatusOK, "templates_list.json"))
	page, err := c.Templates.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 4)

	want := []AttachmentKind{AttachmentImage, AttachmentVideo, AttachmentDocument, AttachmentNone}
	got := make([]AttachmentKind, len(page.Items))
	for i, tpl := range page.Items {
		got[i] = tpl.Attachment
	}
	assert.Equal(t, want, got, "image, video, document, and null as none")
	assert.Equal(t, AttachmentKind("image"), AttachmentImage)
	assert.Equal(t, AttachmentKind("video"), AttachmentVideo)
	assert.Equal(t, AttachmentKind("document"), AttachmentDocument)
}

func TestTemplatesAllWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondPages(t, "templates_list.json", "templates_list_page2.json"))
	params := &ListTemplatesParams{Status: TemplateApproved, SearchQuery: "reminder"}

	tpls, err := collect(c.Templates.All(context.Background(), params))
	require.NoError(t, err)

	keywords := make([]string, len(tpls))
	for i, tpl := range tpls {
		keywords[i] = tpl.Keyword
	}
	assert.Equal(t, []string{"order_shipped", "welcome_video", "invoice", "promo_50", "appointment_reminder"}, keywords)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assertRequest(t, reqs[0], wantRequest{method: http.MethodGet, path: "/conversations/messages/templates", query: map[string][]string{
		"status": {"approved"}, "search_query": {"reminder"},
	}})
	assertRequest(t, reqs[1], wantRequest{method: http.MethodGet, path: "/conversations/messages/templates", query: map[string][]string{
		"status": {"approved"}, "search_query": {"reminder"}, "page": {"2"},
	}})
	assert.Equal(t, 0, params.Page, "All does not change the caller's params")
}

func TestTemplatesSendWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "template_send.json"))

	sent, err := c.Templates.Send(context.Background(), SendTemplateParams{
		Phone:           "+385991234567",
		WhatsAppUserID:  "HR.13491208655302741918",
		TemplateKeyword: "order_shipped",
		Language:        "en",
		Tags:            map[string]string{"1": "Ana", "2": "#A-1001 <b>&</b>", "3": "čšž 🐝"},
		ButtonTags:      map[string]string{"1": "track/A-1001?src=wa&x=1", "2": "page/123"},
		PreventBotOff:   Ptr(true),
		Attachment:      "https://cdn.example.com/parcel.jpg",
		AgentID:         "u0000000-0000-4000-8000-000000000001",
		LiveInbox:       Ptr(true),
	})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPost, path: "/conversations/messages/templates/send", body: map[string]any{
		"phone":            "+385991234567",
		"whatsapp_user_id": "HR.13491208655302741918",
		"template_keyword": "order_shipped",
		"language":         "en",
		"tags":             map[string]any{"1": "Ana", "2": "#A-1001 <b>&</b>", "3": "čšž 🐝"},
		"button_tags":      map[string]any{"1": "track/A-1001?src=wa&x=1", "2": "page/123"},
		"prevent_bot_off":  true,
		"attachment":       "https://cdn.example.com/parcel.jpg",
		"agent_id":         "u0000000-0000-4000-8000-000000000001",
		"live_inbox":       true,
	}})

	assert.Equal(t, SentMessage{
		ID:                 "c0a1b2c3-0000-4000-8000-000000000001",
		MessageID:          "wamid.HBgLMzg1OTkxMjM0NTY3FQIAERgSN0M1QjFBRTAyRDhBODFDOTQzAA==",
		MessageReferenceID: "ref-2b7e4a10",
		Status:             "queued",
	}, *withoutResponse(sent))
}

func TestTemplatesSendMinimalBody(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "template_send.json"))

	_, err := c.Templates.Send(context.Background(), SendTemplateParams{
		WhatsAppUserID: "US.13491208655302741918", TemplateKeyword: "welcome", Language: "en",
	})
	require.NoError(t, err)

	// Unset optional fields are left out.
	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPost, path: "/conversations/messages/templates/send", body: map[string]any{
		"whatsapp_user_id": "US.13491208655302741918",
		"template_keyword": "welcome",
		"language":         "en",
	}})
}

func TestTemplatesValidation(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "List unknown status", field: "status", call: func(ctx context.Context, c *Client) error {
			_, err := c.Templates.List(ctx, &ListTemplatesParams{Status: "draft"})
			return err
		}},
		{name: "List negative page", field: "page", call: func(ctx context.Context, c *Client) error {
			_, err := c.Templates.List(ctx, &ListTemplatesParams{ListOptions: ListOptions{Page: -2}})
			return err
		}},
		{name: "All unknown status", field: "status", call: func(ctx context.Context, c *Client) error {
			return firstError(c.Templates.All(ctx, &ListTemplatesParams{Status: "APPROVED"}))
		}},
		{name: "Send without phone or WhatsApp user ID", field: "phone", call: func(ctx context.Context, c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{TemplateKeyword: "welcome", Language: "en"})
			return err
		}},
		{name: "Send without template keyword", field: "template_keyword", call: func(ctx context.Context, c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: "+385991234567", Language: "en"})
			return err
		}},
		{name: "Send without language", field: "language", call: func(ctx context.Context, c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: "+385991234567", TemplateKeyword: "welcome"})
			return err
		}},
	})
}

func TestTemplateRejectedReasonFromEitherName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, item, want string
	}{
		{"rejected_reason", `{"rejected_reason":"policy"}`, "policy"},
		{"reject_reason", `{"reject_reason":"policy"}`, "policy"},
		{"both: rejected_reason wins", `{"reject_reason":"old","rejected_reason":"new"}`, "new"},
		{"rejected_reason empty", `{"rejected_reason":"","reject_reason":"policy"}`, "policy"},
		{"rejected_reason null", `{"rejected_reason":null,"reject_reason":"policy"}`, "policy"},
		{"neither", `{"status":"approved"}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[`+tc.item+`]}`))

			page, err := c.Templates.List(context.Background(), nil)
			require.NoError(t, err)

			require.Len(t, page.Items, 1)
			assert.Equal(t, tc.want, page.Items[0].RejectedReason)
		})
	}
}

func TestTemplateUnmarshalJSONShapes(t *testing.T) {
	t.Parallel()
	tpl := Template{ID: "kept"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &tpl))
	assert.Equal(t, "kept", tpl.ID, "null leaves the template unchanged")

	for _, in := range []string{`[]`, `"x"`, `1`, `true`} {
		err := json.Unmarshal([]byte(in), &tpl)
		assert.ErrorIs(t, err, errNotAnObject, "input %s", in)
	}
	// a value of the wrong kind is read by the rules at Page, under either name
	for in, want := range map[string]Template{
		`{"rejected_reason":5}`:                                  {RejectedReason: "5"},
		`{"reject_reason":5}`:                                    {RejectedReason: "5"},
		`{"id":7,"rejected_reason":{},"reject_reason":true}`:     {ID: "7", RejectedReason: "true"},
		`{"rejected_reason":"a","reject_reason":[1],"tags":"x"}`: {RejectedReason: "a"},
	} {
		var got Template
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.Equal(t, want, got, in)
	}

	out, err := json.Marshal(Template{RejectedReason: "policy"})
	require.NoError(t, err)
	assert.Contains(t, string(out), `"rejected_reason":"policy"`)
	assert.NotContains(t, string(out), `"reject_reason"`)
}

// FuzzTemplateRejectedReason decodes arbitrary bytes as a template: it
// never panics, and a template that decodes has the reason from
// rejected_reason, else from reject_reason (each read as text by the rules
// at Page), and encodes again.
func FuzzTemplateRejectedReason(f *testing.F) {
	for _, seed := range []string{
		`{"rejected_reason":"a"}`,
		`{"reject_reason":"b"}`,
		`{"rejected_reason":"","reject_reason":"b","REJECT_REASON":"c"}`,
		`{"rejected_reason":null,"reject_reason":null}`,
		`{"rejected_reason":1}`,
		`[{"id":"x"}]`,
		`null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var tpl Template
		if json.Unmarshal(b, &tpl) != nil {
			return
		}
		var names struct {
			Rejected string `json:"rejected_reason"`
			Reject   string `json:"reject_reason"`
		}
		decodeTolerant(b, &names) // a value of the wrong kind reads by the rules at Page
		want := names.Rejected
		if want == "" {
			want = names.Reject
		}
		require.Equal(t, want, tpl.RejectedReason)
		out, err := json.Marshal(tpl)
		require.NoError(t, err)
		require.True(t, json.Valid(out))
	})
}
