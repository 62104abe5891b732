package sendbeetest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sendbee/sendbee-go"
)

func memberNames(members []sendbee.Member) []string {
	out := []string{}
	for _, m := range members {
		out = append(out, m.Name)
	}
	return out
}

func teamNames(teams []sendbee.Team) []string {
	out := []string{}
	for _, t := range teams {
		out = append(out, t.Name)
	}
	return out
}

func memberTeamNames(teams []sendbee.MemberTeam) []string {
	out := []string{}
	for _, t := range teams {
		out = append(out, t.Name)
	}
	return out
}

func teamMemberNames(t sendbee.Team) []string {
	out := []string{}
	for _, m := range t.Members {
		out = append(out, m.Name)
	}
	return out
}

func TestAddMemberJoinsTeamsByIDOrName(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ctx := context.Background()
	sales := srv.Teams()[1]

	added := srv.AddMember(sendbee.Member{
		Name: "Luka Perić", Role: "supervisor", Online: true,
		Teams: []sendbee.MemberTeam{{Name: "SUPPORT"}, {ID: sales.ID}, {Name: "Billing"}, {Name: "support"}},
	})

	assert.NotEmpty(t, added.ID, "an ID is assigned")
	assert.Equal(t, []string{"Support", "Sales", "Billing"}, memberTeamNames(added.Teams), "matched by name ignoring case, by ID, or created; once each")
	assert.Equal(t, []string{"Support", "Sales", "Billing"}, teamNames(srv.Teams()))
	assert.Equal(t, []string{"Ana Horvat", "Marko Kovač", "Luka Perić"}, teamMemberNames(srv.Teams()[0]), "the team lists its new member")

	billing := srv.Teams()[2]
	page, err := client.Teams.Members(ctx, &sendbee.ListMembersParams{TeamID: billing.ID})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, added.ID, page.Items[0].ID)
	assert.Equal(t, "supervisor", page.Items[0].Role)
	teams, err := client.Teams.List(ctx, &sendbee.ListTeamsParams{MemberID: added.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{"Support", "Sales", "Billing"}, teamNames(teams.Items))
}

func TestAddMemberReplacesByID(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, nil)
	marko := srv.Members()[1]

	srv.AddMember(sendbee.Member{ID: marko.ID, Name: "Marko K.", Role: "admin", Teams: []sendbee.MemberTeam{{Name: "Sales"}}})

	assert.Equal(t, []string{"Ana Horvat", "Marko K.", "Ivana Babić"}, memberNames(srv.Members()), "replaced in place")
	assert.Equal(t, []string{"Sales"}, memberTeamNames(srv.Members()[1].Teams))
	assert.Equal(t, []string{"Ana Horvat"}, teamMemberNames(srv.Teams()[0]), "Marko left Support")
	assert.Equal(t, []string{"Ana Horvat", "Marko K.", "Ivana Babić"}, teamMemberNames(srv.Teams()[1]))
}

func TestAddTeamWithExistingAndNewMembers(t *testing.T) {
	t.Parallel()
	srv, client := newServer(t, nil)
	ivana := srv.Members()[2]

	team := srv.AddTeam(sendbee.Team{Name: "Night shift", Members: []sendbee.TeamMember{
		{ID: ivana.ID, Name: "ignored", Role: "ignored"},
		{Name: "Petra Jurić", Role: "agent", Available: true},
	}})

	assert.NotEmpty(t, team.ID)
	assert.Equal(t, []string{"Ivana Babić", "Petra Jurić"}, teamMemberNames(team), "a matched member keeps its own name")
	members := srv.Members()
	assert.Equal(t, []string{"Ana Horvat", "Marko Kovač", "Ivana Babić", "Petra Jurić"}, memberNames(members))
	assert.Equal(t, []string{"Sales", "Night shift"}, memberTeamNames(members[2].Teams))
	assert.Equal(t, "agent", members[2].Role)
	assert.Equal(t, []string{"Night shift"}, memberTeamNames(members[3].Teams))
	assert.True(t, bool(members[3].Available))

	page, err := client.Teams.List(context.Background(), &sendbee.ListTeamsParams{MemberID: members[3].ID})
	require.NoError(t, err)
	assert.Equal(t, []string{"Night shift"}, teamNames(page.Items))
}

func TestAddTeamReplacesByID(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, nil)
	support := srv.Teams()[0]
	ana := srv.Members()[0]

	renamed := srv.AddTeam(sendbee.Team{ID: support.ID, Name: "Help desk", Members: []sendbee.TeamMember{{ID: ana.ID}}})

	assert.Equal(t, support.ID, renamed.ID)
	assert.Equal(t, []string{"Help desk", "Sales"}, teamNames(srv.Teams()), "replaced in place")
	assert.Equal(t, []string{"Ana Horvat"}, teamMemberNames(renamed), "Marko is not listed, so he left")
	assert.Equal(t, []string{"Help desk", "Sales"}, memberTeamNames(srv.Members()[0].Teams), "members see the new name")
	assert.Empty(t, srv.Members()[1].Teams)
}

func TestAddTeamWithoutMembersAnswersEmptyArray(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, nil)
	srv.AddTeam(sendbee.Team{Name: "Empty"})

	resp := do(t, srv, http.MethodGet, "/teams/teams?page=1", "", signed(srv, time.Now()))
	require.Equal(t, http.StatusOK, resp.Status)
	assert.Contains(t, string(resp.Body), `"name":"Empty","members":[]`, "as the API sends it, not null")
}

func TestTeamsAndMembersAreCopies(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, nil)

	teams := srv.Teams()
	teams[0].Name = "changed"
	teams[0].Members[0].Name = "changed"
	members := srv.Members()
	members[0].Teams[0].Name = "changed"

	assert.Equal(t, "Support", srv.Teams()[0].Name)
	assert.Equal(t, "Ana Horvat", srv.Teams()[0].Members[0].Name)
	assert.Equal(t, "Support", srv.Members()[0].Teams[0].Name)
}

func TestStoredRecordsKeepNoResponse(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, nil)
	resp := &sendbee.Response{StatusCode: 200}

	srv.AddContact(sendbee.Contact{Phone: "+1", Response: resp, Tags: []sendbee.Tag{{Name: "vip", Response: resp}}})
	srv.AddTag(sendbee.Tag{Name: "lead", Response: resp})
	srv.AddContactField(sendbee.ContactField{Name: "Size", Type: sendbee.ContactFieldText, Response: resp})

	assert.Nil(t, srv.Contacts()[0].Response)
	for _, tag := range srv.Tags() {
		assert.Nil(t, tag.Response)
	}
	assert.Nil(t, srv.ContactFields()[0].Response)
}
