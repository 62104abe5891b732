package sendbeetest

import (
	"slices"
	"sort"
	"strings"

	"github.com/sendbee/sendbee-go"
)

// Keywords of the seeded templates, all in language "en".
const (
	// TemplateWelcome is approved: "Hello {{1}}, welcome to {{2}}!".
	TemplateWelcome = "welcome"
	// TemplateOrderShipped is approved, with a URL button whose suffix is
	// the button tag {{1}}: "Your order {{1}} has shipped.".
	TemplateOrderShipped = "order_shipped"
	// TemplateNewCollection is approved and carries an image attachment:
	// "Our new collection is here, {{1}}!".
	TemplateNewCollection = "new_collection"
	// TemplateSpringSale is pending approval, so sending it is a 400.
	TemplateSpringSale = "spring_sale"
	// TemplateLuckyDraw was rejected, so sending it is a 400.
	TemplateLuckyDraw = "lucky_draw"
)

// seedTemplates stores the templates every server starts with. The caller
// holds mu or owns st alone.
func (st *store) seedTemplates() {
	placeholders := func(names ...string) []sendbee.TemplateTag {
		tags := make([]sendbee.TemplateTag, len(names))
		for i, n := range names {
			tags[i] = sendbee.TemplateTag{Name: n}
		}
		return tags
	}
	for _, t := range []sendbee.Template{
		{Keyword: TemplateWelcome, Name: "Welcome", Category: "UTILITY", Status: sendbee.TemplateApproved,
			Text: "Hello {{1}}, welcome to {{2}}!", Tags: placeholders("1", "2")},
		{Keyword: TemplateOrderShipped, Name: "Order shipped", Category: "UTILITY", Status: sendbee.TemplateApproved,
			Text: "Your order {{1}} has shipped.", Tags: placeholders("1"), ButtonTags: placeholders("1"),
			Buttons: []sendbee.TemplateButton{
				{Index: 0, Type: "url", Title: "Track your order", Value: "https://example.com/track/{{1}}", URLType: "dynamic"},
				{Index: 1, Type: "quick_reply", Title: "Talk to us"},
			}},
		{Keyword: TemplateNewCollection, Name: "New collection", Category: "MARKETING", Status: sendbee.TemplateApproved,
			Text: "Our new collection is here, {{1}}!", Tags: placeholders("1"), Attachment: sendbee.AttachmentImage},
		{Keyword: TemplateSpringSale, Name: "Spring sale", Category: "MARKETING", Status: sendbee.TemplatePending,
			Text: "Spring sale: {{1}} off everything!", Tags: placeholders("1")},
		{Keyword: TemplateLuckyDraw, Name: "Lucky draw", Category: "MARKETING", Status: sendbee.TemplateRejected,
			Text: "You may have won {{1}}!", Tags: placeholders("1"),
			RejectedReason: "Promotional content that violates the commerce policy"},
	} {
		t.Language = "en"
		st.addTemplate(t)
	}
}

// addTemplate stores a copy of t with an ID. The caller holds mu.
func (st *store) addTemplate(t sendbee.Template) sendbee.Template {
	t = cloneTemplate(t)
	if t.ID == "" {
		t.ID = st.newID()
	}
	st.templates = append(st.templates, t)
	return cloneTemplate(t)
}

func cloneTemplate(t sendbee.Template) sendbee.Template {
	t.Tags = slices.Clone(t.Tags)
	t.ButtonTags = slices.Clone(t.ButtonTags)
	t.Buttons = slices.Clone(t.Buttons)
	for i := range t.Buttons {
		t.Buttons[i].Icon = slices.Clone(t.Buttons[i].Icon)
	}
	return t
}

// AddTemplate stores t as a message template, with an ID assigned when t
// has none, and returns it. Only a template with Status approved can be
// sent; it is found by Keyword and Language.
func (s *Server) AddTemplate(t sendbee.Template) sendbee.Template {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.addTemplate(t)
}

// Templates returns the stored templates, the seeded ones first (see
// TemplateWelcome and the other keywords).
func (s *Server) Templates() []sendbee.Template {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]sendbee.Template, len(st.templates))
	for i, t := range st.templates {
		out[i] = cloneTemplate(t)
	}
	return out
}

// listTemplates answers GET /conversations/messages/templates: status
// filters, search_query matches keyword, name or text by substring,
// ignoring case.
func (s *Server) listTemplates(in *incoming) (any, error) {
	status := in.query.Get("status")
	if err := oneOf("status", status, string(sendbee.TemplatePending), string(sendbee.TemplateApproved), string(sendbee.TemplateRejected)); err != nil {
		return nil, err
	}
	search := strings.ToLower(in.query.Get("search_query"))
	return serveList(s, in, true, func(st *store) ([]sendbee.Template, error) {
		return filter(st.templates, func(t sendbee.Template) bool {
			return (status == "" || string(t.Status) == status) &&
				(contains(t.Keyword, search) || contains(t.Name, search) || contains(t.Text, search))
		}, cloneTemplate), nil
	})
}

// sendTemplate answers POST /conversations/messages/templates/send:
// phone or whatsapp_user_id, template_keyword and language are required
// (422); a keyword and language that match no template, or a template that
// is not approved, is a 400. The stored message's body is the template's
// text with its placeholders filled from tags.
func (s *Server) sendTemplate(in *incoming) (any, error) {
	var params sendbee.SendTemplateParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	switch {
	case params.Phone == "" && params.WhatsAppUserID == "":
		return nil, invalid("The phone field is required when whatsapp_user_id is not present.")
	case params.TemplateKeyword == "":
		return nil, required("template_keyword")
	case params.Language == "":
		return nil, required("language")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	i := slices.IndexFunc(st.templates, func(t sendbee.Template) bool {
		return t.Keyword == params.TemplateKeyword && t.Language == params.Language
	})
	if i < 0 {
		return nil, badRequest("No template with this keyword and language.")
	}
	t := st.templates[i]
	if t.Status != sendbee.TemplateApproved {
		return nil, badRequest("The template is " + string(t.Status) + ", not approved.")
	}
	m := sendbee.Message{Body: fill(t.Text, params.Tags), MediaURL: params.Attachment}
	if params.Attachment != "" {
		m.MediaType = string(t.Attachment)
	}
	return dataEnvelope{Data: st.deliver(params.Phone, params.WhatsAppUserID, m, params.PreventBotOff)}, nil
}

// fill replaces each {{name}} in text with tags[name], in name order.
func fill(text string, tags map[string]string) string {
	names := make([]string, 0, len(tags))
	for name := range tags {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		text = strings.ReplaceAll(text, "{{"+name+"}}", tags[name])
	}
	return text
}
