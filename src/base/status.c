/*
 * status.c — the words for casus_status codes (casus_status_str in the
 * public header) and the error record (casus_error).  The base of the
 * pipeline: every wing may report a status.
 */
#include "base/internal.h"

#include <stdarg.h>
#include <stdio.h>

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

casus_status casus_error_set(casus_error *err, casus_status st, const char *code, casus_input in,
                             const char *fmt, ...)
{
    if (!err)
        return st;
    err->status = st;
    err->code = code;
    err->input = in;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return st;
}

void casus_error_clear(casus_error *err)
{
    if (!err)
        return;
    err->status = CASUS_OK;
    err->code = NULL;
    err->input = CASUS_INPUT_NONE;
    err->message[0] = '\0';
}
