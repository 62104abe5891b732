// Package sendbee is a client for the Sendbee Public API: send WhatsApp
// messages and templates, manage contacts, tags and contact fields, read
// conversations, list teams, switch the chatbot on and off, and authenticate
// the webhooks Sendbee sends you.
//
//	client, err := sendbee.NewClient(os.Getenv("SENDBEE_API_KEY"), os.Getenv("SENDBEE_API_SECRET"))
//	if err != nil { … }
//	sent, err := client.Messages.Send(ctx, sendbee.SendMessageParams{
//		Phone: "+385991234567",
//		Text:  "Your order has shipped.",
//	})
//
// Each resource group is a service field of the Client: Contacts, Tags,
// ContactFields, Conversations, Messages, Templates, Teams and Automation.
// Every call to the API takes a context.Context first. List methods take a
// nullable *…Params pointer; calls that send a body take their params by
// value. Build one Client and share it: it is immutable after NewClient and
// safe for concurrent use by many goroutines.
//
// # Authentication
//
// Every request carries the API key in X-Api-Key and a fresh token in
// X-Auth-Token: base64 of "<unix seconds>.<hex HMAC-SHA256 of them keyed
// with the API secret>" (see GenerateToken). The client signs each attempt,
// retries included; a caller's *http.Client passed with WithHTTPClient is
// copied, never modified. Credentials go only to the base URL's origin (its
// scheme, host and port) and never appear in errors, logs, warnings or debug
// output, nor in the fmt output of a Client or a service with any verb:
// where the server echoes them back, even JSON-escaped or percent-encoded,
// they are masked as "[redacted]".
// Response.Body, Response.Header and Response.Warning alone keep the answer
// raw.
//
// # Pagination
//
// List returns a *Page[T] with Items, Meta, Links and the Response; HasNext
// and NextPage walk pages by hand. All returns an iter.Seq2 that fetches
// page after page, holding one page in memory, and stops after the last one:
//
//	for contact, err := range client.Contacts.All(ctx, &sendbee.ListContactsParams{Tags: []string{"vip"}}) {
//		if err != nil { … } // yielded once; the loop then ends
//		fmt.Println(contact.Name)
//	}
//
// # Responses
//
// Every call's HTTP answer (status, headers, raw body, the API's warning
// and the rate-limit headers) is a *Response, reachable for that call: a
// List's Page has it in Page.Response, an error in APIError.Response, and
// the object a single-object call returns in its own Response field
// (Contact.Response, SentMessage.Response, ServerMessage.Response, …),
// which is tagged json:"-". An item inside a Page, or an object nested in
// another, has a nil Response; All yields items only.
//
//	sent, err := client.Messages.Send(ctx, params)
//	if err != nil { … }
//	fmt.Println(sent.Response.StatusCode, sent.Response.Warning, sent.Response.RateLimit.Remaining)
//
// # Errors
//
// An HTTP status outside 2xx is an *APIError (reach it with errors.As)
// with the status, the server's type and detail, RetryAfter and the
// Response. errors.Is matches ErrRateLimited (429), ErrUnauthorized (401,
// 403) and ErrNotFound (404). Input the API would refuse (no phone and no
// WhatsApp user ID, an empty or white-space-only ID, an unknown enum value,
// text that is not valid UTF-8) is a *ValidationError, returned before
// anything is sent.
//
// The API's tolerated oddities (data as object or array, booleans as
// 1/"1"/"yes", numbers as strings, timestamps as numbers or dates) are
// decoded by the Bool, Int, Time and Scalar types, and a value of the wrong
// kind never fails an answer: a text field sent as 7 is "7", an integer
// sent as "abc" is 0, a list sent as a string is nil, a nested object sent
// as an empty array in place of an object, or as any other non-object, is
// nil, and an element of a list that should hold objects but does not is
// skipped (see Page for every rule). Only a 2xx answer that is not JSON,
// that is itself a string, number or boolean, or whose data is one, is a
// decoding error.
//
// # Retries
//
// The client retries a call (default 3 times, WithMaxRetries) with
// exponential backoff and jitter, honouring Retry-After, as the call allows:
// every call after a 429 or a failure to connect (a TLS handshake or a
// proxy's tunnel that fails included); only idempotent calls after
// a 5xx, a 408, a timeout or a broken connection. Sending a message or
// template, subscribing a contact, creating a tag or contact field, and
// updating a contact with notes are never repeated once the request may have
// reached the server: their error then matches ErrOutcomeUnknown, so the
// caller can check before sending again. A wait longer than WithMaxRetryWait
// or past the context's deadline is not started; the *APIError comes back at
// once. Each attempt is bounded by WithTimeout, the whole call by the context.
// A failure known to have happened before anything was sent (a proxy that
// cannot be chosen, a context already done, the rate limiter's error) ends
// the call at once and never matches ErrOutcomeUnknown.
//
// A redirect is followed only when it keeps the call's method, body and
// origin (the base URL's scheme, host and port), and never by a call that
// is not idempotent: see WithHTTPClient. Credentials are sent to the base
// URL's origin only.
//
// # Rate limits
//
// Sendbee allows 60 requests a minute per business number, counted across
// every API key and process. Over it the API answers 429, which the client
// waits out (Retry-After) and retries. Every Response carries the answer's
// rate-limit headers in its RateLimit field, and Client.RateLimit returns
// the latest. WithRateLimiter paces the client's own requests: a
// *rate.Limiter from golang.org/x/time/rate paces one process, and the
// repository's examples/fleet shares one budget among processes through
// Redis.
//
// # Webhooks
//
// Sendbee signs webhook requests with the API secret in the X-Authorization
// header. VerifyWebhookToken checks such a token (format, age both ways,
// constant-time signature), and WebhookMiddleware guards an http.Handler
// with it, answering 401 to anything else. The token is a signed timestamp:
// it proves the sender holds the secret and the request is recent, not that
// the body is the one Sendbee sent, so serve webhooks over HTTPS only and
// process events idempotently (deduplicate by message ID). WebhookMiddleware
// panics when built with a missing or unusable secret or an invalid option:
// the package's one panic, a programming error caught at start-up.
//
// # Testing
//
// Package sendbeetest runs an in-memory fake of the API on an httptest
// server: contacts, conversations, messages, templates, teams, rate limits
// and injected failures, for testing code that uses this package without a
// Sendbee account.
package sendbee
