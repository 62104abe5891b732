package sendbeetest

import (
	"slices"
	"strings"

	"github.com/sendbee/sendbee-go"
)

func fieldID(f sendbee.ContactField) string { return f.ID }

// fieldTypes are the types a contact field may have.
func fieldTypes() []string {
	return []string{
		string(sendbee.ContactFieldText), string(sendbee.ContactFieldNumber), string(sendbee.ContactFieldList),
		string(sendbee.ContactFieldDate), string(sendbee.ContactFieldBoolean),
	}
}

// AddContactField stores f as a contact field, with an ID assigned when f
// has none, and returns it. Contacts can fill it by name.
func (s *Server) AddContactField(f sendbee.ContactField) sendbee.ContactField {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.addField(f)
}

// ContactFields returns the stored contact fields, oldest first.
func (s *Server) ContactFields() []sendbee.ContactField {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]sendbee.ContactField, len(st.fields))
	for i, f := range st.fields {
		out[i] = cloneField(f)
	}
	return out
}

// cloneField copies f without its Response.
func cloneField(f sendbee.ContactField) sendbee.ContactField {
	f.Options = slices.Clone(f.Options)
	f.Response = nil
	return f
}

// addField stores a copy of f with an ID. The caller holds mu.
func (st *store) addField(f sendbee.ContactField) sendbee.ContactField {
	f = cloneField(f)
	if f.ID == "" {
		f.ID = st.newID()
	}
	st.fields = append(st.fields, f)
	return cloneField(f)
}

func (st *store) fieldIndexByName(name string) int {
	return slices.IndexFunc(st.fields, func(f sendbee.ContactField) bool { return strings.EqualFold(f.Name, name) })
}

// checkField validates a field as it would be stored: a name, a known
// type, and options for (and only for) a list.
func checkField(f sendbee.ContactField) error {
	if strings.TrimSpace(f.Name) == "" {
		return required("name")
	}
	if f.Type == "" {
		return required("type")
	}
	if err := oneOf("type", string(f.Type), fieldTypes()...); err != nil {
		return err
	}
	if f.Type == sendbee.ContactFieldList && len(f.Options) == 0 {
		return invalid("The options field is required when type is list.")
	}
	return nil
}

// listContactFields answers GET /contacts/fields: search_query filters
// names by substring, ignoring case.
func (s *Server) listContactFields(in *incoming) (any, error) {
	search := strings.ToLower(in.query.Get("search_query"))
	return serveList(s, in, true, func(st *store) ([]sendbee.ContactField, error) {
		return filter(st.fields, func(f sendbee.ContactField) bool { return contains(f.Name, search) }, cloneField), nil
	})
}

// createContactField answers POST /contacts/fields.
func (s *Server) createContactField(in *incoming) (any, error) {
	var params sendbee.CreateContactFieldParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	f := sendbee.ContactField{Name: params.Name, Type: params.Type, Options: params.Options}
	if err := checkField(f); err != nil {
		return nil, err
	}
	if f.Type != sendbee.ContactFieldList {
		f.Options = nil
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.fieldIndexByName(f.Name) >= 0 {
		return nil, invalid("A contact field with this name already exists.")
	}
	return dataEnvelope{Data: st.addField(f)}, nil
}

// updateContactField answers PUT /contacts/fields: the given name, type
// and options replace the stored ones, and the result must still be valid.
func (s *Server) updateContactField(in *incoming) (any, error) {
	var params sendbee.UpdateContactFieldParams
	if err := in.decode(&params); err != nil {
		return nil, err
	}
	if params.ID == "" {
		return nil, required("id")
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	i, err := findByID(st.fields, params.ID, fieldID, "Contact field")
	if err != nil {
		return nil, err
	}
	f := cloneField(st.fields[i])
	if params.Name != "" {
		f.Name = params.Name
	}
	if params.Type != "" {
		f.Type = params.Type
	}
	if params.Options != nil {
		f.Options = slices.Clone(params.Options)
	}
	if f.Type != sendbee.ContactFieldList {
		f.Options = nil
	}
	if err := checkField(f); err != nil {
		return nil, err
	}
	if j := st.fieldIndexByName(f.Name); j >= 0 && j != i {
		return nil, invalid("A contact field with this name already exists.")
	}
	old := st.fields[i].Name
	st.fields[i] = f
	st.renameFieldValues(old, f.Name)
	return dataEnvelope{Data: cloneField(f)}, nil
}

// deleteContactField answers DELETE /contacts/fields: removes the field
// and its values on contacts.
func (s *Server) deleteContactField(in *incoming) (any, error) {
	id, err := in.idParam()
	if err != nil {
		return nil, err
	}
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	i, err := findByID(st.fields, id, fieldID, "Contact field")
	if err != nil {
		return nil, err
	}
	name := st.fields[i].Name
	st.fields = slices.Delete(st.fields, i, i+1)
	for c := range st.contacts {
		st.contacts[c].ContactFields = slices.DeleteFunc(st.contacts[c].ContactFields, func(v sendbee.ContactFieldValue) bool {
			return strings.EqualFold(v.Key, name)
		})
	}
	return dataEnvelope{Data: sendbee.ServerMessage{Message: "Contact field deleted"}}, nil
}

// renameFieldValues moves contacts' values from one field name to another.
// The caller holds mu.
func (st *store) renameFieldValues(from, to string) {
	for c := range st.contacts {
		for k := range st.contacts[c].ContactFields {
			if strings.EqualFold(st.contacts[c].ContactFields[k].Key, from) {
				st.contacts[c].ContactFields[k].Key = to
			}
		}
	}
}
