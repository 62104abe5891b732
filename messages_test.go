package sendbee

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessagesListWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "messages_list.json"))

	page, err := c.Messages.List(context.Background(), "c0a1b2c3-0000-4000-8000-000000000001", &ListMessagesParams{Page: 1})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/conversations/messages", query: map[string][]string{
		"conversation_id": {"c0a1b2c3-0000-4000-8000-000000000001"},
		"page":            {"1"},
	}})

	require.Len(t, page.Items, 3)
	assert.Equal(t, Message{
		ID:         "m0000000-0000-4000-8000-000000000001",
		Body:       `<b>Zdravo</b> & "čšž" 🐝`,
		MediaType:  "text",
		Status:     "read",
		Direction:  DirectionInbound,
		SentAt:     Time{Time: time.Unix(1700000000, 0).UTC(), Raw: "1700000000"},
		FromUserID: "HR.13491208655302741918",
		ToUserID:   "385991000000",
	}, page.Items[0])

	doc := page.Items[1]
	assert.Equal(t, "document", doc.MediaType)
	assert.Equal(t, "https://cdn.example.com/invoice-42.pdf", doc.MediaURL)
	assert.Equal(t, "failed", doc.Status)
	assert.Equal(t, "Message undeliverable", doc.FailReason)
	assert.Equal(t, "send_message", doc.Action)
	assert.JSONEq(t, `{"agent":"Marko"}`, string(doc.MetaData))
	assert.JSONEq(t, `[]`, string(page.Items[2].MetaData))

	assert.Equal(t, Meta{CurrentPage: 1, LastPage: 2, PerPage: 3, Total: 4, From: 1, To: 3}, page.Meta, "meta as strings")
	assert.True(t, page.HasNext())
}

func TestMessageSentAtNumberOrString(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respondPages(t, "messages_list.json", "messages_list_page2.json"))
	msgs, err := collect(c.Messages.All(context.Background(), "c1", nil))
	require.NoError(t, err)
	require.Len(t, msgs, 4)

	tests := []struct {
		name string
		msg  Message
		want time.Time
		raw  string
	}{
		{name: "Unix number", msg: msgs[0], want: time.Unix(1700000000, 0), raw: "1700000000"},
		{name: "date string", msg: msgs[1], want: time.Date(2020, 2, 29, 23, 36, 55, 0, time.UTC), raw: "2020-02-29 23:36:55"},
		{name: "fractional Unix number", msg: msgs[2], want: time.Unix(1700000000, 250_000_000), raw: "1700000000.25"},
		{name: "Unix number in a string", msg: msgs[3], want: time.Unix(1700000100, 0), raw: "1700000100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.True(t, tc.want.Equal(tc.msg.SentAt.Time), "SentAt = %v, want %v", tc.msg.SentAt.Time, tc.want)
			assert.Equal(t, time.UTC, tc.msg.SentAt.Location())
			assert.Equal(t, tc.raw, tc.msg.SentAt.Raw)
		})
	}
}

func TestMessagesAllWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondPages(t, "messages_list.json", "messages_list_page2.json"))
	params := &ListMessagesParams{}

	msgs, err := collect(c.Messages.All(context.Background(), "c0a1b2c3-0000-4000-8000-000000000001", params))
	require.NoError(t, err)

	require.Len(t, msgs, 4)
	assert.Equal(t, "m0000000-0000-4000-8000-000000000004", msgs[3].ID)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assertRequest(t, reqs[0], wantRequest{method: http.MethodGet, path: "/conversations/messages", query: map[string][]string{
		"conversation_id": {"c0a1b2c3-0000-4000-8000-000000000001"},
	}})
	assertRequest(t, reqs[1], wantRequest{method: http.MethodGet, path: "/conversations/messages", query: map[string][]string{
		"conversation_id": {"c0a1b2c3-0000-4000-8000-000000000001"}, "page": {"2"},
	}})
	assert.Equal(t, 0, params.Page, "All does not change the caller's params")
}

func TestMessagesSendWire(t *testing.T) {
	t.Parallel()
	const text = `<b>Zdravo</b> & "čšž" 🐝`
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "message_send.json"))

	sent, err := c.Messages.Send(context.Background(), SendMessageParams{
		Phone:          "+385991234567",
		WhatsAppUserID: "HR.13491208655302741918",
		Text:           text,
		MediaURL:       "https://cdn.example.com/bee.png?size=large&v=2",
		PreventBotOff:  Ptr(true),
		AgentID:        "u0000000-0000-4000-8000-000000000001",
		LiveInbox:      Ptr(true),
	})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPost, path: "/conversations/messages/send", body: map[string]any{
		"phone":            "+385991234567",
		"whatsapp_user_id": "HR.13491208655302741918",
		"text":             text,
		"media_url":        "https://cdn.example.com/bee.png?size=large&v=2",
		"prevent_bot_off":  true,
		"agent_id":         "u0000000-0000-4000-8000-000000000001",
		"live_inbox":       true,
	}})

	assert.Equal(t, SentMessage{
		ID:                 "c0a1b2c3-0000-4000-8000-000000000001",
		MessageID:          "wamid.HBgLMzg1OTkxMjM0NTY3FQIAERgSMEI2QkVGRTA0QjVCNjBCOEI4AA==",
		MessageReferenceID: "ref-9f1c2d3e",
		Status:             "queued",
	}, *withoutResponse(sent))
}

// TestMessagesSendTextArrivesByteExact checks that HTML and non-ASCII text
// survive the JSON body: Go escapes <, > and & as \u003c, \u003e and
// \u0026, which any JSON decoder turns back into the same bytes.
func TestMessagesSendTextArrivesByteExact(t *testing.T) {
	t.Parallel()
	texts := map[string]string{
		"HTML and diacritics": `<b>Zdravo</b> & "čšž" 🐝`,
		"control characters":  "line one\nline two\ttabbed \\ back\u2028slash",
		"script and entities": `<script>alert('x')</script> &amp; &lt;`,
		"joined emoji":        "emoji 👩‍👩‍👧 and a flag 🇭🇷",
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respondFile(t, http.StatusOK, "message_send.json"))

			_, err := c.Messages.Send(context.Background(), SendMessageParams{Phone: "+385991234567", Text: text})
			require.NoError(t, err)

			r := srv.Only(t)
			assert.True(t, utf8.Valid(r.Body), "body is valid UTF-8")
			var body struct {
				Text string `json:"text"`
			}
			require.NoError(t, json.Unmarshal(r.Body, &body))
			assert.Equal(t, []byte(text), []byte(body.Text), "text decoded on the server side")
		})
	}
}

func TestMessagesSendLeavesOutUnsetFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params SendMessageParams
		want   map[string]any
	}{
		{
			name:   "text to a phone",
			params: SendMessageParams{Phone: "+385991234567", Text: "Hi"},
			want:   map[string]any{"phone": "+385991234567", "text": "Hi"},
		},
		{
			name:   "media only to a WhatsApp user ID",
			params: SendMessageParams{WhatsAppUserID: "US.13491208655302741918", MediaURL: "https://cdn.example.com/a.mp3"},
			want:   map[string]any{"whatsapp_user_id": "US.13491208655302741918", "media_url": "https://cdn.example.com/a.mp3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respondFile(t, http.StatusOK, "message_send.json"))

			_, err := c.Messages.Send(context.Background(), tc.params)
			require.NoError(t, err)

			assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPost, path: "/conversations/messages/send", body: tc.want})
		})
	}
}

func TestMessagesValidation(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "List without conversation ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Messages.List(ctx, "", nil)
			return err
		}},
		{name: "List negative page", field: "page", call: func(ctx context.Context, c *Client) error {
			_, err := c.Messages.List(ctx, "c1", &ListMessagesParams{Page: -1})
			return err
		}},
		{name: "All without conversation ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			return firstError(c.Messages.All(ctx, "", nil))
		}},
		{name: "Send without phone or WhatsApp user ID", field: "phone", call: func(ctx context.Context, c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{Text: "Hi", MediaURL: "https://cdn.example.com/a.png"})
			return err
		}},
		{name: "Send with only white space as text", field: "text", call: func(ctx context.Context, c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{Phone: "+385991234567", Text: " \n "})
			return err
		}},
		{name: "Get messages of a blank conversation ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Messages.List(ctx, " ", nil)
			return err
		}},
		{name: "Send without text or media URL", field: "text", call: func(ctx context.Context, c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{Phone: "+385991234567", WhatsAppUserID: "HR.1", PreventBotOff: Ptr(true)})
			return err
		}},
	})
}

// TestSendOptionalFlagsWire checks prevent_bot_off and live_inbox on both
// send calls: nil leaves the key out, Ptr(false) sends false and Ptr(true)
// sends true.
func TestSendOptionalFlagsWire(t *testing.T) {
	t.Parallel()
	flags := []struct {
		name string
		set  *bool
		want any // nil: the key is absent
	}{
		{name: "nil", set: nil, want: nil},
		{name: "false", set: Ptr(false), want: false},
		{name: "true", set: Ptr(true), want: true},
	}
	sends := []struct {
		name string
		path string
		send func(c *Client, preventBotOff, liveInbox *bool) error
	}{
		{name: "message", path: "/conversations/messages/send", send: func(c *Client, preventBotOff, liveInbox *bool) error {
			_, err := c.Messages.Send(context.Background(), SendMessageParams{Phone: "+385991234567", Text: "Hi", PreventBotOff: preventBotOff, LiveInbox: liveInbox})
			return err
		}},
		{name: "template", path: "/conversations/messages/templates/send", send: func(c *Client, preventBotOff, liveInbox *bool) error {
			_, err := c.Templates.Send(context.Background(), SendTemplateParams{Phone: "+385991234567", TemplateKeyword: "welcome", Language: "en", PreventBotOff: preventBotOff, LiveInbox: liveInbox})
			return err
		}},
	}
	for _, send := range sends {
		for _, preventBotOff := range flags {
			for _, liveInbox := range flags {
				t.Run(send.name+"/prevent_bot_off="+preventBotOff.name+"/live_inbox="+liveInbox.name, func(t *testing.T) {
					t.Parallel()
					c, srv := newWireServer(t, respondFile(t, http.StatusOK, "message_send.json"))
					require.NoError(t, send.send(c, preventBotOff.set, liveInbox.set))
					r := srv.Only(t)
					assert.Equal(t, send.path, r.Path)
					body := r.JSON(t)
					for key, want := range map[string]any{"prevent_bot_off": preventBotOff.want, "live_inbox": liveInbox.want} {
						got, present := body[key]
						if want == nil {
							assert.False(t, present, "%s is sent although not set: %s", key, r.Body)
							continue
						}
						assert.Equal(t, want, got, "%s in %s", key, r.Body)
					}
				})
			}
		}
	}
}

func TestMessageDirection(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respond(http.StatusOK,
		`{"data":[{"id":"1","direction":"inbound"},{"id":"2","direction":"outbound"},{"id":"3","direction":"sideways"},{"id":"4"}]}`))

	page, err := c.Messages.List(context.Background(), "c1", nil)
	require.NoError(t, err)

	var got []Direction
	for _, m := range page.Items {
		got = append(got, m.Direction)
	}
	assert.Equal(t, []Direction{DirectionInbound, DirectionOutbound, "sideways", ""}, got,
		"the two documented values match the constants; anything else passes through")
}
