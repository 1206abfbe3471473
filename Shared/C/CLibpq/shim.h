#include <libpq-fe.h>

/* A notice processor that drops NOTICE messages ("schema already exists, skipping")
   instead of letting libpq print them to stderr. */
static void starstream_pq_ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static inline void starstream_pq_silence_notices(PGconn *conn) {
    PQsetNoticeProcessor(conn, starstream_pq_ignore_notice, 0);
}
