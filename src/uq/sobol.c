/*
 * sobol.c — Sobol' points (see sobol.h): direction numbers from the Joe–Kuo
 * table, linear matrix scrambling + digital shift keyed by Philox or nested
 * uniform (Owen) scrambling by hashed tree nodes, random access by Gray code
 * and sequential blocks by the one-XOR recurrence.
 */
#include "uq/sobol.h"

#include "base/rng.h"

/* Unscrambled direction numbers of dimension j (0-based) into v[32]. */
static void sobol_directions(uint32_t j, uint32_t v[CASUS_SOBOL_BITS])
{
    uint32_t s = casus_sobol_poly[j] & 31, a = casus_sobol_poly[j] >> 5;
    const uint16_t *m = casus_sobol_m + casus_sobol_moff[j];
    for (uint32_t k = 0; k < CASUS_SOBOL_BITS; k++) {
        if (j == 0) {
            v[k] = (uint32_t)1 << (31 - k);
        } else if (k < s) {
            v[k] = (uint32_t)m[k] << (31 - k);
        } else {
            v[k] = v[k - s] ^ (v[k - s] >> s);
            for (uint32_t l = 1; l < s; l++)
                if ((a >> (s - 1 - l)) & 1)
                    v[k] ^= v[k - l];
        }
    }
}

static uint32_t parity32(uint32_t x)
{
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return x & 1;
}

/* Replace v by L v, with L a random lower-triangular (in digit order) unit
 * diagonal binary matrix, and return a random digital shift.  Output bit b
 * is the parity of row_b & v, row_b = bit b plus random more-significant
 * bits.  33 random words: 32 rows and the shift. */
static uint32_t sobol_scramble(uint64_t seed, uint64_t stream, uint32_t v[CASUS_SOBOL_BITS])
{
    uint32_t w[36], rows[CASUS_SOBOL_BITS];
    for (uint64_t blk = 0; blk < 9; blk++)
        casus_rng_block(seed, stream, blk, w + 4 * blk);
    for (uint32_t b = 0; b < CASUS_SOBOL_BITS; b++) {
        uint32_t above = ~((((uint32_t)2) << b) - 1); /* 0 when b == 31 */
        rows[b] = ((uint32_t)1 << b) | (w[b] & above);
    }
    for (uint32_t k = 0; k < CASUS_SOBOL_BITS; k++) {
        uint32_t y = 0;
        for (uint32_t b = 0; b < CASUS_SOBOL_BITS; b++)
            y |= parity32(rows[b] & v[k]) << b;
        v[k] = y;
    }
    return w[32];
}

casus_status casus_sobol_init(struct casus_sobol *s, const struct casus_alloc *a, uint32_t dims,
                              bool scramble, uint64_t seed, uint64_t scramble_id)
{
    *s = (struct casus_sobol)CASUS_SOBOL_INIT;
    if (dims < 1 || dims > CASUS_SOBOL_MAX_DIMS)
        return CASUS_EINVAL;
    s->alloc = a;
    s->dims = dims; /* before allocating: release needs the sizes */
    s->dir = casus_mem_alloc(a, (size_t)dims * CASUS_SOBOL_BITS * sizeof *s->dir);
    s->shift = casus_mem_alloc(a, (size_t)dims * sizeof *s->shift);
    if (!s->dir || !s->shift) {
        casus_sobol_release(s);
        return CASUS_ENOMEM;
    }
    s->scrambled = scramble;
    for (uint32_t j = 0; j < dims; j++) {
        uint32_t *v = s->dir + (size_t)j * CASUS_SOBOL_BITS;
        sobol_directions(j, v);
        s->shift[j] = 0;
        if (scramble) {
            uint64_t stream =
                CASUS_RNG_TAG(CASUS_RNG_TAG_SOBOL) | (scramble_id & 0xffffffffu) << 16 | j;
            s->shift[j] = sobol_scramble(seed, stream, v);
        }
    }
    return CASUS_OK;
}

/* A 64-bit mixing finaliser (Stafford's variant 13, as in splitmix64). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* 64 random bits for tree node `node` of the dimension keyed by `key`:
 * output `node` of the splitmix64 stream that starts at `key`.  Nodes are
 * numbered (1 << depth) | prefix, so every cell of the binary tree has its
 * own word; words 1..4 (not chunk roots, whose depth is >= 8) hold the top
 * levels. */
static uint64_t owen_word(uint64_t key, uint64_t node)
{
    return mix64(key + node * 0x9e3779b97f4a7c15u);
}

/* The top 8 digits of dimension `key` scrambled, for every value of them:
 * 255 node bits from words 1..4. */
static void owen_top(uint64_t key, uint8_t top[256])
{
    uint64_t w[4];
    for (uint64_t i = 0; i < 4; i++)
        w[i] = owen_word(key, i + 1);
    for (uint32_t v = 0; v < 256; v++) {
        uint32_t flips = 0;
        for (uint32_t j = 0; j < 8; j++) {
            uint32_t idx = ((uint32_t)1 << j) - 1 + (v >> (8 - j));
            flips |= (uint32_t)((w[idx >> 6] >> (idx & 63)) & 1) << (7 - j);
        }
        top[v] = (uint8_t)(v ^ flips);
    }
}

casus_status casus_sobol_init_owen(struct casus_sobol *s, const struct casus_alloc *a,
                                   uint32_t dims, uint64_t seed, uint64_t scramble_id,
                                   uint64_t npoints)
{
    uint32_t need = 2; /* nested levels: ceil(log2 npoints) + 2 */
    casus_status st = casus_sobol_init(s, a, dims, false, seed, scramble_id);
    if (st != CASUS_OK)
        return st;
    s->okey = casus_mem_alloc(a, (size_t)dims * sizeof *s->okey);
    s->otop = casus_mem_alloc(a, (size_t)dims * 256);
    if (!s->okey || !s->otop) {
        casus_sobol_release(s);
        return CASUS_ENOMEM;
    }
    s->scrambled = true;
    while (need < 34 && npoints > (uint64_t)1 << (need - 2))
        need++;
    s->owords = 0;
    while (s->owords < 4 && 8 + 6 * s->owords < need)
        s->owords++;
    for (uint32_t j = 0; j < dims; j++) {
        /* sub-stream bit 15 set: never collides with the LMS streams */
        uint64_t stream =
            CASUS_RNG_TAG(CASUS_RNG_TAG_SOBOL) | (scramble_id & 0xffffffffu) << 16 | 0x8000u | j;
        s->okey[j] = casus_rng_u64(seed, stream, 0);
        owen_top(s->okey[j], s->otop + (size_t)j * 256);
    }
    return CASUS_OK;
}

/* The flips of a 6-level subtree for the 6 digits c below its root: the
 * node j levels down (top j digits of c, q) owns bit 2^j - 1 + q of the
 * subtree's word h, so one word holds all 63 nodes. */
static inline uint32_t owen_chunk(uint64_t h, uint32_t c)
{
    return (uint32_t)((h & 1) << 5 | ((h >> (1 + (c >> 5))) & 1) << 4 |
                      ((h >> (3 + (c >> 4))) & 1) << 3 | ((h >> (7 + (c >> 3))) & 1) << 2 |
                      ((h >> (15 + (c >> 2))) & 1) << 1 | ((h >> (31 + (c >> 1))) & 1));
}

/* Nested uniform scrambling of the 32 digits y (most significant first):
 * digit k is flipped by the random bit of tree node (1 << k) | (y's top k
 * digits), so the flips of two points agree exactly as far as their
 * leading digits agree.  Digits 0..7 come from the dimension's table,
 * digits 8 .. 8 + 6 nw - 1 from one word per 6-level subtree (rooted at
 * depths 8, 14, 20, 26), and the digits below, if any, are XORed with
 * random bits of their cell at depth 8 + 6 nw (a digital shift per cell):
 * nw + 1 hashes at most. */
static inline uint32_t owen32(uint32_t y, uint64_t key, const uint8_t top[256], uint32_t nw)
{
    uint32_t flips = 0, k = 8;
    for (uint32_t w = 0; w < nw; w++, k += 6) {
        uint64_t h = owen_word(key, ((uint64_t)1 << k) | (y >> (32 - k)));
        flips |= owen_chunk(h, (y >> (26 - k)) & 63) << (26 - k);
    }
    if (k < CASUS_SOBOL_BITS)
        flips |= (uint32_t)owen_word(key, ((uint64_t)1 << k) | (y >> (32 - k))) &
                 ((UINT32_C(1) << (32 - k)) - 1);
    return ((uint32_t)top[y >> 24] << 24) | ((y ^ flips) & 0x00ffffffu);
}

void casus_sobol_release(struct casus_sobol *s)
{
    if (s->alloc) {
        casus_mem_free(s->alloc, s->dir, (size_t)s->dims * CASUS_SOBOL_BITS * sizeof *s->dir);
        casus_mem_free(s->alloc, s->shift, (size_t)s->dims * sizeof *s->shift);
        casus_mem_free(s->alloc, s->okey, (size_t)s->dims * sizeof *s->okey);
        casus_mem_free(s->alloc, s->otop, (size_t)s->dims * 256);
    }
    *s = (struct casus_sobol)CASUS_SOBOL_INIT;
}

/* Digits of point n before any Owen scrambling (LMS and shift included). */
static uint32_t sobol_digits(const struct casus_sobol *s, uint32_t n, uint32_t dim)
{
    const uint32_t *v = s->dir + (size_t)dim * CASUS_SOBOL_BITS;
    uint32_t g = n ^ (n >> 1), y = s->shift[dim];
    for (uint32_t k = 0; g; k++, g >>= 1)
        if (g & 1)
            y ^= v[k];
    return y;
}

uint32_t casus_sobol_u32(const struct casus_sobol *s, uint32_t n, uint32_t dim)
{
    uint32_t y = sobol_digits(s, n, dim);
    return s->okey ? owen32(y, s->okey[dim], s->otop + (size_t)dim * 256, s->owords) : y;
}

/* One point's coordinates j0 .. j0 + jn - 1 scrambled into row.  Each case
 * spells out the loop with the nesting depth a constant, so owen32's word
 * loop unrolls (a third faster than a variable depth). */
#define OWEN_ROW(NW)                                                                               \
    for (uint32_t j = 0; j < jn; j++)                                                              \
    row[j] = casus_sobol_to_double(s, owen32(cur[j], key[j], top + (size_t)j * 256, NW))
static void owen_row(const struct casus_sobol *s, const uint32_t *cur, uint32_t j0, uint32_t jn,
                     double *row)
{
    const uint64_t *key = s->okey + j0;
    const uint8_t *top = s->otop + (size_t)j0 * 256;
    switch (s->owords) {
    case 0: OWEN_ROW(0); break;
    case 1: OWEN_ROW(1); break;
    case 2: OWEN_ROW(2); break;
    case 3: OWEN_ROW(3); break;
    default: OWEN_ROW(4); break;
    }
}
#undef OWEN_ROW

casus_status casus_sobol_points(const struct casus_sobol *s, uint64_t n0, size_t count, double *out,
                                size_t ld)
{
    uint32_t d = s->dims;
    enum { CUR_CHUNK = 64 };
    uint32_t cur[CUR_CHUNK]; /* current digits of CUR_CHUNK dimensions */
    if (count == 0)
        return CASUS_OK;
    if (n0 > UINT32_MAX || count - 1 > (uint64_t)UINT32_MAX - n0)
        return CASUS_ELIMIT;
    for (uint32_t j0 = 0; j0 < d; j0 += CUR_CHUNK) {
        uint32_t jn = d - j0 < CUR_CHUNK ? d - j0 : CUR_CHUNK;
        for (uint32_t j = 0; j < jn; j++)
            cur[j] = sobol_digits(s, (uint32_t)n0, j0 + j);
        for (size_t i = 0;; i++) {
            double *row = out + i * ld + j0;
            if (s->okey)
                owen_row(s, cur, j0, jn, row);
            else
                for (uint32_t j = 0; j < jn; j++)
                    row[j] = casus_sobol_to_double(s, cur[j]);
            if (i + 1 == count)
                break;
            {
                uint32_t n = (uint32_t)(n0 + i + 1);
                uint32_t k = (uint32_t)__builtin_ctz(n);
                for (uint32_t j = 0; j < jn; j++)
                    cur[j] ^= s->dir[(size_t)(j0 + j) * CASUS_SOBOL_BITS + k];
            }
        }
    }
    return CASUS_OK;
}
