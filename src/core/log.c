/* A mutex guards the output stream: the one piece of process-wide mutable
 * state here, needed because every worker thread logs. */
#include "core/log.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/timeutil.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_out;
static enum log_level log_min = LOG_INFO;
static int log_access_on = 1;

void log_setup(FILE *out, enum log_level min)
{
	log_out = out;
	log_min = min;
}

void log_set_access(int on)
{
	log_access_on = on;
}

static void log_write(struct buf *b)
{
	buf_puts(b, "\n");
	pthread_mutex_lock(&log_lock);
	FILE *f = log_out ? log_out : stderr;
	fwrite(b->data, 1, b->len, f);
	fflush(f);
	pthread_mutex_unlock(&log_lock);
	buf_free(b);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	if (lvl < log_min)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char when[TIME_RFC3339_LEN];
	time_format(time_now(), when);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":", when, names[lvl]);
	json_write_string(&b, msg);
	buf_puts(&b, "}");
	log_write(&b);
}

void log_access(const char *method, const char *path, int status, double duration_ms,
                int64_t user_id, const char *ip)
{
	if (!log_access_on)
		return;
	char when[TIME_RFC3339_LEN];
	time_format(time_now(), when);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "{\"time\":\"%s\",\"type\":\"access\",\"method\":", when);
	json_write_string(&b, method);
	buf_puts(&b, ",\"path\":");
	json_write_string(&b, path);
	buf_printf(&b, ",\"status\":%d,\"duration_ms\":%.3f,\"user_id\":", status, duration_ms);
	if (user_id > 0)
		buf_printf(&b, "%lld", (long long)user_id);
	else
		buf_puts(&b, "null");
	buf_puts(&b, ",\"ip\":");
	json_write_string(&b, ip ? ip : "");
	buf_puts(&b, "}");
	log_write(&b);
}
