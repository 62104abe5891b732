package sendbeetest

import (
	"slices"
	"strings"

	"github.com/sendbee/sendbee-go"
)

// The store keeps each team as a record (ID and name) and each member with
// the IDs of its teams; a team's members and a member's team names are put
// together when read, so the two views always agree.

func teamID(t sendbee.MemberTeam) string { return t.ID }
func memberID(m sendbee.Member) string   { return m.ID }

// seedTeams stores the teams and members every server starts with: Ana
// (admin, in Support and Sales), Marko (agent, Support) and Ivana (agent,
// Sales). The caller holds mu or owns st alone.
func (st *store) seedTeams() {
	support := sendbee.MemberTeam{ID: st.newID(), Name: "Support"}
	sales := sendbee.MemberTeam{ID: st.newID(), Name: "Sales"}
	st.teams = []sendbee.MemberTeam{support, sales}
	st.members = []sendbee.Member{
		{ID: st.newID(), Name: "Ana Horvat", Role: "admin", Online: true, Available: true, Teams: []sendbee.MemberTeam{support, sales}},
		{ID: st.newID(), Name: "Marko Kovač", Role: "agent", Online: true, Available: false, Teams: []sendbee.MemberTeam{support}},
		{ID: st.newID(), Name: "Ivana Babić", Role: "agent", Online: false, Available: false, Teams: []sendbee.MemberTeam{sales}},
	}
}

// AddTeam stores t as a team and returns it as stored: an ID is assigned
// when t has none, and a team with t's ID is replaced (renamed, its members
// set anew). t.Members become the team's members: each is matched to a
// stored member by ID, and one with no ID or an unknown ID is added as a
// new member (see AddMember) in this team. A matched member keeps its own
// name, role and flags. Members of a replaced team that t does not list
// leave it.
func (s *Server) AddTeam(t sendbee.Team) sendbee.Team {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	team := sendbee.MemberTeam{ID: t.ID, Name: t.Name}
	if team.ID == "" {
		team.ID = st.newID()
	}
	if i := indexByID(st.teams, team.ID, teamID); i >= 0 {
		st.teams[i] = team
	} else {
		st.teams = append(st.teams, team)
	}
	var listed []string
	for _, tm := range t.Members {
		i := indexByID(st.members, tm.ID, memberID)
		if tm.ID == "" || i < 0 {
			st.members = append(st.members, sendbee.Member{
				ID: tm.ID, Name: tm.Name, Role: tm.Role, Online: tm.Online, Available: tm.Available,
			})
			i = len(st.members) - 1
			if st.members[i].ID == "" {
				st.members[i].ID = st.newID()
			}
		}
		listed = append(listed, st.members[i].ID)
	}
	for i := range st.members {
		m := &st.members[i]
		switch member := slices.Contains(listed, m.ID); {
		case member && !inTeam(*m, team.ID):
			m.Teams = append(m.Teams, team)
		case !member:
			m.Teams = slices.DeleteFunc(m.Teams, func(mt sendbee.MemberTeam) bool { return mt.ID == team.ID })
		}
	}
	return st.teamView(team)
}

// AddMember stores m as a team member and returns it as stored: an ID is
// assigned when m has none, and a member with m's ID is replaced. m.Teams
// are the member's teams: each is matched to a stored team by ID, else by
// name ignoring case, and one that matches none is created (with its ID,
// or a new one).
func (s *Server) AddMember(m sendbee.Member) sendbee.Member {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if m.ID == "" {
		m.ID = st.newID()
	}
	teams := make([]sendbee.MemberTeam, 0, len(m.Teams))
	for _, want := range m.Teams {
		team := st.teamFor(want)
		if !slices.ContainsFunc(teams, func(have sendbee.MemberTeam) bool { return have.ID == team.ID }) {
			teams = append(teams, team)
		}
	}
	m.Teams = teams
	if i := indexByID(st.members, m.ID, memberID); i >= 0 {
		st.members[i] = m
	} else {
		st.members = append(st.members, m)
	}
	return st.memberView(m)
}

// teamFor returns the stored team want names, by ID, else by name ignoring
// case, creating it when there is none. The caller holds mu.
func (st *store) teamFor(want sendbee.MemberTeam) sendbee.MemberTeam {
	i := -1
	if want.ID != "" {
		i = indexByID(st.teams, want.ID, teamID)
	} else {
		i = slices.IndexFunc(st.teams, func(t sendbee.MemberTeam) bool { return strings.EqualFold(t.Name, want.Name) })
	}
	if i >= 0 {
		return st.teams[i]
	}
	if want.ID == "" {
		want.ID = st.newID()
	}
	st.teams = append(st.teams, want)
	return want
}

// Teams returns the stored teams with their members, oldest first.
func (s *Server) Teams() []sendbee.Team {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.teamViews(func(sendbee.Team) bool { return true })
}

// Members returns the stored team members with their teams, oldest first.
func (s *Server) Members() []sendbee.Member {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.memberViews(func(sendbee.Member) bool { return true })
}

// teamView is team as the API shows it, with its members (never nil). The
// caller holds mu.
func (st *store) teamView(team sendbee.MemberTeam) sendbee.Team {
	t := sendbee.Team{ID: team.ID, Name: team.Name, Members: []sendbee.TeamMember{}}
	for _, m := range st.members {
		if inTeam(m, team.ID) {
			t.Members = append(t.Members, sendbee.TeamMember{ID: m.ID, Name: m.Name, Role: m.Role, Online: m.Online, Available: m.Available})
		}
	}
	return t
}

// memberView is m as the API shows it, with its teams' current names
// (never nil). The caller holds mu.
func (st *store) memberView(m sendbee.Member) sendbee.Member {
	teams := make([]sendbee.MemberTeam, 0, len(m.Teams))
	for _, mt := range m.Teams {
		if i := indexByID(st.teams, mt.ID, teamID); i >= 0 {
			teams = append(teams, st.teams[i])
		}
	}
	m.Teams = teams
	return m
}

// teamViews returns the views of the teams keep accepts. The caller holds mu.
func (st *store) teamViews(keep func(sendbee.Team) bool) []sendbee.Team {
	return views(st.teams, st.teamView, keep)
}

// memberViews returns the views of the members keep accepts. The caller holds mu.
func (st *store) memberViews(keep func(sendbee.Member) bool) []sendbee.Member {
	return views(st.members, st.memberView, keep)
}

// views returns the views of items that keep accepts, in order.
func views[T, V any](items []T, view func(T) V, keep func(V) bool) []V {
	var out []V
	for _, item := range items {
		if v := view(item); keep(v) {
			out = append(out, v)
		}
	}
	return out
}

func inTeam(m sendbee.Member, teamID string) bool {
	return slices.ContainsFunc(m.Teams, func(t sendbee.MemberTeam) bool { return t.ID == teamID })
}

// listTeams answers GET /teams/teams: member_id keeps the teams that
// member belongs to.
func (s *Server) listTeams(in *incoming) (any, error) {
	memberID := in.query.Get("member_id")
	return serveList(s, in, false, func(st *store) ([]sendbee.Team, error) {
		return st.teamViews(func(t sendbee.Team) bool {
			return memberID == "" || slices.ContainsFunc(t.Members, func(m sendbee.TeamMember) bool { return m.ID == memberID })
		}), nil
	})
}

// listMembers answers GET /teams/members: team_id keeps that team's members.
func (s *Server) listMembers(in *incoming) (any, error) {
	teamID := in.query.Get("team_id")
	return serveList(s, in, false, func(st *store) ([]sendbee.Member, error) {
		return st.memberViews(func(m sendbee.Member) bool { return teamID == "" || inTeam(m, teamID) }), nil
	})
}
