package sendbee

// singleObject is a model that a single-object call returns: it carries the
// Response of that call (see one), while the same model inside a Page, or
// nested in another object, keeps a nil Response.
type singleObject[T any] interface {
	*T
	setResponse(*Response)
}

func (c *Contact) setResponse(r *Response)         { c.Response = r }
func (t *Tag) setResponse(r *Response)             { t.Response = r }
func (f *ContactField) setResponse(r *Response)    { f.Response = r }
func (c *Conversation) setResponse(r *Response)    { c.Response = r }
func (m *SentMessage) setResponse(r *Response)     { m.Response = r }
func (m *ServerMessage) setResponse(r *Response)   { m.Response = r }
func (s *ChatbotStatus) setResponse(r *Response)   { s.Response = r }
func (s *RateLimitStatus) setResponse(r *Response) { s.Response = r }
