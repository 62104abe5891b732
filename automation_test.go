package sendbee

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAutomationSetChatbotWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		active bool
	}{
		{name: "on", active: true},
		{name: "off", active: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respondFile(t, http.StatusOK, "server_message.json"))

			msg, err := c.Automation.SetChatbot(context.Background(), "c0a1b2c3-0000-4000-8000-000000000001", tc.active)
			require.NoError(t, err)

			// "active" is sent even when false.
			assertRequest(t, srv.Only(t), wantRequest{method: http.MethodPut, path: "/automation/chatbot/activity", body: map[string]any{
				"conversation_id": "c0a1b2c3-0000-4000-8000-000000000001",
				"active":          tc.active,
			}})
			assert.Equal(t, &ServerMessage{Message: "Chatbot activity updated"}, withoutResponse(msg))
		})
	}
}

func TestAutomationChatbotStatusWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "chatbot_status.json"))

	status, err := c.Automation.ChatbotStatus(context.Background(), "c0a1b2c3-0000-4000-8000-000000000001")
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{
		method: http.MethodGet, path: "/automation/chatbot/activity/status",
		query: map[string][]string{"conversation_id": {"c0a1b2c3-0000-4000-8000-000000000001"}},
	})
	assert.Equal(t, &ChatbotStatus{ConversationID: "c0a1b2c3-0000-4000-8000-000000000001", ChatbotActive: true}, withoutResponse(status), `chatbot_active "1"`)
}

func TestAutomationValidation(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "SetChatbot on without conversation ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Automation.SetChatbot(ctx, "", true)
			return err
		}},
		{name: "SetChatbot off without conversation ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Automation.SetChatbot(ctx, "", false)
			return err
		}},
		{name: "ChatbotStatus without conversation ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Automation.ChatbotStatus(ctx, "")
			return err
		}},
		{name: "ChatbotStatus with a blank conversation ID", field: "conversation_id", call: func(ctx context.Context, c *Client) error {
			_, err := c.Automation.ChatbotStatus(ctx, "   ")
			return err
		}},
	})
}
