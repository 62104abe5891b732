package sendbeetest

import (
	"net/http"

	"github.com/sendbee/sendbee-go"
)

// SignWebhook sets r's X-Authorization header as Sendbee does when it calls
// a webhook: a token for the server's current time (see WithClock), signed
// with the server's API secret. Use it to test a webhook handler:
//
//	req := httptest.NewRequest(http.MethodPost, "/sendbee", strings.NewReader(payload))
//	srv.SignWebhook(req)
//	handler.ServeHTTP(rec, req)
func (s *Server) SignWebhook(r *http.Request) {
	r.Header.Set("X-Authorization", sendbee.GenerateToken(s.cfg.apiSecret, s.cfg.now()))
}
