/* /api/v1/party/structure: the five-tier structure check per community (镇(街道)党(工)委 —
 * 村(社区)党组织 — 网格党支部 — 楼栋(宅上)党小组 — 党员中心户) with the grids and buildings
 * that lack their tier, and the functional-branch counts per child region. */
#include "api/party/party.h"
#include "store/platform/regions.h"

#include <string.h>

enum { GAP_LIST_MAX = 200 };

static json_t *org_ref(const struct party_org_row *o)
{
	if (!o)
		return json_null();
	json_t *j = json_object();
	json_set_int(j, "id", o->id);
	json_set_str(j, "name", o->name);
	json_set_str(j, "kind", party_kind_code(o->kind));
	json_set_str(j, "kind_name", party_kind_name_zh(o->kind));
	return j;
}

static void add_tier(json_t *tiers, json_t *missing, const char *code, const char *name,
                     int64_t count)
{
	json_t *t = json_object();
	json_set_str(t, "tier", code);
	json_set_str(t, "name", name);
	json_set_bool(t, "present", count > 0);
	json_set_int(t, "count", count);
	json_array_append_new(tiers, t);
	if (count <= 0)
		json_array_append_new(missing, json_string(code));
}

struct structure_totals {
	int64_t communities, complete, grids, grids_without, buildings, buildings_without, centers;
};

/* What one community's chain is made of, read from the store. */
struct chain {
	const struct party_org_row *street_org, *comm_org;
	struct party_grid_row *grids;
	struct party_building_row *buildings;
	size_t ngrids, nbuildings;
	int64_t centers;
};

/* Reads the chain of community comm: its street's committee, its own organisation, grids
 * with their branch counts, buildings with their group counts, center households. */
static enum db_result chain_read(struct http_req *req, const struct party_grid_row *comm,
                                 struct chain *ch)
{
	struct api_ctx *ctx = api_ctx(req);
	struct arena *a = &req->arena;
	memset(ch, 0, sizeof *ch);
	char street[16];
	snprintf(street, sizeof street, "%.9s", comm->code);
	struct party_org_row *orgs;
	size_t n;
	enum db_result r = store_party_orgs_at(ctx->db, a, street, &orgs, &n);
	for (size_t i = 0; r == DB_OK && i < n && !ch->street_org; i++)
		if (orgs[i].kind == PARTY_WORKING_COMMITTEE || orgs[i].kind == PARTY_COMMITTEE)
			ch->street_org = &orgs[i];
	if (r == DB_OK)
		r = store_party_orgs_at(ctx->db, a, comm->code, &orgs, &n);
	for (size_t i = 0; r == DB_OK && i < n && !ch->comm_org; i++)
		if (party_kind_community_org(orgs[i].kind))
			ch->comm_org = &orgs[i];
	if (r == DB_OK)
		r = store_party_grid_branches(ctx->db, a, comm->code, &ch->grids, &ch->ngrids);
	if (r == DB_OK)
		r = store_party_buildings(ctx->db, a, comm->code, &ch->buildings, &ch->nbuildings);
	if (r == DB_OK)
		r = store_party_centers_count(ctx->db, comm->code, &ch->centers);
	return r;
}

/* The grids without a branch into c (at most GAP_LIST_MAX listed); how many have one. */
static int64_t grid_gaps(json_t *c, const struct chain *ch)
{
	int64_t with_branch = 0;
	json_t *gaps = json_array();
	for (size_t i = 0; i < ch->ngrids; i++) {
		if (ch->grids[i].branches > 0) {
			with_branch++;
		} else if (json_array_size(gaps) < GAP_LIST_MAX) {
			json_t *g = json_object();
			json_set_str(g, "code", ch->grids[i].code);
			json_set_str(g, "name", ch->grids[i].name);
			json_array_append_new(gaps, g);
		}
	}
	json_set_int(c, "grids", (int64_t)ch->ngrids);
	json_set_int(c, "grids_with_branch", with_branch);
	json_object_set_new(c, "grids_without_branch", gaps);
	return with_branch;
}

/* The buildings without a party group into c (at most GAP_LIST_MAX); how many have one. */
static int64_t building_gaps(json_t *c, const struct chain *ch)
{
	int64_t with_group = 0;
	json_t *bgaps = json_array();
	for (size_t i = 0; i < ch->nbuildings; i++) {
		const struct party_building_row *b = &ch->buildings[i];
		if (b->groups > 0) {
			with_group++;
		} else if (json_array_size(bgaps) < GAP_LIST_MAX) {
			json_t *j = json_object();
			json_set_int(j, "id", b->id);
			json_set_str(j, "name", b->name);
			json_set_str(j, "region_code", b->region_code);
			json_array_append_new(bgaps, j);
		}
	}
	json_set_int(c, "buildings", (int64_t)ch->nbuildings);
	json_set_int(c, "buildings_with_group", with_group);
	json_object_set_new(c, "buildings_without_group", bgaps);
	return with_group;
}

/* The five-tier chain of one community, or NULL on a store error. */
static json_t *community_chain(struct http_req *req, const struct party_grid_row *comm,
                               struct structure_totals *t)
{
	struct chain ch;
	if (chain_read(req, comm, &ch) != DB_OK)
		return NULL;
	int64_t ng = (int64_t)ch.ngrids, nb = (int64_t)ch.nbuildings;
	json_t *c = json_object();
	json_set_str(c, "code", comm->code);
	json_set_str(c, "name", comm->name);
	json_object_set_new(c, "street_org", org_ref(ch.street_org));
	json_object_set_new(c, "community_org", org_ref(ch.comm_org));
	int64_t with_branch = grid_gaps(c, &ch), with_group = building_gaps(c, &ch);
	json_set_int(c, "center_households", ch.centers);
	json_t *tiers = json_array(), *missing = json_array();
	add_tier(tiers, missing, "street_committee", "镇(街道)党(工)委", ch.street_org ? 1 : 0);
	add_tier(tiers, missing, "community_org", "村(社区)党组织", ch.comm_org ? 1 : 0);
	add_tier(tiers, missing, "grid_branch", "网格党支部", with_branch);
	add_tier(tiers, missing, "building_group", "楼栋(宅上)党小组", with_group);
	add_tier(tiers, missing, "center_household", "党员中心户", ch.centers);
	bool complete = json_array_size(missing) == 0 && with_branch == ng && with_group == nb;
	json_object_set_new(c, "tiers", tiers);
	json_object_set_new(c, "missing_tiers", missing);
	json_set_bool(c, "complete", complete);
	t->communities++;
	t->complete += complete;
	t->grids += ng;
	t->grids_without += ng - with_branch;
	t->buildings += nb;
	t->buildings_without += nb - with_group;
	t->centers += ch.centers;
	return c;
}

/* Functional branches per child region (per community under a community), with totals:
 * {"items": [...], "totals": {...}}; NULL after responding to a store error. */
static json_t *functional_json(struct http_req *req, const char *region, int64_t *branches,
                               int64_t *members)
{
	struct api_ctx *ctx = api_ctx(req);
	int group_len = region_level_of(region) == REGION_COMMUNITY ? 12 : (int)strlen(region) + 3;
	struct party_functional_row *fr;
	size_t nf;
	enum db_result r = store_party_functional_counts(ctx->db, &req->arena, region, group_len,
	                                                 &fr, &nf, members);
	if (!api_stored(req, r))
		return NULL;
	json_t *fitems = json_array();
	int64_t sinking = 0, social = 0;
	for (size_t i = 0; i < nf; i++) {
		json_t *f = json_object();
		json_set_str(f, "region_code", fr[i].region_code);
		struct region_row reg;
		if (store_regions_get(ctx->db, &req->arena, fr[i].region_code, &reg) == DB_ROW)
			json_set_str(f, "region_name", reg.name);
		json_set_int(f, "sinking_branches", fr[i].sinking);
		json_set_int(f, "social_branches", fr[i].social);
		json_set_int(f, "branches", fr[i].sinking + fr[i].social);
		json_set_int(f, "members", fr[i].members);
		json_array_append_new(fitems, f);
		sinking += fr[i].sinking;
		social += fr[i].social;
	}
	*branches = sinking + social;
	json_t *fo = json_object();
	json_object_set_new(fo, "items", fitems);
	json_t *ft = json_object();
	json_set_int(ft, "sinking_branches", sinking);
	json_set_int(ft, "social_branches", social);
	json_set_int(ft, "branches", sinking + social);
	json_set_int(ft, "members", *members);
	json_object_set_new(fo, "totals", ft);
	return fo;
}

static json_t *summary_json(const struct structure_totals *t, int64_t branches, int64_t members)
{
	json_t *s = json_object();
	json_set_int(s, "communities", t->communities);
	json_set_int(s, "communities_complete", t->complete);
	json_set_int(s, "grids", t->grids);
	json_set_int(s, "grids_without_branch", t->grids_without);
	json_set_int(s, "buildings", t->buildings);
	json_set_int(s, "buildings_without_group", t->buildings_without);
	json_set_int(s, "center_households", t->centers);
	json_set_int(s, "functional_branches", branches);
	json_set_int(s, "functional_members", members);
	return s;
}

void party_structure_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *region;
	if (!party_region_query(req, PARTY_STAFF, false, &region))
		return;
	if (region_level_of(region) == REGION_GRID) {
		api_problem(req, 400, "结构检查按社区汇总：region 须为区、街道或社区");
		return;
	}
	struct party_grid_row *comms;
	size_t nc;
	enum db_result r =
	    store_party_regions_under(ctx->db, &req->arena, region, REGION_COMMUNITY, &comms, &nc);
	if (!api_stored(req, r))
		return;
	struct structure_totals t = {0};
	json_t *items = json_array();
	for (size_t i = 0; i < nc; i++) {
		json_t *c = community_chain(req, &comms[i], &t);
		if (!c) {
			json_decref(items);
			api_store_error(req, DB_ERROR);
			return;
		}
		json_array_append_new(items, c);
	}
	int64_t branches = 0, members = 0;
	json_t *functional = functional_json(req, region, &branches, &members);
	if (!functional) {
		json_decref(items);
		return;
	}
	json_t *o = json_object();
	json_set_str(o, "region_code", region);
	json_object_set_new(o, "summary", summary_json(&t, branches, members));
	json_object_set_new(o, "communities", items);
	json_object_set_new(o, "functional", functional);
	api_json(req, 200, o);
}
