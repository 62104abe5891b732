package sendbeetest

import (
	"slices"
	"strings"

	"github.com/sendbee/sendbee-go"
)

func tagID(t sendbee.Tag) string { return t.ID }

// cloneTag copies t without its Response: the server stores records, not
// answers.
func cloneTag(t sendbee.Tag) sendbee.Tag {
	t.Icons = slices.Clone(t.Icons)
	t.Response = nil
	return t
}

// AddTag stores t as a tag, with an ID assigned when t has none, and
// returns it. A tag with the same name (ignoring case) is returned instead
// when one exists.
func (s *Server) AddTag(t sendbee.Tag) sendbee.Tag {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if i := st.tagIndexByName(t.Name); i >= 0 {
		return cloneTag(st.tags[i])
	}
	return cloneTag(st.addTag(t))
}

// Tags returns the stored tags, oldest first.
func (s *Server) Tags() []sendbee.Tag {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return filter(st.tags, func(sendbee.Tag) bool { return true }, cloneTag)
}

// addTag stores t, filling its ID and flags. The caller holds mu.
func (st *store) addTag(t sendbee.Tag) sendbee.Tag {
	t = cloneTag(t)
	if t.ID == "" {
		t.ID = st.newID()
	}
	t.Editable = true
	st.tags = append(st.tags, t)
	return t
}

func (st *store) tagIndexByName(name string) int {
	return slices.IndexFunc(st.tags, func(t sendbee.Tag) bool { return strings.EqualFold(t.Name, name) })
}

// tagsNamed returns the tags with these names, creating the missing ones.
// The caller holds mu.
func (st *store) tagsNamed(names []string) []sendbee.Tag {
	out := make([]sendbee.Tag, 0, len(names))
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if i := st.tagIndexByName(name); i >= 0 {
			out = append(out, st.tags[i])
		} else {
			out = append(out, st.addTag(sendbee.Tag{Name: name}))
		}
	}
	return out
}

// listTags answers GET /contacts/tags: name filters by substring,
// ignoring case.
func (s *Server) listTags(in *incoming) (any, error) {
	name := strings.ToLower(in.query.Get("name"))
	return serveList(s, in, true, func(st *store) ([]sendbee.Tag, error) {
		return filter(st.tags, func(t sendbee.Tag) bool { return contains(t.Name, name) }, cloneTag), nil
	})
}

// createTag answers POST /contacts/tags: name is required and must be new.
func (s *Server) createTag(in *incoming) (any, error) {
	var params sendbee.CreateTagParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if strings.TrimSpace(params.Name) == "" {
		return nil, required("name")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.tagIndexByName(params.Name) >= 0 {
		return nil, invalid("A tag with this name already exists.")
	}
	return dataEnvelope{Data: st.addTag(sendbee.Tag{Name: params.Name})}, nil
}

// updateTag answers PUT /contacts/tags: renames the tag, on the contacts too.
func (s *Server) updateTag(in *incoming) (any, error) {
	var params sendbee.UpdateTagParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if params.ID == "" {
		return nil, required("id")
	}
	if strings.TrimSpace(params.Name) == "" {
		return nil, required("name")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	i, err := findByID(st.tags, params.ID, tagID, "Tag")
	if err != nil {
		return nil, err
	}
	if j := st.tagIndexByName(params.Name); j >= 0 && j != i {
		return nil, invalid("A tag with this name already exists.")
	}
	st.tags[i].Name = params.Name
	for c := range st.contacts {
		for k := range st.contacts[c].Tags {
			if st.contacts[c].Tags[k].ID == params.ID {
				st.contacts[c].Tags[k] = st.tags[i]
			}
		}
	}
	return dataEnvelope{Data: st.tags[i]}, nil
}

// deleteTag answers DELETE /contacts/tags: removes the tag, from the
// contacts too.
func (s *Server) deleteTag(in *incoming) (any, error) {
	id, err := in.idParam()
	if err != nil {
		return nil, err
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	i, err := findByID(st.tags, id, tagID, "Tag")
	if err != nil {
		return nil, err
	}
	st.tags = slices.Delete(st.tags, i, i+1)
	for c := range st.contacts {
		st.contacts[c].Tags = slices.DeleteFunc(st.contacts[c].Tags, func(t sendbee.Tag) bool { return t.ID == id })
	}
	return dataEnvelope{Data: sendbee.ServerMessage{Message: "Tag deleted"}}, nil
}

// idParam reads the required "id" of a DELETE body.
func (in *incoming) idParam() (string, error) {
	var body struct {
		ID string `json:"id"`
	}
	if err := in.decode(&body); err != nil {
		return "", err
	}
	if body.ID == "" {
		return "", required("id")
	}
	return body.ID, nil
}
