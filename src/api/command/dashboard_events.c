/* GET /api/v1/dashboard/events?region=CODE: the dashboard's live updates as server-sent
 * events. The handler checks the caller and the region exactly as GET /api/v1/dashboard
 * does, then leaves an http stream open (http.h) that gets an `event: dashboard` with the
 * region's open-case counts whenever a case under the region is written.
 *
 * One notifier thread per process, with its own connection, reads once a second what was
 * written since it last looked: every write of a case appends to its timeline (case_events),
 * so the events after the last id seen name the changed cases, whichever node wrote them —
 * several nodes on one PostgreSQL need no other channel. It reads nothing while no stream is
 * open. Ids are handed out at insert but become visible at commit, so on PostgreSQL a lower
 * id can appear after a higher one: an id skipped over is kept as a gap and looked for again
 * for GAP_SECONDS (a rolled-back write leaves a gap for good). Time changes counts too, with
 * no write: a case turns yellow and then overdue as its deadline nears and passes, so each
 * tick also reads the open cases whose deadline or yellow instant fell since the last tick
 * (two ranges of the deadline indexes) and recounts the streams above them. */
#include "api/command/command.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/command/dashboard.h"
#include "store/platform/regions.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Rows read per tick; a stream ends after MAX_AGE seconds (the browser reconnects, and
 * the session and grants are checked again); gaps are awaited for GAP_SECONDS; one user (or
 * API token) may hold PER_CALLER streams on a node, so that nobody takes every slot. A page
 * the browser left holds its slot until a heartbeat finds it gone (up to two, 30 s), so the
 * bound leaves room for a user who moves between dashboards and screens meanwhile. */
enum { CHANGES_PER_TICK = 1000, MAX_AGE = 600, MAX_GAPS = 256, GAP_SECONDS = 10, PER_CALLER = 32 };

struct sub {
	struct sub *prev, *next;
	struct http_stream *st;
	char region[32];
	int64_t caller; /* the user's id, or minus the API token's */
	int64_t since;  /* the counts it was sent include every case event up to this id */
	bool fresh;     /* registered since the notifier last looked */
	bool catchup;   /* this tick: also events at or below the cursor after since */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running, stop;
	struct sub *head;
	size_t n;
} live = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void sub_close(void *ctx)
{
	struct sub *s = ctx;
	pthread_mutex_lock(&live.lock);
	if (s->prev)
		s->prev->next = s->next;
	else
		live.head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	live.n--;
	pthread_mutex_unlock(&live.lock);
	free(s);
}

/* One event: the region's open-case counts after the case events up to version. */
static char *event_text(const char *region, int64_t version, const struct dashboard_open *c)
{
	json_t *o = json_object(), *cases = json_object();
	json_set_str(o, "region", region);
	json_set_int(o, "version", version);
	json_set_int(cases, "open", c ? c->open : 0);
	json_set_int(cases, "overdue", c ? c->overdue : 0);
	json_set_int(cases, "warning", c ? c->warning : 0);
	json_set_int(cases, "supervised", c ? c->supervised : 0);
	json_object_set_new(o, "cases", cases);
	char *data = json_to_string(o, NULL);
	json_decref(o);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "event: dashboard\ndata: %s\n\n", data);
	free(data);
	return buf_detach(&b, NULL);
}

/* The streams the caller holds on this node. */
static size_t caller_streams(int64_t caller)
{
	size_t n = 0;
	pthread_mutex_lock(&live.lock);
	for (const struct sub *s = live.head; s; s = s->next)
		n += s->caller == caller;
	pthread_mutex_unlock(&live.lock);
	return n;
}

void dashboard_events_h(struct http_req *req)
{
	struct api_ctx *ctx = api_ctx(req);
	const char *code = dashboard_region(req);
	if (!code)
		return;
	int64_t caller = ctx->who.user_id ? ctx->who.user_id : -ctx->who.token_id;
	if (caller_streams(caller) >= PER_CALLER) {
		api_problem(req, 429, "您打开的实时推送连接过多，请关闭部分看板页面后再试");
		return;
	}
	struct region_row region;
	struct dashboard_open *all;
	size_t nall = 0;
	int64_t version = 0;
	enum db_result r = store_regions_get(ctx->db, &req->arena, code, &region);
	if (r == DB_DONE) {
		api_problem(req, 404, "区划不存在");
		return;
	}
	if (r == DB_ROW)
		r = store_dashboard_last_change(ctx->db, &version);
	if (r == DB_OK)
		r = store_dashboard_open(ctx->db, &req->arena, code, strlen(code), time_now(), &all,
		                         &nall);
	if (!api_stored(req, r))
		return;
	struct sub *s = xcalloc(1, sizeof *s);
	snprintf(s->region, sizeof s->region, "%s", code);
	s->caller = caller;
	s->since = version;
	s->fresh = true;
	struct http_stream_spec spec = {.content_type = "text/event-stream; charset=utf-8",
	                                .heartbeat = ": ping\n\n",
	                                .max_age = MAX_AGE,
	                                .ctx = s,
	                                .on_close = sub_close};
	s->st = http_stream_open(req, &spec);
	if (!s->st) {
		free(s);
		return;
	}
	/* The first event at once: the counts this stream starts from. */
	char *first = event_text(code, version, nall ? &all[0] : NULL);
	http_stream_write(s->st, "retry: 3000\n\n", 13);
	http_stream_write(s->st, first, strlen(first));
	free(first);
	pthread_mutex_lock(&live.lock);
	s->next = live.head;
	if (live.head)
		live.head->prev = s;
	live.head = s;
	live.n++;
	pthread_mutex_unlock(&live.lock);
}

/* ---- the notifier ---- */

struct gap {
	int64_t id, seen;
};

struct notifier {
	int64_t cursor; /* the highest case event id read */
	int64_t clock;  /* the instant up to which deadlines were looked at (0: not yet) */
	bool stale;     /* no stream was open: the cursor is to be set anew */
	struct gap gaps[MAX_GAPS];
	size_t ngaps;
};

static bool gap_take(struct notifier *n, int64_t id)
{
	for (size_t i = 0; i < n->ngaps; i++)
		if (n->gaps[i].id == id) {
			n->gaps[i] = n->gaps[--n->ngaps];
			return true;
		}
	return false;
}

static void gaps_expire(struct notifier *n, int64_t now)
{
	for (size_t i = 0; i < n->ngaps;)
		if (now - n->gaps[i].seen > GAP_SECONDS)
			n->gaps[i] = n->gaps[--n->ngaps];
		else
			i++;
}

/* A change at region code under sub region: region is a prefix of code. */
static bool under(const char *code, const char *region)
{
	return code && strncmp(code, region, strlen(region)) == 0;
}

/* Whether s is to hear of the changes read: new ones (fresh: id above the old cursor, or a
 * gap filled), and for a stream that joined since the last tick, older ones after its own
 * counts. */
static bool sub_changed(const struct sub *s, const struct dashboard_change *rows, const bool *news,
                        size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if ((news[i] || (s->catchup && rows[i].id > s->since)) &&
		    under(rows[i].region_code, s->region))
			return true;
	return false;
}

/* Sends every stream of each region in regions its new counts. */
static void deliver(struct db *db, struct arena *a, char **regions, size_t nreg, int64_t version)
{
	int64_t now = time_now();
	for (size_t i = 0; i < nreg; i++) {
		struct dashboard_open *c;
		size_t nc = 0;
		if (store_dashboard_open(db, a, regions[i], strlen(regions[i]), now, &c, &nc) !=
		    DB_OK) {
			log_warn("dashboard events: cannot count the cases of %s", regions[i]);
			continue;
		}
		char *ev = event_text(regions[i], version, nc ? &c[0] : NULL);
		pthread_mutex_lock(&live.lock);
		for (struct sub *s = live.head; s; s = s->next)
			if (strcmp(s->region, regions[i]) == 0)
				http_stream_write(s->st, ev, strlen(ev));
		pthread_mutex_unlock(&live.lock);
		free(ev);
	}
}

static void tick(struct notifier *n, struct db *db, struct arena *a)
{
	int64_t lo_fresh = INT64_MAX;
	pthread_mutex_lock(&live.lock);
	size_t nsubs = live.n;
	for (struct sub *s = live.head; s; s = s->next) {
		s->catchup = s->fresh;
		if (s->fresh && s->since < lo_fresh)
			lo_fresh = s->since;
		s->fresh = false;
	}
	pthread_mutex_unlock(&live.lock);
	if (!nsubs) {
		n->stale = true;
		return;
	}
	int64_t now = time_now();
	if (n->stale) { /* every stream is fresh: start from the oldest counts sent */
		n->cursor = lo_fresh;
		n->ngaps = 0;
		n->clock = now;
		n->stale = false;
	}
	int64_t lo = n->cursor < lo_fresh ? n->cursor : lo_fresh;
	for (size_t i = 0; i < n->ngaps; i++)
		if (n->gaps[i].id - 1 < lo)
			lo = n->gaps[i].id - 1;
	struct dashboard_change *rows;
	size_t nr = 0;
	if (store_dashboard_changes(db, a, lo, CHANGES_PER_TICK, &rows, &nr) != DB_OK) {
		log_warn("dashboard events: cannot read the case changes");
		return;
	}
	struct dashboard_change *crossed = NULL;
	size_t nx = 0;
	if (now > n->clock) {
		if (store_dashboard_crossings(db, a, n->clock, now, CHANGES_PER_TICK, &crossed,
		                              &nx) == DB_OK)
			n->clock = now;
		else
			log_warn("dashboard events: cannot read the deadlines passed");
	}
	bool *news = arena_alloc(a, nr + nx + 1);
	bool any = nx > 0;
	for (size_t i = 0; i < nr; i++) {
		int64_t id = rows[i].id;
		if (id > n->cursor) {
			for (int64_t g = n->cursor + 1; g < id && n->ngaps < MAX_GAPS; g++)
				n->gaps[n->ngaps++] = (struct gap){g, now};
			n->cursor = id;
			news[i] = true;
		} else {
			news[i] = gap_take(n, id);
		}
		any = true;
	}
	gaps_expire(n, now);
	if (!any)
		return;
	if (nx) { /* what time changed is news to every stream above it */
		struct dashboard_change *all = arena_alloc(a, (nr + nx) * sizeof *all);
		if (nr)
			memcpy(all, rows, nr * sizeof *all);
		memcpy(all + nr, crossed, nx * sizeof *all);
		for (size_t i = 0; i < nx; i++)
			news[nr + i] = true;
		rows = all;
		nr += nx;
	}
	/* The regions to count again, each once, chosen under the lock; counted outside it. */
	char **regions = arena_alloc(a, (nsubs + 1) * sizeof *regions);
	size_t nreg = 0;
	pthread_mutex_lock(&live.lock);
	for (struct sub *s = live.head; s; s = s->next) {
		bool seen = false;
		for (size_t i = 0; i < nreg && !seen; i++)
			seen = strcmp(regions[i], s->region) == 0;
		if (!seen && nreg < nsubs && sub_changed(s, rows, news, nr))
			regions[nreg++] = arena_strdup(a, s->region);
		s->catchup = false;
	}
	pthread_mutex_unlock(&live.lock);
	deliver(db, a, regions, nreg, n->cursor);
}

static void *notifier_main(void *arg)
{
	(void)arg;
	struct notifier *n = xcalloc(1, sizeof *n);
	n->stale = true;
	pthread_mutex_lock(&live.lock);
	while (!live.stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&live.wake, &live.lock, &ts);
		if (live.stop)
			break;
		bool idle = live.n == 0;
		pthread_mutex_unlock(&live.lock);
		if (idle) {
			n->stale = true;
		} else {
			struct db *db = api_db();
			if (db) {
				struct arena a;
				arena_init(&a);
				tick(n, db, &a);
				arena_free(&a);
			}
		}
		pthread_mutex_lock(&live.lock);
	}
	pthread_mutex_unlock(&live.lock);
	free(n);
	return NULL;
}

void api_live_start(void)
{
	live.stop = false;
	if (pthread_create(&live.thread, NULL, notifier_main, NULL) != 0)
		log_warn("dashboard events: no notifier thread, streams get heartbeats only");
	else
		live.running = true;
}

void api_live_stop(void)
{
	if (!live.running)
		return;
	pthread_mutex_lock(&live.lock);
	live.stop = true;
	pthread_cond_signal(&live.wake);
	pthread_mutex_unlock(&live.lock);
	pthread_join(live.thread, NULL);
	live.running = false;
}
