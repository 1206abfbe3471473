#include <mongoc/mongoc.h>
#include <bson/bson.h>

/* libmongoc prints every log level (DEBUG included) to stderr by default. Keep warnings
   and worse; the Swift wrapper reports failures itself, as errors. */
static void starstream_mongoc_log(mongoc_log_level_t level, const char *domain, const char *message, void *data) {
    if (level <= MONGOC_LOG_LEVEL_WARNING) {
        mongoc_log_default_handler(level, domain, message, data);
    }
}

static inline void starstream_mongoc_init(void) {
    mongoc_init();
    mongoc_log_set_handler(starstream_mongoc_log, NULL);
}
