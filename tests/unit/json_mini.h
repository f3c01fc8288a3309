/*
 * json_mini.h — a small JSON reader for the tests and benches that compare
 * with reference files (../shared/reference/rgames/CASE.json): objects,
 * arrays, strings (escapes \" \\ \/ \n \t \uXXXX as '?'), numbers, true,
 * false, null.  Not a general-purpose parser: the whole document is one
 * malloc'd tree freed with jm_free; on malformed input jm_parse returns
 * NULL.  Test-only code.
 */
#ifndef CASUS_TEST_JSON_MINI_H
#define CASUS_TEST_JSON_MINI_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jm_kind { JM_NULL, JM_BOOL, JM_NUM, JM_STR, JM_ARR, JM_OBJ };

struct jm {
    enum jm_kind kind;
    double num;
    bool b;
    char *str;         /* JM_STR value, or the key of an object member */
    struct jm **items; /* JM_ARR elements / JM_OBJ members (str = key) */
    size_t n;
    char *key;
};

static void jm_free(struct jm *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        jm_free(j->items[i]);
    free(j->items);
    free(j->str);
    free(j->key);
    free(j);
}

static void jm_ws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t')
        (*p)++;
}

static char *jm_string(const char **p)
{
    if (**p != '"')
        return NULL;
    (*p)++;
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    while (s && **p && **p != '"') {
        char c = *(*p)++;
        if (c == '\\') {
            c = *(*p)++;
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
            else if (c == 'u') {
                for (int k = 0; k < 4 && **p; k++)
                    (*p)++;
                c = '?';
            }
        }
        if (n + 2 > cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                return NULL;
            }
            s = t;
        }
        s[n++] = c;
    }
    if (!s || **p != '"') {
        free(s);
        return NULL;
    }
    (*p)++;
    s[n] = '\0';
    return s;
}

static struct jm *jm_value(const char **p, int depth);
static struct jm *jm_container(const char **p, int depth, bool obj);

static bool jm_push(struct jm *j, struct jm *it)
{
    struct jm **t = realloc(j->items, (j->n + 1) * sizeof *t);
    if (!t)
        return false;
    j->items = t;
    j->items[j->n++] = it;
    return true;
}

static struct jm *jm_container(const char **p, int depth, bool obj)
{
    struct jm *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->kind = obj ? JM_OBJ : JM_ARR;
    (*p)++;
    jm_ws(p);
    if (**p == (obj ? '}' : ']')) {
        (*p)++;
        return j;
    }
    for (;;) {
        char *key = NULL;
        jm_ws(p);
        if (obj) {
            key = jm_string(p);
            jm_ws(p);
            if (!key || **p != ':') {
                free(key);
                jm_free(j);
                return NULL;
            }
            (*p)++;
        }
        struct jm *v = jm_value(p, depth + 1);
        if (!v || !jm_push(j, v)) {
            free(key);
            jm_free(v);
            jm_free(j);
            return NULL;
        }
        v->key = key;
        jm_ws(p);
        if (**p == ',') {
            (*p)++;
            continue;
        }
        if (**p == (obj ? '}' : ']')) {
            (*p)++;
            return j;
        }
        jm_free(j);
        return NULL;
    }
}

static struct jm *jm_value(const char **p, int depth)
{
    jm_ws(p);
    if (depth > 64)
        return NULL;
    if (**p == '{' || **p == '[')
        return jm_container(p, depth, **p == '{');
    struct jm *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    if (**p == '"') {
        j->kind = JM_STR;
        if (!(j->str = jm_string(p))) {
            free(j);
            return NULL;
        }
    } else if (strncmp(*p, "null", 4) == 0) {
        *p += 4;
    } else if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "false", 5) == 0) {
        j->kind = JM_BOOL;
        j->b = **p == 't';
        *p += j->b ? 4 : 5;
    } else {
        char *end;
        j->kind = JM_NUM;
        j->num = strtod(*p, &end);
        if (end == *p) {
            free(j);
            return NULL;
        }
        *p = end;
    }
    return j;
}

static struct jm *jm_parse(const char *text)
{
    const char *p = text;
    return jm_value(&p, 0);
}

/* Member `key` of an object, or NULL. */
static struct jm *jm_get(const struct jm *j, const char *key)
{
    if (!j || j->kind != JM_OBJ)
        return NULL;
    for (size_t i = 0; i < j->n; i++)
        if (strcmp(j->items[i]->key, key) == 0)
            return j->items[i];
    return NULL;
}

/* A number, NAN for null or a missing member. */
static double jm_num(const struct jm *j)
{
    return j && j->kind == JM_NUM ? j->num : NAN;
}

/* A whole file as a NUL-terminated malloc'd string, or NULL. */
static char *jm_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *s = malloc(cap);
    while (s && (got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                s = NULL;
            }
            s = t;
        }
    }
    fclose(f);
    if (s)
        s[n] = '\0';
    if (len)
        *len = n;
    return s;
}

#endif
