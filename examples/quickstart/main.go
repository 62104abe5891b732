// Command quickstart walks through the Sendbee Public API with sendbee-go.
//
// With no credentials in the environment it starts an in-process fake of
// the API (package sendbeetest) and walks a whole flow against it: create
// contact fields, subscribe a contact with tags and field values, page
// through contacts, list approved templates, send a message and a
// template, read the conversation and see that the send turned the chatbot
// off, switch it on and off again, and handle a 429. Nothing leaves the machine:
//
//	go run ./examples/quickstart
//
// With SENDBEE_API_KEY and SENDBEE_API_SECRET set it talks to the real API
// and only reads (contacts, tags, contact fields, conversations, approved
// templates, teams). With SENDBEE_TEST_PHONE also set, it sends one text
// message to that phone number as well. SENDBEE_BASE_URL, when set,
// replaces the API's address (sendbee.DefaultBaseURL), for a proxy or a
// test server:
//
//	SENDBEE_API_KEY=... SENDBEE_API_SECRET=... go run ./examples/quickstart
//
// It exits 1 with the error on the first failure. It never prints the
// credentials.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
)

// timeout bounds the whole walk-through.
const timeout = 2 * time.Minute

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	err := run(ctx, os.Stdout)
	cancel()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run picks the fake or the real API from the environment and walks
// through it, writing what happens to out.
func run(ctx context.Context, out io.Writer) error {
	key, secret := os.Getenv("SENDBEE_API_KEY"), os.Getenv("SENDBEE_API_SECRET")
	switch {
	case key == "" && secret == "":
		return runFake(ctx, out)
	case key == "" || secret == "":
		return errors.New("set both SENDBEE_API_KEY and SENDBEE_API_SECRET to use the real API, or neither to use the built-in fake")
	}
	baseURL := cmp.Or(os.Getenv("SENDBEE_BASE_URL"), sendbee.DefaultBaseURL)
	return runReal(ctx, out, key, secret, baseURL, os.Getenv("SENDBEE_TEST_PHONE"))
}

// runReal reads the account behind key and secret at baseURL, and sends
// one message to testPhone when it is set.
func runReal(ctx context.Context, out io.Writer, key, secret, baseURL, testPhone string) error {
	client, err := sendbee.NewClient(key, secret, sendbee.WithBaseURL(baseURL), sendbee.WithUserAgent("sendbee-go-quickstart"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Using the Sendbee API at %s: reading only", redacted(baseURL))
	if testPhone == "" {
		fmt.Fprintln(out, " (set SENDBEE_TEST_PHONE to also send one message).")
	} else {
		fmt.Fprintln(out, ", then sending one message to SENDBEE_TEST_PHONE.")
	}
	w := &walk{client: client, out: out}
	for _, step := range []func(context.Context) error{
		w.showContacts, w.showTags, w.showFields, w.showConversations, w.showTemplates, w.showTeams,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if testPhone != "" {
		if err := w.sendTestMessage(ctx, testPhone); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "\ndone.")
	return nil
}

// walk holds what the steps of the walk-through share.
type walk struct {
	client *sendbee.Client
	out    io.Writer
}

// section starts a titled part of the output.
func (w *walk) section(title string) {
	fmt.Fprintf(w.out, "\n== %s\n", title)
}

// showContacts prints the first page of contacts and the total.
func (w *walk) showContacts(ctx context.Context) error {
	w.section("Contacts")
	page, err := w.client.Contacts.List(ctx, &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Limit: 5}})
	if err != nil {
		return fmt.Errorf("listing contacts: %w", err)
	}
	fmt.Fprintf(w.out, "%d in all; the first %d:\n", max(int(page.Meta.Total), len(page.Items)), len(page.Items))
	for _, c := range page.Items {
		fmt.Fprintf(w.out, "  %s %s (%s)\n", nameOf(c.Name), c.Phone, c.Status)
	}
	return nil
}

// showTags prints the first page of tags.
func (w *walk) showTags(ctx context.Context) error {
	w.section("Tags")
	page, err := w.client.Tags.List(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing tags: %w", err)
	}
	for _, t := range page.Items {
		fmt.Fprintf(w.out, "  %s\n", t.Name)
	}
	return nil
}

// showFields prints the first page of contact fields.
func (w *walk) showFields(ctx context.Context) error {
	w.section("Contact fields")
	page, err := w.client.ContactFields.List(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing contact fields: %w", err)
	}
	for _, f := range page.Items {
		fmt.Fprintf(w.out, "  %s (%s)\n", f.Name, describeType(f))
	}
	return nil
}

// showConversations prints the first page of open conversations.
func (w *walk) showConversations(ctx context.Context) error {
	w.section("Open conversations")
	page, err := w.client.Conversations.List(ctx, &sendbee.ListConversationsParams{
		Folder:      sendbee.FolderOpen,
		ListOptions: sendbee.ListOptions{Limit: 5},
	})
	if err != nil {
		return fmt.Errorf("listing conversations: %w", err)
	}
	for _, conv := range page.Items {
		fmt.Fprintf(w.out, "  with %s\n", describeConversation(conv))
	}
	return nil
}

// showTemplates prints the approved templates.
func (w *walk) showTemplates(ctx context.Context) error {
	_, err := w.approvedTemplates(ctx)
	return err
}

// approvedTemplates lists every approved template with Templates.All,
// printing each.
func (w *walk) approvedTemplates(ctx context.Context) ([]sendbee.Template, error) {
	w.section("Approved templates")
	var templates []sendbee.Template
	for t, err := range w.client.Templates.All(ctx, &sendbee.ListTemplatesParams{Status: sendbee.TemplateApproved}) {
		if err != nil {
			return nil, fmt.Errorf("listing templates: %w", err)
		}
		templates = append(templates, t)
		fmt.Fprintf(w.out, "  %s (%s): %q%s\n", t.Keyword, t.Language, t.Text, describeExtras(t))
	}
	return templates, nil
}

// showTeams prints the teams and their members.
func (w *walk) showTeams(ctx context.Context) error {
	w.section("Teams")
	page, err := w.client.Teams.List(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing teams: %w", err)
	}
	for _, team := range page.Items {
		members := make([]string, len(team.Members))
		for i, m := range team.Members {
			members[i] = fmt.Sprintf("%s (%s)", m.Name, m.Role)
		}
		fmt.Fprintf(w.out, "  %s: %s\n", team.Name, strings.Join(members, ", "))
	}
	return nil
}

// sendTestMessage sends one text message to phone. A send is never
// retried once it may have reached the API, so an unknown outcome is
// reported as such rather than sent twice.
func (w *walk) sendTestMessage(ctx context.Context, phone string) error {
	w.section("Send")
	sent, err := w.client.Messages.Send(ctx, sendbee.SendMessageParams{
		Phone: phone,
		Text:  "Hello from the sendbee-go quickstart.",
	})
	if errors.Is(err, sendbee.ErrOutcomeUnknown) {
		return fmt.Errorf("the message may or may not have been sent; check the conversation before sending again: %w", err)
	}
	if err != nil {
		return fmt.Errorf("sending to SENDBEE_TEST_PHONE: %w", err)
	}
	fmt.Fprintf(w.out, "sent a message to SENDBEE_TEST_PHONE: %s\n", sent.Status)
	return nil
}

// describeType names a contact field's type, with a list's options.
func describeType(f sendbee.ContactField) string {
	if len(f.Options) == 0 {
		return string(f.Type)
	}
	return fmt.Sprintf("%s: %s", f.Type, strings.Join(f.Options, ", "))
}

// describeExtras names a template's attachment and buttons, if any.
func describeExtras(t sendbee.Template) string {
	s := ""
	if t.Attachment != sendbee.AttachmentNone {
		s += fmt.Sprintf(", %s attachment", t.Attachment)
	}
	for _, b := range t.Buttons {
		s += fmt.Sprintf(", %s button %q", b.Type, b.Title)
	}
	return s
}

// describeConversation summarizes a conversation without its ID.
func describeConversation(conv sendbee.Conversation) string {
	who := "(no contact)"
	if conv.Contact != nil {
		who = fmt.Sprintf("%s (%s)", nameOf(conv.Contact.Name), conv.Contact.Phone)
	}
	chatbot := "off"
	if conv.ChatbotActive {
		chatbot = "on"
	}
	last := "none"
	if conv.LastMessage != nil {
		last = string(conv.LastMessage.Direction) + " " + conv.LastMessage.Status
	}
	return fmt.Sprintf("%s: folder %s, chatbot %s, last message %s", who, conv.Folder, chatbot, last)
}

// nameOf returns a contact's name, or says it has none.
func nameOf(name string) string {
	if name == "" {
		return "(no name)"
	}
	return name
}

// redacted returns rawURL with any password in it masked; rawURL has
// already been accepted by sendbee.WithBaseURL.
func redacted(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "the given URL"
	}
	return u.Redacted()
}
