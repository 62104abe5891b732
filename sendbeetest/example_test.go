package sendbeetest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

func ExampleNewServer() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// The code under test talks to the fake as to the real API…
	_, err = client.Messages.Send(context.Background(), sendbee.SendMessageParams{Phone: "+385991234567", Text: "Hello"})
	if err != nil {
		log.Fatal(err)
	}

	// …and the test inspects what it did.
	conv := srv.Conversations()[0]
	fmt.Println(conv.Contact.Phone, srv.Messages(conv.ID)[0].Body, srv.SentCount())
	// Output:
	// +385991234567 Hello 1
}

func ExampleServer_FailNext() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client(sendbee.WithMaxRetries(0))
	if err != nil {
		log.Fatal(err)
	}
	send := func() error {
		_, err := client.Messages.Send(context.Background(), sendbee.SendMessageParams{Phone: "+385991234567", Text: "Hello"})
		return err
	}

	// The connection drops after the server has sent the message.
	srv.FailNext(1, sendbeetest.Fault{DropAfterProcessing: true})
	err = send()
	fmt.Println("outcome unknown:", errors.Is(err, sendbee.ErrOutcomeUnknown), "sent:", srv.SentCount())

	// The server answers 503 and sends nothing.
	srv.FailNext(1, sendbeetest.Fault{Status: http.StatusServiceUnavailable})
	err = send()
	var apiErr *sendbee.APIError
	fmt.Println("status:", errors.As(err, &apiErr) && apiErr.StatusCode == 503, "sent:", srv.SentCount())

	// Normal service resumes.
	fmt.Println("error:", send(), "sent:", srv.SentCount())
	// Output:
	// outcome unknown: true sent: 1
	// status: true sent: 1
	// error: <nil> sent: 2
}

func ExampleServer_Requests() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Contacts.List(context.Background(), &sendbee.ListContactsParams{Tags: []string{"vip", "new"}})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Tags.Create(context.Background(), sendbee.CreateTagParams{Name: "vip"})
	if err != nil {
		log.Fatal(err)
	}

	for _, r := range srv.Requests() {
		fmt.Printf("%s %s query=%q body=%s\n", r.Method, r.Path, r.Query.Encode(), r.Body)
	}
	// Output:
	// GET /contacts query="tags=vip%2Cnew" body=
	// POST /contacts/tags query="" body={"name":"vip"}
}

func ExampleServer_SignWebhook() {
	srv := sendbeetest.NewServer()
	defer srv.Close()

	// The handler under test, guarded by the API secret.
	handler := sendbee.WebhookMiddleware(srv.APISecret())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ok")
	}))

	req := httptest.NewRequest(http.MethodPost, "/sendbee", strings.NewReader(`{"type":"message.received"}`))
	srv.SignWebhook(req)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 200 ok
}

func ExampleWithRateLimit() {
	now := time.Now() // a clock standing still, so the window never ends
	srv := sendbeetest.NewServer(sendbeetest.WithRateLimit(2), sendbeetest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	client, err := srv.Client(sendbee.WithMaxRetries(0))
	if err != nil {
		log.Fatal(err)
	}

	for i := 1; i <= 3; i++ {
		_, err := client.RateLimitRequestTest(context.Background())
		var apiErr *sendbee.APIError
		if errors.As(err, &apiErr) {
			fmt.Println(i, apiErr.StatusCode, "retry after", apiErr.RetryAfter)
			continue
		}
		fmt.Println(i, "ok, remaining", client.RateLimit().Remaining)
	}
	// Output:
	// 1 ok, remaining 1
	// 2 ok, remaining 0
	// 3 429 retry after 1m0s
}

func ExampleWithCredentials() {
	// Tests that build their own client (say, from configuration) can give
	// the fake the key and secret they will use.
	srv := sendbeetest.NewServer(sendbeetest.WithCredentials("test-key", "test-secret"))
	defer srv.Close()

	good, err := sendbee.NewClient("test-key", "test-secret", sendbee.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = good.Tags.List(context.Background(), nil)
	fmt.Println("right secret:", err)

	bad, err := sendbee.NewClient("test-key", "wrong-secret", sendbee.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = bad.Tags.List(context.Background(), nil)
	fmt.Println("wrong secret, unauthorized:", errors.Is(err, sendbee.ErrUnauthorized))
	// Output:
	// right secret: <nil>
	// wrong secret, unauthorized: true
}

func ExampleWithPageSize() {
	srv := sendbeetest.NewServer(sendbeetest.WithPageSize(2)) // lists without a limit get pages of 2
	defer srv.Close()
	for _, name := range []string{"vip", "new", "b2b", "churned", "trial"} {
		srv.AddTag(sendbee.Tag{Name: name})
	}
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.Tags.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Items), "tags on page", page.Meta.CurrentPage, "of", page.Meta.LastPage, "next:", page.NextPage())
	// Output:
	// 2 tags on page 1 of 3 next: 2
}

func ExampleServer_AddInboundMessage() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	// Seed the state the code under test will read.
	srv.AddContact(sendbee.Contact{Name: "Ana Horvat", Phone: "+385991234567"})
	conv := srv.AddInboundMessage("+385991234567", "Is my order on its way?")
	srv.SetChatbot(conv.ID, false) // an agent has taken over
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	got, err := client.Conversations.Get(ctx, conv.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Contact.Name, got.LastMessage.Direction, "chatbot:", got.ChatbotActive)

	// The code under test answers, keeping the chatbot off.
	_, err = client.Messages.Send(ctx, sendbee.SendMessageParams{Phone: "+385991234567", Text: "Yes, it ships today."})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range srv.Messages(conv.ID) {
		fmt.Println(m.Direction, m.Body)
	}
	active, _ := srv.ChatbotStatus(conv.ID)
	fmt.Println("sent:", srv.SentCount(), "chatbot:", active)
	// Output:
	// Ana Horvat inbound chatbot: false
	// inbound Is my order on its way?
	// outbound Yes, it ships today.
	// sent: 1 chatbot: false
}

func ExampleServer_FailRoute() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client(sendbee.WithMaxRetries(0))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Let the first send through and fail the second, whatever else is called.
	srv.FailRoute(http.MethodPost, "/conversations/messages/send",
		sendbeetest.Fault{}, sendbeetest.Fault{Status: http.StatusServiceUnavailable})

	for _, phone := range []string{"+385991111111", "+385992222222", "+385993333333"} {
		if _, err := client.Contacts.Subscribe(ctx, sendbee.SubscribeContactParams{Phone: phone}); err != nil {
			log.Fatal(err) // not the send route: never faulted
		}
		_, err := client.Messages.Send(ctx, sendbee.SendMessageParams{Phone: phone, Text: "Hello"})
		var apiErr *sendbee.APIError
		if errors.As(err, &apiErr) {
			fmt.Println(phone, "failed with", apiErr.StatusCode)
			continue
		}
		fmt.Println(phone, "sent")
	}
	// Output:
	// +385991111111 sent
	// +385992222222 failed with 503
	// +385993333333 sent
}

func ExampleServer_AddTeam() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// A new team with one seeded member (by ID) and one new member.
	ana := srv.Members()[0]
	team := srv.AddTeam(sendbee.Team{Name: "Night shift", Members: []sendbee.TeamMember{
		{ID: ana.ID},
		{Name: "Petra Jurić", Role: "agent"},
	}})

	page, err := client.Teams.Members(context.Background(), &sendbee.ListMembersParams{TeamID: team.ID})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range page.Items {
		fmt.Println(m.Name, len(m.Teams))
	}
	// Output:
	// Ana Horvat 3
	// Petra Jurić 1
}

func ExampleServer_AddMember() {
	srv := sendbeetest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// Teams are matched by ID or name; a team that does not exist is created.
	luka := srv.AddMember(sendbee.Member{Name: "Luka Perić", Role: "agent", Online: true, Available: true,
		Teams: []sendbee.MemberTeam{{Name: "Support"}, {Name: "Billing"}}})

	page, err := client.Teams.List(context.Background(), &sendbee.ListTeamsParams{MemberID: luka.ID})
	if err != nil {
		log.Fatal(err)
	}
	for _, team := range page.Items {
		fmt.Println(team.Name, len(team.Members))
	}
	// Output:
	// Support 3
	// Billing 1
}
