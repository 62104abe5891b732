package sendbee

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInvalidUTF8IsRefusedBeforeSending gives every call a string that is
// not valid UTF-8 in each text it sends (fields, slice elements, map keys
// and values, nested values): the call returns a *ValidationError naming
// the parameter and the recording server receives nothing, where the old
// client sent U+FFFD in JSON bodies and the raw byte in queries.
func TestInvalidUTF8IsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	const bad = "caf\xe9" // Latin-1 "café"
	ctx := context.Background()
	phone := "+385991234567"
	cases := []struct {
		name  string
		field string
		call  func(c *Client) error
	}{
		{"Messages.Send text", "text", func(c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{Phone: phone, Text: bad})
			return err
		}},
		{"Messages.Send phone", "phone", func(c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{Phone: bad, Text: "hi"})
			return err
		}},
		{"Messages.Send whatsapp_user_id", "whatsapp_user_id", func(c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{WhatsAppUserID: bad, Text: "hi"})
			return err
		}},
		{"Messages.Send media_url", "media_url", func(c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{Phone: phone, MediaURL: "https://x/" + bad})
			return err
		}},
		{"Messages.Send agent_id", "agent_id", func(c *Client) error {
			_, err := c.Messages.Send(ctx, SendMessageParams{Phone: phone, Text: "hi", AgentID: bad})
			return err
		}},
		{"Templates.Send template_keyword", "template_keyword", func(c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: phone, TemplateKeyword: bad, Language: "en"})
			return err
		}},
		{"Templates.Send language", "language", func(c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: phone, TemplateKeyword: "k", Language: bad})
			return err
		}},
		{"Templates.Send tag value", "tags", func(c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: phone, TemplateKeyword: "k", Language: "en", Tags: map[string]string{"1": bad}})
			return err
		}},
		{"Templates.Send tag key", "tags", func(c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: phone, TemplateKeyword: "k", Language: "en", Tags: map[string]string{bad: "x"}})
			return err
		}},
		{"Templates.Send button tag value", "button_tags", func(c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: phone, TemplateKeyword: "k", Language: "en", ButtonTags: map[string]string{"1": bad}})
			return err
		}},
		{"Templates.Send button tag key", "button_tags", func(c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: phone, TemplateKeyword: "k", Language: "en", ButtonTags: map[string]string{bad: "x"}})
			return err
		}},
		{"Templates.Send attachment", "attachment", func(c *Client) error {
			_, err := c.Templates.Send(ctx, SendTemplateParams{Phone: phone, TemplateKeyword: "k", Language: "en", Attachment: bad})
			return err
		}},
		{"Contacts.Subscribe name", "name", func(c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: phone, Name: bad})
			return err
		}},
		{"Contacts.Subscribe id", "id", func(c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: phone, ID: bad})
			return err
		}},
		{"Contacts.Subscribe tag", "tags", func(c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: phone, Tags: []string{"ok", bad}})
			return err
		}},
		{"Contacts.Subscribe note", "notes", func(c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: phone, Notes: []string{bad}})
			return err
		}},
		{"Contacts.Subscribe contact field value", "contact_fields", func(c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: phone, ContactFields: map[string]any{"color": bad}})
			return err
		}},
		{"Contacts.Subscribe contact field key", "contact_fields", func(c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: phone, ContactFields: map[string]any{bad: "blue"}})
			return err
		}},
		{"Contacts.Subscribe contact field nested value", "contact_fields", func(c *Client) error {
			_, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: phone, ContactFields: map[string]any{"list": []any{"a", map[string]any{"b": bad}}}})
			return err
		}},
		{"Contacts.Update id", "id", func(c *Client) error {
			_, err := c.Contacts.Update(ctx, UpdateContactParams{ID: bad})
			return err
		}},
		{"Contacts.Update note", "notes", func(c *Client) error {
			_, err := c.Contacts.Update(ctx, UpdateContactParams{ID: "1", Notes: []string{bad}})
			return err
		}},
		{"Contacts.Update contact field", "contact_fields", func(c *Client) error {
			_, err := c.Contacts.Update(ctx, UpdateContactParams{ID: "1", ContactFields: map[string]any{"a": bad}})
			return err
		}},
		{"Contacts.List search_query", "search_query", func(c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{SearchQuery: bad})
			return err
		}},
		{"Contacts.List tags", "tags", func(c *Client) error {
			_, err := c.Contacts.List(ctx, &ListContactsParams{Tags: []string{"vip", bad}})
			return err
		}},
		{"Contacts.All search_query", "search_query", func(c *Client) error {
			return firstError(c.Contacts.All(ctx, &ListContactsParams{SearchQuery: bad}))
		}},
		{"Tags.List name", "name", func(c *Client) error {
			_, err := c.Tags.List(ctx, &ListTagsParams{Name: bad})
			return err
		}},
		{"Tags.Create name", "name", func(c *Client) error {
			_, err := c.Tags.Create(ctx, CreateTagParams{Name: bad})
			return err
		}},
		{"Tags.Update name", "name", func(c *Client) error {
			_, err := c.Tags.Update(ctx, UpdateTagParams{ID: "1", Name: bad})
			return err
		}},
		{"Tags.Update id", "id", func(c *Client) error {
			_, err := c.Tags.Update(ctx, UpdateTagParams{ID: bad, Name: "x"})
			return err
		}},
		{"Tags.Delete id", "id", func(c *Client) error {
			_, err := c.Tags.Delete(ctx, bad)
			return err
		}},
		{"ContactFields.List search_query", "search_query", func(c *Client) error {
			_, err := c.ContactFields.List(ctx, &ListContactFieldsParams{SearchQuery: bad})
			return err
		}},
		{"ContactFields.Create name", "name", func(c *Client) error {
			_, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Name: bad, Type: ContactFieldText})
			return err
		}},
		{"ContactFields.Create option", "options", func(c *Client) error {
			_, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "size", Type: ContactFieldList, Options: []string{"S", bad}})
			return err
		}},
		{"ContactFields.Update name", "name", func(c *Client) error {
			_, err := c.ContactFields.Update(ctx, UpdateContactFieldParams{ID: "1", Name: bad})
			return err
		}},
		{"ContactFields.Delete id", "id", func(c *Client) error {
			_, err := c.ContactFields.Delete(ctx, bad)
			return err
		}},
		{"Conversations.List search_query", "search_query", func(c *Client) error {
			_, err := c.Conversations.List(ctx, &ListConversationsParams{SearchQuery: bad})
			return err
		}},
		{"Conversations.Get conversation_id", "conversation_id", func(c *Client) error {
			_, err := c.Conversations.Get(ctx, bad)
			return err
		}},
		{"Conversations.Update conversation_id", "conversation_id", func(c *Client) error {
			_, err := c.Conversations.Update(ctx, UpdateConversationParams{ID: bad, Folder: FolderDone})
			return err
		}},
		{"Messages.List conversation_id", "conversation_id", func(c *Client) error {
			_, err := c.Messages.List(ctx, bad, nil)
			return err
		}},
		{"Templates.List search_query", "search_query", func(c *Client) error {
			_, err := c.Templates.List(ctx, &ListTemplatesParams{SearchQuery: bad})
			return err
		}},
		{"Teams.List member_id", "member_id", func(c *Client) error {
			_, err := c.Teams.List(ctx, &ListTeamsParams{MemberID: bad})
			return err
		}},
		{"Teams.Members team_id", "team_id", func(c *Client) error {
			_, err := c.Teams.Members(ctx, &ListMembersParams{TeamID: bad})
			return err
		}},
		{"Automation.SetChatbot conversation_id", "conversation_id", func(c *Client) error {
			_, err := c.Automation.SetChatbot(ctx, bad, true)
			return err
		}},
		{"Automation.ChatbotStatus conversation_id", "conversation_id", func(c *Client) error {
			_, err := c.Automation.ChatbotStatus(ctx, bad)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"1"}}`))
			err := tc.call(c)
			var invalid *ValidationError
			require.ErrorAs(t, err, &invalid)
			assert.Equal(t, tc.field, invalid.Field)
			assert.Contains(t, invalid.Reason, "UTF-8")
			assert.NotContains(t, err.Error(), bad, "the error quotes the invalid bytes")
			assert.Empty(t, srv.Requests(), "a request was sent")
		})
	}
}

// TestValidUTF8IsSentAsGiven: text that is valid UTF-8, U+FFFD and other
// non-ASCII included, still goes out byte for byte.
func TestValidUTF8IsSentAsGiven(t *testing.T) {
	t.Parallel()
	const text = "café \uFFFD 日本 😀"
	c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"1"}}`))
	_, err := c.Templates.Send(context.Background(), SendTemplateParams{
		Phone: "+385991234567", TemplateKeyword: "k", Language: "en", Tags: map[string]string{"1": text},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"1": text}, srv.Only(t).JSON(t)["tags"])
	_, err = c.Contacts.List(context.Background(), &ListContactsParams{SearchQuery: text})
	require.NoError(t, err)
	assert.Equal(t, text, srv.Requests()[1].Query.Get("search_query"))
}

// TestCyclicParamsAreRefusedNotCrashed hands Contacts.Subscribe and
// Contacts.Update contact field values that hold themselves (a map, a
// slice, through a pointer). The UTF-8 check walked such a value forever
// and the process died of a stack overflow, which no recover can catch (as
// does json.Marshal of Go 1.27 on the pointer cycle); now the call returns
// a *ValidationError naming the field and sends nothing. A string that is
// not valid UTF-8 inside the cycle, or at the bottom of a deep but finite
// nesting, is still found.
func TestCyclicParamsAreRefusedNotCrashed(t *testing.T) {
	t.Parallel()
	cyclicMap := func() any {
		m := map[string]any{}
		m["self"] = m
		return m
	}
	cyclicSlice := func() any {
		s := []any{nil}
		s[0] = s
		return s
	}
	cyclicPointer := func() any {
		var p any
		p = &p
		return p
	}
	badInCycle := func() any {
		m := map[string]any{"note": "caf\xe9"}
		m["self"] = []any{m}
		return m
	}
	deep := func() any {
		var v any = "caf\xe9"
		for range 200 {
			v = map[string]any{"x": []any{v}}
		}
		return v
	}
	cases := []struct {
		name   string
		value  func() any
		reason string
	}{
		{"map holding itself", cyclicMap, "cycle"},
		{"slice holding itself", cyclicSlice, "cycle"},
		{"pointer to itself", cyclicPointer, "cycle"},
		{"invalid UTF-8 inside a cycle", badInCycle, "UTF-8"},
		{"invalid UTF-8 200 levels down", deep, "UTF-8"},
	}
	for _, tc := range cases {
		for _, update := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, update %t", tc.name, update), func(t *testing.T) {
				t.Parallel()
				c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"1"}}`))
				fields := map[string]any{"field": tc.value()}
				var err error
				if update {
					_, err = c.Contacts.Update(context.Background(), UpdateContactParams{ID: "1", ContactFields: fields})
				} else {
					_, err = c.Contacts.Subscribe(context.Background(), SubscribeContactParams{Phone: "+385991234567", ContactFields: fields})
				}
				var vErr *ValidationError
				require.True(t, errors.As(err, &vErr), "a *ValidationError: %v", err)
				assert.Equal(t, "contact_fields", vErr.Field)
				assert.Contains(t, vErr.Reason, tc.reason)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
				assert.Empty(t, srv.Requests(), "nothing is sent")
			})
		}
	}
}

// rawText is a contact field value whose MarshalJSON writes its text, which
// no exported field shows, as a JSON string without checking it.
type rawText struct{ text string }

func (r rawText) MarshalJSON() ([]byte, error) { return []byte(`"` + r.text + `"`), nil }

// TestInvalidUTF8InRawJSONIsRefused: a contact field value that is raw
// JSON (json.RawMessage) or marshals itself is sent as it writes itself,
// so its invalid UTF-8 went on the wire as raw bytes, making the body
// invalid JSON. Now it is a *ValidationError and nothing is sent.
func TestInvalidUTF8InRawJSONIsRefused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		value any
		field string
	}{
		{"json.RawMessage", json.RawMessage("\"caf\xe9\""), "contact_fields"},
		{"json.RawMessage in a slice", []any{json.RawMessage("[\"caf\xe9\"]")}, "contact_fields"},
		{"a MarshalJSON of its own", rawText{"caf\xe9"}, "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"1"}}`))
			_, err := c.Contacts.Subscribe(context.Background(), SubscribeContactParams{Phone: "+385991234567", ContactFields: map[string]any{"f": tc.value}})
			var vErr *ValidationError
			require.True(t, errors.As(err, &vErr), "a *ValidationError: %v", err)
			assert.Equal(t, tc.field, vErr.Field)
			assert.NotContains(t, err.Error(), "\xe9", "the error quotes no raw byte")
			assert.Empty(t, srv.Requests(), "nothing is sent")
		})
	}
	c, srv := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"1"}}`))
	_, err := c.Contacts.Subscribe(context.Background(), SubscribeContactParams{Phone: "+385991234567", ContactFields: map[string]any{"a": json.RawMessage(`"café"`), "b": rawText{"ok"}}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": "café", "b": "ok"}, srv.Only(t).JSON(t)["contact_fields"], "valid raw JSON is sent as given")
}
