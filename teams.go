package sendbee

import (
	"context"
	"iter"
	"net/http"
)

// TeamsService lists teams and team members (GET /teams/teams, GET /teams/members).
type TeamsService service

// Team is a team of agents. By the rules at Page, ID and Name sent as a
// number or boolean are its JSON text and as an object or array "";
// Members sent as anything but an array is nil, and its elements that are
// not objects are skipped.
type Team struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Members []TeamMember `json:"members"`
}

// TeamMember is a member as listed inside a Team. A text field sent as a
// number or boolean is its JSON text and as an object or array ""; Online
// and Available follow Bool (see Page).
type TeamMember struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Role is the member's role as the API sends it, such as "admin"; its
	// values are not documented, so it is a plain string.
	Role string `json:"role"`
	// Online and Available decode from booleans, numbers or strings; see Bool.
	Online    Bool `json:"online"`
	Available Bool `json:"available"`
}

// Member is an agent, with the teams they belong to. By the rules at Page,
// a text field sent as a number or boolean is its JSON text and as an
// object or array ""; Online and Available follow Bool; Teams sent as
// anything but an array is nil, and its elements that are not objects are
// skipped.
type Member struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Role is the member's role as the API sends it, such as "agent"; its
	// values are not documented, so it is a plain string.
	Role      string       `json:"role"`
	Online    Bool         `json:"online"`
	Available Bool         `json:"available"`
	Teams     []MemberTeam `json:"teams"`
}

// MemberTeam is a team as listed inside a Member. A field sent as a number
// or boolean is its JSON text, as an object or array "" (see Page).
type MemberTeam struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ListTeamsParams filters GET /teams/teams. All fields are optional. The
// API takes no page size for teams and members, so there is no Limit.
type ListTeamsParams struct {
	// MemberID keeps the teams this member belongs to.
	MemberID string `url:"member_id,omitempty"`
	// Page is the page to fetch, from 1; 0 means the first.
	Page int `url:"page,omitempty"`
}

// List returns the teams (GET /teams/teams). params may be nil.
func (s *TeamsService) List(ctx context.Context, params *ListTeamsParams) (*Page[Team], error) {
	p := orZero(params)
	if p.Page < 0 {
		return nil, invalid("page", "must not be negative")
	}
	return list[Team](ctx, s.client, call{method: http.MethodGet, path: "/teams/teams", query: &p, idempotent: true})
}

// All iterates over every team matching params, one page at a time; see
// ContactsService.All.
func (s *TeamsService) All(ctx context.Context, params *ListTeamsParams) iter.Seq2[Team, error] {
	return walk(ctx, params, s.List)
}

func (p *ListTeamsParams) pageNumber() *int { return &p.Page }

// ListMembersParams filters GET /teams/members. All fields are optional.
type ListMembersParams struct {
	// TeamID keeps the members of this team.
	TeamID string `url:"team_id,omitempty"`
	// Page is the page to fetch, from 1; 0 means the first.
	Page int `url:"page,omitempty"`
}

// Members returns the team members (GET /teams/members). params may be nil.
func (s *TeamsService) Members(ctx context.Context, params *ListMembersParams) (*Page[Member], error) {
	p := orZero(params)
	if p.Page < 0 {
		return nil, invalid("page", "must not be negative")
	}
	return list[Member](ctx, s.client, call{method: http.MethodGet, path: "/teams/members", query: &p, idempotent: true})
}

// AllMembers iterates over every team member matching params, one page at
// a time; see ContactsService.All.
func (s *TeamsService) AllMembers(ctx context.Context, params *ListMembersParams) iter.Seq2[Member, error] {
	return walk(ctx, params, s.Members)
}

func (p *ListMembersParams) pageNumber() *int { return &p.Page }
