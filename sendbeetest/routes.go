package sendbeetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// handler serves one endpoint. It returns the value to encode as the 200
// answer's body, or an *apiError.
type handler func(in *incoming) (any, error)

// routeTable maps each path and method of the Sendbee Public API that the
// fake serves to its handler.
func (s *Server) routeTable() map[string]map[string]handler {
	return map[string]map[string]handler{
		"/contacts": {
			http.MethodGet: s.listContacts,
			http.MethodPut: s.updateContact,
		},
		"/contacts/subscribe": {http.MethodPost: s.subscribeContact},
		"/contacts/tags": {
			http.MethodGet:    s.listTags,
			http.MethodPost:   s.createTag,
			http.MethodPut:    s.updateTag,
			http.MethodDelete: s.deleteTag,
		},
		"/contacts/fields": {
			http.MethodGet:    s.listContactFields,
			http.MethodPost:   s.createContactField,
			http.MethodPut:    s.updateContactField,
			http.MethodDelete: s.deleteContactField,
		},
		"/conversations": {http.MethodGet: s.listConversations},
		"/conversation": {
			http.MethodGet:  s.getConversation,
			http.MethodPost: s.updateConversation,
		},
		"/conversations/messages":                {http.MethodGet: s.listMessages},
		"/conversations/messages/send":           {http.MethodPost: s.sendMessage},
		"/conversations/messages/templates":      {http.MethodGet: s.listTemplates},
		"/conversations/messages/templates/send": {http.MethodPost: s.sendTemplate},
		"/teams/teams":                           {http.MethodGet: s.listTeams},
		"/teams/members":                         {http.MethodGet: s.listMembers},
		"/automation/chatbot/activity":           {http.MethodPut: s.setChatbot},
		"/automation/chatbot/activity/status":    {http.MethodGet: s.chatbotStatus},
		"/rate-limit/request-test":               {http.MethodGet: s.rateLimitRequestTest},
		"/rate-limit/error-test":                 {http.MethodGet: s.rateLimitErrorTest},
	}
}

// route finds the endpoint for r and runs it: 404 for an unknown path, 405
// (with Allow) for a method the path does not serve.
func (s *Server) route(r *http.Request, body []byte) answer {
	methods, ok := s.routes[strings.TrimSuffix(r.URL.Path, "/")]
	if !ok {
		return errorAnswer(&apiError{status: http.StatusNotFound, typ: typeNotFound, detail: "Endpoint not found"})
	}
	h, ok := methods[r.Method]
	if !ok {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		sort.Strings(allowed)
		return errorAnswer(&apiError{
			status: http.StatusMethodNotAllowed, typ: typeMethodNotAllowed,
			detail: "the method " + r.Method + " is not allowed here", allow: strings.Join(allowed, ", "),
		})
	}
	in := &incoming{url: r.URL, query: r.URL.Query(), body: body, base: "http://" + r.Host, pageSize: s.cfg.pageSize}
	v, err := h(in)
	if err != nil {
		var apiErr *apiError
		if !errors.As(err, &apiErr) {
			apiErr = &apiError{status: http.StatusInternalServerError, typ: typeServerError, detail: "sendbeetest failed to serve the request"}
		}
		return errorAnswer(apiErr)
	}
	return jsonAnswer(http.StatusOK, v)
}

// incoming is what a handler gets of the request.
type incoming struct {
	url      *url.URL
	query    url.Values
	body     []byte
	base     string // scheme and host the request was sent to, for links
	pageSize int
}

// decode reads the JSON body into v. An empty body leaves v as it is (a
// required field then goes missing); anything but a JSON object is a 400.
func (in *incoming) decode(v any) error {
	trimmed := bytes.TrimSpace(in.body)
	if len(trimmed) == 0 {
		return nil
	}
	if trimmed[0] != '{' {
		return badRequest("the request body must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return badRequest("the request body is not valid JSON for this endpoint: " + jsonProblem(err))
	}
	return nil
}

// jsonProblem describes a decoding error without quoting the body.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return "the field " + typeErr.Field + " must be a " + typeErr.Type.String()
	}
	return "syntax error"
}

// list returns a query parameter given as a comma-joined list (tags=a,b) or
// in PHP's bracket form (tags[0]=a&tags[1]=b), without empty items.
func (in *incoming) list(name string) []string {
	var raw []string
	raw = append(raw, in.query[name]...)
	keys := make([]string, 0)
	for key := range in.query {
		if strings.HasPrefix(key, name+"[") {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		raw = append(raw, in.query[key]...)
	}
	var out []string
	for _, r := range raw {
		for item := range strings.SplitSeq(r, ",") {
			if item = strings.TrimSpace(item); item != "" && !slices.Contains(out, item) {
				out = append(out, item)
			}
		}
	}
	return out
}

// oneOf checks that a parameter's value, if set, is one of allowed.
func oneOf(name, value string, allowed ...string) error {
	if value == "" || slices.Contains(allowed, value) {
		return nil
	}
	return invalid("The " + name + " must be one of: " + strings.Join(allowed, ", ") + ".")
}

// required is the 422 for a missing parameter.
func required(name string) error {
	return invalid("The " + name + " field is required.")
}

// contains reports whether s contains the lowercase query, ignoring case.
func contains(s, lowerQuery string) bool {
	return strings.Contains(strings.ToLower(s), lowerQuery)
}
