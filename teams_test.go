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
