/* Store tests: projects (store/projects/projects.c) — a project read back field for field with
 * what it links to (a topic's title, a commitment's problem and pairing); the state move and
 * the edit taking the version one up, the edit refused (DB_DONE, nothing written) on a stale
 * version or a budget lowered below what is spent without a reason; spending kept equal to
 * the sum of its entries and refused over the budget without a reason; the walk over scopes
 * with its filters and cursor; the public list; milestones and their counts; the history. */
#include "store_fixture.h"

#include "store/deliberation/deliberation.h"
#include "store/party/pairings.h"
#include "store/party/party.h"
#include "store/projects/projects.h"
#include "store/stmt.h"

#define COMMUNITY2 "110101001002"

static struct project_row project_of(const char *region, const char *state, int64_t budget)
{
	return (struct project_row){.region_code = region,
	                            .kind = "livelihood",
	                            .title = "加装电梯",
	                            .budget_fen = budget,
	                            .responsible_unit = "区住建委",
	                            .state = state,
	                            .created_at = NOW,
	                            .updated_at = NOW};
}

static int64_t add_project(struct fixture *f, struct project_row *p)
{
	assert_int_equal(store_projects_insert(f->db, p), DB_OK);
	assert_true(p->id > 0);
	return p->id;
}

static int64_t add_org(struct fixture *f, const char *name, enum party_kind kind)
{
	struct party_org_row o = {.name = name,
	                          .kind = kind,
	                          .region_code = "110101001001",
	                          .active = true,
	                          .created_at = NOW,
	                          .updated_at = NOW};
	assert_int_equal(store_party_orgs_insert(f->db, &o), DB_OK);
	return o.id;
}

/* A pairing with one commitment: the commitment's id, its pairing's in *pairing. */
static int64_t add_commitment(struct fixture *f, int64_t *pairing)
{
	struct pairing_row p = {.unit_org_id = add_org(f, "区住建委党支部", PARTY_BRANCH),
	                        .community_org_id = add_org(f, "社区党委", PARTY_COMMITTEE),
	                        .unit = "区住建委",
	                        .region_code = "110101001001",
	                        .title = "共建",
	                        .signed_on = "2026-03-01",
	                        .active = true,
	                        .created_at = NOW,
	                        .updated_at = NOW};
	assert_int_equal(store_pairings_insert(f->db, &p), DB_OK);
	struct commitment_row c = {.pairing_id = p.id,
	                           .problem = "楼道照明差",
	                           .responsible = "王工",
	                           .deadline = "2026-09-30",
	                           .status = COMMIT_PROPOSED,
	                           .created_at = NOW,
	                           .updated_at = NOW};
	assert_int_equal(store_commitments_insert(f->db, &c), DB_OK);
	*pairing = p.id;
	return c.id;
}

static void test_insert_get(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "staff", false);
	struct topic_row t = {.region_code = GRID,
	                      .procedure = "six_step",
	                      .stage = "executing",
	                      .title = "议题甲",
	                      .body = "正文",
	                      .created_at = NOW};
	assert_int_equal(store_topics_insert(f->db, &t), DB_OK);
	struct project_row p = project_of(GRID, "planned", 1000000);
	p.description = "三号楼";
	p.link_kind = "topic";
	p.link_id = t.id;
	p.starts_on = "2026-05-01";
	p.ends_on = "2026-10-01";
	p.created_by = u;
	add_project(f, &p);
	struct project_row got;
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_string_equal(got.region_code, GRID);
	assert_string_equal(got.region_name, "第一网格");
	assert_string_equal(got.kind, "livelihood");
	assert_string_equal(got.title, "加装电梯");
	assert_string_equal(got.description, "三号楼");
	assert_int_equal(got.budget_fen, 1000000);
	assert_int_equal(got.spent_fen, 0);
	assert_string_equal(got.responsible_unit, "区住建委");
	assert_string_equal(got.state, "planned");
	assert_string_equal(got.link_kind, "topic");
	assert_int_equal(got.link_id, t.id);
	assert_string_equal(got.link_title, "议题甲");
	assert_int_equal(got.link_pairing_id, 0);
	assert_string_equal(got.starts_on, "2026-05-01");
	assert_string_equal(got.ends_on, "2026-10-01");
	assert_int_equal(got.created_by, u);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.updated_at, NOW);
	assert_int_equal(got.version, 1);
	assert_int_equal(got.milestones, 0);
	assert_int_equal(got.milestones_done, 0);
	/* A commitment's problem and pairing; no link at all. */
	int64_t pairing;
	struct project_row pc = project_of(GRID, "planned", 0);
	pc.link_kind = "commitment";
	pc.link_id = add_commitment(f, &pairing);
	add_project(f, &pc);
	assert_int_equal(store_projects_get(f->db, &f->a, pc.id, &got), DB_ROW);
	assert_string_equal(got.link_title, "楼道照明差");
	assert_int_equal(got.link_pairing_id, pairing);
	struct project_row none = project_of(GRID, "planned", 0);
	add_project(f, &none);
	assert_int_equal(store_projects_get(f->db, &f->a, none.id, &got), DB_ROW);
	assert_null(got.link_kind);
	assert_null(got.link_title);
	assert_null(got.description);
	assert_int_equal(got.created_by, 0);
	assert_int_equal(store_projects_get(f->db, &f->a, none.id + 100, &got), DB_DONE);
	/* The schema refuses a negative budget, an unknown state and an unknown region. */
	none.budget_fen = -1;
	assert_int_equal(store_projects_insert(f->db, &none), DB_CONSTRAINT);
	none.budget_fen = 0;
	none.state = "started";
	assert_int_equal(store_projects_insert(f->db, &none), DB_CONSTRAINT);
	none.state = "planned";
	none.region_code = "110199";
	assert_int_equal(store_projects_insert(f->db, &none), DB_CONSTRAINT);
}

static void test_state_and_edit(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	struct project_row p = project_of(GRID, "planned", 100000);
	add_project(f, &p);
	assert_int_equal(store_projects_set_state(f->db, p.id, "underway", NOW + 10), DB_OK);
	struct project_row got;
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_string_equal(got.state, "underway");
	assert_int_equal(got.updated_at, NOW + 10);
	assert_int_equal(got.version, 2);
	assert_int_equal(store_projects_set_state(f->db, p.id + 100, "underway", NOW), DB_DONE);
	assert_int_equal(store_projects_set_state(f->db, p.id, "started", NOW), DB_CONSTRAINT);
	/* An edit at the current version writes and takes the version up. */
	struct project_row e = got;
	e.title = "加装电梯（二期）";
	e.description = "增补";
	e.kind = "renovation";
	e.budget_fen = 150000;
	e.responsible_unit = "街道";
	e.starts_on = "2026-06-01";
	e.ends_on = NULL;
	e.updated_at = NOW + 20;
	assert_int_equal(store_projects_edit(f->db, &e, NULL), DB_OK);
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_int_equal(got.version, 3);
	assert_string_equal(got.title, "加装电梯（二期）");
	assert_string_equal(got.description, "增补");
	assert_string_equal(got.kind, "renovation");
	assert_int_equal(got.budget_fen, 150000);
	assert_string_equal(got.responsible_unit, "街道");
	assert_string_equal(got.starts_on, "2026-06-01");
	assert_null(got.ends_on);
	assert_int_equal(got.updated_at, NOW + 20);
	assert_string_equal(got.state, "underway"); /* an edit leaves the state */
	/* The same edit again is stale: nothing written. */
	e.title = "过期的修改";
	assert_int_equal(store_projects_edit(f->db, &e, NULL), DB_DONE);
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_int_equal(got.version, 3);
	assert_string_equal(got.title, "加装电梯（二期）");
	/* 120000 spent: lowering to 100000 needs a reason; to 130000 does not. */
	struct project_spending_row s = {.project_id = p.id,
	                                 .amount_fen = 120000,
	                                 .spent_on = "2026-06-02",
	                                 .note = "设备款",
	                                 .created_at = NOW};
	assert_int_equal(store_project_spending_add(f->db, &s), DB_OK);
	e = got;
	e.budget_fen = 100000;
	assert_int_equal(store_projects_edit(f->db, &e, NULL), DB_DONE);
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_int_equal(got.budget_fen, 150000);
	assert_int_equal(got.version, 3);
	e.budget_fen = 130000;
	assert_int_equal(store_projects_edit(f->db, &e, NULL), DB_OK);
	e.version = 4;
	e.budget_fen = 100000;
	assert_int_equal(store_projects_edit(f->db, &e, "追减预算"), DB_OK);
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_int_equal(got.budget_fen, 100000);
	assert_int_equal(got.version, 5);
	assert_int_equal(got.spent_fen, 120000); /* an edit leaves the spending */
	/* Already over: keeping (or raising) the budget needs no reason. */
	e.version = 5;
	assert_int_equal(store_projects_edit(f->db, &e, NULL), DB_OK);
}

static int64_t spent_of(struct fixture *f, int64_t project)
{
	int64_t s = -1;
	assert_int_equal(sql_int(f->db,
	                         "SELECT coalesce(sum(amount_fen), 0) FROM project_spending WHERE "
	                         "project_id = ?",
	                         ARGS(ARG_INT(project)), &s),
	                 DB_OK);
	return s;
}

static void test_spending(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "staff", false);
	struct project_row p = project_of(GRID, "underway", 10000);
	add_project(f, &p);
	struct project_spending_row s = {.project_id = p.id,
	                                 .amount_fen = 6000,
	                                 .spent_on = "2026-06-01",
	                                 .note = "材料",
	                                 .created_by = u,
	                                 .created_at = NOW};
	assert_int_equal(store_project_spending_add(f->db, &s), DB_OK);
	int64_t first = s.id;
	s.amount_fen = 4000; /* exactly the budget */
	assert_int_equal(store_project_spending_add(f->db, &s), DB_OK);
	/* Over the budget without a reason: refused, nothing written. */
	s.amount_fen = 1;
	assert_int_equal(store_project_spending_add(f->db, &s), DB_DONE);
	struct project_row got;
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_int_equal(got.spent_fen, 10000);
	assert_int_equal(got.spent_fen, spent_of(f, p.id));
	s.over_reason = "追加工程量";
	assert_int_equal(store_project_spending_add(f->db, &s), DB_OK);
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &got), DB_ROW);
	assert_int_equal(got.spent_fen, 10001);
	assert_int_equal(got.spent_fen, spent_of(f, p.id));
	assert_int_equal(got.version, 1); /* spending is no edit of the project */
	struct project_spending_row *rows;
	size_t n;
	assert_int_equal(store_project_spending_list(f->db, &f->a, p.id, &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, first);
	assert_int_equal(rows[0].amount_fen, 6000);
	assert_string_equal(rows[0].spent_on, "2026-06-01");
	assert_string_equal(rows[0].note, "材料");
	assert_null(rows[0].over_reason);
	assert_int_equal(rows[0].created_by, u);
	assert_string_equal(rows[2].over_reason, "追加工程量");
	s.project_id = p.id + 100;
	assert_int_equal(store_project_spending_add(f->db, &s), DB_DONE);
}

static void test_walk_and_public(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	insert_region(f->db, COMMUNITY2, "110101001", "另一社区");
	int64_t pairing;
	int64_t commitment = add_commitment(f, &pairing);
	/* p[0] planned, p[1] underway at the community, p[2] completed other unit, p[3] in the
	 * other community underway, p[4] accepted and linked to the commitment. */
	struct project_row p[5] = {
	    project_of(GRID, "planned", 1), project_of("110101001001", "underway", 1),
	    project_of(GRID, "completed", 1), project_of(COMMUNITY2, "underway", 1),
	    project_of(GRID, "accepted", 1)};
	p[2].responsible_unit = "街道";
	p[2].kind = "service";
	p[4].link_kind = "commitment";
	p[4].link_id = commitment;
	for (int i = 0; i < 5; i++)
		add_project(f, &p[i]);
	struct scopes sc = {.prefix = {"110101001001"}, .n = 1};
	struct project_filter any = {0};
	struct page_after start = {"", 0};
	struct project_row *rows;
	size_t n;
	/* By (region_code, id): the community's own first, then the grid's. */
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &any, start, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 4);
	const int64_t order[] = {p[1].id, p[0].id, p[2].id, p[4].id};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].id, order[i]);
	/* A page of two, then the rest from its last row. */
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &any, start, 2, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	struct page_after next = {rows[1].region_code, rows[1].id};
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &any, next, 10, &rows, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, p[2].id);
	assert_int_equal(rows[1].id, p[4].id);
	struct project_filter by_state = {.state = "underway"};
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &by_state, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, p[1].id);
	struct project_filter by_unit = {.unit = "街道", .kind = "service"};
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &by_unit, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, p[2].id);
	struct project_filter by_link = {.link_kind = "commitment", .link_id = commitment};
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &by_link, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, p[4].id);
	struct project_filter by_pairing = {.pairing_id = pairing};
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &by_pairing, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 1);
	by_pairing.pairing_id = pairing + 100;
	assert_int_equal(store_projects_walk(f->db, &f->a, &sc, &by_pairing, start, 10, &rows, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
	/* Public: underway, completed or accepted under the prefix, newest first. */
	assert_int_equal(store_projects_public(f->db, &f->a, "110101001001", &rows, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, p[4].id);
	assert_int_equal(rows[1].id, p[2].id);
	assert_int_equal(rows[2].id, p[1].id);
	assert_int_equal(store_projects_public(f->db, &f->a, "110101", &rows, &n), DB_OK);
	assert_int_equal(n, 4);
}

static void test_milestones_and_events(void **state)
{
	struct fixture *f = *state;
	seed_grid(f->db);
	int64_t u = add_user(f->db, "staff", false);
	struct project_row p = project_of(GRID, "underway", 1),
	                   other = project_of(GRID, "planned", 1);
	add_project(f, &p);
	add_project(f, &other);
	const char *due[] = {"2026-09-01", "2026-07-01", "2026-07-01"};
	struct project_milestone_row m[3];
	for (int i = 0; i < 3; i++) {
		m[i] = (struct project_milestone_row){.project_id = p.id,
		                                      .title = "施工",
		                                      .due_on = due[i],
		                                      .created_at = NOW,
		                                      .updated_at = NOW};
		assert_int_equal(store_project_milestones_insert(f->db, &m[i]), DB_OK);
	}
	struct project_milestone_row got;
	assert_int_equal(store_project_milestones_get(f->db, &f->a, m[0].id, &got), DB_ROW);
	assert_int_equal(got.project_id, p.id);
	assert_string_equal(got.due_on, "2026-09-01");
	assert_null(got.done_on);
	assert_null(got.photos);
	got.done_on = "2026-08-30";
	got.photos = "[\"ab\"]";
	got.title = "竣工";
	got.updated_at = NOW + 5;
	assert_int_equal(store_project_milestones_update(f->db, &got), DB_OK);
	assert_int_equal(store_project_milestones_get(f->db, &f->a, m[0].id, &got), DB_ROW);
	assert_string_equal(got.title, "竣工");
	assert_string_equal(got.done_on, "2026-08-30");
	assert_string_equal(got.photos, "[\"ab\"]");
	assert_int_equal(got.updated_at, NOW + 5);
	got.id = m[2].id + 100;
	assert_int_equal(store_project_milestones_update(f->db, &got), DB_DONE);
	struct project_milestone_row *ms;
	size_t n;
	assert_int_equal(store_project_milestones_list(f->db, &f->a, p.id, &ms, &n), DB_OK);
	assert_int_equal(n, 3); /* by due day, then id */
	assert_int_equal(ms[0].id, m[1].id);
	assert_int_equal(ms[1].id, m[2].id);
	assert_int_equal(ms[2].id, m[0].id);
	struct project_row pr;
	assert_int_equal(store_projects_get(f->db, &f->a, p.id, &pr), DB_ROW);
	assert_int_equal(pr.milestones, 3);
	assert_int_equal(pr.milestones_done, 1);
	assert_int_equal(pr.version, 1); /* milestones leave the version */
	assert_int_equal(store_projects_get(f->db, &f->a, other.id, &pr), DB_ROW);
	assert_int_equal(pr.milestones, 0);

	struct project_event_row e1 = {.project_id = p.id,
	                               .action = "start",
	                               .from_state = "planned",
	                               .to_state = "underway",
	                               .comment = "开工",
	                               .user_id = u,
	                               .at = NOW};
	struct project_event_row e2 = {.project_id = p.id,
	                               .action = "suspend",
	                               .from_state = "underway",
	                               .to_state = "suspended",
	                               .at = NOW + 1};
	struct project_event_row e3 = e2;
	e3.project_id = other.id;
	assert_int_equal(store_project_events_add(f->db, &e1), DB_OK);
	assert_int_equal(store_project_events_add(f->db, &e2), DB_OK);
	assert_int_equal(store_project_events_add(f->db, &e3), DB_OK);
	struct project_event_row *ev;
	assert_int_equal(store_project_events_list(f->db, &f->a, p.id, &ev, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].action, "start");
	assert_string_equal(ev[0].from_state, "planned");
	assert_string_equal(ev[0].to_state, "underway");
	assert_string_equal(ev[0].comment, "开工");
	assert_int_equal(ev[0].user_id, u);
	assert_string_equal(ev[0].user_name, "测试用户");
	assert_int_equal(ev[1].user_id, 0);
	assert_null(ev[1].user_name);
	assert_null(ev[1].comment);
	assert_int_equal(ev[1].at, NOW + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {T(test_insert_get), T(test_state_and_edit),
	                                   T(test_spending), T(test_walk_and_public),
	                                   T(test_milestones_and_events)};
	return RUN(tests);
}
