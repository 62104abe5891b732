package sendbeetest

import (
	"slices"

	"github.com/sendbee/sendbee-go"
)

// seedTeams stores the teams and members every server starts with: Ana
// (admin, in Support and Sales), Marko (agent, Support) and Ivana (agent,
// Sales). The caller holds mu or owns st alone.
func (st *store) seedTeams() {
	support := sendbee.MemberTeam{ID: st.newID(), Name: "Support"}
	sales := sendbee.MemberTeam{ID: st.newID(), Name: "Sales"}
	st.members = []sendbee.Member{
		{ID: st.newID(), Name: "Ana Horvat", Role: "admin", Online: true, Available: true, Teams: []sendbee.MemberTeam{support, sales}},
		{ID: st.newID(), Name: "Marko Kovač", Role: "agent", Online: true, Available: false, Teams: []sendbee.MemberTeam{support}},
		{ID: st.newID(), Name: "Ivana Babić", Role: "agent", Online: false, Available: false, Teams: []sendbee.MemberTeam{sales}},
	}
	for _, team := range []sendbee.MemberTeam{support, sales} {
		t := sendbee.Team{ID: team.ID, Name: team.Name}
		for _, m := range st.members {
			if slices.Contains(m.Teams, team) {
				t.Members = append(t.Members, sendbee.TeamMember{ID: m.ID, Name: m.Name, Role: m.Role, Online: m.Online, Available: m.Available})
			}
		}
		st.teams = append(st.teams, t)
	}
}

// listTeams answers GET /teams/teams: member_id keeps the teams that
// member belongs to.
func (s *Server) listTeams(in *incoming) (any, error) {
	memberID := in.query.Get("member_id")
	return serveList(s, in, false, func(st *store) ([]sendbee.Team, error) {
		return filter(st.teams, func(t sendbee.Team) bool {
			return memberID == "" || slices.ContainsFunc(t.Members, func(m sendbee.TeamMember) bool { return m.ID == memberID })
		}, func(t sendbee.Team) sendbee.Team {
			t.Members = slices.Clone(t.Members)
			return t
		}), nil
	})
}

// listMembers answers GET /teams/members: team_id keeps that team's members.
func (s *Server) listMembers(in *incoming) (any, error) {
	teamID := in.query.Get("team_id")
	return serveList(s, in, false, func(st *store) ([]sendbee.Member, error) {
		return filter(st.members, func(m sendbee.Member) bool {
			return teamID == "" || slices.ContainsFunc(m.Teams, func(t sendbee.MemberTeam) bool { return t.ID == teamID })
		}, func(m sendbee.Member) sendbee.Member {
			m.Teams = slices.Clone(m.Teams)
			return m
		}), nil
	})
}
