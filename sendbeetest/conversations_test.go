package sendbeetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

func TestSendCreatesContactAndConversation(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC().Truncate(time.Second)
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithClock(func() time.Time { return now })})
	ctx := context.Background()

	sent, err := client.Messages.Send(ctx, sendbee.SendMessageParams{Phone: "+385991234567", Text: "Hi", MediaURL: "https://example.com/a.PNG?x=1"})
	require.NoError(t, err)
	assert.Equal(t, "queued", sent.Status)
	assert.NotEmpty(t, sent.MessageID)
	assert.NotEmpty(t, sent.MessageReferenceID)

	contacts := srv.Contacts()
	require.Len(t, contacts, 1)
	assert.Equal(t, "+385991234567", contacts[0].Phone)
	convs := srv.Conversations()
	require.Len(t, convs, 1)
	conv := convs[0]
	assert.Equal(t, sent.ID, conv.ID)
	assert.Equal(t, sendbee.FolderOpen, conv.Folder)
	assert.Equal(t, "whatsapp", conv.Platform)
	assert.False(t, bool(conv.ChatbotActive), "a send without prevent_bot_off turns the chatbot off")
	require.NotNil(t, conv.Contact)
	assert.Equal(t, contacts[0].ID, conv.Contact.ID)
	require.NotNil(t, conv.LastMessage)
	assert.Equal(t, sendbee.DirectionOutbound, conv.LastMessage.Direction)
	assert.Equal(t, now, conv.LastMessage.OutboundSentAt.Time)

	msgs := srv.Messages(conv.ID)
	require.Len(t, msgs, 1)
	assert.Equal(t, sent.MessageID, msgs[0].ID)
	assert.Equal(t, "Hi", msgs[0].Body)
	assert.Equal(t, "image", msgs[0].MediaType)
	assert.Equal(t, "sent", msgs[0].Status)
	assert.Equal(t, now, msgs[0].SentAt.Time)

	require.True(t, srv.SetChatbot(conv.ID, true))
	again, err := client.Messages.Send(ctx, sendbee.SendMessageParams{Phone: "+385991234567", Text: "Again", PreventBotOff: sendbee.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, conv.ID, again.ID, "the conversation is extended")
	active, ok := srv.ChatbotStatus(conv.ID)
	assert.True(t, ok)
	assert.True(t, active, "prevent_bot_off keeps the chatbot on")
	assert.Len(t, srv.Messages(conv.ID), 2)
	assert.Equal(t, 2, srv.SentCount())

	page, err := client.Messages.List(ctx, conv.ID, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "Hi", page.Items[0].Body, "oldest first")
	assert.Equal(t, now.Unix(), page.Items[1].SentAt.Unix())
	assert.Equal(t, sendbee.Meta{CurrentPage: 1, LastPage: 1, PerPage: 10, Total: 2, From: 1, To: 2}, page.Meta)
}

func TestTemplateSend(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ctx := context.Background()

	sent, err := client.Templates.Send(ctx, sendbee.SendTemplateParams{
		Phone: "+385991234567", TemplateKeyword: sendbeetest.TemplateWelcome, Language: "en",
		Tags: map[string]string{"1": "Ana", "2": "Sendbee"},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"Hello Ana, welcome to Sendbee!"}, bodies(srv.Messages(sent.ID)))

	_, err = client.Templates.Send(ctx, sendbee.SendTemplateParams{
		Phone: "+385991234567", TemplateKeyword: sendbeetest.TemplateNewCollection, Language: "en",
		Tags: map[string]string{"1": "Ana"}, Attachment: "https://example.com/summer.jpg",
	})
	require.NoError(t, err)
	msgs := srv.Messages(sent.ID)
	require.Len(t, msgs, 2)
	assert.Equal(t, "image", msgs[1].MediaType)
	assert.Equal(t, "https://example.com/summer.jpg", msgs[1].MediaURL)

	for _, keyword := range []string{sendbeetest.TemplateSpringSale, sendbeetest.TemplateLuckyDraw, "unknown"} {
		_, err = client.Templates.Send(ctx, sendbee.SendTemplateParams{Phone: "+385991234567", TemplateKeyword: keyword, Language: "en"})
		var apiErr *sendbee.APIError
		require.ErrorAs(t, err, &apiErr, keyword)
		assert.Equal(t, 400, apiErr.StatusCode, keyword)
	}
	assert.Equal(t, 2, srv.SentCount())
}

func bodies(msgs []sendbee.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Body)
	}
	return out
}

func TestSeededTemplates(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	byKeyword := map[string]sendbee.Template{}
	for tpl, err := range client.Templates.All(context.Background(), nil) {
		require.NoError(t, err)
		byKeyword[tpl.Keyword] = tpl
	}
	assert.Len(t, byKeyword, len(srv.Templates()))
	assert.Equal(t, sendbee.TemplateApproved, byKeyword[sendbeetest.TemplateWelcome].Status)
	assert.Equal(t, sendbee.TemplatePending, byKeyword[sendbeetest.TemplateSpringSale].Status)
	rejected := byKeyword[sendbeetest.TemplateLuckyDraw]
	assert.Equal(t, sendbee.TemplateRejected, rejected.Status)
	assert.NotEmpty(t, rejected.RejectedReason)
	shipped := byKeyword[sendbeetest.TemplateOrderShipped]
	assert.Equal(t, []sendbee.TemplateTag{{Name: "1"}}, shipped.ButtonTags)
	require.Len(t, shipped.Buttons, 2)
	assert.Equal(t, "url", shipped.Buttons[0].Type)
	assert.Equal(t, sendbee.AttachmentImage, byKeyword[sendbeetest.TemplateNewCollection].Attachment)

	own := srv.AddTemplate(sendbee.Template{Keyword: "hr_welcome", Language: "hr", Status: sendbee.TemplateApproved, Text: "Bok {{1}}!"})
	assert.NotEmpty(t, own.ID)
	sent, err := client.Templates.Send(context.Background(), sendbee.SendTemplateParams{Phone: "+1", TemplateKeyword: "hr_welcome", Language: "hr", Tags: map[string]string{"1": "Ana"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"Bok Ana!"}, bodies(srv.Messages(sent.ID)))
}

func TestConversationGetUpdateAndChatbot(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ctx := context.Background()
	srv.AddContact(sendbee.Contact{Name: "Ana", Phone: "+385991234567"})
	conv := srv.AddInboundMessage("+385991234567", "Do you ship to Split?")
	require.NotNil(t, conv.LastMessage)
	assert.Equal(t, sendbee.DirectionInbound, conv.LastMessage.Direction)
	assert.True(t, bool(conv.ChatbotActive), "a new conversation starts with the chatbot on")

	got, err := client.Conversations.Get(ctx, conv.ID)
	require.NoError(t, err)
	require.NotNil(t, got.Contact)
	assert.Equal(t, "Ana", got.Contact.Name)

	moved, err := client.Conversations.Update(ctx, sendbee.UpdateConversationParams{ID: conv.ID, Folder: sendbee.FolderDone})
	require.NoError(t, err)
	assert.Equal(t, sendbee.FolderDone, moved.Folder)

	msg, err := client.Automation.SetChatbot(ctx, conv.ID, false)
	require.NoError(t, err)
	assert.Equal(t, "Chatbot deactivated", msg.Message)
	status, err := client.Automation.ChatbotStatus(ctx, conv.ID)
	require.NoError(t, err)
	require.NotNil(t, status.Response)
	status.Response = nil
	assert.Equal(t, sendbee.ChatbotStatus{ConversationID: conv.ID, ChatbotActive: false}, *status)
	msg, err = client.Automation.SetChatbot(ctx, conv.ID, true)
	require.NoError(t, err)
	assert.Equal(t, "Chatbot activated", msg.Message)
	active, ok := srv.ChatbotStatus(conv.ID)
	assert.True(t, ok)
	assert.True(t, active)

	_, err = client.Conversations.Get(ctx, "missing")
	assert.ErrorIs(t, err, sendbee.ErrNotFound)
	_, err = client.Automation.ChatbotStatus(ctx, "missing")
	assert.ErrorIs(t, err, sendbee.ErrNotFound)
	_, ok = srv.ChatbotStatus("missing")
	assert.False(t, ok)
	assert.False(t, srv.SetChatbot("missing", true))
	assert.Nil(t, srv.Messages("missing"))
}

// TestSendHonoursPreventBotOff checks both sends against a chatbot that is
// on: prevent_bot_off left out or sent as false switches it off, sent as
// true keeps it on.
func TestSendHonoursPreventBotOff(t *testing.T) {
	t.Parallel()
	sends := map[string]func(ctx context.Context, c *sendbee.Client, preventBotOff *bool) (*sendbee.SentMessage, error){
		"message": func(ctx context.Context, c *sendbee.Client, preventBotOff *bool) (*sendbee.SentMessage, error) {
			return c.Messages.Send(ctx, sendbee.SendMessageParams{Phone: "+385991234567", Text: "Hi", PreventBotOff: preventBotOff})
		},
		"template": func(ctx context.Context, c *sendbee.Client, preventBotOff *bool) (*sendbee.SentMessage, error) {
			return c.Templates.Send(ctx, sendbee.SendTemplateParams{Phone: "+385991234567", TemplateKeyword: sendbeetest.TemplateWelcome, Language: "en", PreventBotOff: preventBotOff})
		},
	}
	cases := []struct {
		name       string
		set        *bool
		wantActive bool
	}{
		{"left out", nil, false},
		{"false", sendbee.Ptr(false), false},
		{"true", sendbee.Ptr(true), true},
	}
	for sendName, send := range sends {
		for _, tc := range cases {
			t.Run(sendName+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				srv, client := newServer(t, nil)
				first, err := send(ctx, client, sendbee.Ptr(true))
				require.NoError(t, err)
				require.True(t, srv.SetChatbot(first.ID, true))

				sent, err := send(ctx, client, tc.set)
				require.NoError(t, err)
				active, ok := srv.ChatbotStatus(sent.ID)
				require.True(t, ok)
				assert.Equal(t, tc.wantActive, active)
			})
		}
	}
}
