/* GET /metrics: the Prometheus text exposition of one node. The HTTP layer writes its own
 * counters (requests by route pattern and status, latency histograms, requests in flight);
 * this handler adds the gauges only the api layer can read: the group-commit writer's
 * queue and its batches, the database connections open and the sessions alive. Only clients on the
 * --metrics-allow list get it; everyone else gets the same 404 as an unknown address. */
#include "api/api.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "store/batch.h"

#include <stdlib.h>

static void gauge(struct buf *b, const char *name, const char *help, long long v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

static void counter(struct buf *b, const char *name, const char *help, unsigned long long v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name, v);
}

void metrics_get_h(struct http_req *req)
{
	if (!http_metrics_allowed(req)) {
		http_problem(req, 404, "请求的地址不存在", NULL);
		return;
	}
	struct api_ctx *ctx = api_ctx(req);
	struct buf b;
	buf_init(&b);
	http_metrics_write(req, &b);
	struct batch *writer = api_writer();
	gauge(&b, "jiceng_writer_queue_depth",
	      "Writes waiting for the group-commit writer (not counting the batch it runs).",
	      writer ? (long long)store_batch_depth(writer) : 0);
	unsigned long long batches = 0, jobs = 0, queued = 0;
	if (writer)
		store_batch_counts(writer, &batches, &jobs, &queued);
	counter(&b, "jiceng_writer_batches_total",
	        "Transactions of the group-commit writer: each one commit, one fsync.", batches);
	counter(&b, "jiceng_writer_jobs_total",
	        "Writes run by the group-commit writer (reports, group writes, audit entries).",
	        jobs);
	counter(&b, "jiceng_writer_jobs_queued_total",
	        "Writes handed to the group-commit writer, in the order they will apply "
	        "(those still waiting included).",
	        queued);
	/* The writer's own connection is open whenever there is a writer. */
	gauge(&b, "jiceng_db_connections_open",
	      "Database connections open: one per worker thread that has served a request, "
	      "plus the group-commit writer's.",
	      (long long)api_db_count() + (writer ? 1 : 0));
	int64_t now = time_now(), sessions = 0;
	if (store_sessions_count(ctx->db, now, now - ctx->cfg->idle_timeout - 1, &sessions) !=
	    DB_OK) {
		buf_free(&b);
		api_problem(req, 503, "数据库暂时不可用，请稍后再试");
		return;
	}
	gauge(&b, "jiceng_sessions_active",
	      "Cookie sessions neither expired nor idle past the time-out.", (long long)sessions);
	size_t len;
	char *body = buf_detach(&b, &len);
	http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", body, len);
	http_add_header(req, "Cache-Control", "no-store");
}
