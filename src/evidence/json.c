/*
 * json.c — the JSON reader (see json.h): recursive descent over the text,
 * values built in the arena.
 */
#include "evidence/json.h"

#include <math.h>
#include <stdlib.h>

struct jp {
    struct casus_arena *a;
    struct casus_diags *d;
    uint32_t src;
    const char *text;
    uint32_t len, pos;
    int depth;
    bool oom, failed;
};

static void jerr(struct jp *p, uint32_t start, uint32_t end, const char *msg)
{
    if (p->failed)
        return;
    p->failed = true;
    struct casus_span sp = {p->src, start, end > p->len ? p->len : end};
    casus_diag_add(p->d, CASUS_SEV_ERROR, &sp, "json", "%s", msg);
}

static void blanks(struct jp *p)
{
    while (p->pos < p->len && strchr(" \t\r\n", p->text[p->pos]) && p->text[p->pos])
        p->pos++;
}

static struct ev_json *mk(struct jp *p, enum ev_json_kind k, uint32_t start)
{
    struct ev_json *v = casus_arena_alloc(p->a, sizeof *v);
    if (!v) {
        p->oom = true;
        return NULL;
    }
    memset(v, 0, sizeof *v);
    v->kind = k;
    v->span = (struct casus_span){p->src, start, start};
    return v;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Four hex digits at p->pos; -1 if not. */
static long hex4(struct jp *p)
{
    if (p->pos + 4 > p->len)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p->text[p->pos + i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    p->pos += 4;
    return v;
}

static uint32_t put_utf8(char *o, long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* \uXXXX (p->pos after the 'u'), with a following low surrogate joined. */
static long escaped_code_point(struct jp *p, uint32_t at)
{
    long cp = hex4(p);
    if (cp >= 0xD800 && cp <= 0xDBFF && p->pos + 1 < p->len && p->text[p->pos] == '\\' &&
        p->text[p->pos + 1] == 'u') {
        p->pos += 2;
        long lo = hex4(p);
        cp = lo >= 0xDC00 && lo <= 0xDFFF ? 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00) : -1;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        cp = -1;
    }
    if (cp < 0)
        jerr(p, at, p->pos, "a \\u escape that is not a valid code point");
    return cp;
}

/* A string at p->pos (the opening quote): its unescaped text. */
static const char *string(struct jp *p)
{
    uint32_t open = p->pos++;
    uint32_t close = p->pos; /* an upper bound of the unescaped length */
    while (close < p->len && p->text[close] != '"')
        close += p->text[close] == '\\' ? 2 : 1;
    char *out = casus_arena_alloc(p->a, (close < p->len ? close : p->len) - p->pos + 1);
    if (!out) {
        p->oom = true;
        return NULL;
    }
    uint32_t n = 0;
    while (p->pos < p->len && p->text[p->pos] != '"') {
        unsigned char ch = (unsigned char)p->text[p->pos];
        if (ch < 0x20) {
            jerr(p, p->pos, p->pos + 1, "a control character inside a string");
            return NULL;
        }
        if (ch != '\\') {
            out[n++] = (char)ch;
            p->pos++;
            continue;
        }
        uint32_t at = p->pos++;
        char e = p->pos < p->len ? p->text[p->pos++] : '\0';
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, e) : NULL;
        if (k) {
            out[n++] = to[k - from];
        } else if (e == 'u') {
            long cp = escaped_code_point(p, at);
            if (cp < 0)
                return NULL;
            n += put_utf8(out + n, cp);
        } else {
            jerr(p, at, p->pos, "an unknown escape in a string");
            return NULL;
        }
    }
    if (p->pos >= p->len) {
        jerr(p, open, open + 1, "this string is not closed");
        return NULL;
    }
    p->pos++;
    out[n] = '\0';
    return out;
}

static bool number(struct jp *p, double *out)
{
    uint32_t s = p->pos;
    while (p->pos < p->len && strchr("+-0123456789.eE", p->text[p->pos]) && p->text[p->pos])
        p->pos++;
    char tmp[80];
    uint32_t n = p->pos - s;
    if (n == 0 || n >= sizeof tmp) {
        jerr(p, s, s + 1, n ? "a number too long to read" : "expected a value");
        return false;
    }
    memcpy(tmp, p->text + s, n);
    tmp[n] = '\0';
    char *end;
    *out = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(*out)) {
        jerr(p, s, p->pos, "not a valid JSON number");
        return false;
    }
    return true;
}

static const struct ev_json *value(struct jp *p);

/* Grow a pointer list by one. */
static bool append(struct jp *p, void ***list, uint32_t n, uint32_t *cap, void *x)
{
    if (n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 8;
        void **g = casus_arena_grow(p->a, *list, *cap, ncap, sizeof *g);
        if (!g) {
            p->oom = true;
            return false;
        }
        *list = g;
        *cap = ncap;
    }
    (*list)[n] = x;
    return true;
}

/* [ value, … ] or { "key": value, … } at p->pos. */
static bool container(struct jp *p, struct ev_json *v, bool obj)
{
    char close = obj ? '}' : ']';
    uint32_t cap = 0, kcap = 0;
    p->pos++;
    blanks(p);
    if (p->pos < p->len && p->text[p->pos] == close) {
        p->pos++;
        return true;
    }
    for (;;) {
        blanks(p);
        if (obj) {
            if (p->pos >= p->len || p->text[p->pos] != '"') {
                jerr(p, p->pos, p->pos + 1, "expected a key in quotes");
                return false;
            }
            const char *key = string(p);
            if (!key || !append(p, (void ***)&v->keys, v->n, &kcap, (void *)key))
                return false;
            blanks(p);
            if (p->pos >= p->len || p->text[p->pos] != ':') {
                jerr(p, p->pos, p->pos + 1, "expected ':' after a key");
                return false;
            }
            p->pos++;
        }
        const struct ev_json *x = value(p);
        if (!x || !append(p, (void ***)&v->items, v->n, &cap, (void *)x))
            return false;
        v->n++;
        blanks(p);
        if (p->pos < p->len && p->text[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->text[p->pos] == close) {
            p->pos++;
            return true;
        }
        jerr(p, p->pos, p->pos + 1, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        return false;
    }
}

static bool word(struct jp *p, const char *w)
{
    size_t n = strlen(w);
    if (p->len - p->pos >= n && memcmp(p->text + p->pos, w, n) == 0) {
        p->pos += (uint32_t)n;
        return true;
    }
    return false;
}

static const struct ev_json *value(struct jp *p)
{
    blanks(p);
    if (++p->depth > EV_JSON_MAX_DEPTH) {
        jerr(p, p->pos, p->pos + 1, "nested more than 64 levels deep");
        return NULL;
    }
    uint32_t start = p->pos;
    char c = p->pos < p->len ? p->text[p->pos] : '\0';
    struct ev_json *v = mk(p, EV_JSON_NULL, start);
    if (!v)
        return NULL;
    bool ok = true;
    if (c == '{' || c == '[') {
        v->kind = c == '{' ? EV_JSON_OBJ : EV_JSON_ARR;
        ok = container(p, v, c == '{');
    } else if (c == '"') {
        v->kind = EV_JSON_STR;
        ok = (v->s = string(p)) != NULL;
    } else if (word(p, "true") || word(p, "false")) {
        v->kind = EV_JSON_BOOL;
        v->b = c == 't';
    } else if (!word(p, "null")) {
        v->kind = EV_JSON_NUM;
        ok = number(p, &v->num);
    }
    p->depth--;
    if (!ok)
        return NULL;
    v->span.end = p->pos;
    return v;
}

const struct ev_json *ev_json_parse(struct casus_arena *a, struct casus_diags *d, uint32_t src,
                                    bool *oom)
{
    const struct casus_source *s = casus_diags_source(d, src);
    struct jp p = {a, d, src, s->text, s->len, 0, 0, false, false};
    if (p.len >= 3 && memcmp(p.text, "\xEF\xBB\xBF", 3) == 0)
        p.pos = 3;
    const struct ev_json *v = value(&p);
    if (v) {
        blanks(&p);
        if (p.pos < p.len) {
            jerr(&p, p.pos, p.pos + 1, "text after the JSON value");
            v = NULL;
        }
    }
    *oom = p.oom;
    return v;
}

const struct ev_json *ev_json_get(const struct ev_json *obj, const char *key)
{
    if (!obj || obj->kind != EV_JSON_OBJ)
        return NULL;
    for (uint32_t i = obj->n; i-- > 0;)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}
