/* Logging: one JSON object per line on stderr (or a file), safe across threads. */
#ifndef JICENG_CORE_LOG_H
#define JICENG_CORE_LOG_H

#include <stdint.h>
#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the destination (NULL: stderr) and the lowest level written. Call before threads start. */
void log_setup(FILE *out, enum log_level min);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The access log line: time, method, path, status, duration, user id (0 when anonymous). */
void log_access(const char *method, const char *path, int status, double duration_ms,
                int64_t user_id, const char *ip);
void log_set_access(int on);

#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
