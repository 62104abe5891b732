package sendbeetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
	"github.com/sendbee/sendbee-go/sendbeetest"
)

// names collects what a page's items are called.
func names[T any](t *testing.T, page *sendbee.Page[T], err error, name func(T) string) []string {
	t.Helper()
	require.NoError(t, err)
	out := []string{}
	for _, item := range page.Items {
		out = append(out, name(item))
	}
	return out
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	clock := newManualClock(time.Now().Add(-30 * time.Second))
	srv, client := newServer(t, []sendbeetest.Option{sendbeetest.WithClock(clock.Now)})
	ctx := context.Background()
	srv.AddContact(sendbee.Contact{Name: "Ana Horvat", Phone: "+385991111111", Tags: []sendbee.Tag{{Name: "vip"}}})
	srv.AddContact(sendbee.Contact{Name: "Marko Kovač", Phone: "+385992222222", Tags: []sendbee.Tag{{Name: "lead"}}})
	srv.AddContact(sendbee.Contact{Name: "Ivana Babić", Phone: "+385993333333", Status: sendbee.ContactUnsubscribed, Tags: []sendbee.Tag{{Name: "vip"}, {Name: "lead"}}})
	srv.AddContactField(sendbee.ContactField{Name: "Shirt size", Type: sendbee.ContactFieldText})
	srv.AddContactField(sendbee.ContactField{Name: "Birthday", Type: sendbee.ContactFieldDate})
	first := srv.AddInboundMessage("+385991111111", "Hi")
	clock.Advance(20 * time.Second)
	second := srv.AddInboundMessage("+385992222222", "Hello")
	_, err := client.Conversations.Update(ctx, sendbee.UpdateConversationParams{ID: second.ID, Folder: sendbee.FolderDone})
	require.NoError(t, err)

	contactName := func(c sendbee.Contact) string { return c.Name }
	convName := func(c sendbee.Conversation) string { return c.Contact.Name }

	contacts := func(p sendbee.ListContactsParams) []string {
		page, err := client.Contacts.List(ctx, &p)
		return names(t, page, err, contactName)
	}
	assert.Equal(t, []string{"Ana Horvat", "Ivana Babić"}, contacts(sendbee.ListContactsParams{Tags: []string{"VIP"}}), "tags, ignoring case")
	assert.Equal(t, []string{"Ana Horvat", "Marko Kovač", "Ivana Babić"}, contacts(sendbee.ListContactsParams{Tags: []string{"vip", "lead"}}), "any of the tags")
	assert.Equal(t, []string{"Ivana Babić"}, contacts(sendbee.ListContactsParams{Status: sendbee.ContactUnsubscribed}))
	assert.Equal(t, []string{"Marko Kovač"}, contacts(sendbee.ListContactsParams{SearchQuery: "kovač"}), "search by name")
	assert.Equal(t, []string{"Ivana Babić"}, contacts(sendbee.ListContactsParams{SearchQuery: "3333"}), "search by phone")

	page, err := client.Tags.List(ctx, &sendbee.ListTagsParams{Name: "VI"})
	assert.Equal(t, []string{"vip"}, names(t, page, err, func(tg sendbee.Tag) string { return tg.Name }))

	fields, err := client.ContactFields.List(ctx, &sendbee.ListContactFieldsParams{SearchQuery: "size"})
	assert.Equal(t, []string{"Shirt size"}, names(t, fields, err, func(f sendbee.ContactField) string { return f.Name }))

	templates, err := client.Templates.List(ctx, &sendbee.ListTemplatesParams{Status: sendbee.TemplateApproved, SearchQuery: "order"})
	assert.Equal(t, []string{sendbeetest.TemplateOrderShipped}, names(t, templates, err, func(tp sendbee.Template) string { return tp.Keyword }))

	convs := func(p sendbee.ListConversationsParams) []string {
		page, err := client.Conversations.List(ctx, &p)
		return names(t, page, err, convName)
	}
	assert.Equal(t, []string{"Marko Kovač"}, convs(sendbee.ListConversationsParams{Folder: sendbee.FolderDone}))
	assert.Equal(t, []string{"Ana Horvat"}, convs(sendbee.ListConversationsParams{SearchQuery: "1111"}))
	assert.Equal(t, []string{"Marko Kovač"}, convs(sendbee.ListConversationsParams{DateFrom: second.CreatedAt.Time}), "date_from is inclusive")
	assert.Equal(t, []string{"Ana Horvat"}, convs(sendbee.ListConversationsParams{DateTo: first.CreatedAt.Time}), "date_to is inclusive")
	assert.Empty(t, convs(sendbee.ListConversationsParams{Folder: sendbee.FolderSpam}))
}

func TestTeamsAndMembers(t *testing.T) {
	t.Parallel()
	_, client := newServer(t, nil)
	ctx := context.Background()

	teams, err := client.Teams.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, teams.Items, 2)
	support := teams.Items[0]
	assert.Equal(t, "Support", support.Name)
	require.Len(t, support.Members, 2)

	members, err := client.Teams.Members(ctx, nil)
	require.NoError(t, err)
	require.Len(t, members.Items, 3)
	ana := members.Items[0]
	assert.Equal(t, "admin", ana.Role)
	assert.True(t, bool(ana.Online))
	assert.Len(t, ana.Teams, 2)

	inSupport, err := client.Teams.Members(ctx, &sendbee.ListMembersParams{TeamID: support.ID})
	assert.Equal(t, []string{"Ana Horvat", "Marko Kovač"}, names(t, inSupport, err, func(m sendbee.Member) string { return m.Name }))
	ivanasTeams, err := client.Teams.List(ctx, &sendbee.ListTeamsParams{MemberID: members.Items[2].ID})
	assert.Equal(t, []string{"Sales"}, names(t, ivanasTeams, err, func(tm sendbee.Team) string { return tm.Name }))
}
