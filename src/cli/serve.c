/* jiceng serve: settings from defaults < config file < environment < flags,
 * then the HTTP server until SIGTERM/SIGINT, with a graceful drain. */
#include "cli/cli.h"
#include "api/api.h"
#include "api/cases/outbox.h"
#include "store/batch.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/seal.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct http_asset jiceng_assets[];
extern const size_t jiceng_nassets;

struct serve_settings {
	char *db, *listen, *web_root, *access_log, *webhook, *trusted_proxy, *metrics_allow;
	long threads, body_limit, conn_timeout, max_connections, webhook_backoff_ms, max_streams,
	    stream_heartbeat, webhook_log_days;
	struct api_config api;
};

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: jiceng serve --db PATH --listen HOST:PORT [options]\n"
	    "  --config FILE          settings file of 'key = value' lines (keys as below,\n"
	    "                         without the dashes, '-' written as '_')\n"
	    "  --threads N            worker threads (default: 2)\n"
	    "  --web-root DIR         serve the web UI from DIR instead of the built-in copy\n"
	    "  --access-log FILE|-|off  where access lines go (default: stderr)\n"
	    "  --body-limit BYTES     largest request body (default: 1048576)\n"
	    "  --conn-timeout S       idle connection time-out (default: 30)\n"
	    "  --max-connections N    concurrent connections (default: 10000)\n"
	    "  --max-streams N        live-update streams (server-sent events) open at once\n"
	    "                         on this node; one more gets 503 (default: 256)\n"
	    "  --stream-heartbeat S   seconds before an idle stream gets a keep-alive comment;\n"
	    "                         a closed client's slot is free within two (default: 15)\n"
	    "  --idle-timeout S       sign-out after S seconds without a request (default: 1800)\n"
	    "  --session-lifetime S   longest session (default: 43200)\n"
	    "  --lockout-failures N   failed sign-ins that lock an account (default: 5)\n"
	    "  --lockout-seconds S    how long the lock lasts (default: 900)\n"
	    "  --cookie-secure 0|1    always mark the session cookie Secure (serving behind TLS)\n"
	    "  --trusted-proxy IP     the reverse proxy in front (its address, as it connects):\n"
	    "                         from it alone, X-Forwarded-For names the client (last\n"
	    "                         entry) and X-Forwarded-Proto: https marks the cookie\n"
	    "                         Secure; from anyone else both headers are ignored\n"
	    "  --metrics-allow CIDR[,CIDR]  client addresses that may read GET /metrics (as\n"
	    "                         --trusted-proxy names them; default: 127.0.0.1/32,::1);\n"
	    "                         anyone else gets 404; 'none' turns it off\n"
	    "  --login-per-minute N   sign-in attempts per client address a minute, a\n"
	    "                         successful one given back (default: 20; 0: no limit)\n"
	    "  --lookups-per-10min N  resident lookups by ID number or phone per user and 10\n"
	    "                         minutes (default: 30, at most 100; 0: no limit, for\n"
	    "                         benchmarks only)\n"
	    "  --recurring-cases N    cases of one category at one place that make a recurring\n"
	    "                         problem (default: 3, 2 to 100)\n"
	    "  --recurring-weeks M    … within M weeks (default: 8, 1 to 52)\n"
	    "  --webhook URL          legacy: POST every notification there as JSON, unsigned\n"
	    "                         (default: log it); webhook subscriptions (signed, per\n"
	    "                         event type and region) are managed under /api/v1/webhooks\n"
	    "  --webhook-backoff-ms N the subscriptions' first retry wait (default: 10000; later\n"
	    "                         waits are 3, 12, 60, 360, 1080 and 2160 times it; tests\n"
	    "                         shorten it)\n"
	    "  --webhook-log-days N   how long delivered and failed webhook deliveries stay in\n"
	    "                         the delivery log (default: 90, 1 to 3650)\n"
	    "Environment: JICENG_DB, JICENG_LISTEN, JICENG_THREADS, JICENG_WEB_ROOT,\n"
	    "JICENG_ACCESS_LOG, JICENG_CONFIG and JICENG_<KEY> for every key above.\n");
}

static bool set_number(const char *key, const char *val, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(val, &end, 10);
	if (errno || !*val || *end || v < 0) {
		fprintf(stderr, "jiceng serve: %s must be a non-negative number, not '%s'\n", key,
		        val);
		return false;
	}
	*out = v;
	return true;
}

/* Applies one setting by its key ("idle_timeout"); false on an unknown key or bad value. */
static bool apply(struct serve_settings *s, const char *key, const char *val)
{
	long n;
	if (strcmp(key, "db") == 0) {
		free(s->db);
		s->db = xstrdup(val);
	} else if (strcmp(key, "listen") == 0) {
		free(s->listen);
		s->listen = xstrdup(val);
	} else if (strcmp(key, "web_root") == 0) {
		free(s->web_root);
		s->web_root = *val ? xstrdup(val) : NULL;
	} else if (strcmp(key, "webhook") == 0) {
		free(s->webhook);
		s->webhook = *val ? xstrdup(val) : NULL;
	} else if (strcmp(key, "trusted_proxy") == 0) {
		free(s->trusted_proxy);
		s->trusted_proxy = *val ? xstrdup(val) : NULL;
	} else if (strcmp(key, "metrics_allow") == 0) {
		free(s->metrics_allow);
		s->metrics_allow = *val ? xstrdup(val) : NULL;
	} else if (strcmp(key, "login_per_minute") == 0) {
		if (!set_number(key, val, &n))
			return false;
		s->api.login_per_minute = n;
	} else if (strcmp(key, "lookups_per_10min") == 0) {
		if (!set_number(key, val, &n))
			return false;
		if (n > 100) {
			fprintf(stderr, "jiceng serve: lookups_per_10min must be 0 to 100\n");
			return false;
		}
		s->api.lookups_per_10min = n;
	} else if (strcmp(key, "recurring_cases") == 0 || strcmp(key, "recurring_weeks") == 0) {
		if (!set_number(key, val, &n))
			return false;
		struct recur_rule r = s->api.recurring;
		if (key[10] == 'c')
			r.min_cases = (int)(n > 1000 ? 1000 : n);
		else
			r.weeks = (int)(n > 1000 ? 1000 : n);
		if (!recur_rule_normalise(&r)) {
			fprintf(stderr, "jiceng serve: recurring_cases must be 2 to 100 and "
			                "recurring_weeks 1 to 52\n");
			return false;
		}
		s->api.recurring = r;
	} else if (strcmp(key, "access_log") == 0) {
		free(s->access_log);
		s->access_log = xstrdup(val);
	} else if (strcmp(key, "threads") == 0) {
		if (!set_number(key, val, &s->threads))
			return false;
	} else if (strcmp(key, "body_limit") == 0) {
		if (!set_number(key, val, &s->body_limit))
			return false;
	} else if (strcmp(key, "conn_timeout") == 0) {
		if (!set_number(key, val, &s->conn_timeout))
			return false;
	} else if (strcmp(key, "webhook_backoff_ms") == 0) {
		if (!set_number(key, val, &s->webhook_backoff_ms))
			return false;
		if (s->webhook_backoff_ms < 1) {
			fprintf(stderr, "jiceng serve: webhook_backoff_ms must be at least 1\n");
			return false;
		}
	} else if (strcmp(key, "webhook_log_days") == 0) {
		if (!set_number(key, val, &s->webhook_log_days))
			return false;
		if (s->webhook_log_days < 1 || s->webhook_log_days > 3650) {
			fprintf(stderr,
			        "jiceng serve: webhook_log_days must be between 1 and 3650\n");
			return false;
		}
	} else if (strcmp(key, "max_connections") == 0) {
		if (!set_number(key, val, &s->max_connections))
			return false;
	} else if (strcmp(key, "max_streams") == 0) {
		if (!set_number(key, val, &s->max_streams))
			return false;
	} else if (strcmp(key, "stream_heartbeat") == 0) {
		if (!set_number(key, val, &s->stream_heartbeat))
			return false;
		if (s->stream_heartbeat < 1 || s->stream_heartbeat > 300) {
			fprintf(stderr, "jiceng serve: stream_heartbeat must be 1 to 300\n");
			return false;
		}
	} else if (strcmp(key, "idle_timeout") == 0 || strcmp(key, "session_lifetime") == 0 ||
	           strcmp(key, "lockout_failures") == 0 || strcmp(key, "lockout_seconds") == 0 ||
	           strcmp(key, "cookie_secure") == 0) {
		if (!set_number(key, val, &n))
			return false;
		if (key[0] == 'i')
			s->api.idle_timeout = n;
		else if (key[0] == 's')
			s->api.session_lifetime = n;
		else if (strcmp(key, "lockout_failures") == 0)
			s->api.lockout_failures = n ? n : 1;
		else if (key[0] == 'l')
			s->api.lockout_seconds = n;
		else
			s->api.cookie_secure = n != 0;
	} else {
		fprintf(stderr, "jiceng serve: unknown setting '%s'\n", key);
		return false;
	}
	return true;
}

static bool load_config(struct serve_settings *s, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "jiceng serve: cannot read config %s: %s\n", path, strerror(errno));
		return false;
	}
	char line[1024];
	int lineno = 0;
	bool ok = true;
	while (ok && fgets(line, sizeof line, f)) {
		lineno++;
		char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		char *eq = strchr(p, '=');
		if (!eq) {
			fprintf(stderr, "jiceng serve: %s:%d: expected 'key = value'\n", path,
			        lineno);
			ok = false;
			break;
		}
		*eq = '\0';
		char *key = p, *val = eq + 1;
		for (char *e = key + strlen(key); e > key && (e[-1] == ' ' || e[-1] == '\t');)
			*--e = '\0';
		val += strspn(val, " \t");
		val[strcspn(val, "\r\n")] = '\0';
		for (char *e = val + strlen(val); e > val && (e[-1] == ' ' || e[-1] == '\t');)
			*--e = '\0';
		ok = apply(s, key, val);
	}
	fclose(f);
	return ok;
}

static const char *const env_keys[] = {
    "db",
    "listen",
    "web_root",
    "access_log",
    "threads",
    "body_limit",
    "conn_timeout",
    "max_connections",
    "max_streams",
    "stream_heartbeat",
    "idle_timeout",
    "session_lifetime",
    "lockout_failures",
    "lockout_seconds",
    "cookie_secure",
    "trusted_proxy",
    "metrics_allow",
    "login_per_minute",
    "lookups_per_10min",
    "webhook_backoff_ms",
    "webhook_log_days",
    "recurring_cases",
    "recurring_weeks",
};

static bool load_env(struct serve_settings *s)
{
	for (size_t i = 0; i < sizeof env_keys / sizeof env_keys[0]; i++) {
		char name[64] = "JICENG_";
		size_t n = strlen(name);
		for (const char *k = env_keys[i]; *k && n < sizeof name - 1; k++)
			name[n++] = (char)(*k >= 'a' && *k <= 'z' ? *k - 32 : *k);
		name[n] = '\0';
		const char *v = getenv(name);
		if (v && !apply(s, env_keys[i], v))
			return false;
	}
	return true;
}

/* Splits "HOST:PORT" (IPv6 as "[::1]:PORT"). */
static bool parse_listen(const char *listen, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen)
		return false;
	const char *h = listen;
	size_t n = (size_t)(colon - listen);
	if (h[0] == '[' && n >= 2 && h[n - 1] == ']') {
		h++;
		n -= 2;
	}
	if (n >= hostlen)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || p < 1 || p > 65535)
		return false;
	*port = (int)p;
	return true;
}

static int run(struct serve_settings *s)
{
	char host[256], err[512];
	int port;
	if (!s->db) {
		fprintf(stderr, "jiceng serve: --db PATH is required\n");
		return 2;
	}
	if (!parse_listen(s->listen, host, sizeof host, &port)) {
		fprintf(stderr, "jiceng serve: --listen must be HOST:PORT, not '%s'\n", s->listen);
		return 2;
	}
	if (s->threads < 1 || s->threads > 64) {
		fprintf(stderr, "jiceng serve: --threads must be between 1 and 64\n");
		return 2;
	}
	char keypath[4096];
	if (!cli_key_path(s->db, keypath, sizeof keypath))
		return 2;
	if ((!db_target_is_url(s->db) && access(s->db, F_OK) != 0) || access(keypath, R_OK) != 0) {
		fprintf(stderr,
		        "jiceng serve: %s or its key file is missing; run 'jiceng init --db "
		        "%s' first\n",
		        s->db, s->db);
		return 1;
	}
	if (!seal_load_key(keypath, err, sizeof err)) {
		fprintf(stderr, "jiceng serve: %s\n", err);
		return 1;
	}
	FILE *access_out = NULL;
	if (s->access_log && strcmp(s->access_log, "off") == 0) {
		log_set_access(0);
	} else if (s->access_log && strcmp(s->access_log, "-") != 0) {
		access_out = fopen(s->access_log, "a");
		if (!access_out) {
			fprintf(stderr, "jiceng serve: cannot open access log %s\n", s->access_log);
			return 1;
		}
		log_setup(access_out, LOG_INFO);
	}
	/* Migrations run once here, before any worker opens its own connection. */
	struct db *db = cli_open_db(s->db, false);
	if (!db) {
		if (access_out)
			fclose(access_out);
		return 1;
	}
	db_close(db);
	s->api.db_path = s->db;
	api_setup(&s->api);
	struct batch *writer = store_batch_start(s->db, err, sizeof err);
	if (!writer) {
		fprintf(stderr, "jiceng serve: %s\n", err);
		if (access_out)
			fclose(access_out);
		return 1;
	}
	api_set_writer(writer);

	/* Workers inherit this mask, so only sigwait below sees SIGTERM/SIGINT. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct http_options opt = {
	    .host = host,
	    .port = port,
	    .threads = (unsigned)s->threads,
	    .body_limit = (size_t)s->body_limit,
	    .conn_timeout = (unsigned)s->conn_timeout,
	    .max_connections = (unsigned)s->max_connections,
	    .max_streams = (unsigned)s->max_streams,
	    .stream_heartbeat = (unsigned)s->stream_heartbeat,
	    .web_root = s->web_root,
	    .trusted_proxy = s->trusted_proxy,
	    .metrics_allow = s->metrics_allow,
	    .assets = jiceng_assets,
	    .nassets = jiceng_nassets,
	};
	api_live_start();
	struct http_server *srv = http_start(&opt, api_app(), err, sizeof err);
	if (!srv) {
		api_live_stop();
		store_batch_stop(writer);
		fprintf(stderr, "jiceng serve: %s\n", err);
		if (access_out)
			fclose(access_out);
		return 1;
	}
	struct outbox *ob =
	    outbox_start(s->db, s->webhook, s->webhook_backoff_ms, s->webhook_log_days);
	log_info("jiceng serving %s on http://%s:%d with %ld threads", s->db, host, port,
	         s->threads);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("signal %d: finishing in-flight requests", sig);
	http_stop(srv, 10000);
	api_live_stop();
	store_batch_stop(writer);
	outbox_stop(ob);
	api_close_all();
	log_info("stopped cleanly");
	log_setup(NULL, LOG_INFO);
	if (access_out)
		fclose(access_out);
	return 0;
}

static void settings_free(struct serve_settings *s)
{
	free(s->db);
	free(s->listen);
	free(s->web_root);
	free(s->access_log);
	free(s->webhook);
	free(s->trusted_proxy);
	free(s->metrics_allow);
}

int cli_serve(int argc, char **argv)
{
	if (cli_help_asked(argc, argv)) {
		usage(stdout);
		return 0;
	}
	struct serve_settings s = {
	    .listen = xstrdup("127.0.0.1:8080"),
	    .threads = 2,
	    .body_limit = 1024 * 1024,
	    .conn_timeout = 30,
	    .max_connections = 10000,
	    .max_streams = 256,
	    .stream_heartbeat = 15,
	    .api = {.idle_timeout = 1800,
	            .session_lifetime = 12 * 3600,
	            .lockout_failures = 5,
	            .lockout_seconds = 900,
	            .login_per_minute = 20,
	            .lookups_per_10min = 30,
	            .recurring = {RECUR_DEFAULT_CASES, RECUR_DEFAULT_WEEKS}},
	};
	int rc = 1;
	const char *config = getenv("JICENG_CONFIG");
	for (int i = 1; i < argc; i++) {
		const char *v = cli_opt(argc, argv, &i, "--config");
		if (v)
			config = v;
	}
	if (config && !load_config(&s, config))
		goto out;
	if (!load_env(&s))
		goto out;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || !a[2]) {
			fprintf(stderr, "jiceng serve: unexpected argument %s\n", a);
			goto out;
		}
		char key[64];
		size_t k = 0;
		const char *p = a + 2;
		for (; *p && *p != '=' && k < sizeof key - 1; p++)
			key[k++] = *p == '-' ? '_' : *p;
		key[k] = '\0';
		const char *val;
		if (*p == '=') {
			val = p + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			fprintf(stderr, "jiceng serve: option %s needs a value\n", a);
			goto out;
		}
		if (strcmp(key, "config") != 0 && !apply(&s, key, val))
			goto out;
	}
	rc = run(&s);
out:
	settings_free(&s);
	return rc;
}
