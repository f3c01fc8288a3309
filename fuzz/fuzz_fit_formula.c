/*
 * fuzz_fit_formula.c — libFuzzer target for casus fit's formula, sdformula
 * and subset parsers and everything downstream of them: the input's lines
 * are a model name, a formula, an sdformula, a subset and options
 * ("name=value" lines), fitted to a small fixed data set with numbers,
 * factors and missing values (at most 30 optimiser iterations).  Anything
 * may fail; nothing may crash or leak.
 */
#include "casus/fit.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char DATA[] = "y,a,b,x,z,f,g,offer,accept\n"
                           "1,0,0,0.5,1.2,p,u,3,1\n"
                           "2,1,0,-0.3,0.7,q,v,0,0\n"
                           "3,1,1,1.1,-0.4,p,u,10,1\n"
                           "4,0,1,0.2,0.1,r,NA,5.5,0\n"
                           "1,1,1,-1.4,2.2,q,v,7,1\n"
                           "2,0,0,0.9,,p,u,2.25,0\n"
                           "3,1,0,-0.6,0.3,r,v,1,1\n"
                           "4,1,1,0.0,-1.1,q,u,9,0\n";

/* The n-th line of the input (NUL-terminated copy into buf), or NULL. */
static const char *line(const char *s, size_t len, int n, char *buf, size_t cap)
{
    size_t i = 0;
    for (int k = 0; k < n && i < len; k++)
        while (i < len && s[i++] != '\n')
            ;
    if (i >= len)
        return NULL;
    size_t j = i;
    while (j < len && s[j] != '\n' && j - i + 1 < cap)
        j++;
    memcpy(buf, s + i, j - i);
    buf[j - i] = '\0';
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char bufs[8][256];
    const char *s = (const char *)data;
    casus_fit_opts o = CASUS_FIT_OPTS_INIT;
    o.max_iter = 30;
    if (size > 4096 || !line(s, size, 0, bufs[0], sizeof bufs[0]) ||
        casus_fit_opts_set(&o, "model", bufs[0], NULL) != CASUS_OK)
        return 0;
    o.formula = line(s, size, 1, bufs[1], sizeof bufs[1]);
    o.sdformula = line(s, size, 2, bufs[2], sizeof bufs[2]);
    o.subset = line(s, size, 3, bufs[3], sizeof bufs[3]);
    if (o.sdformula && !*o.sdformula)
        o.sdformula = NULL;
    if (o.subset && !*o.subset)
        o.subset = NULL;
    for (int k = 4; k < 8; k++) { /* options: name=value */
        char *eq, *l = (char *)line(s, size, k, bufs[k], sizeof bufs[k]);
        if (l && (eq = strchr(l, '=')) != NULL) {
            *eq = '\0';
            if (strcmp(l, "boot") != 0 && strcmp(l, "threads") != 0 && strcmp(l, "max-iter") != 0)
                casus_fit_opts_set(&o, l, eq + 1, NULL);
        }
    }
    casus_fit *f = NULL;
    if (casus_fit_new(&f, NULL, NULL) != CASUS_OK)
        return 0;
    casus_buf b = CASUS_BUF_INIT;
    if (casus_fit_load_csv(f, "fuzz.csv", DATA, sizeof DATA - 1) == CASUS_OK &&
        casus_fit_estimate(f, &o) == CASUS_OK) {
        casus_fit_write_text(f, &b);
        casus_fit_write_json(f, true, &b);
        casus_fit_write_predict(f, &b);
    }
    casus_fit_render_diagnostics(f, &b);
    casus_buf_release(&b);
    casus_fit_free(f);
    return 0;
}
