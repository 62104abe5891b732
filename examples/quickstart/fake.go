package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// The contact the walk-through subscribes and writes to.
const (
	contactPhone = "+385991234567"
	contactName  = "Lucija Novak"
)

// seededContacts is how many more contacts the fake holds, so that paging
// through contacts 10 at a time takes several requests.
const seededContacts = 24

// pageSize is the page size used when paging through contacts.
const pageSize = 10

// fakeWalk is the walk-through against the in-process fake API.
type fakeWalk struct {
	walk
	srv *sendbeetest.Server
	// noRetry is a second client on the same server with retries off, to
	// show a 429 as it arrives.
	noRetry *sendbee.Client
	// conversationID is the contact's conversation, once a send has started it.
	conversationID string
}

// runFake starts the fake API and walks the whole flow against it.
func runFake(ctx context.Context, out io.Writer) error {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		return err
	}
	noRetry, err := srv.Client(sendbee.WithMaxRetries(0))
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "No SENDBEE_API_KEY and SENDBEE_API_SECRET: running against an in-process fake")
	fmt.Fprintln(out, "Sendbee API (package sendbeetest). Set both to read your own account instead.")
	w := &fakeWalk{walk: walk{client: client, out: out}, srv: srv, noRetry: noRetry}
	for _, step := range []func(context.Context) error{
		w.createFields, w.subscribe, w.pageContacts, w.sendAndRead, w.switchChatbot, w.handle429, w.showTeams,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "\ndone.")
	return nil
}

// createFields creates the contact fields the subscription fills in:
// fields must exist before contacts can carry values for them.
func (w *fakeWalk) createFields(ctx context.Context) error {
	w.section("Contact fields")
	for _, params := range []sendbee.CreateContactFieldParams{
		{Name: "City", Type: sendbee.ContactFieldText},
		{Name: "Plan", Type: sendbee.ContactFieldList, Options: []string{"free", "pro"}},
	} {
		field, err := w.client.ContactFields.Create(ctx, params)
		if err != nil {
			return fmt.Errorf("creating contact field %q: %w", params.Name, err)
		}
		fmt.Fprintf(w.out, "created contact field %q (%s)\n", field.Name, describeType(*field))
	}
	return nil
}

// subscribe subscribes the contact with tags and contact field values.
func (w *fakeWalk) subscribe(ctx context.Context) error {
	w.section("Subscribe")
	contact, err := w.client.Contacts.Subscribe(ctx, sendbee.SubscribeContactParams{
		Phone:         contactPhone,
		Name:          contactName,
		Tags:          []string{"customer", "newsletter"},
		ContactFields: map[string]any{"City": "Zagreb", "Plan": "pro"},
		Notes:         []string{"Signed up at the Zagreb store"},
	})
	if err != nil {
		return fmt.Errorf("subscribing %s: %w", contactName, err)
	}
	fmt.Fprintf(w.out, "subscribed %s (%s), status %s\n", contact.Name, contact.Phone, contact.Status)
	names := make([]string, len(contact.Tags))
	for i, t := range contact.Tags {
		names[i] = t.Name
	}
	fmt.Fprintf(w.out, "  tags: %s\n", strings.Join(names, ", "))
	for _, f := range contact.ContactFields {
		fmt.Fprintf(w.out, "  %s = %s\n", f.Key, f.Value)
	}
	for _, n := range contact.Notes {
		fmt.Fprintf(w.out, "  note: %s\n", n.Value)
	}
	return nil
}

// pageContacts seeds more contacts into the fake and reads them all with
// the Contacts.All iterator, which fetches one page per request.
func (w *fakeWalk) pageContacts(ctx context.Context) error {
	w.section("Page through contacts with Contacts.All")
	for i := range seededContacts {
		w.srv.AddContact(sendbee.Contact{
			Name:  fmt.Sprintf("Customer %02d", i+2),
			Phone: fmt.Sprintf("+3859100000%02d", i+2),
		})
	}
	before := w.countRequests(http.MethodGet, "/contacts")
	var names []string
	for c, err := range w.client.Contacts.All(ctx, &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Limit: pageSize}}) {
		if err != nil {
			return fmt.Errorf("paging through contacts: %w", err)
		}
		names = append(names, c.Name)
	}
	pages := w.countRequests(http.MethodGet, "/contacts") - before
	fmt.Fprintf(w.out, "the fake holds %d more contacts; All read %d contacts, %d per page, in %d requests\n",
		seededContacts, len(names), pageSize, pages)
	if len(names) > 0 {
		fmt.Fprintf(w.out, "  first %s, last %s\n", names[0], names[len(names)-1])
	}
	return nil
}

// countRequests counts the requests the fake received for method and path.
func (w *fakeWalk) countRequests(method, path string) int {
	n := 0
	for _, r := range w.srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// sendAndRead sends the contact a message and an approved template in answer to
// their question, then reads the conversation and its messages.
func (w *fakeWalk) sendAndRead(ctx context.Context) error {
	templates, err := w.approvedTemplates(ctx)
	if err != nil {
		return err
	}
	welcome, err := findTemplate(templates, sendbeetest.TemplateWelcome)
	if err != nil {
		return err
	}

	w.section("Send")
	w.srv.AddInboundMessage(contactPhone, "Hi! Do you deliver to Split?")
	fmt.Fprintf(w.out, "%s wrote in (the fake stores an inbound message)\n", contactName)
	sent, err := w.client.Messages.Send(ctx, sendbee.SendMessageParams{
		Phone: contactPhone,
		Text:  "Hi Lucija, yes: delivery to Split takes two days.",
	})
	if err != nil {
		return fmt.Errorf("sending a message: %w", err)
	}
	fmt.Fprintf(w.out, "sent a message: %s\n", sent.Status)
	sentTemplate, err := w.client.Templates.Send(ctx, sendbee.SendTemplateParams{
		Phone:           contactPhone,
		TemplateKeyword: welcome.Keyword,
		Language:        welcome.Language,
		Tags:            map[string]string{"1": "Lucija", "2": "Sendbee Shop"},
	})
	if err != nil {
		return fmt.Errorf("sending template %q: %w", welcome.Keyword, err)
	}
	fmt.Fprintf(w.out, "sent template %q: %s\n", welcome.Keyword, sentTemplate.Status)
	w.conversationID = sent.ID
	return w.readConversation(ctx, w.conversationID)
}

// findTemplate returns the template with keyword among templates.
func findTemplate(templates []sendbee.Template, keyword string) (sendbee.Template, error) {
	for _, t := range templates {
		if t.Keyword == keyword {
			return t, nil
		}
	}
	return sendbee.Template{}, fmt.Errorf("no approved template %q", keyword)
}

// readConversation prints a conversation and all its messages.
func (w *fakeWalk) readConversation(ctx context.Context, conversationID string) error {
	w.section("Conversation")
	conv, err := w.client.Conversations.Get(ctx, conversationID)
	if err != nil {
		return fmt.Errorf("reading the conversation: %w", err)
	}
	fmt.Fprintf(w.out, "conversation with %s\n", describeConversation(*conv))
	for m, err := range w.client.Messages.All(ctx, conversationID, nil) {
		if err != nil {
			return fmt.Errorf("reading messages: %w", err)
		}
		fmt.Fprintf(w.out, "  %-8s %-8s %s\n", m.Direction, m.Status, m.Body)
	}
	return nil
}

// switchChatbot turns the chatbot of the contact's conversation off and on,
// reading its status after each switch.
func (w *fakeWalk) switchChatbot(ctx context.Context) error {
	w.section("Chatbot")
	id := w.conversationID
	if err := w.printChatbot(ctx, id, "after sending (a send turns it off)"); err != nil {
		return err
	}
	for _, active := range []bool{true, false, true} {
		if _, err := w.client.Automation.SetChatbot(ctx, id, active); err != nil {
			return fmt.Errorf("switching the chatbot: %w", err)
		}
		if err := w.printChatbot(ctx, id, "after switching it "+onOff(active)); err != nil {
			return err
		}
	}
	return nil
}

// printChatbot reads and prints the chatbot status of a conversation.
func (w *fakeWalk) printChatbot(ctx context.Context, conversationID, when string) error {
	status, err := w.client.Automation.ChatbotStatus(ctx, conversationID)
	if err != nil {
		return fmt.Errorf("reading the chatbot status: %w", err)
	}
	fmt.Fprintf(w.out, "chatbot %s %s\n", onOff(bool(status.ChatbotActive)), when)
	return nil
}

func onOff(active bool) string {
	if active {
		return "on"
	}
	return "off"
}

// retryAfter is the wait the fake asks for in its 429, short enough for a
// quick walk-through (Sendbee asks for up to a minute).
const retryAfter = time.Second

// handle429 makes the fake answer the next request with 429, as Sendbee
// does past 60 requests a minute, and shows the call failing with retries
// off and succeeding after Retry-After with retries on.
func (w *fakeWalk) handle429(ctx context.Context) error {
	w.section("Rate limit (429)")
	fmt.Fprintf(w.out, "the fake answers the next request with 429 and Retry-After: %s\n", retryAfter)
	tooMany := sendbeetest.Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
	w.srv.FailNext(1, tooMany)
	_, err := w.noRetry.RateLimitRequestTest(ctx)
	var apiErr *sendbee.APIError
	if err == nil {
		return errors.New("expected a 429 from the fake, got an answer")
	}
	if !errors.Is(err, sendbee.ErrRateLimited) || !errors.As(err, &apiErr) {
		return fmt.Errorf("expected a 429 from the fake: %w", err)
	}
	fmt.Fprintf(w.out, "retries off: %d %s %q, retry after %s\n", apiErr.StatusCode, apiErr.Type, apiErr.Detail, apiErr.RetryAfter)

	w.srv.FailNext(1, tooMany)
	before := len(w.srv.Requests())
	status, err := w.client.RateLimitRequestTest(ctx)
	if err != nil {
		return fmt.Errorf("the rate-limit probe failed with retries on: %w", err)
	}
	attempts := len(w.srv.Requests()) - before
	fmt.Fprintf(w.out, "retries on: %s after %d attempts (the client waited as Retry-After asked)\n", status.Type, attempts)
	return nil
}
