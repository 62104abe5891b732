package sendbee

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTeamsListWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "teams_list.json"))

	page, err := c.Teams.List(context.Background(), &ListTeamsParams{MemberID: "u0000000-0000-4000-8000-000000000001", Page: 2})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/teams/teams", query: map[string][]string{
		"member_id": {"u0000000-0000-4000-8000-000000000001"},
		"page":      {"2"},
	}})

	assert.Equal(t, []Team{
		{
			ID: "a0000000-0000-4000-8000-000000000001", Name: "Support",
			Members: []TeamMember{
				{ID: "u0000000-0000-4000-8000-000000000001", Name: "Marko", Role: "admin", Online: true, Available: false},
				{ID: "u0000000-0000-4000-8000-000000000002", Name: "Iva", Role: "agent", Online: false, Available: true},
			},
		},
		{ID: "a0000000-0000-4000-8000-000000000002", Name: "Sales", Members: []TeamMember{}},
	}, page.Items, `online/available from booleans and from "1"/"0"`)
	assert.Equal(t, Meta{}, page.Meta, "no meta: the list is one page")
	assert.False(t, page.HasNext())
}

func TestTeamsMembersWire(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, respondFile(t, http.StatusOK, "members_list.json"))

	page, err := c.Teams.Members(context.Background(), &ListMembersParams{TeamID: "a0000000-0000-4000-8000-000000000001", Page: 1})
	require.NoError(t, err)

	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/teams/members", query: map[string][]string{
		"team_id": {"a0000000-0000-4000-8000-000000000001"},
		"page":    {"1"},
	}})

	assert.Equal(t, []Member{
		{
			ID: "u0000000-0000-4000-8000-000000000001", Name: "Marko", Role: "admin", Online: true, Available: false,
			Teams: []MemberTeam{
				{ID: "a0000000-0000-4000-8000-000000000001", Name: "Support"},
				{ID: "a0000000-0000-4000-8000-000000000002", Name: "Sales"},
			},
		},
		{
			ID: "u0000000-0000-4000-8000-000000000002", Name: "Iva", Role: "agent", Online: true, Available: false,
			Teams: []MemberTeam{{ID: "a0000000-0000-4000-8000-000000000001", Name: "Support"}},
		},
	}, page.Items, `online/available as booleans in one, "1"/"0" in the other`)
}

func TestTeamsNilParamsSendNoQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		path string
		call func(ctx context.Context, c *Client) error
	}{
		{name: "List", path: "/teams/teams", call: func(ctx context.Context, c *Client) error {
			_, err := c.Teams.List(ctx, nil)
			return err
		}},
		{name: "Members", path: "/teams/members", call: func(ctx context.Context, c *Client) error {
			_, err := c.Teams.Members(ctx, nil)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, respond(http.StatusOK, `{"data":[]}`))

			require.NoError(t, tc.call(context.Background(), c))

			assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: tc.path})
		})
	}
}

func TestTeamsValidation(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "List negative page", field: "page", call: func(ctx context.Context, c *Client) error {
			_, err := c.Teams.List(ctx, &ListTeamsParams{Page: -1})
			return err
		}},
		{name: "Members negative page", field: "page", call: func(ctx context.Context, c *Client) error {
			_, err := c.Teams.Members(ctx, &ListMembersParams{Page: -1})
			return err
		}},
	})
}

// teamsPage answers one page of a two-page list whose items are {"id":"<prefix><page>"}.
func teamsPage(prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		if page == "" {
			page = "1"
		}
		respond(http.StatusOK, `{"data":[{"id":"`+prefix+page+`"}],"meta":{"current_page":`+page+`,"last_page":2}}`)(w, r)
	}
}

func TestTeamsAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, filter string
		ids                func(ctx context.Context, c *Client) ([]string, error)
	}{
		{name: "All", path: "/teams/teams", filter: "member_id", ids: func(ctx context.Context, c *Client) ([]string, error) {
			teams, err := collect(c.Teams.All(ctx, &ListTeamsParams{MemberID: "m1"}))
			var ids []string
			for _, team := range teams {
				ids = append(ids, team.ID)
			}
			return ids, err
		}},
		{name: "AllMembers", path: "/teams/members", filter: "team_id", ids: func(ctx context.Context, c *Client) ([]string, error) {
			members, err := collect(c.Teams.AllMembers(ctx, &ListMembersParams{TeamID: "m1"}))
			var ids []string
			for _, m := range members {
				ids = append(ids, m.ID)
			}
			return ids, err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newWireServer(t, teamsPage("x"))

			ids, err := tc.ids(context.Background(), c)
			require.NoError(t, err)

			assert.Equal(t, []string{"x1", "x2"}, ids)
			reqs := srv.Requests()
			require.Len(t, reqs, 2)
			assertRequest(t, reqs[0], wantRequest{method: http.MethodGet, path: tc.path, query: map[string][]string{tc.filter: {"m1"}}})
			assertRequest(t, reqs[1], wantRequest{method: http.MethodGet, path: tc.path, query: map[string][]string{tc.filter: {"m1"}, "page": {"2"}}})
		})
	}
}

func TestTeamsAllStartsAtParamsPageAndLeavesParams(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, teamsPage("m"))
	params := &ListMembersParams{Page: 2}

	members, err := collect(c.Teams.AllMembers(context.Background(), params))
	require.NoError(t, err)

	require.Len(t, members, 1)
	assert.Equal(t, "m2", members[0].ID)
	assertRequest(t, srv.Only(t), wantRequest{method: http.MethodGet, path: "/teams/members", query: map[string][]string{"page": {"2"}}})
	assert.Equal(t, 2, params.Page, "All does not change the caller's params")
}

func TestTeamsAllYieldsValidationError(t *testing.T) {
	t.Parallel()
	c, srv := newWireServer(t, teamsPage("t"))

	_, err := collect(c.Teams.All(context.Background(), &ListTeamsParams{Page: -1}))

	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "page", verr.Field)
	assert.Empty(t, srv.Requests(), "nothing is sent")
}

func TestMemberRoleKeepsAnyValue(t *testing.T) {
	t.Parallel()
	c, _ := newWireServer(t, respond(http.StatusOK, `{"data":[{"id":"u1","role":"supervisor","teams":[]}]}`))

	page, err := c.Teams.Members(context.Background(), nil)
	require.NoError(t, err)

	assert.Equal(t, "supervisor", page.Items[0].Role, "undocumented values pass through as they are")
}
