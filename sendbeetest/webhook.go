package sendbeetest

import (
	"net/http"

	"github.com/sendbee/sendbee-go"
)

// SignWebhook sets r's X-Authorization header as Sendbee does when it calls
// a webhook: sendbee.SignWebhookRequest with the server's API secret and
// its current time (see WithClock). Use it to drive a webhook handler, such
// as one behind sendbee.WebhookMiddleware(srv.APISecret()):
//
//	req := httptest.NewRequest(http.MethodPost, "/sendbee", strings.NewReader(payload))
//	srv.SignWebhook(req)
//	handler.ServeHTTP(rec, req)
func (s *Server) SignWebhook(r *http.Request) {
	sendbee.SignWebhookRequest(r, s.cfg.apiSecret, s.cfg.now())
}
