package sendbee_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// The examples run against sendbeetest, the fake Sendbee API, so they need
// no account. With a real account, build the client with NewClient and
// your key and secret, and leave out WithBaseURL.

func ExampleNewClient() {
	srv := sendbeetest.NewServer() // stands in for https://api-v2.sendbee.io
	defer srv.Close()

	// In production: sendbee.NewClient(os.Getenv("SENDBEE_API_KEY"), os.Getenv("SENDBEE_API_SECRET"))
	client, err := sendbee.NewClient(srv.APIKey(), srv.APISecret(),
		sendbee.WithBaseURL(srv.URL),
		sendbee.WithTimeout(10*time.Second),
		sendbee.WithMaxRetries(2),
		sendbee.WithUserAgent("example/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	teams, err := client.Teams.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, team := range teams.Items {
		fmt.Println(team.Name)
	}
	// Output:
	// Support
	// Sales
}

func ExampleContactsService_Subscribe() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	srv.AddContactField(sendbee.ContactField{Name: "City", Type: sendbee.ContactFieldText})
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	contact, err := client.Contacts.Subscribe(context.Background(), sendbee.SubscribeContactParams{
		Phone:         "+385991234567",
		Name:          "Ana Horvat",
		Tags:          []string{"newsletter", "vip"},
		Notes:         []string{"Met at the fair"},
		ContactFields: map[string]any{"City": "Zagreb"},
		// BlockAutomation and BlockNotifications are sent as true unless set:
		BlockAutomation: sendbee.Ptr(false),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(contact.Name, contact.Phone, contact.Status)
	for _, tag := range contact.Tags {
		fmt.Println("tag:", tag.Name)
	}
	for _, field := range contact.ContactFields {
		fmt.Println("field:", field.Key, "=", field.Value)
	}
	fmt.Println("note:", contact.Notes[0].Value)
	// Output:
	// Ana Horvat +385991234567 subscribed
	// tag: newsletter
	// tag: vip
	// field: City = Zagreb
	// note: Met at the fair
}

func ExampleContactsService_Update() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	srv.AddContactField(sendbee.ContactField{Name: "City", Type: sendbee.ContactFieldText})
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	contact, err := client.Contacts.Subscribe(ctx, sendbee.SubscribeContactParams{
		Phone: "+385991234567", Name: "Ana Horvat", Notes: []string{"Met at the fair"},
	})
	if err != nil {
		log.Fatal(err)
	}
	contact, err = client.Contacts.Update(ctx, sendbee.UpdateContactParams{
		ID:            contact.ID,
		Tags:          []string{"vip"},
		ContactFields: map[string]any{"City": "Split"},
		Notes:         []string{"Ordered 3 shirts"}, // appended, so this call is never retried once sent
	})
	if errors.Is(err, sendbee.ErrOutcomeUnknown) {
		log.Fatal("the note may have been added; read the contact before updating again: ", err)
	}
	if err != nil {
		log.Fatal(err)
	}
	for _, tag := range contact.Tags {
		fmt.Println("tag:", tag.Name)
	}
	for _, field := range contact.ContactFields {
		fmt.Println("field:", field.Key, "=", field.Value)
	}
	for _, note := range contact.Notes {
		fmt.Println("note:", note.Value)
	}
	// Output:
	// tag: vip
	// field: City = Split
	// note: Met at the fair
	// note: Ordered 3 shirts
}

func ExampleContactsService_All() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	for i := 1; i <= 25; i++ {
		srv.AddContact(sendbee.Contact{Name: fmt.Sprintf("Customer %02d", i), Phone: fmt.Sprintf("+38599000%04d", i)})
	}
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// All fetches page after page (here 10 contacts each) as the loop goes on.
	params := &sendbee.ListContactsParams{ListOptions: sendbee.ListOptions{Limit: 10}, Status: sendbee.ContactSubscribed}
	n := 0
	for contact, err := range client.Contacts.All(context.Background(), params) {
		if err != nil {
			log.Fatal(err) // the iterator yields one error and stops
		}
		n++
		if n > 23 {
			fmt.Println(contact.Name)
		}
	}
	fmt.Println(n, "contacts in", len(srv.Requests()), "requests")
	// Output:
	// Customer 24
	// Customer 25
	// 25 contacts in 3 requests
}

func ExampleTagsService_Create() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	tag, err := client.Tags.Create(ctx, sendbee.CreateTagParams{Name: "vip"})
	if err != nil {
		log.Fatal(err)
	}
	tag, err = client.Tags.Update(ctx, sendbee.UpdateTagParams{ID: tag.ID, Name: "gold"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("renamed to", tag.Name)
	msg, err := client.Tags.Delete(ctx, tag.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Message)
	// Output:
	// renamed to gold
	// Tag deleted
}

func ExampleContactFieldsService_Create() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	field, err := client.ContactFields.Create(context.Background(), sendbee.CreateContactFieldParams{
		Name:    "Shirt size",
		Type:    sendbee.ContactFieldList,
		Options: []string{"S", "M", "L"}, // required for a list
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(field.Name, field.Type, field.Options)
	// Output:
	// Shirt size list [S M L]
}

func ExampleContactFieldsService_Update() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	srv.AddContactField(sendbee.ContactField{Name: "Plan", Type: sendbee.ContactFieldList, Options: []string{"free", "pro"}})
	srv.AddContactField(sendbee.ContactField{Name: "Fax", Type: sendbee.ContactFieldText})
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	page, err := client.ContactFields.List(ctx, &sendbee.ListContactFieldsParams{SearchQuery: "Plan"})
	if err != nil {
		log.Fatal(err)
	}
	plan := page.Items[0]
	updated, err := client.ContactFields.Update(ctx, sendbee.UpdateContactFieldParams{
		ID: plan.ID, Options: []string{"free", "pro", "enterprise"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(updated.Name, updated.Type, updated.Options)

	for field, err := range client.ContactFields.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if field.Name == "Fax" {
			msg, err := client.ContactFields.Delete(ctx, field.ID)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println(msg.Message)
		}
	}
	// Output:
	// Plan list [free pro enterprise]
	// Contact field deleted
}

func ExampleConversationsService_List() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	srv.AddContact(sendbee.Contact{Name: "Ana Horvat", Phone: "+385991234567"})
	srv.AddInboundMessage("+385991234567", "Do you ship to Split?")
	srv.AddInboundMessage("+385997654321", "Hi!")
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.Conversations.List(context.Background(), &sendbee.ListConversationsParams{Folder: sendbee.FolderOpen})
	if err != nil {
		log.Fatal(err)
	}
	for _, conv := range page.Items {
		fmt.Printf("%s %q: last message %s\n", conv.Contact.Phone, conv.Contact.Name, conv.LastMessage.Direction)
	}
	fmt.Println("page", page.Meta.CurrentPage, "of", page.Meta.LastPage)
	// Output:
	// +385991234567 "Ana Horvat": last message inbound
	// +385997654321 "": last message inbound
	// page 1 of 1
}

func ExampleConversationsService_Get() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	conv := srv.AddInboundMessage("+385991234567", "Where is my order?")
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	got, err := client.Conversations.Get(ctx, conv.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Folder, got.Contact.Phone, got.LastMessage.Direction)

	// Answered: move it to the done folder (only open and done are allowed).
	done, err := client.Conversations.Update(ctx, sendbee.UpdateConversationParams{
		ID: conv.ID, Folder: sendbee.FolderDone,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(done.Folder)
	// Output:
	// open +385991234567 inbound
	// done
}

func ExampleMessagesService_Send() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	sent, err := client.Messages.Send(ctx, sendbee.SendMessageParams{
		Phone: "+385991234567",
		Text:  "Your order has shipped.",
	})
	if errors.Is(err, sendbee.ErrOutcomeUnknown) {
		log.Fatal("the message may have been sent; check the conversation before sending again: ", err)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("status:", sent.Status)

	page, err := client.Messages.List(ctx, sent.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range page.Items {
		fmt.Println(m.Direction, m.Status, m.Body)
	}
	// Output:
	// status: queued
	// outbound sent Your order has shipped.
}

func ExampleTemplatesService_Send() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	approved, err := client.Templates.List(ctx, &sendbee.ListTemplatesParams{Status: sendbee.TemplateApproved, SearchQuery: "welcome"})
	if err != nil {
		log.Fatal(err)
	}
	tpl := approved.Items[0]
	fmt.Println(tpl.Keyword, tpl.Language, tpl.Text)

	sent, err := client.Templates.Send(ctx, sendbee.SendTemplateParams{
		Phone:           "+385991234567",
		TemplateKeyword: tpl.Keyword,
		Language:        tpl.Language,
		Tags:            map[string]string{"1": "Ana", "2": "Sendbee"}, // fill {{1}} and {{2}}
		PreventBotOff:   sendbee.Ptr(true),                             // keep the chatbot answering
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("status:", sent.Status)
	fmt.Println("delivered:", srv.Messages(sent.ID)[0].Body)
	// Output:
	// welcome en Hello {{1}}, welcome to {{2}}!
	// status: queued
	// delivered: Hello Ana, welcome to Sendbee!
}

func ExampleTeamsService_Members() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	members, err := client.Teams.Members(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range members.Items {
		fmt.Printf("%s (%s) online=%t teams=%d\n", m.Name, m.Role, m.Online, len(m.Teams))
	}
	// Output:
	// Ana Horvat (admin) online=true teams=2
	// Marko Kovač (agent) online=true teams=1
	// Ivana Babić (agent) online=false teams=1
}

func ExampleAutomationService_SetChatbot() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	conv := srv.AddInboundMessage("+385991234567", "I want to talk to a person")
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	msg, err := client.Automation.SetChatbot(ctx, conv.ID, false) // an agent takes over
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Message)
	status, err := client.Automation.ChatbotStatus(ctx, conv.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("chatbot active:", status.ChatbotActive)
	// Output:
	// Chatbot deactivated
	// chatbot active: false
}

func ExampleAPIError() {
	// A fake API allowing one request per minute, its clock standing still.
	now := time.Now()
	srv := sendbeetest.NewServer(sendbeetest.WithRateLimit(1), sendbeetest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	client, err := srv.Client(sendbee.WithMaxRetries(0)) // see the 429 instead of waiting it out
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	for range 2 {
		_, err = client.Tags.List(ctx, nil)
	}
	var apiErr *sendbee.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("status:", apiErr.StatusCode)
		fmt.Println("type:", apiErr.Type)
		fmt.Println("detail:", apiErr.Detail)
		fmt.Println("retry after:", apiErr.RetryAfter)
	}
	fmt.Println("rate limited:", errors.Is(err, sendbee.ErrRateLimited))
	fmt.Println("not found:", errors.Is(err, sendbee.ErrNotFound))
	// Output:
	// status: 429
	// type: rate_limit_exceeded
	// detail: Too Many Attempts.
	// retry after: 1m0s
	// rate limited: true
	// not found: false
}

// Every object a single-object call returns carries the HTTP answer it came
// from; items inside a Page do not (the Page has it).
func ExampleResponse() {
	srv := sendbeetest.NewServer(sendbeetest.WithRateLimit(60))
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	sent, err := client.Messages.Send(context.Background(), sendbee.SendMessageParams{Phone: "+385991234567", Text: "Hello"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("send:", sent.Response.StatusCode, "requests left:", sent.Response.RateLimit.Remaining)

	page, err := client.Conversations.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("list:", page.Response.StatusCode, "requests left:", page.Response.RateLimit.Remaining,
		"item has its own:", page.Items[0].Response != nil)
	// Output:
	// send: 200 requests left: 59
	// list: 200 requests left: 58 item has its own: false
}

func ExampleTeamsService_All() {
	srv := sendbeetest.NewServer(sendbeetest.WithPageSize(1)) // one team per page
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	for team, err := range client.Teams.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(team.Name, len(team.Members))
	}
	for member, err := range client.Teams.AllMembers(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(member.Name, member.Role)
	}
	// Output:
	// Support 2
	// Sales 2
	// Ana Horvat admin
	// Marko Kovač agent
	// Ivana Babić agent
}
