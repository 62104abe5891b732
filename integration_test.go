package sendbee_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// TestIntegration drives every service of the client against the fake
// server end to end, checking both what the client returns and what the
// server ends up holding.
func TestIntegration(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC().Truncate(time.Second)
	srv := sendbeetest.NewServer(sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	client, err := srv.Client(sendbee.WithMaxRetries(0), sendbee.WithWarningHandler(func(context.Context, string) {}))
	require.NoError(t, err)
	ctx := context.Background()

	// Contact fields first: subscribe fills only fields that exist.
	size, err := client.ContactFields.Create(ctx, sendbee.CreateContactFieldParams{Name: "Size", Type: sendbee.ContactFieldList, Options: []string{"S", "M", "L"}})
	require.NoError(t, err)
	size, err = client.ContactFields.Update(ctx, sendbee.UpdateContactFieldParams{ID: size.ID, Options: []string{"S", "M", "L", "XL"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"S", "M", "L", "XL"}, size.Options)
	temp, err := client.ContactFields.Create(ctx, sendbee.CreateContactFieldParams{Name: "Temporary", Type: sendbee.ContactFieldText})
	require.NoError(t, err)
	_, err = client.ContactFields.Delete(ctx, temp.ID)
	require.NoError(t, err)
	fields, err := client.ContactFields.List(ctx, nil)
	require.NoError(t, err)
	size.Response = nil // a list item carries none
	assert.Equal(t, []sendbee.ContactField{*size}, fields.Items)

	// Subscribe twelve contacts, then walk them five per page.
	var ana *sendbee.Contact
	for i := 1; i <= 12; i++ {
		c, err := client.Contacts.Subscribe(ctx, sendbee.SubscribeContactParams{
			Phone: fmt.Sprintf("+3859900000%02d", i), Name: fmt.Sprintf("Customer %02d", i),
			Tags: []string{"newsletter"}, Notes: []string{"signed up"}, ContactFields: map[string]any{"Size": "M"},
		})
		require.NoError(t, err)
		if i == 1 {
			ana = c
		}
	}
	var listed []string
	for c, err := range client.Contacts.All(ctx, &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Limit: 5}, Tags: []string{"newsletter"}}) {
		require.NoError(t, err)
		listed = append(listed, c.Name)
	}
	assert.Len(t, listed, 12)
	assert.Equal(t, "Customer 12", listed[11])
	assert.Equal(t, 3, countRequests(srv, "GET", "/contacts"), "three pages of five")

	// Tags: create, rename, delete.
	tag, err := client.Tags.Create(ctx, sendbee.CreateTagParams{Name: "vip"})
	require.NoError(t, err)
	tag, err = client.Tags.Update(ctx, sendbee.UpdateTagParams{ID: tag.ID, Name: "gold"})
	require.NoError(t, err)
	assert.Equal(t, "gold", tag.Name)
	deleted, err := client.Tags.Delete(ctx, tag.ID)
	require.NoError(t, err)
	assert.Equal(t, "Tag deleted", deleted.Message)
	tags, err := client.Tags.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, tags.Items, 1)
	assert.Equal(t, "newsletter", tags.Items[0].Name)

	// Update a contact: notes are appended, fields overwritten.
	updated, err := client.Contacts.Update(ctx, sendbee.UpdateContactParams{ID: ana.ID, Name: "Ana Horvat", Notes: []string{"asked about sizes"}, ContactFields: map[string]any{"Size": "XL"}})
	require.NoError(t, err)
	assert.Equal(t, "Ana Horvat", updated.Name)
	require.Len(t, updated.Notes, 2)
	assert.Equal(t, "signed up", updated.Notes[0].Value)
	assert.Equal(t, "asked about sizes", updated.Notes[1].Value)
	require.Len(t, updated.ContactFields, 1)
	assert.Equal(t, "XL", updated.ContactFields[0].Value.String())

	// Send a message; it starts a conversation.
	sent, err := client.Messages.Send(ctx, sendbee.SendMessageParams{Phone: ana.Phone, Text: "Your XL is back in stock."})
	require.NoError(t, err)
	assert.Equal(t, "queued", sent.Status)
	msgs, err := client.Messages.List(ctx, sent.ID, nil)
	require.NoError(t, err)
	require.Len(t, msgs.Items, 1)
	assert.Equal(t, sent.MessageID, msgs.Items[0].ID)
	assert.Equal(t, "Your XL is back in stock.", msgs.Items[0].Body)
	assert.Equal(t, now, msgs.Items[0].SentAt.Time)

	// Conversations: list, get, move.
	convs, err := client.Conversations.List(ctx, &sendbee.ListConversationsParams{Folder: sendbee.FolderOpen})
	require.NoError(t, err)
	require.Len(t, convs.Items, 1)
	conv, err := client.Conversations.Get(ctx, sent.ID)
	require.NoError(t, err)
	require.NotNil(t, conv.Contact)
	assert.Equal(t, "Ana Horvat", conv.Contact.Name)
	require.NotNil(t, conv.LastMessage)
	assert.Equal(t, sendbee.DirectionOutbound, conv.LastMessage.Direction)
	conv, err = client.Conversations.Update(ctx, sendbee.UpdateConversationParams{ID: conv.ID, Folder: sendbee.FolderDone})
	require.NoError(t, err)
	assert.Equal(t, sendbee.FolderDone, conv.Folder)

	// Templates: list the approved ones, send one with placeholders.
	approved, err := client.Templates.List(ctx, &sendbee.ListTemplatesParams{Status: sendbee.TemplateApproved})
	require.NoError(t, err)
	assert.Len(t, approved.Items, 3)
	tsent, err := client.Templates.Send(ctx, sendbee.SendTemplateParams{
		Phone: ana.Phone, TemplateKeyword: sendbeetest.TemplateWelcome, Language: "en",
		Tags: map[string]string{"1": "Ana", "2": "our shop"}, PreventBotOff: sendbee.Ptr(true),
	})
	require.NoError(t, err)
	assert.Equal(t, conv.ID, tsent.ID, "the template extends the conversation")
	msgs, err = client.Messages.List(ctx, conv.ID, nil)
	require.NoError(t, err)
	require.Len(t, msgs.Items, 2)
	assert.Equal(t, "Hello Ana, welcome to our shop!", msgs.Items[1].Body)
	_, err = client.Templates.Send(ctx, sendbee.SendTemplateParams{Phone: ana.Phone, TemplateKeyword: sendbeetest.TemplateSpringSale, Language: "en"})
	var apiErr *sendbee.APIError
	require.ErrorAs(t, err, &apiErr, "a pending template cannot be sent")
	assert.Equal(t, 400, apiErr.StatusCode)

	// Chatbot: the first send turned it off; switch it on and off.
	status, err := client.Automation.ChatbotStatus(ctx, conv.ID)
	require.NoError(t, err)
	assert.False(t, bool(status.ChatbotActive))
	_, err = client.Automation.SetChatbot(ctx, conv.ID, true)
	require.NoError(t, err)
	status, err = client.Automation.ChatbotStatus(ctx, conv.ID)
	require.NoError(t, err)
	assert.True(t, bool(status.ChatbotActive))
	_, err = client.Automation.SetChatbot(ctx, conv.ID, false)
	require.NoError(t, err)
	active, _ := srv.ChatbotStatus(conv.ID)
	assert.False(t, active)

	// Teams and members.
	teams, err := client.Teams.List(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, teams.Items)
	members, err := client.Teams.Members(ctx, &sendbee.ListMembersParams{TeamID: teams.Items[0].ID})
	require.NoError(t, err)
	assert.Len(t, members.Items, len(teams.Items[0].Members))

	// The rate-limit probes.
	probe, err := client.RateLimitRequestTest(ctx)
	require.NoError(t, err)
	assert.False(t, bool(probe.Error))
	_, err = client.RateLimitErrorTest(ctx)
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, sendbee.ErrRateLimited)
	assert.Equal(t, time.Second, apiErr.RetryAfter)

	// What the server holds at the end.
	assert.Len(t, srv.Contacts(), 12)
	assert.Equal(t, 2, srv.SentCount())
	for _, r := range srv.Requests() {
		assert.Equal(t, srv.APIKey(), r.Header.Get("X-Api-Key"), "%s %s", r.Method, r.Path)
	}
}

// TestIntegrationRateLimit shows a client meeting the per-minute limit:
// with retries off the 429 comes back with the server's Retry-After.
func TestIntegrationRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Now()
	srv := sendbeetest.NewServer(sendbeetest.WithRateLimit(60), sendbeetest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	client, err := srv.Client(sendbee.WithMaxRetries(0))
	require.NoError(t, err)
	ctx := context.Background()

	for i := 1; i <= 60; i++ {
		_, err := client.RateLimitRequestTest(ctx)
		require.NoError(t, err, "request %d of 60", i)
	}
	assert.Equal(t, 0, client.RateLimit().Remaining)

	_, err = client.RateLimitRequestTest(ctx)
	var apiErr *sendbee.APIError
	require.True(t, errors.As(err, &apiErr), "error %v is not an *APIError", err)
	assert.ErrorIs(t, err, sendbee.ErrRateLimited)
	assert.Equal(t, time.Minute, apiErr.RetryAfter)
	assert.Equal(t, "rate_limit_exceeded", apiErr.Type)
	assert.Equal(t, 60, apiErr.Response.RateLimit.Limit)
}

func countRequests(srv *sendbeetest.Server, method, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}
