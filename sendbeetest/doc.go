// Package sendbeetest provides a fake Sendbee Public API for tests, in the
// spirit of net/http/httptest: an in-memory server that speaks the wire
// protocol the sendbee package speaks, so code using a *sendbee.Client can
// be tested without an account or a network.
//
//	srv := sendbeetest.NewServer()
//	defer srv.Close()
//	client, err := srv.Client(sendbee.WithMaxRetries(0))
//	// … run the code under test with client …
//	for _, r := range srv.Requests() { … }     // what it sent
//	srv.Contacts(); srv.Messages(conversationID) // what it changed
//
// # What the server does
//
// It keeps contacts, tags, contact fields, conversations, messages,
// templates, teams and members in memory. Subscribing creates a contact or
// updates the one with that phone number; updating a contact appends its
// notes; tags given by name are created as needed; sending a message or an
// approved template to a phone number creates the contact and its
// conversation when missing and switches the conversation's chatbot off
// unless prevent_bot_off is sent as true (false or left out switches it
// off). Templates (see TemplateWelcome and the
// other keywords), teams and members are seeded; AddContact, AddTag,
// AddContactField, AddTemplate, AddTeam, AddMember and AddInboundMessage
// add more. IDs are UUID-shaped and deterministic
// ("00000000-0000-4000-8000-000000000001", …), and times come from the
// server's clock (WithClock).
//
// Every request must carry X-Api-Key equal to the server's key (APIKey) and
// an X-Auth-Token made by sendbee.GenerateToken with its secret (APISecret)
// for a time within 60 seconds of the server's clock. Lists are paginated
// with page and limit (default WithPageSize, at most 100) and answer with
// "meta" and "links". GET parameters are read from the query string, and
// POST, PUT and DELETE parameters from a JSON body, as in the real API.
//
// # List routes and the query parameters they honour
//
// Each list route reads exactly these query parameters and ignores any
// other. Every one takes page (an integer from 1, default 1; a page past
// the end is empty); those marked limit also take limit (1 to 100, default
// WithPageSize), and the others ignore it and use the server's page size.
// search_query and name match substrings, ignoring case; an empty value
// is no filter.
//
//	GET /contacts                           tags, status, search_query, page, limit
//	GET /contacts/tags                      name, page, limit
//	GET /contacts/fields                    search_query, page, limit
//	GET /conversations                      folder, search_query, date_from, date_to, page, limit
//	GET /conversations/messages             conversation_id, page
//	GET /conversations/messages/templates   status, search_query, page, limit
//	GET /teams/teams                        member_id, page
//	GET /teams/members                      team_id, page
//
// What they match:
//
//   - /contacts: tags keeps contacts with at least one of the tags, by name
//     ignoring case, given comma-joined (tags=a,b) or as tags[0]=a&tags[1]=b;
//     status is subscribed or unsubscribed; search_query matches the name,
//     phone or WhatsApp user ID.
//   - /contacts/tags: name matches the tag's name.
//   - /contacts/fields: search_query matches the field's name.
//   - /conversations: folder is open, done, spam or notified; search_query
//     matches the contact's name or phone; date_from and date_to are Unix
//     seconds bounding the conversation's created_at, both inclusive.
//   - /conversations/messages: conversation_id is required (422 without it,
//     404 for an unknown one); messages come oldest first.
//   - /conversations/messages/templates: status is pending, approved or
//     rejected; search_query matches the keyword, name or text.
//   - /teams/teams: member_id keeps the teams that member is in.
//   - /teams/members: team_id keeps that team's members.
//
// A status or folder outside its values, a date, page or limit that is not
// an integer in range, is a 422.
//
// # Errors
//
// Failures use the API's error envelope {"error":{"detail":"…","type":"…"}}:
//
//   - 401 unauthorized: missing or wrong X-Api-Key, or a malformed, stale,
//     future or wrongly signed X-Auth-Token;
//   - 404 not_found: an unknown path ("Endpoint not found") or ID;
//   - 405 method_not_allowed: a method the path does not serve, with Allow;
//   - 400 bad_request: a body that is not a JSON object of the right shape,
//     or sending a template that is unknown or not approved;
//   - 422 validation_error: a missing required parameter or a wrong value
//     (a page below 1, a limit over 100, an unknown status, folder or field
//     type, a list field without options, a duplicate tag or field name);
//   - 429 rate_limit_exceeded, in the flat form
//     {"error":true,"detail":"…","type":"rate_limit_exceeded"} with
//     Retry-After: over the limit set by WithRateLimit or
//     WithRateLimitPeriod, and always from GET
//     /rate-limit/error-test. GET /rate-limit/request-test counts like any
//     request and, within the limit, answers 200 with
//     {"error":false,"detail":"…","type":"rate_limit_ok"}.
//
// The server never panics and never stops on a bad request.
//
// # Failures on demand
//
// FailNext makes the next requests fail in a chosen way (an HTTP status, a
// connection dropped before or after the request is processed, a delay, a
// malformed body), to test retries, timeouts and the handling of sends whose
// outcome is unknown. FailRoute aims faults at one route (a method and a
// path), counting only that route's requests, so a test can fail, say, the
// second send whatever else was called before it. A request takes at most
// one fault: its route's next FailRoute fault if one is waiting, else the
// next of the FailNext queue. Requests records every request, and
// SignWebhook signs a request for a webhook handler as Sendbee would.
package sendbeetest
