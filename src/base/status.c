/*
 * status.c — the words for casus_status codes (casus_status_str in the
 * public header).  The base of the pipeline: every wing may report a status.
 */
#include "base/internal.h"

const char *casus_status_str(casus_status st)
{
    switch (st) {
    case CASUS_OK: return "ok";
    case CASUS_ENOMEM: return "out of memory";
    case CASUS_EINVAL: return "invalid argument";
    case CASUS_ECOMPILE: return "compile error";
    case CASUS_ENOTFOUND: return "not found";
    case CASUS_ELIMIT: return "limit exceeded";
    case CASUS_EIO: return "input/output error";
    case CASUS_ESTATE: return "wrong state";
    case CASUS_ENOCONV: return "no convergence";
    }
    return "unknown status";
}
