package sendbee

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withoutResponse returns a copy of p with a nil Response, to compare a
// single-object call's result with a literal.
func withoutResponse[T any, PT singleObject[T]](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	PT(&v).setResponse(nil)
	return &v
}

// singleCall is one single-object call, run for its answer's Response.
type singleCall struct {
	name string // Service.Method, as TestSingleObjectCallsAreAllCovered finds them
	call func(ctx context.Context, c *Client) (*Response, error)
}

// singleCalls lists every call that returns one object.
var singleCalls = []singleCall{
	{"Contacts.Subscribe", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Contacts.Subscribe(ctx, SubscribeContactParams{Phone: "+385991234567"})
		return responseOf(v, err)
	}},
	{"Contacts.Update", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Contacts.Update(ctx, UpdateContactParams{ID: "c1", Name: "Ana"})
		return responseOf(v, err)
	}},
	{"Tags.Create", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Tags.Create(ctx, CreateTagParams{Name: "vip"})
		return responseOf(v, err)
	}},
	{"Tags.Update", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Tags.Update(ctx, UpdateTagParams{ID: "t1", Name: "vip"})
		return responseOf(v, err)
	}},
	{"Tags.Delete", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Tags.Delete(ctx, "t1")
		return responseOf(v, err)
	}},
	{"ContactFields.Create", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.ContactFields.Create(ctx, CreateContactFieldParams{Name: "Size", Type: ContactFieldText})
		return responseOf(v, err)
	}},
	{"ContactFields.Update", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.ContactFields.Update(ctx, UpdateContactFieldParams{ID: "f1", Name: "Size"})
		return responseOf(v, err)
	}},
	{"ContactFields.Delete", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.ContactFields.Delete(ctx, "f1")
		return responseOf(v, err)
	}},
	{"Conversations.Get", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Conversations.Get(ctx, "conv1")
		return responseOf(v, err)
	}},
	{"Conversations.Update", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Conversations.Update(ctx, UpdateConversationParams{ID: "conv1", Folder: FolderDone})
		return responseOf(v, err)
	}},
	{"Messages.Send", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Messages.Send(ctx, SendMessageParams{Phone: "+385991234567", Text: "Hi"})
		return responseOf(v, err)
	}},
	{"Templates.Send", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Templates.Send(ctx, SendTemplateParams{Phone: "+385991234567", TemplateKeyword: "welcome", Language: "en"})
		return responseOf(v, err)
	}},
	{"Automation.SetChatbot", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Automation.SetChatbot(ctx, "conv1", true)
		return responseOf(v, err)
	}},
	{"Automation.ChatbotStatus", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.Automation.ChatbotStatus(ctx, "conv1")
		return responseOf(v, err)
	}},
	{"Client.RateLimitRequestTest", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.RateLimitRequestTest(ctx)
		return responseOf(v, err)
	}},
	{"Client.RateLimitErrorTest", func(ctx context.Context, c *Client) (*Response, error) {
		v, err := c.RateLimitErrorTest(ctx)
		return responseOf(v, err)
	}},
}

// responseOf returns the Response field of a single-object call's result,
// failing when the call failed or returned nil.
func responseOf[T any, PT singleObject[T]](v *T, err error) (*Response, error) {
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("nil result without an error")
	}
	return reflect.ValueOf(v).Elem().FieldByName("Response").Interface().(*Response), nil
}

// TestSingleObjectCarriesResponse: the object a single-object call returns
// carries the HTTP answer it came from, with the status, the headers, the
// warning the server sent (also given to the warning handler) and the
// rate-limit state, whatever the shape of the answer.
func TestSingleObjectCarriesResponse(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"data object":  `{"data":{"id":"x1","message":"ok"},"warning":"Slow down, please."}`,
		"data array":   `{"data":[{"id":"x1","message":"ok"}],"warning":"Slow down, please."}`,
		"bare object":  `{"id":"x1","message":"ok","warning":"Slow down, please."}`,
		"only warning": `{"warning":"Slow down, please."}`, // an object only where it may be empty
	}
	for _, tc := range singleCalls {
		for shape, body := range bodies {
			t.Run(tc.name+"/"+shape, func(t *testing.T) {
				t.Parallel()
				var warned []string
				var mu sync.Mutex
				c, _ := newWireServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("X-Request-Id", "req-42")
					w.Header().Set("X-RateLimit-Limit", "60")
					w.Header().Set("X-RateLimit-Remaining", "17")
					w.Header().Set("X-RateLimit-Reset", "1700000060")
					respond(http.StatusAccepted, body)(w, r)
				}, WithWarningHandler(func(_ context.Context, w string) {
					mu.Lock()
					defer mu.Unlock()
					warned = append(warned, w)
				}))

				resp, err := tc.call(context.Background(), c)
				if shape == "only warning" && err != nil {
					require.ErrorIs(t, err, errNoObject, "a call that needs an object may refuse an empty answer")
					return
				}
				require.NoError(t, err)

				require.NotNil(t, resp, "the returned object carries its Response")
				assert.Equal(t, http.StatusAccepted, resp.StatusCode)
				assert.Equal(t, "req-42", resp.Header.Get("X-Request-Id"))
				assert.Equal(t, "Slow down, please.", resp.Warning)
				assert.Equal(t, RateLimit{Limit: 60, Remaining: 17, Reset: 1700000060}, resp.RateLimit)
				assert.JSONEq(t, body, string(resp.Body))
				mu.Lock()
				defer mu.Unlock()
				assert.Equal(t, []string{"Slow down, please."}, warned, "the handler still hears the warning")
			})
		}
	}
}

// TestSingleObjectCallsAreAllCovered finds every method of the client and
// its services that returns one object (not a Page) and checks that the
// object has a Response field and that singleCalls exercises the method,
// so a new call cannot skip the rule unnoticed.
func TestSingleObjectCallsAreAllCovered(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, tc := range singleCalls {
		covered[tc.name] = true
	}
	responseType := reflect.TypeFor[*Response]()
	check := func(owner string, typ reflect.Type) {
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			if m.Type.NumOut() != 2 || m.Type.Out(0).Kind() != reflect.Pointer || m.Type.Out(0).Elem().Kind() != reflect.Struct {
				continue
			}
			result := m.Type.Out(0).Elem()
			if strings.HasPrefix(result.Name(), "Page[") {
				continue
			}
			name := owner + "." + m.Name
			field, ok := result.FieldByName("Response")
			assert.True(t, ok && field.Type == responseType, "%s returns a %s without a Response field", name, result.Name())
			assert.Equal(t, "-", field.Tag.Get("json"), "%s.Response must not be (un)marshalled", result.Name())
			assert.True(t, covered[name], "%s is missing from singleCalls", name)
			delete(covered, name)
		}
	}
	check("Client", reflect.TypeFor[*Client]())
	clientType := reflect.TypeFor[Client]()
	for i := range clientType.NumField() {
		f := clientType.Field(i)
		if f.IsExported() && f.Type.Kind() == reflect.Pointer && strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			check(f.Name, f.Type)
		}
	}
	assert.Empty(t, covered, "singleCalls names calls that do not exist")
}

// TestPageItemsCarryNoResponse: the same models inside a page, or nested
// in another object, have a nil Response; the Page has it.
func TestPageItemsCarryNoResponse(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respond(http.StatusOK,
		`{"data":[{"id":"x1","tags":[{"id":"t1","name":"vip"}]}],"warning":"w"}`))
	ctx := context.Background()

	contacts, err := c.Contacts.List(ctx, nil)
	require.NoError(t, err)
	require.NotNil(t, contacts.Response)
	assert.Equal(t, "w", contacts.Response.Warning)
	assert.Nil(t, contacts.Items[0].Response)
	assert.Nil(t, contacts.Items[0].Tags[0].Response, "a tag on a contact")

	for contact, err := range c.Contacts.All(ctx, nil) {
		require.NoError(t, err)
		assert.Nil(t, contact.Response, "an item yielded by All")
	}
	tags, err := c.Tags.List(ctx, nil)
	require.NoError(t, err)
	assert.Nil(t, tags.Items[0].Response)
	fields, err := c.ContactFields.List(ctx, nil)
	require.NoError(t, err)
	assert.Nil(t, fields.Items[0].Response)
	convs, err := c.Conversations.List(ctx, nil)
	require.NoError(t, err)
	assert.Nil(t, convs.Items[0].Response)
}

// TestSingleObjectMarshalsWithoutResponse: encoding a returned object (to
// cache or log it) leaves the HTTP answer out.
func TestSingleObjectMarshalsWithoutResponse(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":{"id":"t1","name":"vip"}}`))

	tag, err := c.Tags.Create(context.Background(), CreateTagParams{Name: "vip"})
	require.NoError(t, err)
	require.NotNil(t, tag.Response)

	out, err := json.Marshal(tag)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "Response")
	assert.NotContains(t, string(out), "StatusCode")
}
